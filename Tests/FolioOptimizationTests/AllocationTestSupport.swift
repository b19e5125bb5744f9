import Foundation
import FolioLinearAlgebra
@_exported import FolioTestSupport

/// The shared seeded generator (FolioTestSupport), under this target's old name.
typealias AllocationTestRandom = SplitMix64

extension SplitMix64 {
    /// A sample covariance of `days` factor-model returns on `assets` assets.
    mutating func covariance(assets n: Int, days t: Int = 250) -> Matrix {
        var returns = Matrix(rows: t, columns: n)
        let sectors = 3
        let beta = (0..<n).map { _ in Double.random(in: 0.5...1.5, using: &self) }
        let sector = (0..<n).map { _ in Int.random(in: 0..<sectors, using: &self) }
        let idio = (0..<n).map { _ in Double.random(in: 0.005...0.03, using: &self) }
        for day in 0..<t {
            let market = normal() * 0.01
            let factors = (0..<sectors).map { _ in normal() * 0.007 }
            for i in 0..<n {
                returns[day, i] = market * beta[i] + factors[sector[i]] + normal() * idio[i]
            }
        }
        var means = [Double](repeating: 0, count: n)
        for i in 0..<n { for day in 0..<t { means[i] += returns[day, i] / Double(t) } }
        for i in 0..<n { for day in 0..<t { returns[day, i] -= means[i] } }
        return returns.gramian(scale: 1 / Double(t - 1))
    }
}

/// Decodes `Fixtures/<name>` of this target.
func allocationFixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    try GoldenFixture.decode(T.self, from: name)
}

extension Matrix {
    /// A matrix from nested row arrays as stored in the JSON fixtures.
    init(fixtureRows rows: [[Double]]) { self.init(rows: rows) }
}

/// Largest absolute elementwise difference.
func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double { a.largestDifference(from: b) }
