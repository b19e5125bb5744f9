import FolioLinearAlgebra

/// A factor risk model: asset covariance `Σ = B F Bᵀ + D` from K factors.
///
/// `B` (N x K) holds each asset's exposures (loadings), `F` (K x K) the factors' covariance and
/// `D` the assets' specific (idiosyncratic) variances. With K much smaller than N the model has
/// N·K + K² + N numbers instead of N², is positive definite whenever every specific variance is
/// positive, and lets optimizers work in O(N·K²) instead of O(N³) (see
/// `FactorMinimumVariance` in FolioOptimization).
///
/// Two estimators:
/// - ``timeSeriesRegression(returns:factorReturns:annualization:)``: each asset's returns
///   regressed on given factor returns with an intercept (ordinary least squares), `F` the
///   factors' sample covariance, `D` the residuals' variance: skfolio's `TimeSeriesFactorModel`
///   with a `LinearRegression` loading estimator;
/// - ``statistical(returns:factorCount:annualization:)``: principal components, the K largest
///   eigenpairs of the sample covariance as factors, `D` what they leave on the diagonal.
///
/// ```swift
/// let model = try FactorRiskModel.statistical(returns: returns, factorCount: 10)
/// let attribution = model.riskAttribution(weights: w)
/// ```
///
/// Reference: W. F. Sharpe (1963), "A simplified model for portfolio analysis", Management
/// Science 9(2); G. Connor and R. A. Korajczyk (1988), "Risk and return in an equilibrium APT",
/// Journal of Financial Economics 21(2); R. C. Grinold and R. N. Kahn, *Active Portfolio
/// Management* (2nd ed., 2000), ch. 3.
public struct FactorRiskModel: Sendable {
    /// Asset names, one per row of ``loadings``.
    public let assets: [String]
    /// Factor names, one per column of ``loadings``.
    public let factors: [String]
    /// Exposures `B`, N x K.
    public let loadings: Matrix
    /// Factor covariance `F`, K x K, symmetric positive semi-definite, in ``units``.
    public let factorCovariance: Matrix
    /// Specific variances, the diagonal of `D`, one per asset, in ``units``.
    public let specificVariances: [Double]
    /// Per period or annualized, as the estimator was asked.
    public let units: CovarianceUnits

    /// A model from its parts.
    ///
    /// - Throws: ``RiskModelError/invalidParameter(name:value:expected:)`` for a negative or
    ///   non-finite specific variance, a non-finite exposure or factor covariance entry.
    /// - Precondition: `loadings` is N x K, `factorCovariance` K x K, one name per row and column.
    /// - Complexity: O(N·K + K²).
    public init(assets: [String], factors: [String], loadings: Matrix, factorCovariance: Matrix,
                specificVariances: [Double], units: CovarianceUnits) throws(RiskModelError) {
        precondition(loadings.rows == assets.count && loadings.columns == factors.count, "B is N x K")
        precondition(factorCovariance.rows == factors.count && factorCovariance.columns == factors.count, "F is K x K")
        precondition(specificVariances.count == assets.count, "One specific variance per asset")
        try checkUniqueAssets(assets)
        for (i, v) in specificVariances.enumerated() where !(v >= 0 && v.isFinite) {
            throw .invalidParameter(name: "specific variance of \(assets[i])", value: v, expected: "a finite number ≥ 0")
        }
        if let bad = loadings.elements.first(where: { !$0.isFinite }) {
            throw .invalidParameter(name: "exposure", value: bad, expected: "a finite number")
        }
        if let bad = factorCovariance.elements.first(where: { !$0.isFinite }) {
            throw .invalidParameter(name: "factor covariance", value: bad, expected: "a finite number")
        }
        self.assets = assets
        self.factors = factors
        self.loadings = loadings
        self.factorCovariance = factorCovariance
        self.specificVariances = specificVariances
        self.units = units
    }

    /// The full N x N covariance `B F Bᵀ + D`, exactly symmetric.
    ///
    /// - Complexity: O(N²·K) flops. Calls BLAS `dgemm`.
    public var covariance: Matrix {
        let systematic = loadings * factorCovariance * loadings.transposed
        var result = systematic
        let n = assets.count
        for j in 0..<n {
            for i in 0..<j {
                let value = 0.5 * (systematic[i, j] + systematic[j, i])
                result[i, j] = value
                result[j, i] = value
            }
            result[j, j] += specificVariances[j]
        }
        return result
    }

