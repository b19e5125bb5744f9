// Hierarchical risk parity (and HERC) on the bundled prices, with a text dendrogram.
//
//     swift run HierarchicalRiskParity
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

do {
    let hrp = try HierarchicalRiskParity(linkage: .single).allocate(covariance: covariance)
    let herc = try HierarchicalEqualRiskContribution(linkage: .ward).allocate(covariance: covariance)
    print("Dendrogram (single linkage on √((1 − ρ)/2)):")
    print(hrp.dendrogram.textDiagram(labels: tickers))
    print("\nticker      HRP      HERC   HERC cluster")
    for i in hrp.order {
        print([tickers[i].padding(toLength: 8, withPad: " ", startingAt: 0),
               String(format: "%7.2f%%", 100 * hrp.weights[i]),
               String(format: "%8.2f%%", 100 * herc.weights[i]),
               String(format: "%8d", herc.clusterLabels![i])].joined(separator: " "))
    }
    print(String(format: "\nvolatility: HRP %.2f%%, HERC %.2f%% a year", 100 * hrp.volatility, 100 * herc.volatility))
} catch {
    print("error: \(error)")
    exit(1)
}
