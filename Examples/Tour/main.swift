// The README's tour of the API, word for word below this header (FolioExampleTests checks that
// the two are equal): a program that must keep compiling and running. Run it from the
// repository's root, where the relative paths to Examples/Data resolve:
//
//   swift run Tour
import Folio
import Foundation

// Risk model and optimizer: prices -> returns -> shrunk covariance -> maximum Sharpe
let prices = try PricesReader.read(contentsOf: URL(fileURLWithPath: "Examples/Data/prices.csv"))
let returns = try prices.priceHistory().returns()                        // simple, 252 per year
let sigma = try LedoitWolfShrinkage().estimate(returns)                   // annualized, with intensity
let mu = ExpectedReturns.meanHistorical(returns).values
let best = try MaximumSharpe(covariance: sigma.matrix, expectedReturns: mu).solve()
let erc = try RiskBudgeting().allocate(covariance: sigma.matrix)          // equal risk contribution
let hrp = try HierarchicalRiskParity(linkage: .ward).allocate(covariance: sigma.matrix)
print("max Sharpe", best.sharpeRatio ?? 0, "volatility", best.volatility, "ERC", erc.volatility, "HRP", hrp.volatility)

// Rebalancing: the advisor's files -> asset location across the household's accounts, then
// one tax-aware, whole-share plan per account
let data = URL(fileURLWithPath: "Examples/Data")
let inputs = try RebalanceInputs.load(
    holdings: data.appendingPathComponent("households/couple/holdings.csv"),
    targets: data.appendingPathComponent("households/couple/targets.yaml"),
    policy: data.appendingPathComponent("households/couple/policy.yaml"),
    prices: data.appendingPathComponent("prices.csv"))
for plan in try inputs.rebalance().plans {
    for trade in plan.trades { print(trade.side, trade.quantity, trade.symbol, trade.reason) }
    print(plan.realizedShortTermGain, plan.realizedLongTermGain, ReportFormat.tax(plan.estimatedTax), plan.invariants.allHold)
}
