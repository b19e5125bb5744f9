import FolioLinearAlgebra

extension ExpectedReturns {
    /// The historical mean return of each asset over its own history: compounded (CAGR,
    /// default) or arithmetic, annualized.
    ///
    /// For asset i with nᵢ returns: `(Π(1 + rₜᵢ))^(f/nᵢ) − 1` compounded, `f·mean` arithmetic
    /// (PyPortfolioOpt `mean_historical_return`: pandas `prod` and `count` skip NaN). For log
    /// returns the compounded mean is `exp(f·mean) − 1`. On complete data this is exactly
    /// `meanHistorical(_: ReturnSeries, compounding:)`.
    ///
    /// - Complexity: O(N·T).
    public static func meanHistorical(_ returns: RaggedReturns, compounding: Bool = true) -> AssetValues {
        let t = returns.observations, n = returns.assetCount, f = returns.periodsPerYear
        var out = [Double](repeating: 0, count: n)
        returns.values.elements.withUnsafeBufferPointer { a in
            for j in 0..<n {
                let base = j * t
                var s = 0.0, count = 0
                for i in 0..<t where !a[base + i].isNaN {
                    s += compounding && returns.kind == .simple ? _log(1 + a[base + i]) : a[base + i]
                    count += 1
                }
                // The same order of operations as the complete-data estimate, so that both agree
                // to the last bit on complete data.
                let n = Double(count)
                if compounding && returns.kind == .simple { out[j] = _exp(s * f / n) - 1 } else {
                    out[j] = compounding ? _exp(s / n * f) - 1 : s / n * f
                }
                if out[j] == .infinity { out[j] = .greatestFiniteMagnitude } else if out[j] == -.infinity { out[j] = -.greatestFiniteMagnitude }
            }
        }
        return AssetValues(assets: returns.assets, values: out)
    }

    /// The exponentially weighted mean return of each asset over its own history, annualized:
    /// `(1 + m)^f − 1` when compounding (default), else `m·f`.
    ///
    /// The weight of row t is (1 − α)^(T−1−t) by its position in the whole series, normalized
    /// over the rows where the asset has a return (pandas `ewm(span).mean()` with
    /// `ignore_na=False`, last value, as PyPortfolioOpt `ema_historical_return`).
    ///
    /// - Throws: `RiskModelError.invalidParameter` for an invalid decay or an overflowing result.
    /// - Complexity: O(N·T).
    public static func exponentiallyWeighted(
        _ returns: RaggedReturns, decay: ExponentialDecay = .span(500), compounding: Bool = true
    ) throws(RiskModelError) -> AssetValues {
        try decay.validate()
        let t = returns.observations, n = returns.assetCount, f = returns.periodsPerYear
        let keep = 1 - decay.alpha
        var weight = [Double](repeating: 0, count: t)
        var v = 1.0
        for i in stride(from: t - 1, through: 0, by: -1) { weight[i] = v; v *= keep }
        var means = [Double](repeating: 0, count: n)
        returns.values.elements.withUnsafeBufferPointer { a in
            for j in 0..<n {
                var s = 0.0, total = 0.0
                for i in 0..<t where !a[i + j * t].isNaN { s += weight[i] * a[i + j * t]; total += weight[i] }
                means[j] = s / total
            }
        }
        let values = means.map { compounding ? _pow(1 + $0, f) - 1 : $0 * f }
        try checkFinite(values, returns.assets, "exponentially weighted mean return")
        return AssetValues(assets: returns.assets, values: values)
    }

    /// CAPM expected returns on ragged returns, as PyPortfolioOpt `capm_return` computes them
    /// there: the market is the average of the returns present on each row; βᵢ is the
    /// pairwise-complete cov(rᵢ, m) over the rows where asset i has a return, divided by the
    /// market's variance over every row; E[R_m] is the market's compounded (default) or
    /// arithmetic annualized mean.
    ///
    /// - Throws: `RiskModelError.invalidParameter` when the market has zero variance or a
    ///   result overflows.
    /// - Complexity: O(N·T).
    public static func capm(_ returns: RaggedReturns, riskFreeRate: Double = 0, compounding: Bool = true)
        throws(RiskModelError) -> AssetValues
    {
        let t = returns.observations, n = returns.assetCount, f = returns.periodsPerYear
        let a = returns.values.elements
        var market = [Double](repeating: 0, count: t)
        for i in 0..<t {
            var s = 0.0, c = 0
            for j in 0..<n where !a[i + j * t].isNaN { s += a[i + j * t]; c += 1 }
            market[i] = s / Double(c)
        }
        let marketMean = market.reduce(0, +) / Double(t)
        let marketVariance = market.reduce(0) { $0 + ($1 - marketMean) * ($1 - marketMean) } / Double(t - 1)
        guard marketVariance > 0 else { throw .invalidParameter(name: "market variance", value: 0, expected: "positive") }
        var betas = [Double](repeating: 0, count: n)
        for j in 0..<n {
            let rows = (0..<t).filter { !a[$0 + j * t].isNaN }
            let k = Double(rows.count)
            let mx = rows.reduce(0) { $0 + a[$1 + j * t] } / k, mm = rows.reduce(0) { $0 + market[$1] } / k
            let c = rows.reduce(0) { $0 + (a[$1 + j * t] - mx) * (market[$1] - mm) } / (k - 1)
            betas[j] = c / marketVariance
        }
        let marketReturn: Double
        if compounding {
            marketReturn = _exp(market.reduce(0) { $0 + _log(1 + $1) } * f / Double(t)) - 1
        } else {
            marketReturn = marketMean * f
        }
        let values = betas.map { riskFreeRate + $0 * (marketReturn - riskFreeRate) }
        try checkFinite(values, returns.assets, "CAPM return")
        return AssetValues(assets: returns.assets, values: values)
    }
}
