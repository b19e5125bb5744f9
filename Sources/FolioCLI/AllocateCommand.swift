import ArgumentParser
import Folio
import Foundation

/// How `folio allocate` turns weights into whole shares.
enum AllocationMethod: String, ExpressibleByArgument, CaseIterable {
    /// PyPortfolioOpt's greedy_portfolio.
    case greedy
    /// Least total deviation by branch and bound (PyPortfolioOpt's lp_portfolio objective).
    case exact
}

/// `folio allocate`: whole shares from target weights, latest prices and a budget.
struct AllocateCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "allocate",
        abstract: "Whole shares from target weights, latest prices and a budget, with the cash left over.",
        discussion: """
        --weights is a targets file by symbol (what `folio optimize --write-targets` writes); a CASH line, or weights summing below 1, stay in cash. Each symbol's price is its latest in --prices: a prices history (wide or long) or a price list (a CSV with symbol and price columns). Money is exact: invested plus leftover is the budget to the cent.

        --method greedy is PyPortfolioOpt's greedy_portfolio (the floors of every target, then one share at a time of the most underweight affordable symbol); --method exact (default) minimizes the total deviation sum |target value - bought value| + leftover by branch and bound, never worse than greedy, and says whether it proved optimality.

        JSON: method, budget, invested, leftover, deviation, isProvenOptimal, lines (symbol, shares, price, value, targetWeight, achievedWeight). --format csv prints the trades (symbol,side,quantity,price,value).

        Example:
          folio allocate --prices Examples/Data/prices.csv --budget 25000 \\
            --weights Examples/Data/households/young-accumulator/targets.yaml \\
            --method greedy --write-trades trades.csv
        """)

    @Option(help: "Target weights file (the targets format, by symbol).")
    var weights: String

    @Option(help: "Prices file (CSV, wide or long; each symbol's latest price is used) or a price list (CSV with symbol and price columns).")
    var prices: String

    // `.unconditional`: `--budget -5` is refused by name, never "Missing value".
    @Option(parsing: .unconditional, help: "The money to allocate, a positive amount, e.g. 25000 or $25,000.00.")
    var budget: MoneyAmount

    @Option(help: "greedy or exact (default).")
    var method: AllocationMethod = .exact

    @Option(name: .customLong("write-trades"), help: "Also write the buys as a trades CSV (symbol,side,quantity,price,value).")
    var writeTrades: String?

    @Option(name: .customLong("write-targets"), help: "Also write the achieved weights (leftover as CASH) as a targets file.")
    var writeTargets: String?

    @OptionGroup var formatOptions: FormatOptions

    @OptionGroup var common: CommonOptions

    func run() throws {
        let target: TargetAllocation, latest: [String: Decimal]
        do {
            target = try TargetsReader.read(contentsOf: URL(fileURLWithPath: weights))
            latest = try PriceListReader.latestPrices(contentsOf: URL(fileURLWithPath: prices))
        } catch {
            throw DataFailure(error)
        }
        guard !target.isByAssetClass else { throw DataFailure(lines: ["\(weights): give weights by symbol (targets:), not by asset class"]) }
        let lines = target.securityWeights.filter { $0.symbol != TargetAllocation.cashSymbol && $0.weight > 0 }
        let missing = lines.filter { latest[$0.symbol] == nil }.map(\.symbol)
        guard missing.isEmpty else { throw DataFailure(lines: ["\(prices): no price for \(missing.joined(separator: ", ")) (named in \(weights))"]) }
        let symbols = lines.map(\.symbol), w = lines.map(\.weight), p = lines.map { latest[$0.symbol]! }
        let amount = budget.value
        guard !symbols.isEmpty else { throw DataFailure(lines: ["\(weights): no symbol with a positive weight besides CASH"]) }
        let report: AllocationReport
        do {
            let problem = DiscreteAllocation(weights: w, prices: p, portfolioValue: amount)
            let result = method == .greedy ? try problem.greedy() : try problem.minimizingDeviation()
            report = AllocationReport(method: method.rawValue, symbols: symbols, targetWeights: w, prices: p, budget: amount, result: result)
        } catch {
            throw DataFailure(error)
        }
        try render(formatOptions.format, table: { report.table(width: $0) }, json: report.json, csv: report.tradesCSV)
        do {
            if let writeTrades { try AtomicFile.write(report.tradesCSV(), to: URL(fileURLWithPath: writeTrades)) }
            if let writeTargets {
                try TargetsWriter.write(weights: report.achievedTargets, comment: ["folio allocate --method \(method.rawValue): achieved weights, leftover as CASH"],
                                        to: URL(fileURLWithPath: writeTargets))
            }
        } catch {
            throw DataFailure(error)
        }
    }
}
