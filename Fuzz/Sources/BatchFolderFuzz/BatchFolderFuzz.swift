// Structure-aware libFuzzer target for `folio batch`'s folder walker and batch planner.
//
// The fuzz bytes are read as choices that build a small holdings folder in a temporary
// directory: household files (`.csv`/`.json`, sometimes sharing a stem or differing only in
// case, sometimes with hostile names: Unicode, `%`, `^`, `~`, 200-byte names), household
// subfolders (with `holdings.csv`, sometimes a symbolic link out), symbolic links to a secret
// file or folder outside, dangling links, links to a sibling, hidden files, and contents from
// well-formed holdings (account ids from the bytes, repeated ids in JSON) to garbage. The
// batch is then run in process, twice.
//
// Isolation properties checked after each run (any violation traps, which libFuzzer reports):
// - every unit is listed in summary.csv exactly once, `ok`/`reused` or `failed`;
// - each planned unit has its own plan file (no two names equal ignoring case), holding its
//   id as the title; no other plan file is present, and no temporary file is left;
// - nothing outside the output folder changed (the holdings folder and the secret files);
// - no byte of the secret files' contents appears in summary.csv or in any outcome;
// - a unit whose file is a link out of the folder failed;
// - a second run on the same inputs keeps every plan (`reused`) and fails the same units.
import Folio
import Foundation
import FuzzChoices

let secretMark = "SECRETMARK"
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("folio-batch-fuzz-\(getpid())")
let secretFolder = scratch.appendingPathComponent("secret")
let secretFile = secretFolder.appendingPathComponent("holdings.csv")
/// The shared files, read once: a target by security, prices from the holdings' price column.
let context: RebalanceContext = {
    try? FileManager.default.createDirectory(at: secretFolder, withIntermediateDirectories: true)
    try? "\(secretMark) root:x:0:0\nVTI,\(secretMark)2\n".write(to: secretFile, atomically: true, encoding: .utf8)
    let targets = scratch.appendingPathComponent("targets.yaml")
    try? "targets:\n  VTI: 0.6\n  BND: 0.4\n".write(to: targets, atomically: true, encoding: .utf8)
    return try! RebalanceContext.load(targets: targets, asOf: Date(timeIntervalSince1970: 1_773_619_200))
}()

/// A name for an entry: short and plain, a case variant, Unicode, or hostile.
func name(_ c: inout Choices) -> String {
    let stems = ["smith", "Smith", "SMITH", "jones", "a b", "a_b", "a%2Fb", "^smith", "x~y", "é", "e\u{301}", "日本", "=1+2",
                 "<b>", String(repeating: "l", count: 200), "holdings", "-x", "a.b"]
    return c.pick(stems)
}

/// Account ids inside a file.
func accountID(_ c: inout Choices) -> String {
    c.pick(["A", "a", "B", "A/B", "A_B", "é", "e\u{301}", String(repeating: "k", count: 230), "x\"y", "Total"])
}

func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

/// A household file's contents.
func contents(_ c: inout Choices, json: Bool) -> String {
    var ids: [String] = []
    for _ in 0..<c.int(1...3) { ids.append(accountID(&c)) }
    switch c.int(0...5) {
    // Garbage never holds an uppercase S, so the secret's mark can only come from the secret.
    case 0: return String(decoding: (0..<c.int(0...40)).map { _ in c.byte() }.map { $0 == UInt8(ascii: "S") ? UInt8(ascii: "s") : $0 }, as: UTF8.self)
    case 1: return "not a header at all\n"
    default:
        if json {
            let accounts = ids.map { id in
                let idText = String(data: try! JSONEncoder().encode(id), encoding: .utf8)!
                return #"{"id": \#(idText), "kind": "IRA", "cash": \#(c.int(0...500)), "lots": [{"symbol": "VTI", "quantity": \#(c.int(1...20)), "price": 200}, {"symbol": "BND", "quantity": \#(c.int(0...20)), "price": 70}]}"#
            }
            return #"{"accounts": [\#(accounts.joined(separator: ",\n"))]}"#
        }
        var csv = "Symbol,Account,Account Type,Quantity,Price\n"
        for id in ids {
            csv += "VTI,\(quoted(id)),IRA,\(c.int(0...20)),200\n"
            csv += "BND,\(quoted(id)),IRA,\(c.pick(["5", "x", "-1", "1e3", ""])),70\n"
        }
        return csv
    }
}

