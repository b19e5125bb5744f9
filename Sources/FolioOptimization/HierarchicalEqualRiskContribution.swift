import FolioLinearAlgebra

/// Hierarchical equal risk contribution (HERC): the HRP tree is cut into `k` flat clusters;
/// capital is split top-down along the dendrogram between the clusters under each node in
/// inverse proportion to their summed risk, and inside each cluster by inverse variance
/// (Raffinot 2018). Risk is variance, as in skfolio's default.
///
/// With the same covariance, correlation, linkage and number of clusters the weights match
/// skfolio `HierarchicalEqualRiskContribution` (risk measure variance, no weight bounds).
/// When `clusterCount` is `nil` the number of clusters is chosen as skfolio does, by the
/// two-order difference to the gap statistic (Yue, Wang & Wei 2009) over
/// `k ≤ max(8, √N)`.
///
/// References: T. Raffinot (2018), "The hierarchical equal risk contribution portfolio",
/// SSRN 3237540. S. Yue, X. Wang, M. Wei (2009), "Application of two-order difference to
/// gap statistic", Transactions of Tianjin University 14.
public struct HierarchicalEqualRiskContribution: Sendable, Equatable {
    /// The linkage; Ward by default (skfolio's default).
    public var linkage: Linkage
    /// The number of flat clusters; `nil` picks it by the two-order-difference gap statistic.
    public var clusterCount: Int?

    /// A HERC allocator.
    ///
    /// - Parameters:
    ///   - linkage: the clustering linkage; default `.ward`.
    ///   - clusterCount: the number of flat clusters, or `nil` (default) to choose it.
    public init(linkage: Linkage = .ward, clusterCount: Int? = nil) {
        self.linkage = linkage
        self.clusterCount = clusterCount
    }

    /// The HERC weights.
    ///
    /// - Parameters:
    ///   - covariance: N x N symmetric covariance with positive variances.
    ///   - correlation: the correlation for the distances; `nil` derives it from `covariance`.
    /// - Throws: ``AllocationError/invalidClusterCount(_:)`` for a count outside `1...N`, and
    ///   the covariance errors of ``HierarchicalRiskParity/allocate(covariance:correlation:)``.
    /// - Complexity: O(N²) given the cluster count; choosing it adds O(N² · max(8, √N)).
    public func allocate(covariance: Matrix, correlation: Matrix? = nil) throws(AllocationError) -> HierarchicalAllocation {
        try validateCovariance(covariance)
        let n = covariance.rows
        if let clusterCount, clusterCount < 1 || clusterCount > n { throw .invalidClusterCount(clusterCount) }
        let dendrogram = try HierarchicalRiskParity.cluster(covariance: covariance, correlation: correlation, linkage: linkage)
        let k = clusterCount ?? Self.gapStatisticClusterCount(dendrogram, covariance: covariance, correlation: correlation)
        let labels = dendrogram.clusterLabels(maxClusters: k)
        let count = (labels.max() ?? -1) + 1
        var members = [[Int]](repeating: [], count: count)
        for (asset, label) in labels.enumerated() { members[label].append(asset) }

        var weights = [Double](repeating: 1, count: n)
        var clusterRisk = [Double](repeating: 0, count: count)
        for (c, items) in members.enumerated() {
            var total = 0.0
            for i in items { total += 1 / covariance.elements[i + i * n] }
            for i in items { weights[i] = 1 / covariance.elements[i + i * n] / total }
            clusterRisk[c] = HierarchicalRiskParity.inverseVarianceClusterVariance(items, covariance)
        }
        if n > 1 {
            // Which cluster (if any) each tree node is; the risk of the clusters below each node.
            let nodes = 2 * n - 1
            var clusterOf = [Int](repeating: -1, count: nodes)
            var riskBelow = [Double](repeating: 0, count: nodes)
            var complete = [Bool](repeating: false, count: nodes)  // node lies inside one cluster
            for i in 0..<n { complete[i] = true }
            for (k, m) in dendrogram.merges.enumerated() {
                complete[n + k] = complete[m.left] && complete[m.right] && labels[dendrogram.leaves(under: m.left).first!] == labels[dendrogram.leaves(under: m.right).first!]
            }
            for node in 0..<nodes where complete[node] {
                let parentComplete: Bool = {
                    guard let k = dendrogram.merges.firstIndex(where: { $0.left == node || $0.right == node }) else { return false }
                    return complete[n + k]
                }()
                if !parentComplete {
                    let c = labels[node < n ? node : dendrogram.leaves(under: node).first!]
                    clusterOf[node] = c
                    riskBelow[node] = clusterRisk[c]
                }
            }
            for (k, m) in dendrogram.merges.enumerated() where clusterOf[n + k] < 0 {
                riskBelow[n + k] = riskBelow[m.left] + riskBelow[m.right]
            }
            var factor = [Double](repeating: 1, count: count)
            var stack: [(Int, Double)] = [(2 * n - 2, 1)]
            while let (node, share) = stack.popLast() {
                if clusterOf[node] >= 0 {
                    factor[clusterOf[node]] = share
                    continue
                }
                let m = dendrogram.merges[node - n]
                let alpha = 1 - riskBelow[m.left] / (riskBelow[m.left] + riskBelow[m.right])
                stack.append((m.right, share * (1 - alpha)))
                stack.append((m.left, share * alpha))
            }
            for i in 0..<n { weights[i] *= factor[labels[i]] }
        }
        let contributions = AllocationResult(weights: weights, covariance: covariance, budgets: weights, iterations: 0)
        return HierarchicalAllocation(
            weights: weights, dendrogram: dendrogram, order: dendrogram.leafOrder, clusterLabels: labels,
            riskContributions: contributions.riskContributions, volatility: contributions.volatility)
    }

    /// The number of clusters maximising `W(k+2) + W(k) − 2W(k+1)`, with `W(k)` the sum over
    /// the clusters of `cut(k)` of their mean pairwise distance, for `k ≤ max(8, √N)`.
    static func gapStatisticClusterCount(_ dendrogram: Dendrogram, covariance: Matrix, correlation: Matrix?) -> Int {
        let n = dendrogram.leafCount
        if n <= 2 { return n }
        let limit = Swift.min(n, Swift.max(8, Int((Double(n).squareRoot()).rounded(.toNearestOrEven))))
        func distance(_ i: Int, _ j: Int) -> Double {
            let rho = correlation.map { $0[i, j] }
                ?? covariance[i, j] / (covariance[i, i] * covariance[j, j]).squareRoot()
            return Swift.min(Swift.max((1.0 - rho) / 2.0, 0), 1).squareRoot()
        }
        var dispersion: [Double] = []
        for k in 1...limit {
            var total = 0.0
            for cluster in dendrogram.cut(clusterCount: k) where cluster.count > 1 {
                var sum = 0.0
                let sorted = cluster.sorted()
                for a in 0..<sorted.count {
                    for b in (a + 1)..<sorted.count { sum += distance(sorted[a], sorted[b]) }
                }
                total += sum / Double(sorted.count * (sorted.count - 1) / 2)
            }
            dispersion.append(total)
        }
        var best = 0, bestGap = -Double.infinity
        for k in 0..<(dispersion.count - 2) {
            let gap = dispersion[k + 2] + dispersion[k] - 2 * dispersion[k + 1]
            if gap > bestGap { bestGap = gap; best = k }
        }
        return best + 2
    }
}
