import ArgumentParser
import Folio
import Foundation

/// `folio risk`: risk figures of a weight vector over a price history.
struct RiskCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Volatility, VaR and CVaR, drawdown, Sharpe and Sortino, and risk contributions of a portfolio.",
        discussion: """
        --weights is a targets file (targets: {SYMBOL: weight}); every symbol must be in the prices file, except CASH (held at a zero return); weights sum to 1. The portfolio is held at constant weights (rebalanced every period). VaR and CVaR are one-period losses at --confidence, historical and Gaussian; volatility, Sharpe and Sortino are annualized by --frequency.

        Example:
          folio risk --prices Examples/Data/prices.csv \\
            --weights Examples/Data/households/young-accumulator/targets.yaml
        """)

    @OptionGroup var priceOptions: PriceOptions

    @Option(help: "Weights file (the targets format).")
    var weights: String

    @Option(parsing: .unconditional, help: "Confidence level for VaR and CVaR (default 0.95).")
    var confidence: Double = 0.95

    @OptionGroup var riskModel: RiskModelOptions

    @OptionGroup var formatOptions: FormatOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard confidence > 0, confidence < 1 else { throw ValidationError("--confidence must be between 0 and 1, e.g. 0.95") }
    }

    func run() throws {
        let data = try priceOptions.load()
        let series = try data.commonReturns()
        let target: TargetAllocation
        do { target = try TargetsReader.read(contentsOf: URL(fileURLWithPath: weights)) } catch { throw DataFailure(error) }
        guard !target.isByAssetClass else { throw DataFailure(lines: ["\(weights): give weights by symbol (targets:), not by asset class"]) }
        var w = [Double](repeating: 0, count: series.assetCount)
        for line in target.securityWeights where line.symbol != TargetAllocation.cashSymbol {  // cash: no return, no risk
            guard let i = series.assets.firstIndex(of: line.symbol) else {
                throw DataFailure(lines: ["\(weights): \(line.symbol) is not in \(priceOptions.prices)"])
            }
            w[i] = line.weight
        }
        struct Figures: Encodable {
            var volatility, historicalVaR, historicalCVaR, gaussianVaR, gaussianCVaR, maximumDrawdown, sharpeRatio, sortinoRatio: Double
            var confidence: Double
            var riskContributions: [String: Double]
        }
        let figures: Figures
        do {
            let sigma = try riskModel.estimate(data).matrix
            let contributions = PortfolioRisk.riskContributions(weights: w, covariance: sigma)
            let path = series.portfolioReturns(weights: w)
            figures = Figures(
                volatility: contributions.volatility,
                historicalVaR: try PortfolioRisk.historicalValueAtRisk(returns: path, confidence: confidence),
                historicalCVaR: try PortfolioRisk.historicalConditionalValueAtRisk(returns: path, confidence: confidence),
                gaussianVaR: try PortfolioRisk.gaussianValueAtRisk(returns: path, confidence: confidence),
                gaussianCVaR: try PortfolioRisk.gaussianConditionalValueAtRisk(returns: path, confidence: confidence),
                maximumDrawdown: PortfolioRisk.maximumDrawdown(returns: path),
                sharpeRatio: try PortfolioRisk.sharpeRatio(returns: path, riskFreeRate: riskModel.riskFreeRate, periodsPerYear: series.periodsPerYear),
                sortinoRatio: try PortfolioRisk.sortinoRatio(returns: path, riskFreeRate: riskModel.riskFreeRate, periodsPerYear: series.periodsPerYear),
                confidence: confidence,
                riskContributions: Dictionary(uniqueKeysWithValues: zip(series.assets, contributions.percent).filter { w[series.assets.firstIndex(of: $0.0)!] != 0 }))
        } catch {
            throw DataFailure(error)
        }
        switch formatOptions.format {
        case .json: emit(try jsonText(figures))
        case .csv:
            emit(CSVWriter.document(header: ["asset", "risk_contribution"],
                                    rows: figures.riskContributions.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] }))
        case .table:
            var table = TextTable(columns: [.init("Measure"), .init("Value", .right)])
            table.append(["Volatility (annual)", percent(figures.volatility)])
            table.append(["VaR \(percent(confidence)) historical (1 period)", percent(figures.historicalVaR)])
            table.append(["CVaR \(percent(confidence)) historical (1 period)", percent(figures.historicalCVaR)])
            table.append(["VaR \(percent(confidence)) Gaussian (1 period)", percent(figures.gaussianVaR)])
            table.append(["CVaR \(percent(confidence)) Gaussian (1 period)", percent(figures.gaussianCVaR)])
            table.append(["Maximum drawdown", percent(figures.maximumDrawdown)])
            table.append(["Sharpe ratio", String(format: "%.3f", figures.sharpeRatio)])
            table.append(["Sortino ratio", String(format: "%.3f", figures.sortinoRatio)])
            var contributions = TextTable(columns: [.init("Asset"), .init("Risk contribution", .right)])
            for (asset, share) in figures.riskContributions.sorted(by: { $0.value > $1.value }) { contributions.append([asset, percent(share)]) }
            emit(table.render() + "\n" + contributions.render())
        }
    }
}
