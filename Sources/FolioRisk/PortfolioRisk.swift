import FolioLinearAlgebra

/// How each asset adds to a portfolio's volatility σ = √(wᵀΣw) (Euler allocation).
public struct RiskContributions: Sendable, Equatable {
    /// The portfolio volatility σ, in the units of the covariance.
    public let volatility: Double
    /// Marginal contributions ∂σ/∂wᵢ = (Σw)ᵢ/σ.
    public let marginal: [Double]
    /// Absolute contributions wᵢ(Σw)ᵢ/σ; they sum to σ.
    public let absolute: [Double]
    /// Percent contributions wᵢ(Σw)ᵢ/σ²; they sum to 1.
    public let percent: [Double]
}

/// Risk and performance measures of a portfolio: from its weights and a covariance
/// (ex ante) or from its return series (ex post).
///
/// Confidence levels are the probability kept, e.g. 0.95 for the 5% tail. Losses (VaR, CVaR,
/// drawdown) are reported as positive numbers.
public enum PortfolioRisk {
    /// The volatility √(wᵀΣw), in the units of `covariance`.
    ///
    /// - Precondition: one weight per row of a square `covariance`.
    /// - Complexity: 2·N² flops. Calls BLAS `dgemv`.
    public static func volatility(weights: [Double], covariance: Matrix) -> Double {
        Swift.max(covariance.quadraticForm(weights), 0).squareRoot()
    }

    /// Marginal, absolute and percent risk contributions (Euler decomposition of σ).
    ///
    /// A portfolio with zero volatility has all contributions zero.
    /// - Precondition: one weight per row of a square `covariance`.
    /// - Complexity: 2·N² flops.
    public static func riskContributions(weights: [Double], covariance: Matrix) -> RiskContributions {
        precondition(covariance.isSquare && weights.count == covariance.rows, "One weight per asset")
        let sw = covariance * weights
        let variance = Swift.max(weights.dot(sw), 0)
        let sigma = variance.squareRoot()
        guard sigma > 0 else {
            let zero = [Double](repeating: 0, count: weights.count)
            return RiskContributions(volatility: 0, marginal: zero, absolute: zero, percent: zero)
        }
        let marginal = sw.map { $0 / sigma }
        let absolute = zip(weights, marginal).map { $0 * $1 }
        return RiskContributions(volatility: sigma, marginal: marginal, absolute: absolute,
                                 percent: absolute.map { $0 / sigma })
    }

    /// The ex-ante tracking error √((w − b)ᵀΣ(w − b)) against benchmark weights `b`, in the
    /// units of `covariance` (annual with an annualized covariance).
    ///
    /// - Precondition: matching lengths.
    /// - Complexity: 2·N² flops.
    public static func trackingError(weights: [Double], benchmark: [Double], covariance: Matrix) -> Double {
        precondition(weights.count == benchmark.count, "One benchmark weight per asset")
        return volatility(weights: zip(weights, benchmark).map { $0 - $1 }, covariance: covariance)
    }

    /// The ex-post tracking error: the annualized standard deviation (divisor T − 1) of the
    /// active returns R·(w − b).
    ///
    /// - Precondition: one weight per asset.
    /// - Complexity: O(N·T).
    public static func trackingError(weights: [Double], benchmark: [Double], returns: ReturnSeries) -> Double {
        precondition(weights.count == benchmark.count, "One benchmark weight per asset")
        let active = returns.portfolioReturns(weights: zip(weights, benchmark).map { $0 - $1 })
        return standardDeviation(active) * returns.periodsPerYear.squareRoot()
    }

