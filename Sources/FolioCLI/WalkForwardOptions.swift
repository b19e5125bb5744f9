import ArgumentParser
import Foundation

/// The walk-forward half of `folio backtest`: with `--prices` and no `--holdings`, the command
/// evaluates optimizer configurations out of sample over the prices file.
///
/// `BacktestCommand` includes these options with `@OptionGroup` and calls ``run(prices:format:report:)``
/// when no holdings are given.
struct WalkForwardOptions: ParsableArguments {
    /// Whether the walk-forward mode was asked for.
    var isRequested: Bool { false }

    /// Runs the walk-forward evaluation over the prices file; returns the text to print on stdout
    /// and writes the HTML report when `report` is given.
    func run(prices: URL, format: OutputFormat, report: URL?) throws -> String {
        throw ValidationError("walk-forward backtests are not built yet")
    }
}
