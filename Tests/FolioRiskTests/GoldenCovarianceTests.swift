import Testing
import FolioLinearAlgebra
@testable import FolioRisk

/// Covariance estimators against scikit-learn, PyPortfolioOpt and skfolio on the committed
/// fixtures (N=20, T=500 and N=100, T=60).
@Suite struct GoldenCovarianceTests {
    static let sets = ["n20_t500", "n100_t60"]
    let tolerance = 1e-10

    @Test(arguments: sets) func returnsMatchPandas(set: String) throws {
        let g = try Golden.load(set)
        let r = try g.returns()
        // Same division as pandas; the residual is the last bit lost by JSONSerialization's parser.
        #expect(maxRelativeError(r.values, g.rows("returns")) < 1e-13)
        #expect(r.dates == Array(g.dates.dropFirst()))
        if g.has("logReturns") {
            let log = try g.priceHistory().returns(.log)
            #expect(maxRelativeError(log.values, g.rows("logReturns")) < 1e-13)
        }
    }

    @Test(arguments: sets) func sampleCovariance(set: String) throws {
        let g = try Golden.load(set)
        let r = try g.returns()
        let unbiased = try SampleCovariance(annualization: .perPeriod).estimate(r)
        #expect(maxRelativeError(unbiased.matrix, g.symmetric("sampleUnbiased")) < tolerance)
        #expect(unbiased.units == .perPeriod && unbiased.shrinkage == nil && unbiased.assets == g.assets)
        let annual = try SampleCovariance().estimate(r)
        #expect(maxRelativeError(annual.matrix, g.symmetric("pypfoptSampleCov")) < tolerance)
        #expect(annual.units == .annualized(periodsPerYear: 252))
        if g.has("empiricalCovariance") {
            let ml = try SampleCovariance(normalization: .maximumLikelihood, annualization: .perPeriod).estimate(r)
            #expect(maxRelativeError(ml.matrix, g.symmetric("empiricalCovariance")) < tolerance)
        }
        // More assets than observations: the sample estimator says singular.
        #expect(annual.isSingular == (r.observations - 1 < r.assetCount))
        if annual.isSingular {
            #expect(throws: (any Error).self) { try Cholesky(annual.matrix) }
            #expect(try annual.conditionNumber() > 1e12)
        }
    }

    @Test(arguments: sets) func ledoitWolfScaledIdentity(set: String) throws {
        let g = try Golden.load(set)
        let r = try g.returns()
        let expected = g.object("ledoitWolf")
        let lw = try LedoitWolfShrinkage(annualization: .perPeriod).estimate(r)
        #expect(maxRelativeError(lw.matrix, expected.symmetric("matrix")) < tolerance)
        #expect(relativeError(lw.shrinkage!, expected.number("shrinkage")) < tolerance)
        let annual = try LedoitWolfShrinkage().estimate(r)
        #expect(maxRelativeError(annual.matrix, g.symmetric("pypfoptLedoitWolf")) < tolerance)
        _ = try Cholesky(annual.matrix)   // positive definite even when N > T
    }

    @Test(arguments: sets) func oracleApproximatingShrinkage(set: String) throws {
        let g = try Golden.load(set)
        let expected = g.object("oas")
        let oas = try OracleApproximatingShrinkage(annualization: .perPeriod).estimate(try g.returns())
        #expect(maxRelativeError(oas.matrix, expected.symmetric("matrix")) < tolerance)
        #expect(relativeError(oas.shrinkage!, expected.number("shrinkage")) < tolerance)
        _ = try Cholesky(oas.matrix)
    }

    @Test(arguments: sets) func fixedShrinkage(set: String) throws {
        let g = try Golden.load(set)
        let r = try g.returns()
        let sk = try FixedShrinkage(intensity: 0.1, annualization: .perPeriod).estimate(r)
        #expect(maxRelativeError(sk.matrix, g.symmetric("shrunk01")) < tolerance)
        #expect(sk.shrinkage == 0.1)
        _ = try Cholesky(sk.matrix)
        if g.has("pypfoptShrunk02") {
            let pp = try FixedShrinkage(intensity: 0.2, normalization: .unbiased).estimate(r)
            #expect(maxRelativeError(pp.matrix, g.symmetric("pypfoptShrunk02")) < tolerance)
        }
    }

