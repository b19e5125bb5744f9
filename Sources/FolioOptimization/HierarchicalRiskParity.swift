import FolioLinearAlgebra

/// The outcome of a hierarchical allocator: weights plus the clustering that produced them.
public struct HierarchicalAllocation: Sendable, Equatable {
    /// Portfolio weights, one per asset in the covariance's order; positive, summing to 1.
    public let weights: [Double]
    /// The asset dendrogram (SciPy linkage convention), for plotting or inspection.
    public let dendrogram: Dendrogram
    /// The quasi-diagonal asset order used by the allocation (the dendrogram's leaf order).
    public let order: [Int]
    /// Flat cluster label per asset (`0..<k`) for HERC; `nil` for HRP.
    public let clusterLabels: [Int]?
    /// Each asset's share of portfolio variance, `wᵢ(Σw)ᵢ / wᵀΣw`, summing to 1.
    public let riskContributions: [Double]
    /// Portfolio volatility `√(wᵀΣw)` in the units of the covariance's square root.
    public let volatility: Double
}

/// Hierarchical risk parity (HRP): cluster the assets on correlation distance, order them
/// quasi-diagonally along the dendrogram, then split capital by recursive bisection, each
/// half getting weight inversely proportional to the variance of its inverse-variance
/// portfolio (López de Prado 2016).
///
/// Distance is `dᵢⱼ = √((1 − ρᵢⱼ)/2)` (clipped to [0, 1]). The default ``Bisection/halving``
/// splits the ordered list in the middle, as López de Prado, PyPortfolioOpt `HRPOpt` and
/// skfolio `HierarchicalRiskParity` do; with the same covariance and correlation the weights
/// agree with PyPortfolioOpt for every linkage, and with skfolio for every linkage when
/// skfolio's seriation has `optimal_ordering=False`. skfolio's default, Ward linkage with
/// SciPy's optimal leaf ordering, is `HierarchicalRiskParity(linkage: .ward, leafOrdering:
/// .optimal)`, with one difference: SciPy's `optimal_leaf_ordering` can return an order that
/// is not the cheapest (scipy/scipy issue 11227); Folio's is (checked by brute force), so where
/// SciPy's is not, the weights differ. ``Bisection/dendrogram`` splits at the tree's own
/// children instead.
///
/// ```swift
/// let hrp = try HierarchicalRiskParity(linkage: .single).allocate(covariance: sigma)
/// print(hrp.dendrogram.textDiagram(labels: tickers))
/// ```
///
/// Reference: M. López de Prado (2016), "Building diversified portfolios that outperform out
/// of sample", Journal of Portfolio Management 42(4), 59–69.
public struct HierarchicalRiskParity: Sendable, Equatable {
    /// How each cluster is split in two during recursive bisection.
    public enum Bisection: Sendable, Equatable {
        /// Split the quasi-diagonally ordered list at its midpoint (López de Prado 2016).
        case halving
        /// Split at the two children of the dendrogram node.
        case dendrogram
    }

    /// The linkage used to build the tree; single by default, as in López de Prado (2016)
    /// and PyPortfolioOpt (skfolio defaults to Ward).
    public var linkage: Linkage
    /// The bisection rule; ``Bisection/halving`` by default.
    public var bisection: Bisection

    /// How the assets are ordered along the tree before bisection.
    public enum LeafOrdering: Sendable, Equatable {
        /// The tree's own order, left child first (López de Prado 2016, PyPortfolioOpt).
        case tree
        /// The order among those the tree allows with the smallest sum of distances between
        /// neighbours (``Dendrogram/optimallyOrdered(condensed:)``; skfolio's default).
        /// O(N³) in the worst case.
        case optimal
    }

    /// The leaf order; ``LeafOrdering/tree`` by default.
    public var leafOrdering: LeafOrdering

    /// An HRP allocator.
    ///
    /// - Parameters:
    ///   - linkage: the clustering linkage; default `.single`.
    ///   - bisection: the split rule; default `.halving`.
    ///   - leafOrdering: the order of the assets along the tree; default `.tree`.
    public init(linkage: Linkage = .single, bisection: Bisection = .halving, leafOrdering: LeafOrdering = .tree) {
        self.linkage = linkage
        self.bisection = bisection
        self.leafOrdering = leafOrdering
    }

