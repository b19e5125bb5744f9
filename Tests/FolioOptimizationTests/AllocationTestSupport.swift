import Foundation
import FolioLinearAlgebra

/// SplitMix64: a small seeded generator so every allocation test sees the same numbers.
struct AllocationTestRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal draw (Box–Muller).
    mutating func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let v = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

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

/// Decodes `Fixtures/<name>` next to this file.
func allocationFixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}

extension Matrix {
    /// A matrix from nested row arrays as stored in the JSON fixtures.
    init(fixtureRows rows: [[Double]]) { self.init(rows: rows) }
}

/// Largest absolute elementwise difference.
func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