/// Every file under `url` (relative path -> bytes), not following links.
func snapshot(_ url: URL) -> [String: Data] {
    var files: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: url.path) else { return files }
    for case let path as String in walker {
        let full = url.appendingPathComponent(path).path
        var info = stat()
        guard lstat(full, &info) == 0 else { continue }
        if info.st_mode & S_IFMT == S_IFLNK {
            files[path] = Data(((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?").utf8)
        } else if info.st_mode & S_IFMT == S_IFREG {
            files[path] = FileManager.default.contents(atPath: full) ?? Data()
        }
    }
    return files
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("BatchFolderFuzz: \(message())") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var c = Choices(bytes: UnsafeBufferPointer(start: data, count: size))
    _ = context
    let run = scratch.appendingPathComponent("run")
    try? FileManager.default.removeItem(at: run)
    let holdings = run.appendingPathComponent("households"), output = run.appendingPathComponent("out")
    try! FileManager.default.createDirectory(at: holdings, withIntermediateDirectories: true)
    var linkedOut: Set<[UInt8]> = []  // entry names (bytes: Swift compares Unicode forms equal) that link out
    let fm = FileManager.default
    for _ in 0..<c.int(1...6) {
        let stem = name(&c)
        switch c.int(0...8) {
        case 0, 1: try? contents(&c, json: false).write(to: holdings.appendingPathComponent(stem + ".csv"), atomically: false, encoding: .utf8)
        case 2: try? contents(&c, json: true).write(to: holdings.appendingPathComponent(stem + ".json"), atomically: false, encoding: .utf8)
        case 3:
            let folder = holdings.appendingPathComponent(stem)
            try? fm.createDirectory(at: folder, withIntermediateDirectories: true)
            if c.int(0...3) == 0 {
                try? fm.createSymbolicLink(atPath: folder.appendingPathComponent("holdings.csv").path, withDestinationPath: secretFile.path)
            } else {
                try? contents(&c, json: false).write(to: folder.appendingPathComponent("holdings.csv"), atomically: false, encoding: .utf8)
            }
        case 4:
            if (try? fm.createSymbolicLink(atPath: holdings.appendingPathComponent(stem + ".csv").path, withDestinationPath: secretFile.path)) != nil {
                linkedOut.insert(Array((stem + ".csv").utf8))
            }
        case 5:
            if (try? fm.createSymbolicLink(atPath: holdings.appendingPathComponent(stem).path, withDestinationPath: secretFolder.path)) != nil {
                linkedOut.insert(Array(stem.utf8))
            }
        case 6: try? fm.createSymbolicLink(atPath: holdings.appendingPathComponent(stem + ".json").path, withDestinationPath: "/nonexistent/\(stem)")
        case 7: try? fm.createSymbolicLink(atPath: holdings.appendingPathComponent(stem + ".csv").path, withDestinationPath: name(&c) + ".csv")
        default: try? contents(&c, json: false).write(to: holdings.appendingPathComponent("." + stem + ".csv"), atomically: false, encoding: .utf8)
        }
    }
    let before = snapshot(run), secretBefore = snapshot(secretFolder)
    var previous: [String: String]? = nil
    for pass in 0..<2 {
        let batch: BatchRebalance
        do { batch = try BatchRebalance(holdings: holdings, context: context, output: output) } catch {
            fatalError("BatchFolderFuzz: a folder walk threw \(error)")
        }
        let result: BatchRebalance.Run
        do { result = try batch.run(jobs: 1 + Int(c.byte() % 2)) } catch { fatalError("BatchFolderFuzz: run threw \(error)") }
        let outcomes = result.outcomes
        check(outcomes.count == batch.units.count, "\(outcomes.count) outcomes for \(batch.units.count) units")
        let planned = outcomes.filter { $0.status == "ok" || $0.status == "reused" }
        let names = planned.compactMap(\.plan)
        check(names.count == planned.count && Set(names.map { $0.lowercased() }).count == names.count, "plan names \(names)")
        let files = (try? fm.contentsOfDirectory(atPath: output.appendingPathComponent("plans").path)) ?? []
        check(Set(files.map { "plans/" + $0 }) == Set(names), "plan files \(files) for \(names)")
        for o in planned {
            let plan = try! JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent(o.plan!))) as! [String: Any]
            check((plan["title"] as? String).map { Array($0.utf8) } == Array(o.id.utf8), "\(o.plan!) is not \(o.id)'s plan")
        }
        for o in outcomes where o.status == "failed" {
            check(o.plan == nil, "a failed unit names a plan")
            check(!(o.error ?? "").contains(secretMark), "secret echoed in \(o.error ?? "")")
        }
        for unit in batch.units {
            switch unit.source {
            case .file(let url), .folder(let url): check(!linkedOut.contains(Array(url.lastPathComponent.utf8)), "\(url.path) links out and is read")
            default: break
            }
        }
        let summary = try! String(contentsOf: output.appendingPathComponent("summary.csv"), encoding: .utf8)
        check(!summary.contains(secretMark), "secret echoed in summary.csv")
        check(summary.split(separator: "\n", omittingEmptySubsequences: false).count >= outcomes.count + 1, "summary rows")
        let now = snapshot(run).filter { !$0.key.hasPrefix("out/") }
        check(now == before.filter { !$0.key.hasPrefix("out/") }, "the holdings folder changed")
        check(snapshot(secretFolder) == secretBefore, "a file outside changed")
        let statuses = Dictionary(outcomes.map { ($0.id, $0.status == "failed" ? "failed" : "planned") }, uniquingKeysWith: { a, _ in a })
        if pass == 1 {
            check(statuses == previous, "the second run differs: \(statuses) vs \(previous ?? [:])")
            check(planned.allSatisfy { $0.status == "reused" }, "a plan of the same inputs was not kept")
        }
        previous = statuses
    }
    try? FileManager.default.removeItem(at: run)
    return 0
}
