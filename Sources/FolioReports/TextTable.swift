/// A table of text for a terminal: a header, rows, right-aligned numeric columns, and a
/// total width kept within a limit (100 columns by default) by shortening the widest text
/// column with an ellipsis.
public struct TextTable: Sendable {
    /// How a column aligns its cells.
    public enum Alignment: Sendable { case left, right }

    /// One column: its title and alignment.
    public struct Column: Sendable {
        /// The header text.
        public var title: String
        /// How cells align (numbers read best right-aligned).
        public var alignment: Alignment
        /// A column titled `title`, aligned `alignment`.
        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    /// The columns, left to right.
    public var columns: [Column]
    /// The rows; each has one cell per column.
    public var rows: [[String]]

    /// An empty table with these columns.
    public init(columns: [Column], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// Appends a row.
    ///
    /// - Precondition: one cell per column.
    public mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "One cell per column")
        rows.append(row)
    }

    /// The table as lines of at most `maxWidth` characters: header, a rule, the rows. Control
    /// characters and bidirectional overrides in a cell are shown escaped (``TerminalText``).
    ///
    /// - Complexity: O(cells).
    public func render(maxWidth: Int = 100) -> String {
        guard !columns.isEmpty else { return "" }
        // Control characters would move the cursor and break the alignment: escaped first.
        let rows = rows.map { $0.map { TerminalText.escaped($0, keepingNewlines: false) } }
        let columns = columns.map { Column(TerminalText.escaped($0.title, keepingNewlines: false), $0.alignment) }
        var widths = columns.indices.map { c in max(columns[c].title.count, rows.map { $0[c].count }.max() ?? 0) }
        let separator = 2
        var total = widths.reduce(0, +) + separator * (widths.count - 1)
        // Shrink left-aligned (text) columns, widest first, down to 8 characters.
        while total > maxWidth {
            guard let c = widths.indices.filter({ columns[$0].alignment == .left && widths[$0] > 8 })
                .max(by: { widths[$0] < widths[$1] }) else { break }
            widths[c] -= 1
            total -= 1
        }
        func cell(_ text: String, _ c: Int) -> String {
            var t = text
            if t.count > widths[c] { t = String(t.prefix(max(widths[c] - 1, 0))) + "…" }
            let pad = String(repeating: " ", count: widths[c] - t.count)
            return columns[c].alignment == .right ? pad + t : t + pad
        }
        func line(_ cells: [String]) -> String {
            cells.indices.map { cell(cells[$0], $0) }.joined(separator: "  ").trailingSpacesTrimmed
        }
        var lines = [line(columns.map(\.title)), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += rows.map(line)
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// The text broken at spaces into lines of at most `width` characters; the first line
    /// keeps the text's leading spaces, continuation lines start with `indent`. A word longer
    /// than a line is left whole.
    func wrapped(width: Int, indent: String) -> String {
        let lead = prefix { $0 == " " }
        var lines: [String] = []
        var line = String(lead)
        var lineHasWord = false
        for word in dropFirst(lead.count).split(separator: " ") {
            if !lineHasWord {
                line += word
                lineHasWord = true
            } else if line.count + 1 + word.count > width {
                lines.append(line)
                line = indent + word
            } else {
                line += " " + word
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    var trailingSpacesTrimmed: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
