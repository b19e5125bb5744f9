import Foundation
import Testing
@testable import FolioFiles
import FolioPlanning
import FolioRebalancing

/// The byte-level parsers (`PlainDecimal`, `PricesReader.parseWideFast`) against the strict
/// ones they stand in for: the same accept/reject, the same exact money, bit-identical doubles,
/// and the same tables and errors, on every committed fixture, on hostile spellings and on
/// seeded random texts.
@Suite struct FastParsingTests {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = testsFolder.deletingLastPathComponent().deletingLastPathComponent()

    /// Every committed CSV file: the readers' corpus, the fuzz seeds, the examples' data.
    static let csvFiles: [URL] = {
        let folders = ["Tests/FolioFilesTests/Fixtures/Corpus", "Fuzz/Corpus", "Examples/Data"]
        var files: [URL] = []
        for folder in folders {
            let root = repository.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.pathExtension.lowercased() == "csv" { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }()

    /// Checks one cell text: the fast and strict parsers agree on accepting it, on its exact
    /// value and on its double to the bit.
    static func expectAgreement(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let strict = NumberText.strictDecimal(text), fast = NumberText.decimal(text)
        #expect(fast == strict, "decimal of \(text.debugDescription)", sourceLocation: sourceLocation)
        if let fast, let strict { #expect(fast.description == strict.description, sourceLocation: sourceLocation) }
        let strictDouble = NumberText.strictDouble(text), fastDouble = NumberText.double(text)
        #expect(fastDouble?.bitPattern == strictDouble?.bitPattern, "double of \(text.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test func fixturesHaveCSVFilesWithPrices() {
        #expect(Self.csvFiles.count >= 30)
        #expect(Self.csvFiles.contains { $0.lastPathComponent == "prices.csv" })
    }

    @Test func everyCellOfEveryFixtureParsesAsTheStrictParserReadsIt() throws {
        var cells = 0
        for url in Self.csvFiles {
            guard let text = try? HoldingsReader.readText(url), let table = try? CSVTable(parsing: text, file: url.path) else { continue }
            for record in table.records {
                for field in record.fields {
                    Self.expectAgreement(field.text)
                    cells += 1
                }
            }
        }
        #expect(cells > 10_000)
    }

    /// Every prices-like fixture: the fast path gives the strict parser's table, or declines
    /// and `parse` gives the strict parser's error.
    @Test func everyPricesFixtureGivesTheStrictTableOrError() throws {
        var fastTables = 0
        for url in Self.csvFiles {
            guard let text = try? HoldingsReader.readText(url) else { continue }
            let strict = Result { () throws(FileError) in try PricesReader.parseStrict(text, file: url.path) }
            let parsed = Result { () throws(FileError) in try PricesReader.parse(text, file: url.path) }
            #expect(parsed == strict, "\(url.lastPathComponent)")
            if let fast = PricesReader.parseWideFast(text, file: url.path) {
                fastTables += 1
                #expect(Result.success(fast) == strict, "\(url.lastPathComponent)")
            }
        }
        #expect(fastTables >= 3)  // the sample prices, the wide corpus file and the fuzz seeds
    }

    @Test func hostileSpellingsAreAcceptedOrRejectedAsBefore() {
        let hostile = [
            "0", "-0", "+0", "-0.0", "0.000", ".5", "5.", ".", "-", "+", "-.", "+.5", "-5.", "007", "-007.50",
            "1e3", "1E-3", "1e400", "-1e400", "1.5e2", "+5", "++5", "--5", "+-5", "-+5", "5-", "5+",
            String(repeating: "9", count: 18), String(repeating: "9", count: 19), String(repeating: "1", count: 400),
            "0." + String(repeating: "0", count: 300) + "1", "1" + String(repeating: "0", count: 38),
            "123456789012345678", "1234567890123456789", "0.123456789012345678", "9007199254740993",
            "9007199254740992", "0.1234567890123456789012", "1.0000000000000000000000001",
            "NaN", "nan", "inf", "-inf", "Infinity", "0x1p3", "1,234.56", "1,23.4", ",123", "1,234,567", "$1,234.56",
            "(12.5)", "($12.00)", "-$12.00", "$-12.00", "+$12", "$.5", "$,123", "1,234,", "1,234.", "1,234.5,6",
            "12,345,678", "1,2345", "0,123", "000,123", "$$5", "$", "()", " 5", "5 ", "5\t", "\u{00A0}5", "5\u{2009}",
            "١٢٣", "１２３", "½", "5\u{0301}", "12abc", "1.2.3", "12 USD", "", " ", "--", "n/a", "N/A",
            "1_000", "0b101", "1'000", "\u{FEFF}5",
        ]
        for text in hostile { Self.expectAgreement(text) }
        #expect(NumberText.decimal("1e400") == nil)
        #expect(NumberText.double(String(repeating: "1", count: 400)) == nil)
        #expect(NumberText.double("-0")?.bitPattern == (0.0).bitPattern)
        #expect(NumberText.double(".5") == 0.5 && NumberText.double("5.") == 5)
    }

    /// A random decimal: sign, `$`, leading zeros, up to 24 digits around a point, trailing
    /// zeros; the integer digits sometimes grouped by commas, now and then wrongly.
    static func randomDecimal(_ random: inout Xoshiro256StarStar) -> String {
        var text = ["", "-", "+"][Int.random(in: 0..<3, using: &random)]
        if Int.random(in: 0..<4, using: &random) == 0 { text += "$" }
        var integer = String(repeating: "0", count: Int.random(in: 0...2, using: &random))
        var fraction = ""
        let digits = Int.random(in: 1...24, using: &random)
        let point = Int.random(in: -1...digits, using: &random)
        for k in 0..<digits {
            let digit = String(Int.random(in: 0...9, using: &random))
            if point >= 0 && k >= point { fraction += digit } else { integer += digit }
        }
        if Int.random(in: 0..<3, using: &random) == 0, integer.count > 3 {
            // Commas every three digits from the right; one time in eight, one step off.
            let step = Int.random(in: 0..<8, using: &random) == 0 ? Int.random(in: 2...4, using: &random) : 3
            var grouped = "", count = 0
            for character in integer.reversed() {
                if count > 0 && count % step == 0 { grouped.append(",") }
                grouped.append(character)
                count += 1
            }
            integer = String(grouped.reversed())
        }
        text += integer + (point >= 0 ? "." + fraction : "")
        if Bool.random(using: &random) { text += String(repeating: "0", count: Int.random(in: 0...4, using: &random)) }
        return text
    }

    @Test func randomDecimalsAreExactAndCorrectlyRounded() {
        var random = Xoshiro256StarStar(seed: 22)
        var fastPath = 0
        for _ in 0..<30_000 {
            let text = Self.randomDecimal(&random)
            Self.expectAgreement(text)
            // Doubles are the correctly rounded value of the text, as Double(String) gives it
            // (a zero is +0.0 whatever its sign, as the strict parser has always given it).
            if let value = NumberText.double(text), value != 0 {
                let bare = text.filter { $0 != "$" && $0 != "," }
                #expect(value.bitPattern == Double(bare)?.bitPattern, "\(text)")
            }
            // Money is exact: the scaled integer is the text's digits.
            if let plain = PlainDecimal(text) {
                fastPath += 1
                let digits = text.filter(\.isNumber)
                #expect(plain.significand == UInt64(digits)!, "\(text)")
                #expect(plain.scale == (text.firstIndex(of: ".").map { text[$0...].count - 1 } ?? 0))
                #expect(plain.negative == text.hasPrefix("-"))
            }
        }
        #expect(fastPath > 7_500)
    }

    /// Prices as a custodian might write them: plain, with odd digits, or in other accepted
    /// spellings; sometimes missing.
    static func randomPrice(_ random: inout Xoshiro256StarStar) -> String {
        let value = Double.random(in: 0.01...5_000, using: &random)
        switch Int.random(in: 0..<20, using: &random) {
        case 0: return ["", "--", "n/a", "N/A", " "][Int.random(in: 0..<5, using: &random)]
        case 1: return "$" + String(format: "%.2f", value)
        case 2: return String(format: "%.17g", value)
        case 3: return " " + String(format: "%.3f", value) + "\t"
        case 4: return "+" + String(format: "%.4f", value)
        case 5: return String(format: "%.0f", value * 1e15) + "." + String(Int.random(in: 0...99, using: &random))
        default: return String(format: "%.\(Int.random(in: 0...6, using: &random))f", value)
        }
    }

    @Test(arguments: 0..<40)
    func randomWidePricesFilesGiveTheStrictTable(seed: Int) throws {
        var random = Xoshiro256StarStar(seed: UInt64(seed) + 1_000)
        let symbols = (0..<Int.random(in: 1...12, using: &random)).map { "S\($0)" }
        let newline = ["\n", "\r\n", "\r"][seed % 3]
        var text = (seed % 5 == 0 ? "\u{FEFF}" : "") + "Date," + symbols.joined(separator: ",") + newline
        var day = Date(timeIntervalSince1970: 1_600_000_000 - 1_600_000_000.truncatingRemainder(dividingBy: 86_400))
        for row in 0..<Int.random(in: 1...60, using: &random) {
            day += 86_400 * Double(Int.random(in: 1...3, using: &random))
            text += ISODate.format(day) + "," + symbols.map { _ in Self.randomPrice(&random) }.joined(separator: ",") + newline
            if row % 17 == 16 { text += newline }
        }
        // Half the files carry one defect the fast path must leave to the strict parser.
        let defects = ["2020-13-01,1\n", "\"2099-01-01\",5\n", "2099-01-01,-5\n", "2099-01-01,0\n", "2099-01-01,1e3\n",
                       "2099-01-01,\u{00A0}5\n", "1999-01-01,5\n", "2099-01-01\n", ",,,\n", "2099-01-01,1,2,3,4,5,6,7,8,9,10,11,12,13\n"]
        if seed % 2 == 1 { text += defects[(seed / 2) % defects.count] }
        let strict = Result { () throws(FileError) in try PricesReader.parseStrict(text, file: "p.csv") }
        let parsed = Result { () throws(FileError) in try PricesReader.parse(text, file: "p.csv") }
        #expect(parsed == strict)
        let fast = PricesReader.parseWideFast(text, file: "p.csv")
        if let fast { #expect(Result.success(fast) == strict) }
        if seed % 2 == 0 {
            #expect(fast != nil, "a clean file takes the fast path")
            let table = try #require(try? strict.get())
            // Recomputed from the text: each symbol's latest price is its last non-missing cell.
            for (s, symbol) in table.symbols.enumerated() {
                let last = table.prices[s].lastIndex { $0 != nil }
                #expect((table.latest[symbol] != nil) == (last != nil))
            }
        }
    }

    @Test func aCleanWideFileTakesTheFastPathAndAQuotedOneDoesNot() throws {
        let clean = "date,AAA,BBB\n2024-01-02,1.5,2\n2024-01-03,--,2.25\n"
        let fast = try #require(PricesReader.parseWideFast(clean, file: "p.csv"))
        #expect(fast.prices == [[1.5, nil], [2, 2.25]])
        #expect(fast.latest == ["AAA": Decimal(string: "1.5")!, "BBB": Decimal(string: "2.25")!])
        #expect(PricesReader.parseWideFast("date,AAA\n2024-01-02,\"1.5\"\n", file: "p.csv") == nil)
        #expect(PricesReader.parseWideFast("date,symbol,close\n2024-01-02,AAA,1.5\n", file: "p.csv") == nil)
        // A bad cell is reported where it is, by the strict parser.
        do {
            _ = try PricesReader.parse("date,AAA,BBB\n2024-01-02,1.5,2\n2024-01-03,abc,2.25\n", file: "p.csv")
            Issue.record("should fail")
        } catch {
            #expect(error.issues.map { "\($0.location.line):\($0.location.column)" } == ["3:2"])
        }
    }
}
