// Black-Litterman on the bundled sample funds: a market-implied prior from (illustrative)
// market capitalizations, two views with Idzorek confidences, the posterior returns and the
// weights they imply (He & Litterman 1999; Idzorek 2005).
//
//   swift run BlackLitterman
import FolioFiles
import FolioLinearAlgebra
import FolioRisk
import Foundation

let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Data")
let funds = ["FUSLC", "FUSSC", "FINTL", "FEMKT", "FAGGB", "FTIPS", "FHYLD", "FREIT", "FGOLD"]
// Illustrative market capitalizations (billions), roughly the sizes of these asset classes.
let caps: [Double] = [45_000, 3_000, 20_000, 6_000, 25_000, 1_500, 1_500, 1_500, 12_000]

do {
    let table = try PricesReader.read(contentsOf: data.appendingPathComponent("prices.csv"))
    let returns = try table.priceHistory().returns()
    let columns = funds.map { returns.assets.firstIndex(of: $0)! }
    let covariance = try LedoitWolfShrinkage().estimate(returns).matrix
    let sigma = Matrix(rows: columns.map { i in columns.map { j in covariance[i, j] } })

    let delta = 2.5  // risk aversion
    let prior = try BlackLitterman.marketImpliedPriorReturns(marketCaps: caps, riskAversion: delta, covariance: sigma)
    let views: [BlackLittermanView] = [
        .absolute("FEMKT", 0.10, confidence: 0.6),                    // emerging markets return 10%
        .relative("FUSSC", over: "FUSLC", by: 0.02, confidence: 0.3),  // small caps beat large by 2 pts
    ]
    let model = try BlackLitterman(assets: funds, covariance: sigma, prior: prior, views: views, tau: 0.05,
                                   riskAversion: delta, uncertainty: .idzorek(confidences: []))
    let weights = try model.impliedWeights()
    let capWeights = caps.map { $0 / caps.reduce(0, +) }
    print("Black-Litterman (τ = 0.05, δ = \(delta), Ledoit-Wolf covariance, Idzorek confidences)")
    print("fund     prior   posterior   market wt   implied wt")
    for (k, fund) in funds.enumerated() {
        print(String(format: "%-6@  %6.2f%%    %6.2f%%     %6.2f%%      %6.2f%%", fund as NSString, prior[k] * 100,
                     model.posteriorReturns[k] * 100, capWeights[k] * 100, weights.values[k] * 100))
    }
} catch {
    print("error: \(error)")
    exit(1)
}
