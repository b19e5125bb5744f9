import ArgumentParser
import Folio
import Foundation

/// Portfolio objectives the command line offers.
enum Objective: String, ExpressibleByArgument, CaseIterable {
    case minVariance = "min-variance", maxSharpe = "max-sharpe", maxUtility = "max-utility"
    case efficientReturn = "efficient-return", efficientRisk = "efficient-risk", maxDiversification = "max-diversification"
    case riskParity = "risk-parity", hrp, herc, inverseVolatility = "inverse-volatility", equalWeight = "equal-weight"
}


/// `folio optimize`: an optimal portfolio from a price history.
struct OptimizeCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Build an optimal portfolio from prices: mean-variance, risk parity, HRP and baselines.",
        discussion: """
        Conventions as PyPortfolioOpt: simple returns, annualized by --frequency (252); expected returns by --returns (mean: compounded historical mean); risk-free rate 0 unless given; long-only weights in [0, 1] unless --bounds say otherwise; fully invested.

        JSON: weights (symbol -> weight), expectedReturn, volatility, sharpeRatio, riskContributions (symbol -> fraction of volatility).

        Examples:
          folio optimize --prices Examples/Data/prices.csv --objective max-sharpe \\
            --covariance ledoit-wolf
          folio optimize --prices Examples/Data/prices.csv --objective hrp \\
            --linkage ward --format json
        """)

    @OptionGroup var priceOptions: PriceOptions

    @Option(help: "Objective: \(Objective.allCases.map(\.rawValue).joined(separator: ", ")).")
    var objective: Objective

    @Option(name: .customLong("risk-aversion"), parsing: .unconditional, help: "Risk aversion δ for max-utility (default 1).")
    var riskAversion: Double = 1

    @Option(name: .customLong("target-return"), parsing: .unconditional, help: "Annual target return for efficient-return.")
    var targetReturn: Double?

    @Option(name: .customLong("target-volatility"), parsing: .unconditional, help: "Annual target volatility for efficient-risk.")
    var targetVolatility: Double?

    @Option(parsing: .unconditional, help: "Weight bounds LO,HI for every asset (default 0,1).")
    var bounds: String = "0,1"

    @Option(help: "Constraints file (YAML or JSON): budget, bounds, per-asset bounds, groups, leverage, L2 (see Documentation/FileFormats.md).")
    var constraints: String?

    @Option(help: "Linkage for hrp and herc: single, complete, average or ward.")
    var linkage: String = "single"

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
        guard parsedBounds != nil else { throw ValidationError("--bounds must be LO,HI with LO <= HI, e.g. 0,0.2 or -1,1") }
        if objective == .efficientReturn && targetReturn == nil { throw ValidationError("efficient-return needs --target-return") }
        if objective == .efficientRisk && targetVolatility == nil { throw ValidationError("efficient-risk needs --target-volatility") }
        guard parsedLinkage != nil else { throw ValidationError("--linkage must be single, complete, average or ward") }
    }

    var parsedBounds: ClosedRange<Double>? {
        // Both halves whole numbers: `0,x,0.2` or `0,0.2-` is an error, never 0...0.2.
        let parts = bounds.split(separator: ",", omittingEmptySubsequences: false).compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, bounds.filter({ $0 == "," }).count == 1, parts.allSatisfy(\.isFinite), parts[0] <= parts[1] else { return nil }
        return parts[0]...parts[1]
    }

    var parsedLinkage: Linkage? { Linkage(rawValue: linkage) }

    /// The library's objective for the mean-variance choices (validated flags), else nil.
    var meanVarianceObjective: MeanVarianceProblem.Objective? {
        switch objective {
        case .minVariance: return .minimumVariance
        case .maxSharpe: return .maximumSharpe
        case .maxUtility: return .maximumUtility(riskAversion: riskAversion)
        case .efficientReturn: return targetReturn.map { .efficientReturn(target: $0) }
        case .efficientRisk: return targetVolatility.map { .efficientRisk(targetVolatility: $0) }
        case .maxDiversification: return .maximumDiversification
        case .riskParity, .hrp, .herc, .inverseVolatility, .equalWeight: return nil
        }
    }

    func run() throws {
        let series = try priceOptions.returns()
        let assets = series.assets
        let weights: [Double]
        let covarianceMatrix: Matrix
        var mu: [Double]? = nil
        do {
            covarianceMatrix = try riskModel.covariance.estimate(series).matrix
            var constraints = PortfolioConstraints.longOnly
            constraints.bounds = parsedBounds!
            if let path = self.constraints {
                let fromFile = try ConstraintsReader.read(contentsOf: URL(fileURLWithPath: path), assets: assets)
                constraints = fromFile
                if bounds != "0,1" { constraints.bounds = parsedBounds! }
            }
            switch objective {
            case .minVariance, .maxSharpe, .maxUtility, .efficientReturn, .efficientRisk, .maxDiversification:
                let expected = try returnModel.returns.estimate(series, riskFreeRate: riskModel.riskFreeRate)
                mu = expected
                weights = try MeanVarianceProblem(
                    objective: meanVarianceObjective!, covariance: covarianceMatrix, expectedReturns: expected,
                    constraints: constraints, riskFreeRate: riskModel.riskFreeRate).solve().weights
            case .riskParity: weights = try RiskBudgeting().allocate(covariance: covarianceMatrix).weights
            case .hrp: weights = try HierarchicalRiskParity(linkage: parsedLinkage!).allocate(covariance: covarianceMatrix).weights
            case .herc: weights = try HierarchicalEqualRiskContribution(linkage: parsedLinkage!).allocate(covariance: covarianceMatrix).weights
            case .inverseVolatility: weights = try SimpleAllocator.inverseVolatility.allocate(covariance: covarianceMatrix).weights
            case .equalWeight: weights = try SimpleAllocator.equalWeight.allocate(covariance: covarianceMatrix).weights
            }
            if mu == nil { mu = try returnModel.returns.estimate(series, riskFreeRate: riskModel.riskFreeRate) }
        } catch {
            throw DataFailure(error)
        }
        let contributions = PortfolioRisk.riskContributions(weights: weights, covariance: covarianceMatrix)
        let expectedReturn = zip(weights, mu!).reduce(0) { $0 + $1.0 * $1.1 }
        let sharpe = contributions.volatility > 0 ? (expectedReturn - riskModel.riskFreeRate) / contributions.volatility : 0
        switch formatOptions.format {
        case .json:
            struct Document: Encodable {
                var objective: String, weights: [String: Double], expectedReturn: Double, volatility: Double
                var sharpeRatio: Double, riskContributions: [String: Double]
            }
            emit(try jsonText(Document(
                objective: objective.rawValue, weights: Dictionary(uniqueKeysWithValues: zip(assets, weights)),
                expectedReturn: expectedReturn, volatility: contributions.volatility, sharpeRatio: sharpe,
                riskContributions: Dictionary(uniqueKeysWithValues: zip(assets, contributions.percent)))))
        case .csv:
            emit(CSVWriter.document(header: ["asset", "weight", "risk_contribution"],
                                    rows: assets.indices.map { [assets[$0], String(weights[$0]), String(contributions.percent[$0])] }))
        case .table:
            var out = "\(objective.rawValue) over \(assets.count) assets (\(riskModel.covariance.rawValue) covariance, \(returnModel.returns.rawValue) returns)\n"
            out += String(format: "expected return %.2f%%  volatility %.2f%%  Sharpe %.3f\n\n", expectedReturn * 100, contributions.volatility * 100, sharpe)
            var table = TextTable(columns: [.init("Asset"), .init("Weight", .right), .init("Risk contribution", .right)])
            for i in assets.indices.sorted(by: { weights[$0] > weights[$1] }) where abs(weights[i]) >= 5e-5 {
                table.append([assets[i], percent(weights[i]), percent(contributions.percent[i])])
            }
            emit(out + table.render())
        }
    }
}
