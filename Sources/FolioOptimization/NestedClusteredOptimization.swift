import FolioLinearAlgebra

/// The outcome of nested clustered optimization: the weights and the two levels that made them.
public struct NestedClusteredAllocation: Sendable, Equatable {
    /// Portfolio weights, one per asset in the covariance's order; non-negative, summing to 1.
    public let weights: [Double]
    /// Cluster label per asset, `0..<k`, numbered as the tree is read left to right.
    public let clusterLabels: [Int]
    /// Each cluster's weights over its own assets (zero elsewhere): k rows of N, each summing to 1.
    public let innerWeights: [[Double]]
    /// The weight of each cluster's portfolio in the whole, summing to 1.
    public let outerWeights: [Double]
    /// The k x k covariance of the cluster portfolios the outer problem was solved on.
    public let clusterCovariance: Matrix
    /// The asset dendrogram the clusters were cut from.
    public let dendrogram: Dendrogram
    /// Each asset's share of portfolio variance, `wᵢ(Σw)ᵢ / wᵀΣw`, summing to 1.
    public let riskContributions: [Double]
    /// Portfolio volatility `√(wᵀΣw)` in the units of the covariance's square root.
    public let volatility: Double
}

/// Nested clustered optimization (NCO): cluster the assets on correlation distance, find the
/// minimum-variance portfolio inside each cluster, then the minimum-variance mix of the cluster
/// portfolios. Each optimization sees only a small, well-conditioned block, which is the
/// method's point: the instability of one large inverse (Markowitz's curse) is contained inside
/// clusters of similar assets.
///
/// The clusters come from the same tree as HRP and HERC (distance `√((1 − ρ)/2)`, Ward linkage
/// by default) cut into k groups, k chosen by the two-order difference of the gap statistic as
/// skfolio does when it is not given. Both levels are long-only and fully invested, solved by
/// Folio's QP engine.
///
/// Two ways to form the outer problem's covariance, as in skfolio's
/// `NestedClustersOptimization`:
/// - from a covariance, ``allocate(covariance:correlation:)``: the cluster portfolios'
///   in-sample covariance `WᵀΣW` (skfolio with `cv="ignore"`);
/// - from returns, ``allocate(returns:folds:)``: each cluster portfolio's returns predicted out
///   of sample by k-fold cross-validation (its inner weights refitted without each fold), and
///   the outer problem solved on their sample covariance (skfolio's default, `KFold(5)`), so the
///   outer level does not trust the in-sample optimism of the inner one.
///
/// ```swift
/// let nco = try NestedClusteredOptimization().allocate(covariance: sigma)
/// print(nco.clusterLabels, nco.outerWeights)
/// ```
///
/// Reference: M. López de Prado (2019), "A robust estimator of the efficient frontier",
/// SSRN 3469961; M. López de Prado (2020), *Machine Learning for Asset Managers*, Cambridge
/// University Press, ch. 7.
public struct NestedClusteredOptimization: Sendable, Equatable {
    /// The clustering linkage; Ward by default (skfolio's default).
    public var linkage: Linkage
    /// The number of clusters, or `nil` (default) to choose it by the gap statistic.
    public var clusterCount: Int?

    /// An NCO allocator.
    ///
    /// - Parameters:
    ///   - linkage: the clustering linkage; default `.ward`.
    ///   - clusterCount: the number of clusters in `1...N`, or `nil` (default) to choose it.
    public init(linkage: Linkage = .ward, clusterCount: Int? = nil) {
        self.linkage = linkage
        self.clusterCount = clusterCount
    }

