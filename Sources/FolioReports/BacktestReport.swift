import Foundation
import FolioRebalancing
import Plot

/// A comparison of rebalancing policies on one path, rendered: a text table (metrics down,
/// policies across), JSON, CSV (one row per policy) and a self-contained HTML page with the
/// wealth paths and the drift over time as inline SVG.
public struct BacktestReport: Sendable {
    /// The report's title (the household's folder name, for instance).
    public var title: String
    /// The comparison.
    public var comparison: BacktestComparison
    /// Notes about how the files were read and what was assumed.
    public var notes: [String]

    /// Creates a report.
    /// - Parameters:
    ///   - title: The title.
    ///   - comparison: The results.
    ///   - notes: Notes for the reader.
    public init(title: String, comparison: BacktestComparison, notes: [String] = []) {
        self.title = title
        self.comparison = comparison
        self.notes = notes
    }

    /// The metric rows: label and one cell per policy.
    var metricRows: [(String, [String])] {
        let r = comparison.results
        let money = { (f: (BacktestResult) -> Decimal) in r.map { ReportFormat.money(f($0)) } }
        let pct = { (f: (BacktestResult) -> Double) in r.map { ReportFormat.percent(f($0)) } }
        return [
            ("Ending wealth before tax", money(\.endingValue)),
            ("After tax", money(\.endingValueAfterTax)),
            ("After liquidation tax", money(\.endingValueAfterLiquidation)),
            ("Taxes paid (settled years)", money { $0.taxYears.reduce(0) { $0 + $1.tax } }),
            ("Tax owed, last year", money(\.finalYear.tax)),
            ("Liquidation tax", money(\.liquidationTax)),
            ("Realized short-term", money(\.realizedShortTermGain)),
            ("Realized long-term", money(\.realizedLongTermGain)),
            ("Wash-sale loss disallowed", money(\.washSaleLossDisallowed)),
            ("Dividends", money(\.dividends)),
            ("Return before tax (yr)", pct(\.returnBeforeTax)),
            ("Return after tax (yr)", pct(\.returnAfterTax)),
            ("Tax alpha vs \(comparison.baseline) (yr)", r.map { $0.taxAlpha.map { ReportFormat.points($0) } ?? "" }),
            ("Tracking error (yr)", pct(\.trackingError)),
            ("Maximum drift", pct(\.maxDrift)),
            ("Mean drift", pct(\.meanMaxDrift)),
            ("Turnover (yr)", pct(\.turnover)),
            ("Rebalances", r.map { "\($0.rebalances)" }),
            ("Trades", r.map { "\($0.trades)" }),
            ("Costs", money(\.costs)),
        ]
    }

    /// The years of the path with a tax, each with one tax per policy (the last year owed).
    var taxRows: [(String, [String])] {
        let r = comparison.results
        guard let first = r.first else { return [] }
        var rows: [(String, [String])] = first.taxYears.indices.map { i in
            ("\(first.taxYears[i].year)", r.map { ReportFormat.money($0.taxYears[i].tax) })
        }
        rows.append(("\(first.finalYear.year) (owed)", r.map { ReportFormat.money($0.finalYear.tax) }))
        return rows
    }

    /// The comparison as text: a metrics table and a taxes-by-year table, policies across.
    /// - Complexity: O(policies × (metrics + years)).
    public func table() -> String {
        let r = comparison.results
        guard let first = r.first else { return "No policies.\n" }
        var out = "\(title): \(r.count) polic\(r.count == 1 ? "y" : "ies") from \(ReportFormat.date(first.startDate)) to \(ReportFormat.date(first.endDate)) (\(String(format: "%.1f", first.years)) years), starting value \(ReportFormat.money(first.startingValue))\n\n"
        var metrics = TextTable(columns: [.init("Metric")] + r.map { .init($0.policy, .right) })
        for (label, cells) in metricRows { metrics.append([label] + cells) }
        out += metrics.render(maxWidth: 160) + "\n"
        var taxes = TextTable(columns: [.init("Tax by year")] + r.map { .init($0.policy, .right) })
        for (label, cells) in taxRows { taxes.append([label] + cells) }
        out += taxes.render(maxWidth: 160)
        for note in notes { out += "note: \(note)\n" }
        return out
    }

