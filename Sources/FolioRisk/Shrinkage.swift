import FolioLinearAlgebra

/// The structured matrix F a Ledoit-Wolf estimator shrinks the sample covariance toward.
public enum ShrinkageTarget: Sendable, Equatable {
    /// μ·I with μ the average sample variance (Ledoit & Wolf 2004, "A well-conditioned
    /// estimator for large-dimensional covariance matrices"), computed as scikit-learn
    /// `LedoitWolf` / `ledoit_wolf` does on the maximum-likelihood (divisor T) covariance.
    case scaledIdentity
    /// Every pair gets the average sample correlation r̄: Fᵢⱼ = r̄·σᵢσⱼ, Fᵢᵢ = σᵢ² (Ledoit &
    /// Wolf 2004, "Honey, I shrunk the sample covariance matrix"), shrinking the unbiased
    /// sample covariance, as PyPortfolioOpt `CovarianceShrinkage.ledoit_wolf("constant_correlation")`.
    case constantCorrelation
    /// Sharpe's single-index model with the equal-weighted average as the market:
    /// F = ββᵀσ²ₘ, Fᵢᵢ = sᵢᵢ (Ledoit & Wolf 2003, "Improved estimation of the covariance matrix
    /// of stock returns with an application to portfolio selection"), shrinking the divisor-T
    /// covariance, as PyPortfolioOpt `CovarianceShrinkage.ledoit_wolf("single_factor")`.
    case singleIndex
}

/// Ledoit-Wolf shrinkage `(1 − δ)·S + δ·F` with the asymptotically optimal intensity δ.
///
/// The intensity is estimated from the data, in [0, 1]; the result is positive definite
/// whenever δ > 0 and the target is, even with more assets than observations.
///
/// - Complexity: one `dsyrk` (N²·T flops) plus O(N·T + N²) for every target.
public struct LedoitWolfShrinkage: CovarianceEstimator {
    /// The shrinkage target (default: scaled identity, the scikit-learn estimator).
    public var target: ShrinkageTarget
    /// Annualized (default, PyPortfolioOpt) or per period (scikit-learn).
    public var annualization: Annualization

    /// Creates the estimator.
    public init(target: ShrinkageTarget = .scaledIdentity, annualization: Annualization = .annualized) {
        self.target = target
        self.annualization = annualization
    }

    /// The shrunk covariance of `returns` and its intensity.
    ///
    /// - Complexity: N²·T flops in one `dsyrk`, plus O(N·T + N²).
    public func estimate(_ returns: ReturnSeries) throws(RiskModelError) -> CovarianceEstimate {
        let (factor, units) = annualization.units(returns)
        let t = returns.observations
        var result: (matrix: Matrix, shrinkage: Double)
        switch target {
        case .scaledIdentity: result = ledoitWolfIdentity(returns.values)
        case .constantCorrelation: result = ledoitWolfConstantCorrelation(centered(returns.values).data)
        case .singleIndex: result = ledoitWolfSingleIndex(centered(returns.values).data)
        }
        if factor != 1 { result.matrix.scale(by: factor) }
        return CovarianceEstimate(assets: returns.assets, matrix: result.matrix, units: units,
                                  shrinkage: result.shrinkage, observations: t)
    }
}

/// Oracle Approximating Shrinkage toward μ·I (Chen, Wiesel, Eldar & Hero 2010, "Shrinkage
/// algorithms for MMSE covariance estimation"), with the intensity formula scikit-learn `OAS`
/// uses, on the maximum-likelihood (divisor T) covariance.
///
/// - Complexity: one `dsyrk` (N²·T flops) plus O(N²).
public struct OracleApproximatingShrinkage: CovarianceEstimator {
    /// Annualized (default, PyPortfolioOpt) or per period (scikit-learn).
    public var annualization: Annualization

    /// Creates the estimator.
    public init(annualization: Annualization = .annualized) {
        self.annualization = annualization
    }

    /// The OAS covariance of `returns` and its intensity.
    ///
    /// - Complexity: N²·T flops in one `dsyrk`, plus O(N·T + N²).
    public func estimate(_ returns: ReturnSeries) throws(RiskModelError) -> CovarianceEstimate {
        let (factor, units) = annualization.units(returns)
        let t = returns.observations, n = returns.assetCount
        var s = centeredGramian(returns.values, scale: 1 / Double(t)).gramian
        var shrinkage = 0.0
        if n > 1 {
            let mu = s.trace / Double(n)
            let alpha = s.sumOfSquares / Double(n * n)
            let num = alpha + mu * mu
            let den = Double(t + 1) * (alpha - mu * mu / Double(n))
            shrinkage = den == 0 ? 1 : Swift.min(num / den, 1)
            shrinkToIdentity(&s, shrinkage: shrinkage, mu: mu)
        }
        if factor != 1 { s.scale(by: factor) }
        return CovarianceEstimate(assets: returns.assets, matrix: s, units: units, shrinkage: shrinkage, observations: t)
    }
}

