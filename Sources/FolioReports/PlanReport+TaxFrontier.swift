import Foundation

extension PlanReport {
    /// `report.html` with the household's tax-versus-drift frontier as one more section: the
    /// page of ``html()`` with a "Tax versus drift" section (the inline SVG of
    /// ``SVGChart/taxFrontier(points:width:height:)`` and a table of the points) placed before
    /// the footer, so the page stays one self-contained file (`folio rebalance --tax-sweep`).
    ///
    /// - Parameter showingAccountNumbers: write account numbers in full (as ``html(showingAccountNumbers:)``).
    /// - Parameter points: One point per tax weight: the weight, the tracking error after
    ///   trading (annual, fraction) and the tax realized (currency); empty: the page of
    ///   ``html()`` unchanged.
    /// - Returns: The HTML page.
    /// - Complexity: O(trades + holdings + points).
    public func html(showingAccountNumbers: Bool = false,
                     taxFrontier points: [(taxWeight: Double, trackingError: Double, tax: Double)]) -> String {
        let page = html(showingAccountNumbers: showingAccountNumbers)
        guard !points.isEmpty else { return page }
        var rows = ""
        for p in points {
            rows += "<tr><td class=\"num\">\(SVGChart.escape(String(format: "%.4g", p.taxWeight)))</td>"
                + "<td class=\"num\">\(SVGChart.escape(String(format: "%.2f pts", p.trackingError * 100)))</td>"
                + "<td class=\"num\">\(SVGChart.escape(ReportFormat.money(Decimal(Int(p.tax.rounded())))))</td></tr>\n"
        }
        let section = """
        <section id="tax-frontier">
        <h2>Tax versus drift</h2>
        <p>The optimizer's relaxed optimum at each tax weight: how much tracking error each dollar of tax buys down.</p>
        <div class="chart">\(SVGChart.taxFrontier(points: points))</div>
        <div class="scroll"><table>
        <caption>Tracking error and tax realized at each tax weight</caption>
        <thead><tr><th scope="col" class="num">Tax weight</th><th scope="col" class="num">Tracking error</th><th scope="col" class="num">Tax realized</th></tr></thead>
        <tbody>
        \(rows)</tbody>
        </table></div>
        </section>

        """
        // Before the footer (or the end of the body): one local insertion, whatever the rest
        // of the page looks like.
        for marker in ["<footer", "</body>"] {
            if let range = page.range(of: marker, options: .backwards) {
                return page.replacingCharacters(in: range.lowerBound..<range.lowerBound, with: section)
            }
        }
        return page + section
    }
}
