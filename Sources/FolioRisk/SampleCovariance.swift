import FolioLinearAlgebra

/// Divisor of a sample covariance.
public enum CovarianceNormalization: Sendable, Equatable {
    /// Divide by T − 1: unbiased (numpy `cov`, pandas `DataFrame.cov`, PyPortfolioOpt `sample_cov`).
    case unbiased
    /// Divide by T: the maximum-likelihood estimate (scikit-learn `empirical_covariance`).
    case maximumLikelihood
}

/// The sample covariance of demeaned returns, `XcᵀXc / (T − 1)` (or `/ T`).
///
/// Computed with one symmetric rank-k update (`dsyrk`) on the demeaned returns, half the
/// flops of a general product. With `T − 1 < N` (more assets than observations, unbiased) the
/// matrix has rank at most T − 1: the estimate reports `isSingular = true`; use a shrinkage
/// estimator when you need to invert it.
///
/// Matches numpy `cov` / PyPortfolioOpt `sample_cov` (annualized, unbiased) and scikit-learn
/// `empirical_covariance` (per period, maximum likelihood).
public struct SampleCovariance: CovarianceEstimator {
    /// T − 1 (default) or T.
    public var normalization: CovarianceNormalization
    /// Annualized (default) or per period.
    public var annualization: Annualization

    /// Creates the estimator.
    public init(normalization: CovarianceNormalization = .unbiased, annualization: Annualization = .annualized) {
        self.normalization = normalization
        self.annualization = annualization
    }

    /// The sample covariance of `returns`.
    ///
    /// - Complexity: N²·T flops in `dsyrk` plus O(N·T) to demean. Calls BLAS `dsyrk`.
    public func estimate(_ returns: ReturnSeries) throws(RiskModelError) -> CovarianceEstimate {
        let t = returns.observations
        let (factor, units) = annualization.units(returns)
        let divisor = normalization == .unbiased ? Double(t - 1) : Double(t)
        let s = centeredGramian(returns.values, scale: factor / divisor).gramian
        return CovarianceEstimate(assets: returns.assets, matrix: s, units: units, observations: t,
                                  isSingular: t - 1 < returns.assetCount)
    }
}

/// Exponential weighting of observations: the weight of the observation k periods before the
/// latest is (1 − α)ᵏ.
public enum ExponentialDecay: Sendable, Equatable {
    /// Span s ≥ 1: α = 2 / (s + 1) (pandas `ewm(span:)`, PyPortfolioOpt `exp_cov`).
    case span(Double)
    /// Half-life h > 0 in periods: α = 1 − exp(−ln 2 / h).
    case halfLife(Double)
    /// Decay factor λ in (0, 1), RiskMetrics style (λ = 0.94 for daily data): α = 1 − λ.
    case lambda(Double)

    /// The smoothing factor α in (0, 1].
    public var alpha: Double {
        switch self {
        case .span(let s): return 2 / (s + 1)
        case .halfLife(let h): return 1 - _exp(-_log(2) / h)
        case .lambda(let l): return 1 - l
        }
    }

    func validate() throws(RiskModelError) {
        switch self {
        case .span(let s) where !(s >= 1 && s.isFinite):
            throw .invalidParameter(name: "span", value: s, expected: "at least 1")
        case .halfLife(let h) where !(h > 0 && h.isFinite):
            throw .invalidParameter(name: "half-life", value: h, expected: "a positive number of periods")
        case .lambda(let l) where !(l > 0 && l < 1):
            throw .invalidParameter(name: "lambda", value: l, expected: "a number in (0, 1)")
        default: return
        }
    }

    /// Normalized weights for T observations, oldest first (pandas `adjust=True`).
    func weights(_ t: Int) -> [Double] {
        let decay = 1 - alpha
        var w = [Double](repeating: 0, count: t)
        var v = 1.0
        for i in stride(from: t - 1, through: 0, by: -1) { w[i] = v; v *= decay }
        let total = w.reduce(0, +)
        return w.map { $0 / total }
    }
}

