import FolioLinearAlgebra

/// A small deterministic generator (SplitMix64) for reproducible test problems.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self), v = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

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