    /// One policy's figures for JSON and CSV.
    struct Row: Encodable {
        var policy: String
        var startDate, endDate: String
        var years: Double
        var startingValue, endingValue, endingValueAfterTax, endingValueAfterLiquidation: Decimal
        var deposits, withdrawals, withdrawalShortfall, dividends: Decimal
        var taxesPaid, taxOwedLastYear, liquidationTax, taxesPaidFromOutside: Decimal
        var realizedShortTermGain, realizedLongTermGain, washSaleLossDisallowed: Decimal
        var returnBeforeTax, returnAfterTax: Double
        var taxAlpha: Double?
        var trackingError, maxDrift, meanDrift, turnover: Double
        var rebalances, trades, plans: Int
        var costs: Decimal
        var taxYears: [TaxYear]
        var path: [PathRow]
    }

    /// One point of a policy's path for JSON.
    struct PathRow: Encodable {
        var date: String
        var value, valueAfterTax, maxDrift: Double
    }

    var rows: [Row] {
        comparison.results.map { r in
            Row(policy: r.policy, startDate: ReportFormat.date(r.startDate), endDate: ReportFormat.date(r.endDate), years: r.years,
                startingValue: r.startingValue, endingValue: r.endingValue, endingValueAfterTax: r.endingValueAfterTax,
                endingValueAfterLiquidation: r.endingValueAfterLiquidation, deposits: r.deposits, withdrawals: r.withdrawals,
                withdrawalShortfall: r.withdrawalShortfall, dividends: r.dividends,
                taxesPaid: r.taxYears.reduce(0) { $0 + $1.tax }, taxOwedLastYear: r.finalYear.tax, liquidationTax: r.liquidationTax,
                taxesPaidFromOutside: r.taxesPaidFromOutside, realizedShortTermGain: r.realizedShortTermGain,
                realizedLongTermGain: r.realizedLongTermGain, washSaleLossDisallowed: r.washSaleLossDisallowed,
                returnBeforeTax: r.returnBeforeTax, returnAfterTax: r.returnAfterTax, taxAlpha: r.taxAlpha,
                trackingError: r.trackingError, maxDrift: r.maxDrift, meanDrift: r.meanMaxDrift, turnover: r.turnover,
                rebalances: r.rebalances, trades: r.trades, plans: r.plans, costs: r.costs, taxYears: r.taxYears + [r.finalYear],
                path: r.path.map { PathRow(date: ReportFormat.date($0.date), value: $0.value, valueAfterTax: $0.valueAfterTax, maxDrift: $0.maxDrift) })
        }
    }

