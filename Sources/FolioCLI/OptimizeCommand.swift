import ArgumentParser
import Folio
import Foundation

/// Portfolio objectives the command line offers.
enum Objective: String, ExpressibleByArgument, CaseIterable {
    case minVariance = "min-variance", maxSharpe = "max-sharpe", maxUtility = "max-utility"
    case efficientReturn = "efficient-return", efficientRisk = "efficient-risk", maxDiversification = "max-diversification"
    case riskParity = "risk-parity", hrp, herc, inverseVolatility = "inverse-volatility", equalWeight = "equal-weight"
    case minTrackingError = "min-tracking-error"
}


/// `folio optimize`: an optimal portfolio from a price history.
struct OptimizeCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Build an optimal portfolio from prices: mean-variance, risk parity, HRP and baselines.",
        discussion: """
        Conventions as PyPortfolioOpt: simple returns, annualized by --frequency (252); expected returns by --returns (mean: compounded historical mean); risk-free rate 0 unless given; long-only weights in [0, 1] unless --bounds say otherwise; fully invested.

        JSON: weights (symbol -> weight), expectedReturn, volatility, sharpeRatio (ex-ante: (expectedReturn - risk-free rate) / volatility; sharpeConvention says so), riskContributions (symbol -> fraction of volatility), solver (status, iterations, kkt residuals) for the objectives solved as one QP, trackingError with --benchmark, turnover with --current, warnings.

        min-tracking-error minimizes the tracking error to --benchmark (a weights file in the targets format; CASH in it is held at zero risk). The constraints file adds turnover and transaction costs against --current (a weights file) and linear rows over symbols and groups. --write-targets writes the weights as a targets file that `folio rebalance --targets` reads. A warning is printed when an asset with volatility below 0.5% a year holds half or more of a min-variance or max-sharpe portfolio at a zero risk-free rate.

        Examples:
          folio optimize --prices Examples/Data/prices.csv --objective max-sharpe \\
            --covariance ledoit-wolf
          folio optimize --prices Examples/Data/prices.csv --objective hrp \\
            --linkage ward --format json
          folio optimize --prices Examples/Data/prices.csv \\
            --objective min-tracking-error --exclude FMMKT \\
            --benchmark Examples/Data/households/young-accumulator/targets.yaml \\
            --write-targets targets.yaml
        """)

    @OptionGroup var priceOptions: PriceOptions

    @OptionGroup var universe: UniverseOptions

    @Option(help: "Objective: \(Objective.allCases.map(\.rawValue).joined(separator: ", ")).")
    var objective: Objective

    @Option(name: .customLong("risk-aversion"), parsing: .unconditional, help: "Risk aversion δ for max-utility (default 1).")
    var riskAversion: Double = 1

    @Option(name: .customLong("target-return"), parsing: .unconditional, help: "Annual target return for efficient-return.")
    var targetReturn: Double?

    @Option(name: .customLong("target-volatility"), parsing: .unconditional, help: "Annual target volatility for efficient-risk.")
    var targetVolatility: Double?

    @Option(parsing: .unconditional, help: "Weight bounds LO,HI for every asset (default 0,1; replaces the constraints file's bounds).")
    var bounds: WeightBounds?

    @Option(help: "Constraints file (YAML or JSON): budget, bounds, per-asset bounds, groups, leverage, L2, turnover, transaction costs, linear rows (see Documentation/FileFormats.md).")
    var constraints: String?

    @Option(help: "Benchmark weights file (targets format) for min-tracking-error; with other objectives the tracking error is reported.")
    var benchmark: String?

    @Option(help: "Current weights file (targets format): the reference of the constraints file's turnover and transaction costs; the turnover is reported.")
    var current: String?

    @Option(name: .customLong("write-targets"), help: "Also write the weights as a targets file (`folio rebalance --targets` reads it).")
    var writeTargets: String?

    @Option(help: "Linkage for hrp and herc.")
    var linkage: LinkageChoice = .single

    @OptionGroup var riskModel: RiskModelOptions

    @OptionGroup var returnModel: ExpectedReturnOptions

    @OptionGroup var formatOptions: FormatOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        for (name, value) in [("--risk-aversion", riskAversion),
                              ("--target-return", targetReturn ?? 0), ("--target-volatility", targetVolatility ?? 0.1)]
        where !value.isFinite { throw ValidationError("\(name) must be a finite number") }
        guard riskAversion > 0 else { throw ValidationError("--risk-aversion must be positive") }
        if let targetVolatility, targetVolatility <= 0 { throw ValidationError("--target-volatility must be positive") }
        if objective == .efficientReturn && targetReturn == nil { throw ValidationError("efficient-return needs --target-return") }
        if objective == .efficientRisk && targetVolatility == nil { throw ValidationError("efficient-risk needs --target-volatility") }
        if objective == .minTrackingError && benchmark == nil { throw ValidationError("min-tracking-error needs --benchmark FILE (a weights file in the targets format)") }
    }

    /// The library's objective for the mean-variance choices (validated flags), else nil.
    var meanVarianceObjective: MeanVarianceProblem.Objective? {
        switch objective {
        case .minVariance: return .minimumVariance
        case .maxSharpe: return .maximumSharpe
        case .maxUtility: return .maximumUtility(riskAversion: riskAversion)
        case .efficientReturn: return targetReturn.map { .efficientReturn(target: $0) }
        case .efficientRisk: return targetVolatility.map { .efficientRisk(targetVolatility: $0) }
        case .maxDiversification: return .maximumDiversification
        case .riskParity, .hrp, .herc, .inverseVolatility, .equalWeight, .minTrackingError: return nil
        }
    }

    func run() throws {
        let data = try priceOptions.load(universe.selection)
        let assets = data.assets
        let weights: [Double]
        // Clustering and the baselines need no inverse; every other objective does.
        let estimate = try riskModel.estimate(data, invertible: ![.hrp, .herc, .equalWeight, .inverseVolatility].contains(objective))
        let covarianceMatrix = estimate.matrix
        var mu: [Double]? = nil
        var solved: PortfolioOptimizationResult? = nil
        let benchmarkWeights = try benchmark.map { try WeightsFile.read($0, option: "--benchmark", assets: assets, pricesFile: priceOptions.prices).weights }
        let currentWeights = try current.map { try WeightsFile.read($0, option: "--current", assets: assets, pricesFile: priceOptions.prices).weights }
        do {
            var constraints = PortfolioConstraints.longOnly
            if let path = self.constraints {
                constraints = try ConstraintsReader.read(contentsOf: URL(fileURLWithPath: path), assets: assets, currentWeights: currentWeights)
            }
            if let bounds { constraints.bounds = bounds.range }
            constraints.currentWeights = currentWeights
            switch objective {
            case .minTrackingError:
                let expected = try returnModel.estimate(data, riskFreeRate: riskModel.riskFreeRate, covariance: estimate)
                mu = expected
                solved = try MinimumTrackingError(covariance: covarianceMatrix, benchmarkWeights: benchmarkWeights!, expectedReturns: expected,
                                                  constraints: constraints, riskFreeRate: riskModel.riskFreeRate).solve()
                weights = solved!.weights
            case .minVariance, .maxSharpe, .maxUtility, .efficientReturn, .efficientRisk, .maxDiversification:
                let expected = try returnModel.estimate(data, riskFreeRate: riskModel.riskFreeRate, covariance: estimate)
                mu = expected
                let result = try MeanVarianceProblem(
                    objective: meanVarianceObjective!, covariance: covarianceMatrix, expectedReturns: expected,
                    constraints: constraints, riskFreeRate: riskModel.riskFreeRate).solve()
                solved = result
                weights = result.weights
            case .riskParity: weights = try RiskBudgeting().allocate(covariance: covarianceMatrix).weights
            case .hrp: weights = try HierarchicalRiskParity(linkage: linkage.linkage).allocate(covariance: covarianceMatrix).weights
            case .herc: weights = try HierarchicalEqualRiskContribution(linkage: linkage.linkage).allocate(covariance: covarianceMatrix).weights
            case .inverseVolatility: weights = try SimpleAllocator.inverseVolatility.allocate(covariance: covarianceMatrix).weights
            case .equalWeight: weights = try SimpleAllocator.equalWeight.allocate(covariance: covarianceMatrix).weights
            }
            if mu == nil { mu = try returnModel.estimate(data, riskFreeRate: riskModel.riskFreeRate, covariance: estimate) }
        } catch {
            throw DataFailure(error)
        }
        let contributions = PortfolioRisk.riskContributions(weights: weights, covariance: covarianceMatrix)
        let report = OptimizationReport(
            objective: objective.rawValue, assets: assets, weights: weights, riskContributions: contributions.percent,
            expectedReturn: zip(weights, mu!).reduce(0) { $0 + $1.0 * $1.1 }, volatility: contributions.volatility,
            riskFreeRate: riskModel.riskFreeRate, estimators: (riskModel.name, returnModel.name),
            trackingError: benchmarkWeights.map { PortfolioRisk.trackingError(weights: weights, benchmark: $0, covariance: covarianceMatrix) },
            turnover: currentWeights.map { zip(weights, $0).reduce(0) { $0 + abs($1.0 - $1.1) } },
            solver: solved.map { SolverEvidence($0.solution) }, objectiveValue: solved?.objective,
            warnings: cashLikeWarnings(weights: weights, assets: assets, covariance: covarianceMatrix))
        try render(formatOptions.format, table: { report.table(width: $0) }, json: report.json, csv: report.csv)
        if formatOptions.format != .table { for warning in report.warnings { warn(warning) } }
        if let writeTargets {
            let comment = ["folio optimize --objective \(objective.rawValue): \(riskModel.name) covariance, \(returnModel.name) returns"]
            do {
                try TargetsWriter.write(weights: Array(zip(assets, weights)).map { (symbol: $0.0, weight: $0.1) }, comment: comment,
                                        to: URL(fileURLWithPath: writeTargets))
            } catch { throw DataFailure(error) }
        }
    }

    /// The warning for a cash-like asset (volatility below 0.5% a year) holding half or more
    /// of a min-variance or max-sharpe portfolio at a zero risk-free rate.
    func cashLikeWarnings(weights: [Double], assets: [String], covariance: Matrix) -> [String] {
        guard [.minVariance, .maxSharpe].contains(objective), riskModel.riskFreeRate == 0 else { return [] }
        let volatility = covariance.diagonal.map { max($0, 0).squareRoot() }
        let cashLike = assets.indices.filter { volatility[$0] < Self.cashLikeVolatility }
        let share = cashLike.reduce(0) { $0 + weights[$1] }
        guard !cashLike.isEmpty, share >= 0.5 else { return [] }
        let names = cashLike.filter { weights[$0] > 0 }.map { "\(assets[$0]) (volatility \(percent(volatility[$0])) a year)" }
        return ["cash-like \(names.joined(separator: ", ")) hold\(names.count == 1 ? "s" : "") \(percent(share)) of this \(objective.rawValue) portfolio at a zero risk-free rate: give --risk-free-rate (the cash yield) or --exclude \(cashLike.map { assets[$0] }.joined(separator: ","))"]
    }

    /// Below this annual volatility an asset counts as cash-like (0.5%).
    static let cashLikeVolatility = 0.005
}
