import FolioLinearAlgebra

/// What the positive-definite repair did to a covariance estimated from ragged returns.
///
/// A pairwise-complete covariance is estimated pair by pair over different dates, so it need
/// not be positive semidefinite. When it is not, `NearestPositiveDefinite.repair` (eigenvalue
/// clipping of the correlation matrix, variances kept) replaces it, and this note says so and
/// how far the matrix moved.
public struct CovarianceRepairNote: Sendable, Equatable, CustomStringConvertible {
    /// The smallest eigenvalue of the matrix before the repair (negative or zero), in the
    /// units of the estimate.
    public let smallestEigenvalueBefore: Double
    /// ‖Σ_repaired − Σ‖_F, in the units of the estimate.
    public let frobeniusDistance: Double
    /// ‖Σ_repaired − Σ‖_F / ‖Σ‖_F.
    public let relativeDistance: Double
    /// The largest change of one element, max |Σ_repaired − Σ|ᵢⱼ, in the units of the estimate.
    public let largestChange: Double

    /// Creates a note from its figures.
    public init(smallestEigenvalueBefore: Double, frobeniusDistance: Double, relativeDistance: Double,
                largestChange: Double) {
        self.smallestEigenvalueBefore = smallestEigenvalueBefore
        self.frobeniusDistance = frobeniusDistance
        self.relativeDistance = relativeDistance
        self.largestChange = largestChange
    }

    /// One line for a report.
    public var description: String {
        "the pairwise covariance was not positive definite (smallest eigenvalue \(shortNumber(smallestEigenvalueBefore))); "
            + "repaired to the nearest positive-definite matrix with the same variances, moving it by "
            + "\(shortNumber(relativeDistance * 100))% in Frobenius norm (largest element change \(shortNumber(largestChange)))"
    }
}

func shortNumber(_ x: Double) -> String {
    let magnitude = Swift.abs(x)
    if magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e6) {
        let exponent = Int((_log(magnitude) / _log(10)).rounded(.down))
        let mantissa = x / _pow(10, Double(exponent))
        return "\((mantissa * 1000).rounded() / 1000)e\(exponent)"
    }
    return "\((x * 10000).rounded() / 10000)"
}

/// A covariance estimator that also reads ragged returns (assets with different histories).
///
/// Each conforming estimator follows the convention of its Python peer on data with missing
/// returns (see Documentation/Algorithms.md, "Ragged price histories"):
/// - `SampleCovariance`: pairwise-complete, each pair over the rows both assets share, with
///   the means of those rows (pandas `DataFrame.cov`, PyPortfolioOpt `sample_cov`);
/// - `ExponentiallyWeightedCovariance`: pairwise, each asset demeaned by its own mean, weights
///   by absolute position (PyPortfolioOpt `exp_cov` through pandas `ewm`);
/// - `FixedShrinkage`: the pairwise covariance shrunk toward its average variance
///   (PyPortfolioOpt `CovarianceShrinkage.shrunk_covariance`);
/// - `LedoitWolfShrinkage` and `OracleApproximatingShrinkage`: missing returns set to zero
///   (`np.nan_to_num`, as PyPortfolioOpt `CovarianceShrinkage`), with the constant-correlation
///   target built from the pairwise covariance as PyPortfolioOpt does;
/// - `Semicovariance`: a missing return contributes no shortfall, divisor T
///   (PyPortfolioOpt `semicovariance`, whose `np.fmin` turns NaN into 0).
///
/// A result that is not positive definite is repaired with `NearestPositiveDefinite` and the
/// estimate's `repair` says how far it moved. On complete data every conformer returns
/// exactly its `ReturnSeries` estimate.
public protocol RaggedCovarianceEstimator: CovarianceEstimator {
    /// The covariance of ragged `returns`, repaired to positive definite when needed.
    func estimate(_ returns: RaggedReturns) throws(RiskModelError) -> CovarianceEstimate
}

