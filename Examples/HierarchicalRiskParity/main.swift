// Hierarchical risk parity (tree order and optimal leaf order), HERC and nested clustered
// optimization on the bundled prices, with a text dendrogram.
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
    // skfolio's default HRP: Ward linkage with the leaves in their optimal order.
    let seriated = try HierarchicalRiskParity(linkage: .ward, leafOrdering: .optimal).allocate(covariance: covariance)
    let nco = try NestedClusteredOptimization().allocate(covariance: covariance)
    print("Dendrogram (single linkage on √((1 − ρ)/2)):")
    print(hrp.dendrogram.textDiagram(labels: tickers))
    print("\nticker      HRP  HRP (Ward, optimal order)     HERC   HERC cluster      NCO   NCO cluster")
    for i in hrp.order {
        print([tickers[i].padding(toLength: 8, withPad: " ", startingAt: 0),
               String(format: "%7.2f%%", 100 * hrp.weights[i]),
               String(format: "%25.2f%%", 100 * seriated.weights[i]),
               String(format: "%8.2f%%", 100 * herc.weights[i]),
               String(format: "%14d", herc.clusterLabels![i]),
               String(format: "%8.2f%%", 100 * nco.weights[i]),
               String(format: "%13d", nco.clusterLabels[i])].joined(separator: " "))
    }
    print("\noptimal leaf order: " + seriated.order.map { tickers[$0] }.joined(separator: " "))
    print(String(format: "volatility: HRP %.2f%%, HRP (Ward, optimal order) %.2f%%, HERC %.2f%%, NCO %.2f%% a year",
                 100 * hrp.volatility, 100 * seriated.volatility, 100 * herc.volatility, 100 * nco.volatility))
} catch {
    print("error: \(error)")
    exit(1)
}
