// Out-of-sample comparison of optimizer configurations on the bundled prices: walk forward
// with two years of training and a quarter of holding, 10 bp per unit of weight traded.
//
//     swift run WalkForward
//
// The same run from the command line:
//     folio backtest --prices Examples/Data/prices.csv --objective min-variance --objective max-sharpe \
//         --objective hrp --objective equal-weight --covariance sample --covariance ledoit-wolf --costs 0.001
import Foundation
import FolioFiles
import FolioLinearAlgebra
import FolioOptimization
import FolioReports
import FolioRisk

let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data/prices.csv")
do {
    // The money-market fund is cash: left out, or minimum variance would simply hold it.
    let all = try PricesReader.read(contentsOf: url).priceHistory()
    let kept = all.assets.indices.filter { all.assets[$0] != "FMMKT" }
    let history = try PriceHistory(dates: all.dates, assets: kept.map { all.assets[$0] },
                                   prices: Matrix(columns: kept.map { all.prices.column($0) }))
    let backtest = try OutOfSampleBacktest(prices: history, costRate: 0.001)
    let scheme = WalkForward(train: 504, test: 63)
    let results = try backtest.compare([
        PortfolioConfiguration(name: "min variance · sample", objective: .minimumVariance),
        PortfolioConfiguration(name: "min variance · Ledoit-Wolf", covariance: LedoitWolfShrinkage(), objective: .minimumVariance),
        PortfolioConfiguration(name: "max Sharpe · Ledoit-Wolf", covariance: LedoitWolfShrinkage(), objective: .maximumSharpe),
        PortfolioConfiguration(name: "HRP · sample", objective: .hierarchicalRiskParity(.single)),
        PortfolioConfiguration(name: "equal weight (1/N)", objective: .equalWeight),
    ], scheme: scheme)
    let report = WalkForwardReport(
        title: "Walk-forward comparison over \(history.assets.count) assets, \(results[0].rebalances.count) rebalances",
        scheme: "train 504, test 63 observations, rolling; 10 bp per unit traded; synthetic prices: illustration only",
        results: results)
    print(report.table())
    let best = results.max { $0.metrics.sharpeRatio < $1.metrics.sharpeRatio }!
    print("Highest out-of-sample Sharpe ratio: \(best.name) (one path: see Documentation/WalkForward.md before reading much into it)")
} catch {
    print("walk-forward failed: \(error)")
    exit(1)
}
