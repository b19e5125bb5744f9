import FolioLinearAlgebra

/// The tree of an agglomerative clustering, in SciPy's linkage-matrix convention.
///
/// Leaves are the assets `0..<N`. Merge `k` (in ascending height) joins clusters
/// ``Merge/left`` and ``Merge/right`` (`left < right`, except in a tree reordered by
/// ``optimallyOrdered(condensed:)``) into a new cluster with id `N + k`;
/// the root is `2N − 2`. Use it to plot the hierarchy, to order assets quasi-diagonally, or
/// to cut the tree into clusters.
public struct Dendrogram: Sendable, Equatable {
    /// One agglomeration step: a row of SciPy's linkage matrix `Z`.
    public struct Merge: Sendable, Equatable {
        /// Id of the first joined cluster (the smaller id unless the tree was reordered).
        public let left: Int
        /// Id of the second joined cluster (the larger id).
        public let right: Int
        /// Linkage distance between the two clusters (the merge height).
        public let height: Double
        /// Number of leaves in the new cluster.
        public let size: Int
    }

    /// Number of leaves (assets).
    public let leafCount: Int
    /// The `N − 1` merges, in ascending height.
    public let merges: [Merge]

    /// A dendrogram from its merges.
    ///
    /// - Precondition: `merges.count == max(leafCount − 1, 0)`.
    public init(leafCount: Int, merges: [Merge]) {
        precondition(merges.count == Swift.max(leafCount - 1, 0), "A dendrogram of N leaves has N − 1 merges")
        self.leafCount = leafCount
        self.merges = merges
    }

    /// SciPy's `(N − 1) x 4` linkage matrix: left id, right id, height, size per row.
    ///
    /// - Complexity: O(N).
    public var linkageMatrix: Matrix {
        Matrix(rows: merges.map { [Double($0.left), Double($0.right), $0.height, Double($0.size)] })
    }

    /// The children of cluster `id`, or `nil` for a leaf.
    public func children(of id: Int) -> (left: Int, right: Int)? {
        id < leafCount ? nil : (merges[id - leafCount].left, merges[id - leafCount].right)
    }

    /// The leaves in left-to-right order of the tree (left child first), which is the
    /// quasi-diagonal order of López de Prado (2016); SciPy's `leaves_list` and
    /// `to_tree(Z).pre_order()`.
    ///
    /// - Complexity: O(N).
    public var leafOrder: [Int] {
        leaves(under: 2 * leafCount - 2)
    }

    /// The leaves of cluster `id`, left to right.
    ///
    /// - Complexity: O(size of the cluster).
    public func leaves(under id: Int) -> [Int] {
        guard leafCount > 0 else { return [] }
        if leafCount == 1 { return [0] }
        var order: [Int] = []
        var stack = [id]
        while let node = stack.popLast() {
            if node < leafCount {
                order.append(node)
            } else {
                let merge = merges[node - leafCount]
                stack.append(merge.right)
                stack.append(merge.left)
            }
        }
        return order
    }

    /// Flat clusters with at most `maxClusters` members each labelled `0..<k`: the tree cut at
    /// the lowest height leaving no more than `maxClusters` clusters (SciPy's
    /// `fcluster(Z, maxClusters, criterion: "maxclust") − 1`, labels numbered left to right).
    ///
    /// - Precondition: `maxClusters ≥ 1`.
    /// - Complexity: O(N log N).
    public func clusterLabels(maxClusters: Int) -> [Int] {
        precondition(maxClusters >= 1, "At least one cluster")
        let n = leafCount
        guard n > 1 else { return [Int](repeating: 0, count: n) }
        // Highest merge height below each node (monotone for every supported linkage).
        var maxHeight = [Double](repeating: 0, count: n - 1)
        for (k, m) in merges.enumerated() {
            var h = m.height
            if m.left >= n { h = Swift.max(h, maxHeight[m.left - n]) }
            if m.right >= n { h = Swift.max(h, maxHeight[m.right - n]) }
            maxHeight[k] = h
        }
        let sorted = maxHeight.sorted()
        var threshold = -Double.infinity
        if maxClusters < n {
            // Smallest threshold t among the heights with #{nodes ≤ t} ≥ n − maxClusters.
            threshold = sorted[n - maxClusters - 1]
        }
        var labels = [Int](repeating: -1, count: n)
        var next = 0
        var stack = [2 * n - 2]
        while let node = stack.popLast() {
            if node < n || maxHeight[node - n] <= threshold {
                for leaf in leaves(under: node) { labels[leaf] = next }
                next += 1
            } else {
                let merge = merges[node - n]
                stack.append(merge.right)
                stack.append(merge.left)
            }
        }
        return labels
    }

    /// The partition into exactly `clusterCount` clusters obtained by applying the first
    /// `N − clusterCount` merges (SciPy's `cut_tree`), as lists of leaves.
    ///
    /// - Precondition: `1 ≤ clusterCount ≤ N`.
    /// - Complexity: O(N).
    public func cut(clusterCount: Int) -> [[Int]] {
        precondition(clusterCount >= 1 && clusterCount <= Swift.max(leafCount, 1), "Cluster count out of range")
        let n = leafCount
        var roots = Set(0..<n)
        for k in 0..<(n - clusterCount) {
            roots.remove(merges[k].left)
            roots.remove(merges[k].right)
            roots.insert(n + k)
        }
        return roots.sorted().map { leaves(under: $0) }
    }

    /// A text drawing of the tree, one leaf per line in ``leafOrder``, each junction with
    /// its merge height.
    ///
    /// ```
    /// ┬ 0.412
    /// ├─┬ 0.207
    /// │ ├── AAA
    /// │ └── BBB
    /// └── CCC
    /// ```
    ///
    /// - Parameters:
    ///   - labels: one name per leaf; defaults to the leaf indices.
    ///   - heightFormat: formats a merge height.
    /// - Complexity: O(N · depth).
    public func textDiagram(labels: [String]? = nil, heightFormat: (Double) -> String = Dendrogram.threeDecimals) -> String {
        let names = labels ?? (0..<leafCount).map(String.init)
        precondition(names.count == leafCount, "One label per leaf")
        guard leafCount > 0 else { return "" }
        var lines: [String] = []
        func draw(_ node: Int, _ prefix: String, _ connector: String, _ childPrefix: String) {
            if node < leafCount {
                lines.append(prefix + connector + "─ " + names[node])
                return
            }
            let merge = merges[node - leafCount]
            lines.append(prefix + connector + "┬ " + heightFormat(merge.height))
            draw(merge.left, prefix + childPrefix, "├─", "│ ")
            draw(merge.right, prefix + childPrefix, "└─", "  ")
        }
        if leafCount == 1 {
            return "── " + names[0]
        }
        let root = merges[leafCount - 2]
        lines.append("┬ " + heightFormat(root.height))
        draw(root.left, "", "├─", "│ ")
        draw(root.right, "", "└─", "  ")
        return lines.joined(separator: "\n")
    }

    /// A number with three decimals (the default merge-height format of ``textDiagram(labels:heightFormat:)``).
    public static func threeDecimals(_ value: Double) -> String {
        let scaled = (value * 1000).rounded()
        let sign = scaled < 0 ? "-" : ""
        let magnitude = Int(abs(scaled))
        let fraction = String(magnitude % 1000)
        return sign + String(magnitude / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
