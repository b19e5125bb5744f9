import Foundation
import FolioPlanning
import FolioRebalancing
import Plot

/// A book's segmentation for the advisor and the firm: a text summary, a CSV with each
/// client's segment, JSON, and a self-contained HTML page with the segments drawn on the two
/// principal components.
public struct SegmentationReport: Sendable {
    /// The page title (the book's name).
    public var title: String
    /// The segmentation.
    public var segmentation: BookSegmentation

    /// A report of `segmentation`.
    public init(title: String, segmentation: BookSegmentation) {
        self.title = title
        self.segmentation = segmentation
    }

    /// Words for a review reason, e.g. "far from its segment (3.1 vs 2.2)".
    public static func describe(_ reason: BookSegmentation.ReviewReason) -> String {
        switch reason {
        case .farFromCentre(let distance, let threshold):
            String(format: "far from its segment's centre (%.2f, beyond %.2f)", distance, threshold)
        case .riskCategoryAway(let client, let typical):
            "risk category \(words(client)) while the segment is mostly \(words(typical))"
        case .modelAway(let client, let common):
            "holds model \(client) while most of the segment holds \(common)"
        case .modelUnusualForCategory(let client, let category, let usual):
            "holds model \(client) while most \(words(category)) clients hold \(usual)"
        }
    }

    /// A risk category in words ("moderately conservative").
    public static func words(_ category: RiskCategory) -> String {
        category.rawValue.replacingOccurrences(of: "-", with: " ")
    }

    /// The method in words.
    var methodWords: String {
        switch segmentation.options.method {
        case .kMeans: "k-means"
        case .gaussianMixture: "Gaussian mixture"
        }
    }

    /// The summary for a terminal: how the number of groups was chosen, one line per segment,
    /// and the number of clients to review (the first `reviewLines` of them listed).
    ///
    /// - Complexity: O(clients).
    public func text(reviewLines: Int = 10) -> String {
        let s = segmentation
        var out = "\(title): \(s.assignments.count) clients in \(s.groupCount) segments (\(methodWords), "
            + "\(s.options.scaling.rawValue) scaling, \(s.choice))\n\n"
        if s.candidates.count > 1 {
            var table = TextTable(columns: [.init("Groups", .right), .init("Silhouette", .right), .init(s.options.method == .kMeans ? "Inertia" : "BIC", .right)])
            for c in s.candidates {
                table.append(["\(c.groups)", c.silhouette.map { String(format: "%.3f", $0) } ?? "—",
                              (c.inertia ?? c.bayesianInformationCriterion).map { String(format: "%.1f", $0) } ?? "—"])
            }
            out += table.render() + "\n"
        }
        var table = TextTable(columns: [.init("Segment", .right), .init("Clients", .right), .init("Share", .right),
                                        .init("Typical category"), .init("Common model"), .init("Held by", .right)])
        for p in s.profiles {
            table.append(["\(p.segment)", "\(p.size)", ReportFormat.percent(p.share, places: 1),
                          p.typicalRiskCategory.map(Self.words) ?? "—", p.commonModel ?? "—",
                          p.commonModel == nil ? "" : ReportFormat.percent(p.commonModelShare, places: 0)])
        }
        out += table.render() + "\n"
        for p in s.profiles { out += "Segment \(p.segment): \(p.label)\n" }
        out += "\n"
        out += "\(s.reviews.count) clients to review"
        if s.reviews.isEmpty { return out + ".\n" }
        out += ":\n"
        for review in s.reviews.prefix(reviewLines) {
            out += "  \(TerminalText.escaped(review.clientID)) (segment \(review.segment)): "
                + review.reasons.map(Self.describe).joined(separator: "; ") + "\n"
        }
        if s.reviews.count > reviewLines { out += "  … and \(s.reviews.count - reviewLines) more (see clients.csv)\n" }
        return out
    }

    /// `clients.csv`: one row per client in the book's order: id, segment, distance to the
    /// centre (scaled units), membership probability, the two principal coordinates, and the
    /// review reasons (empty when none).
    ///
    /// - Complexity: O(clients).
    public func csv() -> String {
        let s = segmentation
        var reasons = [String: String]()
        for r in s.reviews { reasons[r.clientID] = r.reasons.map(Self.describe).joined(separator: "; ") }
        return CSVWriter.document(
            header: ["client_id", "segment", "distance", "membership", "pc1", "pc2", "review"],
            rows: s.assignments.enumerated().map { i, a in
                let c = s.coordinates[i]
                return [a.clientID, "\(a.segment)", String(a.distance), String(a.membership),
                        String(c.first ?? 0), String(c.count > 1 ? c[1] : 0), reasons[a.clientID] ?? ""]
            })
    }

