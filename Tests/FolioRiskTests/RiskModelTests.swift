import Testing
import FolioLinearAlgebra
@testable import FolioRisk

/// Properties and conventions, without reference values.
@Suite struct RiskModelTests {
    @Test func marketDateParsesAndOrders() {
        #expect(MarketDate(iso: "2024-02-29")?.description == "2024-02-29")
        #expect(MarketDate(iso: "2023-02-29") == nil)
        #expect(MarketDate(iso: "2024-13-01") == nil)
        #expect(MarketDate(iso: "24-01-01") == nil)
        #expect(MarketDate(iso: "2024-01-31")! < MarketDate(iso: "2024-02-01")!)
    }

    @Test func decayParametrizationsAgree() throws {
        let r = try ReturnSeries(values: randomReturns(t: 200, n: 4, seed: 3), assets: ["A", "B", "C", "D"])
        // span s ⇔ λ = (s − 1)/(s + 1); half-life h ⇔ λ = 2^(−1/h)
        let a = try ExponentiallyWeightedCovariance(decay: .span(39)).estimate(r).matrix
        let b = try ExponentiallyWeightedCovariance(decay: .lambda(0.95)).estimate(r).matrix
        #expect(maxRelativeError(a, b) < 1e-12)
        let h = try ExponentiallyWeightedCovariance(decay: .halfLife(10)).estimate(r).matrix
        let l = try ExponentiallyWeightedCovariance(decay: .lambda(_pow(2, -0.1))).estimate(r).matrix
        #expect(maxRelativeError(h, l) < 1e-12)
        // A huge span is the maximum-likelihood sample covariance.
        let flat = try ExponentiallyWeightedCovariance(decay: .span(1e12)).estimate(r).matrix
        let ml = try SampleCovariance(normalization: .maximumLikelihood).estimate(r).matrix
        #expect(maxRelativeError(flat, ml) < 1e-8)
    }

    @Test func unitsConvert() throws {
        let r = try ReturnSeries(values: randomReturns(t: 50, n: 3, seed: 5), assets: ["A", "B", "C"], periodsPerYear: 52)
        let annual = try SampleCovariance().estimate(r)
        let weekly = try SampleCovariance(annualization: .perPeriod).estimate(r)
        #expect(annual.units == .annualized(periodsPerYear: 52))
        #expect(maxRelativeError(annual.perPeriod.matrix, weekly.matrix) < 1e-15)
        #expect(maxRelativeError(weekly.annualized(periodsPerYear: 52).matrix, annual.matrix) < 1e-15)
        #expect(annual.matrix.asymmetry == 0)
    }

    @Test func shrinkageStaysPositiveDefiniteWithMoreAssetsThanDays() throws {
        let n = 80, t = 25
        let r = try ReturnSeries(values: randomReturns(t: t, n: n, seed: 9), assets: (0..<n).map { "S\($0)" })
        let sample = try SampleCovariance().estimate(r)
        #expect(sample.isSingular)
        #expect(try sample.conditionNumber() > 1e10)
        let estimators: [any CovarianceEstimator] = [
            LedoitWolfShrinkage(), LedoitWolfShrinkage(target: .constantCorrelation),
            LedoitWolfShrinkage(target: .singleIndex), OracleApproximatingShrinkage(), FixedShrinkage(),
        ]
        for e in estimators {
            let estimate = try e.estimate(r)
            #expect(!estimate.isSingular)
            #expect(try CovarianceDiagnostics.definiteness(estimate.matrix) == .positiveDefinite, "\(type(of: e))")
            #expect(estimate.shrinkage! > 0 && estimate.shrinkage! <= 1)
            #expect(try estimate.conditionNumber() < 1e8)
        }
    }

