import FolioLinearAlgebra

/// How agglomerative clustering measures the distance between two clusters, given the
/// distances between their members (Lance–Williams updates).
///
/// The dendrograms match SciPy's `scipy.cluster.hierarchy.linkage` on the same condensed
/// distances: same merge order (ties broken as SciPy breaks them), same cluster ids, same
/// heights, same row order of the linkage matrix.
///
/// References: F. Murtagh, P. Contreras (2012), "Algorithms for hierarchical clustering: an
/// overview", WIREs Data Mining and Knowledge Discovery 2(1); D. Müllner (2011), "Modern
/// hierarchical, agglomerative clustering algorithms", arXiv:1109.2378.
public enum Linkage: String, Sendable, CaseIterable, Equatable {
    /// Nearest members: `d(A∪B, C) = min(d(A,C), d(B,C))`. Solved as a minimum spanning tree.
    case single
    /// Farthest members: `max(d(A,C), d(B,C))`.
    case complete
    /// Mean over all member pairs (UPGMA): `(|A|d(A,C) + |B|d(B,C)) / (|A|+|B|)`.
    case average
    /// WPGMA: `(d(A,C) + d(B,C)) / 2`.
    case weighted
    /// Ward's minimum-variance criterion (Lance–Williams form on the given distances).
    case ward

    /// The dendrogram of agglomerative clustering on a symmetric distance matrix.
    ///
    /// Reads the strictly upper triangle of `distances` (element `(i, j)`, `i < j`), as SciPy's
    /// `squareform` does.
    ///
    /// - Throws: ``AllocationError/nonFiniteInput(what:row:column:)`` for a NaN or infinite
    ///   distance.
    /// - Precondition: `distances` is square.
    /// - Complexity: O(N²) time and N²/2 doubles of memory: the nearest-neighbour-chain
    ///   algorithm for complete, average, weighted and Ward linkage; Prim's minimum spanning
    ///   tree for single linkage.
    public func dendrogram(distances: Matrix) throws(AllocationError) -> Dendrogram {
        precondition(distances.isSquare, "Distance matrix must be square")
        let n = distances.rows
        var condensed = [Double](repeating: 0, count: n * (n - 1) / 2)
        var k = 0
        for i in 0..<n {
            for j in (i + 1)..<Swift.max(i + 1, n) {
                let d = distances.elements[i + j * n]
                guard d.isFinite else { throw .nonFiniteInput(what: "distance matrix", row: i, column: j) }
                condensed[k] = d
                k += 1
            }
        }
        return dendrogram(condensed: condensed, count: n)
    }

    /// The dendrogram from condensed distances (the upper triangle row by row, as SciPy's
    /// `pdist` returns it).
    ///
    /// - Precondition: `condensed.count == count·(count−1)/2` and every entry is finite.
    /// - Complexity: O(N²).
    public func dendrogram(condensed: [Double], count n: Int) -> Dendrogram {
        precondition(condensed.count == n * (n - 1) / 2, "Condensed distances have the wrong length")
        precondition(condensed.allSatisfy(\.isFinite), "Distances must be finite")
        guard n > 1 else { return Dendrogram(leafCount: n, merges: []) }
        var raw: [(Int, Int, Double)]
        switch self {
        case .single: raw = Self.minimumSpanningTree(condensed, n)
        default: raw = nearestNeighborChain(condensed, n)
        }
        // Stable sort by height, then relabel with union-find (SciPy's convention).
        let order = raw.indices.sorted { a, b in raw[a].2 < raw[b].2 || (raw[a].2 == raw[b].2 && a < b) }
        raw = order.map { raw[$0] }
        var parent = Array(0..<(2 * n - 1))
        var size = [Int](repeating: 1, count: 2 * n - 1)
        func find(_ x: Int) -> Int {
            var root = x
            while parent[root] != root { root = parent[root] }
            var y = x
            while parent[y] != root { let next = parent[y]; parent[y] = root; y = next }
            return root
        }
        var merges: [Dendrogram.Merge] = []
        merges.reserveCapacity(n - 1)
        for (k, (x, y, height)) in raw.enumerated() {
            let rx = find(x), ry = find(y)
            let label = n + k
            parent[rx] = label
            parent[ry] = label
            size[label] = size[rx] + size[ry]
            merges.append(Dendrogram.Merge(left: Swift.min(rx, ry), right: Swift.max(rx, ry), height: height, size: size[label]))
        }
        return Dendrogram(leafCount: n, merges: merges)
    }