/// The pairwise-complete covariance of ragged returns, in the units of the returns.
///
/// Σᵢⱼ = Σₜ (xₜᵢ − x̄ᵢ⁽ⁱʲ⁾)(xₜⱼ − x̄ⱼ⁽ⁱʲ⁾) / (nᵢⱼ − ddof) over the nᵢⱼ rows where both have a
/// return, with means over those rows (pandas `nancorr`). Computed with three BLAS products
/// on returns first centered by each asset's own mean (the pair means then differ from zero
/// by little, so the one-pass correction loses no digits that matter):
/// P = XcᵀXc, S = XcᵀM, N = MᵀM with M the 0/1 mask, and
/// Σᵢⱼ = (Pᵢⱼ − SᵢⱼSⱼᵢ/Nᵢⱼ) / (Nᵢⱼ − ddof).
///
/// - Throws: `RiskModelError.insufficientOverlap` naming the first pair sharing fewer than two
///   rows.
/// - Complexity: about 3·N²·T flops in BLAS (`dsyrk`, `dgemm`), O(N²) after.
func pairwiseCovariance(_ returns: RaggedReturns, ddof: Int) throws(RiskModelError) -> (matrix: Matrix, counts: Matrix) {
    let (xc, mask, _) = returns.centeredAndMask()
    let n = returns.assetCount
    let p = xc.gramian()
    let s = xc.multiplied(by: mask, transposingSelf: true)
    let counts = mask.gramian()
    var out = Matrix(rows: n, columns: n)
    for j in 0..<n {
        for i in j..<n {
            let shared = counts[i, j].rounded()
            guard shared >= 2 else {
                throw .insufficientOverlap(first: returns.assets[j], second: returns.assets[i], shared: Int(shared), required: 2)
            }
            let value = (p[i, j] - s[i, j] * s[j, i] / shared) / (shared - Double(ddof))
            out[i, j] = value
            out[j, i] = value
        }
    }
    return (out, counts)
}

/// Repairs `matrix` when it is not positive definite and says how far it moved.
func repairedIfNeeded(_ matrix: Matrix) throws(RiskModelError) -> (matrix: Matrix, note: CovarianceRepairNote?) {
    let repaired = try NearestPositiveDefinite.repair(matrix)
    guard repaired.elements != matrix.elements else { return (matrix, nil) }
    let difference = repaired - matrix
    let largest = difference.elements.reduce(0) { Swift.max($0, Swift.abs($1)) }
    let norm = matrix.frobeniusNorm
    let before = try eigen(matrix).eigenvalues.first ?? 0
    return (repaired, CovarianceRepairNote(smallestEigenvalueBefore: before, frobeniusDistance: difference.frobeniusNorm,
                                           relativeDistance: norm > 0 ? difference.frobeniusNorm / norm : 0,
                                           largestChange: largest))
}

extension RaggedReturns {
    /// The estimate of a matrix computed from these returns: annualized as asked, repaired
    /// when not positive definite, observations = the rows used.
    func finishedEstimate(_ matrix: Matrix, annualization: Annualization, shrinkage: Double? = nil)
        throws(RiskModelError) -> CovarianceEstimate
    {
        var m = matrix
        let (factor, units) = annualization.units(periodsPerYear: periodsPerYear)
        if factor != 1 { m.scale(by: factor) }
        let (repaired, note) = try repairedIfNeeded(m)
        return CovarianceEstimate(assets: assets, matrix: repaired, units: units, shrinkage: shrinkage,
                                  observations: observations, repair: note)
    }
}

extension SampleCovariance: RaggedCovarianceEstimator {
    /// The pairwise-complete sample covariance (pandas `DataFrame.cov`, PyPortfolioOpt
    /// `sample_cov`), repaired to positive definite when it is not.
    ///
    /// - Throws: `RiskModelError.insufficientOverlap` for a pair sharing fewer than two rows;
    ///   `.notPositiveDefinite` if the repair fails.
    /// - Complexity: about 3·N²·T flops plus O(N³) for the definiteness check and repair.
    public func estimate(_ returns: RaggedReturns) throws(RiskModelError) -> CovarianceEstimate {
        if returns.isComplete { return try estimate(returns.completeRows()) }
        let (matrix, _) = try pairwiseCovariance(returns, ddof: normalization == .unbiased ? 1 : 0)
        return try returns.finishedEstimate(matrix, annualization: annualization)
    }
}

extension FixedShrinkage: RaggedCovarianceEstimator {
    /// The pairwise-complete sample covariance S shrunk toward (tr S / N)·I with the fixed
    /// intensity (PyPortfolioOpt `CovarianceShrinkage.shrunk_covariance` with `.unbiased`).
    ///
    /// - Throws: as `SampleCovariance`, and `.invalidParameter` for an intensity outside [0, 1].
    /// - Complexity: as `SampleCovariance`.
    public func estimate(_ returns: RaggedReturns) throws(RiskModelError) -> CovarianceEstimate {
        if returns.isComplete { return try estimate(returns.completeRows()) }
        guard intensity >= 0 && intensity <= 1 else {
            throw .invalidParameter(name: "shrinkage intensity", value: intensity, expected: "a number in [0, 1]")
        }
        var (s, _) = try pairwiseCovariance(returns, ddof: normalization == .unbiased ? 1 : 0)
        shrinkToIdentity(&s, shrinkage: intensity, mu: s.trace / Double(Swift.max(returns.assetCount, 1)))
        return try returns.finishedEstimate(s, annualization: annualization, shrinkage: intensity)
    }
}

