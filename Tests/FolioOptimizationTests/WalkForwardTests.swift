import Foundation
import Testing
import FolioLinearAlgebra
import FolioRisk
@testable import FolioOptimization

/// Seeded daily returns of `n` assets over `t` days with a market factor.
func seededReturns(assets n: Int, days t: Int, seed: UInt64) throws -> ReturnSeries {
    var g = SeededGenerator(seed: seed)
    let market = (0..<t).map { _ in g.normal() * 0.01 }
    var values = [Double](repeating: 0, count: t * n)
    for j in 0..<n {
        let beta = Double.random(in: 0.5...1.5, using: &g), drift = Double.random(in: -0.0002...0.0008, using: &g)
        for i in 0..<t { values[i + j * t] = drift + beta * market[i] + g.normal() * 0.012 }
    }
    return try ReturnSeries(values: Matrix(rows: t, columns: n, columnMajor: values), assets: (0..<n).map { "A\($0)" })
}

@Suite("Walk-forward backtests")
struct WalkForwardTests {
    @Test("rolling and expanding windows tile the data after the first train window, as skfolio's doctest")
    func windowShapes() throws {
        // skfolio's docstring: 6 observations, test 2, train 3 (reduce_test, expand_train).
        let partial = try WalkForward(train: 3, test: 2, keepsPartialLastWindow: true).windows(observations: 6)
        #expect(partial == [BacktestWindow(train: [0..<3], test: 3..<5), BacktestWindow(train: [2..<5], test: 5..<6)])
        #expect(try WalkForward(train: 3, test: 2).windows(observations: 6).count == 1)
        let expanding = try WalkForward(train: 3, test: 2, expanding: true, keepsPartialLastWindow: true).windows(observations: 6)
        #expect(expanding.map(\.train) == [[0..<3], [0..<5]])
        let purged = try WalkForward(train: 2, test: 1, purge: 1).windows(observations: 6)
        #expect(purged.map(\.test) == [3..<4, 4..<5, 5..<6])
        #expect(purged.map(\.train) == [[0..<2], [1..<3], [2..<4]])
        for t in [567, 600, 2519] {
            let windows = try WalkForward(train: 504, test: 63).windows(observations: t)
            #expect(windows.count == (t - 504) / 63)
            for (a, b) in zip(windows, windows.dropFirst()) { #expect(a.test.upperBound == b.test.lowerBound) }
            #expect(windows.allSatisfy { $0.trainCount == 504 && $0.train[0].upperBound == $0.test.lowerBound })
        }
    }

    @Test("windows longer than the data, bad sizes and rates are typed errors naming the numbers")
    func errors() throws {
        #expect(throws: OutOfSampleError.windowLongerThanData(train: 504, purge: 0, test: 63, observations: 566)) {
            try WalkForward(train: 504, test: 63).windows(observations: 566)
        }
        let error = #expect(throws: OutOfSampleError.self) { try WalkForward(train: 504, test: 63, purge: 5).windows(observations: 300) }
        #expect(error?.description.contains("572 observations needed, the data has 300") == true)
        #expect(throws: OutOfSampleError.self) { try WalkForward(train: 0, test: 63).windows(observations: 1000) }
        #expect(throws: OutOfSampleError.self) { try WalkForward(train: 10, test: 0).windows(observations: 1000) }
        #expect(throws: OutOfSampleError.self) { try WalkForward(train: 10, test: 5, purge: -1).windows(observations: 1000) }
        let returns = try seededReturns(assets: 3, days: 100, seed: 1)
        #expect(throws: OutOfSampleError.self) { try OutOfSampleBacktest(returns: returns, costRate: -0.01) }
        #expect(throws: OutOfSampleError.self) { try OutOfSampleBacktest(returns: returns, costRate: .nan) }
        // NaN prices: the error names the asset and the date.
        let dates = (1...5).map { MarketDate(year: 2024, month: 1, day: $0)! }
        let prices = Matrix(rows: [[1, 2], [1.1, .nan], [1.2, 2.1], [1.1, 2.2], [1.3, 2.3]])
        let history = try PriceHistory(dates: dates, assets: ["AAA", "B/é=<b>"], prices: prices)
        let nan = #expect(throws: OutOfSampleError.self) { try OutOfSampleBacktest(prices: history) }
        #expect(nan?.description.contains("'B/é=<b>' on 2024-01-02") == true)
        // A single-observation train window cannot be estimated: the window is named.
        let tiny = try OutOfSampleBacktest(returns: returns)
        let estimate = #expect(throws: OutOfSampleError.self) {
            try tiny.walkForward(PortfolioConfiguration(name: "mv", objective: .minimumVariance), scheme: WalkForward(train: 1, test: 10))
        }
        #expect(estimate == .riskModel(.tooFewObservations(found: 1, required: 2), window: 0))
        let duplicate = PortfolioConfiguration(name: "same", objective: .equalWeight)
        #expect(throws: OutOfSampleError.duplicateConfiguration("same")) {
            try tiny.compare([duplicate, duplicate], scheme: WalkForward(train: 20, test: 10))
        }
    }

    @Test("out-of-sample returns recomputed from the weights; costs charged once per rebalance on the traded weight")
    func returnsAndCosts() throws {
        let returns = try seededReturns(assets: 8, days: 400, seed: 42)
        let scheme = WalkForward(train: 120, test: 40)
        let configuration = PortfolioConfiguration(name: "mv", covariance: LedoitWolfShrinkage(), objective: .minimumVariance)
        let free = try OutOfSampleBacktest(returns: returns).walkForward(configuration, scheme: scheme)
        let costly = try OutOfSampleBacktest(returns: returns, costRate: 0.002).walkForward(configuration, scheme: scheme)
        #expect(free.rebalances.count == 7 && free.returns.count == 280 && free.observations == Array(120..<400))
        var previous = [Double](repeating: 0, count: 8)
        var position = 0
        for (rebalance, charged) in zip(free.rebalances, costly.rebalances) {
            #expect(abs(rebalance.weights.reduce(0, +) - 1) < 1e-9 && rebalance.weights.allSatisfy { $0 >= -1e-12 })
            let turnover = zip(rebalance.weights, previous).reduce(0) { $0 + abs($1.0 - $1.1) }
            #expect(abs(charged.turnover - turnover) < 1e-12 && abs(charged.cost - 0.002 * turnover) < 1e-15)
            for (k, row) in rebalance.test.enumerated() {
                let gross = (0..<8).reduce(0) { $0 + rebalance.weights[$1] * returns.values[row, $1] }
                #expect(abs(free.returns[position] - gross) < 1e-15)
                #expect(abs(costly.returns[position] - (k == 0 ? gross - charged.cost : gross)) < 1e-15)
                position += 1
            }
            previous = rebalance.weights
        }
        #expect(abs(costly.rebalances[0].turnover - 1) < 1e-9, "the first rebalance buys from cash")
        #expect(abs(costly.metrics.totalCost - costly.rebalances.reduce(0) { $0 + $1.cost }) < 1e-15)
        #expect(costly.metrics.cumulativeReturn < free.metrics.cumulativeReturn)
    }

    @Test("metrics recomputed by hand: mean, sample volatility, Sharpe, drawdown from a peak starting at 1")
    func metrics() {
        let r = [-0.10, 0.05, 0.20, -0.30, 0.10]
        let m = PerformanceMetrics(returns: r, periodsPerYear: 12, riskFreeRate: 0.01, rebalances: [])
        let mean = r.reduce(0, +) / 5
        let sd = (r.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
        #expect(abs(m.annualizedMean - mean * 12) < 1e-15)
        #expect(abs(m.annualizedVolatility - sd * 12.0.squareRoot()) < 1e-15)
        #expect(abs(m.sharpeRatio - (mean * 12 - 0.01) / (sd * 12.0.squareRoot())) < 1e-13)
        // Wealth 0.9, 0.945, 1.134, 0.7938, 0.87318: the drawdown from 1.134 to 0.7938 is 30%.
        #expect(abs(m.maximumDrawdown - 0.30) < 1e-12)
        #expect(abs(m.cumulativeReturn - (0.9 * 1.05 * 1.2 * 0.7 * 1.1 - 1)) < 1e-14)
        #expect(abs(PerformanceMetrics(returns: [-0.05], periodsPerYear: 252, riskFreeRate: 0, rebalances: []).maximumDrawdown - 0.05) < 1e-15,
                "a first-day loss is a drawdown")
    }

    @Test("every objective and estimator runs over the same windows; warm starts do not change the answer")
    func comparison() throws {
        let returns = try seededReturns(assets: 12, days: 500, seed: 7)
        let objectives: [BacktestObjective] = [.minimumVariance, .maximumSharpe, .maximumUtility(riskAversion: 2), .maximumDiversification,
                                               .riskParity, .hierarchicalRiskParity(.ward), .hierarchicalEqualRiskContribution(.single),
                                               .inverseVolatility, .equalWeight]
        let configurations = objectives.enumerated().map { k, objective in
            PortfolioConfiguration(name: "c\(k)", covariance: k % 2 == 0 ? SampleCovariance() : LedoitWolfShrinkage(),
                                   expectedReturns: k % 3 == 0 ? .compoundedMean : .arithmeticMean, objective: objective)
        }
        let scheme = WalkForward(train: 200, test: 50, expanding: true)
        let results = try OutOfSampleBacktest(returns: returns, costRate: 0.001).compare(configurations, scheme: scheme)
        #expect(results.map(\.name) == configurations.map(\.name))
        for result in results {
            #expect(result.returns.count == 300 && result.returns.allSatisfy(\.isFinite))
            #expect(result.rebalances.allSatisfy { abs($0.weights.reduce(0, +) - 1) < 1e-8 })
            #expect(result.metrics.annualizedVolatility > 0 && result.metrics.maximumDrawdown >= 0)
        }
        // Cold solves of each window equal the warm-started path.
        let backtest = try OutOfSampleBacktest(returns: returns)
        let warm = try backtest.walkForward(configurations[0], scheme: scheme)
        for (k, window) in try scheme.windows(observations: 500).enumerated() {
            var none: QPActiveSet?
            let cold = try configurations[0].fit(try backtest.trainSeries(window.train, window: k), window: k, warmStart: &none)
            #expect(zip(cold, warm.rebalances[k].weights).allSatisfy { abs($0 - $1) < 1e-12 })
        }
    }

    @Test("combinatorial purged CV: every path covers each fold once; purge and embargo keep train away from test")
    func combinatorialInvariants() throws {
        let cv = CombinatorialPurgedCV(folds: 7, testFolds: 3, purge: 4, embargo: 2)
        #expect(cv.splitCount == 35 && cv.pathCount == 15)
        let t = 503
        let splits = try cv.splits(observations: t)
        let folds = cv.foldRanges(observations: t)
        #expect(folds.last == 426..<503)
        for split in splits {
            let train = Set(split.train.flatMap { Array($0) })
            for f in split.testFolds {
                let test = folds[f]
                #expect(train.isDisjoint(with: test))
                for i in Swift.max(0, test.lowerBound - 4)..<test.lowerBound { #expect(!train.contains(i), "purged before fold \(f)") }
                for i in test.upperBound..<Swift.min(t, test.upperBound + 6) { #expect(!train.contains(i), "embargoed after fold \(f)") }
            }
            #expect(train.count + split.testFolds.reduce(0) { $0 + folds[$1].count } <= t)
        }
        let paths = cv.recombinedPaths()
        for p in 0..<cv.pathCount {
            for f in 0..<7 { #expect(splits[paths[f][p]].testFolds.contains(f)) }
        }
        #expect(Set(paths.flatMap { $0 }).count == 35, "every split tests some fold on some path")
        #expect(throws: OutOfSampleError.self) { try CombinatorialPurgedCV(folds: 2, testFolds: 1).splits(observations: 100) }
        #expect(throws: OutOfSampleError.self) { try CombinatorialPurgedCV(folds: 5, testFolds: 5).splits(observations: 100) }
        #expect(throws: OutOfSampleError.self) { try CombinatorialPurgedCV(folds: 10, testFolds: 2, purge: 5, embargo: 4).splits(observations: 100) }
        #expect(throws: OutOfSampleError.self) { try CombinatorialPurgedCV(folds: 40, testFolds: 20).splits(observations: 10_000) }
        let tooMany = #expect(throws: OutOfSampleError.self) { try CombinatorialPurgedCV(folds: 8, testFolds: 2).splits(observations: 10) }
        #expect(tooMany?.description.contains("at most 5 for 10 observations") == true)
    }
}
