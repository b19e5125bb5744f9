import Foundation
import Yams

/// A parsed YAML (or JSON, which is YAML) file whose every value remembers its line and
/// column, with typed accessors that record a `FileIssue` instead of failing at the first
/// problem. Readers walk the document, then call `check()` to throw everything found at once.
///
/// Parsing is Yams' (libyaml); this layer only adds positions and Folio's error reporting, and
/// refuses anchors and aliases (see ``rejectAliases(_:file:)``).
struct YAMLDocument {
    let file: String
    var issues: IssueCollector
    let root: YAMLValue?

    /// Parses `text`. A syntax error is thrown at once with libyaml's line and column.
    init(parsing text: String, file: String) throws(FileError) {
        self.file = file
        self.issues = IssueCollector(file: file)
        do {
            let node = try Yams.compose(yaml: text)
            if let node { try Self.rejectAliases(node, file: file) }
            root = node.map { YAMLValue(node: $0, path: "", file: file) }
        } catch let error as FileError {
            throw error
        } catch let error as YamlError {
            throw FileError(file: file, issues: [Self.issue(for: error, file: file)])
        } catch {
            throw .unreadable(file, reason: "\(error)")
        }
    }

    /// Throws when the document repeats a node through an alias (`&name` ... `*name`): data
    /// files may not use anchors and aliases, which let a few kilobytes expand to millions of
    /// values (the "billion laughs" amplification). The composer hands an alias back as the
    /// anchored node itself, with the anchor's position, so a node met twice at the same
    /// position is an alias. Empty scalars are skipped (an empty value takes the position of
    /// the next token, which can be another empty value's).
    ///
    /// - Complexity: O(distinct nodes): the walk stops at the first repeated node.
    static func rejectAliases(_ root: Node, file: String) throws(FileError) {
        struct Place: Hashable { var kind: Int, line: Int, column: Int }
        var seen = Set<Place>()
        var stack = [root]
        while let node = stack.popLast() {
            let kind: Int
            switch node {
            case .scalar(let scalar):
                if scalar.string.isEmpty { continue }
                kind = 0
            case .mapping(let mapping):
                kind = 1
                for pair in mapping { stack.append(pair.key); stack.append(pair.value) }
            case .sequence(let sequence):
                kind = 2
                stack.append(contentsOf: sequence)
            }
            guard let mark = node.mark else { continue }
            if !seen.insert(Place(kind: kind, line: mark.line, column: mark.column)).inserted {
                throw FileError(file: file, issues: [FileIssue(
                    FileLocation(file: file, line: mark.line, column: mark.column),
                    found: "an alias (*) repeating the anchored value that starts here",
                    expected: "no YAML anchors (&) or aliases (*): write each value out")])
            }
        }
    }

    private static func issue(for error: YamlError, file: String) -> FileIssue {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return FileIssue(FileLocation(file: file, line: mark.line, column: mark.column), found: what,
                             expected: "valid YAML")
        case .composer(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return FileIssue(FileLocation(file: file, line: mark.line, column: mark.column), found: what,
                             expected: "valid YAML")
        default:
            return FileIssue(FileLocation(file: file), found: "\(error)", expected: "valid YAML")
        }
    }

    mutating func report(_ value: YAMLValue?, found: String? = nil, expected: String) {
        let location = value?.location ?? FileLocation(file: file, line: 1, column: 1)
        let shown = found ?? value?.text ?? ""
        issues.add(line: location.line, column: location.column, found: shown, expected: expected)
    }

    /// Throws every issue recorded so far.
    func check() throws(FileError) { try issues.check() }

    // MARK: Typed accessors (each records an issue and returns nil on a mismatch)

    mutating func mapping(_ value: YAMLValue?, _ what: String) -> [(key: String, keyValue: YAMLValue, value: YAMLValue)]? {
        guard let value else { report(nil, expected: what); return nil }
        guard case .mapping(let pairs) = value.node else { report(value, expected: what); return nil }
        return pairs.map { pair in
            let key = pair.key.string ?? ""
            let child = value.path.isEmpty ? key : "\(value.path).\(key)"
            return (key, YAMLValue(node: pair.key, path: child, file: file), YAMLValue(node: pair.value, path: child, file: file))
        }
    }

    mutating func sequence(_ value: YAMLValue?, _ what: String) -> [YAMLValue]? {
        guard let value else { report(nil, expected: what); return nil }
        guard case .sequence(let items) = value.node else { report(value, expected: what); return nil }
        return items.enumerated().map { YAMLValue(node: $1, path: "\(value.path)[\($0)]", file: file) }
    }

    mutating func string(_ value: YAMLValue?, _ what: String) -> String? {
        guard let value, case .scalar(let scalar) = value.node, !scalar.string.isEmpty else {
            report(value, expected: what); return nil
        }
        return scalar.string
    }

