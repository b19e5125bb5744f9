import Foundation
import Testing
import FolioLinearAlgebra
@testable import FolioOptimization

private struct NCOFixture: Decodable {
    struct Result: Decodable {
        let weights: [Double]
        let exactWeights: [Double]
        let labels: [Int]
        let outerWeights: [Double]
    }
    struct Case: Decodable {
        let seed: Int
        let count: Int
        let observations: Int
        let clusterCount: Int?
        let returns: [[Double]]
        let inSample: Result
        let kFold: Result
    }
    let cases: [Case]
}

/// Labels renumbered by first appearance, so two labelings of the same partition compare equal.
private func partition(_ labels: [Int]) -> [Int] {
    var map: [Int: Int] = [:]
    return labels.map { label in
        if let seen = map[label] { return seen }
        map[label] = map.count
        return map.count - 1
    }
}

@Suite("Nested clustered optimization")
struct NestedClusteredOptimizationTests {
    /// Two references per case: skfolio's weights (Clarabel, tolerances tightened: good to about
    /// 3e-6) and the same pipeline on skfolio's clusters with exact active-set solves in numpy
    /// (held to 1e-9).
    @Test("matches skfolio NestedClustersOptimization with cv=\"ignore\" (in-sample outer covariance)")
    func goldenInSample() throws {
        let f = try allocationFixture("nco.json", as: NCOFixture.self)
        #expect(f.cases.count == 4)
        for c in f.cases {
            let returns = Matrix(fixtureRows: c.returns)
            let covariance = NestedClusteredOptimization.sampleCovariance(returns, rows: Array(0..<c.observations))
            let nco = try NestedClusteredOptimization(clusterCount: c.clusterCount).allocate(covariance: covariance)
            #expect(partition(nco.clusterLabels) == partition(c.inSample.labels), "seed \(c.seed)")
            #expect(maxAbsDifference(nco.weights, c.inSample.exactWeights) < 1e-9, "seed \(c.seed): \(maxAbsDifference(nco.weights, c.inSample.exactWeights))")
            #expect(maxAbsDifference(nco.weights, c.inSample.weights) < 5e-6, "seed \(c.seed): \(maxAbsDifference(nco.weights, c.inSample.weights))")
            try checkInvariants(nco, covariance: covariance)
        }
    }

    @Test("matches skfolio's default NestedClustersOptimization (KFold(5) out-of-sample outer covariance)")
    func goldenKFold() throws {
        let f = try allocationFixture("nco.json", as: NCOFixture.self)
        var differFromInSample = 0
        for c in f.cases {
            let returns = Matrix(fixtureRows: c.returns)
            let nco = try NestedClusteredOptimization(clusterCount: c.clusterCount).allocate(returns: returns, folds: 5)
            #expect(partition(nco.clusterLabels) == partition(c.kFold.labels), "seed \(c.seed)")
            #expect(maxAbsDifference(nco.weights, c.kFold.exactWeights) < 1e-9, "seed \(c.seed): \(maxAbsDifference(nco.weights, c.kFold.exactWeights))")
            #expect(maxAbsDifference(nco.weights, c.kFold.weights) < 5e-6, "seed \(c.seed): \(maxAbsDifference(nco.weights, c.kFold.weights))")
            if maxAbsDifference(c.kFold.weights, c.inSample.weights) > 1e-4 { differFromInSample += 1 }
            let covariance = NestedClusteredOptimization.sampleCovariance(returns, rows: Array(0..<c.observations))
            try checkInvariants(nco, covariance: covariance)
        }
        // The fixture tells the two outer covariances apart.
        #expect(differFromInSample == 4)
    }

    /// Recomputed from the output: the weights are the outer mix of the inner portfolios, each
    /// inner portfolio lives on its own cluster, and the outer mix is no riskier than any one
    /// cluster portfolio or any other mix the QP could have found (first-order optimality).
    private func checkInvariants(_ nco: NestedClusteredAllocation, covariance: Matrix) throws {
        let n = covariance.rows, k = nco.outerWeights.count
        #expect(abs(nco.weights.reduce(0, +) - 1) < 1e-12 && nco.weights.allSatisfy { $0 >= 0 })
        #expect(abs(nco.outerWeights.reduce(0, +) - 1) < 1e-12 && nco.outerWeights.allSatisfy { $0 >= 0 })
        for (c, row) in nco.innerWeights.enumerated() {
            #expect(abs(row.reduce(0, +) - 1) < 1e-12)
            for i in 0..<n where nco.clusterLabels[i] != c { #expect(row[i] == 0) }
        }
        for i in 0..<n {
            let mixed = (0..<k).reduce(0.0) { $0 + nco.outerWeights[$1] * nco.innerWeights[$1][i] }
            #expect(abs(mixed - nco.weights[i]) < 1e-14)
        }
        // Inside each cluster: KKT of min wᵀΣw, 1ᵀw = 1, w ≥ 0 — (Σw)ᵢ equal on the support, not smaller off it.
        for (c, row) in nco.innerWeights.enumerated() {
            let items = (0..<n).filter { nco.clusterLabels[$0] == c }
            guard items.count > 1 else { continue }
            let gradient = items.map { i in items.reduce(0.0) { $0 + covariance[i, $1] * row[$1] } }
            let level = zip(items, gradient).filter { row[$0.0] > 1e-9 }.map(\.1)
            let top = level.max() ?? 0, bottom = level.min() ?? 0
            #expect(top - bottom <= 1e-8 * max(top, 1e-12) + 1e-12, "cluster \(c) gradient spread \(top - bottom)")
            for (i, g) in zip(items, gradient) where row[i] <= 1e-9 { #expect(g >= bottom - 1e-10) }
        }
    }

    @Test("one cluster is minimum variance; N clusters is minimum variance over single assets")
    func extremes() throws {
        var random = AllocationTestRandom(seed: 91)
        let sigma = random.covariance(assets: 15, days: 300)
        let minimum = try MinimumVariance(covariance: sigma).solve().weights
        let one = try NestedClusteredOptimization(clusterCount: 1).allocate(covariance: sigma)
        #expect(maxAbsDifference(one.weights, minimum) < 1e-8)
        let all = try NestedClusteredOptimization(clusterCount: 15).allocate(covariance: sigma)
        #expect(maxAbsDifference(all.weights, minimum) < 1e-8)
        #expect(Set(all.clusterLabels).count == 15)
    }

    @Test("bad input is a typed error")
    func badInput() {
        var random = AllocationTestRandom(seed: 92)
        let sigma = random.covariance(assets: 6, days: 100)
        #expect(throws: AllocationError.invalidClusterCount(7)) { try NestedClusteredOptimization(clusterCount: 7).allocate(covariance: sigma) }
        #expect(throws: AllocationError.invalidClusterCount(0)) { try NestedClusteredOptimization(clusterCount: 0).allocate(covariance: sigma) }
        var broken = sigma
        broken[2, 2] = -1
        #expect(throws: AllocationError.nonPositiveVariance(asset: 2, variance: -1)) { try NestedClusteredOptimization().allocate(covariance: broken) }
        var returns = Matrix(rows: 20, columns: 3)
        for i in 0..<20 { for j in 0..<3 { returns[i, j] = random.normal() * 0.01 } }
        returns[7, 1] = .nan
        #expect(throws: AllocationError.nonFiniteInput(what: "returns", row: 7, column: 1)) { try NestedClusteredOptimization().allocate(returns: returns) }
    }
}
