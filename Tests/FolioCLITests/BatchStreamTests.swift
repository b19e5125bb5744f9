import Foundation
import Folio
import Testing

/// Issue 22 ("a batch that streams", "beyond one machine") and issue 20's blotter: the plan
/// writer writes JSONEncoder's bytes, a streamed book gives the whole read's outputs, the
/// blotter holds every trade of every plan in order, and shards side by side plus
/// `folio batch merge` give exactly one run's outputs.
@Suite("folio batch streaming, shards and blotter", .serialized)
struct BatchStreamTests {
    static let asOf = ISO8601DateFormatter().date(from: "2025-12-31T00:00:00Z")!

    /// Plans every unit in process and compares the writer with `PlanReport.json()`.
    static func compareWriter(_ batch: BatchRebalance) throws -> (plans: Int, nullTax: Int) {
        var compared = 0, nullTax = 0
        let nowhere = URL(fileURLWithPath: "/nonexistent/plan.json")
        for unit in try batch.listedUnits() {
            guard let report = try? batch.report(for: unit, planAt: nowhere).report else { continue }
            let fast = try report.planJSON()
            let reference = try report.json()
            #expect(fast == reference, "unit \(unit.id): the writer's bytes differ from JSONEncoder's at byte \(zip(fast, reference).prefix { $0 == $1 }.count)")
            // Decoded, both are the same document (a writer could differ in bytes only).
            let a = try JSONSerialization.jsonObject(with: fast) as? NSDictionary
            let b = try JSONSerialization.jsonObject(with: reference) as? NSDictionary
            #expect(a != nil && a == b, "unit \(unit.id): decoded documents differ")
            if a?["estimatedTax"] is NSNull { nullTax += 1 }
            compared += 1
        }
        return (compared, nullTax)
    }

    @Test("the plan writer writes JSONEncoder's bytes: a generated book, hostile ids, a tax not estimated, the sample households")
    func planWriterMatchesJSONEncoder() throws {
        let book = try BatchBook(accounts: 60, badEvery: 20)
        defer { book.remove() }
        // Hostile ids and texts: quotes, backslash, slash, HTML, a leading =, NFC and NFD,
        // an emoji, 300 bytes; lot ids with the same.
        let hostile = ["a\"b", "c\\d", "/x/y", "<b>bold</b>", "=SUM(A1)", "caf\u{E9}", "cafe\u{301}-2", "\u{1F600}",
                       String(repeating: "z", count: 300)]
        var csv = "Account Number,Account Type,Symbol,Quantity,Price,Cost Basis Total,Date Acquired,Asset Class,Lot ID\n"
        for (k, id) in hostile.enumerated() {
            let field = "\"" + id.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            csv += "\(field),Taxable,S000,\(10 + k),100.25,\(900 + k).10,03/15/2024,equity,\"lot \"\"\(k)\"\" é/\"\n"
            csv += "\(field),Taxable,S001,\(5 + k),50.5,\(300 + k),01/02/2019,equity,\n"
            csv += "\(field),Taxable,S002,\(1 + k),75,\(80 + k),11/02/2025,equity,\n"
            csv += "\(field),Taxable,CASH,\(1000 + k).00,1.00,--,--,cash,\n"
        }
        let hostileBook = book.folder.appendingPathComponent("hostile.csv")
        try csv.write(to: hostileBook, atomically: true, encoding: .utf8)
        // No tax rates: every taxable plan's tax is not estimated (null).
        let noRates = book.folder.appendingPathComponent("norates.yaml")
        try "trigger: always\nbands: {absolute: 0.05, relative: 0.25}\ntrading: {min_trade: 50.00}\n".write(to: noRates, atomically: true, encoding: .utf8)
        let targets = book.folder.appendingPathComponent("targets.yaml")
        let policy = book.folder.appendingPathComponent("policy.yaml")
        let output = book.folder.appendingPathComponent("out")

        let generated = try BatchRebalance(holdings: book.folder.appendingPathComponent("holdings.csv"),
                                           context: try RebalanceContext.load(targets: targets, policy: policy, asOf: Self.asOf), output: output)
        #expect(generated.isStreaming)
        let a = try Self.compareWriter(generated)
        #expect(a.plans == 57, "three accounts of 60 have a bad lot")
        let hostileTargets = book.folder.appendingPathComponent("hostile-targets.yaml")
        try "targets:\n  S000: 0.5\n  S001: 0.3\n  S002: 0.2\n".write(to: hostileTargets, atomically: true, encoding: .utf8)
        let strange = try BatchRebalance(holdings: hostileBook, context: try RebalanceContext.load(targets: hostileTargets, policy: noRates, asOf: Self.asOf),
                                         output: output)
        let b = try Self.compareWriter(strange)
        #expect(b.plans == hostile.count)
        #expect(b.nullTax == hostile.count, "no rates: every tax not estimated")
        let data = FolioProcess.repository.appendingPathComponent("Examples/Data")
        let households = try BatchRebalance(holdings: data.appendingPathComponent("households"),
                                            context: try RebalanceContext.load(targets: nil, securities: data.appendingPathComponent("securities.csv"),
                                                                               prices: data.appendingPathComponent("prices.csv")),
                                            output: output)
        let c = try Self.compareWriter(households)
        #expect(c.plans == 3)
    }

