import FolioLinearAlgebra
@_exported import FolioTestSupport

/// The shared seeded generator (FolioTestSupport), under this target's old name.
typealias SeededGenerator = SplitMix64

import Foundation

/// Annualized sample covariance and mean of `days` x `assets` seeded returns.
func sampleProblem(assets n: Int, days t: Int, seed: UInt64) -> (covariance: Matrix, mean: [Double]) {
    var g = SeededGenerator(seed: seed)
    let market = (0..<t).map { _ in g.normal() * 0.01 }
    var r = [Double](repeating: 0, count: t * n)
    var drift = [Double](repeating: 0, count: n)
    for j in 0..<n {
        let beta = Double.random(in: 0.5...1.5, using: &g)
        drift[j] = Double.random(in: 0.0...0.0006, using: &g)
        for i in 0..<t { r[i + j * t] = drift[j] + beta * market[i] + g.normal() * 0.012 }
    }
    var mean = [Double](repeating: 0, count: n)
    for j in 0..<n {
        let m = (0..<t).reduce(0) { $0 + r[$1 + j * t] } / Double(t)
        mean[j] = m * 252
        for i in 0..<t { r[i + j * t] -= m }
    }
    return (Matrix(rows: t, columns: n, columnMajor: r).gramian(scale: 252 / Double(t - 1)), mean)
}
