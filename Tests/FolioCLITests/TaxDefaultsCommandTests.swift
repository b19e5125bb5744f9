import Foundation
import Testing

/// `folio rebalance` and `folio batch` on a custodian export with no policy: tax-minimizing
/// lots, and the tax reported as not estimated (never $0.00) until a client profile
/// (`--profile`) gives the rates.
@Suite(.serialized) struct TaxDefaultsCommandTests {
    /// One joint account: 300 VTI at $300 in three lots (LT +22,500, LT +1,000, ST +2,000)
    /// and $30,000 cash. Target 10% VTI: 260 shares are sold, realizing LT +23,500 and
    /// ST +1,200 (tax-minimizing: VTI-2, VTI-1, then 60 of VTI-3).
    static let files = [
        "holdings.csv": """
        "Positions for account Joint ...1234 as of 12/31/2025"

        Account,Account Type,Symbol,Shares,Last Price,Cost Basis,Acquired
        J-1234,Joint,VTI,100,300.00,"7,500.00",03/02/2015
        J-1234,Joint,VTI,100,300.00,"29,000.00",06/01/2023
        J-1234,Joint,VTI,100,300.00,"28,000.00",06/02/2025
        J-1234,Joint,CASH,"30,000.00",1.00,--,--
        """,
        "targets.yaml": "targets:\n  VTI: 0.1\n  BND: 0.9\n",
    ]
    static let prices = "date,VTI,BND\n2025-12-31,300.00,75.00\n"
    static let profile = """
    client: {name: Test Client, birth_year: 1970}
    tax_rates: {short_term_gains: 0.35, long_term_gains: 0.15}
    """

