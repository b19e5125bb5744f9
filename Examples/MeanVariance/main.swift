// Mean-variance on the bundled sample prices: daily returns -> Ledoit-Wolf covariance ->
// minimum variance, maximum Sharpe and a 20-point efficient frontier.
//
// Run: swift run MeanVariance
//
// The Ledoit-Wolf estimator below (shrinkage toward the scaled identity, Ledoit & Wolf,
// "A well-conditioned estimator for large-dimensional covariance matrices", J. Multivariate
// Anal. 88, 2004) is written inline for now; FolioRisk provides the library version.
import Foundation
import FolioLinearAlgebra
import FolioOptimization

let dataURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data/prices.csv")
guard let text = try? String(contentsOf: dataURL, encoding: .utf8) else {
    print("Sample prices not found at \(dataURL.path)")
    exit(1)
}
var lines = text.split(whereSeparator: \.isNewline).map(String.init)
let header = lines.removeFirst().split(separator: ",").dropFirst().map(String.init)
let prices = lines.map { $0.split(separator: ",").dropFirst().map { Double($0) ?? .nan } }
// Keep the assets with a full, positive price history.
let usable = header.indices.filter { j in prices.allSatisfy { $0.count > j && $0[j].isFinite && $0[j] > 0 } }
let names = usable.map { header[$0] }
let n = usable.count, t = prices.count - 1
var returns = [Double](repeating: 0, count: t * n)
for (k, j) in usable.enumerated() {
    for i in 0..<t { returns[i + k * t] = prices[i + 1][j] / prices[i][j] - 1 }
}

// Annualized arithmetic mean returns (252 trading days).
var mean = [Double](repeating: 0, count: n)
for k in 0..<n {
    let m = (0..<t).reduce(0) { $0 + returns[$1 + k * t] } / Double(t)
    mean[k] = m * 252
    for i in 0..<t { returns[i + k * t] -= m }
}
// Ledoit-Wolf shrinkage toward m·I on the centred returns.
let x = Matrix(rows: t, columns: n, columnMajor: returns)
let sample = x.gramian(scale: 1 / Double(t))
let m = sample.diagonal.reduce(0, +) / Double(n)
var d2 = 0.0, s2 = 0.0
for j in 0..<n {
    for i in 0..<n {
        let v = sample[i, j]
        s2 += v * v
        d2 += (v - (i == j ? m : 0)) * (v - (i == j ? m : 0))
    }
}
var fourth = 0.0
for i in 0..<t {
    var norm2 = 0.0
    for k in 0..<n { norm2 += returns[i + k * t] * returns[i + k * t] }
    fourth += norm2 * norm2
}
let b2 = min(d2, fourth / Double(t * t) - s2 / Double(t))
let shrinkage = d2 > 0 ? max(0, b2) / d2 : 0
var covariance = (252 * (1 - shrinkage)) * sample
for i in 0..<n { covariance[i, i] += 252 * shrinkage * m }

print("\(n) assets, \(t) daily returns; Ledoit-Wolf shrinkage \(String(format: "%.3f", shrinkage))\n")

func describe(_ title: String, _ r: PortfolioOptimizationResult) {
    let top = r.weights.indices.sorted { r.weights[$0] > r.weights[$1] }.prefix(5)
        .map { "\(names[$0]) \(String(format: "%.1f%%", 100 * r.weights[$0]))" }.joined(separator: ", ")
    print(title)
    print(String(format: "  return %.2f%%  volatility %.2f%%  Sharpe %.3f", 100 * (r.expectedReturn ?? 0), 100 * r.volatility, r.sharpeRatio ?? 0))
    print("  largest: \(top)")
    print(String(format: "  QP: %@ in %d iterations, largest KKT residual %.1e\n", r.solution.status.rawValue, r.solution.iterations, r.solution.residuals.maximum))
}

do {
    describe("Minimum variance (long-only, fully invested)",
             try MinimumVariance(covariance: covariance, expectedReturns: mean).solve())
    describe("Maximum Sharpe (risk-free 0)",
             try MaximumSharpe(covariance: covariance, expectedReturns: mean).solve())
    let frontier = try EfficientFrontier(covariance: covariance, expectedReturns: mean).points(count: 20)
    print("Efficient frontier (20 points)")
    print("   #  return%  vol%   Sharpe  largest weights")
    for (k, p) in frontier.enumerated() {
        let top = p.weights.indices.sorted { p.weights[$0] > p.weights[$1] }.prefix(3)
            .map { "\(names[$0]) \(String(format: "%.0f%%", 100 * p.weights[$0]))" }.joined(separator: ", ")
        print(String(format: "  %2d  %6.2f  %6.2f  %6.3f  ", k + 1, 100 * p.expectedReturn, 100 * p.volatility, p.sharpeRatio) + top)
    }
} catch {
    print("Optimization failed: \(error)")
    exit(1)
}
