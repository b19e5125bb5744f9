import Foundation
import Testing
import FolioLinearAlgebra
@testable import FolioOptimization

private struct LeafOrderingFixture: Decodable {
    struct Cloud: Decodable {
        let seed: Int
        let count: Int
        let condensed: [Double]
        let cases: [Case]
    }
    struct Case: Decodable {
        let linkage: String
        let linkageMatrix: [[Double]]
        let orderedLinkageMatrix: [[Double]]
        let order: [Int]
        let cost: Double
        let treeCost: Double
        let bruteForceCost: Double?
    }
    struct HRPCase: Decodable {
        let seed: Int
        let count: Int
        let covariance: [[Double]]
        let correlation: [[Double]]
        let weights: [Double]
        let order: [Int]
        let orderCost: Double
    }
    let clouds: [Cloud]
    let hrp: [HRPCase]
}

private func dendrogram(_ rows: [[Double]], leaves n: Int) -> Dendrogram {
    Dendrogram(leafCount: n, merges: rows.map {
        Dendrogram.Merge(left: Int($0[0]), right: Int($0[1]), height: $0[2], size: Int($0[3]))
    })
}

@Suite("Optimal leaf ordering")
struct LeafOrderingTests {
    /// SciPy's `optimal_leaf_ordering` can return an order that costs more than another the
    /// tree allows (scipy/scipy issue 11227): Folio's must cost no more than SciPy's, exactly the
    /// brute-force optimum where the fixture has it, and it is counted where it is cheaper.
    @Test("never costs more than SciPy's optimal_leaf_ordering; equals the brute-force optimum: 35 trees of 3 to 120 leaves")
    func goldenSciPy() throws {
        let f = try allocationFixture("leaf_ordering.json", as: LeafOrderingFixture.self)
        var checked = 0, improvedOnTree = 0, cheaperThanSciPy = 0, sameAsSciPy = 0, bruteForced = 0
        for cloud in f.clouds {
            for c in cloud.cases {
                let label = "seed \(cloud.seed), n = \(cloud.count), \(c.linkage)"
                let tree = dendrogram(c.linkageMatrix, leaves: cloud.count)
                // Folio's own linkage builds SciPy's tree, so the fixture compares the reordering only.
                if let linkage = Linkage(rawValue: c.linkage) {
                    #expect(linkage.dendrogram(condensed: cloud.condensed, count: cloud.count).leafOrder == tree.leafOrder, "\(label)")
                }
                let ordered = tree.optimallyOrdered(condensed: cloud.condensed)
                let order = ordered.leafOrder
                // The cost is recomputed from the order, not taken from the algorithm.
                let cost = ordered.leafOrderCost(condensed: cloud.condensed)
                let tolerance = 1e-10 * max(1, c.cost)
                #expect(cost <= c.cost + tolerance, "\(label): \(cost) costs more than SciPy's \(c.cost)")
                if let optimum = c.bruteForceCost {
                    #expect(abs(cost - optimum) <= tolerance, "\(label): \(cost) against the brute-force optimum \(optimum)")
                    bruteForced += 1
                }
                if cost < c.cost - tolerance { cheaperThanSciPy += 1 }
                if order == c.order || order == c.order.reversed() { sameAsSciPy += 1 }
                #expect(abs(tree.leafOrderCost(condensed: cloud.condensed) - c.treeCost) <= 1e-10 * max(1, c.treeCost))
                if c.cost < c.treeCost - 1e-9 || cost < c.treeCost - 1e-9 { improvedOnTree += 1 }
                // Only sides change: every merge keeps its children, height and size.
                for (before, after) in zip(tree.merges, ordered.merges) {
                    #expect(Set([before.left, before.right]) == Set([after.left, after.right]), "\(label)")
                    #expect(before.height == after.height && before.size == after.size)
                }
                #expect(order.sorted() == Array(0..<cloud.count))
                checked += 1
            }
        }
        #expect(checked == 35 && bruteForced == 20)
        // The fixture must exercise the reordering: most trees' own orders are not optimal.
        #expect(improvedOnTree >= 25, "only \(improvedOnTree) of 35 trees were improved by a reordering")
        // Where SciPy's order is optimal Folio finds the same one (or its mirror image).
        #expect(sameAsSciPy + cheaperThanSciPy == 35, "\(sameAsSciPy) same, \(cheaperThanSciPy) cheaper")
        #expect(cheaperThanSciPy == 20, "Documentation/Algorithms.md quotes 20 of 35")
    }

