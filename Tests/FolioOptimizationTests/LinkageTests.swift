import Foundation
import Testing
import FolioLinearAlgebra
@testable import FolioOptimization

private struct LinkageFixture: Decodable {
    struct Case: Decodable {
        let name: String
        let count: Int
        let linkage: String
        let condensed: [Double]
        let Z: [[Double]]
        let leaves: [Int]
        let maxclust4: [Int]
    }
    let cases: [Case]
}

@Suite("Linkage")
struct LinkageTests {
    @Test("matches scipy.cluster.hierarchy.linkage, leaves_list and fcluster(maxclust)")
    func goldenScipy() throws {
        let fixture = try allocationFixture("linkage.json", as: LinkageFixture.self)
        #expect(fixture.cases.count == 15)
        for c in fixture.cases {
            let method = try #require(Linkage(rawValue: c.linkage))
            let tree = method.dendrogram(condensed: c.condensed, count: c.count)
            for (k, row) in c.Z.enumerated() {
                let merge = tree.merges[k]
                #expect(Double(merge.left) == row[0] && Double(merge.right) == row[1], "\(c.name) \(c.linkage) row \(k)")
                #expect(abs(merge.height - row[2]) <= 1e-14 * max(1, abs(row[2])), "\(c.name) \(c.linkage) row \(k)")
                #expect(Double(merge.size) == row[3])
            }
            #expect(tree.leafOrder == c.leaves, "\(c.name) \(c.linkage)")
            // Same partition (SciPy numbers the flat clusters in another order).
            #expect(canonical(tree.clusterLabels(maxClusters: 4)) == canonical(c.maxclust4), "\(c.name) \(c.linkage)")
        }
    }

    @Test("square-matrix entry point equals the condensed one")
    func squareMatrix() throws {
        var random = AllocationTestRandom(seed: 7)
        let n = 9
        var d = Matrix(rows: n, columns: n)
        var condensed: [Double] = []
        for i in 0..<n {
            for j in (i + 1)..<n {
                let v = Double.random(in: 0...1, using: &random)
                d[i, j] = v; d[j, i] = v
                condensed.append(v)
            }
        }
        for method in Linkage.allCases {
            #expect(try method.dendrogram(distances: d) == method.dendrogram(condensed: condensed, count: n))
        }
        d[2, 5] = .nan
        #expect(throws: AllocationError.nonFiniteInput(what: "distance matrix", row: 2, column: 5)) {
            try Linkage.single.dendrogram(distances: d)
        }
    }

    @Test("dendrogram helpers: cut, text diagram")
    func helpers() {
        let tree = Linkage.average.dendrogram(condensed: [1, 4, 5, 4, 5, 2], count: 4)
        // 0-1 at 1, 2-3 at 2, then the two pairs.
        #expect(tree.merges.map(\.size) == [2, 2, 4])
        #expect(Set(tree.cut(clusterCount: 2).map { Set($0) }) == [Set([0, 1]), Set([2, 3])])
        let text = tree.textDiagram(labels: ["A", "B", "C", "D"])
        #expect(text == """
            ┬ 4.500
            ├─┬ 1.000
            │ ├── A
            │ └── B
            └─┬ 2.000
              ├── C
              └── D
            """)
        #expect(tree.linkageMatrix.rows == 3)
    }
}

/// Relabels clusters by first appearance so that partitions compare regardless of numbering.
func canonical(_ labels: [Int]) -> [Int] {
    var map: [Int: Int] = [:]
    return labels.map { label in
        if let m = map[label] { return m }
        map[label] = map.count
        return map.count - 1
    }
}
