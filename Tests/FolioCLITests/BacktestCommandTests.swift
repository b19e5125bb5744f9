import Foundation
import Testing

/// `folio backtest`, every path run end to end through the built binary.
@Suite(.serialized) struct BacktestCommandTests {
    static let folder = FolioProcess.data.appendingPathComponent("backtest")

    /// The bundled backtest household over the bundled prices, two years to keep it quick.
    static func arguments(_ policies: [String] = ["quarterly", "bands-5-25", "never"], end: String = "2017-12-29") -> [String] {
        ["backtest", "--holdings", folder.appendingPathComponent("holdings.csv").path,
         "--targets", folder.appendingPathComponent("targets.yaml").path,
         "--base-policy", folder.appendingPathComponent("policy.yaml").path,
         "--securities", FolioProcess.data.appendingPathComponent("securities.csv").path,
         "--prices", FolioProcess.data.appendingPathComponent("prices.csv").path, "--end", end,
         "--cash-flow", "Z88-204611=1500/quarterly", "--dividend-yield", "FAGGB=0.03", "--baseline", "never"]
            + policies.flatMap { ["--policy", $0] }
    }

    static func decimal(_ any: Any?) -> Decimal? {
        (any as? NSNumber).flatMap { Decimal(string: $0.stringValue) }
    }

    @Test func tablePrintsEveryPolicyAndMetric() throws {
        let result = try FolioProcess.run(Self.arguments())
        #expect(result.status == 0, "\(result.stderr)")
        for text in ["quarterly", "bands-5-25", "never", "Ending wealth before tax", "After liquidation tax", "Tax alpha vs never",
                     "Tracking error", "Maximum drift", "Turnover", "Tax by year", "2016", "2017 (owed)"] {
            #expect(result.stdout.contains(text), "missing \(text)")
        }
    }

    @Test func jsonFieldsAgreeWithEachOther() throws {
        let result = try FolioProcess.run(Self.arguments(["quarterly", "bands-5-25", "cash-flow-only", "never"]) + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        #expect(json["baseline"] as? String == "never")
        let policies = try #require(json["policies"] as? [[String: Any]])
        try #require(policies.map { $0["policy"] as? String } == ["quarterly", "bands-5-25", "cash-flow-only", "never"])
        for p in policies {
            let name = p["policy"] as! String
            let ending = try #require(Self.decimal(p["endingValue"])), afterTax = try #require(Self.decimal(p["endingValueAfterTax"]))
            let liquidated = try #require(Self.decimal(p["endingValueAfterLiquidation"])), liquidation = try #require(Self.decimal(p["liquidationTax"]))
            let owed = try #require(Self.decimal(p["taxOwedLastYear"])), outside = try #require(Self.decimal(p["taxesPaidFromOutside"]))
            #expect(afterTax == ending - owed - outside, "\(name)")
            #expect(liquidated == afterTax - liquidation, "\(name)")
            // Taxes by year: 2016 settled, 2017 owed; the settled ones sum to taxesPaid.
            let years = try #require(p["taxYears"] as? [[String: Any]])
            try #require(years.map { $0["year"] as? Int } == [2016, 2017])
            #expect(Self.decimal(years[0]["tax"]) == Self.decimal(p["taxesPaid"]))
            #expect(Self.decimal(years[1]["tax"]) == owed)
            // Seven quarterly deposits of 1,500 after the first date (April 2016 to October 2017);
            // bond dividends at 3%.
            #expect(Self.decimal(p["deposits"]) == 10_500, "\(name)")
            #expect((Self.decimal(p["dividends"]) ?? 0) > 0)
            let path = try #require(p["path"] as? [[String: Any]])
            #expect(path.count == 24)
            let dates = path.compactMap { $0["date"] as? String }
            #expect(dates == dates.sorted() && dates.last == "2017-12-29")
            for key in ["trackingError", "maxDrift", "turnover", "trades", "costs", "realizedShortTermGain", "realizedLongTermGain", "taxAlpha"] {
                #expect(p[key] != nil, "\(name) lacks \(key)")
            }
        }
        let never = policies[3]
        #expect(never["trades"] as? Int == 0 && (never["taxAlpha"] as? Double) == 0)
        #expect((policies[0]["rebalances"] as? Int ?? 0) >= 7)
        #expect((policies[0]["maxDrift"] as! Double) <= (never["maxDrift"] as! Double))
    }

    @Test func csvAndOutputFolder() throws {
        let csv = try FolioProcess.run(Self.arguments(["annual", "never"]) + ["--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n")
        try #require(lines.count == 3, "\(csv.stderr)")
        #expect(lines[0].hasPrefix("policy,ending_value,after_tax,after_liquidation"))
        #expect(lines[1].hasPrefix("annual,") && lines[2].hasPrefix("never,"))
        let out = FolioProcess.temporaryDirectory()
        let report = out.appendingPathComponent("alone.html")
        let written = try FolioProcess.run(Self.arguments(["annual", "never"]) + ["--output", out.path, "--report", report.path])
        #expect(written.status == 0, "\(written.stderr)")
        for name in ["backtest.json", "backtest.csv", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "missing \(name)")
        }
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("<polyline") && html.contains("Drift over time") && html.contains("Wealth before tax"))
        #expect(!html.contains("<script"))
        let json = try Data(contentsOf: out.appendingPathComponent("backtest.json"))
        #expect((try JSONSerialization.jsonObject(with: json) as? [String: Any])?["policies"] != nil)
    }

