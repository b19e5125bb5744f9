import FolioLinearAlgebra

/// The time unit of a covariance matrix.
public enum CovarianceUnits: Sendable, Equatable {
    /// Per observation period (per day for daily returns): scikit-learn's convention.
    case perPeriod
    /// Per year: the per-period matrix times `periodsPerYear` (PyPortfolioOpt's convention,
    /// 252 for daily data).
    case annualized(periodsPerYear: Double)
}

/// Whether an estimator reports its matrix per period or per year.
///
/// PyPortfolioOpt annualizes by default (times the frequency, 252 for daily data);
/// scikit-learn and skfolio do not. Folio's estimators default to `.annualized` and use the
/// `periodsPerYear` of the `ReturnSeries` they are given.
public enum Annualization: Sendable, Equatable {
    /// Report the matrix per observation period.
    case perPeriod
    /// Report the matrix per year: the per-period matrix times `ReturnSeries.periodsPerYear`.
    case annualized
}

/// A covariance matrix with the names of its assets, its units and how it was obtained.
public struct CovarianceEstimate: Sendable {
    /// Asset names, in the order of the matrix's rows and columns.
    public let assets: [String]
    /// The N x N covariance matrix, exactly symmetric, in `units`.
    public let matrix: Matrix
    /// Per period or annualized.
    public let units: CovarianceUnits
    /// The shrinkage intensity δ in `(1 − δ)·S + δ·F` when the estimator shrinks, else `nil`.
    public let shrinkage: Double?
    /// The number of return observations the estimate used.
    public let observations: Int
    /// True when the estimate is singular by construction: a sample (or semi-) covariance
    /// from no more observations than assets has rank below N, so it cannot be inverted.
    public let isSingular: Bool
    /// What the positive-definite repair did, when an estimate from ragged returns needed it
    /// (`nil` when the matrix was used as estimated).
    public let repair: CovarianceRepairNote?

    /// Creates an estimate from its parts.
    ///
    /// - Precondition: `matrix` is square with one row per asset.
    public init(assets: [String], matrix: Matrix, units: CovarianceUnits, shrinkage: Double? = nil,
                observations: Int, isSingular: Bool = false, repair: CovarianceRepairNote? = nil) {
        precondition(matrix.isSquare && matrix.rows == assets.count, "One row and column per asset")
        self.assets = assets
        self.matrix = matrix
        self.units = units
        self.shrinkage = shrinkage
        self.observations = observations
        self.isSingular = isSingular
        self.repair = repair
    }

    /// The same estimate with every element multiplied by `factor` and new units.
    func rescaled(by factor: Double, units: CovarianceUnits) -> CovarianceEstimate {
        var m = matrix
        if factor != 1 { m.scale(by: factor) }
        return CovarianceEstimate(assets: assets, matrix: m, units: units, shrinkage: shrinkage,
                                  observations: observations, isSingular: isSingular,
                                  repair: repair.map { r in
                                      CovarianceRepairNote(smallestEigenvalueBefore: r.smallestEigenvalueBefore * factor,
                                                           frobeniusDistance: r.frobeniusDistance * factor,
                                                           relativeDistance: r.relativeDistance, largestChange: r.largestChange * factor)
                                  })
    }

    /// The estimate per year: unchanged if already annualized; otherwise times `periodsPerYear`.
    ///
    /// - Complexity: O(N²).
    public func annualized(periodsPerYear: Double = 252) -> CovarianceEstimate {
        if case .annualized = units { return self }
        return rescaled(by: periodsPerYear, units: .annualized(periodsPerYear: periodsPerYear))
    }

    /// The estimate per period: unchanged if already per period; otherwise divided by the
    /// frequency it was annualized with.
    ///
    /// - Complexity: O(N²).
    public var perPeriod: CovarianceEstimate {
        guard case let .annualized(f) = units else { return self }
        return rescaled(by: 1 / f, units: .perPeriod)
    }

    /// The standard deviations √Σᵢᵢ, in the units of the matrix (annual volatilities when
    /// annualized).
    ///
    /// - Complexity: O(N).
    public var volatilities: [Double] { matrix.diagonal.map { Swift.max($0, 0).squareRoot() } }

    /// The correlation matrix.
    ///
    /// - Complexity: O(N²).
    public var correlation: Matrix { CovarianceConversion.correlation(fromCovariance: matrix).correlation }

    /// The volatility √(wᵀΣw) of a portfolio with `weights`, in the units of the matrix.
    ///
    /// - Precondition: one weight per asset.
    /// - Complexity: 2·N² flops.
    public func volatility(of weights: [Double]) -> Double {
        PortfolioRisk.volatility(weights: weights, covariance: matrix)
    }

    /// The 2-norm condition number λ_max / λ_min; `.infinity` when the smallest eigenvalue is
    /// not positive (a singular or indefinite matrix).
    ///
    /// - Throws: `RiskModelError.linearAlgebra` if the eigensolver fails.
    /// - Complexity: O(N³). Calls LAPACK `dsyevr`.
    public func conditionNumber() throws(RiskModelError) -> Double {
        try CovarianceDiagnostics.conditionNumber(matrix)
    }
}

/// Estimates a covariance matrix from returns. Each conforming type is a small configurable
/// value: build it once, reuse it on many return series.
///
/// ```swift
/// let estimate = try LedoitWolfShrinkage().estimate(returns)
/// print(estimate.shrinkage!, estimate.matrix)
/// ```
public protocol CovarianceEstimator: Sendable {
    /// The covariance of `returns`, with asset names, units and (where it applies) shrinkage.
    func estimate(_ returns: ReturnSeries) throws(RiskModelError) -> CovarianceEstimate
}

extension Annualization {
    func units(_ returns: ReturnSeries) -> (factor: Double, units: CovarianceUnits) {
        units(periodsPerYear: returns.periodsPerYear)
    }

    func units(periodsPerYear f: Double) -> (factor: Double, units: CovarianceUnits) {
        switch self {
        case .perPeriod: return (1, .perPeriod)
        case .annualized: return (f, .annualized(periodsPerYear: f))
        }
    }
}