    @Test(arguments: sets) func constantCorrelationAndSingleIndex(set: String) throws {
        let g = try Golden.load(set)
        let r = try g.returns()
        for (target, key) in [(ShrinkageTarget.constantCorrelation, "constantCorrelation"), (.singleIndex, "singleIndex")] {
            let expected = g.object(key)
            let e = try LedoitWolfShrinkage(target: target).estimate(r)
            #expect(maxRelativeError(e.matrix, expected.symmetric("matrix")) < tolerance, "\(key)")
            #expect(relativeError(e.shrinkage!, expected.number("shrinkage")) < tolerance, "\(key)")
            _ = try Cholesky(e.matrix)
        }
    }

    @Test(arguments: sets) func semicovarianceAndExponential(set: String) throws {
        let g = try Golden.load(set)
        let r = try g.returns()
        let semi = try Semicovariance().estimate(r)
        #expect(maxRelativeError(semi.matrix, g.symmetric("semicovariance")) < tolerance)
        if g.has("semicovarianceZero") {
            let monthly = try g.returns(periodsPerYear: 12)
            let zero = try Semicovariance(benchmark: 0).estimate(monthly)
            #expect(maxRelativeError(zero.matrix, g.symmetric("semicovarianceZero")) < tolerance)
        }
        let ew = try ExponentiallyWeightedCovariance().estimate(r)
        #expect(maxRelativeError(ew.matrix, g.symmetric("expCov180")) < tolerance)
        if g.has("expCov60") {
            let ew60 = try ExponentiallyWeightedCovariance(decay: .span(60)).estimate(r)
            #expect(maxRelativeError(ew60.matrix, g.symmetric("expCov60")) < tolerance)
        }
    }

    @Test(arguments: sets) func correlationConversion(set: String) throws {
        let g = try Golden.load(set)
        let s = g.symmetric("sampleUnbiased")
        let (c, sd) = CovarianceConversion.correlation(fromCovariance: s)
        #expect(maxRelativeError(c, g.symmetric("correlation")) < tolerance)
        #expect(maxRelativeError(CovarianceConversion.covariance(fromCorrelation: c, standardDeviations: sd), s) < 1e-14)
    }

    @Test(arguments: sets) func denoisingAndDetoning(set: String) throws {
        let g = try Golden.load(set)
        let r = try g.returns()
        let (denoised, fit) = try MarcenkoPasturDenoising(base: SampleCovariance(annualization: .perPeriod)).denoise(r)
        #expect(fit.factors == Int(g.number("denoisedFactors")))
        #expect(abs(fit.variance - g.number("denoisedVariance")) < 1e-8)
        #expect(maxRelativeError(denoised.matrix, g.symmetric("denoised")) < tolerance)
        // The objective itself agrees with skfolio's (KDE vs Marcenko-Pastur) at three probes.
        let (corr, _) = CovarianceConversion.correlation(fromCovariance: g.symmetric("sampleUnbiased"))
        let eigenvalues = try SymmetricEigendecomposition(corr).eigenvalues
        let q = Double(r.observations) / Double(r.assetCount)
        for (v, expected) in zip([0.25, 0.5, 0.75], g.vector("marchenkoObjective")) {
            #expect(relativeError(MarcenkoPastur.fitError(variance: v, eigenvalues: eigenvalues, q: q), expected) < 1e-8)
        }
        let detoned = try Detoning(base: SampleCovariance(annualization: .perPeriod)).estimate(r)
        #expect(maxRelativeError(detoned.matrix, g.symmetric("detoned")) < tolerance)
        #expect(detoned.isSingular)
    }

    @Test(arguments: sets) func nearestPositiveDefinite(set: String) throws {
        let g = try Golden.load(set)
        let bad = g.symmetric("notPD")
        guard case .indefinite(let smallest) = try CovarianceDiagnostics.definiteness(bad) else {
            Issue.record("fixture matrix should be indefinite"); return
        }
        #expect(relativeError(smallest, g.number("notPDMinEigenvalue")) < 1e-8)
        let clipped = try NearestPositiveDefinite.repair(bad)
        #expect(maxRelativeError(clipped, g.symmetric("nearestClipping")) < tolerance)
        #expect(try CovarianceDiagnostics.definiteness(clipped) == .positiveDefinite)
        #expect(clipped.diagonal == bad.diagonal)
        let higham = try NearestPositiveDefinite.repair(bad, method: .higham(maxIterations: 1000))
        #expect(maxRelativeError(higham, g.symmetric("nearestHigham")) < 1e-8)
        #expect(try CovarianceDiagnostics.definiteness(higham) == .positiveDefinite)
        // A positive-definite matrix comes back unchanged.
        let good = g.symmetric("shrunk01")
        #expect(try NearestPositiveDefinite.repair(good) == good)
    }
}
