import FolioLinearAlgebra

/// One investor view: the return of a portfolio of assets (long and short weights).
///
/// An absolute view names one asset ("A returns 10%"); a relative view weights several
/// ("A outperforms B by 3%": +1 on A, −1 on B). `expectedReturn` is annual, like the prior.
public struct BlackLittermanView: Sendable, Equatable {
    /// The view portfolio's weights by asset name (a row of the picking matrix P).
    public let weights: [String: Double]
    /// The view's expected return (an element of Q).
    public let expectedReturn: Double
    /// Idzorek confidence in [0, 1], used by `ViewUncertainty.idzorek`.
    public let confidence: Double?

    /// A view on a weighted portfolio of assets.
    public init(weights: [String: Double], expectedReturn: Double, confidence: Double? = nil) {
        self.weights = weights
        self.expectedReturn = expectedReturn
        self.confidence = confidence
    }

    /// "`asset` will return `expectedReturn`."
    public static func absolute(_ asset: String, _ expectedReturn: Double, confidence: Double? = nil) -> Self {
        Self(weights: [asset: 1], expectedReturn: expectedReturn, confidence: confidence)
    }

    /// "`outperformer` will beat `underperformer` by `spread`."
    public static func relative(_ outperformer: String, over underperformer: String, by spread: Double,
                                confidence: Double? = nil) -> Self {
        Self(weights: [outperformer: 1, underperformer: -1], expectedReturn: spread, confidence: confidence)
    }
}

/// How the view uncertainty Ω is set.
public enum ViewUncertainty: Sendable, Equatable {
    /// Ω = diag(τ·PΣPᵀ) (He & Litterman 1999): uncertainty proportional to the variance of each
    /// view portfolio. PyPortfolioOpt's default.
    case heLitterman
    /// Ω from Idzorek's confidence levels cₖ in [0, 1]: Ωₖₖ = τ·(1 − cₖ)/cₖ·pₖΣpₖᵀ (Idzorek 2005,
    /// "A step-by-step guide to the Black-Litterman model", in the closed form of Walters 2014);
    /// a confidence of 0 gives Ωₖₖ = 10⁶. One confidence per view, in view order.
    case idzorek(confidences: [Double])
    /// Ω given explicitly (K x K, symmetric positive definite).
    case matrix(Matrix)
}

/// The Black-Litterman model (Black & Litterman 1992; He & Litterman 1999): a Bayesian blend
/// of a prior (usually the market-implied returns) and investor views.
///
/// With A = PτΣPᵀ + Ω, the posterior mean is π + τΣPᵀA⁻¹(Q − Pπ) and the posterior covariance
/// Σ + τΣ − τΣPᵀA⁻¹PτΣ. Matches PyPortfolioOpt `BlackLittermanModel` (`bl_returns`, `bl_cov`,
/// `bl_weights`).
///
/// ```swift
/// let prior = try BlackLitterman.marketImpliedPriorReturns(marketCaps: caps, riskAversion: delta, covariance: sigma)
/// let model = try BlackLitterman(assets: names, covariance: sigma, prior: prior,
///                                views: [.absolute("AAPL", 0.10), .relative("MSFT", over: "IBM", by: 0.03)])
/// print(model.posteriorReturns, try model.impliedWeights())
/// ```
public struct BlackLitterman: Sendable {
    /// Asset names, in the order of the covariance.
    public let assets: [String]
    /// The prior covariance Σ (annual).
    public let covariance: Matrix
    /// The prior expected returns π (annual).
    public let prior: [Double]
    /// The picking matrix P, K x N (one row per view).
    public let pickMatrix: Matrix
    /// The view returns Q, K values.
    public let viewReturns: [Double]
    /// The view uncertainty Ω, K x K.
    public let omega: Matrix
    /// τ, the scale of the prior's uncertainty.
    public let tau: Double
    /// δ, the risk aversion used by `impliedWeights()`.
    public let riskAversion: Double
    /// The posterior expected returns.
    public let posteriorReturns: [Double]
    /// The posterior covariance (Σ plus the posterior uncertainty of the mean).
    public let posteriorCovariance: Matrix