    @Test func policyFileWithAHostileName() throws {
        let dir = FolioProcess.temporaryDirectory()
        let policy = dir.appendingPathComponent("semi<annual>.yaml")
        try "trigger: calendar\ncalendar:\n  frequency: semi-annual\ntaxes:\n  short_term_rate: 0.40\n  long_term_rate: 0.15\n"
            .write(to: policy, atomically: true, encoding: .utf8)
        let result = try FolioProcess.run(Self.arguments([policy.path, "never"]) + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let policies = try #require(json["policies"] as? [[String: Any]])
        #expect(policies.first?["policy"] as? String == "semi<annual>")
        #expect((policies.first?["rebalances"] as? Int) == 3)
        // The HTML escapes the hostile name.
        let report = dir.appendingPathComponent("r.html")
        #expect(try FolioProcess.run(Self.arguments([policy.path, "never"]) + ["--report", report.path]).status == 0)
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("semi&lt;annual&gt;") && !html.contains("<annual>"))
    }

    @Test func withoutHoldingsTheWalkForwardRuns() throws {
        let prices = FolioProcess.data.appendingPathComponent("prices.csv").path
        let result = try FolioProcess.run(["backtest", "--prices", prices, "--objective", "min-variance", "--objective", "equal-weight",
                                           "--train", "504", "--test", "63", "--format", "json"])
        // The walk-forward options own this path, end to end: their comparison, never the policy table.
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("Tax alpha"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let configurations = try #require(json["configurations"] as? [[String: Any]])
        #expect(configurations.compactMap { $0["name"] as? String } == ["min-variance · sample", "equal-weight · sample"])
        for configuration in configurations {
            // The bundled prices have 2,608 dates: 2,607 returns, windows of 504 + 63 rolling by 63.
            let returns = try #require(configuration["returns"] as? [Double])
            #expect(returns.count == (2607 - 504) / 63 * 63)
            let rebalances = try #require(configuration["rebalances"] as? [[String: Any]])
            #expect(rebalances.count == (2607 - 504) / 63)
            for rebalance in rebalances {
                let weights = try #require(rebalance["weights"] as? [String: Double])
                #expect(abs(weights.values.reduce(0, +) - 1) < 1e-9 && weights.values.allSatisfy { $0 >= -1e-12 })
            }
        }
        // Policy options without --holdings are a usage error, not silently ignored.
        let stray = try FolioProcess.run(["backtest", "--prices", FolioProcess.data.appendingPathComponent("prices.csv").path, "--policy", "never"])
        #expect(stray.status == 2 && stray.stderr.contains("--policy applies to the policy backtest"), "\(stray.stderr)")
    }

    // MARK: Hostile inputs

    /// A small household and prices in a temporary folder; `prices` is the prices file's text.
    static func small(prices: String, holdingsSymbol: String = "AAA", acquired: String = "01/02/2020") throws -> [String] {
        let dir = FolioProcess.temporaryDirectory()
        let holdings = dir.appendingPathComponent("holdings.csv"), targets = dir.appendingPathComponent("targets.yaml")
        let file = dir.appendingPathComponent("prices.csv")
        try "Account Number,Account Type,Symbol,Quantity,Cost Basis Total,Date Acquired,Asset Class\nT1,Taxable,\(holdingsSymbol),100,\"$8,000.00\",\(acquired),stocks\nT1,Taxable,CASH,1000,,,cash\n"
            .write(to: holdings, atomically: true, encoding: .utf8)
        try "targets:\n  AAA: 0.6\n  BBB: 0.4\n".write(to: targets, atomically: true, encoding: .utf8)
        try prices.write(to: file, atomically: true, encoding: .utf8)
        return ["backtest", "--holdings", holdings.path, "--targets", targets.path, "--prices", file.path,
                "--date-format", "MM/DD/YYYY", "--policy", "monthly"]
    }

    @Test func goodSmallCaseRuns() throws {
        let result = try FolioProcess.run(try Self.small(prices: "date,AAA,BBB\n2021-01-04,100,50\n2021-02-01,110,50\n2021-03-01,90,51\n"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("monthly"))
    }

    @Test func totalReturnFileGivesDividends() throws {
        let args = try Self.small(prices: "date,AAA,BBB\n2021-01-04,100,50\n2021-01-05,100,50\n2021-01-06,100,50\n")
        let dir = URL(fileURLWithPath: args[2]).deletingLastPathComponent()
        let tr = dir.appendingPathComponent("tr.csv")
        // AAA's index gains 1% on Jan 5 with the price flat: $1 a share on 100 shares.
        try "date,AAA\n2021-01-04,200\n2021-01-05,202\n2021-01-06,202\n".write(to: tr, atomically: true, encoding: .utf8)
        let never = try FolioProcess.run(Array(args.dropLast(2)) + ["--policy", "never", "--total-return", tr.path, "--format", "json"])
        #expect(never.status == 0, "\(never.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: never.stdoutData) as? [String: Any])
        let p = try #require((json["policies"] as? [[String: Any]])?.first)
        #expect(Self.decimal(p["dividends"]) == 100)
        #expect((json["notes"] as? [String])?.contains { $0.contains("no total-return series for BBB") } == true)
        // A total-return file without one of the prices' dates is refused with that date's line.
        try "date,AAA\n2021-01-04,200\n2021-01-06,202\n".write(to: tr, atomically: true, encoding: .utf8)
        let gap = try FolioProcess.run(Array(args.dropLast(2)) + ["--policy", "never", "--total-return", tr.path])
        #expect(gap.status == 1 && gap.stderr.contains("tr.csv:3") && gap.stderr.contains("2021-01-05") && gap.stderr.contains("prices.csv:3"), "\(gap.stderr)")
    }

    @Test func unknownSymbolNamesThePricesHeader() throws {
        let result = try FolioProcess.run(try Self.small(prices: "date,AAA,CCC\n2021-01-04,100,50\n2021-02-01,110,50\n"))
        #expect(result.status == 1)
        #expect(result.stderr.contains("prices.csv:1"), "\(result.stderr)")
        #expect(result.stderr.contains("BBB"))
    }

    @Test func gapNamesFileAndLine() throws {
        let result = try FolioProcess.run(try Self.small(prices: "date,AAA,BBB\n2021-01-04,100,50\n2021-02-01,,50\n2021-03-01,90,51\n"))
        #expect(result.status == 1)
        #expect(result.stderr.contains("prices.csv:3:2"), "\(result.stderr)")
        #expect(result.stderr.contains("AAA") && result.stderr.contains("2021-02-01"))
    }

    @Test(arguments: ["NaN", "-5", "0", "inf", "=1+1"])
    func badPriceNamesFileLineColumn(price: String) throws {
        let result = try FolioProcess.run(try Self.small(prices: "date,AAA,BBB\n2021-01-04,100,50\n2021-02-01,110,\(price)\n"))
        #expect(result.status == 1)
        #expect(result.stderr.contains("prices.csv:3:3"), "\(price): \(result.stderr)")
    }

    @Test func lotsAfterTheFirstDateAndUnknownPoliciesAreRefused() throws {
        let late = try FolioProcess.run(try Self.small(prices: "date,AAA,BBB\n2021-01-04,100,50\n2021-02-01,110,50\n", acquired: "06/01/2021"))
        #expect(late.status == 1)
        #expect(late.stderr.contains("holdings.csv:") && late.stderr.contains("on or before the as-of date 2021-01-04"), "\(late.stderr)")
        let args = try Self.small(prices: "date,AAA,BBB\n2021-01-04,100,50\n2021-02-01,110,50\n")
        let unknown = try FolioProcess.run(args + ["--policy", "quartely"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("quartely: not a policy file and not a built-in policy"), "\(unknown.stderr)")
        let passwd = try FolioProcess.run(args + ["--policy", "/etc/passwd"])
        #expect(passwd.status == 1 && passwd.stderr.contains("/etc/passwd:1:1"), "\(passwd.stderr)")
        let twice = try FolioProcess.run(args + ["--policy", "monthly"])
        #expect(twice.status == 1 && twice.stderr.contains("monthly"))
        let flow = try FolioProcess.run(args + ["--cash-flow", "500"])
        #expect(flow.status == 2 && flow.stderr.contains("--cash-flow"))
        let missingTargets = try FolioProcess.run(Array(args.prefix(3)) + ["--prices", args[6]])
        #expect(missingTargets.status == 2 && missingTargets.stderr.contains("--targets"))
    }
}