    /// The comparison as JSON (sorted keys): title, baseline, notes and one object per policy
    /// with every metric, its tax years (the last one owed) and its month-end path.
    /// - Throws: `EncodingError` (not expected).
    /// - Complexity: O(policies × path).
    public func json() throws -> Data {
        struct Document: Encodable {
            var title: String
            var baseline: String
            var notes: [String]
            var policies: [Row]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(Document(title: title, baseline: comparison.baseline, notes: notes, policies: rows))
    }

    /// One CSV row per policy with the headline metrics.
    /// - Complexity: O(policies).
    public func csv() -> String {
        let header = ["policy", "ending_value", "after_tax", "after_liquidation", "taxes_paid", "realized_short_term",
                      "realized_long_term", "return_before_tax", "return_after_tax", "tax_alpha", "tracking_error",
                      "max_drift", "turnover", "trades", "costs"]
        let money = { (x: Decimal) in ReportFormat.plain(x, places: 2) }
        let real = { (x: Double) in String(format: "%.6f", x) }
        return CSVWriter.document(header: header, rows: rows.map { r in
            [r.policy, money(r.endingValue), money(r.endingValueAfterTax), money(r.endingValueAfterLiquidation), money(r.taxesPaid),
             money(r.realizedShortTermGain), money(r.realizedLongTermGain), real(r.returnBeforeTax), real(r.returnAfterTax),
             r.taxAlpha.map(real) ?? "", real(r.trackingError), real(r.maxDrift), real(r.turnover), "\(r.trades)", money(r.costs)]
        })
    }

    /// `report.html`: one self-contained page (inline CSS and SVG; no scripts or network) with
    /// the wealth paths before tax, the drift over time, the metrics and the taxes by year.
    /// - Complexity: O(policies × path).
    public func html() -> String {
        let r = comparison.results
        let wealth = SVGChart.paths(title: "Household value", series: r.map { result in
            (result.policy, result.path.map { ($0.date.timeIntervalSince1970, $0.value) })
        }, format: { ReportFormat.money(Decimal(Int($0.rounded()))) })
        let drift = SVGChart.paths(title: "Largest drift from target", series: r.map { result in
            (result.policy, result.path.map { ($0.date.timeIntervalSince1970, $0.maxDrift) })
        }, format: { ReportFormat.percent($0, places: 1) })
        let table = { (rows: [(String, [String])], first: String) -> Node<HTML.BodyContext> in
            .table(
                .thead(.tr(.th(.text(first)), .forEach(r) { .th(.class("num"), .text($0.policy)) })),
                .tbody(.forEach(rows) { row in .tr(.td(.text(row.0)), .forEach(row.1) { .td(.class("num"), .text($0)) }) })
            )
        }
        let span = r.first.map { "\(ReportFormat.date($0.startDate)) to \(ReportFormat.date($0.endDate))" } ?? ""
        let document = HTML(
            .head(.meta(.charset(.utf8)), .title("\(title) — policy backtest"), .style(PlanReport.css)),
            .body(
                .header(.h1(.text(title)), .p(.text("Policy backtest \(span) · \(r.count) policies · tax alpha against \(comparison.baseline)"))),
                .section(.h2("Wealth before tax"), .div(.class("chart"), .raw(wealth))),
                .section(.h2("Drift over time (month ends)"), .div(.class("chart"), .raw(drift))),
                .section(.h2("Metrics"), table(metricRows, "Metric")),
                .section(.h2("Taxes by year"), table(taxRows, "Year")),
                .if(!notes.isEmpty, .section(.h2("Notes"), .ul(.forEach(notes) { .li(.text($0)) }))),
                .section(.h2("What this does not prove"),
                    .p("One price path: another path (or another start date) can rank the policies differently. The prices are what the file holds: securities that did not survive are absent, and synthetic data is not history. Taxes follow the simplified rules of the documentation (Documentation/Backtesting.md)."))
            )
        )
        return document.render()
    }
}

extension SVGChart {
    /// Lines over time, one per series, with a legend and the first and last x labelled as
    /// dates; `format` labels the y axis.
    ///
    /// - Parameters:
    ///   - title: The chart's accessible title.
    ///   - series: Name and points (x seconds since 1970, y) of each line.
    ///   - format: Labels a y value.
    ///   - width: The drawing's width in pixels.
    /// - Complexity: O(points).
    public static func paths(title: String, series: [(name: String, points: [(x: Double, y: Double)])],
                             format: (Double) -> String, width: Double = 720) -> String {
        let height = 300.0, left = 90.0, right = 20.0, top = 34.0, bottom = 30.0
        let all = series.flatMap(\.points)
        let xs = all.map(\.x).filter(\.isFinite), ys = all.map(\.y).filter(\.isFinite)
        let xMin = xs.min() ?? 0, xMax = xs.max() ?? 1, yMin = min(ys.min() ?? 0, 0), yMax = max(ys.max() ?? 1, yMin + 1e-9)
        func px(_ x: Double) -> Double { left + (x - xMin) / max(xMax - xMin, 1e-12) * (width - left - right) }
        func py(_ y: Double) -> Double { height - bottom - (y - yMin) / max(yMax - yMin, 1e-12) * (height - top - bottom) }
        var svg = header(width: width, height: height, title: title)
        for (i, s) in series.enumerated() {
            let x = left + Double(i % 5) * 120, y = 8.0 + Double(i / 5) * 14
            svg += rect(x: x, y: y, width: 12, height: 10, fill: palette[i % palette.count])
            svg += text(x: x + 16, y: y + 9, s.name, size: 11)
        }
        for k in 0...4 {
            let v = yMin + (yMax - yMin) * Double(k) / 4
            svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(py(v)))\" x2=\"\(fmt(width - right))\" y2=\"\(fmt(py(v)))\" stroke=\"#d0d7de\"/>"
            svg += text(x: left - 6, y: py(v) + 4, format(v), size: 10, anchor: "end")
        }
        let day = { (x: Double) in ReportFormat.date(Date(timeIntervalSince1970: x)) }
        svg += text(x: left, y: height - 8, day(xMin), size: 10)
        svg += text(x: width - right, y: height - 8, day(xMax), size: 10, anchor: "end")
        for (i, s) in series.enumerated() where !s.points.isEmpty {
            let points = s.points.filter { $0.x.isFinite && $0.y.isFinite }.map { "\(fmt(px($0.x))),\(fmt(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(palette[i % palette.count])\" stroke-width=\"1.5\" points=\"\(points)\"/>"
        }
        return svg + "</svg>"
    }
}