    /// NCO on a covariance: inner and outer minimum variance, the outer on `WᵀΣW`.
    ///
    /// - Parameters:
    ///   - covariance: N x N symmetric covariance with positive variances (any unit).
    ///   - correlation: the correlation for the distances; `nil` derives it from `covariance`.
    /// - Throws: ``AllocationError/invalidClusterCount(_:)``, the covariance errors of
    ///   ``HierarchicalRiskParity/allocate(covariance:correlation:)``, and
    ///   ``AllocationError/clusterOptimizationFailed(cluster:reason:)`` when a QP fails (a
    ///   singular block the engine cannot certify).
    /// - Complexity: O(N²) for the tree plus Σ O(n_c³) for the clusters and O(k³) for the
    ///   outer problem; choosing k adds O(N² · max(8, √N)).
    public func allocate(covariance: Matrix, correlation: Matrix? = nil) throws(AllocationError) -> NestedClusteredAllocation {
        let (dendrogram, labels, members) = try clusters(covariance: covariance, correlation: correlation)
        let inner = try innerWeights(members, covariance: covariance)
        let clusterCovariance = Self.clusterCovariance(inner, members, covariance)
        return try combine(inner, members, labels, clusterCovariance, covariance, dendrogram)
    }

    /// NCO on returns, the outer problem on out-of-sample cluster returns (skfolio's default).
    ///
    /// The asset covariance and correlation are the sample ones (unbiased, per period). The
    /// observations are split into `folds` contiguous blocks (scikit-learn `KFold` without
    /// shuffling: the first `T mod folds` blocks one row longer); each cluster's inner weights
    /// are refitted on the other blocks and applied to the block's returns. A one-asset cluster
    /// is its asset's own returns.
    ///
    /// - Parameters:
    ///   - returns: T x N per-period returns, finite.
    ///   - folds: the number of cross-validation blocks, in `2...T`; default 5.
    /// - Throws: as ``allocate(covariance:correlation:)``, and
    ///   ``AllocationError/nonFiniteInput(what:row:column:)`` for a non-finite return.
    /// - Precondition: `2 ≤ folds ≤ T`.
    /// - Complexity: O(T·N²) for the covariances of each fold, plus `folds + 1` times the
    ///   inner problems.
    public func allocate(returns: Matrix, folds: Int = 5) throws(AllocationError) -> NestedClusteredAllocation {
        let t = returns.rows, n = returns.columns
        precondition(folds >= 2 && folds <= t, "2 ≤ folds ≤ T")
        for j in 0..<n {
            for i in 0..<t where !returns[i, j].isFinite { throw .nonFiniteInput(what: "returns", row: i, column: j) }
        }
        let covariance = Self.sampleCovariance(returns, rows: Array(0..<t))
        let (dendrogram, labels, members) = try clusters(covariance: covariance, correlation: nil)
        let inner = try innerWeights(members, covariance: covariance)
        // Out-of-sample cluster returns, fold by fold.
        var predicted = Matrix(rows: t, columns: members.count)
        var start = 0
        for fold in 0..<folds {
            let size = t / folds + (fold < t % folds ? 1 : 0)
            let test = start..<(start + size)
            let train = Array(0..<start) + Array((start + size)..<t)
            start += size
            let trainCovariance = Self.sampleCovariance(returns, rows: train)
            let foldWeights = try innerWeights(members, covariance: trainCovariance)
            for (c, items) in members.enumerated() {
                for i in test {
                    var value = 0.0
                    for asset in items { value += foldWeights[c][asset] * returns[i, asset] }
                    predicted[i, c] = value
                }
            }
        }
        let clusterCovariance = Self.sampleCovariance(predicted, rows: Array(0..<t))
        return try combine(inner, members, labels, clusterCovariance, covariance, dendrogram)
    }

    private func clusters(covariance: Matrix, correlation: Matrix?) throws(AllocationError) -> (Dendrogram, [Int], [[Int]]) {
        try validateCovariance(covariance)
        let n = covariance.rows
        if let clusterCount, clusterCount < 1 || clusterCount > n { throw .invalidClusterCount(clusterCount) }
        let dendrogram = try HierarchicalRiskParity.cluster(covariance: covariance, correlation: correlation, linkage: linkage)
        let k = clusterCount ?? HierarchicalEqualRiskContribution.gapStatisticClusterCount(
            dendrogram, covariance: covariance, correlation: correlation)
        let labels = dendrogram.clusterLabels(maxClusters: k)
        var members = [[Int]](repeating: [], count: (labels.max() ?? -1) + 1)
        for (asset, label) in labels.enumerated() { members[label].append(asset) }
        return (dendrogram, labels, members)
    }

