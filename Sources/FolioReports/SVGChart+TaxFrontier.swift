extension SVGChart {
    /// The tax-versus-drift frontier of one household: tracking error (annual, fraction) on
    /// the x axis against the tax realized (currency) on the y axis, one point per tax weight,
    /// each labeled with its weight, so an advisor can read "spend $2,000 of tax to halve drift".
    ///
    /// - Complexity: O(points).
    public static func taxFrontier(points: [(taxWeight: Double, trackingError: Double, tax: Double)],
                                   width: Double = 720, height: Double = 460) -> String {
        let left = 78.0, right = 20.0, top = 34.0, bottom = 48.0
        let xs = points.map(\.trackingError), ys = points.map(\.tax)
        let xMax = Swift.max((xs.max() ?? 0.01) * 1.08, 1e-6), xMin = 0.0
        let yMax = ys.max() ?? 1, yMin = Swift.min(ys.min() ?? 0, 0)
        let yPad = Swift.max((yMax - yMin) * 0.08, 1)
        func px(_ v: Double) -> Double { left + (v - xMin) / Swift.max(xMax - xMin, 1e-12) * (width - left - right) }
        func py(_ r: Double) -> Double { height - bottom - (r - yMin + yPad) / Swift.max(yMax - yMin + 2 * yPad, 1e-12) * (height - top - bottom) }
        var svg = header(width: width, height: height, title: "Tax versus drift")
        svg += text(x: left, y: 20, "Tax versus drift: one point per tax weight", size: 14)
        svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(height - bottom))\" x2=\"\(fmt(width - right))\" y2=\"\(fmt(height - bottom))\" stroke=\"#57606a\"/>"
        svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top))\" x2=\"\(fmt(left))\" y2=\"\(fmt(height - bottom))\" stroke=\"#57606a\"/>"
        for k in 0...5 {
            let v = xMin + (xMax - xMin) * Double(k) / 5
            svg += text(x: px(v), y: height - bottom + 16, String(format: "%.2f pts", v * 100), size: 10, anchor: "middle")
            let r = yMin - yPad + (yMax - yMin + 2 * yPad) * Double(k) / 5
            svg += text(x: left - 6, y: py(r) + 3, String(format: "$%.0f", r), size: 10, anchor: "end")
        }
        svg += text(x: (left + width - right) / 2, y: height - 10, "Tracking error after trading", size: 12, anchor: "middle")
        svg += "<text x=\"14\" y=\"\(fmt((top + height - bottom) / 2))\" font-size=\"12\" font-family=\"sans-serif\" transform=\"rotate(-90 14 \(fmt((top + height - bottom) / 2)))\" text-anchor=\"middle\">Tax realized</text>"
        if points.count > 1 {
            let line = points.map { "\(fmt(px($0.trackingError))),\(fmt(py($0.tax)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"\(palette[1])\" stroke-width=\"2.5\"/>"
        }
        for (i, p) in points.enumerated() {
            svg += circle(cx: px(p.trackingError), cy: py(p.tax), fill: palette[0], radius: 3.5)
            if i % 4 == 0 || i == points.count - 1 {
                svg += text(x: px(p.trackingError) + 5, y: py(p.tax) - 4, String(format: "%g", p.taxWeight), size: 9)
            }
        }
        return svg + "</svg>"
    }
}
