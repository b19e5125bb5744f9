import Testing
import FolioLinearAlgebra
@testable import FolioRisk

/// Expected returns, Black-Litterman and portfolio risk metrics against PyPortfolioOpt,
/// skfolio and scipy on the committed fixtures.
@Suite struct GoldenReturnsTests {
    static let sets = ["n20_t500", "n100_t60"]
    let tolerance = 1e-10

    @Test(arguments: sets) func expectedReturns(set: String) throws {
        let g = try Golden.load(set)
        let r = try g.returns()
        #expect(maxRelativeError(ExpectedReturns.meanHistorical(r).values, g.vector("meanHistoricalCompounded")) < tolerance)
        #expect(maxRelativeError(ExpectedReturns.meanHistorical(r, compounding: false).values,
                                 g.vector("meanHistoricalArithmetic")) < tolerance)
        #expect(maxRelativeError(try ExpectedReturns.exponentiallyWeighted(r).values, g.vector("emaCompounded")) < tolerance)
        #expect(maxRelativeError(try ExpectedReturns.exponentiallyWeighted(r, decay: .span(60), compounding: false).values,
                                 g.vector("emaArithmetic60")) < tolerance)
        #expect(maxRelativeError(try ExpectedReturns.capm(r).values, g.vector("capmEqualWeight")) < tolerance)
        #expect(maxRelativeError(try ExpectedReturns.capm(r, riskFreeRate: 0.02, compounding: false).values,
                                 g.vector("capmEqualWeightArithmetic")) < tolerance)
        let mp = g.vector("marketPrices")
        let market = (1..<mp.count).map { mp[$0] / mp[$0 - 1] - 1 }
        #expect(maxRelativeError(try ExpectedReturns.capm(r, market: market, riskFreeRate: 0.01).values,
                                 g.vector("capmMarket")) < tolerance)
        #expect(ExpectedReturns.meanHistorical(r)[g.assets[3]] == ExpectedReturns.meanHistorical(r).values[3])
    }

    @Test(arguments: sets) func blackLitterman(set: String) throws {
        let g = try Golden.load(set)
        let r = try g.returns()
        let sigma = try SampleCovariance().estimate(r).matrix
        let delta = try BlackLitterman.marketImpliedRiskAversion(marketPrices: g.vector("marketPrices"), riskFreeRate: 0.02)
        #expect(relativeError(delta, g.number("impliedRiskAversion")) < tolerance)
        let prior = try BlackLitterman.marketImpliedPriorReturns(marketCaps: g.vector("marketCaps"), riskAversion: delta,
                                                             covariance: sigma, riskFreeRate: 0.02)
        #expect(maxRelativeError(prior, g.vector("impliedPrior")) < tolerance)
        let a = g.assets
        // Absolute views, He-Litterman Ω.
        let abs = g.object("blAbsolute")
        let model = try BlackLitterman(assets: a, covariance: sigma, prior: prior,
                                       views: [.absolute(a[0], 0.10), .absolute(a[3], -0.05), .absolute(a[7], 0.20)],
                                       tau: 0.05, riskAversion: delta)
        #expect(maxRelativeError(model.omega.diagonal, abs.vector("omega")) < tolerance)
        #expect(maxRelativeError(model.posteriorReturns, abs.vector("returns")) < tolerance)
        #expect(maxRelativeError(model.posteriorCovariance, abs.symmetric("covariance")) < tolerance)
        // With N > T the sample Σ is singular, so (δΣ)⁻¹μ is numerical noise on both sides.
        let invertible = r.observations > r.assetCount
        if invertible { #expect(maxRelativeError(try model.impliedWeights().values, abs.vector("weights")) < 1e-9) }
        // Relative views with Idzorek confidences, from P and Q.
        let idz = g.object("blIdzorek")
        let p = idz.rows("P")
        let model2 = try BlackLitterman(assets: a, covariance: sigma, prior: prior, pickMatrix: p, viewReturns: idz.vector("Q"),
                                        tau: 0.025, riskAversion: delta,
                                        uncertainty: .idzorek(confidences: idz.vector("confidences")))
        #expect(maxRelativeError(model2.omega.diagonal, idz.vector("omega")) < tolerance)
        #expect(maxRelativeError(model2.posteriorReturns, idz.vector("returns")) < tolerance)
        #expect(maxRelativeError(model2.posteriorCovariance, idz.symmetric("covariance")) < tolerance)
        if invertible { #expect(maxRelativeError(try model2.impliedWeights().values, idz.vector("weights")) < 1e-9) }
        // The same relative views written by name give the same posterior.
        let named = try BlackLitterman(
            assets: a, covariance: sigma, prior: prior,
            views: [.relative(a[1], over: a[2], by: 0.03, confidence: 0.6),
                    BlackLittermanView(weights: [a[4]: 0.5, a[5]: 0.5, a[6]: -1], expectedReturn: 0.01, confidence: 0.3),
                    .absolute(a[9], 0.08, confidence: 0.9)],
            tau: 0.025, riskAversion: delta, uncertainty: .idzorek(confidences: []))
        #expect(maxRelativeError(named.posteriorReturns, idz.vector("returns")) < tolerance)
    }

    @Test(arguments: sets) func riskMetrics(set: String) throws {
        let g = try Golden.load(set)
        let r = try g.returns()
        let w = g.vector("weights")
        let s = try SampleCovariance(annualization: .perPeriod).estimate(r)
        #expect(relativeError(s.volatility(of: w), g.number("volatility")) < tolerance)
        let rc = PortfolioRisk.riskContributions(weights: w, covariance: s.matrix)
        #expect(maxRelativeError(rc.marginal, g.vector("marginalRisk")) < tolerance)
        #expect(maxRelativeError(rc.absolute, g.vector("absoluteRisk")) < tolerance)
        #expect(maxRelativeError(rc.percent, g.vector("percentRisk")) < tolerance)
        #expect(abs(rc.percent.reduce(0, +) - 1) < 1e-12)
        let pr = r.portfolioReturns(weights: w)
        #expect(maxRelativeError(pr, g.vector("portfolioReturns")) < 1e-13)
        for (c, key) in [(0.95, "95"), (0.99, "99")] {
            #expect(relativeError(try PortfolioRisk.historicalValueAtRisk(returns: pr, confidence: c), g.number("historicalVaR" + key)) < tolerance)
            #expect(relativeError(try PortfolioRisk.historicalConditionalValueAtRisk(returns: pr, confidence: c),
                                  g.number("historicalCVaR" + key)) < tolerance)
        }
        #expect(relativeError(try PortfolioRisk.gaussianValueAtRisk(returns: pr), g.number("gaussianVaR95")) < tolerance)
        #expect(relativeError(try PortfolioRisk.gaussianConditionalValueAtRisk(returns: pr), g.number("gaussianCVaR95")) < tolerance)
        #expect(relativeError(PortfolioRisk.maximumDrawdown(returns: pr), g.number("maxDrawdown")) < tolerance)
        #expect(relativeError(try PortfolioRisk.sharpeRatio(returns: pr, riskFreeRate: 0.02), g.number("sharpe")) < tolerance)
        #expect(relativeError(try PortfolioRisk.sortinoRatio(returns: pr, riskFreeRate: 0.02), g.number("sortino")) < tolerance)
        let b = g.vector("benchmarkWeights")
        let annual = try SampleCovariance().estimate(r)
        #expect(relativeError(PortfolioRisk.trackingError(weights: w, benchmark: b, covariance: annual.matrix),
                              g.number("trackingErrorExAnte")) < tolerance)
        #expect(relativeError(PortfolioRisk.trackingError(weights: w, benchmark: b, returns: r),
                              g.number("trackingErrorExPost")) < tolerance)
    }
}
