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

    /// The palette, chosen to stay distinguishable in grey-scale print.
    static let palette = ["#9aa5b1", "#1f6feb", "#2da44e", "#bf8700", "#cf222e", "#8250df"]

    /// Horizontal grouped bars, values shown as percentages, with a legend.
    ///
    /// - Parameters:
    ///   - series: the name of each series (for example "Before", "After", "Target").
    ///   - groups: one group per category.
    ///   - width: the drawing's width in pixels.
    /// - Complexity: O(groups × series).
    public static func groupedBars(series: [String], groups: [BarGroup], width: Double = 720) -> String {
        let labelWidth = 190.0, barHeight = 12.0, groupGap = 10.0, top = 30.0
        let maxValue = max(groups.flatMap(\.values).max() ?? 0, 0.01)
        let plotWidth = width - labelWidth - 70
        let groupHeight = Double(series.count) * barHeight + groupGap
        let height = top + Double(groups.count) * groupHeight + 10
        var svg = header(width: width, height: height, title: "Allocation by " + series.joined(separator: ", "))
        for (i, name) in series.enumerated() {
            let x = labelWidth + Double(i) * 110
            svg += rect(x: x, y: 8, width: 12, height: 12, fill: palette[i % palette.count])
            svg += text(x: x + 16, y: 18, name, size: 12)
        }
        for (g, group) in groups.enumerated() {
            let y0 = top + Double(g) * groupHeight
            svg += text(x: labelWidth - 8, y: y0 + Double(series.count) * barHeight / 2 + 4, group.label, size: 12, anchor: "end")
            for (s, value) in group.values.enumerated() {
                let y = y0 + Double(s) * barHeight
                let w = max(0, value) / maxValue * plotWidth
                svg += rect(x: labelWidth, y: y, width: w, height: barHeight - 2, fill: palette[s % palette.count])
                svg += text(x: labelWidth + w + 4, y: y + barHeight - 3, percent(value), size: 10)
            }
        }
        return svg + "</svg>"
    }

    /// Drift against tolerance bands: for each line, a shaded band `[-band, +band]` around
    /// zero and a marker at the drift before and after (both in weight fractions).
    ///
    /// - Complexity: O(lines).
    public static func drift(lines: [(label: String, before: Double, after: Double, band: Double)], width: Double = 720) -> String {
        let labelWidth = 190.0, rowHeight = 22.0, top = 30.0
        let extent = max(lines.flatMap { [abs($0.before), abs($0.after), $0.band] }.max() ?? 0.01, 0.01) * 1.15
        let plotWidth = width - labelWidth - 20
        let zero = labelWidth + plotWidth / 2
        func x(_ v: Double) -> Double { zero + v / extent * plotWidth / 2 }
        let height = top + Double(lines.count) * rowHeight + 24
        var svg = header(width: width, height: height, title: "Drift from target against tolerance bands")
        svg += circle(cx: labelWidth + 8, cy: 14, fill: palette[0]) + text(x: labelWidth + 16, y: 18, "Before", size: 12)
        svg += circle(cx: labelWidth + 88, cy: 14, fill: palette[1]) + text(x: labelWidth + 96, y: 18, "After", size: 12)
        svg += text(x: labelWidth + 170, y: 18, "Shaded: band", size: 12)
        for (i, line) in lines.enumerated() {
            let y = top + Double(i) * rowHeight
            svg += text(x: labelWidth - 8, y: y + 14, line.label, size: 12, anchor: "end")
            svg += rect(x: x(-line.band), y: y + 3, width: x(line.band) - x(-line.band), height: rowHeight - 6, fill: "#d8f3dc")
            svg += circle(cx: x(line.before), cy: y + rowHeight / 2, fill: palette[0])
            svg += circle(cx: x(line.after), cy: y + rowHeight / 2, fill: palette[1])
        }
        svg += "<line x1=\"\(fmt(zero))\" y1=\"\(fmt(top))\" x2=\"\(fmt(zero))\" y2=\"\(fmt(height - 20))\" stroke=\"#57606a\" stroke-width=\"1\"/>"
        svg += text(x: x(-extent * 0.9), y: height - 6, percent(-extent * 0.9, signed: true), size: 10, anchor: "middle")
        svg += text(x: zero, y: height - 6, "0", size: 10, anchor: "middle")
        svg += text(x: x(extent * 0.9), y: height - 6, percent(extent * 0.9, signed: true), size: 10, anchor: "middle")
        return svg + "</svg>"
    }

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
