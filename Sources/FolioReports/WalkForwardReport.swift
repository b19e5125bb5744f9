import Foundation
import FolioOptimization
import Plot

/// The comparison of optimizer configurations out of sample: a text table, CSV, and a
/// self-contained HTML page with the cumulative out-of-sample return of each configuration.
public struct WalkForwardReport: Sendable {
    /// The page title.
    public var title: String
    /// One sentence describing the scheme (windows, costs), shown under the title.
    public var scheme: String
    /// One result per configuration, in the order to show.
    public var results: [OutOfSampleResult]

    /// A report of `results`.
    ///
    /// - Complexity: O(1).
    public init(title: String, scheme: String, results: [OutOfSampleResult]) {
        self.title = title
        self.scheme = scheme
        self.results = results
    }

    /// The column titles of the table and the CSV.
    static let header = ["configuration", "rebalances", "observations", "annualized_mean", "annualized_volatility",
                         "sharpe", "max_drawdown", "cumulative_return", "average_turnover", "annual_turnover", "total_cost"]

    /// The metrics of one result in `header` order, as plain numbers.
    static func values(_ r: OutOfSampleResult) -> [Double] {
        let m = r.metrics
        return [Double(r.rebalances.count), Double(m.observations), m.annualizedMean, m.annualizedVolatility, m.sharpeRatio,
                m.maximumDrawdown, m.cumulativeReturn, m.averageTurnover, m.annualTurnover, m.totalCost]
    }

    /// A text table, one row per configuration, best Sharpe ratio first.
    ///
    /// - Complexity: O(configurations · log configurations).
    public func table() -> String {
        var table = TextTable(columns: [
            .init("Configuration"), .init("Mean", .right), .init("Volatility", .right), .init("Sharpe", .right),
            .init("Max drawdown", .right), .init("Cumulative", .right), .init("Turnover/yr", .right), .init("Costs", .right),
        ])
        for r in results.sorted(by: { $0.metrics.sharpeRatio > $1.metrics.sharpeRatio }) {
            let m = r.metrics
            table.append([r.name, ReportFormat.percent(m.annualizedMean), ReportFormat.percent(m.annualizedVolatility),
                          String(format: "%.3f", m.sharpeRatio), ReportFormat.percent(m.maximumDrawdown),
                          ReportFormat.percent(m.cumulativeReturn), ReportFormat.percent(m.annualTurnover, places: 0),
                          ReportFormat.percent(m.totalCost)])
        }
        return "\(title)\n\(scheme)\n\n" + table.render()
    }

    /// CSV, one row per configuration in the given order, numbers as fractions with full
    /// precision.
    ///
    /// - Complexity: O(configurations).
    public func csv() -> String {
        CSVWriter.document(header: Self.header, rows: results.map { r in
            [r.name] + Self.values(r).enumerated().map { $0.offset < 2 ? String(Int($0.element)) : String($0.element) }
        })
    }

