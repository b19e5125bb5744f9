import Foundation
import Testing

@Suite struct ProfileCheckCommandTests {
    static func household(_ name: String, _ file: String) -> String {
        FolioProcess.data.appendingPathComponent("households/\(name)/\(file)").path
    }

    static func json(_ arguments: [String]) throws -> (status: Int32, json: [String: Any], stderr: String) {
        let result = try FolioProcess.run(arguments + ["--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], "\(result.stderr)")
        return (result.status, object, result.stderr)
    }

    @Test func profileShowsBreakdownFlagsAndCap() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Bold, no experience, money needed within three years, still saving.
        let answers = folder.appendingPathComponent("answers.yaml")
        try """
            answers:
              reaction-to-decline: d
              range-of-outcomes: e
              describe-yourself: e
              coin-flip: c
              checking-habit: d
              investing-experience: a
              time-until-withdrawals: a
              income-security: d
              emergency-savings: d
              annual-withdrawal-rate: d
            """.write(to: answers, atomically: true, encoding: .utf8)
        let (status, json, stderr) = try Self.json(["profile", "--answers", answers.path])
        #expect(status == 0, "\(stderr)")
        let breakdown = try #require(json["breakdown"] as? [[String: Any]])
        #expect(breakdown.count == 10)
        let willingness = breakdown.filter { $0["dimension"] as? String == "willingness" }.reduce(0.0) { $0 + ($1["contribution"] as! Double) }
        #expect(abs(willingness - (json["willingness"] as! Double)) < 1e-9)
        #expect(breakdown.allSatisfy { ($0["points"] as! Double) <= ($0["maximumPoints"] as! Double) && $0["question"] is String && $0["answer"] is String })
        let flags = try #require(json["flags"] as? [[String: Any]])
        let rules = Set(flags.compactMap { $0["rule"] as? String })
        #expect(rules.isSuperset(of: ["no-experience-highest-risk", "withdrawals-soon-none-planned"]), "\(rules)")
        #expect(flags.allSatisfy { !($0["questions"] as! [String]).isEmpty && !($0["message"] as! String).isEmpty })
        let cap = try #require(json["horizonCap"] as? [String: Any])
        #expect(cap["applied"] as? Bool == true && cap["cap"] as? String == "moderately-conservative")
        #expect(json["category"] as? String != "moderately-conservative")
        #expect(json["finalCategory"] as? String == "moderately-conservative")
        #expect((json["model"] as? [String: Any])?["category"] as? String == "moderately-conservative")
        // The table says the same in words.
        let table = try FolioProcess.run(["profile", "--answers", answers.path])
        #expect(table.stdout.contains("capped at moderately conservative") && table.stdout.contains("Flags (")
                && table.stdout.contains("investing-experience") && table.stdout.contains("Adds"))
    }

    @Test func writtenTargetsRebalanceAndFit() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let targets = folder.appendingPathComponent("sub/targets.yaml")
        let answers = Self.household("couple", "answers.yaml")
        let profile = try FolioProcess.run(["profile", "--answers", answers, "--write-targets", targets.path])
        #expect(profile.status == 0, "\(profile.stderr)")
        let text = try String(contentsOf: targets, encoding: .utf8)
        #expect(text.contains("asset_classes:") && text.contains("moderately-aggressive"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: targets.deletingLastPathComponent().path) == ["targets.yaml"])
        // folio rebalance reads it and plans with it.
        let plan = try FolioProcess.run(["rebalance", "--holdings", Self.household("couple", "holdings.csv"), "--targets", targets.path,
                                         "--prices", FolioProcess.data.appendingPathComponent("prices.csv").path, "--format", "json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        // And it fits the client's category, by answers and by name; not the conservative one.
        let fits = try Self.json(["check", "--targets", targets.path, "--answers", answers])
        #expect(fits.status == 0 && fits.json["fits"] as? Bool == true && (fits.json["breaches"] as? [Any])?.isEmpty == true)
        #expect(fits.json["category"] as? String == "moderately-aggressive")
        let unfit = try Self.json(["check", "--targets", targets.path, "--category", "conservative"])
        #expect(unfit.status == 3)
        #expect(unfit.json["fits"] as? Bool == false)
        let breaches = try #require(unfit.json["breaches"] as? [[String: Any]])
        #expect(breaches.contains { $0["kind"] as? String == "equityAboveLimit" })
        for b in breaches {
            let value = b["value"] as! Double, limit = b["limit"] as! Double, excess = b["excess"] as! Double
            #expect(abs(value - limit - excess) < 1e-12)
        }
        let table = try FolioProcess.run(["check", "--targets", targets.path, "--category", "Conservative"])
        #expect(table.status == 3 && table.stdout.contains("does NOT fit the conservative category") && table.stdout.contains("above the conservative limit"))
    }

    @Test func checkNamesUnknownClassesAndSymbolsByLine() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let byClass = folder.appendingPathComponent("classes.yaml")
        try "asset_classes:\n  us-large-cap: {weight: 0.5, primary: FUSLC}\n  \"<b>crypto</b>\": {weight: 0.5, primary: COIN}\n"
            .write(to: byClass, atomically: true, encoding: .utf8)
        let result = try FolioProcess.run(["check", "--targets", byClass.path, "--category", "moderate"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("classes.yaml:3:") && result.stderr.contains("<b>crypto</b>"), "\(result.stderr)")
        let bySymbol = folder.appendingPathComponent("symbols.yaml")
        try "targets:\n  FUSLC: 0.4\n  fagGB: 0.3\n  NOPE: 0.3\n".write(to: bySymbol, atomically: true, encoding: .utf8)
        let symbols = try FolioProcess.run(["check", "--targets", bySymbol.path, "--category", "moderate"])
        #expect(symbols.status == 1 && symbols.stderr.contains("symbols.yaml:4:") && symbols.stderr.contains("NOPE"), "\(symbols.stderr)")
        // Usage errors: no category, both, an unknown one.
        #expect(try FolioProcess.run(["check", "--targets", bySymbol.path]).status == 2)
        #expect(try FolioProcess.run(["check", "--targets", bySymbol.path, "--category", "bold"]).status == 2)
        #expect(try FolioProcess.run(["check", "--targets", bySymbol.path, "--category", "moderate", "--answers", Self.household("couple", "answers.yaml")]).status == 2)
    }

    @Test func segmentFromHouseholds() throws {
        let out = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let folder = FolioProcess.data.appendingPathComponent("households").path
        let prices = FolioProcess.data.appendingPathComponent("prices.csv").path
        let (status, json, stderr) = try Self.json(["segment", "--households", folder, "--prices", prices, "--groups", "2", "--output", out.path])
        #expect(status == 0, "\(stderr)")
        #expect(json["featureNames"] as? [String] == ["total_value", "equity_share", "cash_share", "largest_position_share", "hhi",
                                                      "position_count", "account_count", "taxable_share", "unrealized_gain_share"])
        let rows = try SegmentCommandTests.readCSV(out.appendingPathComponent("clients.csv"))
        #expect(Set(rows.dropFirst().map { $0[0] }) == ["couple", "retiree", "young-accumulator"])
        #expect(try FolioProcess.run(["segment", "--prices", prices, "--clients", SegmentCommandTests.book]).status == 2)
    }
}
