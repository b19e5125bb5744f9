/// Writes CSV (RFC 4180): fields with a comma, quote or line break are quoted, quotes doubled,
/// lines end with `\n`.
public enum CSVWriter {
    /// One field, quoted when it needs to be.
    public static func field(_ text: String) -> String {
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
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
