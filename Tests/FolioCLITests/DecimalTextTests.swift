import Foundation
import Folio
import Testing

/// Issue 22: the texts of `Decimal` that the plan writer and the blotter make from its
/// integers (`DecimalText`) are Foundation's, byte for byte, on seeded random values of every
/// shape a plan holds (money, prices, quantities, products and quotients of them) and on the
/// edges (zero, NaN, halves, values rounding to zero, wide significands).
@Suite("Decimal texts from their integers")
struct DecimalTextTests {
    /// Seeded values: random significands of 1 to 19 digits at exponents -30...20, both
    /// signs, plus sums, products and quotients of money-like values (what a plan computes).
    static func values(count: Int) -> [Decimal] {
        var rng = SeededBytes(state: 22)
        var values: [Decimal] = []
        for _ in 0..<count {
            let digits = Int.random(in: 1...19, using: &rng)
            var significand = UInt64.random(in: 0...UInt64.max, using: &rng) % (digits == 19 ? UInt64.max : pow10(digits))
            if Bool.random(using: &rng) { significand -= significand % pow10(Int.random(in: 0...3, using: &rng)) }
            let exponent = Int.random(in: -30...20, using: &rng)
            let sign: FloatingPointSign = Bool.random(using: &rng) ? .minus : .plus
            values.append(Decimal(sign: sign, exponent: exponent, significand: Decimal(significand)))
            let cents = Decimal(sign: .plus, exponent: -2, significand: Decimal(UInt64.random(in: 0...10_000_000, using: &rng)))
            let price = Decimal(sign: .plus, exponent: -4, significand: Decimal(UInt64.random(in: 1...5_000_000, using: &rng)))
            let quantity = Decimal(Int.random(in: -500...500, using: &rng))
            values.append(cents + price * quantity)
            values.append(price * quantity - cents)
            if quantity != 0 { values.append(cents / quantity) }
        }
        return values
    }

    static func pow10(_ k: Int) -> UInt64 { (0..<k).reduce(1) { a, _ in a * 10 } }

    static let edges: [Decimal] = [
        0, Decimal(string: "-0")!, Decimal(string: "0.000")!, .nan, 1, -1, Decimal(string: "0.005")!, Decimal(string: "-0.005")!,
        Decimal(string: "0.0049")!, Decimal(string: "-0.0049")!, Decimal(string: "1.005")!, Decimal(string: "-1.005")!,
        Decimal(string: "2.5")!, Decimal(string: "-2.5")!, Decimal(string: "0.5")!, Decimal(string: "999.995")!,
        Decimal(string: "-999.995")!, Decimal(string: "18446744073709551615")!, Decimal(string: "18446744073709551616")!,
        Decimal(string: "0.000000000000000000000000000000000001")!, Decimal(string: "1e100")!, Decimal(string: "-1e-100")!,
        Decimal(string: "12345678901234567890.123456789")!, Decimal(1) / Decimal(3), Decimal(2) / Decimal(3), Decimal(string: "65536")!,
        Decimal(string: "4294967296.5")!, Decimal(sign: .plus, exponent: 127, significand: 1),
        Decimal(sign: .minus, exponent: -128, significand: 7),
    ]

    @Test("the layout check holds on this platform (otherwise every text falls back to Foundation's)")
    func layoutHolds() {
        #expect(DecimalParts.layoutHolds)
        #expect(DecimalParts(Decimal(string: "-65536.7")!) == DecimalParts(negative: true, significand: 655_367, exponent: -1))
        #expect(DecimalParts(.nan) == nil)
        #expect(DecimalParts(Decimal(string: "18446744073709551616")!) == nil, "a significand of 65 bits")
    }