    /// Builds the model from views named by asset.
    ///
    /// - Throws: `RiskModelError.unknownAsset` for a view on an asset outside `assets`;
    ///   `.invalidParameter` for τ outside (0, 1], non-positive δ, a confidence outside [0, 1]
    ///   or missing; `.linearAlgebra` if A is singular.
    /// - Precondition: `covariance` is N x N and `prior` has N values.
    /// - Complexity: O(N²·K + K³).
    public init(assets: [String], covariance: Matrix, prior: [Double], views: [BlackLittermanView],
                tau: Double = 0.05, riskAversion: Double = 1, uncertainty: ViewUncertainty = .heLitterman)
        throws(RiskModelError)
    {
        let n = assets.count
        var p = Matrix(rows: views.count, columns: n)
        for (k, view) in views.enumerated() {
            for (asset, w) in view.weights.sorted(by: { $0.key < $1.key }) {
                guard let j = assets.firstIndex(of: asset) else { throw .unknownAsset(asset) }
                p[k, j] += w
            }
        }
        var u = uncertainty
        if case .idzorek(let c) = uncertainty, c.isEmpty {
            var confidences: [Double] = []
            for view in views {
                guard let c = view.confidence else {
                    throw .invalidParameter(name: "view confidence", value: .nan, expected: "a confidence on every view")
                }
                confidences.append(c)
            }
            u = .idzorek(confidences: confidences)
        }
        try self.init(assets: assets, covariance: covariance, prior: prior, pickMatrix: p,
                      viewReturns: views.map(\.expectedReturn), tau: tau, riskAversion: riskAversion, uncertainty: u)
    }

    /// Builds the model from a picking matrix P (K x N) and view returns Q.
    ///
    /// - Throws: as the view-based initializer.
    /// - Precondition: consistent shapes.
    /// - Complexity: O(N²·K + K³). Calls LAPACK `dgesv`.
    public init(assets: [String], covariance: Matrix, prior: [Double], pickMatrix: Matrix, viewReturns: [Double],
                tau: Double = 0.05, riskAversion: Double = 1, uncertainty: ViewUncertainty = .heLitterman)
        throws(RiskModelError)
    {
        let n = assets.count, k = viewReturns.count
        precondition(covariance.isSquare && covariance.rows == n && prior.count == n, "Covariance and prior must match the assets")
        precondition(pickMatrix.rows == k && pickMatrix.columns == n, "P must be K x N")
        try checkUniqueAssets(assets)
        guard tau > 0 && tau <= 1 else { throw .invalidParameter(name: "tau", value: tau, expected: "a number in (0, 1]") }
        guard riskAversion > 0 && riskAversion.isFinite else {
            throw .invalidParameter(name: "risk aversion", value: riskAversion, expected: "a positive number")
        }
        let tauSigmaPt = covariance.multiplied(by: pickMatrix, transposingOther: true, scale: tau)   // N x K
        let pTauSigmaPt = pickMatrix * tauSigmaPt                                                   // K x K
        var omega: Matrix
        switch uncertainty {
        case .heLitterman:
            omega = .diagonal(pTauSigmaPt.diagonal)
        case .idzorek(let confidences):
            precondition(confidences.count == k, "One confidence per view")
            var d = [Double](repeating: 0, count: k)
            for (i, c) in confidences.enumerated() {
                guard c >= 0 && c <= 1 else { throw .invalidParameter(name: "confidence of view \(i)", value: c, expected: "a number in [0, 1]") }
                d[i] = c == 0 ? 1e6 : (1 - c) / c * pTauSigmaPt[i, i]
            }
            omega = .diagonal(d)
        case .matrix(let m):
            precondition(m.rows == k && m.columns == k, "Omega must be K x K")
            omega = m
        }
        let a = pTauSigmaPt + omega
        let pi = prior
        let residual = zip(viewReturns, pickMatrix * pi).map { $0 - $1 }
        do {
            let solution = try a.solve(residual)
            let shift = tauSigmaPt * solution
            posteriorReturns = zip(pi, shift).map { $0 + $1 }
            let m = try a.solve(tauSigmaPt.transposed)                                              // K x N
            let update = tauSigmaPt * m
            var post = covariance + tau * covariance - update
            post = symmetricPart(post)
            posteriorCovariance = post
        } catch {
            throw .linearAlgebra(error)
        }
        self.assets = assets
        self.covariance = covariance
        self.prior = prior
        self.pickMatrix = pickMatrix
        self.viewReturns = viewReturns
        self.omega = omega
        self.tau = tau
        self.riskAversion = riskAversion
    }

