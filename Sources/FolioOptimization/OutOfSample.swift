import FolioLinearAlgebra
import FolioRisk

/// One rebalance of an out-of-sample path: the weights fitted on a train window and held over
/// a test window, and what trading into them cost.
public struct BacktestRebalance: Sendable, Equatable {
    /// The train observations the weights were fitted on.
    public var train: [Range<Int>]
    /// The test observations the weights were held over.
    public var test: Range<Int>
    /// The weights, one per asset, fractions of capital.
    public var weights: [Double]
    /// One-way turnover Σ|wᵢ − w_prev,ᵢ| against the previous rebalance's weights (against
    /// cash, 0, for the first: the initial purchase).
    public var turnover: Double
    /// The cost of the trades, `costRate · turnover`, a fraction of capital taken from the
    /// first return of the test window.
    public var cost: Double
}

/// The out-of-sample record of one configuration over one path.
public struct OutOfSampleResult: Sendable {
    /// The configuration's name.
    public var name: String
    /// The rebalances, in time order.
    public var rebalances: [BacktestRebalance]
    /// The out-of-sample returns, one per test observation, net of costs.
    public var returns: [Double]
    /// The rows of the return series the returns belong to.
    public var observations: [Int]
    /// The dates of those rows, when the return series has dates.
    public var dates: [MarketDate]?
    /// Mean, volatility, Sharpe ratio, drawdown, turnover and costs of `returns`.
    public var metrics: PerformanceMetrics
}

/// Summary statistics of an out-of-sample return series, as skfolio reports them.
public struct PerformanceMetrics: Sendable, Equatable {
    /// The number of returns.
    public var observations: Int
    /// Arithmetic mean return times the periods per year (skfolio `annualized_mean`).
    public var annualizedMean: Double
    /// Sample standard deviation (T − 1) times √(periods per year) (skfolio
    /// `annualized_standard_deviation`).
    public var annualizedVolatility: Double
    /// (annualized mean − annual risk-free rate) / annualized volatility (skfolio
    /// `annualized_sharpe_ratio`); 0 when the volatility is 0.
    public var sharpeRatio: Double
    /// The largest fall of the compounded wealth Π(1 + rₜ) from its running peak, the peak
    /// starting at 1, as a positive fraction (skfolio `max_drawdown` with `compounded=True`).
    public var maximumDrawdown: Double
    /// Compounded return over the whole path, Π(1 + rₜ) − 1.
    public var cumulativeReturn: Double
    /// Mean one-way turnover per rebalance, the initial purchase included.
    public var averageTurnover: Double
    /// One-way turnover per year: the turnover after the first rebalance over the years the
    /// path spans.
    public var annualTurnover: Double
    /// Sum of the costs charged, fractions of capital at each rebalance.
    public var totalCost: Double

    /// The metrics of `returns` (`periodsPerYear` per year; `riskFreeRate` annual) with the
    /// rebalances that produced them.
    ///
    /// - Complexity: O(T + rebalances).
    public init(returns: [Double], periodsPerYear: Double, riskFreeRate: Double, rebalances: [BacktestRebalance]) {
        let t = returns.count
        observations = t
        let mean = t > 0 ? returns.reduce(0, +) / Double(t) : 0
        var squares = 0.0
        for r in returns { squares += (r - mean) * (r - mean) }
        let variance = t > 1 ? squares / Double(t - 1) : 0
        annualizedMean = mean * periodsPerYear
        annualizedVolatility = (variance * periodsPerYear).squareRoot()
        sharpeRatio = annualizedVolatility > 0 ? (annualizedMean - riskFreeRate) / annualizedVolatility : 0
        var wealth = 1.0, peak = 1.0, drawdown = 0.0
        for r in returns {
            wealth *= 1 + r
            peak = Swift.max(peak, wealth)
            drawdown = Swift.max(drawdown, 1 - wealth / peak)
        }
        maximumDrawdown = drawdown
        cumulativeReturn = wealth - 1
        averageTurnover = rebalances.isEmpty ? 0 : rebalances.reduce(0) { $0 + $1.turnover } / Double(rebalances.count)
        let years = Double(t) / periodsPerYear
        annualTurnover = years > 0 ? rebalances.dropFirst().reduce(0) { $0 + $1.turnover } / years : 0
        totalCost = rebalances.reduce(0) { $0 + $1.cost }
    }
}

