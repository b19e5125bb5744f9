// Backtest rebalancing policies on a household after tax: the bundled synthetic household on
// the bundled synthetic prices (2016-2025, daily), four policies side by side on one path.
//
//   swift run PolicyBacktest
//
// The data in Examples/Data is synthetic, with fictional tickers: the figures illustrate what
// the backtest measures, not what any policy earns (Documentation/Backtesting.md).
import Folio
import Foundation

let data = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Data")
let folder = data.appendingPathComponent("backtest")

do {
    // 1. The household on the first date, the target, the standing rules and the price path;
    //    every problem names its file and line (a gap in a held symbol's prices included).
    let inputs = try BacktestInputs.load(
        holdings: folder.appendingPathComponent("holdings.csv"), targets: folder.appendingPathComponent("targets.yaml"),
        prices: data.appendingPathComponent("prices.csv"), policies: ["quarterly", "bands-5-25", "cash-flow-only", "never"],
        basePolicy: folder.appendingPathComponent("policy.yaml"), securities: data.appendingPathComponent("securities.csv"))
    print("\(inputs.household.accounts.count) accounts, \(inputs.prices.dates.count) dates, \(inputs.policies.count) policies")

    // 2. What the path assumes besides the policies: a quarterly deposit, bond and equity
    //    dividend yields, the tax paid from the taxable account each January.
    let settings = BacktestSettings(
        cashFlows: [ScheduledCashFlow(accountID: "Z88-204611", amount: 1_500, frequency: .quarterly)],
        dividendYields: ["FUSLC": 0.015, "FUSTM": 0.015, "FUSSC": 0.012, "FINTL": 0.025, "FIDEV": 0.025, "FAGGB": 0.03, "FBNDT": 0.03],
        baseline: "never")

    // 3. Every policy on the same path: each rebalance a plan of the household planner, applied
    //    to the lots; taxes settled every year.
    let comparison = try inputs.backtester(settings: settings).compare(inputs.household, prices: inputs.prices, policies: inputs.policies)
    for r in comparison.results {
        let identity = r.endingValueAfterLiquidation == r.endingValueAfterTax - r.liquidationTax
        print("  \(r.policy): \(r.trades) trades, after liquidation \(ReportFormat.money(r.endingValueAfterLiquidation)), wealth identity \(identity)")
    }
    print()
    print(BacktestReport(title: "backtest household", comparison: comparison, notes: inputs.notes).table(), terminator: "")
} catch {
    print("error: \(error)")
    exit(1)
}
