/// Writes CSV (RFC 4180): fields with a comma, quote or line break are quoted, quotes doubled,
/// lines end with `\n`.
///
/// Every text field is neutralized against formula injection as OWASP recommends ("CSV
/// Injection", owasp.org/www-community/attacks/CSV_Injection): a field that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return, and is not a plain number, is written with a
/// leading `'` and quoted, so that a spreadsheet shows it as text and never evaluates it.
/// Numbers (`-12.5`, `+3`, `1e-4`) are written as they are and stay numbers.
public enum CSVWriter {
    /// One field: neutralized when it could start a formula, quoted when it needs to be.
    ///
    /// - Complexity: O(characters).
    public static func field(_ text: String) -> String {
        if startsFormula(text) {
            return quoted(text, after: "'")
        }
        // Bytes, not Characters: a comma, quote, CR or LF followed by a combining mark (one
        // Character with it) or a CR LF pair still needs the quotes, and the scan is cheaper.
        if text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
            return quoted(text)
        }
        return text
    }

    /// `text` between quotes, each quote doubled (every `"` byte, also one a combining mark
    /// follows), after `prefix`.
    static func quoted(_ text: String, after prefix: String = "") -> String {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        bytes.reserveCapacity(text.utf8.count + prefix.utf8.count + 4)
        bytes.append(contentsOf: prefix.utf8)
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a spreadsheet could read `text` as a formula: it starts with one of the
    /// characters OWASP lists (`=`, `+`, `-`, `@`, tab, carriage return) and is not a plain
    /// decimal number.
    public static func startsFormula(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return false }
        return !isPlainNumber(text)
    }

    /// `[+-]digits[.digits][e[+-]digits]`, the numbers Folio writes.
    static func isPlainNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        func digits() -> Int {
            let n = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(n)
            return n
        }
        var count = digits()
        if bytes.first == UInt8(ascii: ".") { bytes = bytes.dropFirst(); count += digits() }
        guard count > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    /// The whole document: a header line, then one line per row.
    ///
    /// - Precondition: every row has as many fields as the header.
    /// - Complexity: O(total characters).
    public static func document(header: [String], rows: [[String]]) -> String {
        precondition(rows.allSatisfy { $0.count == header.count }, "One field per header column")
        return ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