    /// Historical value at risk: the loss −r₍ᵢ₎ at the empirical (1 − confidence) quantile of
    /// `returns`, i = ⌊(1 − confidence)·T⌋ (zero-based, ascending), as skfolio `value_at_risk`.
    ///
    /// - Throws: `RiskModelError.invalidParameter` for a confidence outside (0, 1];
    ///   `.tooFewObservations` for an empty series.
    /// - Complexity: O(T log T).
    public static func historicalValueAtRisk(returns: [Double], confidence: Double = 0.95) throws(RiskModelError) -> Double {
        let sorted = try tailSetup(returns, confidence)
        if confidence == 1 { return -sorted[0] }
        let t = sorted.count
        let k = (1 - confidence) * Double(t)
        let i = Swift.min(t - 1, Int((k + 4 * Double.ulpOfOne * Double(t)).rounded(.down)))
        return -sorted[i]
    }

    /// Historical conditional value at risk (expected shortfall): the average loss in the
    /// worst (1 − confidence) fraction of observations, with the boundary observation counted
    /// fractionally (Rockafellar & Uryasev 2002), as skfolio `cvar`.
    ///
    /// - Throws: as `historicalValueAtRisk`.
    /// - Complexity: O(T log T).
    public static func historicalConditionalValueAtRisk(returns: [Double], confidence: Double = 0.95)
        throws(RiskModelError) -> Double
    {
        let sorted = try tailSetup(returns, confidence)
        if confidence == 1 { return -sorted[0] }
        let k = (1 - confidence) * Double(sorted.count)
        let i = Swift.max(0, Int(k.rounded(.up)) - 1)
        let head = sorted[0..<i].reduce(0, +)
        return -head / k + sorted[i] * (Double(i) / k - 1)
    }

    /// Gaussian (parametric) value at risk −(μ + z₁₋c·σ) with μ and σ the sample mean and
    /// standard deviation (divisor T − 1) of `returns`.
    ///
    /// - Throws: `RiskModelError.invalidParameter` for a confidence outside (0, 1);
    ///   `.tooFewObservations` for fewer than two returns.
    /// - Complexity: O(T).
    public static func gaussianValueAtRisk(returns: [Double], confidence: Double = 0.95) throws(RiskModelError) -> Double {
        let (mu, sd) = try gaussianSetup(returns, confidence)
        return -(mu + NormalDistribution.quantile(1 - confidence) * sd)
    }

    /// Gaussian conditional value at risk −μ + σ·φ(z₁₋c)/(1 − c).
    ///
    /// - Throws: as `gaussianValueAtRisk`.
    /// - Complexity: O(T).
    public static func gaussianConditionalValueAtRisk(returns: [Double], confidence: Double = 0.95)
        throws(RiskModelError) -> Double
    {
        let (mu, sd) = try gaussianSetup(returns, confidence)
        let z = NormalDistribution.quantile(1 - confidence)
        return -mu + sd * NormalDistribution.density(z) / (1 - confidence)
    }

    /// The maximum drawdown of the compounded value series Vₜ = Π(1 + rₛ) starting from
    /// V₀ = 1: max over t of 1 − Vₜ / max(1, V₀…Vₜ). Zero when the value never falls.
    /// Matches skfolio `max_drawdown(get_drawdowns(returns, compounded=True))`.
    ///
    /// Tracks the ratio Vₜ / peak (in [0, 1]) rather than Vₜ itself, so a long series of large
    /// gains cannot overflow to ∞/∞ = NaN; a return below −100% counts as a total loss.
    /// - Complexity: O(T).
    public static func maximumDrawdown(returns: [Double]) -> Double {
        var ratio = 1.0, worst = 0.0
        for r in returns {
            ratio = Swift.min(1, Swift.max(0, ratio * (1 + r)))
            worst = Swift.max(worst, 1 - ratio)
        }
        return worst
    }

