import ArgumentParser
import Folio
import Foundation

/// `folio backtest`: policies side by side on a price history, after tax (with `--holdings`),
/// or optimizers walk-forward (without; see `WalkForwardOptions`).
struct BacktestCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest rebalancing policies on a household after tax, or optimizers walk-forward.",
        discussion: """
        With --holdings: walks the household along the prices file (any frequency) under each --policy, side by side on the same path, and prints the metrics per policy: ending wealth before tax, after tax and after a liquidation tax, taxes by year, realized gains by term, tracking error and drift against the target, turnover, trades, costs, and tax alpha against the baseline. Each rebalance is a plan of the household planner (the one `folio rebalance` uses), applied to the lots; taxes are settled every year (short/long netting, a 3,000 yearly loss deduction, losses carried forward). Policies: \(BacktestPolicy.builtInNames.joined(separator: ", ")), or a policy file (its trigger and mode). What the metrics mean and do not prove: Documentation/Backtesting.md.

        Without --holdings: the walk-forward evaluation of optimizers over the prices file (Documentation/WalkForward.md).

        Example:
          folio backtest --holdings Examples/Data/backtest/holdings.csv \\
            --targets Examples/Data/backtest/targets.yaml \\
            --base-policy Examples/Data/backtest/policy.yaml \\
            --securities Examples/Data/securities.csv \\
            --prices Examples/Data/prices.csv --policy quarterly \\
            --policy bands-5-25 --policy cash-flow-only --policy never \\
            --cash-flow Z88-204611=1500/quarterly --baseline never \\
            --report backtest.html
        """)

    @Option(help: "Prices file (CSV, wide or long), at any frequency: the path walked.")
    var prices: String

    @Option(help: "Holdings file (CSV or JSON) on the first date; lots acquired on or before it. Without it, the walk-forward backtest runs.")
    var holdings: String?

    @Option(help: "Targets file (YAML or JSON).")
    var targets: String?

    @Option(parsing: .singleValue, help: "A policy to compare: a built-in name (\(BacktestPolicy.builtInNames.joined(separator: ", "))) or a policy file; repeatable (default: quarterly, bands-5-25, cash-flow-only, never).")
    var policy: [String] = []

    @Option(name: .customLong("base-policy"), help: "Policy file whose standing rules (costs, lots, tax rates, reserve, asset location) the built-in policies use (default: tax-minimizing lots, 37%/20% rates, no costs).")
    var basePolicy: String?

    @Option(help: "Securities file (CSV): asset class, fractional shares, lot size, wash-sale group.")
    var securities: String?

    @Option(name: .customLong("total-return"), help: "Total-return index file, same layout as the prices: dividends are read from the two series.")
    var totalReturn: String?

    @Option(name: .customLong("dividend-yield"), parsing: .unconditionalSingleValue, help: "SYMBOL=YIELD, an annual dividend yield (fraction) paid quarterly, for a symbol without a total-return series; repeatable.")
    var dividendYields: [String] = []

    @Option(name: .customLong("cash-flow"), parsing: .unconditionalSingleValue, help: "ACCOUNT=AMOUNT/FREQUENCY, a deposit (positive) or withdrawal (negative) every month, quarter, half-year or year (monthly, quarterly, semi-annual, annual); repeatable.")
    var cashFlows: [String] = []

    @Option(name: .customLong("tax-payment"), help: "Who pays each year's tax: taxable (from the first taxable account, selling if needed) or outside.")
    var taxPayment: TaxPaymentChoice = .taxable

    @Option(help: "The policy tax alpha is measured against (default: the first --policy).")
    var baseline: String?

    @Option(help: "First date, YYYY-MM-DD (default: the prices' first date).")
    var start: String?

    @Option(help: "Last date, YYYY-MM-DD (default: the prices' last date).")
    var end: String?

    @OptionGroup var formatOptions: FormatOptions

    @Option(help: "Folder to write backtest.json, backtest.csv and report.html into.")
    var output: String?

    @Option(help: "Write the HTML report (wealth paths and drift over time) to this file.")
    var report: String?

    @OptionGroup var dates: DateFormatOptions

    @OptionGroup var walkForward: WalkForwardOptions

    @OptionGroup var common: CommonOptions

    enum TaxPaymentChoice: String, ExpressibleByArgument, CaseIterable {
        case taxable, outside
    }

    func validate() throws {
        for (name, text) in [("--start", start), ("--end", end)] {
            if let text, RebalanceCommand.parseDate(text) == nil { throw ValidationError("\(name) must be a date YYYY-MM-DD, not \(text)") }
        }
        for flow in cashFlows where Self.parseFlow(flow) == nil {
            throw ValidationError("--cash-flow must be ACCOUNT=AMOUNT/FREQUENCY (e.g. Z41-583920=500/monthly), not \(flow)")
        }
        for y in dividendYields where Self.parseYield(y) == nil {
            throw ValidationError("--dividend-yield must be SYMBOL=YIELD with a fraction in [0, 1] (e.g. FUSLC=0.015), not \(y)")
        }
        if holdings != nil {
            guard targets != nil else { throw ValidationError("--targets is required with --holdings") }
            if walkForward.isRequested { throw ValidationError("the walk-forward options apply without --holdings") }
        } else {
            let policyOnly: [(String, Bool)] = [
                ("--targets", targets != nil), ("--policy", !policy.isEmpty), ("--base-policy", basePolicy != nil),
                ("--securities", securities != nil), ("--total-return", totalReturn != nil), ("--dividend-yield", !dividendYields.isEmpty),
                ("--cash-flow", !cashFlows.isEmpty), ("--baseline", baseline != nil), ("--output", output != nil),
                ("--date-format", dates.dateFormat != nil),
            ]
            if let (name, _) = policyOnly.first(where: \.1) {
                throw ValidationError("\(name) applies to the policy backtest: give --holdings (without it, the walk-forward backtest runs)")
            }
        }
    }

    func run() throws {
        guard let holdings, let targets else {
            let text = try walkForward.run(prices: URL(fileURLWithPath: prices), format: formatOptions.format,
                                           report: report.map { URL(fileURLWithPath: $0) })
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            return
        }
        let names = policy.isEmpty ? ["quarterly", "bands-5-25", "cash-flow-only", "never"] : policy
        let comparison: BacktestComparison, inputs: BacktestInputs
        do {
            inputs = try BacktestInputs.load(
                holdings: URL(fileURLWithPath: holdings), targets: URL(fileURLWithPath: targets), prices: URL(fileURLWithPath: prices),
                totalReturn: totalReturn.map { URL(fileURLWithPath: $0) }, policies: names,
                basePolicy: basePolicy.map { URL(fileURLWithPath: $0) }, securities: securities.map { URL(fileURLWithPath: $0) },
                start: start.flatMap(RebalanceCommand.parseDate), end: end.flatMap(RebalanceCommand.parseDate),
                dateOrder: dates.order)
            let settings = BacktestSettings(
                cashFlows: cashFlows.compactMap(Self.parseFlow), taxPayment: taxPayment == .taxable ? .fromTaxableAccount : .fromOutside,
                dividendYields: Dictionary(dividendYields.compactMap(Self.parseYield), uniquingKeysWith: { _, last in last }),
                baseline: baseline)
            comparison = try inputs.backtester(settings: settings).compare(inputs.household, prices: inputs.prices, policies: inputs.policies)
        } catch {
            throw DataFailure(error)
        }
        let title = URL(fileURLWithPath: holdings).deletingLastPathComponent().lastPathComponent
        let backtestReport = BacktestReport(title: title.isEmpty ? "Holdings" : title, comparison: comparison, notes: inputs.notes)
        switch formatOptions.format {
        case .table: print(backtestReport.table(), terminator: "")
        case .json: FileHandle.standardOutput.write(try backtestReport.json())
        case .csv: print(backtestReport.csv(), terminator: "")
        }
        do {
            if let output {
                let folder = URL(fileURLWithPath: output)
                try AtomicFile.write([
                    (try backtestReport.json(), folder.appendingPathComponent("backtest.json")),
                    (Data(backtestReport.csv().utf8), folder.appendingPathComponent("backtest.csv")),
                    (Data(backtestReport.html().utf8), folder.appendingPathComponent("report.html")),
                ])
            }
            if let report { try AtomicFile.write(backtestReport.html(), to: URL(fileURLWithPath: report)) }
        } catch {
            throw DataFailure(error)
        }
    }

    /// `ACCOUNT=AMOUNT/FREQUENCY`.
    static func parseFlow(_ text: String) -> ScheduledCashFlow? {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let frequency = RebalancePolicy.Frequency(rawValue: parts[1] == "semi-annual" ? "semiAnnual" : parts[1]),
              let flow = RebalanceCommand.parseFlow(parts[0]), let account = flow.account, !account.isEmpty else { return nil }
        return ScheduledCashFlow(accountID: account, amount: flow.amount, frequency: frequency)
    }

    /// `SYMBOL=YIELD`.
    static func parseYield(_ text: String) -> (String, Double)? {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, let y = Double(parts[1]), y.isFinite, (0...1).contains(y) else { return nil }
        return (parts[0].uppercased(), y)
    }
}