    @Test("description and quantity: Decimal.description and NSDecimalNumber.stringValue, byte for byte")
    func descriptionMatches() {
        var checked = 0, fast = 0
        for value in Self.values(count: 5_000) + Self.edges {
            let text = DecimalText.description(value)
            #expect(text == value.description, "\(value)")
            #expect(ReportFormat.quantity(value) == NSDecimalNumber(decimal: value).stringValue, "\(value)")
            if DecimalParts(value) != nil { fast += 1 }
            checked += 1
        }
        // The fast path took most values (a test that never ran it would prove nothing).
        #expect(fast > checked * 3 / 4, "fast path on \(fast) of \(checked)")
    }

    @Test("plain: rounded half away from zero to 0, 2, 4, 6 and 10 places as NSDecimalRound and stringValue write it")
    func plainMatches() {
        var fast = 0, checked = 0
        for value in Self.values(count: 3_000) + Self.edges {
            for places in [0, 2, 4, 6, 10] {
                let reference = ReportFormat.foundationPlain(value, places: places)
                #expect(ReportFormat.plain(value, places: places) == reference, "\(value) to \(places) places")
                if let text = DecimalText.plain(value, places: places) {
                    #expect(text == reference, "\(value) to \(places) places")
                    fast += 1
                }
                checked += 1
            }
        }
        #expect(fast > checked / 2, "fast path on \(fast) of \(checked)")
        #expect(ReportFormat.plain(Decimal(string: "-1.005")!, places: 2) == "-1.01")
        #expect(ReportFormat.plain(Decimal(string: "0.125")!, places: 2) == "0.13")
    }

    @Test("decimal places and exact prices: the significant digits after the point")
    func placesMatch() {
        for value in Self.values(count: 3_000) + Self.edges where !value.isNaN {
            let reference = ReportFormat.foundationDecimalPlaces(value)
            #expect((DecimalText.decimalPlaces(value) ?? reference) == reference, "\(value)")
            #expect(ReportFormat.exact(value) == ReportFormat.foundationPlain(value, places: max(2, reference)), "\(value)")
        }
        #expect(ReportFormat.exact(Decimal(string: "12.50")!) == "12.50")
        #expect(ReportFormat.exact(Decimal(string: "0.0001")!) == "0.0001")
        #expect(ReportFormat.exact(Decimal(string: "251")!) == "251.00")
    }
}

/// Issue 22: `CSVWriter.field` scans bytes instead of Characters, so a comma, quote or line
/// break that a combining mark follows, or a CR LF pair, is still quoted (a Character scan
/// saw `,\u{301}` and `\r\n` as other characters and wrote a broken row).
@Suite("CSV fields quoted by bytes")
struct CSVFieldBytesTests {
    @Test("what needs quotes gets them, quotes doubled byte by byte, formulas neutralized, numbers left alone")
    func quoting() {
        #expect(CSVWriter.field("plain") == "plain")
        #expect(CSVWriter.field("-12.5") == "-12.5")
        #expect(CSVWriter.field("a,b") == "\"a,b\"")
        #expect(CSVWriter.field("a,\u{301}b") == "\"a,\u{301}b\"")
        #expect(CSVWriter.field("a\r\nb") == "\"a\r\nb\"")
        #expect(CSVWriter.field("x\"\u{301}y") == "\"x\"\"\u{301}y\"")
        #expect(CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.field("=SUM(A1)") == "\"'=SUM(A1)\"")
        #expect(CSVWriter.field("=\"x\"") == "\"'=\"\"x\"\"\"")
        #expect(CSVWriter.field("<b>caf\u{E9}</b>") == "<b>caf\u{E9}</b>")
        // Every field is its text between quotes with each quote byte doubled (RFC 4180).
        for text in ["a,\u{301}b", "x\"\u{301}y", "a\r\nb", "\"", ",", "\u{1F600},\""] {
            let field = CSVWriter.field(text)
            #expect(field.utf8.first == 0x22 && field.utf8.last == 0x22)
            let inner = Array(field.utf8.dropFirst().dropLast())
            #expect(inner == Array(text.utf8).flatMap { $0 == 0x22 ? [0x22, 0x22] : [$0] }, "\(text.debugDescription)")
        }
    }
}
