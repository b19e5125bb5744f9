import Foundation
import Testing

/// Issue 20, "The HTML report": what `report.html` says (title, masked accounts, skipped
/// trades, notes apart from warnings, grouped asset classes) and its accessibility markup,
/// each checked end to end through `folio rebalance --output`.
@Suite struct ReportContentTests {
    /// Runs `folio` with `arguments` plus `--output` into a fresh folder and returns the
    /// report and the plan's JSON.
    static func report(_ arguments: [String]) throws -> (html: String, plan: [String: Any]) {
        let output = FolioProcess.temporaryDirectory().appendingPathComponent("out")
        let result = try FolioProcess.run(arguments + ["--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
        let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("plan.json"))) as? [String: Any]
        return (html, plan ?? [:])
    }

    /// The text of the first element `tag` (no attributes inside), or nil.
    static func element(_ tag: String, in html: String) -> String? {
        guard let start = html.range(of: "<\(tag)>"), let end = html.range(of: "</\(tag)>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.upperBound..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The section that starts with heading `heading` (up to the next `<section` or `<footer`).
    static func section(_ heading: String, in html: String) -> String? {
        guard let start = html.range(of: "<h2>\(heading)</h2>") else { return nil }
        let rest = html[start.upperBound...]
        let end = [rest.range(of: "<section")?.lowerBound, rest.range(of: "<footer")?.lowerBound].compactMap { $0 }.min() ?? rest.endIndex
        return String(rest[..<end])
    }

    /// A scratch household: two accounts whose numbers end alike, one holding, optional
    /// target name and profile.
    static func scratch(targetName: String?, profile: String? = nil, accounts: (String, String) = ("AAA-1234", "BBB-1234")) throws -> [String] {
        let root = FolioProcess.temporaryDirectory().appendingPathComponent("the-folder-name")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let quoted = { (id: String) in "\"" + id.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        try """
            Account,Account Type,Symbol,Quantity,Price,Asset Class
            \(quoted(accounts.0)),IRA,AAA,100,$10,us-large-cap
            \(quoted(accounts.0)),IRA,CASH,500,,
            \(quoted(accounts.1)),Roth IRA,BBB,10,$10,us-aggregate-bond
            \(quoted(accounts.1)),Roth IRA,CASH,900,,

            """.write(to: root.appendingPathComponent("holdings.csv"), atomically: true, encoding: .utf8)
        let name = targetName.map { "name: \"\($0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"\n" } ?? ""
        try (name + "targets:\n  AAA: 0.5\n  BBB: 0.5\n").write(to: root.appendingPathComponent("targets.yaml"), atomically: true, encoding: .utf8)
        var arguments = ["rebalance", "--holdings", root.appendingPathComponent("holdings.csv").path,
                         "--targets", root.appendingPathComponent("targets.yaml").path]
        if let profile {
            try profile.write(to: root.appendingPathComponent("profile.yaml"), atomically: true, encoding: .utf8)
            arguments += ["--profile", root.appendingPathComponent("profile.yaml").path]
        }
        return arguments
    }

    // MARK: Title

    @Test func theTitleIsTheHouseholdNameFromTheTargetsFile() throws {
        let (html, plan) = try Self.report(FolioProcess.household("couple"))
        #expect(Self.element("h1", in: html) == "Whitcombe-Ferris household")
        #expect(Self.element("title", in: html) == "Whitcombe-Ferris household — rebalance plan")
        #expect(plan["title"] as? String == "Whitcombe-Ferris household")
        #expect(!html.contains(">couple<") && !html.contains("couple —"), "the folder's name is not the title")
        // Printed pages carry it in their top margin, as a hex-escaped CSS string.
        #expect(html.contains("@top-left{content:\"Whitcombe\\2D Ferris household\""))
        #expect(html.contains("counter(page)") && html.contains("counter(pages)"))
    }

    @Test func theProfilesClientNamesTheReportWhenTheTargetsFileDoesNot() throws {
        let profile = "client:\n  name: Ana Núñez\n  birth_year: 1970\n  spouse:\n    name: Bo Lee\n    birth_year: 1971\ntax_rates:\n  short_term_gains: 0.3\n  long_term_gains: 0.15\n"
        let fromProfile = try Self.report(try Self.scratch(targetName: nil, profile: profile)).html
        #expect(Self.element("h1", in: fromProfile) == "Ana Núñez and Bo Lee")
        // The targets file's name wins over the profile's.
        let fromTargets = try Self.report(try Self.scratch(targetName: "Núñez-Lee family", profile: profile)).html
        #expect(Self.element("h1", in: fromTargets) == "Núñez-Lee family")
        // Neither: a neutral title, never the folder's name.
        let neither = try Self.report(try Self.scratch(targetName: nil)).html
        #expect(Self.element("h1", in: neither) == "Portfolio")
        #expect(!neither.contains("the-folder-name"))
    }

    @Test func aNameThatIsNotTextIsAnErrorAtItsPlace() throws {
        let arguments = try Self.scratch(targetName: nil)
        let targets = URL(fileURLWithPath: arguments[4])
        try "name: [a, b]\ntargets:\n  AAA: 0.5\n  BBB: 0.5\n".write(to: targets, atomically: true, encoding: .utf8)
        let result = try FolioProcess.run(arguments)
        #expect(result.status == 1)
        #expect(result.stderr.contains("targets.yaml") && result.stderr.contains("household or client name"), "\(result.stderr)")
    }

    @Test(arguments: [
        "</style><script>document.title='PWNED'</script>",
        "\"}@top-left{content:\"x\"}</title><img src=x onerror=alert(1)>",
        "=cmd|' /C calc'!A0 \\A \\\\ & &lt; ‮evil",
        "e\u{0301}" + String(repeating: "Ω", count: 150),
    ])
    func everyHostileNameIsEscapedInTheBodyTheTitleAndThePrintHeader(name: String) throws {
        let html = try Self.report(try Self.scratch(targetName: name)).html
        #expect(html.components(separatedBy: "</style>").count == 2, "one style element, never ended by the name")
        #expect(!html.contains("<script") && !html.contains("<img"))
        let escapedName = name.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
        #expect(Self.element("h1", in: html) == escapedName)
        // The CSS string holds only letters, digits, spaces and hex escapes.
        let style = try #require(html.range(of: "@top-left{content:\"")).upperBound
        let css = html[style...].prefix { $0 != "\"" }
        #expect(css.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " " || $0 == "\\") }, "\(css)")
    }

    // MARK: Account numbers

    @Test func accountNumbersAreMaskedEverywhereUnlessAskedFor() throws {
        let (html, plan) = try Self.report(FolioProcess.household("couple"))
        let accounts = (plan["accounts"] as? [[String: Any]] ?? []).compactMap { $0["accountID"] as? String }
        #expect(accounts.count == 3)
        for id in accounts {
            #expect(!html.contains(id), "\(id) in full in the masked report")
            #expect(html.contains("••••" + id.suffix(4)))
        }
        // The notes name the accounts too (asset location): masked there as well.
        let notes = try #require(Self.section("Notes on the inputs", in: html))
        #expect(notes.contains("••••4466 (taxable) holds"))
        let full = try Self.report(FolioProcess.household("couple") + ["--show-account-numbers"]).html
        for id in accounts { #expect(full.contains(id)) }
        #expect(!full.contains("••••"))
    }

    @Test func accountsThatShareTheirLastFourStayApart() throws {
        let html = try Self.report(try Self.scratch(targetName: "x")).html
        #expect(!html.contains("AAA-1234") && !html.contains("BBB-1234"))
        #expect(html.contains("••••A-1234") && html.contains("••••B-1234"))
        // An id that is another's suffix: the short one is shown as is, the long one longer.
        let nested = try Self.report(try Self.scratch(targetName: "x", accounts: ("1234", "91234"))).html
        #expect(nested.contains("••••1234<") && nested.contains("••••91234<"))
    }

    // MARK: Content

    @Test func skippedTradesAreListedWithTheirReasonInWords() throws {
        let (html, plan) = try Self.report(FolioProcess.household("couple"))
        let skipped = plan["skippedTrades"] as? [String] ?? []
        #expect(!skipped.isEmpty, "the couple's plan skips a wash-sale sell")
        let section = try #require(Self.section("Trades not sent", in: html))
        #expect(section.components(separatedBy: "<tr>").count - 2 == skipped.count, "one row per skipped trade, after the header")
        #expect(section.contains("FEMKT") && section.contains("selling them would be a wash sale"))
        for internalName in ["washSale", "insufficientCash", "belowMinimumTradeValue", "taxBudget", "doNotSell"] {
            #expect(!html.contains(internalName))
        }
        #expect(section.contains("<th scope=\"col\">Why not sent</th>"))
    }

    @Test func notesAreApartFromWarnings() throws {
        let html = try Self.report(FolioProcess.household("couple")).html
        let warnings = try #require(Self.section("Warnings", in: html))
        let notes = try #require(Self.section("Notes on the inputs", in: html))
        #expect(!warnings.contains("note:") && !warnings.contains("asset location"))
        #expect(notes.contains("cash line (4.00%)") && notes.contains("asset location"))
        #expect(!notes.contains("note:"))
    }

    @Test func assetClassesAreGroupedEquityFixedIncomeRealAssetsCash() throws {
        let (html, plan) = try Self.report(FolioProcess.household("couple"))
        let section = try #require(Self.section("Allocation by asset class", in: html))
        let table = try #require(section.range(of: "<tbody>").map { String(section[$0.upperBound...]) })
        // Row headers in order, group rows marked.
        let rows = table.components(separatedBy: "<tr").dropFirst().map { row -> (group: Bool, name: String, after: Double) in
            let name = row.range(of: #">[^<>]+</th>"#, options: .regularExpression).map { String(row[$0].dropFirst().dropLast(5)) } ?? ""
            let cells = row.components(separatedBy: "<td class=\"num\">").dropFirst().map { $0.prefix { $0 != "%" && $0 != "<" } }
            return (row.hasPrefix(" class=\"group\""), name, Double(cells.count > 1 ? String(cells[1]) : "") ?? .nan)
        }
        let order = rows.map(\.name)
        #expect(order == ["Equity", "us-large-cap", "us-small-cap", "intl-developed", "emerging-markets", "reits",
                          "Fixed income", "us-aggregate-bond", "tips", "high-yield", "Real assets", "gold", "Cash", "cash"])
        // Each group's row is the sum of its members (recomputed from the printed weights, to rounding).
        var index = 0
        while index < rows.count {
            let members = rows[(index + 1)...].prefix { !$0.group }
            #expect(rows[index].group)
            #expect(abs(rows[index].after - members.reduce(0) { $0 + $1.after }) <= 0.005 * Double(members.count + 1) + 1e-9, "\(rows[index].name)")
            index += members.count + 1
        }
        // And the members' weights are the plan's.
        let classes = plan["assetClasses"] as? [[String: Any]] ?? []
        for row in rows where !row.group {
            let after = try #require(classes.first { $0["assetClass"] as? String == row.name }?["after"] as? Double)
            #expect(abs(after * 100 - row.after) < 0.006)
        }
        // The chart shows the classes in the same order.
        let chart = try #require(section.components(separatedBy: "<div class=\"wide\">").dropFirst().first)
        let labels = chart.components(separatedBy: "text-anchor=\"end\" fill=\"#24292f\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
        #expect(labels == order.filter { !["Equity", "Fixed income", "Real assets", "Cash"].contains($0) })
    }

    // MARK: Accessibility

    /// WCAG 2.1 relative luminance of `#rrggbb`.
    static func luminance(_ hex: String) -> Double {
        let value = Int(hex.dropFirst(), radix: 16) ?? 0
        func channel(_ shift: Int) -> Double {
            let c = Double((value >> shift) & 0xFF) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    /// WCAG 2.1 contrast ratio of two colours.
    static func contrast(_ a: String, _ b: String) -> Double {
        let (la, lb) = (luminance(a), luminance(b))
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    @Test func contrastFormulaMatchesWCAGsExamples() {
        #expect(abs(Self.contrast("#000000", "#ffffff") - 21) < 1e-9)
        #expect(abs(Self.contrast("#777777", "#ffffff") - 4.48) < 0.01)
        #expect(Self.contrast("#9aa5b1", "#ffffff") < 3, "the old 'before' grey was too light")
    }

    @Test func everyChartColourHasAtLeast3To1ContrastAndTheBandIsOutlined() throws {
        let html = try Self.report(FolioProcess.household("couple")).html
        let charts = html.components(separatedBy: "<svg").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }
        #expect(charts.count == 4, "two charts, each wide and narrow")
        var checked = 0
        for chart in charts {
            // Bars and legend swatches (rect fills other than the band) and the markers.
            for match in chart.matches(of: /<(rect|circle)( class="(\w+)")?[^>]*?(fill|stroke)="(#[0-9a-f]{6})"[^>]*>/) {
                let kind = match.output.3.map(String.init)
                for attribute in match.output.0.matches(of: /(fill|stroke)="(#[0-9a-f]{6})"/) {
                    let colour = String(attribute.output.2), role = String(attribute.output.1)
                    if colour == "#ffffff" { continue }                         // the ring's inside
                    if (kind == "band" || colour == "#dafbe1") && role == "fill" { continue }   // the band's tint: its outline carries the contrast
                    #expect(Self.contrast(colour, "#ffffff") >= 3, "\(colour) (\(role)) against the page")
                    checked += 1
                }
            }
            // Markers drawn on the band's tint keep 3:1 against it too.
            for marker in chart.matches(of: /<circle class="(before|after)"[^>]*>/) {
                for attribute in marker.output.0.matches(of: /(fill|stroke)="(#[0-9a-f]{6})"/) where attribute.output.2 != "#ffffff" {
                    #expect(Self.contrast(String(attribute.output.2), "#dafbe1") >= 3)
                }
            }
        }
        #expect(checked > 40)
        #expect(html.contains("class=\"band\"") && html.contains("stroke=\"#1a7f37\""), "the band has an outline")
    }

    @Test func langCaptionsAndScopes() throws {
        let html = try Self.report(FolioProcess.household("couple")).html
        #expect(html.contains("<html lang=\"en\">"))
        #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        let tables = html.components(separatedBy: "<table").dropFirst()
        #expect(tables.count == 4, "allocation, trades, skipped trades, taxes")
        for table in tables {
            let body = table.components(separatedBy: "</table>")[0]
            #expect(body.contains("<caption id=\"caption-"))
            let parts = body.components(separatedBy: "</thead>")
            let cells = { (text: String) in text.matches(of: /<th[ >]/).count }
            let headers = cells(parts[0])
            #expect(headers > 0 && parts[0].components(separatedBy: "<th scope=\"col\"").count - 1 == headers)
            // Body header cells are row headers.
            #expect(cells(parts[1]) == parts[1].components(separatedBy: "<th scope=\"row\"").count - 1)
        }
        // Each scrolling table is a named, focusable region.
        #expect(html.components(separatedBy: "class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"caption-").count - 1 == 4)
        #expect(html.contains("<h2>Disclosures</h2>"))
    }
}