    @inline(__always)
    private static func index(_ n: Int, _ i: Int, _ j: Int) -> Int {
        i < j ? n * i - (i * (i + 1)) / 2 + (j - i - 1) : n * j - (j * (j + 1)) / 2 + (i - j - 1)
    }

    /// Prim's algorithm on the complete graph, in the visiting order SciPy uses.
    private static func minimumSpanningTree(_ dists: [Double], _ n: Int) -> [(Int, Int, Double)] {
        var merged = [Bool](repeating: false, count: n)
        var best = [Double](repeating: .infinity, count: n)
        var result: [(Int, Int, Double)] = []
        result.reserveCapacity(n - 1)
        var x = 0, y = 0
        dists.withUnsafeBufferPointer { d in
            for _ in 0..<(n - 1) {
                var currentMin = Double.infinity
                merged[x] = true
                for i in 0..<n where !merged[i] {
                    let dist = d[index(n, x, i)]
                    if best[i] > dist { best[i] = dist }
                    if best[i] < currentMin {
                        y = i
                        currentMin = best[i]
                    }
                }
                result.append((x, y, currentMin))
                x = y
            }
        }
        return result
    }

    /// The nearest-neighbour chain, merging reciprocal nearest neighbours (SciPy's scan order).
    private func nearestNeighborChain(_ dists: [Double], _ n: Int) -> [(Int, Int, Double)] {
        var d = dists
        var size = [Int](repeating: 1, count: n)
        var chain = [Int](repeating: 0, count: n)
        var chainLength = 0
        var result: [(Int, Int, Double)] = []
        result.reserveCapacity(n - 1)
        d.withUnsafeMutableBufferPointer { d in
            for _ in 0..<(n - 1) {
                if chainLength == 0 {
                    chainLength = 1
                    for i in 0..<n where size[i] > 0 {
                        chain[0] = i
                        break
                    }
                }
                var x = 0, y = 0
                var currentMin = Double.infinity
                while true {
                    x = chain[chainLength - 1]
                    if chainLength > 1 {
                        y = chain[chainLength - 2]
                        currentMin = d[Self.index(n, x, y)]
                    } else {
                        currentMin = .infinity
                    }
                    for i in 0..<n where size[i] > 0 && i != x {
                        let dist = d[Self.index(n, x, i)]
                        if dist < currentMin {
                            currentMin = dist
                            y = i
                        }
                    }
                    if chainLength > 1 && y == chain[chainLength - 2] { break }
                    chain[chainLength] = y
                    chainLength += 1
                }
                chainLength -= 2
                if x > y { swap(&x, &y) }
                let nx = size[x], ny = size[y]
                result.append((x, y, currentMin))
                size[x] = 0
                size[y] = nx + ny
                for i in 0..<n {
                    let ni = size[i]
                    if ni == 0 || i == y { continue }
                    let xi = Self.index(n, i, x), yi = Self.index(n, i, y)
                    d[yi] = update(d[xi], d[yi], currentMin, nx, ny, ni)
                }
            }
        }
        return result
    }

    /// Lance–Williams update: distance from cluster i to the union of x and y.
    @inline(__always)
    private func update(_ dxi: Double, _ dyi: Double, _ dxy: Double, _ nx: Int, _ ny: Int, _ ni: Int) -> Double {
        switch self {
        case .single: return Swift.min(dxi, dyi)
        case .complete: return Swift.max(dxi, dyi)
        case .average: return (Double(nx) * dxi + Double(ny) * dyi) / Double(nx + ny)
        case .weighted: return 0.5 * (dxi + dyi)
        case .ward:
            let t = 1.0 / Double(nx + ny + ni)
            return (Double(ni + nx) * t * dxi * dxi + Double(ni + ny) * t * dyi * dyi - Double(ni) * t * dxy * dxy).squareRoot()
        }
    }
}
