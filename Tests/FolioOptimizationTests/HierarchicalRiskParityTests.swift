import Foundation
import Testing
import FolioLinearAlgebra
@testable import FolioOptimization

private struct HRPFixture: Decodable {
    struct HRPCase: Decodable {
        let linkage: String
        let pypfopt: [Double]
        let pypfoptLinkage: [[Double]]
        let skfolio: [Double]
        let skfolioOptimalOrdering: [Double]
    }
    struct HERCCase: Decodable {
        let linkage: String
        let maxClusters: Int?
        let clusters: Int
        let labels: [Int]
        let weights: [Double]
    }
    let pypfoptCovariance: [[Double]]
    let pypfoptCorrelation: [[Double]]
    let skfolioCovariance: [[Double]]
    let skfolioCorrelation: [[Double]]
    let hrp: [HRPCase]
    let herc: [HERCCase]
}

@Suite("Hierarchical risk parity")
struct HierarchicalRiskParityTests {
    @Test("matches PyPortfolioOpt HRPOpt for every linkage to 1e-10 (weights and linkage matrix)")
    func goldenPyPortfolioOpt() throws {
        let f = try allocationFixture("hrp.json", as: HRPFixture.self)
        #expect(f.hrp.count == 5)
        let cov = Matrix(fixtureRows: f.pypfoptCovariance), corr = Matrix(fixtureRows: f.pypfoptCorrelation)
        for c in f.hrp {
            let linkage = try #require(Linkage(rawValue: c.linkage))
            let result = try HierarchicalRiskParity(linkage: linkage).allocate(covariance: cov, correlation: corr)
            #expect(maxAbsDifference(result.weights, c.pypfopt) < 1e-10, "\(c.linkage)")
            let z = result.dendrogram.linkageMatrix
            for k in 0..<z.rows {
                #expect(z[k, 0] == c.pypfoptLinkage[k][0] && z[k, 1] == c.pypfoptLinkage[k][1], "\(c.linkage) row \(k)")
                #expect(abs(z[k, 2] - c.pypfoptLinkage[k][2]) < 1e-12)
            }
            // Deriving the correlation from the covariance gives the same tree here.
            let derived = try HierarchicalRiskParity(linkage: linkage).allocate(covariance: cov)
            #expect(maxAbsDifference(derived.weights, c.pypfopt) < 1e-10, "\(c.linkage) derived correlation")
        }
    }

    @Test("matches skfolio HierarchicalRiskParity (optimal_ordering=False) for every linkage to 1e-10")
    func goldenSkfolio() throws {
        let f = try allocationFixture("hrp.json", as: HRPFixture.self)
        let cov = Matrix(fixtureRows: f.skfolioCovariance), corr = Matrix(fixtureRows: f.skfolioCorrelation)
        for c in f.hrp {
            let linkage = try #require(Linkage(rawValue: c.linkage))
            let result = try HierarchicalRiskParity(linkage: linkage).allocate(covariance: cov, correlation: corr)
            #expect(maxAbsDifference(result.weights, c.skfolio) < 1e-10, "\(c.linkage)")
        }
    }

    @Test("matches skfolio HierarchicalEqualRiskContribution (given and gap-statistic cluster counts)")
    func goldenHERC() throws {
        let f = try allocationFixture("hrp.json", as: HRPFixture.self)
        let cov = Matrix(fixtureRows: f.skfolioCovariance), corr = Matrix(fixtureRows: f.skfolioCorrelation)
        #expect(f.herc.count == 15)
        for c in f.herc {
            let linkage = try #require(Linkage(rawValue: c.linkage))
            let herc = HierarchicalEqualRiskContribution(linkage: linkage, clusterCount: c.maxClusters)
            let result = try herc.allocate(covariance: cov, correlation: corr)
            let labels = try #require(result.clusterLabels)
            #expect(canonical(labels) == canonical(c.labels), "\(c.linkage) k=\(String(describing: c.maxClusters))")
            #expect(maxAbsDifference(result.weights, c.weights) < 1e-10, "\(c.linkage) k=\(String(describing: c.maxClusters))")
        }
    }

    @Test("weights positive and summing to 1 on seeded random covariances", arguments: [2, 3, 10, 41, 120])
    func propertyWeights(n: Int) throws {
        var random = AllocationTestRandom(seed: UInt64(77 + n))
        let sigma = random.covariance(assets: n, days: 200)
        for linkage in Linkage.allCases {
            for bisection in [HierarchicalRiskParity.Bisection.halving, .dendrogram] {
                let result = try HierarchicalRiskParity(linkage: linkage, bisection: bisection).allocate(covariance: sigma)
                #expect(result.weights.allSatisfy { $0 > 0 })
                #expect(abs(result.weights.reduce(0, +) - 1) < 1e-12)
                #expect(result.order.sorted() == Array(0..<n))
                #expect(abs(result.riskContributions.reduce(0, +) - 1) < 1e-12)
            }
            let herc = try HierarchicalEqualRiskContribution(linkage: linkage).allocate(covariance: sigma)
            #expect(herc.weights.allSatisfy { $0 > 0 })
            #expect(abs(herc.weights.reduce(0, +) - 1) < 1e-12)
        }
    }

    @Test("rejects bad input")
    func errors() {
        #expect(throws: AllocationError.nonPositiveVariance(asset: 0, variance: -1)) {
            try HierarchicalRiskParity().allocate(covariance: Matrix(rows: [[-1, 0], [0, 1]]))
        }
        #expect(throws: AllocationError.invalidClusterCount(5)) {
            try HierarchicalEqualRiskContribution(clusterCount: 5).allocate(covariance: .identity(3))
        }
    }
}
