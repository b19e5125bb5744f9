import Foundation
import Testing

@Suite(.serialized) struct BatchCommandTests {
    static func batch(_ extra: [String], output: URL) throws -> FolioProcess.Result {
        try FolioProcess.run(["batch", "--holdings", FolioProcess.data.appendingPathComponent("households").path,
                              "--securities", FolioProcess.data.appendingPathComponent("securities.csv").path,
                              "--prices", FolioProcess.data.appendingPathComponent("prices.csv").path,
                              "--output", output.path] + extra)
    }

    @Test func householdFoldersWithTheirOwnTargets() throws {
        let output = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try Self.batch(["--jobs", "2"], output: output)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try String(contentsOf: output.appendingPathComponent("summary.csv"), encoding: .utf8)
        let units = summary.split(separator: "\n").dropFirst().map { $0.split(separator: ",").first.map(String.init) ?? "" }
        #expect(units == ["couple", "retiree", "young-accumulator"])
        #expect(summary.split(separator: "\n").dropFirst().allSatisfy { $0.contains(",ok,") })
        // the same household planned alone gives the same plan
        let single = try FolioProcess.run(FolioProcess.household("couple") + ["--format", "json"])
        // ... but for the fingerprint of its inputs, which only a batch plan holds, and the title:
        // the batch's is the unit's id, the single run's the household's name (targets `name:`).
        let plan = try String(contentsOf: output.appendingPathComponent("plans/couple.json"), encoding: .utf8)
        #expect(plan.contains("\n  \"fingerprint\" : \""))
        #expect(plan.contains("\n  \"title\" : \"couple\",\n") && single.stdout.contains("\n  \"title\" : \"Whitcombe-Ferris household\",\n"))
        let comparable = { (text: String) in text.split(separator: "\n").filter { !$0.hasPrefix("  \"fingerprint\" : ") && !$0.hasPrefix("  \"title\" : ") } }
        #expect(comparable(plan) == comparable(single.stdout))
    }

    @Test func shardsPartitionTheBook() throws {
        var seen: [String] = []
        for k in 1...2 {
            let output = FolioProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: output) }
            let result = try Self.batch(["--jobs", "1", "--shard", "\(k)/2"], output: output)
            #expect(result.status == 0, "\(result.stderr)")
            seen += try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("plans").path)
        }
        #expect(seen.sorted() == ["couple.json", "retiree.json", "young-accumulator.json"])
    }

    @Test func aFailingHouseholdDoesNotStopTheOthers() throws {
        let book = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: book) }
        try "Account,Account Type,Symbol,Quantity,Price\nA1,IRA,FUSLC,10,251.41\nA1,IRA,CASH,1000,1\n"
            .write(to: book.appendingPathComponent("good.csv"), atomically: true, encoding: .utf8)
        try "Account,Account Type,Symbol,Quantity,Price\nB1,IRA,FUSLC,ten,251.41\n"
            .write(to: book.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let targets = book.appendingPathComponent("t.yaml")
        try "targets:\n  FUSLC: 0.5\n  FAGGB: 0.5\n".write(to: targets, atomically: true, encoding: .utf8)
        let output = book.appendingPathComponent("out")
        let result = try FolioProcess.run(["batch", "--holdings", book.path, "--targets", targets.path,
                                           "--prices", FolioProcess.data.appendingPathComponent("prices.csv").path,
                                           "--output", output.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.csv:2:4 (Quantity)"))
        let summary = try String(contentsOf: output.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary.contains("bad,failed,") && summary.contains("good,ok,"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("plans").path) == ["good.json"])
    }

    @Test func badShardIsAUsageError() throws {
        let result = try FolioProcess.run(["batch", "--holdings", "x", "--output", "y", "--shard", "3/2"])
        #expect(result.status == 2)
    }
}
