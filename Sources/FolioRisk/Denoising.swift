import FolioLinearAlgebra

/// How the Marcenko-Pastur noise variance σ² is chosen.
public enum NoiseVariance: Sendable, Equatable {
    /// Fit σ² in (0, 1) so the Marcenko-Pastur density matches a Gaussian kernel density
    /// estimate (bandwidth 0.01) of the correlation eigenvalues, least squares on 1,000 points
    /// (López de Prado 2020, "Machine Learning for Asset Managers", §2; skfolio
    /// `DenoiseCovariance`). The search starts at 0.5 and walks downhill, as skfolio's bounded
    /// L-BFGS-B does from the same start (see `MarcenkoPastur.fitVariance`).
    case fitted
    /// Use this σ² (a fraction of unit variance) as given.
    case fixed(Double)
}

/// The Marcenko-Pastur fit behind a denoised covariance.
public struct MarcenkoPasturFit: Sendable, Equatable {
    /// The noise variance σ² of the correlation matrix.
    public let variance: Double
    /// The largest eigenvalue pure noise would produce, σ²(1 + √(N/T))².
    public let threshold: Double
    /// The number of eigenvalues at or above the threshold: the signal factors kept.
    public let factors: Int
}

/// Marcenko-Pastur denoising with constant residual eigenvalue (López de Prado 2020,
/// "Machine Learning for Asset Managers", §2.5; Laloux, Cizeau, Bouchaud & Potters 1999).
///
/// Takes the correlation matrix of the base estimate, keeps the eigenvalues above the
/// Marcenko-Pastur edge σ²(1 + √(N/T))², replaces the others by their average (so the trace
/// is kept), rescales to unit diagonal and restores the variances. Matches skfolio
/// `DenoiseCovariance` whenever the noise fit selects the same number of factors.
public struct MarcenkoPasturDenoising<Base: CovarianceEstimator>: CovarianceEstimator {
    /// The estimator whose result is denoised (default: unbiased sample covariance).
    public var base: Base
    /// Fitted (default) or fixed noise variance.
    public var noiseVariance: NoiseVariance

    /// Creates the estimator over `base`.
    public init(base: Base, noiseVariance: NoiseVariance = .fitted) {
        self.base = base
        self.noiseVariance = noiseVariance
    }

    /// The denoised covariance of `returns`.
    ///
    /// - Complexity: the base estimator plus two N x N eigendecompositions (O(N³)) and, when
    ///   fitted, O(N·1000) per objective evaluation (about 60 evaluations).
    public func estimate(_ returns: ReturnSeries) throws(RiskModelError) -> CovarianceEstimate {
        try denoise(returns).estimate
    }

    /// The denoised covariance and the Marcenko-Pastur fit behind it.
    ///
    /// - Throws: `RiskModelError.invalidParameter` for a fixed variance outside (0, 1];
    ///   `.linearAlgebra` if an eigendecomposition fails.
    /// - Complexity: as `estimate(_:)`.
    public func denoise(_ returns: ReturnSeries) throws(RiskModelError) -> (estimate: CovarianceEstimate, fit: MarcenkoPasturFit) {
        let raw = try base.estimate(returns)
        let n = raw.assets.count
        let q = Double(returns.observations) / Double(n)
        let (corr, sd) = CovarianceConversion.correlation(fromCovariance: raw.matrix)
        let e = try eigen(corr)
        let ascending = e.eigenvalues
        let variance: Double
        switch noiseVariance {
        case .fixed(let v):
            guard v > 0 && v <= 1 else {
                throw .invalidParameter(name: "noise variance", value: v, expected: "a number in (0, 1]")
            }
            variance = v
        case .fitted:
            variance = MarcenkoPastur.fitVariance(eigenvalues: ascending, q: q)
        }
        let edge = 1 + (1 / q).squareRoot()
        let threshold = variance * edge * edge
        let factors = ascending.filter { $0 >= threshold }.count
        var values = ascending
        let noise = n - factors
        if noise > 0 {
            let mean = values[0..<noise].reduce(0, +) / Double(noise)
            for i in 0..<noise { values[i] = mean }
        }
        let rebuilt = CovarianceConversion.correlation(fromCovariance: e.recomposed(withEigenvalues: values)).correlation
        let cov = CovarianceConversion.covariance(fromCorrelation: rebuilt, standardDeviations: sd)
        let estimate = CovarianceEstimate(assets: raw.assets, matrix: symmetricPart(cov), units: raw.units,
                                          observations: raw.observations)
        return (estimate, MarcenkoPasturFit(variance: variance, threshold: threshold, factors: factors))
    }
}