    /// `segments.json`: the whole segmentation (options, scores per number of groups,
    /// profiles, assignments, reviews, components), sorted keys.
    ///
    /// - Complexity: O(clients).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(segmentation)
    }

    /// `report.html`: one self-contained page (inline CSS and SVG, no scripts or network).
    ///
    /// - Complexity: O(clients).
    public func html() -> String {
        let s = segmentation
        let chart = SVGChart.segments(coordinates: s.coordinates, segments: s.assignments.map(\.segment),
                                      count: s.groupCount, explained: s.components.explainedVarianceRatio)
        let features = s.featureNames
        let document = HTML(
            .head(.meta(.charset(.utf8)), .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                  .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'none'\">"),
                  .raw("<title>\(SVGChart.escape(title)) — segments</title>"), .style(PlanReport.css)),
            .body(
                .header(.h1(.text(title)),
                        .p(.text("\(s.assignments.count) clients in \(s.groupCount) segments by \(methodWords) on \(features.count) features "
                                 + "(\(s.options.scaling.rawValue) scaling; number of segments by \(s.choice)"
                                 + (s.silhouette.map { String(format: ", silhouette %.3f", $0) } ?? "") + ")."))),
                .section(.h2("Segments on the two main directions"), .div(.class("chart"), .raw(chart))),
                .section(.h2("Segment profiles"),
                    .div(.class("scroll"), .table(
                        .caption("Feature means per segment, in the file's units"),
                        .thead(.tr(.th(.attribute(named: "scope", value: "col"), "Segment"),
                                   .th(.attribute(named: "scope", value: "col"), "Clients"),
                                   .th(.attribute(named: "scope", value: "col"), "Typical category"),
                                   .th(.attribute(named: "scope", value: "col"), "Common model"),
                                   .forEach(features) { .th(.class("num"), .attribute(named: "scope", value: "col"), .text($0)) })),
                        .tbody(.forEach(s.profiles) { p in
                            .tr(.th(.attribute(named: "scope", value: "row"), .text("\(p.segment): \(p.label)")),
                                .td(.class("num"), .text("\(p.size) (\(ReportFormat.percent(p.share, places: 1)))")),
                                .td(.text(p.typicalRiskCategory.map(Self.words) ?? "—")),
                                .td(.text(p.commonModel.map { "\($0) (\(ReportFormat.percent(p.commonModelShare, places: 0)))" } ?? "—")),
                                .forEach(p.featureMeans) { .td(.class("num"), .text(Self.number($0))) })
                        })))),
                .section(.h2("Clients to review (\(s.reviews.count))"),
                    .div(.class("scroll"), .table(
                        .caption("Clients far from their segment or unlike it in risk category or model"),
                        .thead(.tr(.th(.attribute(named: "scope", value: "col"), "Client"),
                                   .th(.attribute(named: "scope", value: "col"), "Segment"),
                                   .th(.attribute(named: "scope", value: "col"), "Why"))),
                        .tbody(.forEach(s.reviews.prefix(500)) { r in
                            .tr(.td(.text(r.clientID)), .td(.class("num"), .text("\(r.segment)")),
                                .td(.text(r.reasons.map(Self.describe).joined(separator: "; "))))
                        }))),
                    .if(s.reviews.count > 500, .p(.text("The first 500 are shown; clients.csv lists all \(s.reviews.count).")))),
                .footer(.p(.text("Generated by Folio. Segments inform an advisor's service and outreach; they do not decide "
                                 + "suitability. Protected characteristics are never used as features (Documentation/Segmentation.md).")))
            )
        )
        return "<!DOCTYPE html>\n" + document.render(indentedBy: .spaces(1)).replacingOccurrences(of: "<!DOCTYPE html>\n", with: "")
            .replacingOccurrences(of: "<html>", with: "<html lang=\"en\">") + "\n"
    }

    /// A feature mean with sensible precision: whole numbers above 1,000, else 3 significant places.
    static func number(_ v: Double) -> String {
        abs(v) >= 1000 ? ReportFormat.plain(Decimal(Int((v).rounded())), places: 0) : String(format: "%.3g", v)
    }
}

extension SVGChart {
    /// The clients as points on two principal components, coloured by segment, with a legend.
    /// Large books are thinned to at most 4,000 points (every k-th client) so the page stays light.
    ///
    /// - Complexity: O(clients).
    public static func segments(coordinates: [[Double]], segments: [Int], count: Int, explained: [Double],
                                width: Double = 720, height: Double = 480) -> String {
        let colours = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bc4c00", "#116329", "#a40e26", "#0550ae", "#6e7781", "#953800"]
        let left = 48.0, right = 16.0, top = 30.0 + 16 * Double((count + 4) / 5), bottom = 40.0
        let xs = coordinates.map { $0.first ?? 0 }, ys = coordinates.map { $0.count > 1 ? $0[1] : 0 }
        let xMin = xs.min() ?? -1, xMax = xs.max() ?? 1, yMin = ys.min() ?? -1, yMax = ys.max() ?? 1
        func px(_ v: Double) -> Double { left + (v - xMin) / max(xMax - xMin, 1e-12) * (width - left - right) }
        func py(_ v: Double) -> Double { height - bottom - (v - yMin) / max(yMax - yMin, 1e-12) * (height - top - bottom) }
        var svg = header(width: width, height: height, title: "Clients on the two main directions, by segment")
            .replacingOccurrences(of: "width=\"\(fmt(width))\" height=\"\(fmt(height))\"", with: "width=\"100%\"")
        for c in 0..<count {
            let x = left + Double(c % 5) * 130, y = 10 + 16 * Double(c / 5)
            svg += rect(x: x, y: y, width: 10, height: 10, fill: colours[c % colours.count])
            svg += text(x: x + 14, y: y + 9, "Segment \(c + 1)", size: 11)
        }
        let step = max(1, coordinates.count / 4000)
        for i in stride(from: 0, to: coordinates.count, by: step) {
            svg += circle(cx: px(xs[i]), cy: py(ys[i]), fill: colours[(segments[i] - 1) % colours.count], radius: 2.2)
        }
        svg += text(x: (left + width - right) / 2, y: height - 10,
                    "First component (\(percent(explained.first ?? 0)) of the variance)", size: 12, anchor: "middle")
        svg += "<text x=\"14\" y=\"\(fmt((top + height - bottom) / 2))\" font-size=\"12\" font-family=\"sans-serif\" text-anchor=\"middle\" fill=\"#24292f\" transform=\"rotate(-90 14 \(fmt((top + height - bottom) / 2)))\">"
            + escape("Second component (\(percent(explained.count > 1 ? explained[1] : 0)))") + "</text>"
        return svg + "</svg>"
    }
}
