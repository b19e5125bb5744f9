import FolioLinearAlgebra

/// One number per asset (expected returns, weights, betas), with the asset names.
public struct AssetValues: Sendable, Equatable {
    /// Asset names, in order.
    public let assets: [String]
    /// The values, one per asset, in the order of `assets`.
    public let values: [Double]

    /// Pairs names and values.
    /// - Precondition: equal counts.
    public init(assets: [String], values: [Double]) {
        precondition(assets.count == values.count, "One value per asset")
        self.assets = assets
        self.values = values
    }

    /// The value for `asset`, or `nil` for an unknown name.
    ///
    /// - Complexity: O(N).
    public subscript(asset: String) -> Double? {
        assets.firstIndex(of: asset).map { values[$0] }
    }
}

/// Estimates of expected (annual) returns from historical returns, as PyPortfolioOpt's
/// `expected_returns` module computes them.
///
/// Results are annualized with `ReturnSeries.periodsPerYear`. "Compounded" means the
/// geometric mean (CAGR) `(Π(1 + rₜ))^(f/T) − 1`; otherwise the arithmetic mean times f.
public enum ExpectedReturns {
    /// The historical mean return: compounded (CAGR, default) or arithmetic, annualized.
    ///
    /// For log returns the compounded mean is `exp(f·mean) − 1`. A result beyond Double's
    /// range (a series growing by more than e^(709/f) a period, which no market does) is
    /// rounded toward zero to ±`Double.greatestFiniteMagnitude`, never infinite; simple returns
    /// below −100% are rejected by `ReturnSeries`, so the result is never NaN.
    /// Matches PyPortfolioOpt `mean_historical_return` (simple returns).
    /// - Complexity: O(N·T).
    public static func meanHistorical(_ returns: ReturnSeries, compounding: Bool = true) -> AssetValues {
        let t = returns.observations, n = returns.assetCount, f = returns.periodsPerYear
        var out = [Double](repeating: 0, count: n)
        returns.values.elements.withUnsafeBufferPointer { a in
            for j in 0..<n {
                let base = j * t
                if compounding && returns.kind == .simple {
                    var logGrowth = 0.0
                    for i in 0..<t { logGrowth += _log(1 + a[base + i]) }
                    out[j] = _exp(logGrowth * f / Double(t)) - 1
                } else {
                    var s = 0.0
                    for i in 0..<t { s += a[base + i] }
                    out[j] = compounding ? _exp(s / Double(t) * f) - 1 : s / Double(t) * f
                }
                // Beyond Double's range (returns of thousands of percent a period, compounded
                // over a year): rounded toward zero, never infinite.
                if out[j] == .infinity { out[j] = .greatestFiniteMagnitude } else if out[j] == -.infinity { out[j] = -.greatestFiniteMagnitude }
            }
        }
        return AssetValues(assets: returns.assets, values: out)
    }

    /// The exponentially weighted mean return (pandas `ewm(span).mean()`, last value),
    /// annualized: `(1 + m)^f − 1` when compounding (default), else `m·f`.
    ///
    /// Matches PyPortfolioOpt `ema_historical_return` (default span 500).
    /// - Throws: `RiskModelError.invalidParameter` for an invalid decay, or when the
    ///   annualized figure overflows.
    /// - Complexity: O(N·T).
    public static func exponentiallyWeighted(
        _ returns: ReturnSeries, decay: ExponentialDecay = .span(500), compounding: Bool = true
    ) throws(RiskModelError) -> AssetValues {
        try decay.validate()
        let f = returns.periodsPerYear
        let m = returns.values.multiplied(by: decay.weights(returns.observations), transposingSelf: true)
        let values = m.map { compounding ? _pow(1 + $0, f) - 1 : $0 * f }
        try checkFinite(values, returns.assets, "exponentially weighted mean return")
        return AssetValues(assets: returns.assets, values: values)
    }

    /// CAPM expected returns `r_f + βᵢ(E[R_m] − r_f)` (Sharpe 1964), with βᵢ = cov(rᵢ, m)/var(m)
    /// against `market` returns (one per observation) or, when `nil`, the equal-weighted
    /// average of the assets. E[R_m] is the market's compounded (default) or arithmetic
    /// annualized mean. `riskFreeRate` is annual.
    ///
    /// Matches PyPortfolioOpt `capm_return`.
    /// - Precondition: `market`, when given, has one return per observation.
    /// - Throws: `RiskModelError.nonFiniteReturn` for a non-finite market return;
    ///   `.invalidParameter` when the market has zero variance or a result overflows.
    /// - Complexity: O(N·T).
    public static func capm(
        _ returns: ReturnSeries, market: [Double]? = nil, riskFreeRate: Double = 0, compounding: Bool = true
    ) throws(RiskModelError) -> AssetValues {
        let t = returns.observations, n = returns.assetCount, f = returns.periodsPerYear
        let x = returns.values
        var m: [Double]
        if let market {
            precondition(market.count == t, "One market return per observation")
            if let i = market.firstIndex(where: { !$0.isFinite }) {
                throw .nonFiniteReturn(asset: "market", observation: i, date: returns.dates?[i])
            }
            m = market
        } else {
            m = [Double](repeating: 0, count: t)
            x.elements.withUnsafeBufferPointer { a in
                for j in 0..<n { for i in 0..<t { m[i] += a[i + j * t] } }
            }
            for i in 0..<t { m[i] /= Double(n) }
        }
        let mMean = m.reduce(0, +) / Double(t)
        let mc = m.map { $0 - mMean }
        let varM = mc.reduce(0) { $0 + $1 * $1 }
        guard varM > 0 else { throw .invalidParameter(name: "market variance", value: 0, expected: "positive") }
        let means = returns.means
        var betas = [Double](repeating: 0, count: n)
        x.elements.withUnsafeBufferPointer { a in
            for j in 0..<n {
                var c = 0.0
                for i in 0..<t { c += (a[i + j * t] - means[j]) * mc[i] }
                betas[j] = c / varM
            }
        }
        let marketReturn: Double
        if compounding {
            var g = 0.0
            for v in m { g += _log(1 + v) }
            marketReturn = _exp(g * f / Double(t)) - 1
        } else {
            marketReturn = mMean * f
        }
        let values = betas.map { riskFreeRate + $0 * (marketReturn - riskFreeRate) }
        try checkFinite(values, returns.assets, "CAPM return")
        return AssetValues(assets: returns.assets, values: values)
    }

    /// Throws `invalidParameter` naming the first asset whose estimate overflowed (returns so
    /// large that the annualized figure leaves Double's range).
    static func checkFinite(_ values: [Double], _ assets: [String], _ what: String) throws(RiskModelError) {
        if let j = values.firstIndex(where: { !$0.isFinite }) {
            throw .invalidParameter(name: "\(what) of '\(assets[j])'", value: values[j],
                                    expected: "a finite annual return (the returns are too large to annualize)")
        }
    }
}
