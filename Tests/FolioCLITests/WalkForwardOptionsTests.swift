import Foundation
import Testing
import Folio
@testable import FolioCLI

/// `folio backtest --prices P` without `--holdings` hands over to `WalkForwardOptions`; the
/// command itself lives in the policy-backtest work, so these tests parse the options and call
/// `run(prices:format:report:)` directly (the end-to-end process test belongs with the command).
@Suite("folio backtest: walk-forward options")
struct WalkForwardOptionsTests {
    static let prices = FolioProcess.data.appendingPathComponent("prices.csv")

    /// A small prices file: the first `assets` columns and last `days` rows of the bundled prices.
    static func smallPrices(assets: Int = 8, days: Int = 400, name: String = "prices.csv") throws -> URL {
        let lines = try String(contentsOf: prices, encoding: .utf8).split(separator: "\n")
        let cut = { (line: Substring) in line.split(separator: ",").prefix(assets + 1).joined(separator: ",") }
        let text = ([cut(lines[0])] + lines.suffix(days).map(cut)).joined(separator: "\n") + "\n"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("a comparison of objectives x estimators: JSON metrics recomputed from the returns and weights")
    func jsonComparison() throws {
        let options = try WalkForwardOptions.parse([
            "--objective", "min-variance", "--objective", "hrp", "--objective", "equal-weight",
            "--covariance", "sample", "--covariance", "ledoit-wolf", "--train", "126", "--test", "21", "--costs", "0.001",
        ])
        #expect(options.isRequested)
        let url = try Self.smallPrices()
        let text = try options.run(prices: url, format: .json, report: nil)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let configurations = try #require(json["configurations"] as? [[String: Any]])
        #expect(configurations.map { $0["name"] as? String } == [
            "min-variance · sample", "min-variance · ledoit-wolf", "hrp · sample", "hrp · ledoit-wolf",
            "equal-weight · sample", "equal-weight · ledoit-wolf",
        ])
        for configuration in configurations {
            let returns = try #require(configuration["returns"] as? [Double])
            #expect(returns.count == (399 - 126) / 21 * 21)
            let metrics = try #require(configuration["metrics"] as? [String: Double])
            let mean = returns.reduce(0, +) / Double(returns.count)
            #expect(abs(metrics["annualizedMean"]! - mean * 252) < 1e-12)
            let rebalances = try #require(configuration["rebalances"] as? [[String: Any]])
            #expect(rebalances.count == 13)
            var previous: [String: Double] = [:]
            var cost = 0.0
            for rebalance in rebalances {
                let weights = try #require(rebalance["weights"] as? [String: Double])
                #expect(weights.count == 8 && abs(weights.values.reduce(0, +) - 1) < 1e-8)
                let turnover = weights.reduce(0) { $0 + abs($1.value - (previous[$1.key] ?? 0)) }
                #expect(abs((rebalance["turnover"] as! Double) - turnover) < 1e-12)
                cost += 0.001 * turnover
                previous = weights
            }
            #expect(abs(metrics["totalCost"]! - cost) < 1e-12)
        }
    }

    @Test("table and CSV list every configuration; the HTML report is written with one curve per configuration")
    func tableCSVAndReport() throws {
        let options = try WalkForwardOptions.parse(["--objective", "min-variance", "--objective", "max-sharpe", "--arithmetic",
                                                    "--train", "126", "--test", "63", "--expanding"])
        let url = try Self.smallPrices(name: "prices <&> \u{0065}\u{0301}.csv")
        let report = url.deletingLastPathComponent().appendingPathComponent("report.html")
        let table = try options.run(prices: url, format: .table, report: report)
        #expect(table.contains("min-variance · sample") && table.contains("max-sharpe · sample"))
        #expect(table.contains("expanding train 126, test 63"))
        let csv = try options.run(prices: url, format: .csv, report: nil)
        let rows = csv.split(separator: "\n")
        #expect(rows.count == 3 && rows[0].hasPrefix("configuration,rebalances,observations,annualized_mean"))
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(!html.contains("<script"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: report.deletingLastPathComponent().path)
        #expect(leftovers.sorted() == ["prices <&> \u{0065}\u{0301}.csv", "report.html"].sorted(), "no temporary file left behind")
    }

    @Test("combinatorial purged CV: one row per configuration and path")
    func cpcv() throws {
        let options = try WalkForwardOptions.parse(["--objective", "min-variance", "--cv", "cpcv", "--folds", "6", "--test-folds", "2",
                                                    "--purge", "3", "--embargo", "2"])
        let csv = try options.run(prices: try Self.smallPrices(), format: .csv, report: nil)
        #expect(csv.split(separator: "\n").count == 1 + 5)
        #expect(csv.contains("min-variance · sample · path 5"))
    }

    @Test("windows longer than the data, NaN prices and bad options fail with the reason")
    func failures() throws {
        let long = try WalkForwardOptions.parse(["--objective", "min-variance", "--train", "504", "--test", "63"])
        let short = try Self.smallPrices(days: 300)
        let error = #expect(throws: DataFailure.self) { try long.run(prices: short, format: .table, report: nil) }
        #expect(error?.lines.joined().contains("567 observations needed, the data has 299") == true)
        #expect(throws: (any Error).self) { try WalkForwardOptions.parse(["--objective", "efficient-return"]) }
        #expect(throws: (any Error).self) { try WalkForwardOptions.parse(["--objective", "min-variance", "--costs", "-0.1"]) }
        #expect(throws: (any Error).self) { try WalkForwardOptions.parse(["--objective", "min-variance", "--test", "0"]) }
        #expect(try WalkForwardOptions.parse([]).isRequested == false)
        #expect(try WalkForwardOptions.parse(["--train", "252"]).isRequested && WalkForwardOptions.parse(["--costs", "0.01"]).isRequested)
        // No objective given: the four that need no expected returns.
        let defaults = try WalkForwardOptions.parse(["--train", "60", "--test", "20"]).run(prices: try Self.smallPrices(days: 150), format: .csv, report: nil)
        #expect(defaults.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
                == ["min-variance · sample", "risk-parity · sample", "hrp · sample", "equal-weight · sample"])
        // A missing price: named by asset and date.
        let url = try Self.smallPrices(assets: 3, days: 200)
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        var cells = lines[50].split(separator: ",").map(String.init)
        cells[2] = ""
        lines[50] = cells.joined(separator: ",")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        let gap = #expect(throws: DataFailure.self) {
            try WalkForwardOptions.parse(["--objective", "min-variance", "--train", "50", "--test", "10"]).run(prices: url, format: .table, report: nil)
        }
        #expect(gap?.lines.joined().contains(cells[0]) == true, "\(gap?.lines ?? [])")
    }

    @Test("hostile configuration names are escaped in HTML and quoted in CSV; NFC and NFD spellings are one name")
    func hostileNames() throws {
        let rows: [[Double]] = (0..<120).map { (i: Int) -> [Double] in [0.001 * Double(i % 7 - 3), 0.002 * Double(i % 5 - 2)] }
        let series = try ReturnSeries(values: Matrix(rows: rows), assets: ["A", "B"])
        let names = ["<script>alert(1)</script>", "=HYPERLINK(\"x\")", "a,b/c", "caf\u{00E9}", String(repeating: "é", count: 150), "/"]
        let configurations = names.map { PortfolioConfiguration(name: $0, objective: .equalWeight) }
        let results = try OutOfSampleBacktest(returns: series).compare(configurations, scheme: WalkForward(train: 60, test: 20))
        #expect(results.map { (r: OutOfSampleResult) in r.name } == names)
        // Swift compares strings by canonical equivalence: "café" in NFC and NFD is one name.
        #expect(throws: OutOfSampleError.duplicateConfiguration("cafe\u{0301}")) {
            try OutOfSampleBacktest(returns: series).compare(
                configurations + [PortfolioConfiguration(name: "cafe\u{0301}", objective: .equalWeight)], scheme: WalkForward(train: 60, test: 20))
        }
        let report = WalkForwardReport(title: "t & <b>", scheme: "s", results: results)
        let html = report.html()
        #expect(!html.contains("<script>") && html.contains("&lt;script&gt;") && !html.contains("t & <b>"))
        let csv = report.csv()
        // Neutralized as OWASP recommends (CSVWriter): a leading quote, never a live formula.
        #expect(csv.contains("\"'=HYPERLINK(\"\"x\"\")\"") && !csv.contains(",=HYPERLINK") && csv.contains("\"a,b/c\""))
        #expect(csv.split(separator: "\n").count == 1 + names.count)
    }
}
