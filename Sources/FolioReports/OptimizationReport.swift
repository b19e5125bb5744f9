import Foundation
import FolioOptimization

/// The evidence of a QP solve as reports show it: how it ended, its iterations and its KKT
/// residuals (`QPSolution` without the vectors).
public struct SolverEvidence: Sendable, Encodable, Equatable {
    /// How the solve ended (`optimal`, `infeasible`, `unbounded`, `iterationLimit`).
    public var status: QPStatus
    /// Iterations used.
    public var iterations: Int
    /// The KKT residuals (infinity norms) at the solution.
    public var kkt: KKTResiduals

    /// The evidence of `solution`.
    ///
    /// - Complexity: O(1).
    public init(_ solution: QPSolution) {
        status = solution.status
        iterations = solution.iterations
        kkt = solution.residuals
    }
}

/// How a report's Sharpe ratio is computed, stated in every quant output so that two
/// commands' figures are never compared blind.
public enum SharpeConvention: String, Sendable, Encodable {
    /// (μᵀw − r_f) / √(wᵀΣw): μ and Σ from the chosen estimators (annual units). `optimize`,
    /// `frontier`, and `risk`'s `expectedSharpeRatio`.
    case exAnte = "ex-ante: (expected return - risk-free rate) / volatility, from the --returns and --covariance estimators"
    /// The annualized historical Sharpe ratio of the portfolio's period returns at constant
    /// weights: (mean − r_f/f)/sd·√f (Sharpe 1966). `risk`'s `sharpeRatio`.
    case historical = "historical: (mean period return - risk-free rate / f) / sample standard deviation * sqrt(f), f = --frequency"
}

/// An optimized portfolio for the terminal, JSON and CSV: weights, risk contributions,
/// return and risk, and the solver's evidence.
///
/// Units: weights and contributions are fractions; return, volatility and tracking error
/// are annual fractions (the inputs' units).
public struct OptimizationReport: Sendable {
    /// The objective's command-line name (`max-sharpe`).
    public var objective: String
    /// The symbols, in the weights' order.
    public var assets: [String]
    /// The weights, one per asset.
    public var weights: [Double]
    /// Each asset's share of the portfolio volatility (sums to 1).
    public var riskContributions: [Double]
    /// μᵀw.
    public var expectedReturn: Double
    /// √(wᵀΣw).
    public var volatility: Double
    /// The risk-free rate the Sharpe ratio uses (annual fraction).
    public var riskFreeRate: Double
    /// The covariance and expected-return estimators in words (`ledoit-wolf`, `mean`).
    public var estimators: (covariance: String, returns: String)
    /// √((w − b)ᵀΣ(w − b)) against benchmark weights, when a benchmark was given.
    public var trackingError: Double?
    /// Σ|wᵢ − currentᵢ|, when current weights were given.
    public var turnover: Double?
    /// The QP's evidence, for the objectives solved as one QP.
    public var solver: SolverEvidence?
    /// The problem's own objective at the optimum, in its natural units
    /// (`PortfolioOptimizationResult.objective`: variance plus penalties for min-variance,
    /// utility for max-utility, tracking variance, the Sharpe or diversification ratio).
    public var objectiveValue: Double?
    /// Warnings for the reader (e.g. a cash-like asset dominating the portfolio).
    public var warnings: [String]

    /// A report; see the properties for the meaning of each part.
    ///
    /// - Complexity: O(1).
    public init(objective: String, assets: [String], weights: [Double], riskContributions: [Double], expectedReturn: Double,
                volatility: Double, riskFreeRate: Double, estimators: (covariance: String, returns: String),
                trackingError: Double? = nil, turnover: Double? = nil, solver: SolverEvidence? = nil, objectiveValue: Double? = nil,
                warnings: [String] = []) {
        precondition(weights.count == assets.count && riskContributions.count == assets.count, "One weight and contribution per asset")
        self.objective = objective
        self.assets = assets
        self.weights = weights
        self.riskContributions = riskContributions
        self.expectedReturn = expectedReturn
        self.volatility = volatility
        self.riskFreeRate = riskFreeRate
        self.estimators = estimators
        self.trackingError = trackingError
        self.turnover = turnover
        self.solver = solver
        self.objectiveValue = objectiveValue
        self.warnings = warnings
    }

