import Foundation
import FolioOptimization

/// An efficient frontier for the terminal, JSON and CSV: the points in order of return and
/// the tangency (maximum-Sharpe) portfolio. Returns and volatilities are in the inputs'
/// units (annual fractions); Sharpe ratios are ex-ante (``SharpeConvention/exAnte``).
public struct FrontierReport: Sendable {
    /// The symbols, in the weights' order.
    public var assets: [String]
    /// The frontier points, lowest return first.
    public var points: [FrontierPoint]
    /// The tangency portfolio at `riskFreeRate`.
    public var tangency: FrontierPoint
    /// The risk-free rate of the Sharpe ratios (annual fraction).
    public var riskFreeRate: Double

    /// A report of a frontier.
    ///
    /// - Complexity: O(1).
    public init(assets: [String], points: [FrontierPoint], tangency: FrontierPoint, riskFreeRate: Double) {
        self.assets = assets
        self.points = points
        self.tangency = tangency
        self.riskFreeRate = riskFreeRate
    }

    /// The terminal text: one row per point with its three largest weights, then the tangency.
    ///
    /// - Complexity: O(points × n log n).
    public func table(width: Int = 100) -> String {
        var table = TextTable(columns: [.init("#", .right), .init("Return", .right), .init("Volatility", .right),
                                        .init("Sharpe", .right), .init("Largest weights")])
        for (k, p) in points.enumerated() {
            let top = p.weights.indices.sorted { p.weights[$0] > p.weights[$1] }.prefix(3)
                .filter { p.weights[$0] >= 0.005 }.map { "\(assets[$0]) \(String(format: "%.0f%%", p.weights[$0] * 100))" }
            table.append(["\(k + 1)", ReportFormat.percent(p.expectedReturn), ReportFormat.percent(p.volatility),
                          String(format: "%.3f", p.sharpeRatio), top.joined(separator: ", ")])
        }
        return table.render(maxWidth: width) + String(format: "\nTangency: return %.2f%%, volatility %.2f%%, Sharpe %.3f (ex-ante)\n",
                                                      tangency.expectedReturn * 100, tangency.volatility * 100, tangency.sharpeRatio)
    }

    /// The JSON document: `points` and `tangency` (expectedReturn, volatility, sharpeRatio,
    /// weights by symbol), `riskFreeRate`, `sharpeConvention`.
    ///
    /// - Complexity: O(points × n).
    public func json() throws -> Data {
        struct Point: Encodable { var expectedReturn, volatility, sharpeRatio: Double; var weights: [String: Double] }
        struct Document: Encodable { var points: [Point]; var tangency: Point; var riskFreeRate: Double; var sharpeConvention: SharpeConvention }
        let point = { (p: FrontierPoint) in
            Point(expectedReturn: p.expectedReturn, volatility: p.volatility, sharpeRatio: p.sharpeRatio, weights: QuantJSON.keyed(assets, p.weights))
        }
        return try QuantJSON.encode(Document(points: points.map(point), tangency: point(tangency), riskFreeRate: riskFreeRate, sharpeConvention: .exAnte))
    }

    /// CSV: `expected_return,volatility,sharpe_ratio,` then one weight column per symbol.
    ///
    /// - Complexity: O(points × n).
    public func csv() -> String {
        CSVWriter.document(header: ["expected_return", "volatility", "sharpe_ratio"] + assets,
                           rows: points.map { p in [String(p.expectedReturn), String(p.volatility), String(p.sharpeRatio)] + p.weights.map { String($0) } })
    }
}
