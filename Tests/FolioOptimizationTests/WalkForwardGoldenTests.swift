import Foundation
import Testing
import FolioLinearAlgebra
import FolioRisk
@testable import FolioOptimization

/// The fixture written by Scripts/golden/walk_forward.py from skfolio 1.12.2.
struct WalkForwardFixture: Decodable {
    struct Window: Decodable { var trainStart, trainEnd, testStart, testEnd: Int }
    struct Objective: Decodable {
        var weights: [[Double]]
        var returns: [Double]
        var polishedWeights: [[Double]]
        var polishedReturns: [Double]
        var annualizedMean, annualizedVolatility, annualizedSharpe, maximumDrawdown: Double
    }
    struct Case: Decodable {
        var name: String
        var assets: [String]
        var prices: [[Double]]
        var train, test, purge: Int
        var expanding: Bool
        var windows: [Window]
        var objectives: [String: Objective]
    }
    struct Split: Decodable { var train: [Int]; var testFolds: [Int] }
    struct Path: Decodable {
        var returns: [Double]
        var weights: [[Double]]
        var polishedWeights: [[Double]]
        var polishedReturns: [Double]
    }
    struct CPCV: Decodable {
        var assets: [String]
        var prices: [[Double]]
        var folds, testFolds, purge, embargo: Int
        var foldBounds: [[Int]]
        var splits: [Split]
        var recombinedPaths: [[Int]]
        var paths: [Path]
    }
    var walkForward: [Case]
    var cpcv: CPCV

    static let shared: WalkForwardFixture = try! allocationFixture("walk_forward_golden.json", as: WalkForwardFixture.self)
}

/// Simple returns of a fixture's prices, as skfolio's `prices_to_returns` computes them.
func fixtureReturns(_ prices: [[Double]], _ assets: [String]) throws -> ReturnSeries {
    let dates = prices.indices.map { MarketDate(year: 2000 + $0 / 336, month: $0 / 28 % 12 + 1, day: $0 % 28 + 1)! }
    return try PriceHistory(dates: dates, assets: assets, prices: Matrix(rows: prices)).returns()
}

@Suite("Walk-forward against skfolio cross_val_predict")
struct WalkForwardGoldenTests {
    static let objectives: [(key: String, objective: BacktestObjective)] = [
        ("minimumVariance", .minimumVariance), ("maximumSharpe", .maximumSharpe),
    ]

    @Test("windows, weights (1e-6), out-of-sample returns (1e-8) and metrics equal skfolio's",
          arguments: WalkForwardFixture.shared.walkForward.indices)
    func walkForwardAgreesWithSkfolio(_ index: Int) throws {
        let golden = WalkForwardFixture.shared.walkForward[index]
        let backtest = try OutOfSampleBacktest(returns: fixtureReturns(golden.prices, golden.assets))
        let scheme = WalkForward(train: golden.train, test: golden.test, expanding: golden.expanding, purge: golden.purge)
        let windows = try scheme.windows(observations: backtest.returns.observations)
        #expect(windows.map { [$0.train[0].lowerBound, $0.train[0].upperBound, $0.test.lowerBound, $0.test.upperBound] }
                == golden.windows.map { [$0.trainStart, $0.trainEnd, $0.testStart, $0.testEnd] }, "\(golden.name)")
        for (key, objective) in Self.objectives {
            let reference = try #require(golden.objectives[key])
            let result = try backtest.walkForward(PortfolioConfiguration(name: key, objective: objective), scheme: scheme)
            #expect(result.rebalances.count == reference.weights.count)
            let weights = result.rebalances.map(\.weights)
            let weightGap = largestGap(weights, reference.weights), exactGap = largestGap(weights, reference.polishedWeights)
            #expect(weightGap <= 1e-6, "\(golden.name) \(key): weights differ from skfolio's by \(weightGap)")
            #expect(exactGap <= 1e-9, "\(golden.name) \(key): weights differ from skfolio's polished optimum by \(exactGap)")
            #expect(result.returns.count == reference.returns.count)
            let returnGap = largestGap([result.returns], [reference.returns])
            let exactReturnGap = largestGap([result.returns], [reference.polishedReturns])
            #expect(returnGap <= 1e-7, "\(golden.name) \(key): returns differ from skfolio's by \(returnGap)")
            #expect(exactReturnGap <= 1e-8, "\(golden.name) \(key): returns differ from the polished optimum's by \(exactReturnGap)")
            // The metrics are skfolio's formulas: on skfolio's own return series they agree to rounding.
            let m = PerformanceMetrics(returns: reference.returns, periodsPerYear: 252, riskFreeRate: 0, rebalances: [])
            #expect(abs(m.annualizedMean - reference.annualizedMean) <= 1e-12, "\(golden.name) \(key)")
            #expect(abs(m.annualizedVolatility - reference.annualizedVolatility) <= 1e-12, "\(golden.name) \(key)")
            #expect(abs(m.sharpeRatio - reference.annualizedSharpe) <= 1e-10, "\(golden.name) \(key)")
            #expect(abs(m.maximumDrawdown - reference.maximumDrawdown) <= 1e-12, "\(golden.name) \(key)")
            #expect(abs(result.metrics.sharpeRatio - reference.annualizedSharpe) <= 1e-4, "\(golden.name) \(key)")
        }
    }

    @Test("combinatorial purged CV: splits, recombined paths and per-path returns equal skfolio's")
    func combinatorialAgreesWithSkfolio() throws {
        let golden = WalkForwardFixture.shared.cpcv
        let backtest = try OutOfSampleBacktest(returns: fixtureReturns(golden.prices, golden.assets))
        let cv = CombinatorialPurgedCV(folds: golden.folds, testFolds: golden.testFolds, purge: golden.purge, embargo: golden.embargo)
        let t = backtest.returns.observations
        #expect(cv.foldRanges(observations: t).map { [$0.lowerBound, $0.upperBound] } == golden.foldBounds)
        #expect(cv.recombinedPaths() == golden.recombinedPaths)
        let result = try backtest.combinatorial(PortfolioConfiguration(name: "min variance", objective: .minimumVariance), cv: cv)
        #expect(result.splits.count == golden.splits.count)
        for (split, expected) in zip(result.splits, golden.splits) {
            #expect(split.train.flatMap { Array($0) } == expected.train)
            #expect(split.testFolds == expected.testFolds)
        }
        #expect(result.paths.count == golden.paths.count)
        for (path, expected) in zip(result.paths, golden.paths) {
            #expect(path.observations == Array(0..<t), "each path covers every observation once, in order")
            #expect(path.returns.count == expected.returns.count)
            let weights = path.rebalances.map(\.weights)
            #expect(largestGap(weights, expected.weights) <= 1e-6)
            #expect(largestGap(weights, expected.polishedWeights) <= 1e-9)
            #expect(largestGap([path.returns], [expected.returns]) <= 1e-7)
            #expect(largestGap([path.returns], [expected.polishedReturns]) <= 1e-8)
        }
    }
}

/// The largest absolute difference between matching entries; infinity when the shapes differ.
func largestGap(_ a: [[Double]], _ b: [[Double]]) -> Double {
    guard a.count == b.count, zip(a, b).allSatisfy({ $0.count == $1.count }) else { return .infinity }
    return zip(a, b).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? 0
}
