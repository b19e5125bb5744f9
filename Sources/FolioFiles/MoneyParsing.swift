import Foundation

/// How custodian exports write numbers, and how Folio reads them.
///
/// Accepted (Documentation/FileFormats.md, "Money syntax"): `1234.56`, `1,234.56`,
/// `$1,234.56`, `-1234.5`, `(1,234.56)` (accounting negative), `($12.00)`, `-$12.00`,
/// `$-12.00`. Missing: empty, `--`, `n/a` (any case). Rejected: anything else (`1.2.3`,
/// `12abc`, `1e3`, `12 USD`, `$`).
enum NumberText {
    /// Whether `text` is one of the spellings custodians use for "no value".
    static func isMissing(_ text: String) -> Bool {
        let t = text.trimmed
        if t.isEmpty { return true }
        if t.utf8.count > 3 { return false }  // most cells: no lowercased copy
        let lower = t.lowercased()
        return lower == "--" || lower == "n/a"
    }

    static let posix = Locale(identifier: "en_US_POSIX")

    /// The exact decimal value of `text`, or `nil` when it is not a number in any accepted form.
    ///
    /// Plain decimals (`251.41`, `-12`, `.5`) are read straight from the bytes
    /// (`PlainDecimal`); every other spelling goes to `strictDecimal`, which accepts and
    /// rejects the same texts and gives the same values (the tests check both on every
    /// fixture and on random texts).
    ///
    /// - Complexity: O(characters).
    @inline(__always)
    static func decimal(_ text: String) -> Decimal? {
        if let plain = PlainDecimal(text) { return plain.decimal }
        return strictDecimal(text)
    }

    /// The value of `text` as a `Double`, correctly rounded, with the same accepted forms as
    /// `decimal`: plain decimals by Clinger's fast path from the bytes, the rest through
    /// `strictDouble`.
    ///
    /// - Complexity: O(characters).
    @inline(__always)
    static func double(_ text: String) -> Double? {
        if let plain = PlainDecimal(text), let value = plain.double { return value }
        return strictDouble(text)
    }

    /// The reference parser: the exact decimal value of `text`, or `nil` when it is not a
    /// number in any accepted form.
    static func strictDecimal(_ text: String) -> Decimal? {
        var t = text.trimmed
        var negative = false
        if t.hasPrefix("(") && t.hasSuffix(")") {
            negative = true
            t = String(t.dropFirst().dropLast())
        }
        if t.hasPrefix("-") { negative.toggle(); t.removeFirst() } else if t.hasPrefix("+") { t.removeFirst() }
        if t.hasPrefix("$") { t.removeFirst() }
        if t.hasPrefix("(") && t.hasSuffix(")") {
            negative.toggle()
            t = String(t.dropFirst().dropLast())
        }
        if t.hasPrefix("-") { negative.toggle(); t.removeFirst() }
        t = t.trimmed
        // Thousands separators: only between digit groups of three.
        if t.contains(",") {
            let parts = t.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return nil }
            let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
            guard groups.count > 1, let first = groups.first, (1...3).contains(first.count),
                  groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
            t = groups.joined() + (parts.count == 2 ? "." + parts[1] : "")
        }
        guard !t.isEmpty else { return nil }
        // Digits with at most one point. Up to 18 digits the value is built exactly from an
        // integer significand and a power-of-ten exponent (Decimal(string:) is ten times slower).
        var sawDigit = false, sawDot = false
        var significand: UInt64 = 0, digits = 0, fractionDigits = 0
        for byte in t.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                if significand == 0 && byte == UInt8(ascii: "0") {
                    if sawDot { fractionDigits += 1 }
                    continue
                }
                digits += 1
                if digits <= 18 { significand = significand * 10 + UInt64(byte - UInt8(ascii: "0")) }
                if sawDot { fractionDigits += 1 }
            case UInt8(ascii: "."):
                if sawDot { return nil }
                sawDot = true
            default:
                return nil
            }
        }
        guard sawDigit else { return nil }
        let value: Decimal
        if digits <= 18 {
            value = Decimal(sign: .plus, exponent: -fractionDigits, significand: Decimal(significand))
        } else {
            guard let parsed = Decimal(string: t, locale: Self.posix) else { return nil }
            value = parsed
        }
        return negative ? -value : value
    }

    /// The reference parser for doubles: the value of `text` with the same accepted forms as
    /// `strictDecimal`, correctly rounded from the exact decimal.
    static func strictDouble(_ text: String) -> Double? {
        // Through the decimal's text: NSDecimalNumber.doubleValue is not correctly rounded
        // (63.97 would become 63.970000000000006), Double(String) is.
        strictDecimal(text).flatMap { Double($0.description) }
    }
}

/// The money syntax of `Documentation/FileFormats.md` for text that does not come from a file
/// (command-line options such as `--cash-flow`): the whole text must be one number.
public enum MoneyText {
    /// The exact value of `text` in the money syntax (`20000`, `-5,000.50`, `$1,234.56`,
    /// `(250)`), or nil when any part of it is not (`500-`, `1.000.000`, `5-3`, `1e3`).
    ///
    /// - Complexity: O(characters).
    public static func parse(_ text: String) -> Decimal? { NumberText.decimal(text) }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (Unicode space separators too).
    /// Foundation's `trimmingCharacters(in:)` bridges through NSString and dominated the cost
    /// of reading a large holdings file.
    var trimmed: String {
        // Most fields have nothing to trim: an ASCII first and last byte that is not a space or
        // tab cannot start or end a trimmable character (the spaces beyond ASCII are not ASCII,
        // and a character ending in an ASCII byte is that byte alone or CR LF).
        if let first = utf8.first, let last = utf8.reversed().first, first < 0x80, last < 0x80,
           first != 0x20, first != 0x09, last != 0x20, last != 0x09 {
            return String(self)
        }
        let isSpace = { (c: Character) in c == " " || c == "\t" || c.unicodeScalars.allSatisfy { $0.properties.generalCategory == .spaceSeparator } }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