    @Test("no order the tree allows is cheaper: brute force over every flip of 8-leaf trees", arguments: [11, 12, 13, 14])
    func bruteForce(seed: UInt64) throws {
        var random = AllocationTestRandom(seed: seed)
        let n = 8
        let points = (0..<n).map { _ in (random.normal() * 10, random.normal() * 10) }
        var condensed: [Double] = []
        for i in 0..<n {
            for j in (i + 1)..<n {
                condensed.append(((points[i].0 - points[j].0) * (points[i].0 - points[j].0) + (points[i].1 - points[j].1) * (points[i].1 - points[j].1)).squareRoot())
            }
        }
        for linkage in Linkage.allCases {
            let tree = linkage.dendrogram(condensed: condensed, count: n)
            let best = tree.optimallyOrdered(condensed: condensed).leafOrderCost(condensed: condensed)
            var cheapest = Double.infinity
            for mask in 0..<(1 << (n - 1)) {
                let flipped = Dendrogram(leafCount: n, merges: tree.merges.enumerated().map { k, m in
                    mask & (1 << k) == 0 ? m : Dendrogram.Merge(left: m.right, right: m.left, height: m.height, size: m.size)
                })
                cheapest = min(cheapest, flipped.leafOrderCost(condensed: condensed))
            }
            #expect(abs(best - cheapest) <= 1e-12 * max(1, cheapest), "\(linkage): \(best) against brute force \(cheapest)")
        }
    }

    @Test("one and two leaves are their own optimal order")
    func tinyTrees() {
        let one = Dendrogram(leafCount: 1, merges: [])
        #expect(one.optimallyOrdered(condensed: []).leafOrder == [0])
        let two = Linkage.single.dendrogram(condensed: [0.5], count: 2)
        #expect(two.optimallyOrdered(condensed: [0.5]).leafOrder == [0, 1])
    }

    /// skfolio's default HRP is Ward linkage, SciPy's optimal leaf ordering and recursive
    /// halving. The bisection is checked on skfolio's own order to 1e-10; Folio's optimal order
    /// must cost no more than skfolio's, and where the two orders agree so do the weights.
    @Test("HRP with Ward linkage and optimal leaf ordering against skfolio's default HierarchicalRiskParity")
    func skfolioDefaultHRP() throws {
        let f = try allocationFixture("leaf_ordering.json", as: LeafOrderingFixture.self)
        #expect(f.hrp.count == 3)
        for c in f.hrp {
            let cov = Matrix(fixtureRows: c.covariance), corr = Matrix(fixtureRows: c.correlation)
            let onSkfolioOrder = HierarchicalRiskParity.recursiveHalving(order: c.order, covariance: cov)
            #expect(maxAbsDifference(onSkfolioOrder, c.weights) < 1e-10, "n = \(c.count): bisection on skfolio's order")
            let hrp = try HierarchicalRiskParity(linkage: .ward, leafOrdering: .optimal).allocate(covariance: cov, correlation: corr)
            var cost = 0.0
            for (a, b) in zip(hrp.order, hrp.order.dropFirst()) { cost += max((1 - corr[a, b]) / 2, 0).squareRoot() }
            #expect(cost <= c.orderCost + 1e-10, "n = \(c.count): Folio's order costs \(cost), skfolio's \(c.orderCost)")
            if hrp.order == c.order || hrp.order == c.order.reversed() {
                #expect(maxAbsDifference(hrp.weights, c.weights) < 1e-10, "n = \(c.count)")
            }
            #expect(abs(hrp.weights.reduce(0, +) - 1) < 1e-12 && hrp.weights.allSatisfy { $0 > 0 })
        }
    }
}