    /// (μᵀw − r_f)/σ, the ex-ante convention (``SharpeConvention/exAnte``); 0 at zero volatility.
    public var sharpeRatio: Double { volatility > 0 ? (expectedReturn - riskFreeRate) / volatility : 0 }

    /// The terminal text: a headline, the figures, the non-zero weights largest first, and
    /// the warnings.
    ///
    /// - Complexity: O(n log n).
    public func table(width: Int = 100) -> String {
        var out = "\(objective) over \(assets.count) assets (\(estimators.covariance) covariance, \(estimators.returns) returns)\n"
        out += String(format: "expected return %.2f%%  volatility %.2f%%  Sharpe %.3f (ex-ante, risk-free %.2f%%)\n",
                      expectedReturn * 100, volatility * 100, sharpeRatio, riskFreeRate * 100)
        if let trackingError { out += String(format: "tracking error %.2f%%\n", trackingError * 100) }
        if let turnover { out += String(format: "turnover %.2f%% (sum of |w - current|)\n", turnover * 100) }
        if let solver {
            out += "solver \(solver.status.rawValue) in \(solver.iterations) iterations, "
                + String(format: "KKT residuals primal %.1e, dual %.1e, complementarity %.1e\n",
                         solver.kkt.primalFeasibility, solver.kkt.dualFeasibility, solver.kkt.complementarity)
        }
        var table = TextTable(columns: [.init("Asset"), .init("Weight", .right), .init("Risk contribution", .right)])
        for i in assets.indices.sorted(by: { weights[$0] > weights[$1] }) where abs(weights[i]) >= 5e-5 {
            table.append([assets[i], ReportFormat.percent(weights[i]), ReportFormat.percent(riskContributions[i])])
        }
        out += "\n" + table.render(maxWidth: width)
        for warning in warnings { out += "warning: \(TerminalText.escaped(warning, keepingNewlines: false))\n" }
        return out
    }

    /// The JSON document: `objective`, `weights` and `riskContributions` (symbol → fraction),
    /// `expectedReturn`, `volatility`, `sharpeRatio`, `sharpeConvention`, `riskFreeRate`,
    /// `covariance`, `returns`, and when they apply `trackingError`, `turnover`, `objectiveValue`, `solver`
    /// (`status`, `iterations`, `kkt`), `warnings`.
    ///
    /// - Complexity: O(n log n).
    public func json() throws -> Data {
        struct Document: Encodable {
            var objective: String, weights: [String: Double], riskContributions: [String: Double]
            var expectedReturn, volatility, sharpeRatio, riskFreeRate: Double
            var sharpeConvention: SharpeConvention, covariance, returns: String
            var trackingError, turnover, objectiveValue: Double?
            var solver: SolverEvidence?
            var warnings: [String]
        }
        return try QuantJSON.encode(Document(
            objective: objective, weights: QuantJSON.keyed(assets, weights), riskContributions: QuantJSON.keyed(assets, riskContributions),
            expectedReturn: expectedReturn, volatility: volatility, sharpeRatio: sharpeRatio, riskFreeRate: riskFreeRate,
            sharpeConvention: .exAnte, covariance: estimators.covariance, returns: estimators.returns,
            trackingError: trackingError, turnover: turnover, objectiveValue: objectiveValue, solver: solver, warnings: warnings))
    }

    /// CSV: `asset,weight,risk_contribution`, one row per asset in the input order.
    ///
    /// - Complexity: O(n).
    public func csv() -> String {
        CSVWriter.document(header: ["asset", "weight", "risk_contribution"],
                           rows: assets.indices.map { [assets[$0], String(weights[$0]), String(riskContributions[$0])] })
    }
}

/// The JSON conventions of the quant reports: sorted keys, pretty, slashes unescaped.
enum QuantJSON {
    /// `value` as sorted-key, pretty-printed JSON with a final newline.
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value) + Data("\n".utf8)
    }

    /// Symbol → value; a symbol named twice keeps its first value.
    static func keyed(_ assets: [String], _ values: [Double]) -> [String: Double] {
        Dictionary(zip(assets, values), uniquingKeysWith: { first, _ in first })
    }
}