    /// `report.html`: one self-contained page (inline CSS and SVG, no scripts or network)
    /// with the cumulative out-of-sample returns and the metrics table.
    ///
    /// - Complexity: O(configurations · observations).
    public func html() -> String {
        let chart = SVGChart.cumulativeReturns(paths: results.map { (label: $0.name, returns: $0.returns) })
        let document = HTML(
            // Plot's `.title` also copies the text into unescaped meta attributes: written by hand.
            .head(.meta(.charset(.utf8)), .raw("<title>\(SVGChart.escape(title)) — out-of-sample backtest</title>"),
                  .style(PlanReport.css)),
            .body(
                .header(.h1(.text(title)), .p(.text(scheme))),
                .section(.h2("Cumulative out-of-sample return"), .div(.class("chart"), .raw(chart))),
                .section(.h2("Metrics"),
                    .table(
                        .thead(.tr(.th("Configuration"), .th(.class("num"), "Mean"), .th(.class("num"), "Volatility"),
                                   .th(.class("num"), "Sharpe"), .th(.class("num"), "Max drawdown"), .th(.class("num"), "Cumulative"),
                                   .th(.class("num"), "Turnover/yr"), .th(.class("num"), "Costs"))),
                        .tbody(.forEach(results) { r in
                            let m = r.metrics
                            return .tr(.td(.text(r.name)), .td(.class("num"), .text(ReportFormat.percent(m.annualizedMean))),
                                       .td(.class("num"), .text(ReportFormat.percent(m.annualizedVolatility))),
                                       .td(.class("num"), .text(String(format: "%.3f", m.sharpeRatio))),
                                       .td(.class("num"), .text(ReportFormat.percent(m.maximumDrawdown))),
                                       .td(.class("num"), .text(ReportFormat.percent(m.cumulativeReturn))),
                                       .td(.class("num"), .text(ReportFormat.percent(m.annualTurnover, places: 0))),
                                       .td(.class("num"), .text(ReportFormat.percent(m.totalCost))))
                        })
                    )
                ),
                .footer(.p(.text("Generated by Folio. Out-of-sample returns: the weights fitted on each train window held fixed over the "
                                 + "next test window (skfolio's cross_val_predict convention); one historical path, which proves no future "
                                 + "performance (see Documentation/WalkForward.md).")))
            )
        )
        return document.render(indentedBy: .spaces(1)) + "\n"
    }
}

extension SVGChart {
    /// Cumulative compounded return Π(1 + rₜ) − 1 of each path over its observations, one line
    /// per path, with a legend. Returns are fractions per observation.
    ///
    /// - Complexity: O(paths · observations).
    public static func cumulativeReturns(paths: [(label: String, returns: [Double])], width: Double = 720, height: Double = 420) -> String {
        let left = 64.0, right = 20.0, top = 34.0 + 16 * Double((paths.count + 2) / 3), bottom = 40.0
        let curves = paths.map { path -> [Double] in
            var wealth = 1.0
            return [0] + path.returns.map { wealth *= 1 + $0; return wealth - 1 }
        }
        let all = curves.flatMap { $0 }.filter(\.isFinite)
        let yMax = max(all.max() ?? 0.1, 0), yMin = min(all.min() ?? 0, 0)
        let span = max(yMax - yMin, 1e-6) * 1.08
        let length = max(curves.map(\.count).max() ?? 2, 2)
        func px(_ i: Int) -> Double { left + Double(i) / Double(length - 1) * (width - left - right) }
        func py(_ v: Double) -> Double { height - bottom - (v - yMin) / span * (height - top - bottom) }
        var svg = header(width: width, height: height, title: "Cumulative out-of-sample return")
        for (i, path) in paths.enumerated() {
            let x = left + Double(i % 3) * 210, y = 10 + 16 * Double(i / 3)
            svg += rect(x: x, y: y, width: 12, height: 3, fill: palette[(i + 1) % palette.count])
            svg += text(x: x + 16, y: y + 5, path.label, size: 11)
        }
        svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(py(0)))\" x2=\"\(fmt(width - right))\" y2=\"\(fmt(py(0)))\" stroke=\"#57606a\"/>"
        for k in 0...4 {
            let v = yMin + span * Double(k) / 4
            svg += text(x: left - 6, y: py(v) + 3, percent(v), size: 10, anchor: "end")
        }
        svg += text(x: (left + width - right) / 2, y: height - 12, "Out-of-sample observations", size: 12, anchor: "middle")
        for (i, curve) in curves.enumerated() where curve.count > 1 {
            let points = curve.enumerated().map { "\(fmt(px($0.offset))),\(fmt(py($0.element.isFinite ? $0.element : 0)))" }
            svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(palette[(i + 1) % palette.count])\" stroke-width=\"1.5\"/>"
        }
        return svg + "</svg>"
    }
}