    /// A book folder with one household (`j1234/`), plus prices.csv and profile.yaml beside it.
    static func book() throws -> URL {
        let root = FolioProcess.temporaryDirectory()
        let household = root.appendingPathComponent("book/j1234")
        try FileManager.default.createDirectory(at: household, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: household.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        try prices.write(to: root.appendingPathComponent("prices.csv"), atomically: true, encoding: .utf8)
        try profile.write(to: root.appendingPathComponent("profile.yaml"), atomically: true, encoding: .utf8)
        return root
    }

    static func rebalance(_ root: URL, _ extra: [String]) throws -> FolioProcess.Result {
        let household = root.appendingPathComponent("book/j1234")
        let result = try FolioProcess.run(["rebalance", "--holdings", household.appendingPathComponent("holdings.csv").path,
                                           "--targets", household.appendingPathComponent("targets.yaml").path,
                                           "--prices", root.appendingPathComponent("prices.csv").path, "--date-format", "MM/DD/YYYY"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return result
    }

    /// The value of the HTML card labelled `label`.
    static func card(_ label: String, in html: String) -> String? {
        guard let range = html.range(of: #"\#(label)</span>\s*<span class="value">([^<]*)<"#, options: .regularExpression) else { return nil }
        let match = String(html[range])
        return match.components(separatedBy: "class=\"value\">").last.map { String($0.dropLast()) }
    }

    @Test func withoutRatesTableJSONAndHTMLSayNotEstimated() throws {
        let root = try Self.book()
        defer { try? FileManager.default.removeItem(at: root) }
        // Table: the gains are shown, the tax is not estimated.
        let table = try Self.rebalance(root, [])
        let taxLine = try #require(table.stdout.split(separator: "\n").first { $0.contains("Estimated tax") })
        #expect(taxLine.contains("not estimated (no rates)") && !taxLine.contains("$"), "\(taxLine)")
        #expect(table.stdout.contains("$23,500.00") && table.stdout.contains("$1,200.00"))
        #expect(table.stdout.contains("tax not estimated"))
        // Tax-minimizing lots: VTI-2 and VTI-1 first, not FIFO's VTI-1, VTI-2, VTI-3 order.
        let csv = try Self.rebalance(root, ["--format", "csv"])
        #expect(csv.stdout.contains("VTI-2:100;VTI-1:100;VTI-3:60"), "\(csv.stdout)")
        // JSON: null plus the words.
        let output = root.appendingPathComponent("out")
        let json = try Self.rebalance(root, ["--format", "json", "--output", output.path])
        let document = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect(document["estimatedTax"] is NSNull)
        #expect(document["taxEstimate"] as? String == "not estimated (no rates)")
        #expect(json.stdout.contains("\"estimatedTax\" : null"))
        // HTML: the card and both rows of the tax table say it; no tax of $0.00 anywhere.
        let html = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(Self.card("Estimated tax", in: html) == "not estimated (no rates)")
        #expect(html.components(separatedBy: "not estimated (no rates)").count - 1 == 3)
    }

    @Test func withAProfileTheTaxIsTheProfilesRatesOnTheGains() throws {
        let root = try Self.book()
        defer { try? FileManager.default.removeItem(at: root) }
        let profile = ["--profile", root.appendingPathComponent("profile.yaml").path]
        // 23,500 × 15% + 1,200 × 35% = 3,525 + 420 = 3,945.
        let table = try Self.rebalance(root, profile)
        let taxLine = try #require(table.stdout.split(separator: "\n").first { $0.contains("Estimated tax") })
        #expect(taxLine.contains("$3,945.00"), "\(taxLine)")
        #expect(table.stdout.contains("from the client profile"))
        let json = try Self.rebalance(root, profile + ["--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect((document["estimatedTax"] as? NSNumber)?.doubleValue == 3_945)
        #expect(document["taxEstimate"] as? String == "estimated")
        // A profile whose rate is out of range is a data error naming its line.
        try "client: {name: X, birth_year: 1970}\ntax_rates: {long_term_gains: 2}\n"
            .write(to: root.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let household = root.appendingPathComponent("book/j1234")
        let bad = try FolioProcess.run(["rebalance", "--holdings", household.appendingPathComponent("holdings.csv").path,
                                        "--targets", household.appendingPathComponent("targets.yaml").path,
                                        "--prices", root.appendingPathComponent("prices.csv").path, "--date-format", "MM/DD/YYYY",
                                        "--profile", root.appendingPathComponent("bad.yaml").path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.yaml:2:"), "\(bad.stderr)")
    }

    @Test func batchSummaryLeavesTheTaxEmptyWithoutRatesAndRoundTrips() throws {
        let root = try Self.book()
        defer { try? FileManager.default.removeItem(at: root) }
        func batch(_ output: String, _ extra: [String]) throws -> [String: String] {
            let result = try FolioProcess.run(["batch", "--holdings", root.appendingPathComponent("book").path,
                                               "--prices", root.appendingPathComponent("prices.csv").path,
                                               "--output", root.appendingPathComponent(output).path, "--jobs", "1",
                                               "--date-format", "MM/DD/YYYY"] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = try String(contentsOf: root.appendingPathComponent("\(output)/summary.csv"), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            return Dictionary(uniqueKeysWithValues: zip(lines[0], lines[1]))
        }
        let first = try batch("none", [])
        #expect(first["status"] == "ok" && first["realized_long_term"] == "23500.00")
        #expect(first["estimated_tax"] == "")
        // Run again: the plan is kept and its summary row is read back from plan JSON (null tax).
        let again = try batch("none", [])
        #expect(again["status"] == "reused")
        #expect(again.filter { $0.key != "status" } == first.filter { $0.key != "status" })
        let profiled = try batch("profiled", ["--profile", root.appendingPathComponent("profile.yaml").path])
        #expect(profiled["estimated_tax"] == "3945.00")
        let reused = try batch("profiled", ["--profile", root.appendingPathComponent("profile.yaml").path])
        #expect(reused["status"] == "reused" && reused["estimated_tax"] == "3945.00")
    }
}