    /// `Σ·w` without forming Σ: `B(F(Bᵀw)) + D w`.
    ///
    /// - Precondition: one weight per asset.
    /// - Complexity: O(N·K + K²).
    public func covarianceProduct(_ weights: [Double]) -> [Double] {
        precondition(weights.count == assets.count, "One weight per asset")
        let exposure = loadings.multiplied(by: weights, transposingSelf: true)
        var result = loadings * (factorCovariance * exposure)
        for i in result.indices { result[i] += specificVariances[i] * weights[i] }
        return result
    }

    /// The portfolio variance `wᵀΣw` in ``units``.
    ///
    /// - Complexity: O(N·K + K²).
    public func variance(of weights: [Double]) -> Double {
        let product = covarianceProduct(weights)
        var total = 0.0
        for i in weights.indices { total += weights[i] * product[i] }
        return total
    }

    /// The split of a portfolio's variance between the factors and specific risk.
    ///
    /// Factor k contributes `xₖ (F x)ₖ` with `x = Bᵀw` the portfolio's factor exposures (an Euler
    /// decomposition: the contributions sum to the systematic variance `xᵀFx`), and the specific
    /// part is `Σ Dᵢ wᵢ²`; together they are the whole variance.
    ///
    /// - Precondition: one weight per asset.
    /// - Complexity: O(N·K + K²).
    public func riskAttribution(weights: [Double]) -> FactorRiskAttribution {
        precondition(weights.count == assets.count, "One weight per asset")
        let exposures = loadings.multiplied(by: weights, transposingSelf: true)
        let fx = factorCovariance * exposures
        let contributions = zip(exposures, fx).map { $0 * $1 }
        var specific = 0.0
        for i in weights.indices { specific += specificVariances[i] * weights[i] * weights[i] }
        return FactorRiskAttribution(factors: factors, exposures: exposures, contributions: contributions,
                                     specificVariance: specific)
    }

    /// Time-series regression on given factor returns (with intercepts), per asset:
    /// `rᵢ(t) = aᵢ + bᵢᵀ f(t) + εᵢ(t)`.
    ///
    /// `F` is the factors' sample covariance and `D` the residuals' variance, both with divisor
    /// T − 1, as skfolio's `TimeSeriesFactorModel` with `LinearRegression`.
    ///
    /// - Parameters:
    ///   - returns: T x N asset returns.
    ///   - factorReturns: T x K factor returns over the same observations.
    ///   - annualization: per period or annualized (default), as the other estimators.
    /// - Throws: ``RiskModelError/invalidParameter(name:value:expected:)`` when the two series
    ///   do not have the same number of observations; ``RiskModelError/tooFewObservations(found:required:)``
    ///   with T ≤ K + 1; ``RiskModelError/linearAlgebra(_:)`` when the factors are collinear.
    /// - Complexity: O(T·K² + T·N·K) flops by one QR. Calls LAPACK `dgels`.
    public static func timeSeriesRegression(
        returns: ReturnSeries, factorReturns: ReturnSeries, annualization: Annualization = .annualized
    ) throws(RiskModelError) -> FactorRiskModel {
        let t = returns.observations, n = returns.assetCount, k = factorReturns.assetCount
        guard factorReturns.observations == t else {
            throw .invalidParameter(name: "factor return observations", value: Double(factorReturns.observations),
                                    expected: "\(t), one per observation of the asset returns")
        }
        guard t > k + 1 else { throw .tooFewObservations(found: t, required: k + 2) }
        var design = Matrix(rows: t, columns: k + 1, repeating: 1)
        for j in 0..<k {
            for i in 0..<t { design[i, j + 1] = factorReturns.values[i, j] }
        }
        let coefficients: Matrix
        do { coefficients = try design.leastSquares(returns.values) } catch { throw .linearAlgebra(error) }
        var loadings = Matrix(rows: n, columns: k)
        for a in 0..<n {
            for j in 0..<k { loadings[a, j] = coefficients[j + 1, a] }
        }
        let fitted = design * coefficients
        let (factor, units) = annualization.units(returns)
        var specific = [Double](repeating: 0, count: n)
        for a in 0..<n {
            var residuals = [Double](repeating: 0, count: t)
            var mean = 0.0
            for i in 0..<t {
                residuals[i] = returns.values[i, a] - fitted[i, a]
                mean += residuals[i]
            }
            mean /= Double(t)
            var sum = 0.0
            for r in residuals { sum += (r - mean) * (r - mean) }
            specific[a] = factor * sum / Double(t - 1)
        }
        let factorCovariance = centeredGramian(factorReturns.values, scale: factor / Double(t - 1)).gramian
        return try FactorRiskModel(assets: returns.assets, factors: factorReturns.assets, loadings: loadings,
                                   factorCovariance: factorCovariance, specificVariances: specific, units: units)
    }

