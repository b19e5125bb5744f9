import ArgumentParser
import Folio
import Foundation

/// Options every subcommand has, declared once.
struct CommonOptions: ParsableArguments {
    @Flag(help: "More detail: every problem found in a file (not only the first \(DataFailure.briefIssueCount)), the underlying error, and notes about how the files were read.")
    var verbose = false
}

/// How the holdings' dates with slashes are read (rebalance, batch, backtest).
struct DateFormatOptions: ParsableArguments {
    @Option(name: .customLong("date-format"),
            help: "How the holdings' slash dates read: MM/DD/YYYY or DD/MM/YYYY (default: as the file's own dates decide; a date such as 03/04/2025 that none decides is an error).")
    var dateFormat: String?

    /// The order given, or nil (each file's dates decide).
    var order: DateOrder? { dateFormat.flatMap(DateOrder.init(format:)) }

    func validate() throws {
        if let dateFormat, DateOrder(format: dateFormat) == nil {
            throw ValidationError("--date-format must be MM/DD/YYYY (month first) or DD/MM/YYYY (day first), not \(dateFormat)")
        }
    }
}

/// The output format of the subcommands that print a result.
struct FormatOptions: ParsableArguments {
    @Option(help: "Output format on stdout: table, json or csv (profile and goals print the table for csv).")
    var format: OutputFormat = .table
}

/// A subcommand with the common options; `FolioCommand.main` reads `--verbose` through it.
protocol FolioSubcommand: ParsableCommand {
    /// The options every subcommand has.
    var common: CommonOptions { get }
}

/// A failure caused by the data (exit status 1): one readable line per problem, and the
/// error behind it for `--verbose`.
struct DataFailure: Error {
    /// How many problems of one file are printed without `--verbose`.
    static let briefIssueCount = 5

    /// Every line of the failure.
    var lines: [String]
    /// The error behind the failure, when there is one.
    var cause: (any Error)?

    init(_ error: any Error) {
        // A failure already worded (by a shared option group) passes through unchanged.
        if let failure = error as? DataFailure { self = failure; return }
        cause = error
        lines = String(describing: error).split(separator: "\n").map(String.init)
    }

    init(lines: [String]) { self.lines = lines }

    /// The problems in the files behind the failure (nil when it is not about a file).
    var fileError: FileError? {
        switch cause {
        case let error as FileError: return error
        case let error as InputError: if case .file(let f) = error { return f } else { return nil }
        default: return nil
        }
    }

    /// The lines to print: without `verbose`, at most `briefIssueCount` problems of a file and
    /// a line saying how many more there are; with it, every line and the underlying error.
    func lines(verbose: Bool) -> [String] {
        if verbose {
            guard let cause else { return lines }
            return lines + ["cause: " + Self.structure(of: cause)]
        }
        guard let file = fileError, file.issues.count > Self.briefIssueCount else { return lines }
        let more = file.issues.count - Self.briefIssueCount
        return file.issues.prefix(Self.briefIssueCount).map(\.description)
            + ["\(file.file): \(more)\(file.truncated ? "+" : "") more problem\(more == 1 ? "" : "s") (--verbose lists them all)"]
    }

    /// The error's type and contents as the program holds them, e.g.
    /// `InputError.file(FileError(file: "p.csv", issues: [12 items], truncated: false))`: which
    /// library error it was and what it carries, beyond its message.
    static func structure(of value: Any, depth: Int = 0) -> String {
        let mirror = Mirror(reflecting: value)
        let type = String(describing: Swift.type(of: value))
        guard depth < 8 else { return type + "(...)" }
        let fields = { (children: Mirror.Children) in
            children.map { ($0.label.map { "\($0): " } ?? "") + structure(of: $0.value, depth: depth + 1) }.joined(separator: ", ")
        }
        switch mirror.displayStyle {
        case .enum:
            guard let child = mirror.children.first else { return "\(type).\(value)" }
            let payload = Mirror(reflecting: child.value)
            let inner = payload.displayStyle == .tuple ? fields(payload.children) : structure(of: child.value, depth: depth + 1)
            return "\(type).\(child.label ?? "?")(\(inner))"
        case .struct, .class:
            return "\(type)(\(fields(mirror.children)))"
        case .tuple:
            return "(\(fields(mirror.children)))"
        case .collection, .set, .dictionary:
            let count = mirror.children.count
            return count <= 3 ? "[\(fields(mirror.children))]" : "[\(count) items]"
        case .optional:
            return mirror.children.first.map { structure(of: $0.value, depth: depth) } ?? "nil"
        default:
            guard let text = value as? String else { return "\(value)" }
            return "\"" + (text.count > 60 ? text.prefix(57) + "..." : text) + "\""
        }
    }
}
