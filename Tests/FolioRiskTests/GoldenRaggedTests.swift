import Foundation
import Testing
import FolioLinearAlgebra
@testable import FolioRisk

/// A ragged fixture written by `Scripts/golden/ragged.py` (null marks a missing value).
private struct RaggedGolden: @unchecked Sendable {
    let golden: Golden

    static func load(_ name: String) throws -> RaggedGolden {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ragged_\(name).json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return RaggedGolden(golden: Golden(json: object as! [String: Any], name: name))
    }

    /// Rows with nulls as NaN.
    func rows(_ key: String) -> Matrix {
        Matrix(rows: (golden.json[key] as! [[Any]]).map { $0.map { ($0 as? NSNumber)?.doubleValue ?? .nan } })
    }

    func history() throws -> PriceHistory {
        try PriceHistory(dates: golden.dates, assets: golden.assets, prices: rows("prices"))
    }

    func ragged(_ kind: ReturnKind = .simple) throws -> RaggedReturns {
        try history().raggedReturns(kind, periodsPerYear: golden.number("frequency"))
    }

    func dates(_ key: String) -> [MarketDate] { golden.strings(key).map { MarketDate(iso: $0)! } }
}

/// Ragged histories (seven assets listing years apart, weekly 2004-2016) against pandas,
/// PyPortfolioOpt and skfolio on the same file.
@Suite struct GoldenRaggedTests {
    let tolerance = 1e-10