/// Shrinkage toward μ·I with a fixed intensity δ: `(1 − δ)·S + δ·(tr S / N)·I`.
///
/// With the default maximum-likelihood covariance this is scikit-learn `ShrunkCovariance`
/// (default δ = 0.1); with `.unbiased` it is PyPortfolioOpt
/// `CovarianceShrinkage.shrunk_covariance` (default δ = 0.2 there).
public struct FixedShrinkage: CovarianceEstimator {
    /// The intensity δ in [0, 1].
    public var intensity: Double
    /// The divisor of the sample covariance being shrunk.
    public var normalization: CovarianceNormalization
    /// Annualized (default) or per period.
    public var annualization: Annualization

    /// Creates the estimator.
    public init(intensity: Double = 0.1, normalization: CovarianceNormalization = .maximumLikelihood,
                annualization: Annualization = .annualized) {
        self.intensity = intensity
        self.normalization = normalization
        self.annualization = annualization
    }

    /// The shrunk covariance of `returns`.
    ///
    /// - Throws: `RiskModelError.invalidParameter` when the intensity is outside [0, 1].
    /// - Complexity: N²·T flops. Calls BLAS `dsyrk`.
    public func estimate(_ returns: ReturnSeries) throws(RiskModelError) -> CovarianceEstimate {
        guard intensity >= 0 && intensity <= 1 else {
            throw .invalidParameter(name: "shrinkage intensity", value: intensity, expected: "a number in [0, 1]")
        }
        let sample = try SampleCovariance(normalization: normalization, annualization: annualization).estimate(returns)
        var s = sample.matrix
        shrinkToIdentity(&s, shrinkage: intensity, mu: s.trace / Double(Swift.max(returns.assetCount, 1)))
        return CovarianceEstimate(assets: returns.assets, matrix: s, units: sample.units, shrinkage: intensity,
                                  observations: sample.observations,
                                  isSingular: intensity == 0 && sample.isSingular)
    }
}

/// s ← (1 − δ)·s + δ·μ·I, in place.
func shrinkToIdentity(_ s: inout Matrix, shrinkage: Double, mu: Double) {
    let n = s.rows
    let keep = 1 - shrinkage
    s.elements.withUnsafeMutableBufferPointer { a in
        for i in a.indices { a[i] *= keep }
        for i in 0..<n { a[i + i * n] += shrinkage * mu }
    }
}

/// scikit-learn's Ledoit-Wolf on raw returns x (T x N), centered internally: covariance
/// divisor T.
///
/// β̂ needs Σᵢⱼ (Xc∘Xc)ᵀ(Xc∘Xc) = Σₜ (Σᵢ (xₜᵢ − μᵢ)²)², so it costs one O(N·T) pass instead of
/// a second product, and Xc is never written.
func ledoitWolfIdentity(_ x: Matrix) -> (matrix: Matrix, shrinkage: Double) {
    let t = x.rows, n = x.columns
    let (gramian, means) = centeredGramian(x, scale: 1 / Double(t))
    var s = gramian
    if n == 1 { return (s, 0) }
    var rowSquares = [Double](repeating: 0, count: t)
    x.elements.withUnsafeBufferPointer { a in
        rowSquares.withUnsafeMutableBufferPointer { r in
            for j in 0..<n {
                let base = j * t, m = means[j]
                for i in 0..<t { let v = a[base + i] - m; r[i] += v * v }
            }
        }
    }
    var betaSum = 0.0
    for v in rowSquares { betaSum += v * v }
    let traceSum = s.trace
    let mu = traceSum / Double(n)
    let deltaSum = s.sumOfSquares                     // Σ (XᵀX)² / T²
    var beta = (betaSum / Double(t) - deltaSum) / Double(n * t)
    let delta = (deltaSum - 2 * mu * traceSum + Double(n) * mu * mu) / Double(n)
    beta = Swift.min(beta, delta)
    let shrinkage = beta == 0 ? 0 : beta / delta
    shrinkToIdentity(&s, shrinkage: shrinkage, mu: mu)
    return (s, shrinkage)
}