    /// The annualized Sharpe ratio (Sharpe 1966): (mean − r_f/f)/sd·√f, with the annual
    /// risk-free rate `riskFreeRate`, f periods per year and the sample standard deviation.
    ///
    /// - Throws: `RiskModelError.tooFewObservations` for fewer than two returns;
    ///   `.invalidParameter` for zero volatility.
    /// - Complexity: O(T).
    public static func sharpeRatio(returns: [Double], riskFreeRate: Double = 0, periodsPerYear: Double = 252)
        throws(RiskModelError) -> Double
    {
        guard returns.count >= 2 else { throw .tooFewObservations(found: returns.count, required: 2) }
        let sd = standardDeviation(returns)
        guard sd > 0 else { throw .invalidParameter(name: "volatility", value: 0, expected: "positive") }
        let mean = returns.reduce(0, +) / Double(returns.count)
        return (mean - riskFreeRate / periodsPerYear) / sd * periodsPerYear.squareRoot()
    }

    /// The annualized Sortino ratio (Sortino & Price 1994): (mean − r_f/f)/DD·√f, where the
    /// downside deviation DD = √(Σ min(rₜ − MAR, 0)²/(T − 1)) below the per-period minimum
    /// acceptable return (default 0), as skfolio `semi_deviation`.
    ///
    /// - Throws: `RiskModelError.tooFewObservations` for fewer than two returns;
    ///   `.invalidParameter` when no return falls below the MAR.
    /// - Complexity: O(T).
    public static func sortinoRatio(returns: [Double], riskFreeRate: Double = 0, minimumAcceptableReturn: Double = 0,
                                    periodsPerYear: Double = 252) throws(RiskModelError) -> Double {
        guard returns.count >= 2 else { throw .tooFewObservations(found: returns.count, required: 2) }
        let downside = returns.reduce(0) { let d = Swift.min($1 - minimumAcceptableReturn, 0); return $0 + d * d }
        let dd = (downside / Double(returns.count - 1)).squareRoot()
        guard dd > 0 else { throw .invalidParameter(name: "downside deviation", value: 0, expected: "positive") }
        let mean = returns.reduce(0, +) / Double(returns.count)
        return (mean - riskFreeRate / periodsPerYear) / dd * periodsPerYear.squareRoot()
    }

    static func standardDeviation(_ x: [Double]) -> Double {
        let mean = x.reduce(0, +) / Double(x.count)
        return (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)).squareRoot()
    }

    static func tailSetup(_ returns: [Double], _ confidence: Double) throws(RiskModelError) -> [Double] {
        guard confidence > 0 && confidence <= 1 else {
            throw .invalidParameter(name: "confidence", value: confidence, expected: "a number in (0, 1]")
        }
        guard !returns.isEmpty else { throw .tooFewObservations(found: 0, required: 1) }
        if let i = returns.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteReturn(asset: "portfolio", observation: i, date: nil)
        }
        return returns.sorted()
    }

    static func gaussianSetup(_ returns: [Double], _ confidence: Double) throws(RiskModelError) -> (Double, Double) {
        guard confidence > 0 && confidence < 1 else {
            throw .invalidParameter(name: "confidence", value: confidence, expected: "a number in (0, 1)")
        }
        guard returns.count >= 2 else { throw .tooFewObservations(found: returns.count, required: 2) }
        return (returns.reduce(0, +) / Double(returns.count), standardDeviation(returns))
    }
}

/// The standard normal distribution.
public enum NormalDistribution {
    /// The density φ(x) = exp(−x²/2)/√(2π).
    ///
    /// - Complexity: O(1).
    public static func density(_ x: Double) -> Double {
        _exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
    }

    /// The cumulative distribution Φ(x) = erfc(−x/√2)/2.
    ///
    /// - Complexity: O(1).
    public static func cdf(_ x: Double) -> Double {
        0.5 * _erfc(-x / 2.0.squareRoot())
    }

    /// The quantile Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation refined by one
    /// Halley step on Φ, accurate to about 1e-15 relative.
    ///
    /// - Precondition: 0 < p < 1.
    /// - Complexity: O(1).
    public static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "Probability must be in (0, 1)")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * _log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
                (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * _log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        for _ in 0..<2 {
            let e = cdf(x) - p
            let u = e * (2 * Double.pi).squareRoot() * _exp(0.5 * x * x)
            x -= u / (1 + 0.5 * x * u)
        }
        return x
    }
}
