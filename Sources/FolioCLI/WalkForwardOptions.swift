import ArgumentParser
import Folio
import Foundation

/// How the out-of-sample windows are drawn.
enum CrossValidationChoice: String, ExpressibleByArgument, CaseIterable {
    case walkForward = "walk-forward", cpcv
}

/// The walk-forward half of `folio backtest`: with `--prices` and no `--holdings`, the command
/// evaluates optimizer configurations out of sample over the prices file.
///
/// `BacktestCommand` includes these options with `@OptionGroup` and calls ``run(prices:format:report:)``
/// when no holdings are given.
struct WalkForwardOptions: ParsableArguments {
    @Option(name: .customLong("objective"),
            help: "Objective to backtest, repeatable: \(Objective.allCases.filter(\.isBacktestable).map(\.rawValue).joined(separator: ", ")) (default: \(WalkForwardOptions.defaultObjectives.map(\.rawValue).joined(separator: ", "))).")
    var objectives: [Objective] = []

    @Option(name: .customLong("covariance"),
            help: "Covariance estimator, repeatable (every objective runs with every estimator; default sample): \(CovarianceChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var covariances: [CovarianceChoice] = []

    @Option(help: "Expected returns for max-sharpe and max-utility: \(ReturnsChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var returns: ReturnsChoice = .mean

    @Flag(help: "With --returns mean, the arithmetic mean (skfolio's EmpiricalMu) instead of the compounded mean.")
    var arithmetic = false

    @Option(parsing: .unconditional, help: "Train window in observations (rows of returns; default 504, two years of days; walk-forward only).")
    var train: Int = 504

    @Option(parsing: .unconditional, help: "Test window in observations, also the rebalancing step (default 63, a quarter of days; walk-forward only).")
    var test: Int = 63

    @Flag(help: "Expanding train windows (from the first observation) instead of rolling ones (walk-forward only).")
    var expanding = false

    @Option(parsing: .unconditional, help: "Observations skipped between a train window and its test window (default 0).")
    var purge: Int = 0

    @Option(help: "Cross-validation: walk-forward (default) or cpcv (combinatorial purged, with --folds, --test-folds, --purge, --embargo).")
    var cv: CrossValidationChoice = .walkForward

    @Option(parsing: .unconditional, help: "Folds for cpcv (default 10).")
    var folds: Int = 10

    @Option(name: .customLong("test-folds"), parsing: .unconditional, help: "Test folds per cpcv split (default 2).")
    var testFolds: Int = 2

    @Option(parsing: .unconditional, help: "Observations embargoed after each cpcv test block beyond the purge (default 0).")
    var embargo: Int = 0

    @Option(parsing: .unconditional, help: "Proportional trading cost per unit of weight traded, charged at each rebalance (0.001 = 10 bp; default 0).")
    var costs: Double = 0

    @Option(name: .customLong("risk-free-rate"), parsing: .unconditional, help: "Annual risk-free rate, a fraction (default 0).")
    var riskFreeRate: Double = 0

    @Option(name: .customLong("risk-aversion"), parsing: .unconditional, help: "Risk aversion δ for max-utility (default 1).")
    var riskAversion: Double = 1

    /// The objectives compared when none is given: the ones that need no expected returns, so
    /// that no window can fail for want of an asset beating the risk-free rate.
    static let defaultObjectives: [Objective] = [.minVariance, .riskParity, .hrp, .equalWeight]

    /// Whether the walk-forward mode was asked for: any of its options given a value other than
    /// its default.
    var isRequested: Bool {
        !objectives.isEmpty || !covariances.isEmpty || returns != .mean || arithmetic || train != 504 || test != 63 || expanding
            || purge != 0 || cv != .walkForward || folds != 10 || testFolds != 2 || embargo != 0 || costs != 0
            || riskFreeRate != 0 || riskAversion != 1
    }

    func validate() throws {
        for objective in objectives where !objective.isBacktestable {
            throw ValidationError("--objective \(objective.rawValue) cannot be backtested (a fixed target may be out of reach in some windows)")
        }
        for (name, value) in [("--costs", costs), ("--risk-free-rate", riskFreeRate), ("--risk-aversion", riskAversion)]
        where !value.isFinite { throw ValidationError("\(name) must be a finite number") }
        guard costs >= 0, costs < 1 else { throw ValidationError("--costs must be a fraction of the traded weight in [0, 1), e.g. 0.001") }
        guard riskAversion > 0 else { throw ValidationError("--risk-aversion must be positive") }
        guard train >= 2 else { throw ValidationError("--train must be at least 2 observations") }
        guard test >= 1 else { throw ValidationError("--test must be at least 1 observation") }
        for (name, value) in [("--purge", purge), ("--embargo", embargo)] where value < 0 {
            throw ValidationError("\(name) must not be negative")
        }
    }

    /// The configurations to compare: every objective with every covariance estimator.
    func configurations() -> [PortfolioConfiguration] {
        let estimators = covariances.isEmpty ? [CovarianceChoice.sample] : covariances
        let mu: ExpectedReturnsModel
        switch returns {
        case .mean: mu = arithmetic ? .arithmeticMean : .compoundedMean
        case .ema: mu = .exponentiallyWeighted(.span(500))
        case .capm: mu = .capm
        }
        var result: [PortfolioConfiguration] = []
        for objective in objectives.isEmpty ? Self.defaultObjectives : objectives {
            for covariance in estimators {
                let name = "\(objective.rawValue) · \(covariance.rawValue)"
                guard !result.contains(where: { $0.name == name }) else { continue }
                result.append(PortfolioConfiguration(name: name, covariance: covariance.estimator, expectedReturns: mu,
                                                     objective: objective.backtestObjective(riskAversion: riskAversion),
                                                     riskFreeRate: riskFreeRate))
            }
        }
        return result
    }

    /// One sentence describing the windows and costs.
    var schemeDescription: String {
        let windows: String
        switch cv {
        case .walkForward:
            windows = "walk-forward, \(expanding ? "expanding" : "rolling") train \(train), test \(test)"
                + (purge > 0 ? ", purge \(purge)" : "") + " observations"
        case .cpcv:
            windows = "combinatorial purged CV, \(folds) folds, \(testFolds) test folds, purge \(purge), embargo \(embargo)"
        }
        return windows + String(format: "; costs %.4g per unit traded; risk-free rate %.4g", costs, riskFreeRate)
    }

    /// Evaluates every configuration over `history`.
    func evaluate(_ history: PriceHistory) throws(OutOfSampleError) -> [OutOfSampleResult] {
        let backtest = try OutOfSampleBacktest(prices: history, costRate: costs)
        switch cv {
        case .walkForward:
            return try backtest.compare(configurations(), scheme: WalkForward(train: train, test: test, expanding: expanding, purge: purge))
        case .cpcv:
            let scheme = CombinatorialPurgedCV(folds: folds, testFolds: testFolds, purge: purge, embargo: embargo)
            var results: [OutOfSampleResult] = []
            for configuration in configurations() {
                for (p, var path) in try backtest.combinatorial(configuration, cv: scheme).paths.enumerated() {
                    path.name += " · path \(p + 1)"
                    results.append(path)
                }
            }
            return results
        }
    }

    /// Runs the walk-forward evaluation over the prices file; returns the text to print on stdout
    /// and writes the HTML report when `report` is given.
    func run(prices: URL, format: OutputFormat, report: URL?) throws -> String {
        let results: [OutOfSampleResult]
        let history: PriceHistory
        do {
            history = try PricesReader.read(contentsOf: prices).priceHistory()
            results = try evaluate(history)
        } catch {
            throw DataFailure(error)
        }
        let document = WalkForwardReport(title: "Out-of-sample comparison of \(results.count) configuration\(results.count == 1 ? "" : "s") over \(history.assets.count) assets",
                                         scheme: schemeDescription, results: results)
        if let report { try AtomicFile.write(document.html(), to: report) }
        switch format {
        case .table: return document.table()
        case .csv: return document.csv()
        case .json: return try jsonText(WalkForwardDocument(scheme: schemeDescription, assets: history.assets, results: results))
        }
    }
}

/// The JSON of a walk-forward run: the scheme, and per configuration its metrics, rebalances
/// (dates, weights by asset, turnover, cost) and out-of-sample returns by date.
struct WalkForwardDocument: Encodable {
    struct Rebalance: Encodable {
        var testStart: String, testEnd: String, trainObservations: Int
        var weights: [String: Double], turnover: Double, cost: Double
    }
    struct Configuration: Encodable {
        var name: String
        var metrics: [String: Double]
        var rebalances: [Rebalance]
        var dates: [String]
        var returns: [Double]
    }
    var scheme: String
    var configurations: [Configuration]

    init(scheme: String, assets: [String], results: [OutOfSampleResult]) {
        self.scheme = scheme
        configurations = results.map { r in
            let m = r.metrics
            let dates = r.dates?.map(\.description) ?? r.observations.map(String.init)
            var position = 0
            let rebalances = r.rebalances.map { b in
                defer { position += b.test.count }
                return Rebalance(testStart: dates[position], testEnd: dates[position + b.test.count - 1],
                                 trainObservations: b.train.reduce(0) { $0 + $1.count },
                                 weights: Dictionary(uniqueKeysWithValues: zip(assets, b.weights)), turnover: b.turnover, cost: b.cost)
            }
            return Configuration(
                name: r.name,
                metrics: ["annualizedMean": m.annualizedMean, "annualizedVolatility": m.annualizedVolatility, "sharpeRatio": m.sharpeRatio,
                          "maximumDrawdown": m.maximumDrawdown, "cumulativeReturn": m.cumulativeReturn,
                          "averageTurnover": m.averageTurnover, "annualTurnover": m.annualTurnover, "totalCost": m.totalCost],
                rebalances: rebalances, dates: dates, returns: r.returns)
        }
    }
}

extension Objective {
    /// Whether the objective can run unattended over many windows (a fixed target return or
    /// volatility may be out of reach in some of them).
    var isBacktestable: Bool { self != .efficientReturn && self != .efficientRisk && self != .minTrackingError }

    /// The library's objective; `hrp` and `herc` use single linkage, as `folio optimize` does by default.
    func backtestObjective(riskAversion: Double) -> BacktestObjective {
        switch self {
        case .minVariance, .efficientReturn, .efficientRisk, .minTrackingError: return .minimumVariance
        case .maxSharpe: return .maximumSharpe
        case .maxUtility: return .maximumUtility(riskAversion: riskAversion)
        case .maxDiversification: return .maximumDiversification
        case .riskParity: return .riskParity
        case .hrp: return .hierarchicalRiskParity(.single)
        case .herc: return .hierarchicalEqualRiskContribution(.single)
        case .inverseVolatility: return .inverseVolatility
        case .equalWeight: return .equalWeight
        }
    }
}