    /// Minimum variance inside each cluster (a one-asset cluster holds its asset).
    private func innerWeights(_ members: [[Int]], covariance: Matrix) throws(AllocationError) -> [[Double]] {
        let n = covariance.rows
        var result: [[Double]] = []
        for (c, items) in members.enumerated() {
            var w = [Double](repeating: 0, count: n)
            if items.count == 1 {
                w[items[0]] = 1
            } else {
                var block = Matrix(rows: items.count, columns: items.count)
                for (b, j) in items.enumerated() {
                    for (a, i) in items.enumerated() { block[a, b] = covariance[i, j] }
                }
                let solved = try Self.minimumVariance(block, cluster: c)
                for (a, i) in items.enumerated() { w[i] = solved[a] }
            }
            result.append(w)
        }
        return result
    }

    private func combine(_ inner: [[Double]], _ members: [[Int]], _ labels: [Int], _ clusterCovariance: Matrix,
                         _ covariance: Matrix, _ dendrogram: Dendrogram) throws(AllocationError) -> NestedClusteredAllocation {
        let outer = members.count == 1 ? [1.0] : try Self.minimumVariance(clusterCovariance, cluster: nil)
        var weights = [Double](repeating: 0, count: covariance.rows)
        for (c, row) in inner.enumerated() {
            for (i, w) in row.enumerated() { weights[i] += outer[c] * w }
        }
        let statistics = AllocationResult(weights: weights, covariance: covariance, budgets: weights, iterations: 0)
        return NestedClusteredAllocation(
            weights: weights, clusterLabels: labels, innerWeights: inner, outerWeights: outer,
            clusterCovariance: clusterCovariance, dendrogram: dendrogram,
            riskContributions: statistics.riskContributions, volatility: statistics.volatility)
    }

    /// Long-only, fully invested minimum variance; tiny negative round-off clipped and the
    /// weights renormalized so they are exactly non-negative and sum to 1.
    private static func minimumVariance(_ covariance: Matrix, cluster: Int?) throws(AllocationError) -> [Double] {
        let result: PortfolioOptimizationResult
        do {
            result = try MinimumVariance(covariance: covariance).solve()
        } catch {
            throw .clusterOptimizationFailed(cluster: cluster, reason: "\(error)")
        }
        let clipped = result.weights.map { Swift.max($0, 0) }
        let total = clipped.reduce(0, +)
        return clipped.map { $0 / total }
    }

    /// `WᵀΣW` for the cluster portfolios `W` (k x k), exactly symmetric.
    static func clusterCovariance(_ inner: [[Double]], _ members: [[Int]], _ covariance: Matrix) -> Matrix {
        let k = members.count
        var result = Matrix(rows: k, columns: k)
        for a in 0..<k {
            for b in a..<k {
                var value = 0.0
                for i in members[a] {
                    for j in members[b] { value += inner[a][i] * covariance[i, j] * inner[b][j] }
                }
                result[a, b] = value
                result[b, a] = value
            }
        }
        return result
    }

    /// The unbiased sample covariance (divisor T − 1) of the given rows.
    static func sampleCovariance(_ returns: Matrix, rows: [Int]) -> Matrix {
        let n = returns.columns, t = rows.count
        var centred = Matrix(rows: t, columns: n)
        for j in 0..<n {
            var mean = 0.0
            for i in rows { mean += returns[i, j] }
            mean /= Double(t)
            for (r, i) in rows.enumerated() { centred[r, j] = returns[i, j] - mean }
        }
        return centred.gramian(scale: 1 / Double(t - 1))
    }
}