    /// The weights implied by the posterior returns, w ∝ (δΣ)⁻¹μ, normalized to sum to 1
    /// (PyPortfolioOpt `bl_weights`).
    ///
    /// - Throws: `RiskModelError.linearAlgebra` if Σ is singular; `.invalidParameter` when the
    ///   unnormalized weights sum to zero (nothing to normalize by).
    /// - Complexity: O(N³). Calls LAPACK `dgesv`.
    public func impliedWeights(riskAversion: Double? = nil) throws(RiskModelError) -> AssetValues {
        let delta = riskAversion ?? self.riskAversion
        let raw: [Double]
        do {
            raw = try (delta * covariance).solve(posteriorReturns)
        } catch {
            throw .linearAlgebra(error)
        }
        let total = raw.reduce(0, +)
        // Long and short positions that cancel leave nothing to normalize by (x/0: ±∞ or NaN).
        guard total != 0, total.isFinite, raw.allSatisfy({ ($0 / total).isFinite }) else {
            throw .invalidParameter(name: "sum of the unnormalized implied weights", value: total,
                                    expected: "a nonzero finite number (the long and short positions cancel)")
        }
        return AssetValues(assets: assets, values: raw.map { $0 / total })
    }

    /// The market-implied prior returns Π = δΣw_mkt + r_f, with w_mkt the capitalization
    /// weights (PyPortfolioOpt `market_implied_prior_returns`).
    ///
    /// - Throws: `RiskModelError.invalidParameter` for a capitalization that is negative or not
    ///   finite, or when they sum to zero (no market weights to form).
    /// - Precondition: one capitalization per row of `covariance`.
    /// - Complexity: 2·N² flops.
    public static func marketImpliedPriorReturns(
        marketCaps: [Double], riskAversion: Double, covariance: Matrix, riskFreeRate: Double = 0
    ) throws(RiskModelError) -> [Double] {
        precondition(marketCaps.count == covariance.rows, "One market capitalization per asset")
        for cap in marketCaps where !(cap.isFinite && cap >= 0) {
            throw .invalidParameter(name: "market capitalization", value: cap, expected: "a finite number ≥ 0")
        }
        let total = marketCaps.reduce(0, +)
        guard total > 0 && total.isFinite else {
            throw .invalidParameter(name: "total market capitalization", value: total, expected: "a positive finite sum")
        }
        let w = marketCaps.map { $0 / total }
        return (covariance * w).map { riskAversion * $0 + riskFreeRate }
    }

    /// The market-implied risk aversion δ = (E[R_m] − r_f)/σ²_m from a market price series:
    /// annualized arithmetic mean and unbiased variance of its simple returns
    /// (PyPortfolioOpt `market_implied_risk_aversion`).
    ///
    /// - Throws: `RiskModelError.tooFewObservations` for fewer than 3 prices;
    ///   `.invalidParameter` for a non-positive or non-finite price or zero variance.
    ///   A negative δ is returned as computed (the market underperformed the risk-free rate);
    ///   `BlackLitterman` itself rejects it.
    /// - Complexity: O(T).
    public static func marketImpliedRiskAversion(
        marketPrices: [Double], periodsPerYear: Double = 252, riskFreeRate: Double = 0
    ) throws(RiskModelError) -> Double {
        guard marketPrices.count >= 3 else { throw .tooFewObservations(found: marketPrices.count, required: 3) }
        for (i, p) in marketPrices.enumerated() where !(p > 0 && p.isFinite) {
            throw .invalidParameter(name: "market price \(i)", value: p, expected: "positive and finite")
        }
        let r = (1..<marketPrices.count).map { marketPrices[$0] / marketPrices[$0 - 1] - 1 }
        let mean = r.reduce(0, +) / Double(r.count)
        let variance = r.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(r.count - 1)
        guard variance > 0 else { throw .invalidParameter(name: "market variance", value: variance, expected: "positive") }
        return (mean * periodsPerYear - riskFreeRate) / (variance * periodsPerYear)
    }
}