    @Test func returnsAndCoverageMatchPandas() throws {
        let g = try RaggedGolden.load("universe")
        let r = try g.ragged()
        let expected = g.rows("returns")
        #expect(r.dates == g.dates("returnDates"))
        #expect(r.values.rows == expected.rows && r.values.columns == expected.columns)
        // Missing exactly where pandas has NaN, equal elsewhere.
        #expect(zip(r.values.elements, expected.elements).allSatisfy { $0.isNaN == $1.isNaN })
        let present = zip(r.values.elements, expected.elements).filter { !$0.1.isNaN }
        #expect(maxRelativeError(present.map(\.0), present.map(\.1)) < 1e-13)
        #expect(!r.isComplete)
        #expect(r.coverage.map(\.observations) == g.golden.vector("observations").map { Int($0) })
        #expect(r.coverage.map(\.firstPrice) == g.dates("firstPrice"))
        #expect(r.coverage.map(\.lastPrice) == g.dates("lastPrice"))
        #expect(r.coverage.map(\.firstReturn) == g.dates("firstReturn"))
        #expect(r.coverage.map(\.lastReturn) == g.dates("lastReturn"))
        // FFF: a ten-week halt (eleven returns lost) and one missing price (two returns lost).
        let fff = r.coverage[5]
        #expect(fff.lostReturns == 13)
        #expect(r.coverage.filter { $0.asset != "FFF" }.allSatisfy { $0.lostReturns == 0 })
        let shared = g.golden.symmetric("sharedObservations")
        for i in 0..<r.assetCount { for j in 0..<r.assetCount { #expect(Double(r.sharedObservations(i, j)) == shared[i, j]) } }
    }

    @Test func pairwiseCovarianceMatchesPandas() throws {
        let g = try RaggedGolden.load("universe")
        let r = try g.ragged()
        let unbiased = try SampleCovariance(annualization: .perPeriod).estimate(r)
        #expect(maxRelativeError(unbiased.matrix, g.golden.symmetric("pandasCov")) < tolerance)
        #expect(unbiased.repair == nil)   // positive definite as estimated
        // Divisor n: the unbiased pair times (n − 1)/n (pandas ignores ddof when NaN are present).
        let ml = try SampleCovariance(normalization: .maximumLikelihood, annualization: .perPeriod).estimate(r)
        let shared = g.golden.symmetric("sharedObservations")
        for i in 0..<r.assetCount {
            for j in 0..<r.assetCount {
                #expect(relativeError(ml.matrix[i, j], unbiased.matrix[i, j] * (shared[i, j] - 1) / shared[i, j]) < 1e-12)
            }
        }
        let annual = try SampleCovariance().estimate(r)
        #expect(maxRelativeError(annual.matrix, g.golden.symmetric("pypfoptSampleCov")) < tolerance)
        #expect(annual.units == .annualized(periodsPerYear: 52) && annual.observations == 678)
        // Each pair's covariance recomputed from the shared rows, two-pass, independently.
        let t = r.observations
        for (i, j) in [(3, 6), (2, 5), (0, 4)] {
            let rows = (0..<t).filter { !r.values[$0, i].isNaN && !r.values[$0, j].isNaN }
            let mi = rows.reduce(0) { $0 + r.values[$1, i] } / Double(rows.count)
            let mj = rows.reduce(0) { $0 + r.values[$1, j] } / Double(rows.count)
            let c = rows.reduce(0) { $0 + (r.values[$1, i] - mi) * (r.values[$1, j] - mj) } / Double(rows.count - 1)
            #expect(relativeError(unbiased.matrix[i, j], c) < 1e-12)
        }
    }

    @Test func perAssetMeansMatchPyPortfolioOpt() throws {
        let g = try RaggedGolden.load("universe")
        let r = try g.ragged()
        #expect(maxRelativeError(ExpectedReturns.meanHistorical(r).values, g.golden.vector("meanCompounded")) < tolerance)
        #expect(maxRelativeError(ExpectedReturns.meanHistorical(r, compounding: false).values, g.golden.vector("meanArithmetic")) < tolerance)
        let log = try g.ragged(.log)
        #expect(maxRelativeError(ExpectedReturns.meanHistorical(log, compounding: false).values, g.golden.vector("meanLog")) < tolerance)
        #expect(maxRelativeError(try ExpectedReturns.exponentiallyWeighted(r, decay: .span(100)).values,
                                 g.golden.vector("emaCompounded100")) < tolerance)
        #expect(maxRelativeError(try ExpectedReturns.exponentiallyWeighted(r, decay: .span(100), compounding: false).values,
                                 g.golden.vector("emaArithmetic100")) < tolerance)
        #expect(maxRelativeError(try ExpectedReturns.capm(r).values, g.golden.vector("capm")) < tolerance)
        #expect(maxRelativeError(try ExpectedReturns.capm(r, riskFreeRate: 0.02, compounding: false).values,
                                 g.golden.vector("capmArithmetic")) < tolerance)
    }

    @Test func estimatorsFollowThePeersConventions() throws {
        let g = try RaggedGolden.load("universe")
        let r = try g.ragged()
        #expect(maxRelativeError(try ExponentiallyWeightedCovariance(decay: .span(60)).estimate(r).matrix,
                                 g.golden.symmetric("expCov60")) < tolerance)
        #expect(maxRelativeError(try Semicovariance(benchmark: 0.0005).estimate(r).matrix,
                                 g.golden.symmetric("semicovariance")) < tolerance)
        let fixed = try FixedShrinkage(intensity: 0.2, normalization: .unbiased).estimate(r)
        #expect(maxRelativeError(fixed.matrix, g.golden.symmetric("shrunk02")) < tolerance)
        #expect(fixed.shrinkage == 0.2)
        for (key, estimator) in [("ledoitWolf", LedoitWolfShrinkage()), ("singleFactor", LedoitWolfShrinkage(target: .singleIndex)),
                                 ("constantCorrelation", LedoitWolfShrinkage(target: .constantCorrelation))] {
            let expected = g.golden.object(key)
            let estimate = try estimator.estimate(r)
            #expect(maxRelativeError(estimate.matrix, expected.symmetric("matrix")) < tolerance, "\(key)")
            #expect(relativeError(estimate.shrinkage!, expected.number("shrinkage")) < tolerance, "\(key)")
        }
        let oas = try OracleApproximatingShrinkage().estimate(r)
        #expect(maxRelativeError(oas.matrix, g.golden.object("oas").symmetric("matrix")) < tolerance)
        #expect(relativeError(oas.shrinkage!, g.golden.object("oas").number("shrinkage")) < tolerance)
    }

    @Test func indefinitePairwiseCovarianceIsRepairedWithANote() throws {
        let g = try RaggedGolden.load("indefinite")
        let r = try g.ragged()
        let estimate = try SampleCovariance().estimate(r)
        let note = try #require(estimate.repair)
        let raw = g.golden.symmetric("pairwiseAnnual")
        #expect(relativeError(note.smallestEigenvalueBefore, g.golden.number("smallestEigenvalue")) < 1e-9)
        #expect(note.smallestEigenvalueBefore < 0)
        // The repaired matrix is skfolio's cov_nearest, keeps every variance, and is positive definite.
        #expect(maxRelativeError(estimate.matrix, g.golden.symmetric("nearestClipping")) < 1e-8)
        #expect(estimate.matrix.diagonal == raw.diagonal || maxRelativeError(estimate.matrix.diagonal, raw.diagonal) < 1e-12)
        _ = try Cholesky(estimate.matrix)
        // The note's figures, recomputed from the two matrices.
        let difference = estimate.matrix - raw
        #expect(relativeError(note.frobeniusDistance, difference.frobeniusNorm) < 1e-6)
        #expect(relativeError(note.relativeDistance, difference.frobeniusNorm / raw.frobeniusNorm) < 1e-6)
        #expect(relativeError(note.largestChange, difference.elements.map(abs).max()!) < 1e-6)
        #expect(note.description.contains("repaired"))
    }

    @Test func completeDataGivesTheCompleteEstimates() throws {
        // A complete history through the ragged path: exactly the ReturnSeries estimates.
        let g = try Golden.load("n20_t500")
        let ragged = try g.priceHistory().raggedReturns()
        let series = try g.returns()
        #expect(ragged.isComplete)
        let estimators: [any RaggedCovarianceEstimator] = [SampleCovariance(), LedoitWolfShrinkage(), OracleApproximatingShrinkage(),
                                                           ExponentiallyWeightedCovariance(), Semicovariance(), FixedShrinkage()]
        for e in estimators {
            #expect(try e.estimate(ragged).matrix.elements == (e as any CovarianceEstimator).estimate(series).matrix.elements)
        }
        #expect(ExpectedReturns.meanHistorical(ragged).values == ExpectedReturns.meanHistorical(series).values)
    }

    @Test func raggedInputErrorsNameTheAssets() throws {
        let d = (1...6).map { MarketDate(year: 2024, month: 1, day: $0)! }
        let nan = Double.nan
        // LATE has one price pair (one return): too short.
        let short = try PriceHistory(dates: d, assets: ["OLD", "LATE"],
                                     prices: Matrix(rows: [[1, nan], [2, nan], [3, nan], [4, nan], [5, 1], [6, 2]]))
        #expect(throws: RiskModelError.insufficientHistory(asset: "LATE", observations: 1, required: 2)) { try short.raggedReturns() }
        // EARLY and LATE never trade together.
        let apart = try PriceHistory(dates: d, assets: ["EARLY", "LATE", "BOTH"],
                                     prices: Matrix(rows: [[1, nan, 1], [2, nan, 2], [3, nan, 3], [nan, 1, 4], [nan, 2, 5], [nan, 3, 7]]))
        let r = try apart.raggedReturns()
        #expect(throws: RiskModelError.insufficientOverlap(first: "EARLY", second: "LATE", shared: 0, required: 2)) {
            try SampleCovariance().estimate(r)
        }
        #expect(throws: RiskModelError.tooFewObservations(found: 0, required: 2)) { try r.completeRows() }
        #expect(RiskModelError.insufficientOverlap(first: "EARLY", second: "LATE", shared: 0, required: 2).description
                    .contains("'EARLY' and 'LATE' share 0 return dates"))
    }

    @Test func singularCovarianceIsATypedError() throws {
        // 30 observations of 40 assets: the sample covariance has rank 29.
        var generator = SeededGenerator(seed: 17)
        let values = Matrix(rows: 30, columns: 40, columnMajor: (0..<1200).map { _ in Double.random(in: -0.02...0.02, using: &generator) })
        let series = try ReturnSeries(values: values, assets: (0..<40).map { "A\($0)" })
        let sample = try SampleCovariance().estimate(series)
        let error = #expect(throws: RiskModelError.self) { try sample.checkInvertible(reason: "too few observations") }
        guard case let .singularCovariance(smallest, largest, reason)? = error else {
            Issue.record("expected singularCovariance, got \(String(describing: error))"); return
        }
        #expect(smallest <= 1e-12 * largest && reason == "too few observations")
        try LedoitWolfShrinkage().estimate(series).checkInvertible(reason: "")
    }
}