extension ExponentiallyWeightedCovariance: RaggedCovarianceEstimator {
    /// The pairwise exponentially weighted covariance: Σᵢⱼ = Σₜ wₜ x̃ₜᵢ x̃ₜⱼ / Σₜ wₜ over the rows
    /// where both have a return, x̃ demeaned by each asset's own mean (when `demean`), and
    /// wₜ = (1 − α)^(T−1−t) by position in the whole series (PyPortfolioOpt `exp_cov`: pandas
    /// `ewm(span).mean()` of the pairwise products, `ignore_na=False`).
    ///
    /// - Throws: `.invalidParameter` for an invalid decay; `.insufficientOverlap` for a pair
    ///   sharing no row.
    /// - Complexity: about 2·N²·T flops in BLAS plus O(N³) for the repair check.
    public func estimate(_ returns: RaggedReturns) throws(RiskModelError) -> CovarianceEstimate {
        if returns.isComplete { return try estimate(returns.completeRows()) }
        try decay.validate()
        let t = returns.observations, n = returns.assetCount
        var (x, mask, _) = returns.centeredAndMask(demean: demean)
        let decayFactor = 1 - decay.alpha
        var root = [Double](repeating: 0, count: t)
        var v = 1.0
        for i in stride(from: t - 1, through: 0, by: -1) { root[i] = v.squareRoot(); v *= decayFactor }
        x.elements.withUnsafeMutableBufferPointer { a in
            mask.elements.withUnsafeMutableBufferPointer { m in
                for j in 0..<n { for i in 0..<t { a[i + j * t] *= root[i]; m[i + j * t] *= root[i] } }
            }
        }
        let products = x.gramian(), weights = mask.gramian()
        var out = Matrix(rows: n, columns: n)
        for j in 0..<n {
            for i in j..<n {
                guard weights[i, j] > 0 else {
                    throw .insufficientOverlap(first: returns.assets[j], second: returns.assets[i], shared: 0, required: 1)
                }
                let value = products[i, j] / weights[i, j]
                out[i, j] = value
                out[j, i] = value
            }
        }
        return try returns.finishedEstimate(out, annualization: annualization)
    }
}

extension Semicovariance: RaggedCovarianceEstimator {
    /// The semicovariance with a missing return contributing no shortfall, over all T rows
    /// (PyPortfolioOpt `semicovariance` on ragged returns: `np.fmin(NaN, 0)` is 0).
    ///
    /// - Complexity: N²·T flops. Calls BLAS `dsyrk`.
    public func estimate(_ returns: RaggedReturns) throws(RiskModelError) -> CovarianceEstimate {
        if returns.isComplete { return try estimate(returns.completeRows()) }
        guard benchmark.isFinite else {
            throw .invalidParameter(name: "benchmark", value: benchmark, expected: "a finite return")
        }
        let b = benchmark
        let drops = returns.values.map { $0.isNaN ? 0 : Swift.min($0 - b, 0) }
        return try returns.finishedEstimate(drops.gramian(scale: 1 / Double(returns.observations)),
                                            annualization: annualization)
    }
}

extension LedoitWolfShrinkage: RaggedCovarianceEstimator {
    /// Ledoit-Wolf on ragged returns with PyPortfolioOpt's convention: the returns with every
    /// missing one set to zero; the constant-correlation target and the matrix it shrinks are
    /// the pairwise-complete sample covariance, as PyPortfolioOpt's `self.S`.
    ///
    /// - Complexity: as the complete-data estimator, plus the pairwise covariance for the
    ///   constant-correlation target.
    public func estimate(_ returns: RaggedReturns) throws(RiskModelError) -> CovarianceEstimate {
        if returns.isComplete { return try estimate(returns.completeRows()) }
        let filled = returns.zeroFilled()
        guard target == .constantCorrelation else {
            var perPeriod = self
            perPeriod.annualization = .perPeriod
            let estimate = try perPeriod.estimate(filled)
            return try returns.finishedEstimate(estimate.matrix, annualization: annualization, shrinkage: estimate.shrinkage)
        }
        let (pairwise, _) = try pairwiseCovariance(returns, ddof: 1)
        let result = ledoitWolfConstantCorrelation(centered(filled.values).data, sample: pairwise)
        return try returns.finishedEstimate(result.matrix, annualization: annualization, shrinkage: result.shrinkage)
    }
}

extension OracleApproximatingShrinkage: RaggedCovarianceEstimator {
    /// OAS on the returns with every missing one set to zero (PyPortfolioOpt
    /// `CovarianceShrinkage.oracle_approximating`).
    ///
    /// - Complexity: as the complete-data estimator.
    public func estimate(_ returns: RaggedReturns) throws(RiskModelError) -> CovarianceEstimate {
        if returns.isComplete { return try estimate(returns.completeRows()) }
        let estimate = try OracleApproximatingShrinkage(annualization: .perPeriod).estimate(returns.zeroFilled())
        return try returns.finishedEstimate(estimate.matrix, annualization: annualization, shrinkage: estimate.shrinkage)
    }
}