/// PyPortfolioOpt's constant-correlation Ledoit-Wolf on centered returns x (T x N), with the
/// N² sums of the reference rewritten as O(N·T) sums over observations. `sample` replaces the
/// unbiased covariance of x where PyPortfolioOpt uses its `self.S` (the pairwise-complete
/// covariance of ragged returns, whose x is zero-filled).
func ledoitWolfConstantCorrelation(_ x: Matrix, sample: Matrix? = nil) -> (matrix: Matrix, shrinkage: Double) {
    let t = x.rows, n = x.columns
    let tt = Double(t)
    let h = x.gramian(scale: 1 / tt)                  // XmᵀXm / t
    var s = h
    if let sample { s = sample } else { s.scale(by: tt / (tt - 1)) }   // unbiased S
    let variance = s.diagonal
    let sd = variance.map { $0.squareRoot() }
    // r̄ = (Σᵢⱼ Sᵢⱼ/(σᵢσⱼ) − n) / (n(n − 1)). An asset with zero variance (a constant price)
    // has zero correlation with the others (as `CovarianceConversion`), never 0/0.
    var correlationSum = 0.0
    s.elements.withUnsafeBufferPointer { a in
        for j in 0..<n {
            for i in 0..<n {
                if i == j { correlationSum += 1 } else if sd[i] > 0 && sd[j] > 0 { correlationSum += a[i + j * n] / (sd[i] * sd[j]) }
            }
        }
    }
    let rBar = n > 1 ? (correlationSum - Double(n)) / Double(n * (n - 1)) : 0
    // π̂ = Σᵢⱼ [(yᵀy)ᵢⱼ/t − 2 hᵢⱼ Sᵢⱼ + Sᵢⱼ²], y = Xm∘Xm; Σᵢⱼ (yᵀy)ᵢⱼ = Σₜ (Σᵢ yₜᵢ)².
    // θ̂ term1 weighted by σⱼ/σᵢ: Σᵢⱼ (Xm³)ᵀXm σⱼ/σᵢ = Σₜ (Σᵢ xₜᵢ³/σᵢ)(Σⱼ xₜⱼ σⱼ).
    var rowY = [Double](repeating: 0, count: t)
    var rowCubeOverSd = [Double](repeating: 0, count: t)
    var rowTimesSd = [Double](repeating: 0, count: t)
    var fourth = [Double](repeating: 0, count: n)     // Σₜ xₜᵢ⁴
    x.elements.withUnsafeBufferPointer { a in
        for j in 0..<n {
            let base = j * t, inv = sd[j] > 0 ? 1 / sd[j] : 0, sj = sd[j]
            var f = 0.0
            for i in 0..<t {
                let v = a[base + i], v2 = v * v
                rowY[i] += v2
                rowCubeOverSd[i] += v2 * v * inv
                rowTimesSd[i] += v * sj
                f += v2 * v2
            }
            fourth[j] = f
        }
    }
    var yy = 0.0, term1Weighted = 0.0
    for i in 0..<t { yy += rowY[i] * rowY[i]; term1Weighted += rowCubeOverSd[i] * rowTimesSd[i] }
    var hs = 0.0, ss = 0.0, gamma = 0.0, thetaRest = 0.0
    h.elements.withUnsafeBufferPointer { hp in
        s.elements.withUnsafeBufferPointer { sp in
            for j in 0..<n {
                for i in 0..<n {
                    let hij = hp[i + j * n], sij = sp[i + j * n]
                    hs += hij * sij
                    ss += sij * sij
                    let f = i == j ? variance[i] : rBar * sd[i] * sd[j]
                    gamma += (sij - f) * (sij - f)
                    if i != j && sd[i] > 0 {
                        // −term2 − term3 + term4, weighted by σⱼ/σᵢ
                        let theta = -hp[i + i * n] * sij - hij * variance[i] + variance[i] * sij
                        thetaRest += theta * sd[j] / sd[i]
                    }
                }
            }
        }
    }
    let piHat = yy / tt - 2 * hs + ss
    var piDiagonal = 0.0
    for i in 0..<n {
        let hii = h.elements[i + i * n], sii = variance[i]
        piDiagonal += fourth[i] / tt - 2 * hii * sii + sii * sii
    }
    var term1Diagonal = 0.0
    for i in 0..<n { term1Diagonal += fourth[i] / tt }
    let rhoHat = piDiagonal + rBar * ((term1Weighted / tt - term1Diagonal) + thetaRest)
    let kappa = (piHat - rhoHat) / gamma
    let shrinkage = gamma > 0 && kappa.isFinite ? Swift.max(0, Swift.min(1, kappa / tt)) : 0
    var result = s
    result.elements.withUnsafeMutableBufferPointer { a in
        for j in 0..<n {
            for i in 0..<n where i != j {
                a[i + j * n] = shrinkage * rBar * sd[i] * sd[j] + (1 - shrinkage) * a[i + j * n]
            }
        }
    }
    return (result, shrinkage)
}

