import Folio
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `folio batch` never loses, mixes or reuses a plan wrongly, and one bad unit never stops the
/// book (issue 21, part A: points 1 to 5 and 9). Every test runs the built binary and checks
/// the outputs it left, recomputed from the files (each plan's title is its unit's id).
@Suite("folio batch trust", .serialized)
struct BatchTrustTests {
    // MARK: - Helpers

    /// A book folder with a target by security that every test account can be planned to.
    struct Book {
        let folder = FolioProcess.temporaryDirectory()
        var targets: URL { folder.appendingPathComponent("targets.yaml") }
        var output: URL { folder.appendingPathComponent("out") }

        init() throws {
            try "targets:\n  VTI: 0.6\n  BND: 0.4\n".write(to: targets, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }

        /// A holdings CSV (symbol first, so no id is read as a totals row) with one IRA account
        /// per id, every field quoted.
        func writeBook(_ ids: [String], name: String = "book.csv", extraRows: [String] = []) throws -> URL {
            let quote = { (text: String) in "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            var csv = "Symbol,Account,Account Type,Quantity,Price\n"
            for id in ids { csv += "VTI,\(quote(id)),IRA,10,200\nBND,\(quote(id)),IRA,5,70\nCASH,\(quote(id)),IRA,100,1\n" }
            csv += extraRows.map { $0 + "\n" }.joined()
            let url = folder.appendingPathComponent(name)
            try csv.write(to: url, atomically: true, encoding: .utf8)
            return url
        }

        func batch(_ holdings: URL, asOf: String = "2026-03-16") throws -> FolioProcess.Result {
            try FolioProcess.run(["batch", "--holdings", holdings.path, "--targets", targets.path, "--as-of", asOf,
                                  "--output", output.path, "--jobs", "2"])
        }
    }

    struct Row {
        var unit, status, error, plan: String
    }

    /// summary.csv's rows, parsed as CSV (quoted fields, doubled quotes).
    static func summary(_ output: URL) throws -> [Row] {
        let text = try String(contentsOf: output.appendingPathComponent("summary.csv"), encoding: .utf8)
        var records: [[String]] = [], field = "", record: [String] = [], quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" { if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false } } else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { record.append(field); field = "" } else if c == "\n" {
                record.append(field); records.append(record); record = []; field = ""
            } else { field.append(c) }
        }
        let header = records.removeFirst()
        let cell = { (record: [String], name: String) in header.firstIndex(of: name).map { record[$0] } ?? "" }
        return records.map { Row(unit: $0[0], status: $0[1], error: cell($0, "error"), plan: cell($0, "plan")) }
    }

