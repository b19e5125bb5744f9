import Foundation
import Testing

/// Options every subcommand shares (declared once as option groups): `--verbose` everywhere,
/// `--format` wherever a result is printed, and an example in every `--help`.
@Suite struct CommonOptionsTests {
    static let subcommands = ["rebalance", "batch run", "backtest", "optimize", "covariance", "frontier", "risk", "allocate", "profile", "check", "goals", "segment"]

    @Test(arguments: subcommands)
    func everySubcommandHasVerboseAndAnExample(subcommand: String) throws {
        let result = try FolioProcess.run(subcommand.split(separator: " ").map(String.init) + ["--help"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Example"), "\(subcommand) --help has no example")
        #expect(result.stdout.contains("--verbose"), "\(subcommand) --help lacks --verbose")
        if subcommand != "batch run" { #expect(result.stdout.contains("--format <format>"), "\(subcommand) --help lacks --format") }
    }

    @Test func verboseAddsEveryProblemAndTheUnderlyingError() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Ten bad prices: without --verbose the first five and a count; with it, all ten and the cause.
        var text = "date,A,B\n"
        for day in 1...20 { text += "2025-01-\(day < 10 ? "0" : "")\(day),\(day % 2 == 1 ? "x" : "\(100 + day)"),\(50 + day)\n" }
        let prices = folder.appendingPathComponent("prices.csv")
        try text.write(to: prices, atomically: true, encoding: .utf8)
        let arguments = ["optimize", "--prices", prices.path, "--objective", "min-variance"]
        let brief = try FolioProcess.run(arguments)
        let verbose = try FolioProcess.run(arguments + ["--verbose"])
        #expect(brief.status == 1 && verbose.status == 1)
        let issue = { (row: Int) in "prices.csv:\(row):2 (A)" }
        #expect(brief.stderr.contains(issue(2)) && brief.stderr.contains(issue(10)) && !brief.stderr.contains(issue(12)))
        #expect(brief.stderr.contains("5 more problems (--verbose lists them all)"), "\(brief.stderr)")
        #expect((2...20).filter { $0 % 2 == 0 }.allSatisfy { verbose.stderr.contains(issue($0)) }, "\(verbose.stderr)")
        #expect(verbose.stderr.contains("cause: FileError(file: "), "\(verbose.stderr)")
        #expect(verbose.stderr.count > brief.stderr.count)
        #expect(!verbose.stderr.contains("more problems"))
    }

    @Test func sharedOptionsStillValidate() throws {
        let frontier = try FolioProcess.run(["frontier", "--prices", FolioProcess.data.appendingPathComponent("prices.csv").path,
                                             "--risk-free-rate", "nan"])
        #expect(frontier.status == 2 && frontier.stderr.contains("--risk-free-rate"), "\(frontier.stderr)")
    }
}

/// `--assumptions` and `--models` replace the bundled planning files in profile and goals.
@Suite struct PlanningFilesTests {
    static func edited(_ name: String, _ from: String, _ to: String, in folder: URL) throws -> String {
        let text = try String(contentsOf: FolioProcess.data.appendingPathComponent(name), encoding: .utf8)
        #expect(text.contains(from))
        let url = folder.appendingPathComponent(name)
        try text.replacingOccurrences(of: from, with: to).write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func profileAndGoalsUseTheGivenFiles() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let answers = FolioProcess.data.appendingPathComponent("households/retiree/answers.yaml").path
        let profile = FolioProcess.data.appendingPathComponent("households/retiree/profile.yaml").path
        let models = try Self.edited("models.yaml", "  moderately-conservative:\n    us-large-cap: 0.22\n    us-small-cap: 0.04",
                                     "  moderately-conservative:\n    us-large-cap: 0.26\n    us-small-cap: 0.0", in: folder)
        let assumptions = try Self.edited("capital-market-assumptions.yaml", "{id: us-aggregate-bond, expected_return: 0.035",
                                          "{id: us-aggregate-bond, expected_return: 0.055", in: folder)
        let json = { (arguments: [String]) throws -> [String: Any] in
            let result = try FolioProcess.run(arguments + ["--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        }
        let bundled = try #require(try json(["profile", "--answers", answers])["model"] as? [String: Any])
        let given = try #require(try json(["profile", "--answers", answers, "--models", models])["model"] as? [String: Any])
        #expect((bundled["weights"] as? [String: Double])?["us-large-cap"] == 0.22)
        #expect((given["weights"] as? [String: Double])?["us-large-cap"] == 0.26)
        let goals = ["goals", "--profile", profile, "--as-of", "2025-12-31", "--paths", "200"]
        let before = try #require(try json(goals)["expectedReturn"] as? Double)
        let after = try #require(try json(goals + ["--assumptions", assumptions])["expectedReturn"] as? Double)
        #expect(abs(after - before - 0.33 * 0.02) < 1e-12)  // 33% in bonds, their return 2 points higher
        // A bad value is named at its place; a model class without assumptions names both files.
        let bad = try Self.edited("capital-market-assumptions.yaml", "volatility: 0.144}", "volatility: -0.144}", in: folder)
        let failure = try FolioProcess.run(goals + ["--assumptions", bad])
        #expect(failure.status == 1 && failure.stderr.contains("capital-market-assumptions.yaml:22:52"), "\(failure.stderr)")
        let renamed = try Self.edited("models.yaml", "    gold: 0.03\n    cash: 0.08", "    gilt: 0.03\n    cash: 0.08", in: folder)
        let unknown = try FolioProcess.run(["profile", "--answers", answers, "--models", renamed])
        #expect(unknown.status == 1 && unknown.stderr.contains("models.yaml:") && unknown.stderr.contains("gilt"), "\(unknown.stderr)")
        let everywhere = try Self.edited("models.yaml", "gold:", "gilt:", in: folder)  // listed, but no assumptions for it
        let uncovered = try FolioProcess.run(["profile", "--answers", answers, "--models", everywhere])
        #expect(uncovered.status == 1 && uncovered.stderr.contains("weights asset class 'gilt', which the bundled assumptions do not list"), "\(uncovered.stderr)")
        let help = try FolioProcess.run(["goals", "--help"])
        #expect(help.stdout.contains("--assumptions") && help.stdout.contains("bundled ILLUSTRATIVE"))
    }
}
