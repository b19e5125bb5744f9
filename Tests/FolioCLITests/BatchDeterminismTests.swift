import Foundation
import Testing
import FolioTestSupport

/// `folio batch` run as a process: outputs independent of `--jobs`, loss-free interruption,
/// clear errors for unwritable outputs (issue 10, points 4 and 5).
///
/// The batch tests share one serialized suite: each already uses every core.
@Suite("folio batch reliability", .serialized)
struct BatchReliabilityTests {
    @Test("--jobs 1, 2 and 8 give byte-identical summary.csv and plan files")
    func outputsDoNotDependOnJobs() throws {
        let book = try BatchBook(accounts: 200, badEvery: 50)
        defer { book.remove() }
        var outputs: [[String: Data]] = []
        for jobs in [1, 2, 8] {
            let output = book.folder.appendingPathComponent("out-\(jobs)")
            let result = try BatchBook.run(book.arguments(output: output) + ["--jobs", "\(jobs)"])
            // Four accounts have a negative lot: they fail, the others complete, status 1.
            #expect(result.status == 1, "jobs \(jobs): \(result.stderr)")
            #expect(result.stdout.contains("200 of 200 units: 196 planned, 0 kept from an earlier run, 4 failed"), "\(result.stdout)")
            outputs.append(try BatchBook.files(in: output))
        }
        let reference = outputs[0]
        #expect(reference.keys.filter { $0.hasPrefix("plans/") }.count == 196)
        let summary = String(decoding: try #require(reference["summary.csv"]), as: UTF8.self)
        #expect(summary.split(separator: "\n").count == 201)
        for (k, other) in outputs.enumerated().dropFirst() {
            #expect(other.keys.sorted() == reference.keys.sorted(), "jobs \([1, 2, 8][k]): other files")
            let differing = reference.keys.sorted().filter { other[$0] != reference[$0] }
            #expect(differing.isEmpty, "jobs \([1, 2, 8][k]) differs in \(differing.prefix(5))")
        }
    }

    @Test("SIGINT part way: exit 130, every plan present complete, no temporary file, a re-run completes every unit")
    func interruptedBatchLosesNothing() throws {
        // 2,000 small accounts: the re-run completes the rest within the time of a debug test.
        let book = try BatchBook(accounts: 2_000, positions: 3, lots: 1)
        defer { book.remove() }
        let output = book.folder.appendingPathComponent("out")
        let plans = output.appendingPathComponent("plans")
        let report = try BatchBook.interrupt(book.arguments(output: output) + ["--jobs", "2"], signal: SIGINT,
                                             whenPlansReach: 20, in: plans)
        #expect(report.result.status == 130, "\(report.result.stderr)")
        #expect(report.result.stderr.contains("interrupted:"), "\(report.result.stderr)")
        let audit = try BatchBook.audit(plans)
        #expect(audit.temporaryFiles.isEmpty, "left behind: \(audit.temporaryFiles)")
        #expect(audit.incomplete.isEmpty, "incomplete plans: \(audit.incomplete)")
        #expect(audit.complete >= report.plansWhenSignalled, "plans disappeared")
        #expect(audit.complete < 2_000, "the batch finished before the signal took effect")
        let again = try BatchBook.run(book.arguments(output: output) + ["--jobs", "2"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("2000 of 2000 units:"), "\(again.stdout)")
        #expect(again.stdout.contains("\(audit.complete) kept from an earlier run"), "\(again.stdout)")
        let summary = try String(contentsOf: output.appendingPathComponent("summary.csv"), encoding: .utf8)
        let units = summary.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(units.count == 2_000)
        #expect(Set(units.map { String($0[0]) }) == Set((0..<2_000).map(BatchBook.accountID)))
        #expect(units.allSatisfy { $0[1] == "ok" || $0[1] == "reused" })
        let final = try BatchBook.audit(plans)
        #expect(final.complete == 2_000 && final.incomplete.isEmpty && final.temporaryFiles.isEmpty)
    }

    /// SIGTERM behaves like SIGINT. SIGKILL cannot be caught: the plans written so far (group
    /// commits) are each complete, and a re-run completes every unit.
    @Test("SIGTERM part way behaves like SIGINT; SIGKILL leaves only complete plans", arguments: [SIGTERM, SIGKILL])
    func terminatedBatchLosesNothing(signal: Int32) throws {
        let book = try BatchBook(accounts: 1_000, positions: 3, lots: 1)
        defer { book.remove() }
        let output = book.folder.appendingPathComponent("out")
        let plans = output.appendingPathComponent("plans")
        let report = try BatchBook.interrupt(book.arguments(output: output) + ["--jobs", "2"], signal: signal,
                                             whenPlansReach: 10, in: plans)
        let audit = try BatchBook.audit(plans)
        #expect(audit.incomplete.isEmpty && audit.complete >= report.plansWhenSignalled, "incomplete: \(audit.incomplete)")
        if signal == SIGTERM {
            #expect(report.result.status == 130, "\(report.result.stderr)")
            #expect(audit.temporaryFiles.isEmpty)
        } else {
            let again = try BatchBook.run(book.arguments(output: output) + ["--jobs", "2"])
            #expect(again.status == 0 && again.stdout.contains("1000 of 1000 units:"), "\(again.stdout) \(again.stderr)")
            #expect(try BatchBook.audit(plans).complete == 1_000)
            // The temporary files the killed run left (its group in flight) are gone too.
            let left = try BatchBook.audit(plans).temporaryFiles
            #expect(left.isEmpty, "\(left)")
        }
    }

    @Test("a read-only output folder: exit 1 and an error naming the file and the reason")
    func readOnlyOutputFolder() throws {
        let book = try BatchBook(accounts: 5)
        defer { book.remove() }
        let output = book.folder.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        #expect(chmod(output.path, 0o555) == 0)
        defer { chmod(output.path, 0o755) }
        // As root (or with CAP_DAC_OVERRIDE) the folder stays writable; then there is nothing to test.
        guard access(output.path, W_OK) != 0 else { return }
        let result = try BatchBook.run(book.arguments(output: output) + ["--jobs", "2"])
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("error: cannot write \(output.path)"), "\(result.stderr)")
        #expect(result.stderr.contains("not writable") || result.stderr.contains("ermission denied"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
    }

    @Test("an output path that cannot be a folder (a file in the way): exit 1 and a clear error, even as root")
    func outputBlockedByAFile() throws {
        let book = try BatchBook(accounts: 5)
        defer { book.remove() }
        let blocker = book.folder.appendingPathComponent("a-file")
        try Data("not a folder\n".utf8).write(to: blocker)
        let output = blocker.appendingPathComponent("out")
        let result = try BatchBook.run(book.arguments(output: output) + ["--jobs", "2"])
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("error: cannot write \(output.path)"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(result.stderr)")
    }
}

/// A seeded synthetic book (the shape of `Scripts/batch/generate_book.py`, written here so the
/// tests need no Python) and helpers to run `folio batch` on it and audit its output.
struct BatchBook {
    let folder: URL

    static func accountID(_ n: Int) -> String { String(format: "B%06d", n) }

    /// Writes `holdings.csv` (accounts × positions × lots, plus cash), `targets.yaml` and
    /// `policy.yaml`. Every `badEvery`-th account has a lot with a negative quantity.
    init(accounts: Int, positions: Int = 8, lots: Int = 2, badEvery: Int? = nil, seed: UInt64 = 20_261_129) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var rng = SeededBytes(state: seed)
        let universe = (0..<24).map { String(format: "S%03d", $0) }
        let price = universe.map { _ in Double(rng.int(1_500...40_000)) / 100 }
        var targets = "# Synthetic target for the batch tests.\ntargets:\n"
        let weights = [Int](repeating: 625, count: 16)  // 16 × 6.25%
        for (k, w) in weights.enumerated() { targets += "  \(universe[k]): \(String(format: "%.4f", Double(w) / 10_000))\n" }
        try targets.write(to: folder.appendingPathComponent("targets.yaml"), atomically: true, encoding: .utf8)
        let policy = """
            trigger: always
            bands: {absolute: 0.05, relative: 0.25}
            cash: {reserve_percent: 0.005}
            trading: {min_trade: 50.00}
            taxes: {lot_method: tax-minimizing, short_term_rate: 0.37, long_term_rate: 0.20}

            """
        try policy.write(to: folder.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
        var csv = "Account Number,Account Type,Symbol,Quantity,Price,Cost Basis Total,Date Acquired,Asset Class\n"
        for n in 0..<accounts {
            let id = Self.accountID(n)
            let kind = n % 3 == 0 ? "Traditional IRA" : "Taxable"
            let bad = badEvery.map { n % $0 == $0 - 1 } ?? false
            var held: [Int] = []
            while held.count < positions {
                let s = rng.int(0...(universe.count - 1))
                if !held.contains(s) { held.append(s) }
            }
            for (j, s) in held.enumerated() {
                for k in 0..<lots {
                    var quantity = rng.int(1...60)
                    if bad && j == 0 && k == 0 { quantity = -quantity }
                    let basis = Double(abs(quantity)) * price[s] * Double(rng.int(60...130)) / 100
                    let year = [2018, 2020, 2022, 2024, 2025][rng.int(0...4)]
                    let month = year < 2025 ? rng.int(1...12) : rng.int(1...11)
                    csv += "\(id),\(kind),\(universe[s]),\(quantity),\(String(format: "%.2f", price[s])),"
                        + "\(String(format: "%.2f", basis)),\(String(format: "%02d/%02d/%d", month, rng.int(1...28), year)),equity\n"
                }
            }
            csv += "\(id),\(kind),CASH,\(String(format: "%.2f", Double(rng.int(10_000...2_000_000)) / 100)),1.00,--,--,cash\n"
        }
        csv += "Total,,,,,,,\n"
        try csv.write(to: folder.appendingPathComponent("holdings.csv"), atomically: true, encoding: .utf8)
    }

    func arguments(output: URL) -> [String] {
        ["batch", "--holdings", folder.appendingPathComponent("holdings.csv").path,
         "--targets", folder.appendingPathComponent("targets.yaml").path,
         "--policy", folder.appendingPathComponent("policy.yaml").path,
         "--as-of", "2025-12-31", "--output", output.path]
    }

    func remove() {
        // A read-only folder inside would stop the removal.
        if let names = FileManager.default.enumerator(atPath: folder.path) {
            for case let name as String in names { chmod(folder.appendingPathComponent(name).path, 0o755) }
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// The built `folio` binary: next to the test bundle, else the default debug build.
    static var binary: URL {
        let next = FolioProcess.productsDirectory.appendingPathComponent("folio")
        if FileManager.default.fileExists(atPath: next.path) { return next }
        return FolioProcess.repository.appendingPathComponent(".build/debug/folio")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts `folio` with stdout and stderr going to files (so a long run never blocks on a pipe).
    static func start(_ arguments: [String], logs: URL) throws -> (Process, URL, URL) {
        let out = logs.appendingPathExtension("out"), err = logs.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = FolioProcess.repository
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return (process, out, err)
    }

    static func finish(_ process: Process, _ out: URL, _ err: URL) throws -> Result {
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: try text(out), stderr: try text(err))
    }

    /// A small log file's text. (Not `String(contentsOf:)`: for an empty file, Foundation's
    /// `readBytesFromFile` leaks its 4 KiB buffer, which LeakSanitizer reports.)
    static func text(_ url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        return String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
    }

    static func run(_ arguments: [String]) throws -> Result {
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("folio-batch-log-\(UUID().uuidString)")
        let (process, out, err) = try start(arguments, logs: logs)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        return try finish(process, out, err)
    }

    /// Runs `folio`, waits until `count` plan files exist in `plans`, sends `signal`, and waits
    /// for the exit.
    static func interrupt(_ arguments: [String], signal: Int32, whenPlansReach count: Int,
                          in plans: URL) throws -> (result: Result, plansWhenSignalled: Int) {
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("folio-batch-log-\(UUID().uuidString)")
        let (process, out, err) = try start(arguments, logs: logs)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        var seen = 0
        // Poll every 20 ms for up to 120 s; never a timing assertion, only a bound on waiting.
        for _ in 0..<6_000 where process.isRunning {
            seen = ((try? FileManager.default.contentsOfDirectory(atPath: plans.path)) ?? []).filter { $0.hasSuffix(".json") }.count
            if seen >= count { break }
            usleep(20_000)
        }
        if process.isRunning { kill(process.processIdentifier, signal) }
        return (try finish(process, out, err), seen)
    }

    /// Every output file by relative path.
    static func files(in folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let plans = folder.appendingPathComponent("plans")
        for name in try FileManager.default.contentsOfDirectory(atPath: plans.path) {
            files["plans/" + name] = try Data(contentsOf: plans.appendingPathComponent(name))
        }
        files["summary.csv"] = try Data(contentsOf: folder.appendingPathComponent("summary.csv"))
        return files
    }

    struct Audit {
        var complete = 0
        var incomplete: [String] = []
        var temporaryFiles: [String] = []
    }

    /// Checks every file of a plans folder: each `.json` parses as a complete plan (a JSON
    /// object with its closing totals), and no `.*.tmp` file is left.
    static func audit(_ plans: URL) throws -> Audit {
        var audit = Audit()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: plans.path)) ?? []
        for name in names {
            if name.hasPrefix(".") && name.hasSuffix(".tmp") { audit.temporaryFiles.append(name); continue }
            guard name.hasSuffix(".json") else { audit.temporaryFiles.append(name); continue }
            let data = try Data(contentsOf: plans.appendingPathComponent(name))
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            if let object, object["trades"] is [Any], object["cashAfter"] != nil, object["invariantsHold"] as? Bool == true {
                audit.complete += 1
            } else {
                audit.incomplete.append(name)
            }
        }
        return audit
    }
}

/// The book's numbers: the shared SplitMix64 with a modulo draw (the sequence the book was
/// made with; `SplitMix64.int` draws differently).
struct SeededBytes: RandomNumberGenerator {
    var generator: SplitMix64
    init(state: UInt64) { generator = SplitMix64(state: state) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        generator.moduloInt(range)
    }
}
