import Foundation
import FolioLinearAlgebra
import Testing
@testable import FolioRisk

/// Issue 10: no public API of FolioRisk returns NaN or an infinite covariance, return or risk.
/// Every estimator, expected-return estimator, Black-Litterman and risk metric is fed seeded
/// hostile data — two nearly collinear assets, more assets than observations, a constant price
/// (zero variance), returns scaled by 1e-8 and by 1e6, prices of magnitude 1e-300 and 1e300 —
/// and must answer with finite numbers or throw a `RiskModelError`.
@Suite struct NumericalGuardTests {
    /// One hostile data set: the name says which, the series may itself be a typed error.
    struct Case: CustomStringConvertible {
        var name: String
        var seed: UInt64
        var returns: Result<ReturnSeries, RiskModelError>
        var description: String { "\(name) (seed \(seed))" }
    }

    static let seeds: [UInt64] = Array(1...4)

    /// The hostile inputs for one seed.
    static func cases(seed: UInt64) -> [Case] {
        var g = SeededGenerator(seed: seed)
        func gaussian() -> Double {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &g), v = Double.random(in: 0..<1, using: &g)
            return (-2 * _log(u)).squareRoot() * cos(2 * .pi * v)
        }
        func series(_ t: Int, _ n: Int, kind: ReturnKind = .simple, _ value: (Int, Int) -> Double) -> Result<ReturnSeries, RiskModelError> {
            var m = Matrix(rows: t, columns: n)
            for j in 0..<n { for i in 0..<t { m[i, j] = value(i, j) } }
            return Result { () throws(RiskModelError) in
                try ReturnSeries(values: m, assets: (0..<n).map { "A\($0)" }, kind: kind)
            }
        }
        let base = (0..<(120 * 6)).map { _ in 0.01 * gaussian() }
        let wide = (0..<(8 * 25)).map { _ in 0.02 * gaussian() }
        var out: [Case] = []
        out.append(Case(name: "near-singular (collinear pair)", seed: seed, returns: series(120, 6) { i, j in
            j == 1 ? base[i] + 1e-12 * base[i + 120 * 5] : base[i + 120 * j]
        }))
        out.append(Case(name: "exactly collinear pair", seed: seed, returns: series(120, 6) { i, j in
            j == 1 ? 2 * base[i] : base[i + 120 * j]
        }))
        out.append(Case(name: "N > T", seed: seed, returns: series(8, 25) { i, j in wide[i + 8 * j] }))
        out.append(Case(name: "N > T, T = 2", seed: seed, returns: series(2, 25) { i, j in wide[i + 8 * j] }))
        out.append(Case(name: "constant-price asset", seed: seed, returns: series(120, 6) { i, j in
            j == 2 ? 0 : base[i + 120 * j]
        }))
        out.append(Case(name: "all prices constant", seed: seed, returns: series(60, 4) { _, _ in 0 }))
        out.append(Case(name: "returns x 1e-8", seed: seed, returns: series(120, 6) { i, j in 1e-8 * base[i + 120 * j] }))
        out.append(Case(name: "returns x 1e6", seed: seed, returns: series(120, 6) { i, j in 1e6 * base[i + 120 * j] }))
        out.append(Case(name: "positive returns x 1e6", seed: seed, returns: series(120, 6) { i, j in 1e6 * abs(base[i + 120 * j]) }))
        out.append(Case(name: "log returns x 1e6", seed: seed, returns: series(120, 6, kind: .log) { i, j in 1e6 * base[i + 120 * j] }))
        // One asset jumps from 1e-200 to 1e200: a return of 1e400 overflows to infinity.
        let jump = Matrix(rows: [[1.0, 1e-200], [1.01, 1e200], [1.02, 1e200]])
        out.append(Case(name: "price jump 1e-200 to 1e200", seed: seed, returns: Result { () throws(RiskModelError) in
            try PriceHistory(dates: (1...3).map { MarketDate(year: 2024, month: 1, day: $0)! }, assets: ["A", "B"], prices: jump).returns()
        }))
        for magnitude in [1e-300, 1e300] {
            let t = 121, n = 5
            var prices = Matrix(rows: t, columns: n)
            for j in 0..<n {
                var p = magnitude * Double.random(in: 0.5...2, using: &g)
                for i in 0..<t {
                    prices[i, j] = p
                    p *= 1 + 0.01 * gaussian()
                }
            }
            let dates = (0..<t).map { MarketDate(year: 2020 + $0 / 300, month: 1 + ($0 / 25) % 12, day: 1 + $0 % 25)! }
            let returns = Result { () throws(RiskModelError) in
                try PriceHistory(dates: dates, assets: (0..<n).map { "P\($0)" }, prices: prices).returns()
            }
            out.append(Case(name: "prices of magnitude \(magnitude)", seed: seed, returns: returns))
        }
        return out
    }

    static var allCases: [Case] { seeds.flatMap { cases(seed: $0) } }

    @Test(arguments: allCases)
    func covarianceEstimatorsAreFiniteOrThrow(_ c: Case) throws {
        guard case .success(let returns) = c.returns else { return }
        let estimators: [(String, any CovarianceEstimator)] = [
            ("sample", SampleCovariance()),
            ("sample ML per period", SampleCovariance(normalization: .maximumLikelihood, annualization: .perPeriod)),
            ("EWMA span", ExponentiallyWeightedCovariance()),
            ("EWMA half-life", ExponentiallyWeightedCovariance(decay: .halfLife(20))),
            ("EWMA RiskMetrics", ExponentiallyWeightedCovariance(decay: .lambda(0.94), demean: false)),
            ("Ledoit-Wolf identity", LedoitWolfShrinkage()),
            ("Ledoit-Wolf constant correlation", LedoitWolfShrinkage(target: .constantCorrelation)),
            ("Ledoit-Wolf single index", LedoitWolfShrinkage(target: .singleIndex)),
            ("OAS", OracleApproximatingShrinkage()),
            ("fixed shrinkage", FixedShrinkage()),
            ("fixed shrinkage unbiased", FixedShrinkage(intensity: 0.2, normalization: .unbiased)),
            ("semicovariance", Semicovariance()),
            ("denoising fitted", MarcenkoPasturDenoising()),
            ("denoising fixed", MarcenkoPasturDenoising(noiseVariance: .fixed(0.5))),
            ("denoising over Ledoit-Wolf", MarcenkoPasturDenoising(base: LedoitWolfShrinkage())),
            ("detoning", Detoning()),
            ("detoning over OAS", Detoning(base: OracleApproximatingShrinkage(), marketComponents: 2)),
        ]
        for (name, estimator) in estimators {
            let label = "\(c) \(name)"
            guard let estimate = check(label, { () throws(RiskModelError) in try estimator.estimate(returns) }) else { continue }
            expectFinite(estimate.matrix.elements, label)
            if let s = estimate.shrinkage { expectFinite([s], "\(label) shrinkage") }
            expectFinite(estimate.volatilities, "\(label) volatilities")
            expectFinite(estimate.correlation.elements, "\(label) correlation")
            expectFinite(estimate.perPeriod.matrix.elements, "\(label) per period")
            let equal = [Double](repeating: 1 / Double(estimate.assets.count), count: estimate.assets.count)
            expectFinite([estimate.volatility(of: equal)], "\(label) portfolio volatility")
            if let k = check("\(label) condition number", { () throws(RiskModelError) in try estimate.conditionNumber() }) {
                #expect(!k.isNaN, "\(label): condition number is NaN")
            }
            _ = check("\(label) definiteness", { () throws(RiskModelError) in try CovarianceDiagnostics.definiteness(estimate.matrix) })
            for method in [PositiveDefiniteRepair.eigenvalueClipping, .higham(maxIterations: 100)] {
                if let repaired = check("\(label) repair \(method)", { () throws(RiskModelError) in
                    try NearestPositiveDefinite.repair(estimate.matrix, method: method)
                }) {
                    expectFinite(repaired.elements, "\(label) repair \(method)")
                }
            }
        }
    }

    @Test(arguments: allCases)
    func expectedReturnsAndBlackLittermanAreFiniteOrThrow(_ c: Case) throws {
        guard case .success(let returns) = c.returns else { return }
        let label = c.description
        for compounding in [true, false] {
            expectFinite(ExpectedReturns.meanHistorical(returns, compounding: compounding).values,
                         "\(label) mean historical compounding \(compounding)")
            if let mu = check("\(label) EMA", { () throws(RiskModelError) in
                try ExpectedReturns.exponentiallyWeighted(returns, compounding: compounding)
            }) {
                expectFinite(mu.values, "\(label) EMA compounding \(compounding)")
            }
            if let mu = check("\(label) CAPM", { () throws(RiskModelError) in
                try ExpectedReturns.capm(returns, riskFreeRate: 0.02, compounding: compounding)
            }) {
                expectFinite(mu.values, "\(label) CAPM compounding \(compounding)")
            }
        }
        guard let sigma = check("\(label) sample", { () throws(RiskModelError) in try SampleCovariance().estimate(returns) })?.matrix
        else { return }
        let n = returns.assetCount
        let caps = (0..<n).map { Double($0 + 1) }
        guard let prior = check("\(label) implied prior", { () throws(RiskModelError) in
            try BlackLitterman.marketImpliedPriorReturns(marketCaps: caps, riskAversion: 2.5, covariance: sigma)
        }) else { return }
        expectFinite(prior, "\(label) implied prior")
        let views: [BlackLittermanView] = [.absolute("\(returns.assets[0])", 0.1, confidence: 0.6),
                                           .relative(returns.assets[1], over: returns.assets[n - 1], by: 0.03, confidence: 0.9)]
        for uncertainty in [ViewUncertainty.heLitterman, .idzorek(confidences: [])] {
            guard let model = check("\(label) Black-Litterman", { () throws(RiskModelError) in
                try BlackLitterman(assets: returns.assets, covariance: sigma, prior: prior, views: views, riskAversion: 2.5,
                                   uncertainty: uncertainty)
            }) else { continue }
            expectFinite(model.posteriorReturns, "\(label) posterior returns")
            expectFinite(model.posteriorCovariance.elements, "\(label) posterior covariance")
            expectFinite(model.omega.elements, "\(label) omega")
            if let w = check("\(label) implied weights", { () throws(RiskModelError) in try model.impliedWeights() }) {
                expectFinite(w.values, "\(label) implied weights")
            }
        }
        let market = returns.portfolioReturns(weights: [Double](repeating: 1 / Double(n), count: n))
        var level = 1.0
        let prices = [1.0] + market.map { level *= 1 + $0; return level }
        if let delta = check("\(label) implied risk aversion", { () throws(RiskModelError) in
            try BlackLitterman.marketImpliedRiskAversion(marketPrices: prices)
        }) {
            expectFinite([delta], "\(label) implied risk aversion")
        }
    }

    @Test(arguments: allCases)
    func portfolioRiskIsFiniteOrThrows(_ c: Case) throws {
        guard case .success(let returns) = c.returns else { return }
        let label = c.description
        let n = returns.assetCount
        let w = (0..<n).map { Double($0 + 1) / Double(n * (n + 1) / 2) }
        let b = [Double](repeating: 1 / Double(n), count: n)
        let r = returns.portfolioReturns(weights: w)
        expectFinite(r, "\(label) portfolio returns")
        if let sigma = check("\(label) sample", { () throws(RiskModelError) in try LedoitWolfShrinkage().estimate(returns) })?.matrix {
            expectFinite([PortfolioRisk.volatility(weights: w, covariance: sigma)], "\(label) volatility")
            let rc = PortfolioRisk.riskContributions(weights: w, covariance: sigma)
            expectFinite([rc.volatility] + rc.marginal + rc.absolute + rc.percent, "\(label) risk contributions")
            expectFinite([PortfolioRisk.trackingError(weights: w, benchmark: b, covariance: sigma)], "\(label) ex-ante tracking error")
        }
        expectFinite([PortfolioRisk.trackingError(weights: w, benchmark: b, returns: returns)], "\(label) ex-post tracking error")
        expectFinite([PortfolioRisk.maximumDrawdown(returns: r)], "\(label) maximum drawdown")
        for confidence in [0.95, 0.99, 1.0] {
            if let v = check("\(label) VaR", { () throws(RiskModelError) in try PortfolioRisk.historicalValueAtRisk(returns: r, confidence: confidence) }) {
                expectFinite([v], "\(label) historical VaR \(confidence)")
            }
            if let v = check("\(label) CVaR", { () throws(RiskModelError) in
                try PortfolioRisk.historicalConditionalValueAtRisk(returns: r, confidence: confidence)
            }) {
                expectFinite([v], "\(label) historical CVaR \(confidence)")
            }
        }
        for confidence in [0.95, 0.99] {
            if let v = check("\(label) Gaussian VaR", { () throws(RiskModelError) in
                try PortfolioRisk.gaussianValueAtRisk(returns: r, confidence: confidence)
            }) {
                expectFinite([v], "\(label) Gaussian VaR")
            }
            if let v = check("\(label) Gaussian CVaR", { () throws(RiskModelError) in
                try PortfolioRisk.gaussianConditionalValueAtRisk(returns: r, confidence: confidence)
            }) {
                expectFinite([v], "\(label) Gaussian CVaR")
            }
        }
        if let s = check("\(label) Sharpe", { () throws(RiskModelError) in try PortfolioRisk.sharpeRatio(returns: r, riskFreeRate: 0.02) }) {
            expectFinite([s], "\(label) Sharpe")
        }
        if let s = check("\(label) Sortino", { () throws(RiskModelError) in try PortfolioRisk.sortinoRatio(returns: r, riskFreeRate: 0.02) }) {
            expectFinite([s], "\(label) Sortino")
        }
    }

    /// Simple returns below −100% need a negative price: the series rejects them by name.
    @Test func simpleReturnBelowMinusOneIsATypedError() {
        let m = Matrix(rows: [[0.01, 0.02], [-1.5, 0.01], [0.0, 0.0]])
        #expect(throws: RiskModelError.self) { try ReturnSeries(values: m, assets: ["A", "B"]) }
    }

    /// Implied weights whose long and short sides cancel have no normalization: a typed error,
    /// not ±∞.
    @Test func impliedWeightsThatCancelThrow() throws {
        let model = try BlackLitterman(assets: ["A", "B"], covariance: .identity(2), prior: [0.1, -0.1],
                                       views: [.absolute("A", 0.1)])
        #expect(model.posteriorReturns == [0.1, -0.1])
        #expect(throws: RiskModelError.self) { try model.impliedWeights() }
    }

    /// A compounded annual growth beyond Double's range (e^(252·log 1e6)) is rounded toward
    /// zero, not reported as infinity; the EMA and CAPM estimators throw instead.
    @Test func overflowingGrowthIsFinite() throws {
        let huge = try ReturnSeries(values: Matrix(rows: [[1e6], [2e6], [3e6]]), assets: ["A"])
        #expect(ExpectedReturns.meanHistorical(huge).values == [.greatestFiniteMagnitude])
        #expect(throws: RiskModelError.self) { try ExpectedReturns.exponentiallyWeighted(huge) }
        let log = try ReturnSeries(values: Matrix(rows: [[1e306], [1e306]]), assets: ["A"], kind: .log)
        #expect(ExpectedReturns.meanHistorical(log, compounding: false).values == [.greatestFiniteMagnitude])
    }
}

/// Calls `body`; a `RiskModelError` is an acceptable answer (returns nil), anything else fails.
func check<T>(_ label: String, _ body: () throws(RiskModelError) -> T) -> T? {
    do { return try body() } catch { return nil }
}

/// Expects every value finite.
func expectFinite(_ values: [Double], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
        Issue.record("\(label): element \(bad) is \(values[bad])", sourceLocation: sourceLocation)
    }
}
