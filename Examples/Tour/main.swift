// The README's tour of the API, as a program that must keep compiling and running.
//
//   swift run Tour
import Folio
import Foundation

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let data = root.appendingPathComponent("Data")

do {
    // Risk model and optimizer: prices -> returns -> shrunk covariance -> maximum Sharpe
    let prices = try PricesReader.read(contentsOf: data.appendingPathComponent("prices.csv"))
    let returns = try prices.priceHistory().returns()                        // simple, 252 per year
    let sigma = try LedoitWolfShrinkage().estimate(returns)                   // annualized, with intensity
    let mu = ExpectedReturns.meanHistorical(returns).values
    let best = try MaximumSharpe(covariance: sigma.matrix, expectedReturns: mu).solve()
    let erc = try RiskBudgeting().allocate(covariance: sigma.matrix)          // equal risk contribution
    let hrp = try HierarchicalRiskParity(linkage: .ward).allocate(covariance: sigma.matrix)
    print(String(format: "max Sharpe %.3f at volatility %.2f%%; ERC volatility %.2f%%; HRP volatility %.2f%%",
                 best.sharpeRatio ?? 0, best.volatility * 100, erc.volatility * 100, hrp.volatility * 100))

    // Rebalancing: the advisor's files -> one tax-aware, whole-share plan per account
    let inputs = try RebalanceInputs.load(
        holdings: data.appendingPathComponent("households/couple/holdings.csv"),
        targets: data.appendingPathComponent("households/couple/targets.yaml"),
        policy: data.appendingPathComponent("households/couple/policy.yaml"),
        prices: data.appendingPathComponent("prices.csv"))
    for plan in try inputs.rebalanceEachAccount() {
        for trade in plan.trades.prefix(2) { print(trade.side, trade.quantity, trade.symbol, trade.reason) }
        print(plan.accountID, plan.realizedShortTermGain, plan.realizedLongTermGain, plan.estimatedTax, plan.invariants.allHold)
    }
} catch {
    print("error: \(error)")
    exit(1)
}
