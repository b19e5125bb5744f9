// A household review from another package: read an advisor's files with FolioFiles, rebalance
// every account with FolioRebalancing, and measure the household's risk before and after the
// trades with a Ledoit-Wolf covariance from FolioRisk.
//
//   swift run UsingFolio [household]      (couple, retiree or young-accumulator; default couple)
//
// The data is Folio's synthetic sample data (fictional tickers) in Examples/Data.
import Folio          // the umbrella: FolioFiles, FolioRebalancing, FolioRisk, FolioReports, ...
import Foundation

// Examples/UsingFolio/Sources/UsingFolio/main.swift -> Examples/Data
let data = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Data")
let household = CommandLine.arguments.dropFirst().first ?? "couple"
let folder = data.appendingPathComponent("households/\(household)")

do {
    // 1. Read and cross-check the files. A bad cell throws an `InputError` naming the file,
    //    line and column; holdings, target, policy, securities and prices must fit together.
    let inputs = try RebalanceInputs.load(
        holdings: folder.appendingPathComponent("holdings.csv"),
        targets: folder.appendingPathComponent("targets.yaml"),
        policy: folder.appendingPathComponent("policy.yaml"),
        securities: data.appendingPathComponent("securities.csv"),
        prices: data.appendingPathComponent("prices.csv"))
    print("Household \(household): \(inputs.accounts.count) accounts, trade date \(ReportFormat.date(inputs.prices.asOf))")

    // 2. The household as one (asset location across its accounts), then one tax-aware,
    //    whole-share plan per account (lots, wash sales, restrictions, cash flows).
    let plans = try inputs.rebalance().plans
    for plan in plans {
        print("\n\(plan.accountID) (\(plan.accountKind.rawValue)): \(plan.trades.count) trades")
        for trade in plan.trades {
            let side = trade.side == .sell ? "SELL" : "BUY "
            print("  \(side) \(ReportFormat.quantity(trade.quantity)) \(trade.symbol) @ \(ReportFormat.money(trade.price))  \(trade.reason)")
        }
        print("  estimated tax \(ReportFormat.tax(plan.estimatedTax)); invariants hold: \(plan.invariants.allHold)")
    }

    // 3. Risk before and after: a shrunk covariance of daily simple returns (annualized), and
    //    the household's weights in each security (cash counts as riskless).
    let prices = try PricesReader.read(contentsOf: data.appendingPathComponent("prices.csv"))
    let returns = try prices.priceHistory().returns()
    let covariance = try LedoitWolfShrinkage().estimate(returns)
    func volatility(_ value: (HoldingChange) -> Decimal, total: Decimal) -> Double {
        var weights = [Double](repeating: 0, count: covariance.assets.count)
        for plan in plans {
            for line in plan.holdings {
                guard let column = covariance.assets.firstIndex(of: line.symbol) else { continue }
                weights[column] += NSDecimalNumber(decimal: value(line) / total).doubleValue
            }
        }
        return PortfolioRisk.volatility(weights: weights, covariance: covariance.matrix)
    }
    let total = plans.reduce(Decimal(0)) { $0 + $1.accountValueBefore }
    let before = volatility(\.marketValueBefore, total: total)
    let after = volatility(\.marketValueAfter, total: total)
    print("\nHousehold volatility (Ledoit-Wolf, shrinkage \(String(format: "%.3f", covariance.shrinkage ?? 0))): "
          + "before \(ReportFormat.percent(before)), after \(ReportFormat.percent(after))")
    // nil (not estimated) when any taxable account's tax rates are unknown.
    let tax = plans.reduce(Decimal(0) as Decimal?) { sum, plan in sum.flatMap { s in plan.estimatedTax.map { s + $0 } } }
    print("Total estimated tax \(ReportFormat.tax(tax)); all invariants hold: \(plans.allSatisfy(\.invariants.allHold))")
} catch {
    print("error: \(error)")
    exit(1)
}
