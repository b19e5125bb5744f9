import Foundation
import Testing

/// Options every subcommand shares (declared once as option groups): `--verbose` everywhere,
/// `--format` wherever a result is printed, and an example in every `--help`.
@Suite struct CommonOptionsTests {
    static let subcommands = ["rebalance", "batch", "optimize", "covariance", "frontier", "risk", "profile", "goals"]

    @Test(arguments: subcommands)
    func everySubcommandHasVerboseAndAnExample(subcommand: String) throws {
        let result = try FolioProcess.run([subcommand, "--help"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Example"), "\(subcommand) --help has no example")
        #expect(result.stdout.contains("--verbose"), "\(subcommand) --help lacks --verbose")
        if subcommand != "batch" { #expect(result.stdout.contains("--format <format>"), "\(subcommand) --help lacks --format") }
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
