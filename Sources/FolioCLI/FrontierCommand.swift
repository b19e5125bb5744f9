import ArgumentParser
import Folio
import Foundation

/// `folio frontier`: the long-only efficient frontier.
struct FrontierCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "frontier",
        abstract: "The efficient frontier: evenly spaced points and the tangency portfolio.",
        discussion: """
        Points are evenly spaced in expected return from the minimum-variance portfolio to the highest attainable return, each an exact solution; the tangency portfolio maximizes the Sharpe ratio at --risk-free-rate. --svg draws the frontier with the individual assets and the tangency portfolio in one self-contained SVG file.

        Example:
          folio frontier --prices Examples/Data/prices.csv --points 50 \\
            --covariance ledoit-wolf --svg frontier.svg
        """)

    @OptionGroup var priceOptions: PriceOptions

    @OptionGroup var universe: UniverseOptions

    @Option(parsing: .unconditional, help: "Number of frontier points (2 or more).")
    var points: Int = 50

    @Option(help: "Also draw the frontier into this SVG file.")
    var svg: String?

    @OptionGroup var riskModel: RiskModelOptions

    @OptionGroup var returnModel: ExpectedReturnOptions

    @OptionGroup var formatOptions: FormatOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard points >= 2, points <= 10_000 else { throw ValidationError("--points must be between 2 and 10,000") }
    }

    func run() throws {
        let data = try priceOptions.load(universe.selection)
        let frontierPoints: [FrontierPoint], tangency: FrontierPoint, sigma: Matrix, mu: [Double]
        let estimate = try riskModel.estimate(data)
        mu = try returnModel.estimate(data, riskFreeRate: riskModel.riskFreeRate, covariance: estimate)
        do {
            sigma = estimate.matrix
            let frontier = EfficientFrontier(covariance: sigma, expectedReturns: mu, riskFreeRate: riskModel.riskFreeRate)
            frontierPoints = try frontier.points(count: points)
            tangency = try frontier.tangency()
        } catch {
            throw DataFailure(error)
        }
        let assets = data.assets
        let report = FrontierReport(assets: assets, points: frontierPoints, tangency: tangency, riskFreeRate: riskModel.riskFreeRate)
        try render(formatOptions.format, table: { report.table(width: $0) }, json: report.json, csv: report.csv)
        if let svg {
            let vols = sigma.diagonal.map { max($0, 0).squareRoot() }
            let drawing = SVGChart.frontier(
                curve: frontierPoints.map { ($0.volatility, $0.expectedReturn) },
                assets: assets.indices.map { (assets[$0], vols[$0], mu[$0]) },
                tangency: (tangency.volatility, tangency.expectedReturn))
            do { try AtomicFile.write(drawing + "\n", to: URL(fileURLWithPath: svg)) } catch { throw DataFailure(error) }
        }
    }
}
