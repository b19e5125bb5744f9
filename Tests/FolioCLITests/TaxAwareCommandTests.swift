import Foundation
import Testing

/// `folio rebalance` with a policy in `mode: optimized`, and `--tax-sweep`.
@Suite(.serialized) struct TaxAwareCommandTests {
    /// The couple's policy with `mode: optimized` and an optimizer section, in a temporary folder.
    static func optimizedPolicy(taxWeight: String = "1", riskModel: String = "capital-market-assumptions", extra: String = "") throws -> URL {
        let original = FolioProcess.data.appendingPathComponent("households/couple/policy.yaml")
        let text = try String(contentsOf: original, encoding: .utf8)
            .replacingOccurrences(of: "mode: to-target", with: "mode: optimized\noptimizer:\n  tax_weight: \(taxWeight)\n  risk_model: \(riskModel)\(extra)")
        let folder = FolioProcess.temporaryDirectory()
        let url = folder.appendingPathComponent("policy.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("mode: optimized plans through the optimizer, explains every trade and keeps the invariants")
    func optimizedMode() throws {
        let policy = try Self.optimizedPolicy()
        let result = try FolioProcess.run(FolioProcess.household("couple", policy: false) + ["--policy", policy.path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        #expect(json["invariantsHold"] as? Bool == true)
        let trades = try #require(json["trades"] as? [[String: Any]])
        let notes = try #require(json["warnings"] as? [String])
        #expect(notes.contains { $0.contains("optimized (tax weight 1") && $0.contains("KKT residuals") })
        // One explanation per trade, naming its account, side, quantity and symbol.
        for trade in trades {
            let verb = trade["side"] as? String == "buy" ? "buys" : "sells"
            let prefix = "\(trade["account"]!): \(verb) "
            #expect(notes.contains { $0.contains(prefix) && $0.contains(" \(trade["symbol"]!)") && $0.contains("tracking error") },
                    "no explanation for \(trade)")
        }
    }

    @Test("risk_model ledoit-wolf over optimizer.prices, sample over --prices; too short a history, or a held symbol missing from it, is a data error naming it")
    func estimatedRiskModel() throws {
        let prices = FolioProcess.data.appendingPathComponent("prices.csv")
        let lw = try Self.optimizedPolicy(riskModel: "ledoit-wolf", extra: "\n  prices: \(prices.path)")
        let first = try FolioProcess.run(FolioProcess.household("couple", policy: false) + ["--policy", lw.path, "--format", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: first.stdoutData) as? [String: Any])
        #expect(json["invariantsHold"] as? Bool == true)
        #expect((json["warnings"] as? [String] ?? []).contains { $0.contains("risk model ledoit-wolf") })
        let sample = try Self.optimizedPolicy(riskModel: "sample")
        let withPrices = FolioProcess.household("couple", policy: false)   // it gives --prices
        #expect(withPrices.contains("--prices"))
        let second = try FolioProcess.run(withPrices + ["--policy", sample.path, "--format", "json"])
        #expect(second.status == 0, "\(second.stderr)")
        // A prices file of the last three dates: prices for the trade date, two returns.
        let rows = try String(contentsOf: prices, encoding: .utf8).split(separator: "\n")
        let short = FolioProcess.temporaryDirectory().appendingPathComponent("prices-3-dates.csv")
        try ([rows[0]] + rows.suffix(3)).joined(separator: "\n").write(to: short, atomically: true, encoding: .utf8)
        let at = withPrices.firstIndex(of: "--prices")!
        var shortArguments = withPrices
        shortArguments[at + 1] = short.path
        let few = try FolioProcess.run(shortArguments + ["--policy", sample.path])
        #expect(few.status != 0 && few.stderr.contains("2 returns") && few.stderr.contains("needs at least"), "\(few.stderr)")
        // A history without FUSLC (held by the couple).
        let table = try String(contentsOf: prices, encoding: .utf8).split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated().filter { $0.offset != 1 }.map(\.element).joined(separator: ",")
        }.joined(separator: "\n")
        let partial = FolioProcess.temporaryDirectory().appendingPathComponent("prices-no-fuslc.csv")
        try table.write(to: partial, atomically: true, encoding: .utf8)
        let missing = try Self.optimizedPolicy(riskModel: "ewma", extra: "\n  prices: \(partial.path)")
        let third = try FolioProcess.run(FolioProcess.household("couple", policy: false) + ["--policy", missing.path])
        #expect(third.status != 0 && third.stderr.contains("FUSLC") && third.stderr.contains("no price history"), "\(third.stderr)")
    }

    @Test("--tax-sweep prints 20 points, writes tax-frontier.svg and draws it in report.html; a bad optimizer key is a data error naming it")
    func taxSweep() throws {
        let policy = try Self.optimizedPolicy()
        let output = FolioProcess.temporaryDirectory().appendingPathComponent("plan")
        let result = try FolioProcess.run(FolioProcess.household("couple", policy: false) + ["--policy", policy.path, "--tax-sweep", "--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        let start = try #require(lines.firstIndex { $0.contains("Tax versus drift") })
        #expect(lines.count >= start + 22)
        let svg = try String(contentsOf: output.appendingPathComponent("tax-frontier.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("<polyline"))
        // The frontier is drawn inside report.html too: one section, the same SVG, one table
        // row per printed point, before the footer; a plan without --tax-sweep has none.
        let html = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
        let section = try #require(html.range(of: "<section id=\"tax-frontier\">"))
        #expect(html.components(separatedBy: "<section id=\"tax-frontier\">").count == 2)
        #expect(html.contains(svg.trimmingCharacters(in: .newlines)))
        let footer = try #require(html.range(of: "<footer", options: .backwards))
        #expect(section.lowerBound < footer.lowerBound)
        let tail = html[section.lowerBound...]
        let table = tail[..<tail.range(of: "</section>")!.lowerBound]
        #expect(table.components(separatedBy: "<tr><td class=\"num\">").count - 1 == 20)
        let plain = FolioProcess.temporaryDirectory().appendingPathComponent("plan")
        #expect(try FolioProcess.run(FolioProcess.household("couple", policy: false) + ["--policy", policy.path, "--output", plain.path]).status == 0)
        #expect(!(try String(contentsOf: plain.appendingPathComponent("report.html"), encoding: .utf8)).contains("tax-frontier"))
        let bad = try Self.optimizedPolicy(taxWeight: "-2")
        let failure = try FolioProcess.run(FolioProcess.household("couple", policy: false) + ["--policy", bad.path])
        #expect(failure.status != 0)
        #expect(failure.stderr.contains("tax weight"), "\(failure.stderr)")
    }
}