/// PyPortfolioOpt's single-index Ledoit-Wolf on centered returns x (T x N), with its N² sums
/// rewritten as O(N·T) sums over observations.
func ledoitWolfSingleIndex(_ x: Matrix) -> (matrix: Matrix, shrinkage: Double) {
    let t = x.rows, n = x.columns
    let tt = Double(t)
    let sample = x.gramian(scale: 1 / tt)
    // Market: the equal-weighted average of the demeaned returns (mean zero up to rounding).
    var market = [Double](repeating: 0, count: t)
    x.elements.withUnsafeBufferPointer { a in
        for j in 0..<n { let base = j * t; for i in 0..<t { market[i] += a[base + i] } }
    }
    for i in 0..<t { market[i] /= Double(n) }
    let marketMean = market.reduce(0, +) / tt
    let mc = market.map { $0 - marketMean }
    var varMarket = 0.0
    for v in mc { varMarket += v * v }
    varMarket /= tt
    // A market with no variance (every price constant, or assets that cancel out) gives no
    // single-index target: return the sample covariance unshrunk rather than 0/0.
    guard varMarket > 0 else { return (sample, 0) }
    var beta = [Double](repeating: 0, count: n)
    var rowY = [Double](repeating: 0, count: t)     // Σᵢ yₜᵢ
    var zBeta = [Double](repeating: 0, count: t)    // Σⱼ zₜⱼ βⱼ
    var diagYZ = [Double](repeating: 0, count: n)   // (yᵀz)ᵢᵢ
    var diagZZ = [Double](repeating: 0, count: n)   // (zᵀz)ᵢᵢ
    var sumY2 = 0.0
    x.elements.withUnsafeBufferPointer { a in
        for j in 0..<n {
            let base = j * t
            var c = 0.0
            for i in 0..<t { c += a[base + i] * mc[i] }
            beta[j] = c / tt
        }
        for j in 0..<n {
            let base = j * t, bj = beta[j]
            var dyz = 0.0, dzz = 0.0, y4 = 0.0
            for i in 0..<t {
                let v = a[base + i], y = v * v, z = v * market[i]
                rowY[i] += y
                zBeta[i] += z * bj
                dyz += y * z
                dzz += z * z
                y4 += y * y
            }
            diagYZ[j] = dyz
            diagZZ[j] = dzz
            sumY2 += y4
        }
    }
    var yySum = 0.0, yzBeta = 0.0, zbzb = 0.0
    for i in 0..<t { yySum += rowY[i] * rowY[i]; yzBeta += rowY[i] * zBeta[i]; zbzb += zBeta[i] * zBeta[i] }
    // Σᵢⱼ (yᵀz)ᵢⱼ βⱼ = Σₜ (Σᵢ yₜᵢ)(Σⱼ zₜⱼ βⱼ); Σᵢⱼ (zᵀz)ᵢⱼ βᵢβⱼ = Σₜ (Σⱼ zₜⱼβⱼ)².
    var c = 0.0, ss = 0.0, bSb = 0.0, diagSq = 0.0
    var bbDiagV1 = 0.0, v3Diag = 0.0
    sample.elements.withUnsafeBufferPointer { sp in
        for j in 0..<n {
            for i in 0..<n {
                let sij = sp[i + j * n]
                let f = i == j ? sij : beta[i] * beta[j] / varMarket
                c += (sij - f) * (sij - f)
                ss += sij * sij
                bSb += beta[i] * sij * beta[j]
            }
            let sjj = sp[j + j * n]
            diagSq += sjj * sjj
            bbDiagV1 += (diagYZ[j] / tt - beta[j] * sjj) * beta[j]
            v3Diag += (diagZZ[j] / tt - varMarket * sjj) * beta[j] * beta[j]
        }
    }
    let p = yySum / tt - ss
    let rDiagonal = sumY2 / tt - diagSq
    // roff1 = [Σᵢⱼ v1ᵢⱼ βⱼ − Σᵢ v1ᵢᵢ βᵢ] / σ²ₘ with v1 = yᵀz/t − βᵢ Sᵢⱼ
    let roff1 = ((yzBeta / tt - bSb) - bbDiagV1) / varMarket
    // roff3 = [Σᵢⱼ v3ᵢⱼ βᵢβⱼ − Σᵢ v3ᵢᵢ βᵢ²] / σ⁴ₘ with v3 = zᵀz/t − σ²ₘ S
    let roff3 = ((zbzb / tt - varMarket * bSb) - v3Diag) / (varMarket * varMarket)
    let r = rDiagonal + 2 * roff1 - roff3
    let k = (p - r) / c
    let shrinkage = c > 0 && k.isFinite ? Swift.max(0, Swift.min(1, k / tt)) : 0
    var result = sample
    result.elements.withUnsafeMutableBufferPointer { a in
        for j in 0..<n {
            for i in 0..<n where i != j {
                a[i + j * n] = shrinkage * beta[i] * beta[j] / varMarket + (1 - shrinkage) * a[i + j * n]
            }
        }
    }
    return (result, shrinkage)
}