    @Test func largeMeansFallBackToExplicitCentering() throws {
        // Columns with a mean 10⁴ times their spread: XᵀX − TμμTᵀ would lose 8 digits, so the
        // estimator centers explicitly. Compare with the small-mean data shifted back.
        let base = randomReturns(t: 300, n: 5, seed: 21)
        let shifted = base.map { $0 + 100 }
        let names = (0..<5).map { "A\($0)" }
        let a = try SampleCovariance().estimate(try ReturnSeries(values: shifted, assets: names)).matrix
        let b = try SampleCovariance().estimate(try ReturnSeries(values: base, assets: names)).matrix
        #expect(maxRelativeError(a, b) < 1e-9)
        let la = try LedoitWolfShrinkage().estimate(try ReturnSeries(values: shifted, assets: names))
        let lb = try LedoitWolfShrinkage().estimate(try ReturnSeries(values: base, assets: names))
        #expect(maxRelativeError(la.matrix, lb.matrix) < 1e-9)
        #expect(relativeError(la.shrinkage!, lb.shrinkage!) < 1e-6)
    }

    @Test func definitenessClassifies() throws {
        #expect(try CovarianceDiagnostics.definiteness(.identity(3)) == .positiveDefinite)
        guard case .positiveSemidefinite = try CovarianceDiagnostics.definiteness(Matrix(rows: [[1, 1], [1, 1]])) else {
            Issue.record("rank-one matrix should be PSD"); return
        }
        guard case .indefinite(let v) = try CovarianceDiagnostics.definiteness(Matrix(rows: [[1, 2], [2, 1]])) else {
            Issue.record("should be indefinite"); return
        }
        #expect(abs(v + 1) < 1e-14)
        #expect(try CovarianceDiagnostics.conditionNumber(.diagonal([1, 4])) == 4)
        #expect(try CovarianceDiagnostics.conditionNumber(Matrix(rows: [[1, 1], [1, 1]])) == .infinity)
    }

    @Test func normalQuantileInvertsCDF() {
        for p in [1e-10, 0.001, 0.01, 0.025, 0.05, 0.3, 0.5, 0.9, 0.99, 1 - 1e-9] {
            let x = NormalDistribution.quantile(p)
            #expect(abs(NormalDistribution.cdf(x) - p) <= 1e-15 * max(1, p / 1e-3) + 4e-16 * p / 1e-10 * 1e-10 + 1e-16)
        }
        #expect(abs(NormalDistribution.quantile(0.05) + 1.6448536269514729) < 1e-14)
        #expect(abs(NormalDistribution.quantile(0.975) - 1.959963984540054) < 1e-14)
    }

    @Test func riskContributionsSumToVolatility() {
        let sigma = Matrix(rows: [[0.04, 0.006, 0.0], [0.006, 0.09, 0.01], [0.0, 0.01, 0.0225]])
        let w = [0.5, 0.2, 0.3]
        let rc = PortfolioRisk.riskContributions(weights: w, covariance: sigma)
        #expect(abs(rc.absolute.reduce(0, +) - rc.volatility) < 1e-15)
        #expect(abs(rc.volatility - PortfolioRisk.volatility(weights: w, covariance: sigma)) < 1e-15)
        let zero = PortfolioRisk.riskContributions(weights: [0, 0, 0], covariance: sigma)
        #expect(zero.percent == [0, 0, 0])
        #expect(PortfolioRisk.maximumDrawdown(returns: [0.1, -0.5, 0.2, 0.5]) == 0.5)
        #expect(PortfolioRisk.maximumDrawdown(returns: [0.01, 0.02]) == 0)
        #expect(PortfolioRisk.trackingError(weights: w, benchmark: w, covariance: sigma) == 0)
    }

    @Test func estimatorsAreReusableValues() throws {
        // The same configured value gives the same estimate on the same data, and the
        // protocol lets callers hold any estimator.
        let r = try ReturnSeries(values: randomReturns(t: 120, n: 6, seed: 11), assets: (0..<6).map { "A\($0)" })
        let estimators: [any CovarianceEstimator] = [
            SampleCovariance(), ExponentiallyWeightedCovariance(), Semicovariance(), LedoitWolfShrinkage(),
            OracleApproximatingShrinkage(), FixedShrinkage(), MarcenkoPasturDenoising(), Detoning(),
        ]
        for e in estimators {
            let a = try e.estimate(r), b = try e.estimate(r)
            #expect(a.matrix == b.matrix)
            #expect(a.assets == r.assets)
            #expect(a.matrix.asymmetry == 0)
            #expect(a.matrix.isFinite)
        }
    }
}
