import ArgumentParser
import Folio
import Foundation

/// `folio`: portfolio construction and rebalancing from the command line.
///
/// Exit status: 0 success, 1 a problem in the data (each on one line of stderr, naming the
/// file, line and column), 2 a usage error.
@main
struct FolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "Portfolio construction and rebalancing: risk models, optimizers, tax-aware trade lists.",
        discussion: """
        Examples (bundled synthetic sample data):
          folio rebalance --holdings Examples/Data/households/couple/holdings.csv \\
            --targets Examples/Data/households/couple/targets.yaml \\
            --policy Examples/Data/households/couple/policy.yaml \\
            --prices Examples/Data/prices.csv --output plan/

        Exit status: 0 success, 1 a problem in the data, 2 a usage error.
        """,
        version: "0.1.0",
        subcommands: [RebalanceCommand.self, BatchCommand.self, BacktestCommand.self, OptimizeCommand.self, CovarianceCommand.self, FrontierCommand.self, RiskCommand.self, AllocateCommand.self, ProfileCommand.self, CheckCommand.self, GoalsCommand.self, SegmentCommand.self]
    )

    static func main() {
        var verbose = false
        do {
            var command = try parseAsRoot()
            verbose = (command as? any FolioSubcommand)?.common.verbose ?? false
            try command.run()
        } catch let failure as DataFailure {
            for line in failure.lines(verbose: verbose) { FileHandle.standardError.write(Data("error: \(TerminalText.escaped(line, keepingNewlines: false))\n".utf8)) }
            Foundation.exit(1)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            // A usage error quotes the argument: escape sequences in it are shown, not run.
            FileHandle.standardError.write(Data((TerminalText.escaped(fullMessage(for: error)) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// Output formats of the commands that print results.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}
