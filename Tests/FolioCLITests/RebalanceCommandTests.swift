import Foundation
import Testing

@Suite(.serialized) struct RebalanceCommandTests {
    @Test(arguments: ["young-accumulator", "couple", "retiree"])
    func sampleHouseholdsRebalance(household: String) throws {
        let result = try FolioProcess.run(FolioProcess.household(household))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("rebalance as of 2025-12-31"))
        #expect(result.stdout.contains("Estimated tax"))
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }

    @Test func jsonHasTheDocumentedKeys() throws {
        let result = try FolioProcess.run(FolioProcess.household("couple") + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        for key in ["trades", "cashBefore", "cashAfter", "realizedGains", "estimatedTax", "weightsBefore", "weightsAfter", "warnings"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        let trades = try #require(json["trades"] as? [[String: Any]])
        #expect(!trades.isEmpty)
        for key in ["account", "symbol", "side", "quantity", "price", "value"] { #expect(trades[0][key] != nil, "trade lacks \(key)") }
        let gains = try #require(json["realizedGains"] as? [String: Any])
        #expect(gains["shortTerm"] != nil && gains["longTerm"] != nil)
        #expect(json["invariantsHold"] as? Bool == true)
        // sells before buys within each account
        var seenBuy: [String: Bool] = [:]
        for trade in trades {
            let account = trade["account"] as! String
            if trade["side"] as? String == "buy" { seenBuy[account] = true } else { #expect(seenBuy[account] != true) }
        }
    }

    @Test func coupleIsRebalancedAsAHouseholdWithAssetLocation() throws {
        let result = try FolioProcess.run(FolioProcess.household("couple") + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let warnings = try #require(json["warnings"] as? [String])
        #expect(warnings.contains { $0.contains("household rebalance") })
        // No bond bought outside the IRA; the household's classes after are within 5/25 bands of the target.
        let trades = try #require(json["trades"] as? [[String: Any]])
        // The taxable account harvests FAGGB's loss, so the IRA buys the sleeve's alternate FBNDT
        // (buying FAGGB would disallow that loss for good).
        let bonds: Set<String> = ["FAGGB", "FBNDT"]
        #expect(trades.contains { $0["symbol"] as? String == "FBNDT" && $0["side"] as? String == "buy" && $0["account"] as? String == "Z70-228801" })
        #expect(!trades.contains { bonds.contains($0["symbol"] as? String ?? "") && $0["side"] as? String == "buy" && $0["account"] as? String != "Z70-228801" })
        #expect(!trades.contains { $0["symbol"] as? String == "FAGGB" && $0["side"] as? String == "buy" })
        let classes = try #require(json["assetClasses"] as? [[String: Any]])
        for row in classes {
            let target = row["target"] as! Double, after = row["after"] as! Double
            #expect(abs(after - target) <= min(0.05, 0.25 * target) + 1e-12, "\(row)")
        }
        // Byte-identical from process to process (each has its own dictionary order).
        for _ in 0..<4 { #expect(try FolioProcess.run(FolioProcess.household("couple") + ["--format", "json"]).stdoutData == result.stdoutData) }
        // The table shows the household's classes before and after against the target.
        let table = try FolioProcess.run(FolioProcess.household("couple"))
        #expect(table.stdout.contains("Asset class") && table.stdout.contains("us-aggregate-bond"))
        // per-account scope in the policy: each account trades to the whole target instead
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let policy = folder.appendingPathComponent("policy.yaml")
        try "asset_location: {scope: per-account}\n".write(to: policy, atomically: true, encoding: .utf8)
        let perAccount = try FolioProcess.run(FolioProcess.household("couple", policy: false) + ["--policy", policy.path, "--format", "json"])
        #expect(perAccount.status == 0, "\(perAccount.stderr)")
        #expect(perAccount.stdout.contains("per-account") && !perAccount.stdout.contains("household rebalance"))
    }

    @Test func csvListsTrades() throws {
        let result = try FolioProcess.run(FolioProcess.household("retiree") + ["--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        let header: String = "order,account,account_kind,side,symbol,quantity,order_type,limit_price,time_in_force,lot_relief,"
            + "estimated_price,estimated_amount,estimated_cost,taxable_short_term_gain,taxable_long_term_gain,economic_gain,folio_lots,reason"
        #expect(lines.first.map(String.init) == header)
        #expect(lines.count > 1)
    }

    @Test func outputFolderIsWrittenAndReproducible() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try FolioProcess.run(FolioProcess.household("couple") + ["--output", folder.path, "--format", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["lot-relief.csv", "plan.json", "report.html", "trades.csv"])
        let plan = try Data(contentsOf: folder.appendingPathComponent("plan.json"))
        #expect(plan == first.stdoutData)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("Trades"))
        #expect(!html.contains("<script") && !html.contains("src=\"http"))
        let second = try FolioProcess.run(FolioProcess.household("couple") + ["--output", folder.path, "--format", "json"])
        #expect(second.stdoutData == first.stdoutData)
        #expect(try Data(contentsOf: folder.appendingPathComponent("report.html")) == Data(html.utf8))
    }

    @Test func malformedHoldingsFailWithFileLineColumnAndWriteNothing() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let holdings = folder.appendingPathComponent("holdings.csv")
        try "Account,Symbol,Quantity,Price\nA1,VTI,ten,250.00\nA1,BND,5,$7o.00\n".write(to: holdings, atomically: true, encoding: .utf8)
        let targets = folder.appendingPathComponent("targets.yaml")
        try "targets:\n  VTI: 0.6\n  BND: 0.4\n".write(to: targets, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("out")
        let result = try FolioProcess.run(["rebalance", "--holdings", holdings.path, "--targets", targets.path, "--output", output.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("holdings.csv:2:3 (Quantity): found \"ten\""))
        #expect(result.stderr.contains("holdings.csv:3:4 (Price): found \"$7o.00\""))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func usageErrorsExitWithTwo() throws {
        let result = try FolioProcess.run(["rebalance", "--holdings", "x.csv"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--targets"))
        let bad = try FolioProcess.run(FolioProcess.household("couple") + ["--as-of", "31/12/2025"])
        #expect(bad.status == 2)
    }

    @Test func missingFileIsADataError() throws {
        let result = try FolioProcess.run(["rebalance", "--holdings", "/nonexistent/h.csv", "--targets", "/nonexistent/t.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/") && result.stderr.contains("no such file"), "\(result.stderr)")
    }

    @Test func helpShowsAnExample() throws {
        let result = try FolioProcess.run(["rebalance", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Example:") && result.stdout.contains("--holdings"))
    }
}