extension MarcenkoPasturDenoising where Base == SampleCovariance {
    /// Denoises the unbiased, annualized sample covariance (skfolio's default base estimator).
    public init(noiseVariance: NoiseVariance = .fitted) {
        self.init(base: SampleCovariance(), noiseVariance: noiseVariance)
    }
}

/// Detoning: removes the market mode(s) from the correlation matrix (López de Prado 2020,
/// "Machine Learning for Asset Managers", §2.6), as skfolio `DetoneCovariance` with
/// `nearest=False`.
///
/// Subtracts λₖvₖvₖᵀ for the `marketComponents` largest eigenvalues of the correlation of the
/// base estimate, rescales to unit diagonal and restores the variances. The result has rank
/// N − `marketComponents`, so it is reported singular: use it for clustering, or repair it
/// with `NearestPositiveDefinite` before inverting.
public struct Detoning<Base: CovarianceEstimator>: CovarianceEstimator {
    /// The estimator whose result is detoned.
    public var base: Base
    /// How many leading eigenvectors to remove (default 1, the market).
    public var marketComponents: Int

    /// Creates the estimator over `base`.
    /// - Precondition: `marketComponents >= 0`.
    public init(base: Base, marketComponents: Int = 1) {
        precondition(marketComponents >= 0, "marketComponents must be non-negative")
        self.base = base
        self.marketComponents = marketComponents
    }

    /// The detoned covariance of `returns`.
    ///
    /// - Throws: `RiskModelError.invalidParameter` when `marketComponents` is not below N;
    ///   `.linearAlgebra` if the eigendecomposition fails.
    /// - Complexity: the base estimator plus one N x N eigendecomposition, O(N³).
    public func estimate(_ returns: ReturnSeries) throws(RiskModelError) -> CovarianceEstimate {
        let raw = try base.estimate(returns)
        let n = raw.assets.count
        guard marketComponents < n else {
            throw .invalidParameter(name: "market components", value: Double(marketComponents),
                                    expected: "fewer than the \(n) assets")
        }
        let (corr, sd) = CovarianceConversion.correlation(fromCovariance: raw.matrix)
        let e = try eigen(corr)
        var market = [Double](repeating: 0, count: n)
        for k in 0..<marketComponents { market[n - 1 - k] = e.eigenvalues[n - 1 - k] }
        let detoned = corr - e.recomposed(withEigenvalues: market)
        let rebuilt = CovarianceConversion.correlation(fromCovariance: detoned).correlation
        let cov = CovarianceConversion.covariance(fromCorrelation: rebuilt, standardDeviations: sd)
        return CovarianceEstimate(assets: raw.assets, matrix: symmetricPart(cov), units: raw.units,
                                  observations: raw.observations, isSingular: marketComponents > 0)
    }
}

extension Detoning where Base == SampleCovariance {
    /// Detones the unbiased, annualized sample covariance.
    public init(marketComponents: Int = 1) {
        self.init(base: SampleCovariance(), marketComponents: marketComponents)
    }
}

/// The Marcenko-Pastur law for the eigenvalues of a noise correlation matrix.
public enum MarcenkoPastur {
    /// The Marcenko-Pastur density of eigenvalues for noise variance σ² and q = T/N at `x`:
    /// q/(2πσ²x)·√((λ₊ − x)(x − λ₋)) on [λ₋, λ₊], λ± = σ²(1 ± √(1/q))², zero outside.
    ///
    /// - Complexity: O(1).
    public static func density(_ x: Double, variance: Double, q: Double) -> Double {
        let r = (1 / q).squareRoot()
        let lo = variance * (1 - r) * (1 - r), hi = variance * (1 + r) * (1 + r)
        guard x > lo && x < hi else { return 0 }
        return q / (2 * Double.pi * variance * x) * ((hi - x) * (x - lo)).squareRoot()
    }

