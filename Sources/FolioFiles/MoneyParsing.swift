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
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        return t.isEmpty || t == "--" || t == "n/a"
    }

    /// The exact decimal value of `text`, or `nil` when it is not a number in any accepted form.
    static func decimal(_ text: String) -> Decimal? {
        var t = text.trimmingCharacters(in: .whitespaces)
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
        t = t.trimmingCharacters(in: .whitespaces)
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
        var sawDigit = false, sawDot = false
        for c in t {
            if c.isASCII && c.isNumber { sawDigit = true } else if c == "." && !sawDot { sawDot = true } else { return nil }
        }
        guard sawDigit, let value = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        return negative ? -value : value
    }

    /// The value of `text` as a `Double`, with the same accepted forms as `decimal`.
    static func double(_ text: String) -> Double? {
        // Through the decimal's text: NSDecimalNumber.doubleValue is not correctly rounded
        // (63.97 would become 63.970000000000006), Double(String) is.
        decimal(text).flatMap { Double($0.description) }
    }
}
