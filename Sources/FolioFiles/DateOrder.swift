import Foundation

/// How a date written with slashes is read: `03/04/2025` is March 4 month-first
/// (`MM/DD/YYYY`, United States custodians) and 3 April day-first (`DD/MM/YYYY`, most of the
/// rest of the world). ISO dates (`2025-03-04`) are read the same under either.
///
/// A column of dates in a CSV file is read in the order its own dates decide (a date such as
/// `06/13/2016` can only be month-first, `25/12/2025` only day-first); when none decides,
/// a slash date whose day and month could be swapped (`03/04/2025`) is an error unless the
/// order is given (`--date-format`). In YAML and JSON files a slash date must decide itself.
public enum DateOrder: String, Sendable, CaseIterable {
    /// `MM/DD/YYYY`.
    case monthFirst = "MM/DD/YYYY"
    /// `DD/MM/YYYY`.
    case dayFirst = "DD/MM/YYYY"

    /// The order a `--date-format` text names: `MM/DD/YYYY` or `DD/MM/YYYY` (any case; `-`
    /// or `.` for `/`), or `month-first` / `day-first`; nil for anything else.
    ///
    /// - Complexity: O(text length).
    public init?(format text: String) {
        let t = text.uppercased().replacingOccurrences(of: "-", with: "/").replacingOccurrences(of: ".", with: "/")
        switch t {
        case "MM/DD/YYYY", "M/D/YYYY", "MONTH/FIRST": self = .monthFirst
        case "DD/MM/YYYY", "D/M/YYYY", "DAY/FIRST": self = .dayFirst
        default: return nil
        }
    }

    /// What the order is, in words, for messages: `month-first (MM/DD/YYYY)`.
    public var words: String {
        switch self {
        case .monthFirst: "month-first (MM/DD/YYYY)"
        case .dayFirst: "day-first (DD/MM/YYYY)"
        }
    }

    /// The three numbers of a slash date `A/B/YYYY` (a four-digit year), or nil.
    static func slashParts(_ text: String) -> (first: Int, second: Int, year: Int)? {
        let t = text.trimmed
        guard t.contains("/") else { return nil }
        let parts = t.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) }),
              let a = Int(parts[0]), let b = Int(parts[1]), let y = Int(parts[2]) else { return nil }
        return (a, b, y)
    }

    /// The order `text` alone decides: month-first when its second number is over 12 and its
    /// first is not, day-first the other way round; nil when it does not decide (either
    /// order reads it, or neither does, or it is not a slash date).
    static func decided(by text: String) -> DateOrder? {
        guard let (a, b, _) = slashParts(text) else { return nil }
        if a > 12 && (1...12).contains(b) { return .dayFirst }
        if b > 12 && (1...12).contains(a) { return .monthFirst }
        return nil
    }

    /// Whether `text` is a slash date that reads as two different valid dates.
    static func isAmbiguous(_ text: String) -> Bool {
        guard let (a, b, _) = slashParts(text), a != b else { return false }
        return ISODate.parse(text, order: .monthFirst) != nil && ISODate.parse(text, order: .dayFirst) != nil
    }

    /// The order a column's dates decide: the first date that decides alone, with its index
    /// among `texts`; nil when none does.
    ///
    /// - Complexity: O(cells).
    static func inferred(from texts: [String]) -> (order: DateOrder, index: Int)? {
        for (i, text) in texts.enumerated() { if let order = decided(by: text) { return (order, i) } }
        return nil
    }
}

/// How the dates of one CSV column are read, decided once per file: the order given, else
/// the one the column's dates decide, else none (an ambiguous date is then an error).
package struct ColumnDates: Sendable {
    /// The order dates are read in; nil reads only dates that decide alone.
    let order: DateOrder?
    /// Why that order, for messages: "as line 3's 06/13/2016 shows" or "as given".
    let because: String
    /// A note for the report when the order was inferred and the column has a date it
    /// decided (one that either order reads); nil otherwise.
    let note: String?
    /// The option that sets the order, when the file's reader has one.
    let option: String?

    /// Decides the order of `cells` (text and line) in `file`: `given` when set, else the
    /// first date that decides alone. `option` names the setting that gives the order
    /// (nil when the file's reader has none).
    ///
    /// - Complexity: O(cells).
    package init(cells: [(text: String, line: Int)], given: DateOrder?, file: String, option: String? = "--date-format") {
        self.option = option
        if let given {
            order = given
            because = "as \(option ?? "the caller") \(given.rawValue) says"
            note = nil
            return
        }
        let name = (file as NSString).lastPathComponent
        if let (order, index) = DateOrder.inferred(from: cells.map(\.text)) {
            self.order = order
            because = "as line \(cells[index].line)'s \(cells[index].text.trimmed) shows"
            note = cells.first { DateOrder.isAmbiguous($0.text) }.map { _ in
                "\(name): dates read \(order.words), as line \(cells[index].line)'s \(cells[index].text.trimmed) shows"
                    + (option.map { " (give \($0) to read them otherwise)" } ?? "")
            }
        } else {
            order = nil
            because = ""
            note = nil
        }
    }

    /// The date in `text`, or nil.
    func parse(_ text: String) -> Date? { ISODate.parse(text, order: order) }

    /// What a cell that did not parse should have been: for an ambiguous date, why it is
    /// refused and how to say the order; otherwise `example`, with the column's order.
    func expectation(for text: String, example: String) -> String {
        if order == nil, DateOrder.isAmbiguous(text), let (a, b, y) = DateOrder.slashParts(text) {
            let iso = { (m: Int, d: Int) in String(format: "%04d-%02d-%02d", y, m, d) }
            return "a date that is not ambiguous: \(text.trimmed) is \(iso(a, b)) month-first or \(iso(b, a)) day-first and no date in the column decides; "
                + (option.map { "give \($0) MM/DD/YYYY or DD/MM/YYYY, or " } ?? "") + "write ISO dates (YYYY-MM-DD)"
        }
        guard let order else { return example }
        return example + "; this column's dates are \(order.words), \(because)"
    }
}
