import ArgumentParser
import Folio
import Foundation

/// `folio risk`: risk figures of a weight vector over a price history.
struct RiskCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Volatility, VaR and CVaR, drawdown, Sharpe and Sortino, and risk contributions of a portfolio.",
        discussion: """
        --weights is a targets file (targets: {SYMBOL: weight}); every symbol must be in the prices file (after --symbols/--exclude), except CASH (held at a zero return); weights sum to 1. The portfolio is held at constant weights (rebalanced every period). VaR and CVaR are one-period losses at --confidence, historical and Gaussian; volatility, Sharpe and Sortino are annualized by --frequency.

        Two Sharpe ratios, each named in the JSON's sharpeConventions: sharpeRatio is historical (the portfolio's period returns: (mean - risk-free rate / f) / standard deviation * sqrt(f)); expectedSharpeRatio is ex-ante, (expectedReturn - risk-free rate) / volatility from --returns and --covariance, the convention of `folio optimize` (the same figure for the weights optimize writes with --write-targets). --benchmark adds the tracking error against a weights file: from the covariance (as min-tracking-error minimizes it) and historical (the annualized standard deviation of the period return differences).

        Example:
          folio risk --prices Examples/Data/prices.csv \\
            --weights Examples/Data/households/young-accumulator/targets.yaml
        """)

    @OptionGroup var priceOptions: PriceOptions

    @OptionGroup var universe: UniverseOptions

    @Option(help: "Weights file (the targets format).")
    var weights: String

    @Option(help: "Benchmark weights file (the targets format): adds the tracking error.")
    var benchmark: String?

    @Option(parsing: .unconditional, help: "Confidence level for VaR and CVaR (default 0.95).")
    var confidence: Double = 0.95

    @OptionGroup var riskModel: RiskModelOptions

    @OptionGroup var returnModel: ExpectedReturnOptions

    @OptionGroup var formatOptions: FormatOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard confidence > 0, confidence < 1 else { throw ValidationError("--confidence must be between 0 and 1, e.g. 0.95") }
    }

    func run() throws {
        let data = try priceOptions.load(universe.selection)
        let series = try data.commonReturns()
        let w = try WeightsFile.read(weights, option: "--weights", assets: series.assets, pricesFile: priceOptions.prices).weights
        let b = try benchmark.map { try WeightsFile.read($0, option: "--benchmark", assets: series.assets, pricesFile: priceOptions.prices).weights }
        let report: RiskReport
        do {
            let estimate = try riskModel.estimate(data)
            let sigma = estimate.matrix
            let mu = try returnModel.estimate(data, riskFreeRate: riskModel.riskFreeRate, covariance: estimate)
            let contributions = PortfolioRisk.riskContributions(weights: w, covariance: sigma)
            let path = series.portfolioReturns(weights: w)
            let expectedReturn = zip(w, mu).reduce(0) { $0 + $1.0 * $1.1 }
            report = RiskReport(
                volatility: contributions.volatility,
                historicalVaR: try PortfolioRisk.historicalValueAtRisk(returns: path, confidence: confidence),
                historicalCVaR: try PortfolioRisk.historicalConditionalValueAtRisk(returns: path, confidence: confidence),
                gaussianVaR: try PortfolioRisk.gaussianValueAtRisk(returns: path, confidence: confidence),
                gaussianCVaR: try PortfolioRisk.gaussianConditionalValueAtRisk(returns: path, confidence: confidence),
                maximumDrawdown: PortfolioRisk.maximumDrawdown(returns: path),
                sharpeRatio: try PortfolioRisk.sharpeRatio(returns: path, riskFreeRate: riskModel.riskFreeRate, periodsPerYear: series.periodsPerYear),
                sortinoRatio: try PortfolioRisk.sortinoRatio(returns: path, riskFreeRate: riskModel.riskFreeRate, periodsPerYear: series.periodsPerYear),
                expectedReturn: expectedReturn,
                expectedSharpeRatio: contributions.volatility > 0 ? (expectedReturn - riskModel.riskFreeRate) / contributions.volatility : 0,
                riskFreeRate: riskModel.riskFreeRate, confidence: confidence,
                trackingError: b.map { PortfolioRisk.trackingError(weights: w, benchmark: $0, covariance: sigma) },
                historicalTrackingError: b.map { PortfolioRisk.trackingError(weights: w, benchmark: $0, returns: series) },
                riskContributions: Dictionary(zip(series.assets, contributions.percent).enumerated().filter { w[$0.offset] != 0 }.map(\.element),
                                              uniquingKeysWith: { first, _ in first }))
        } catch {
            throw DataFailure(error)
        }
        try render(formatOptions.format, table: { report.table(width: $0) }, json: report.json, csv: report.csv)
    }
}
