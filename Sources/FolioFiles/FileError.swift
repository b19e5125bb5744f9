/// Where in a file a problem sits: path, one-based line and column.
public struct FileLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file's path as given by the caller.
    public var file: String
    /// One-based line number (0 when the problem concerns the whole file).
    public var line: Int
    /// One-based column, counted in characters (0 when it concerns a whole line).
    public var column: Int

    /// A location in `file` at `line` and `column` (both one-based).
    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form compilers and editors understand.
    public var description: String {
        line == 0 ? file : column == 0 ? "\(file):\(line)" : "\(file):\(line):\(column)"
    }
}

/// One problem found in an input file: where, what was found and what was expected.
public struct FileIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where the problem is. In a CSV file the column is the field number (one-based).
    public var location: FileLocation
    /// The CSV column's header, when the problem is in a CSV field.
    public var columnName: String?
    /// The offending text as it appears in the file (empty when something is missing).
    public var found: String
    /// What the reader expected there, in words.
    public var expected: String

    /// An issue at `location`: `found` is what the file held, `expected` what should be there.
    public init(_ location: FileLocation, columnName: String? = nil, found: String, expected: String) {
        self.location = location
        self.columnName = columnName
        self.found = found
        self.expected = expected
    }

    /// One readable line: `holdings.csv:12:5 (Quantity): found "abc", expected a quantity`.
    public var description: String {
        let shown = found.count > 60 ? String(found.prefix(57)) + "..." : found
        let place = columnName.map { "\(location) (\($0))" } ?? "\(location)"
        return found.isEmpty
            ? "\(place): expected \(expected)"
            : "\(place): found \"\(shown)\", expected \(expected)"
    }
}

/// Everything wrong with one input file, reported at once (up to `FileError.limit` issues),
/// or a file that could not be read at all.
public struct FileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The most issues one error collects; past it the reader stops and says so.
    public static let limit = 100

    /// The file's path as given by the caller.
    public var file: String
    /// The problems found, in file order.
    public var issues: [FileIssue]
    /// Whether reading stopped at `limit` issues (more may follow).
    public var truncated: Bool

    /// An error for `file` listing `issues`.
    public init(file: String, issues: [FileIssue], truncated: Bool = false) {
        self.file = file
        self.issues = issues
        self.truncated = truncated
    }

    /// A file that could not be opened or decoded at all.
    public static func unreadable(_ file: String, reason: String) -> FileError {
        FileError(file: file, issues: [FileIssue(FileLocation(file: file), found: "", expected: "a readable file (\(reason))")])
    }

    /// One line per issue, each `file:line:column: ...`.
    public var description: String {
        var lines = issues.map(\.description)
        if truncated { lines.append("\(file): ... and more problems (stopped after \(FileError.limit))") }
        return lines.joined(separator: "\n")
    }
}

/// Collects issues while a reader walks a file, so that every problem is reported at once.
struct IssueCollector {
    let file: String
    /// The most issues kept; past it `truncated` is set.
    let limit: Int
    private(set) var issues: [FileIssue] = []
    private(set) var truncated = false

    init(file: String, limit: Int = FileError.limit) {
        self.file = file
        self.limit = limit
    }

    var isFull: Bool { issues.count >= limit }

    mutating func add(line: Int, column: Int, columnName: String? = nil, found: String, expected: String) {
        guard !isFull else { truncated = true; return }
        issues.append(FileIssue(FileLocation(file: file, line: line, column: column), columnName: columnName,
                                found: found, expected: expected))
    }

    /// Throws the collected issues, if any.
    func check() throws(FileError) {
        if !issues.isEmpty { throw Self.error(file: file, issues, truncated: truncated) }
    }

    /// Splits the issues of a book by account, for a reader isolating account errors: the
    /// issues `owner` gives an account reject that account (at most `FileError.limit` of them
    /// listed, each account counted on its own), the others (the header's) throw for the file.
    ///
    /// - Complexity: O(issues × log issues).
    func byAccount(owner: [Int: String]) throws(FileError) -> [String: FileError] {
        let global = issues.indices.filter { owner[$0] == nil }.map { issues[$0] }
        if !global.isEmpty || truncated { throw Self.error(file: file, global, truncated: truncated) }
        var grouped: [String: [FileIssue]] = [:]
        for (k, issue) in issues.enumerated() { grouped[owner[k]!, default: []].append(issue) }
        return grouped.mapValues { Self.error(file: file, $0, truncated: false) }
    }

    /// A `FileError` with `issues` in file order (whatever order the reader found them in),
    /// at most `FileError.limit` of them.
    private static func error(file: String, _ issues: [FileIssue], truncated: Bool) -> FileError {
        let sorted = issues.enumerated().sorted {
            ($0.element.location.line, $0.element.location.column, $0.offset) < ($1.element.location.line, $1.element.location.column, $1.offset)
        }.map(\.element)
        return FileError(file: file, issues: Array(sorted.prefix(FileError.limit)), truncated: truncated || sorted.count > FileError.limit)
    }
}