    /// A statistical model: the K principal components of the sample covariance `S` (divisor
    /// T − 1) as factors.
    ///
    /// `B = V_K`, the K leading eigenvectors (each with its largest entry positive), `F =
    /// diag(λ₁ … λ_K)`, and `D = diag(S − B F Bᵀ)`: each asset's variance the factors leave
    /// unexplained, so the model reproduces every asset's sample variance exactly.
    ///
    /// - Parameters:
    ///   - returns: T x N asset returns.
    ///   - factorCount: K, in `1...N`.
    ///   - annualization: per period or annualized (default).
    /// - Throws: ``RiskModelError/invalidParameter(name:value:expected:)`` for K outside `1...N`;
    ///   ``RiskModelError/linearAlgebra(_:)`` if the eigensolver fails.
    /// - Complexity: O(T·N²) for `S` plus O(N³) for its eigendecomposition. Calls LAPACK `dsyevr`.
    public static func statistical(
        returns: ReturnSeries, factorCount: Int, annualization: Annualization = .annualized
    ) throws(RiskModelError) -> FactorRiskModel {
        let n = returns.assetCount, t = returns.observations
        guard factorCount >= 1 && factorCount <= n else {
            throw .invalidParameter(name: "factor count", value: Double(factorCount), expected: "an integer in 1...\(n)")
        }
        let (factor, units) = annualization.units(returns)
        let sample = centeredGramian(returns.values, scale: factor / Double(t - 1)).gramian
        let decomposition: SymmetricEigendecomposition
        do { decomposition = try SymmetricEigendecomposition(sample) } catch { throw .linearAlgebra(error) }
        // Largest eigenvalues first.
        let order = decomposition.eigenvalues.indices.sorted { decomposition.eigenvalues[$0] > decomposition.eigenvalues[$1] }
        var loadings = Matrix(rows: n, columns: factorCount)
        var variances = Matrix(rows: factorCount, columns: factorCount)
        for (k, index) in order.prefix(factorCount).enumerated() {
            let vector = decomposition.eigenvectors.column(index)
            let largest = vector.indices.max { abs(vector[$0]) < abs(vector[$1]) }!
            let sign: Double = vector[largest] < 0 ? -1 : 1
            for i in 0..<n { loadings[i, k] = sign * vector[i] }
            variances[k, k] = Swift.max(decomposition.eigenvalues[index], 0)
        }
        var specific = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var explained = 0.0
            for k in 0..<factorCount { explained += loadings[i, k] * loadings[i, k] * variances[k, k] }
            specific[i] = Swift.max(sample[i, i] - explained, 0)
        }
        return try FactorRiskModel(assets: returns.assets, factors: (1...factorCount).map { "PC\($0)" }, loadings: loadings,
                                   factorCovariance: variances, specificVariances: specific, units: units)
    }
}

/// A portfolio's variance split between factors and specific risk (``FactorRiskModel/riskAttribution(weights:)``).
public struct FactorRiskAttribution: Sendable, Equatable {
    /// Factor names.
    public let factors: [String]
    /// The portfolio's exposure to each factor, `x = Bᵀw`.
    public let exposures: [Double]
    /// Each factor's contribution to variance, `xₖ (F x)ₖ`; they sum to ``systematicVariance``.
    public let contributions: [Double]
    /// The specific (idiosyncratic) variance `Σ Dᵢ wᵢ²`.
    public let specificVariance: Double

    /// The factors' part of the variance, `xᵀFx`.
    public var systematicVariance: Double { contributions.reduce(0, +) }
    /// The whole variance, systematic plus specific.
    public var variance: Double { systematicVariance + specificVariance }
}