/// The exponentially weighted covariance, giving recent observations more weight.
///
/// Σᵢⱼ = Σₜ wₜ (xₜᵢ − x̄ᵢ)(xₜⱼ − x̄ⱼ) / Σₜ wₜ with wₜ = (1 − α)^(T−1−t), where x̄ is the plain
/// (unweighted) mean when `demean` is true. This is PyPortfolioOpt `exp_cov` (pandas
/// `ewm(span).mean()` of the pairwise products, last value) exactly, computed in one `dsyrk`
/// instead of N² pandas calls. With `.lambda(0.94)` and `demean: false` it is the RiskMetrics
/// (J.P. Morgan, 1996) estimator over the window given.
public struct ExponentiallyWeightedCovariance: CovarianceEstimator {
    /// The decay: span (default 180 periods, PyPortfolioOpt's default), half-life or λ.
    public var decay: ExponentialDecay
    /// Subtract the sample mean first (default, PyPortfolioOpt); RiskMetrics assumes a zero mean.
    public var demean: Bool
    /// Annualized (default) or per period.
    public var annualization: Annualization

    /// Creates the estimator.
    public init(decay: ExponentialDecay = .span(180), demean: Bool = true, annualization: Annualization = .annualized) {
        self.decay = decay
        self.demean = demean
        self.annualization = annualization
    }

    /// The exponentially weighted covariance of `returns`.
    ///
    /// - Throws: `RiskModelError.invalidParameter` for a span below 1, a non-positive
    ///   half-life or λ outside (0, 1).
    /// - Complexity: N²·T flops. Calls BLAS `dsyrk`.
    public func estimate(_ returns: ReturnSeries) throws(RiskModelError) -> CovarianceEstimate {
        try decay.validate()
        let t = returns.observations, n = returns.assetCount
        let (factor, units) = annualization.units(returns)
        var x = demean ? centered(returns.values).data : returns.values
        let root = decay.weights(t).map { $0.squareRoot() }
        x.elements.withUnsafeMutableBufferPointer { a in
            for j in 0..<n { for i in 0..<t { a[i + j * t] *= root[i] } }
        }
        return CovarianceEstimate(assets: returns.assets, matrix: x.gramian(scale: factor), units: units,
                                  observations: t)
    }
}

/// The semicovariance: co-movement of returns below a benchmark return.
///
/// Σᵢⱼ = Σₜ min(rₜᵢ − B, 0)·min(rₜⱼ − B, 0) / T (Markowitz 1959; Estrada 2007), exactly as
/// PyPortfolioOpt `semicovariance` computes it (no demeaning, divisor T).
public struct Semicovariance: CovarianceEstimator {
    /// The benchmark return B per period (default 0.000079 per day, about 2% a year, as in
    /// PyPortfolioOpt).
    public var benchmark: Double
    /// Annualized (default) or per period.
    public var annualization: Annualization

    /// Creates the estimator.
    public init(benchmark: Double = 0.000079, annualization: Annualization = .annualized) {
        self.benchmark = benchmark
        self.annualization = annualization
    }

    /// The semicovariance of `returns` below `benchmark`.
    ///
    /// - Complexity: N²·T flops. Calls BLAS `dsyrk`.
    public func estimate(_ returns: ReturnSeries) throws(RiskModelError) -> CovarianceEstimate {
        guard benchmark.isFinite else {
            throw .invalidParameter(name: "benchmark", value: benchmark, expected: "a finite return")
        }
        let t = returns.observations
        let (factor, units) = annualization.units(returns)
        let b = benchmark
        let drops = returns.values.map { Swift.min($0 - b, 0) }
        return CovarianceEstimate(assets: returns.assets, matrix: drops.gramian(scale: factor / Double(t)),
                                  units: units, observations: t, isSingular: t < returns.assetCount)
    }
}