    /// A symbol in the documented syntax (``IdentifierText/symbol(_:)``: NFC, upper-cased).
    mutating func symbol(_ value: YAMLValue?, _ what: String) -> String? {
        guard let text = string(value, what) else { return nil }
        guard let symbol = IdentifierText.symbol(text) else { report(value, expected: IdentifierText.symbolSyntax); return nil }
        return symbol
    }

    /// A plain YAML number (a fraction, a rate). A `%` sign is an error, never divided by 100.
    mutating func double(_ value: YAMLValue?, _ what: String) -> Double? {
        guard let value, case .scalar(let scalar) = value.node,
              let number = Double(scalar.string.trimmed), number.isFinite else {
            report(value, expected: what); return nil
        }
        return number
    }

    /// The fields of a mapping by key; a key not in `allowed` is reported (unknown keys are
    /// errors, so a typo is never silently ignored).
    mutating func fields(_ value: YAMLValue?, _ what: String, allowed: Set<String>) -> [String: YAMLValue] {
        var result: [String: YAMLValue] = [:]
        for pair in mapping(value, what) ?? [] {
            if !allowed.contains(pair.key) {
                report(pair.keyValue, expected: "one of the keys " + allowed.sorted().joined(separator: ", "))
            } else if result[pair.key] != nil {
                report(pair.keyValue, expected: "each key once")
            } else {
                result[pair.key] = pair.value
            }
        }
        return result
    }

    /// Money, read exactly from the scalar's text (a YAML number or a string in the money
    /// syntax), never through `Double`.
    mutating func money(_ value: YAMLValue?, _ what: String) -> Decimal? {
        decimal(value, what)
    }

    mutating func decimal(_ value: YAMLValue?, _ what: String) -> Decimal? {
        guard let value, case .scalar(let scalar) = value.node, let number = NumberText.decimal(scalar.string) else {
            report(value, expected: what); return nil
        }
        return number
    }

    mutating func int(_ value: YAMLValue?, _ what: String) -> Int? {
        guard let value, case .scalar(let scalar) = value.node, let number = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else {
            report(value, expected: what); return nil
        }
        return number
    }

    mutating func bool(_ value: YAMLValue?, _ what: String) -> Bool? {
        guard let value, case .scalar(let scalar) = value.node else { report(value, expected: what); return nil }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: report(value, expected: what); return nil
        }
    }

    mutating func date(_ value: YAMLValue?, _ what: String) -> Date? {
        guard let value, case .scalar(let scalar) = value.node, let date = ISODate.parse(scalar.string) else {
            if let value, case .scalar(let scalar) = value.node, DateOrder.isAmbiguous(scalar.string) {
                report(value, expected: what + "; \(scalar.string) could be month-first or day-first: write it as YYYY-MM-DD")
            } else {
                report(value, expected: what)
            }
            return nil
        }
        return date
    }
}

/// One node of a `YAMLDocument` with its dotted path (`targets.VTI`) and position.
struct YAMLValue {
    let node: Node
    let path: String
    let file: String

    var location: FileLocation {
        FileLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    /// The scalar text, or a short description of a collection.
    var text: String {
        switch node {
        case .scalar(let scalar): return scalar.string
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// Whether the node is a YAML null (`~`, `null`, or empty).
    var isNull: Bool { node.null != nil }
}

/// Calendar dates in files: ISO `YYYY-MM-DD`, and the `MM/DD/YYYY` custodians export.
enum ISODate {
    private static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// Midnight UTC of the date written in `text`, or nil when it is not a valid date:
    /// `YYYY-MM-DD`, or `A/B/YYYY` read in `order`; without an order, a slash date only when
    /// it reads as one date (`06/13/2016`, `25/12/2025`, `05/05/2025`), never `03/04/2025`.
    static func parse(_ text: String, order: DateOrder? = nil) -> Date? {
        let t = text.trimmed
        let year: Int, month: Int, day: Int
        if t.count == 10, t.dropFirst(4).first == "-" {
            let parts = t.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { return nil }
            (year, month, day) = (parts[0], parts[1], parts[2])
        } else if let (a, b, y) = DateOrder.slashParts(t), y >= 1900 {
            switch order ?? DateOrder.decided(by: t) {
            case .monthFirst: (year, month, day) = (y, a, b)
            case .dayFirst: (year, month, day) = (y, b, a)
            case nil:
                guard a == b else { return nil }
                (year, month, day) = (y, a, b)
            }
        } else {
            return nil
        }
        guard (1...12).contains(month), (1...31).contains(day), (1800...2200).contains(year) else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day else { return nil }
        return date
    }

    /// `YYYY-MM-DD` for `date` (UTC).
    static func format(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
