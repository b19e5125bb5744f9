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

    @Test func csvListsTrades() throws {
        let result = try FolioProcess.run(FolioProcess.household("retiree") + ["--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "account,symbol,side,quantity,price,value,cost,realized_short_term,realized_long_term,lots,reason")
        #expect(lines.count > 1)
    }

    @Test func outputFolderIsWrittenAndReproducible() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try FolioProcess.run(FolioProcess.household("couple") + ["--output", folder.path, "--format", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["plan.json", "report.html", "trades.csv"])
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
        #expect(result.stderr.contains("/nonexistent/h.csv") && result.stderr.contains("no such file"))
    }

    @Test func helpShowsAnExample() throws {
        let result = try FolioProcess.run(["rebalance", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Example:") && result.stdout.contains("--holdings"))
    }
}
