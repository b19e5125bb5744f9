extension Matrix: CustomStringConvertible {
    /// The matrix printed row by row with aligned columns; large matrices show their corners.
    public var description: String {
        let shownRows = rows <= 12 ? Array(0..<rows) : Array(0..<5) + [-1] + Array((rows - 5)..<rows)
        let shownColumns = columns <= 10 ? Array(0..<columns) : Array(0..<4) + [-1] + Array((columns - 4)..<columns)
        var cells: [[String]] = []
        for i in shownRows {
            cells.append(shownColumns.map { j in
                if i < 0 { return j < 0 ? "⋱" : "⋮" }
                if j < 0 { return "…" }
                return Self.format(self[i, j])
            })
        }
        let width = cells.joined().map(\.count).max() ?? 0
        let body = cells.map { row in
            "  " + row.map { String(repeating: " ", count: width - $0.count) + $0 }.joined(separator: "  ")
        }
        return (["\(rows)×\(columns) Matrix"] + body).joined(separator: "\n")
    }

    private static func format(_ x: Double) -> String {
        if x == 0 { return "0" }
        if !x.isFinite { return "\(x)" }
        let magnitude = abs(x)
        if magnitude >= 1e-4 && magnitude < 1e6 {
            var text = String(x)
            if let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) > 7 {
                text = String(text[..<text.index(dot, offsetBy: 7)])
            }
            return text
        }
        return String(x)
    }
}