/// The results of combinatorial purged cross-validation for one configuration.
public struct CombinatorialResult: Sendable {
    /// The splits, in skfolio's order, with the weights fitted on each.
    public var splits: [CombinatorialSplit]
    /// The weights fitted on each split's train set.
    public var weights: [[Double]]
    /// The recombined out-of-sample paths; each spans every fold once.
    public var paths: [OutOfSampleResult]
}

/// Out-of-sample evaluation of portfolio configurations over a return series: fit on each
/// train window, hold the weights fixed over the test window, charge proportional costs at
/// each rebalance.
///
/// The return of the portfolio on a test observation t is `Σᵢ wᵢ·rₜᵢ`, the fitted weights
/// times that observation's simple asset returns, with no drift inside the window; this is
/// skfolio's `cross_val_predict` with its default `weight_drift=False` (the linear portfolio
/// return the mean-variance optimizer itself models). At each rebalance the cost
/// `costRate · Σ|wᵢ − w_prevᵢ|` is subtracted from the first return of the test window
/// (skfolio instead spreads a per-observation cost; with zero costs the two agree exactly).
///
/// ```swift
/// let backtest = try OutOfSampleBacktest(returns: series, costRate: 0.001)
/// let table = try backtest.compare([minVariance, maxSharpe], scheme: WalkForward(train: 504, test: 63))
/// ```
public struct OutOfSampleBacktest: Sendable {
    /// The simple returns, T x N.
    public let returns: ReturnSeries
    /// The proportional cost per unit of weight traded (0.001 = 10 basis points).
    public let costRate: Double

    /// An evaluator over `returns`.
    ///
    /// - Throws: `OutOfSampleError.invalidParameter` for log returns (portfolio returns are
    ///   weighted sums of simple returns only) or a cost rate outside [0, 1).
    /// - Complexity: O(1).
    public init(returns: ReturnSeries, costRate: Double = 0) throws(OutOfSampleError) {
        guard returns.kind == .simple else {
            throw .invalidParameter(name: "return kind (log)", value: 0,
                                    expected: "simple returns (a portfolio's return is the weighted sum of simple returns)")
        }
        guard costRate >= 0, costRate < 1 else {
            throw .invalidParameter(name: "cost rate", value: costRate, expected: "a fraction in [0, 1) of the traded weight")
        }
        self.returns = returns
        self.costRate = costRate
    }

    /// An evaluator over the simple returns of a price history.
    ///
    /// - Throws: `OutOfSampleError.riskModel` for missing (NaN) prices under `.throwOnGaps`
    ///   (naming every asset and date), or too few dates; as `init(returns:costRate:)`.
    /// - Complexity: O(T·N).
    public init(prices: PriceHistory, missingData: MissingDataPolicy = .throwOnGaps, periodsPerYear: Double = 252,
                costRate: Double = 0) throws(OutOfSampleError) {
        let series: ReturnSeries
        do {
            series = try prices.returns(.simple, missingData: missingData, periodsPerYear: periodsPerYear)
        } catch {
            throw .riskModel(error, window: nil)
        }
        try self.init(returns: series, costRate: costRate)
    }

    /// The walk-forward path of one configuration.
    ///
    /// - Throws: `OutOfSampleError` naming the window and configuration that failed.
    /// - Complexity: one covariance estimate and one solve per window, plus O(T·N) for the
    ///   returns.
    public func walkForward(_ configuration: PortfolioConfiguration, scheme: WalkForward) throws(OutOfSampleError) -> OutOfSampleResult {
        let windows = try scheme.windows(observations: returns.observations)
        var warm: QPActiveSet?
        var fitted: [(BacktestWindow, [Double])] = []
        for (k, window) in windows.enumerated() {
            fitted.append((window, try configuration.fit(trainSeries(window.train, window: k), window: k, warmStart: &warm)))
        }
        return path(configuration, fitted)
    }