    /// The book with each account's rows split in two halves, the second halves after all the
    /// first ones: the same accounts, lots in the same order, not contiguous.
    static func interleaved(_ csv: String) -> String {
        var lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines.removeFirst()
        while lines.last == "" { lines.removeLast() }
        let totals = lines.removeLast()
        var first: [String] = [], second: [String] = []
        var k = 0
        while k < lines.count {
            let id = lines[k].prefix { $0 != "," }
            var end = k
            while end < lines.count, lines[end].prefix(while: { $0 != "," }) == id { end += 1 }
            let half = k + (end - k) / 2
            first += lines[k..<half]
            second += lines[half..<end]
            k = end
        }
        return ([header] + first + second + [totals]).joined(separator: "\n") + "\n"
    }

    static func outputs(_ folder: URL) throws -> [String: Data] {
        var files = try BatchBook.files(in: folder)
        files["blotter.csv"] = try Data(contentsOf: folder.appendingPathComponent("blotter.csv"))
        return files
    }

    @Test("a book sorted by account streams, one that is not is read whole: the same summary, blotter and plans, byte for byte")
    func streamedAndWholeReadAgree() throws {
        let book = try BatchBook(accounts: 120, positions: 5, lots: 2, badEvery: 40)
        defer { book.remove() }
        let sorted = book.folder.appendingPathComponent("holdings.csv")
        let mixed = book.folder.appendingPathComponent("mixed.csv")
        try Self.interleaved(try String(contentsOf: sorted, encoding: .utf8)).write(to: mixed, atomically: true, encoding: .utf8)
        let context = try RebalanceContext.load(targets: book.folder.appendingPathComponent("targets.yaml"),
                                                policy: book.folder.appendingPathComponent("policy.yaml"), asOf: Self.asOf)
        #expect(try BatchRebalance(holdings: sorted, context: context, output: book.folder).isStreaming)
        #expect(try !BatchRebalance(holdings: mixed, context: context, output: book.folder).isStreaming)
        var results: [[String: Data]] = []
        for (name, file) in [("sorted", sorted), ("mixed", mixed)] {
            let output = book.folder.appendingPathComponent("out-\(name)")
            var arguments = book.arguments(output: output)
            arguments[2] = file.path
            let result = try BatchBook.run(arguments + ["--jobs", "2"])
            #expect(result.status == 1, "\(name): three accounts fail: \(result.stderr)")
            #expect(result.stdout.contains("120 of 120 units: 117 planned, 0 kept from an earlier run, 3 failed"), "\(name): \(result.stdout)")
            results.append(try Self.outputs(output))
        }
        #expect(results[0].count == 119)
        // The errors of the failing accounts name each file's own path and lines; all else is equal.
        for k in results.indices {
            let summary = String(decoding: results[k]["summary.csv"]!, as: UTF8.self)
            results[k]["summary.csv"] = Data(summary.split(separator: "\n").map { line in
                line.contains(",failed,") ? String(line.prefix { $0 != "," }) + ",failed" : String(line)
            }.joined(separator: "\n").utf8)
        }
        // The note on how slash dates were read names each file and its own deciding line.
        for k in results.indices {
            for (name, data) in results[k] where name.hasPrefix("plans/") {
                results[k][name] = Data(String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.contains(": dates read month-first (MM/DD/YYYY), as line ") ? "    \"note: dates read month-first\"" : String($0) }
                    .joined(separator: "\n").utf8)
            }
        }
        let differing = results[0].keys.sorted().filter { results[0][$0] != results[1][$0] }
        let firstDifference = differing.first.map { name -> String in
            let a = String(decoding: results[0][name] ?? Data(), as: UTF8.self).split(separator: "\n")
            let b = String(decoding: results[1][name] ?? Data(), as: UTF8.self).split(separator: "\n")
            return zip(a, b).first { $0 != $1 }.map { "\($0) | \($1)" } ?? "lengths \(a.count) \(b.count)"
        } ?? ""
        #expect(differing.isEmpty && results[0].keys.sorted() == results[1].keys.sorted(), "differs in \(differing.prefix(5)): \(firstDifference)")
    }

    @Test("the blotter holds every trade of every plan, by unit then in the plan's order, and agrees with the summary")
    func blotterHoldsEveryTrade() throws {
        let book = try BatchBook(accounts: 80, positions: 6, lots: 2, badEvery: 25)
        defer { book.remove() }
        let output = book.folder.appendingPathComponent("out")
        _ = try BatchBook.run(book.arguments(output: output) + ["--jobs", "2"])
        var lines = try SegmentCommandTests.readCSV(output.appendingPathComponent("blotter.csv"))
        let header = lines.removeFirst()
        #expect(header.first == "unit" && Array(header.dropFirst()) == PlanReport.tradeFileHeader)
        let column = { (name: String) in header.firstIndex(of: name)! }
        let (account, symbol, side, quantity, amount) = (column("account"), column("symbol"), column("side"), column("quantity"),
                                                         column("estimated_amount"))
        let summary = try String(contentsOf: output.appendingPathComponent("summary.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(summary.count == 80)
        var expected: [[String]] = []
        for row in summary where row[1] == "ok" {
            // The plan's own trades, in its order: unit, account, symbol, side, quantity.
            let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent(row[row.count - 1]))) as! [String: Any]
            for trade in plan["trades"] as! [[String: Any]] {
                expected.append([row[0], trade["account"] as! String, trade["symbol"] as! String, trade["side"] as! String,
                                 "\(trade["quantity"]!)"])
            }
            // Recomputed from the blotter: the unit's trade count and its sells and buys.
            let mine = lines.filter { $0[0] == row[0] }
            #expect(mine.count == Int(row[3]), "unit \(row[0]): \(mine.count) blotter rows, \(row[3]) trades in the summary")
            for (sideName, summaryColumn) in [("sell", 4), ("buy", 5)] {
                let total = mine.filter { $0[side] == sideName }.reduce(Decimal(0)) { $0 + Decimal(string: $1[amount])! }
                #expect(total == Decimal(string: row[summaryColumn])!, "unit \(row[0]) \(sideName)s")
            }
        }
        #expect(!expected.isEmpty)
        #expect(lines.map { [$0[0], $0[account], $0[symbol], $0[side], $0[quantity]] } == expected,
                "the blotter's rows are not the plans' trades in unit order")
        #expect(summary.filter { $0[1] == "failed" }.allSatisfy { row in !lines.contains { $0[0] == row[0] } })
    }

    @Test("three shards side by side into one folder plan every unit once; folio batch merge gives one run's summary and blotter")
    func shardsTogetherMakeOneRun() throws {
        let book = try BatchBook(accounts: 150, positions: 4, lots: 2, badEvery: 50)
        defer { book.remove() }
        let whole = book.folder.appendingPathComponent("whole")
        _ = try BatchBook.run(book.arguments(output: whole) + ["--jobs", "1"])
        let shared = book.folder.appendingPathComponent("shared")
        var running: [(Process, URL, URL)] = []
        for k in 1...3 {
            let logs = book.folder.appendingPathComponent("shard-\(k)")
            running.append(try BatchBook.start(book.arguments(output: shared) + ["--jobs", "1", "--shard", "\(k)/3"], logs: logs))
        }
        var planned: [String: Int] = [:]
        for (k, (process, out, err)) in running.enumerated() {
            let result = try BatchBook.finish(process, out, err)
            #expect(result.status == 0 || result.status == 1, "shard \(k + 1): \(result.stderr)")
            let rows = try String(contentsOf: shared.appendingPathComponent("summary-\(k + 1)-of-3.csv"), encoding: .utf8)
                .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            for row in rows {
                #expect(BatchRebalance.shard(of: row[0], count: 3) == k, "unit \(row[0]) in shard \(k + 1)")
                planned[row[0], default: 0] += 1
            }
        }
        #expect(planned.count == 150 && planned.values.allSatisfy { $0 == 1 }, "each unit in exactly one shard")
        let merge = try BatchBook.run(["batch", "merge", "--holdings", book.folder.appendingPathComponent("holdings.csv").path,
                                       "--output", shared.path, "--shards", "3"])
        #expect(merge.status == 1, "three units failed: \(merge.stderr)")
        #expect(merge.stdout.contains("150 units from 3 shards: 147 planned"), "\(merge.stdout)")
        let one = try Self.outputs(whole), together = try Self.outputs(shared)
        #expect(one.keys.sorted() == together.keys.sorted(), "plans missing or extra")
        let differing = one.keys.sorted().filter { one[$0] != together[$0] }
        #expect(differing.isEmpty, "differs in \(differing.prefix(5))")
        // A shard that did not run: the merge names its file and writes nothing.
        try FileManager.default.removeItem(at: shared.appendingPathComponent("summary-2-of-3.csv"))
        try FileManager.default.removeItem(at: shared.appendingPathComponent("summary.csv"))
        let broken = try BatchBook.run(["batch", "merge", "--holdings", book.folder.appendingPathComponent("holdings.csv").path,
                                        "--output", shared.path, "--shards", "3"])
        #expect(broken.status == 1 && broken.stderr.contains("summary-2-of-3.csv"), "\(broken.stderr)")
        #expect(!FileManager.default.fileExists(atPath: shared.appendingPathComponent("summary.csv").path))
    }
}

