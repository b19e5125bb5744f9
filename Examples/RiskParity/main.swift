// Equal risk contribution and a custom risk budget on the bundled prices
// (Examples/Data/prices.csv, synthetic with fictional tickers).
//
//     swift run RiskParity
import Foundation
import FolioLinearAlgebra
import FolioOptimization
import FolioFiles
import FolioRisk

// Sample covariance of daily simple returns, annualized (x252), read by the library itself.
let prices = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data/prices.csv")
let estimate = try SampleCovariance().estimate(try PricesReader.read(contentsOf: prices).priceHistory().returns())
let tickers = estimate.assets
let covariance = estimate.matrix
let n = tickers.count

func show(_ title: String, _ result: AllocationResult) {
    print(title)
    print("ticker      weight   risk share   budget")
    for i in 0..<n {
        let line = [tickers[i].padding(toLength: 8, withPad: " ", startingAt: 0),
                    String(format: "%8.2f%%", 100 * result.weights[i]),
                    String(format: "%11.2f%%", 100 * result.riskContributions[i]),
                    String(format: "%8.2f%%", 100 * result.budgets[i])]
        print(line.joined(separator: " "))
    }
    print(String(format: "volatility %.2f%% a year; %d sweeps; max |RC/σ − b| = %.1e\n",
                 100 * result.volatility, result.iterations, result.error))
}

do {
    show("Equal risk contribution", try RiskBudgeting().allocate(covariance: covariance))
    // Half the risk budget to the first asset, the rest shared equally.
    let budgets = (0..<n).map { $0 == 0 ? 0.5 : 0.5 / Double(n - 1) }
    show("Custom budget (50% of risk to \(tickers[0]))", try RiskBudgeting(budgets: budgets).allocate(covariance: covariance))
    show("Inverse volatility (baseline)", try SimpleAllocator.inverseVolatility.allocate(covariance: covariance))
} catch {
    print("error: \(error)")
    exit(1)
}