    /// Walk-forward paths of several configurations over the same windows.
    ///
    /// - Throws: `OutOfSampleError.duplicateConfiguration` for a repeated name; otherwise as
    ///   ``walkForward(_:scheme:)``.
    /// - Complexity: the sum over configurations.
    public func compare(_ configurations: [PortfolioConfiguration], scheme: WalkForward) throws(OutOfSampleError) -> [OutOfSampleResult] {
        var names = Set<String>()
        for c in configurations where !names.insert(c.name).inserted { throw .duplicateConfiguration(c.name) }
        var results: [OutOfSampleResult] = []
        for c in configurations { results.append(try walkForward(c, scheme: scheme)) }
        return results
    }

    /// Combinatorial purged cross-validation of one configuration: one fit per split, then
    /// the test folds recombined into paths.
    ///
    /// - Throws: `OutOfSampleError` naming the split (as the window) that failed.
    /// - Complexity: C(folds, testFolds) fits plus O(paths·T·N).
    public func combinatorial(_ configuration: PortfolioConfiguration, cv: CombinatorialPurgedCV) throws(OutOfSampleError) -> CombinatorialResult {
        let splits = try cv.splits(observations: returns.observations)
        var warm: QPActiveSet?
        var weights: [[Double]] = []
        for (s, split) in splits.enumerated() {
            weights.append(try configuration.fit(trainSeries(split.train, window: s), window: s, warmStart: &warm))
        }
        let folds = cv.foldRanges(observations: returns.observations)
        let recombined = cv.recombinedPaths()
        let paths = (0..<cv.pathCount).map { p in
            path(configuration, folds.indices.map { f in
                let s = recombined[f][p]
                return (BacktestWindow(train: splits[s].train, test: folds[f]), weights[s])
            })
        }
        return CombinatorialResult(splits: splits, weights: weights, paths: paths)
    }

    /// The returns of the train observations as a series of their own.
    func trainSeries(_ train: [Range<Int>], window: Int) throws(OutOfSampleError) -> ReturnSeries {
        let t = returns.observations, n = returns.assetCount
        let rows = train.reduce(0) { $0 + $1.count }
        var values = [Double](repeating: 0, count: rows * n)
        returns.values.elements.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { target in
                for j in 0..<n {
                    var k = j * rows
                    for range in train {
                        for i in range { target[k] = source[i + j * t]; k += 1 }
                    }
                }
            }
        }
        let dates = returns.dates.map { d in train.flatMap { d[$0] } }
        do {
            return try ReturnSeries(values: Matrix(rows: rows, columns: n, columnMajor: values), assets: returns.assets,
                                    dates: dates, kind: .simple, periodsPerYear: returns.periodsPerYear)
        } catch {
            throw .riskModel(error, window: window)
        }
    }

    /// Holds each window's weights over its test observations and charges the trades.
    func path(_ configuration: PortfolioConfiguration, _ fitted: [(BacktestWindow, [Double])]) -> OutOfSampleResult {
        let t = returns.observations, n = returns.assetCount
        var out: [Double] = [], rows: [Int] = [], rebalances: [BacktestRebalance] = []
        var previous = [Double](repeating: 0, count: n)
        returns.values.elements.withUnsafeBufferPointer { r in
            for (window, w) in fitted {
                var turnover = 0.0
                for i in 0..<n { turnover += abs(w[i] - previous[i]) }
                let cost = costRate * turnover
                for (k, row) in window.test.enumerated() {
                    var value = 0.0
                    for i in 0..<n { value += w[i] * r[row + i * t] }
                    out.append(k == 0 ? value - cost : value)
                    rows.append(row)
                }
                rebalances.append(BacktestRebalance(train: window.train, test: window.test, weights: w, turnover: turnover, cost: cost))
                previous = w
            }
        }
        return OutOfSampleResult(
            name: configuration.name, rebalances: rebalances, returns: out, observations: rows,
            dates: returns.dates.map { d in rows.map { d[$0] } },
            metrics: PerformanceMetrics(returns: out, periodsPerYear: returns.periodsPerYear,
                                        riskFreeRate: configuration.riskFreeRate, rebalances: rebalances))
    }
}
