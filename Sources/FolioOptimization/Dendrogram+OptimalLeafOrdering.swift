extension Dendrogram {
    /// The same tree with the two children of each merge put in the order that makes the
    /// leaf order optimal: among the 2^(N−1) leaf orders the tree allows, the one with the
    /// smallest sum of distances between neighbouring leaves (SciPy's
    /// `optimal_leaf_ordering`, skfolio's default seriation for hierarchical risk parity).
    ///
    /// Only the sides of each merge change; heights, sizes and the clusters at every cut stay
    /// the same, so ``Merge/left`` may now be the larger id (as in SciPy's reordered linkage
    /// matrix). Of the two mirror images of the optimal order (same cost), the one that
    /// keeps the root's first child on the left is returned.
    ///
    /// The dynamic programme of Bar-Joseph, Gifford and Jaakkola: for every pair of leaves
    /// `(u, w)` the cheapest order of the cluster where they first meet that starts at `u` and
    /// ends at `w`; one `N x N` table suffices, since that cluster is the pair's lowest common
    /// ancestor.
    ///
    /// ```swift
    /// let tree = Linkage.ward.dendrogram(condensed: distances, count: n)
    /// let seriated = tree.optimallyOrdered(condensed: distances).leafOrder
    /// ```
    ///
    /// - Parameter condensed: the distances the tree was built from, in SciPy's condensed
    ///   order (`d(0,1), d(0,2), …, d(1,2), …`), `N(N−1)/2` finite values.
    /// - Returns: the reordered dendrogram.
    /// - Precondition: `condensed.count == N(N−1)/2`.
    /// - Complexity: O(N³) time in the worst case (O(N² log N) on a balanced tree), O(N²)
    ///   memory.
    ///
    /// Reference: Z. Bar-Joseph, D. K. Gifford and T. S. Jaakkola (2001), "Fast optimal leaf
    /// ordering for hierarchical clustering", Bioinformatics 17 (suppl. 1), S22–S29.
    public func optimallyOrdered(condensed: [Double]) -> Dendrogram {
        let n = leafCount
        precondition(condensed.count == n * Swift.max(n - 1, 0) / 2, "N(N−1)/2 condensed distances")
        guard n > 2 else { return self }
        var distance = [Double](repeating: 0, count: n * n)
        var index = 0
        for i in 0..<n {
            for j in (i + 1)..<n {
                distance[i * n + j] = condensed[index]
                distance[j * n + i] = condensed[index]
                index += 1
            }
        }
        // Leaves of every node, and for every leaf of a merged node the leaves of the other
        // child: the ends an order of that child can have when it starts at the leaf.
        var leavesOf = [[Int]](repeating: [], count: 2 * n - 1)
        for leaf in 0..<n { leavesOf[leaf] = [leaf] }
        for (k, merge) in merges.enumerated() { leavesOf[n + k] = leavesOf[merge.left] + leavesOf[merge.right] }
        /// The leaves `u`'s order in `node` may end at: `u` itself in a leaf, else the
        /// leaves of the child that does not hold `u`.
        func ends(of node: Int, startingAt u: Int, side: [Int8]) -> [Int] {
            guard node >= n else { return [node] }
            let merge = merges[node - n]
            return side[u] == 0 ? leavesOf[merge.right] : leavesOf[merge.left]
        }
        // cost[u * n + w]: the cheapest order of lca(u, w) from u to w (0 on the diagonal).
        var cost = [Double](repeating: 0, count: n * n)
        // side[u] at the time a node is processed: 0 if u is under its left child, 1 if right.
        var sideInLeft = [Int8](repeating: 0, count: n)
        var sideInRight = [Int8](repeating: 0, count: n)
        var sideAt = [[Int8]](repeating: [], count: 2 * n - 1)
        for (k, merge) in merges.enumerated() {
            let node = n + k
            let left = leavesOf[merge.left], right = leavesOf[merge.right]
            // Which grandchild holds each leaf, for both children.
            if merge.left >= n { sideInLeft = sideAt[merge.left] }
            if merge.right >= n { sideInRight = sideAt[merge.right] }
            var through = [Double](repeating: .infinity, count: left.count * right.count)
            // through[a, k]: cheapest order of the left child from left[a] to some m, then the step m → right[k].
            for (a, u) in left.enumerated() {
                let ms = ends(of: merge.left, startingAt: u, side: sideInLeft)
                for (b, kLeaf) in right.enumerated() {
                    var best = Double.infinity
                    for m in ms {
                        let candidate = cost[u * n + m] + distance[m * n + kLeaf]
                        if candidate < best { best = candidate }
                    }
                    through[a * right.count + b] = best
                }
            }
            var position = [Int](repeating: -1, count: n)
            for (b, kLeaf) in right.enumerated() { position[kLeaf] = b }
            for w in right {
                let ks = ends(of: merge.right, startingAt: w, side: sideInRight)
                for (a, u) in left.enumerated() {
                    var best = Double.infinity
                    for kLeaf in ks {
                        let candidate = through[a * right.count + position[kLeaf]] + cost[kLeaf * n + w]
                        if candidate < best { best = candidate }
                    }
                    cost[u * n + w] = best
                    cost[w * n + u] = best
                }
            }
            var side = [Int8](repeating: 0, count: n)
            for leaf in right { side[leaf] = 1 }
            sideAt[node] = side
            // A child's table is no longer needed once its parent is built.
            if merge.left >= n { sideAt[merge.left] = [] }
            if merge.right >= n { sideAt[merge.right] = [] }
        }
        // Rebuild from the root's best pair, keeping the root's first child on the left.
        let root = 2 * n - 2
        let rootMerge = merges[root - n]
        var best = (cost: Double.infinity, start: 0, end: 0)
        for u in leavesOf[rootMerge.left] {
            for w in leavesOf[rootMerge.right] where cost[u * n + w] < best.cost { best = (cost[u * n + w], u, w) }
        }
        var sideOf = [[Int8]](repeating: [], count: 2 * n - 1)
        func childSide(_ node: Int) -> [Int8] {
            if sideOf[node].isEmpty {
                var side = [Int8](repeating: 0, count: n)
                for leaf in leavesOf[merges[node - n].right] { side[leaf] = 1 }
                sideOf[node] = side
            }
            return sideOf[node]
        }
        var reordered = merges
        var stack = [(node: root, start: best.start, end: best.end)]
        while let (node, start, end) = stack.popLast() {
            guard node >= n else { continue }
            let merge = merges[node - n]
            let side = childSide(node)
            let (first, second) = side[start] == 0 ? (merge.left, merge.right) : (merge.right, merge.left)
            let firstSide = first >= n ? childSide(first) : [], secondSide = second >= n ? childSide(second) : []
            var pick = (cost: Double.infinity, m: start, k: end)
            for m in ends(of: first, startingAt: start, side: firstSide) {
                for kLeaf in ends(of: second, startingAt: end, side: secondSide) {
                    let candidate = cost[start * n + m] + distance[m * n + kLeaf] + cost[kLeaf * n + end]
                    if candidate < pick.cost { pick = (candidate, m, kLeaf) }
                }
            }
            reordered[node - n] = Merge(left: first, right: second, height: merge.height, size: merge.size)
            stack.append((first, start, pick.m))
            stack.append((second, pick.k, end))
        }
        return Dendrogram(leafCount: n, merges: reordered)
    }

    /// The sum of distances between neighbouring leaves of ``leafOrder``: what
    /// ``optimallyOrdered(condensed:)`` minimises.
    ///
    /// - Parameter condensed: `N(N−1)/2` distances in SciPy's condensed order.
    /// - Complexity: O(N).
    public func leafOrderCost(condensed: [Double]) -> Double {
        let n = leafCount
        precondition(condensed.count == n * Swift.max(n - 1, 0) / 2, "N(N−1)/2 condensed distances")
        let order = leafOrder
        var total = 0.0
        for (a, b) in zip(order, order.dropFirst()) {
            let i = Swift.min(a, b), j = Swift.max(a, b)
            total += condensed[n * i - i * (i + 1) / 2 + (j - i - 1)]
        }
        return total
    }
}