    /// The HRP weights.
    ///
    /// - Parameters:
    ///   - covariance: N x N symmetric covariance with positive variances (any unit).
    ///   - correlation: the correlation used for the distances; `nil` (default) derives it
    ///     from `covariance` as `Σᵢⱼ/√(ΣᵢᵢΣⱼⱼ)`. Pass it to reproduce a tool that estimates
    ///     correlation separately.
    /// - Throws: ``AllocationError/nonFiniteInput(what:row:column:)``,
    ///   ``AllocationError/asymmetricCovariance(row:column:difference:)`` or
    ///   ``AllocationError/nonPositiveVariance(asset:variance:)``.
    /// - Precondition: square inputs of the same size.
    /// - Complexity: O(N²) time and memory (distances, nearest-neighbour chain, bisection);
    ///   O(N³) time in the worst case with ``LeafOrdering/optimal``.
    public func allocate(covariance: Matrix, correlation: Matrix? = nil) throws(AllocationError) -> HierarchicalAllocation {
        try validateCovariance(covariance)
        let n = covariance.rows
        let distances = try Self.distances(covariance: covariance, correlation: correlation)
        var dendrogram = linkage.dendrogram(condensed: distances, count: n)
        if leafOrdering == .optimal { dendrogram = dendrogram.optimallyOrdered(condensed: distances) }
        let order = dendrogram.leafOrder
        var weights = [Double](repeating: 1, count: n)
        if n > 1 {
            switch bisection {
            case .halving:
                weights = Self.recursiveHalving(order: order, covariance: covariance)
            case .dendrogram:
                var stack = [2 * n - 2]
                while let node = stack.popLast() {
                    guard let (left, right) = dendrogram.children(of: node) else { continue }
                    Self.split(&weights, dendrogram.leaves(under: left)[...], dendrogram.leaves(under: right)[...], covariance)
                    stack.append(right)
                    stack.append(left)
                }
            }
        }
        let contributions = AllocationResult(weights: weights, covariance: covariance, budgets: weights, iterations: 0)
        return HierarchicalAllocation(
            weights: weights, dendrogram: dendrogram, order: order, clusterLabels: nil,
            riskContributions: contributions.riskContributions, volatility: contributions.volatility)
    }

    /// López de Prado's bisection of an asset order: split each list at its midpoint, each half
    /// getting weight inversely proportional to its inverse-variance portfolio's variance.
    ///
    /// - Complexity: O(N² log N) for N assets.
    static func recursiveHalving(order: [Int], covariance: Matrix) -> [Double] {
        var weights = [Double](repeating: 1, count: covariance.rows)
        var items: [ArraySlice<Int>] = [order[...]]
        while !items.isEmpty {
            var next: [ArraySlice<Int>] = []
            for cluster in items where cluster.count > 1 {
                let mid = cluster.startIndex + cluster.count / 2
                let first = cluster[cluster.startIndex..<mid], second = cluster[mid...]
                split(&weights, first, second, covariance)
                next.append(first)
                next.append(second)
            }
            items = next
        }
        return weights
    }

    private static func split(_ weights: inout [Double], _ first: ArraySlice<Int>, _ second: ArraySlice<Int>, _ covariance: Matrix) {
        let v1 = Self.inverseVarianceClusterVariance(first, covariance)
        let v2 = Self.inverseVarianceClusterVariance(second, covariance)
        let alpha = 1 - v1 / (v1 + v2)
        for i in first { weights[i] *= alpha }
        for i in second { weights[i] *= 1 - alpha }
    }

    /// Variance of the inverse-variance portfolio of `items`.
    ///
    /// - Complexity: O(m²) for m items.
    static func inverseVarianceClusterVariance<C: Collection<Int>>(_ items: C, _ covariance: Matrix) -> Double {
        let n = covariance.rows
        return covariance.elements.withUnsafeBufferPointer { s in
            var total = 0.0
            for i in items { total += 1 / s[i + i * n] }
            var variance = 0.0
            for j in items {
                let wj = 1 / s[j + j * n] / total
                var column = 0.0
                for i in items { column += s[i + j * n] / s[i + i * n] }
                variance += wj * column / total
            }
            return variance
        }
    }

    /// Correlation distance `√((1 − ρ)/2)` clipped to [0, 1], then the dendrogram.
    static func cluster(covariance: Matrix, correlation: Matrix?, linkage: Linkage) throws(AllocationError) -> Dendrogram {
        linkage.dendrogram(condensed: try distances(covariance: covariance, correlation: correlation), count: covariance.rows)
    }

    /// Correlation distances `√((1 − ρ)/2)` clipped to [0, 1], in SciPy's condensed order.
    static func distances(covariance: Matrix, correlation: Matrix?) throws(AllocationError) -> [Double] {
        let n = covariance.rows
        if let correlation {
            precondition(correlation.rows == n && correlation.columns == n, "Correlation must match the covariance")
        }
        var condensed = [Double](repeating: 0, count: n * (n - 1) / 2)
        try covariance.elements.withUnsafeBufferPointer { (s) throws(AllocationError) in
            var inverseVolatility = [Double](repeating: 0, count: n)
            for i in 0..<n { inverseVolatility[i] = 1 / s[i + i * n].squareRoot() }
            var k = 0
            for i in 0..<n {
                for j in (i + 1)..<Swift.max(i + 1, n) {
                    let rho = correlation.map { $0.elements[i + j * n] } ?? s[i + j * n] * inverseVolatility[i] * inverseVolatility[j]
                    guard rho.isFinite else { throw .nonFiniteInput(what: "correlation", row: i, column: j) }
                    condensed[k] = Swift.min(Swift.max((1.0 - rho) / 2.0, 0), 1).squareRoot()
                    k += 1
                }
            }
        }
        return condensed
    }
}
