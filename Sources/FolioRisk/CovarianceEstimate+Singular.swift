import FolioLinearAlgebra

extension CovarianceEstimate {
    /// The ratio below which `checkInvertible(reason:)` calls a covariance singular:
    /// λ_min ≤ 1e-12 · λ_max (a condition number above 10¹²). A rank-deficient estimate (a
    /// detoned matrix, a sample covariance from no more observations than assets) has
    /// λ_min/λ_max near 1e-16; a usable one stays far above 1e-12.
    public static let singularityThreshold = 1e-12

    /// Throws unless the matrix can serve as a risk model to optimize against.
    ///
    /// A singular covariance offers portfolios of (numerically) zero variance: an optimizer
    /// finds one, and its volatility prints as 0.00% with a Sharpe ratio in the millions.
    /// This check stops that with an error naming the cause.
    ///
    /// - Parameter reason: why the estimator gave a singular matrix and what to use instead,
    ///   for the error's message.
    /// - Throws: `RiskModelError.singularCovariance` when λ_min ≤ `singularityThreshold`·λ_max
    ///   (or λ_max ≤ 0); `.linearAlgebra` for non-finite entries.
    /// - Complexity: O(N³). Calls LAPACK `dsyevr`.
    public func checkInvertible(reason: @autoclosure () -> String) throws(RiskModelError) {
        let eigenvalues = try eigen(matrix).eigenvalues
        guard let smallest = eigenvalues.first, let largest = eigenvalues.last else { return }
        if !(largest > 0) || smallest <= Self.singularityThreshold * largest {
            throw .singularCovariance(smallestEigenvalue: smallest, largestEigenvalue: largest, reason: reason())
        }
    }
}
