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
        let data = try priceOptions.load()
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
        switch formatOptions.format {
        case .json:
            struct Point: Encodable { var expectedReturn, volatility, sharpeRatio: Double; var weights: [String: Double] }
            struct Document: Encodable { var points: [Point]; var tangency: Point; var riskFreeRate: Double }
            let point = { (p: FrontierPoint) in
                Point(expectedReturn: p.expectedReturn, volatility: p.volatility, sharpeRatio: p.sharpeRatio,
                      weights: Dictionary(uniqueKeysWithValues: zip(assets, p.weights)))
            }
            emit(try jsonText(Document(points: frontierPoints.map(point), tangency: point(tangency), riskFreeRate: riskModel.riskFreeRate)))
        case .csv:
            emit(CSVWriter.document(header: ["expected_return", "volatility", "sharpe_ratio"] + assets,
                                    rows: frontierPoints.map { p in
                                        [String(p.expectedReturn), String(p.volatility), String(p.sharpeRatio)] + p.weights.map { String($0) }
                                    }))
        case .table:
            var table = TextTable(columns: [.init("#", .right), .init("Return", .right), .init("Volatility", .right),
                                            .init("Sharpe", .right), .init("Largest weights")])
            for (k, p) in frontierPoints.enumerated() {
                let top = p.weights.indices.sorted { p.weights[$0] > p.weights[$1] }.prefix(3)
                    .filter { p.weights[$0] >= 0.005 }.map { "\(assets[$0]) \(String(format: "%.0f%%", p.weights[$0] * 100))" }
                table.append(["\(k + 1)", percent(p.expectedReturn), percent(p.volatility), String(format: "%.3f", p.sharpeRatio),
                              top.joined(separator: ", ")])
            }
            emit(table.render() + String(format: "\nTangency: return %.2f%%, volatility %.2f%%, Sharpe %.3f\n",
                                         tangency.expectedReturn * 100, tangency.volatility * 100, tangency.sharpeRatio))
        }
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
