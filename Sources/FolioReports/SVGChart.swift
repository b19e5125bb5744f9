import Foundation

/// Small, dependency-free SVG charts for self-contained reports: every chart is one `<svg>`
/// element with inline styles, no scripts, no external fonts or images.
public enum SVGChart {
    /// One group of bars: a label and one value per series (fractions, e.g. weights).
    public struct BarGroup: Sendable {
        /// The category label (an asset class or a symbol).
        public var label: String
        /// One value per series, in the order of the chart's series names.
        public var values: [Double]
        /// A group labelled `label` with `values`.
        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }
    }

    /// How a chart places its category labels.
    public enum Layout: Sendable {
        /// Labels in a column left of the plot (desktop and print).
        case wide
        /// Each label on its own line above its bars, the plot the full width (phones).
        case stacked
    }

    /// The palette: every colour has a contrast of at least 3:1 against the white background
    /// (WCAG 2.1, success criterion 1.4.11, non-text contrast) and the first three stay apart in
    /// grey-scale print (grey, blue, green at different lightness).
    static let palette = ["#6e7781", "#0969da", "#1a7f37", "#9a6700", "#cf222e", "#8250df"]

    /// The tolerance band's fill and its outline (the outline carries the 3:1 contrast; the
    /// fill only tints the inside so the dots on it keep theirs).
    static let bandFill = "#dafbe1", bandStroke = "#1a7f37"

    /// Horizontal grouped bars, values shown as percentages, with a legend. Labels that would
    /// not fit are shortened with an ellipsis (the full label stays in a `<title>` tooltip), so
    /// nothing is drawn outside the drawing.
    ///
    /// - Parameters:
    ///   - series: the name of each series (for example "Before", "After", "Target").
    ///   - groups: one group per category.
    ///   - width: the drawing's width in pixels (its `viewBox`; CSS may scale it).
    ///   - layout: labels left of the bars (`.wide`) or above them (`.stacked`, for phones).
    /// - Complexity: O(groups × series + total label length).
    public static func groupedBars(series: [String], groups: [BarGroup], width: Double = 720, layout: Layout = .wide) -> String {
        let barHeight = 12.0, groupGap = 10.0, valueRoom = 48.0
        let maxValue = max(groups.flatMap(\.values).max() ?? 0, 0.01)
        let (legend, legendHeight) = legendRow(series.enumerated().map { (name: $1, mark: swatch(palette[$0 % palette.count])) }, width: width)
        let top = legendHeight + 8
        let labelWidth = layout == .wide ? labelColumn(groups.map(\.label), width: width) : 0
        let labelRow = layout == .wide ? 0.0 : 16.0
        let plotWidth = width - labelWidth - valueRoom
        let groupHeight = labelRow + Double(series.count) * barHeight + groupGap
        let height = top + Double(groups.count) * groupHeight + 4
        var svg = header(width: width, height: height, title: "Allocation by " + series.joined(separator: ", "))
        svg += legend
        for (g, group) in groups.enumerated() {
            let y0 = top + Double(g) * groupHeight + labelRow
            if layout == .wide {
                svg += fittedText(x: labelWidth - 8, y: y0 + Double(series.count) * barHeight / 2 + 4, group.label, size: 12,
                                  room: labelWidth - 12, anchor: "end")
            } else {
                svg += fittedText(x: 0, y: y0 - 4, group.label, size: 12, room: width, weight: "600")
            }
            for (s, value) in group.values.enumerated() {
                let y = y0 + Double(s) * barHeight
                let w = max(0, value) / maxValue * plotWidth
                svg += rect(x: labelWidth, y: y, width: w, height: barHeight - 2, fill: palette[s % palette.count])
                svg += text(x: labelWidth + w + 4, y: y + barHeight - 3, percent(value), size: 10)
            }
        }
        return svg + "</svg>"
    }

    /// Drift against tolerance bands: for each line, a shaded, outlined band `[-band, +band]`
    /// around zero, a ring at the drift before and a dot at the drift after (weight fractions).
    /// The band is `class="band"`, the markers `class="before"` and `class="after"`.
    ///
    /// - Parameters:
    ///   - lines: one row per target line: its label, drift before and after, band half-width.
    ///   - width: the drawing's width in pixels (its `viewBox`; CSS may scale it).
    ///   - layout: labels left of the plot (`.wide`) or above each row (`.stacked`, for phones).
    /// - Complexity: O(lines + total label length).
    public static func drift(lines: [(label: String, before: Double, after: Double, band: Double)], width: Double = 720,
                             layout: Layout = .wide) -> String {
        let rowHeight = 22.0, labelRow = layout == .wide ? 0.0 : 16.0
        let (legend, legendHeight) = legendRow([
            (name: "Before", mark: ring(palette[0])), (name: "After", mark: dot(palette[1])),
            (name: "Tolerance band", mark: "<rect x=\"0\" y=\"-5\" width=\"14\" height=\"10\" fill=\"\(bandFill)\" stroke=\"\(bandStroke)\"/>"),
        ], width: width)
        let top = legendHeight + 8
        let labelWidth = layout == .wide ? labelColumn(lines.map(\.label), width: width) : 0
        let extent = max(lines.flatMap { [abs($0.before), abs($0.after), $0.band] }.max() ?? 0.01, 0.01) * 1.15
        let plotWidth = width - labelWidth - 12
        let zero = labelWidth + plotWidth / 2
        func x(_ v: Double) -> Double { zero + v / extent * plotWidth / 2 }
        let rowStep = rowHeight + labelRow
        let height = top + Double(lines.count) * rowStep + 24
        var svg = header(width: width, height: height, title: "Drift from target against tolerance bands")
        svg += legend
        for (i, line) in lines.enumerated() {
            let y = top + Double(i) * rowStep + labelRow
            if layout == .wide {
                svg += fittedText(x: labelWidth - 8, y: y + 15, line.label, size: 12, room: labelWidth - 12, anchor: "end")
            } else {
                svg += fittedText(x: 0, y: y - 3, line.label, size: 12, room: width, weight: "600")
            }
            svg += "<rect class=\"band\" x=\"\(fmt(x(-line.band)))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(max(x(line.band) - x(-line.band), 0)))\" height=\"\(fmt(rowHeight - 6))\" fill=\"\(bandFill)\" stroke=\"\(bandStroke)\" stroke-width=\"1\"/>"
            // The zero line, row by row, so it never crosses a label above the row.
            svg += "<line x1=\"\(fmt(zero))\" y1=\"\(fmt(y))\" x2=\"\(fmt(zero))\" y2=\"\(fmt(y + rowHeight))\" stroke=\"#57606a\" stroke-width=\"1\"/>"
            svg += "<circle class=\"before\" cx=\"\(fmt(x(line.before)))\" cy=\"\(fmt(y + rowHeight / 2))\" r=\"5\" fill=\"#ffffff\" stroke=\"\(palette[0])\" stroke-width=\"2\"/>"
            svg += "<circle class=\"after\" cx=\"\(fmt(x(line.after)))\" cy=\"\(fmt(y + rowHeight / 2))\" r=\"4.5\" fill=\"\(palette[1])\"/>"
        }
        svg += text(x: x(-extent * 0.8), y: height - 6, percent(-extent * 0.8, signed: true), size: 10, anchor: "middle")
        svg += text(x: zero, y: height - 6, "0", size: 10, anchor: "middle")
        svg += text(x: x(extent * 0.8), y: height - 6, percent(extent * 0.8, signed: true), size: 10, anchor: "middle")
        return svg + "</svg>"
    }

    // MARK: Labels that fit

    /// A conservative estimate of the width of `text` in a sans-serif font of `size` pixels:
    /// generous for capitals and wide letters, one em for anything outside ASCII (CJK, emoji),
    /// so a label measured to fit does fit.
    ///
    /// - Complexity: O(characters).
    static func estimatedWidth(_ text: String, size: Double) -> Double {
        text.reduce(0.0) { sum, c in
            let em: Double
            if !c.isASCII { em = 1.0 } else if "iljtf.,:;'|!() ".contains(c) { em = 0.36 } else if "mwMW@%".contains(c) { em = 0.95 } else if c.isUppercase || c.isNumber { em = 0.72 } else { em = 0.6 }
            return sum + em * size
        }
    }

    /// `text`, shortened with "…" to fit `room` pixels at `size`.
    static func fitted(_ text: String, size: Double, room: Double) -> String {
        if estimatedWidth(text, size: size) <= room { return text }
        var kept = ""
        for c in text {
            if estimatedWidth(kept + String(c) + "…", size: size) > room { break }
            kept.append(c)
        }
        return kept + "…"
    }

    /// The width of the label column: the widest label plus a margin, at most 40% of the drawing.
    static func labelColumn(_ labels: [String], width: Double) -> Double {
        let widest = labels.map { estimatedWidth($0, size: 12) }.max() ?? 0
        return min(max(widest + 16, 80), width * 0.4)
    }

    /// A label shortened to fit `room`; a shortened one carries its full text as a tooltip.
    static func fittedText(x: Double, y: Double, _ content: String, size: Int, room: Double, anchor: String = "start",
                           weight: String? = nil) -> String {
        let shown = fitted(content, size: Double(size), room: room)
        let tooltip = shown == content ? "" : "<title>\(escape(content))</title>"
        let bold = weight.map { " font-weight=\"\($0)\"" } ?? ""
        return "<text x=\"\(fmt(x))\" y=\"\(fmt(y))\" font-size=\"\(size)\" font-family=\"sans-serif\" text-anchor=\"\(anchor)\"\(bold) fill=\"#24292f\">\(tooltip)\(escape(shown))</text>"
    }

    /// A legend: marks and names placed left to right, wrapping onto a new row when the next
    /// item would pass the drawing's right edge. Returns the SVG and the rows' height.
    static func legendRow(_ items: [(name: String, mark: String)], width: Double) -> (svg: String, height: Double) {
        var svg = "", x = 0.0, y = 14.0
        for item in items {
            let itemWidth = 20 + estimatedWidth(item.name, size: 12) + 16
            if x > 0 && x + itemWidth > width { x = 0; y += 20 }
            svg += "<g transform=\"translate(\(fmt(x)) \(fmt(y)))\">\(item.mark)" + text(x: 20, y: 4, fitted(item.name, size: 12, room: width - 20), size: 12) + "</g>"
            x += itemWidth
        }
        return (svg, y + 8)
    }

    static func swatch(_ fill: String) -> String { "<rect x=\"0\" y=\"-6\" width=\"12\" height=\"12\" fill=\"\(fill)\"/>" }
    static func ring(_ stroke: String) -> String { "<circle cx=\"7\" cy=\"0\" r=\"5\" fill=\"#ffffff\" stroke=\"\(stroke)\" stroke-width=\"2\"/>" }
    static func dot(_ fill: String) -> String { "<circle cx=\"7\" cy=\"0\" r=\"4.5\" fill=\"\(fill)\"/>" }

    /// The efficient frontier: a curve of (volatility, return) points, the individual assets
    /// as dots, and the tangency portfolio highlighted. All values are annual fractions.
    ///
    /// - Complexity: O(points + assets).
    public static func frontier(curve: [(volatility: Double, expectedReturn: Double)],
                                assets: [(label: String, volatility: Double, expectedReturn: Double)],
                                tangency: (volatility: Double, expectedReturn: Double)?,
                                width: Double = 720, height: Double = 460) -> String {
        let left = 64.0, right = 20.0, top = 34.0, bottom = 48.0
        let vols = curve.map(\.volatility) + assets.map(\.volatility)
        let rets = curve.map(\.expectedReturn) + assets.map(\.expectedReturn)
        let xMax = (vols.max() ?? 0.3) * 1.08, xMin = 0.0
        let yMax = (rets.max() ?? 0.1), yMin = min(rets.min() ?? 0, 0)
        let yPad = max((yMax - yMin) * 0.08, 0.005)
        func px(_ v: Double) -> Double { left + (v - xMin) / max(xMax - xMin, 1e-12) * (width - left - right) }
        func py(_ r: Double) -> Double { height - bottom - (r - yMin + yPad) / max(yMax - yMin + 2 * yPad, 1e-12) * (height - top - bottom) }
        var svg = header(width: width, height: height, title: "Efficient frontier")
        svg += text(x: left, y: 20, "Efficient frontier (annualized)", size: 14)
        // axes and ticks
        svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(height - bottom))\" x2=\"\(fmt(width - right))\" y2=\"\(fmt(height - bottom))\" stroke=\"#57606a\"/>"
        svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top))\" x2=\"\(fmt(left))\" y2=\"\(fmt(height - bottom))\" stroke=\"#57606a\"/>"
        for k in 0...5 {
            let v = xMin + (xMax - xMin) * Double(k) / 5
            svg += text(x: px(v), y: height - bottom + 16, percent(v), size: 10, anchor: "middle")
            let r = yMin - yPad + (yMax - yMin + 2 * yPad) * Double(k) / 5
            svg += text(x: left - 6, y: py(r) + 3, percent(r), size: 10, anchor: "end")
        }
        svg += text(x: (left + width - right) / 2, y: height - 10, "Volatility", size: 12, anchor: "middle")
        svg += "<text x=\"14\" y=\"\(fmt((top + height - bottom) / 2))\" font-size=\"12\" font-family=\"sans-serif\" transform=\"rotate(-90 14 \(fmt((top + height - bottom) / 2)))\" text-anchor=\"middle\">Expected return</text>"
        if curve.count > 1 {
            let points = curve.map { "\(fmt(px($0.volatility))),\(fmt(py($0.expectedReturn)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(palette[1])\" stroke-width=\"2.5\"/>"
        }
        for asset in assets {
            svg += circle(cx: px(asset.volatility), cy: py(asset.expectedReturn), fill: palette[0], radius: 3.5)
            svg += text(x: px(asset.volatility) + 5, y: py(asset.expectedReturn) - 4, asset.label, size: 9)
        }
        if let t = tangency {
            svg += circle(cx: px(t.volatility), cy: py(t.expectedReturn), fill: palette[4], radius: 6)
            svg += text(x: px(t.volatility) + 9, y: py(t.expectedReturn) + 4, "Tangency (max Sharpe)", size: 11)
        }
        return svg + "</svg>"
    }

    // MARK: Primitives

    static func header(width: Double, height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" role=\"img\" aria-label=\"\(escape(title))\"><title>\(escape(title))</title>"
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, fill: String) -> String {
        "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(max(width, 0)))\" height=\"\(fmt(max(height, 0)))\" fill=\"\(fill)\"/>"
    }

    static func circle(cx: Double, cy: Double, fill: String, radius: Double = 5) -> String {
        "<circle cx=\"\(fmt(cx))\" cy=\"\(fmt(cy))\" r=\"\(fmt(radius))\" fill=\"\(fill)\"/>"
    }

    static func text(x: Double, y: Double, _ content: String, size: Int, anchor: String = "start") -> String {
        "<text x=\"\(fmt(x))\" y=\"\(fmt(y))\" font-size=\"\(size)\" font-family=\"sans-serif\" text-anchor=\"\(anchor)\" fill=\"#24292f\">\(escape(content))</text>"
    }

    /// Escapes text for XML and HTML content and attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func fmt(_ v: Double) -> String { v.isFinite ? String(format: "%.1f", v) : "0" }

    static func percent(_ v: Double, signed: Bool = false) -> String {
        String(format: signed ? "%+.1f%%" : "%.1f%%", v * 100)
    }
}