    /// The plan files left in OUTPUT/plans, by name.
    static func plans(_ output: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("plans").path)) ?? []).sorted()
    }

    /// A plan file's JSON object.
    static func plan(_ output: URL, _ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: output.appendingPathComponent(relative))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Checks that every unit of the summary has its own plan file, that file's title is the
    /// unit's id, no two names are equal ignoring case, and no other plan file is present.
    static func expectOnePlanPerUnit(_ output: URL, units: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let rows = try summary(output).filter { $0.status == "ok" || $0.status == "reused" }
        #expect(rows.count == units, "\(rows.count) planned units", sourceLocation: sourceLocation)
        #expect(Set(rows.map { $0.plan.lowercased() }).count == rows.count, "two units share a plan file", sourceLocation: sourceLocation)
        #expect(plans(output).count == rows.count, "plan files: \(plans(output).count)", sourceLocation: sourceLocation)
        for row in rows {
            let title = try plan(output, row.plan)["title"] as? String
            // Compared as bytes: titles are ids as written.
            #expect(title.map { Array($0.utf8) } == Array(row.unit.utf8), "\(row.plan) holds \(title ?? "nil"), not \(row.unit)",
                    sourceLocation: sourceLocation)
        }
    }

    // MARK: - 1. File names

    @Test("ids that sanitized to one file (a/b, a_b, a b, case variants, 300 bytes, HTML, leading = or .) each get their own plan, stably")
    func hostileIDsGetDistinctStableFiles() throws {
        let book = try Book()
        defer { book.remove() }
        let ids = ["a/b", "a_b", "a b", "a\\b", "Smith", "smith", "SMITH", "<b>x</b>", ".hidden", "..", "..%2F",
                   "^smith", "%2F", "é", "日本口座", String(repeating: "x", count: 300), String(repeating: "é", count: 150),
                   String(repeating: "y", count: 209), String(repeating: "Y", count: 209), "a~b"]
        let holdings = try book.writeBook(ids)
        let first = try book.batch(holdings)
        #expect(first.status == 0, "\(first.stderr)")
        try Self.expectOnePlanPerUnit(book.output, units: ids.count)
        let names = try Self.summary(book.output).map(\.plan)
        #expect(names.allSatisfy { $0.utf8.count + 47 <= 255 + "plans/".utf8.count }, "a name too long for its temporary file")
        #expect(names.allSatisfy { !($0 as NSString).lastPathComponent.hasPrefix(".") })
        // Again: the same names, every plan kept.
        let second = try book.batch(holdings)
        #expect(second.status == 0 && second.stdout.contains("0 planned, \(ids.count) kept"), "\(second.stdout)")
        #expect(try Self.summary(book.output).map(\.plan) == names)
    }

    @Test("property: any set of ids (random Unicode, separators, up to 1,000 bytes, case variants) gives one distinct, stable, short name each")
    func planFileNamesProperty() {
        var rng = SeededBytes(state: 2_112_2026)
        let alphabet: [Unicode.Scalar] = ["a", "B", "z", "Z", "0", "9", "-", "_", ".", "/", "\\", " ", ":", "~", "%", "^", "*", "\"",
                                          "\u{0}", "\u{1B}", "\u{7F}", "é", "e", "\u{301}", "ß", "İ", "ı", "Ω", "日", "😀", "\u{202E}", "\u{FEFF}"]
        for _ in 0..<120 {
            var ids: [String] = []
            for _ in 0..<rng.int(1...40) {
                var id = ""
                let length = [rng.int(0...12), rng.int(100...260), rng.int(900...1_000)][rng.int(0...2)]
                while id.utf8.count < length { id.unicodeScalars.append(alphabet[rng.int(0...(alphabet.count - 1))]) }
                ids.append(id)
                // Case variants and the other Unicode form of the same text.
                if rng.int(0...2) == 0 { ids.append(id.uppercased()); ids.append(id.lowercased()) }
                if rng.int(0...3) == 0 { ids.append(id.decomposedStringWithCanonicalMapping); ids.append(id.precomposedStringWithCanonicalMapping) }
            }
            var byBytes: [[UInt8]: String] = [:]
            for id in ids { byBytes[Array(id.utf8)] = BatchRebalance.planFileName(for: id) }
            let names = Array(byBytes.values)
            #expect(Set(names.map { $0.lowercased() }).count == names.count, "two ids of \(ids) share a name ignoring case")
            for (bytes, name) in byBytes {
                let id = String(decoding: bytes, as: UTF8.self)
                #expect(BatchRebalance.planFileName(for: id) == name)
                #expect(name.utf8.count + 47 <= 255, "\(name) leaves no room for the temporary suffix")
                #expect(name.hasSuffix(".json") && !name.hasPrefix(".") && name.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && $0 != "/" })
            }
        }
        // Stable across versions: fixed expectations, not only within a run.
        #expect(BatchRebalance.planFileName(for: "couple") == "couple.json")
        #expect(BatchRebalance.planFileName(for: "B000123") == "^b000123.json")
        #expect(BatchRebalance.planFileName(for: "a/b") == "a%2Fb.json")
        #expect(BatchRebalance.planFileName(for: ".x") == "%2Ex.json")
        #expect(BatchRebalance.planFileName(for: String(repeating: "x", count: 200))
                == String(repeating: "x", count: 120) + "~aa20c23e320183405067.json")
        // The hash is SHA-256 (FIPS 180-4 test vector "abc"; the long one from Python's hashlib).
        #expect(SHA256.hex(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: Data(repeating: UInt8(ascii: "a"), count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test("folder mode: smith.csv with smith.json, jones/ with jones.csv, a 240-byte name: each household its own plan")
    func folderEntriesThatShareAStem() throws {
        let book = try Book()
        defer { book.remove() }
        let households = book.folder.appendingPathComponent("households")
        try FileManager.default.createDirectory(at: households.appendingPathComponent("jones"), withIntermediateDirectories: true)
        let csv = "Account,Account Type,Symbol,Quantity,Price\nH,IRA,VTI,10,200\nH,IRA,BND,5,70\n"
        let json = #"{"accounts": [{"id": "H", "kind": "IRA", "lots": [{"symbol": "VTI", "quantity": 3, "price": 200}, {"symbol": "BND", "quantity": 1, "price": 70}]}]}"#
        let long = String(repeating: "l", count: 240) + ".csv"
        for (name, text) in [("smith.csv", csv), ("smith.json", json), ("jones.csv", csv), ("jones/holdings.csv", csv),
                             ("Smith.csv", csv), (long, csv)] {
            try text.write(to: households.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let result = try book.batch(households)
        #expect(result.status == 0, "\(result.stderr)")
        try Self.expectOnePlanPerUnit(book.output, units: 6)
        #expect(Set(try Self.summary(book.output).map(\.unit))
                == ["smith.csv", "smith.json", "jones", "jones.csv", "Smith", String(long.dropLast(4))])
    }

    // MARK: - 2. Stale plans and concurrent runs

    @Test("a re-run with another target or --as-of plans every unit again; the same inputs keep every plan")
    func stalePlansAreReplanned() throws {
        let book = try Book()
        defer { book.remove() }
        let ids = (0..<12).map { "acct-\($0)" }
        let holdings = try book.writeBook(ids)
        #expect(try book.batch(holdings).status == 0)
        try "targets:\n  VTI: 0.3\n  BND: 0.7\n".write(to: book.targets, atomically: true, encoding: .utf8)
        let retargeted = try book.batch(holdings)
        #expect(retargeted.status == 0, "\(retargeted.stderr)")
        #expect(retargeted.stdout.contains("12 planned, 0 kept from an earlier run, 0 failed; 12 re-planned"), "\(retargeted.stdout)")
        for row in try Self.summary(book.output) {
            let weights = try #require(try Self.plan(book.output, row.plan)["targetWeights"] as? [String: Double])
            #expect(weights["VTI"] == 0.3 && weights["BND"] == 0.7, "\(row.plan) is on the old target: \(weights)")
        }
        let redated = try book.batch(holdings, asOf: "2026-04-01")
        #expect(redated.stdout.contains("12 planned, 0 kept from an earlier run, 0 failed; 12 re-planned"), "\(redated.stdout)")
        for row in try Self.summary(book.output) {
            #expect(try Self.plan(book.output, row.plan)["asOf"] as? String == "2026-04-01")
        }
        let same = try book.batch(holdings, asOf: "2026-04-01")
        #expect(same.stdout.contains("0 planned, 12 kept from an earlier run, 0 failed; 0 re-planned"), "\(same.stdout)")
        // An account whose rows changed is planned again; the others are kept.
        let edited = try book.writeBook(ids, extraRows: ["VTI,\"acct-3\",IRA,1,200"])
        let partial = try book.batch(edited, asOf: "2026-04-01")
        #expect(partial.stdout.contains("1 planned, 11 kept from an earlier run, 0 failed; 1 re-planned"), "\(partial.stdout)")
    }

    @Test("a unit that now fails leaves no plan of an earlier run behind")
    func aFailingUnitLeavesNoStalePlan() throws {
        let book = try Book()
        defer { book.remove() }
        let holdings = try book.writeBook(["good", "turns-bad"])
        #expect(try book.batch(holdings).status == 0)
        let broken = try book.writeBook(["good"], extraRows: ["VTI,turns-bad,IRA,ten,200"])
        let result = try book.batch(broken)
        #expect(result.status == 1)
        #expect(Self.plans(book.output) == ["good.json"])
        #expect(try Self.summary(book.output).first { $0.unit == "turns-bad" }?.plan == "")
    }

    @Test("a second run on a folder another run holds fails at once, naming the folder")
    func concurrentRunsOnOneFolder() throws {
        let book = try Book()
        defer { book.remove() }
        let holdings = try book.writeBook(["a", "b"])
        try FileManager.default.createDirectory(at: book.output, withIntermediateDirectories: true)
        // The lock as another run holds it.
        let fd = open(book.output.path, O_RDONLY | O_DIRECTORY)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let refused = try book.batch(holdings)
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("error: cannot write \(book.output.path)/: another folio batch is writing to this folder"), "\(refused.stderr)")
        #expect(Self.plans(book.output).isEmpty)
        close(fd)
        #expect(try book.batch(holdings).status == 0)

        // Two real runs with different inputs: while the first holds the folder, the second refuses.
        let big = try BatchBook(accounts: 400, positions: 3, lots: 1)
        defer { big.remove() }
        let output = big.folder.appendingPathComponent("out")
        let logs = big.folder.appendingPathComponent("first")
        let (process, out, err) = try BatchBook.start(big.arguments(output: output) + ["--jobs", "1"], logs: logs)
        for _ in 0..<6_000 where process.isRunning && Self.plans(output).isEmpty { usleep(10_000) }
        let second = try BatchBook.run(big.arguments(output: output).map { $0 == "2025-12-31" ? "2025-11-28" : $0 })
        let firstStillRunning = process.isRunning
        let first = try BatchBook.finish(process, out, err)
        #expect(first.status == 0, "\(first.stderr)")
        if firstStillRunning {
            #expect(second.status == 1 && second.stderr.contains("another folio batch"), "\(second.stderr)")
        }
        // Whatever the timing, every plan is on one run's inputs: the first's date.
        let asOf = Set(try Self.summary(output).map { try Self.plan(output, $0.plan)["asOf"] as? String ?? "" })
        #expect(asOf == ["2025-12-31"] || (!firstStillRunning && asOf == ["2025-11-28"]), "\(asOf)")
    }

    // MARK: - 3. No trap

    @Test("two accounts sharing an id in holdings JSON with an asset-class target: a data error naming both lines, never a trap")
    func duplicateAccountIDsInJSON() throws {
        let book = try Book()
        defer { book.remove() }
        let classes = book.folder.appendingPathComponent("classes.yaml")
        try "asset_classes:\n  equity: {weight: 0.6, primary: VTI}\n  bonds: {weight: 0.4, primary: BND}\n"
            .write(to: classes, atomically: true, encoding: .utf8)
        let duplicate = """
            {"accounts": [
             {"id": "A", "kind": "IRA", "cash": 1000, "lots": [{"symbol": "VTI", "quantity": 10, "price": 200, "asset_class": "equity"}]},
             {"id": "A", "kind": "Roth IRA", "cash": 500, "lots": [{"symbol": "BND", "quantity": 10, "price": 70, "asset_class": "bonds"}]},
             {"id": "C", "kind": "IRA", "cash": 500, "lots": [{"symbol": "BND", "quantity": 10, "price": 70, "asset_class": "bonds"}]}
            ]}
            """
        let households = book.folder.appendingPathComponent("households")
        try FileManager.default.createDirectory(at: households, withIntermediateDirectories: true)
        let file = households.appendingPathComponent("dup.json")
        try duplicate.write(to: file, atomically: true, encoding: .utf8)
        try "Account,Account Type,Symbol,Quantity,Price,Asset Class\nG,IRA,VTI,10,200,equity\nG,IRA,BND,1,70,bonds\n"
            .write(to: households.appendingPathComponent("good.csv"), atomically: true, encoding: .utf8)

        let single = try FolioProcess.run(["rebalance", "--holdings", file.path, "--targets", classes.path])
        #expect(single.status == 1, "\(single.stderr)")
        #expect(single.stderr.contains("dup.json:3:") && single.stderr.contains("account A is on line 2"), "\(single.stderr)")
        #expect(!single.stderr.contains("Fatal error"))

        // Folder mode: the household fails alone.
        let folder = try FolioProcess.run(["batch", "--holdings", households.path, "--targets", classes.path, "--output", book.output.path])
        #expect(folder.status == 1)
        let rows = try Self.summary(book.output)
        #expect(rows.map(\.status) == ["failed", "ok"] && rows[0].error.contains("line 2"), "\(rows)")
        // Account mode: the accounts of the repeated id fail, the other account completes.
        let accounts = book.folder.appendingPathComponent("accounts-out")
        let byAccount = try FolioProcess.run(["batch", "--holdings", file.path, "--targets", classes.path, "--output", accounts.path])
        #expect(byAccount.status == 1, "\(byAccount.stderr)")
        #expect(try Self.summary(accounts).map { "\($0.unit) \($0.status)" } == ["A failed", "C ok"])
    }

    // MARK: - 4. One unit fails alone

    @Test("an id over 208 bytes and an account with 150 bad rows fail (or plan) alone; the summary is written")
    func oneUnitNeverFailsTheBook() throws {
        let book = try Book()
        defer { book.remove() }
        let long = String(repeating: "k", count: 250), longer = String(repeating: "K", count: 1_000)
        let bad = (0..<150).map { "VTI,bad,IRA,x\($0),200" }
        let holdings = try book.writeBook(["good", long, longer, "zz"], extraRows: bad)
        let result = try book.batch(holdings)
        #expect(result.status == 1, "\(result.stderr)")
        let rows = try Self.summary(book.output)
        #expect(rows.count == 5 && rows.filter { $0.status == "ok" }.count == 4, "\(rows.map { "\($0.unit.prefix(8)) \($0.status)" })")
        let failure = try #require(rows.first { $0.unit == "bad" })
        #expect(failure.error.contains("x0") && failure.error.contains("more problems"), "\(failure.error)")
        try Self.expectOnePlanPerUnit(book.output, units: 4)
    }

    // MARK: - 5. Temporary files of a killed run

    @Test("temporary files left by a killed run are removed by the next; other files stay")
    func staleTemporaryFilesAreRemoved() throws {
        let book = try Book()
        defer { book.remove() }
        let holdings = try book.writeBook(["a", "B"])
        let plansFolder = book.output.appendingPathComponent("plans")
        try FileManager.default.createDirectory(at: plansFolder, withIntermediateDirectories: true)
        let planted = [plansFolder.appendingPathComponent(".a.json.\(UUID().uuidString).tmp"),
                       plansFolder.appendingPathComponent(".^b.json.\(UUID().uuidString).tmp"),
                       book.output.appendingPathComponent(".summary.csv.\(UUID().uuidString).tmp")]
        for url in planted { try Data("{\"half".utf8).write(to: url) }
        let mine = plansFolder.appendingPathComponent(".notes.tmp")
        try Data("mine".utf8).write(to: mine)
        let result = try book.batch(holdings)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("removed 3 temporary files"), "\(result.stderr)")
        #expect(planted.allSatisfy { !FileManager.default.fileExists(atPath: $0.path) })
        #expect(FileManager.default.fileExists(atPath: mine.path))
    }

    // MARK: - 9. Symbolic links

    @Test("a symbolic link out of the holdings folder is not followed and nothing of its target is echoed")
    func symbolicLinksOutOfTheFolder() throws {
        let book = try Book()
        defer { book.remove() }
        let secret = book.folder.appendingPathComponent("secret")
        try FileManager.default.createDirectory(at: secret, withIntermediateDirectories: true)
        let secretFile = secret.appendingPathComponent("holdings.csv")
        try "SECRET-LINE root:x:0:0\nVTI,SECRET-TWO\n".write(to: secretFile, atomically: true, encoding: .utf8)
        let households = book.folder.appendingPathComponent("households")
        try FileManager.default.createDirectory(at: households.appendingPathComponent("linked-file"), withIntermediateDirectories: true)
        let csv = "Account,Account Type,Symbol,Quantity,Price\nH,IRA,VTI,10,200\nH,IRA,BND,5,70\n"
        try csv.write(to: households.appendingPathComponent("good.csv"), atomically: true, encoding: .utf8)
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: households.appendingPathComponent("evil.csv").path, withDestinationPath: secretFile.path)
        try fm.createSymbolicLink(atPath: households.appendingPathComponent("evil-folder").path, withDestinationPath: secret.path)
        try fm.createSymbolicLink(atPath: households.appendingPathComponent("linked-file/holdings.csv").path, withDestinationPath: secretFile.path)
        try fm.createSymbolicLink(atPath: households.appendingPathComponent("dangling.csv").path, withDestinationPath: "/nonexistent/x.csv")
        try fm.createSymbolicLink(atPath: households.appendingPathComponent("alias.csv").path, withDestinationPath: "good.csv")
        let result = try book.batch(households)
        #expect(result.status == 1)
        let rows = try Self.summary(book.output)
        #expect(Set(rows.map { "\($0.unit) \($0.status)" }) == ["alias ok", "dangling failed", "evil failed", "evil-folder failed",
                                                                  "good ok", "linked-file failed"], "\(rows.map { "\($0.unit) \($0.status)" })")
        #expect(rows.filter { $0.status == "failed" }.allSatisfy { $0.error.contains("symbolic link") })
        let summary = try String(contentsOf: book.output.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(!summary.contains("SECRET") && !result.stderr.contains("SECRET") && !result.stdout.contains("SECRET"))
    }
}