    /// The squared distance between the Marcenko-Pastur density and a Gaussian kernel density
    /// estimate (bandwidth 0.01) of `eigenvalues`, summed over 1,000 evenly spaced points of
    /// [λ₋, λ₊]: the objective skfolio minimizes.
    ///
    /// - Complexity: O(1000·N).
    public static func fitError(variance: Double, eigenvalues: [Double], q: Double, bandwidth: Double = 0.01) -> Double {
        let r = (1 / q).squareRoot()
        let lo = variance * (1 - r) * (1 - r), hi = variance * (1 + r) * (1 + r)
        let points = 1000
        let step = (hi - lo) / Double(points - 1)
        let norm = 1 / (Double(eigenvalues.count) * bandwidth * (2 * Double.pi).squareRoot())
        let inv2h2 = 1 / (2 * bandwidth * bandwidth)
        var total = 0.0
        for k in 0..<points {
            let x = k == points - 1 ? hi : lo + Double(k) * step
            var mp = q / (2 * Double.pi * variance * x) * Swift.max((hi - x) * (x - lo), 0).squareRoot()
            if !mp.isFinite { mp = 0 }
            var kde = 0.0
            for v in eigenvalues { let d = x - v; kde += _exp(-d * d * inv2h2) }
            let diff = kde * norm - mp
            total += diff * diff
        }
        return total
    }

    /// The fitted noise variance in [1e-5, 1 − 1e-5], searched the way skfolio's bounded
    /// L-BFGS-B search from 0.5 proceeds on this (noisy, mostly decreasing) objective: its first
    /// projected step goes to the bound in the downhill direction and is kept when it satisfies
    /// the Wolfe conditions (sufficient decrease 1e-3, curvature 0.9) and the objective still
    /// falls toward the bound there. Otherwise: walk downhill from 0.5 (or inward from the
    /// bound) in steps of 0.01 to the first local minimum and refine by golden-section search.
    ///
    /// - Complexity: about 60 evaluations of `fitError`.
    public static func fitVariance(eigenvalues: [Double], q: Double) -> Double {
        let lower = 1e-5, upper = 1 - 1e-5
        func f(_ v: Double) -> Double { fitError(variance: v, eigenvalues: eigenvalues, q: q) }
        let h = 1e-7
        let x0 = 0.5, f0 = f(x0)
        let g0 = (f(x0 + h) - f(x0 - h)) / (2 * h)
        if g0 == 0 { return x0 }
        let bound = g0 < 0 ? upper : lower
        let fb = f(bound)
        let gb = g0 < 0 ? (fb - f(bound - h)) / h : (f(bound + h) - fb) / h
        let wolfe = fb <= f0 + 1e-3 * g0 * (bound - x0) && abs(gb) <= 0.9 * abs(g0)
        if wolfe && gb * g0 >= 0 { return bound }
        let start = wolfe ? bound : x0
        return walkDownhill(f, from: start, lower: lower, upper: upper)
    }

    static func walkDownhill(_ f: (Double) -> Double, from start: Double, lower: Double, upper: Double) -> Double {
        let step = 0.01
        var x = start, fx = f(x)
        let right = f(Swift.min(x + step, upper)), left = f(Swift.max(x - step, lower))
        if Swift.min(right, left) >= fx {
            return goldenSection(f, Swift.max(x - step, lower), Swift.min(x + step, upper))
        }
        let direction: Double = right < left ? 1 : -1
        while true {
            let next = Swift.min(Swift.max(x + direction * step, lower), upper)
            if next == x { return x }
            let fn = f(next)
            if fn >= fx {
                return goldenSection(f, Swift.max(x - step, lower), Swift.min(x + step, upper))
            }
            x = next
            fx = fn
            if x == lower || x == upper { return x }
        }
    }

    static func goldenSection(_ f: (Double) -> Double, _ a0: Double, _ b0: Double) -> Double {
        var a = a0, b = b0
        let g = (5.0.squareRoot() - 1) / 2
        var c = b - g * (b - a), d = a + g * (b - a)
        var fc = f(c), fd = f(d)
        for _ in 0..<60 where b - a > 1e-10 {
            if fc < fd { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c) } else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d) }
        }
        let mid = (a + b) / 2
        let candidates = [(a0, f(a0)), (b0, f(b0)), (mid, f(mid))]
        return candidates.min { $0.1 < $1.1 }!.0
    }
}
