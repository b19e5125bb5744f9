import FolioLinearAlgebra

/// Closed-form baseline allocations, long-only and fully invested, reported in the same
/// ``AllocationResult`` as ``RiskBudgeting`` (risk contributions measured against equal
/// budgets `1/N`) so they can be compared directly.
///
/// - ``equalWeight``: `wᵢ = 1/N` (DeMiguel, Garlappi & Uppal 2009, "Optimal versus naive
///   diversification", Review of Financial Studies 22(5)).
/// - ``inverseVolatility``: `wᵢ ∝ 1/σᵢ`, which is ERC when all correlations are equal
///   (Maillard, Roncalli & Teïletche 2010, "The properties of equally weighted risk
///   contribution portfolios", Journal of Portfolio Management 36(4)).
/// - ``inverseVariance``: `wᵢ ∝ 1/σᵢ²`, the minimum-variance portfolio when correlations are
///   zero (used inside hierarchical risk parity, López de Prado 2016).
public enum SimpleAllocator: String, Sendable, CaseIterable, Equatable {
    /// Every asset gets `1/N`.
    case equalWeight
    /// Weights proportional to `1/σᵢ`.
    case inverseVolatility
    /// Weights proportional to `1/σᵢ²`.
    case inverseVariance

    /// The weights for `covariance`, with their risk contributions.
    ///
    /// - Parameter covariance: N x N symmetric covariance with a positive diagonal (any unit).
    /// - Throws: ``AllocationError/nonFiniteInput(what:row:column:)``,
    ///   ``AllocationError/asymmetricCovariance(row:column:difference:)`` or
    ///   ``AllocationError/nonPositiveVariance(asset:variance:)``.
    /// - Precondition: `covariance` is square.
    /// - Complexity: O(N²) for the validation and risk contributions; the weights alone are O(N).
    public func allocate(covariance: Matrix) throws(AllocationError) -> AllocationResult {
        try validateCovariance(covariance)
        let n = covariance.rows
        let variances = covariance.diagonal
        var raw: [Double]
        switch self {
        case .equalWeight: raw = [Double](repeating: 1, count: n)
        case .inverseVolatility: raw = variances.map { 1 / $0.squareRoot() }
        case .inverseVariance: raw = variances.map { 1 / $0 }
        }
        let total = raw.reduce(0, +)
        raw = raw.map { $0 / total }
        return AllocationResult(
            weights: raw, covariance: covariance, budgets: [Double](repeating: 1 / Double(n), count: n), iterations: 0)
    }
}
