import Foundation
import FolioFiles
import FolioRebalancing
import FolioReports
import Synchronization

/// Rebalances a firm's book: many accounts (one holdings file holding them all) or many
/// households (a folder of holdings files), spread over the cores of one machine, with a
/// stable shard of the book per machine for an outside scheduler.
///
/// Each unit's plan is written atomically to `plans/<unit>.json` as soon as it is done, and
/// `summary.csv` at the end. A unit that fails is listed with its error; the others still
/// complete. Re-running after an interruption keeps the plans already written and completes
/// the rest. The outputs do not depend on the number of jobs.
public struct BatchRebalance: Sendable {
    /// One piece of work: a household (a holdings file) or an account of a shared file.
    public struct Unit: Sendable {
        /// The unit's id: the account id, or the holdings file's name.
        public var id: String
        /// Where its holdings come from.
        public var source: Source
    }

    /// Where a unit's holdings come from.
    public enum Source: Sendable {
        /// A holdings file to read (one household).
        case file(URL)
        /// A household folder: `holdings.csv` (or `.json`), with its own `targets.yaml` and
        /// `policy.yaml` when present (they replace the batch's).
        case folder(URL)
        /// One account already read from a shared file.
        case account(Holdings, file: String)
        /// An account of a shared file whose rows have errors.
        case rejected(FileError)
    }

    /// How one unit ended.
    public struct Outcome: Sendable, Equatable {
        /// The unit's id.
        public var id: String
        /// `ok`, `failed` or `reused` (a complete plan from an earlier run was kept).
        public var status: String
        /// The summary row's figures (empty when the unit failed).
        public var figures: [String: String]
        /// The error, one line, when the unit failed.
        public var error: String?
    }

    /// The columns of `summary.csv`, after `unit` and `status`. Money is plain (`1234.50`);
    /// `estimated_tax` is empty when the tax was not estimated (no tax rates; see
    /// `PlanReport.estimatedTax`).
    public static let summaryColumns = ["accounts", "trades", "sells", "buys", "costs", "realized_short_term",
                                        "realized_long_term", "estimated_tax", "cash_after", "turnover", "warnings"]

    /// The shared files.
    public var context: RebalanceContext
    /// The units of this shard, in a stable order.
    public var units: [Unit]
    /// The output folder.
    public var output: URL

    /// Lists the units of a batch.
    ///
    /// - Parameters:
    ///   - holdings: a holdings file (each account is a unit) or a folder of holdings files
    ///     (`.csv`/`.json`; each file is a household unit).
    ///   - context: the files the units share (target, policy, securities, prices), read once.
    ///   - output: the output folder (`plans/` and `summary.csv` go there).
    ///   - shard: `(k, n)` with 1 ≤ k ≤ n: keep only the units whose id hashes (FNV-1a, 64
    ///     bits) to `k − 1` modulo `n`, so n machines split a book without coordination.
    /// - Throws: `InputError` when the holdings file cannot be read.
    public init(holdings: URL, context: RebalanceContext, output: URL, shard: (k: Int, n: Int) = (1, 1)) throws(InputError) {
        precondition(shard.n >= 1 && (1...shard.n).contains(shard.k), "Shard must be k/n with 1 <= k <= n")
        var isDirectory: ObjCBool = false
        var units: [Unit] = []
        if FileManager.default.fileExists(atPath: holdings.path, isDirectory: &isDirectory), isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: holdings.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                let url = holdings.appendingPathComponent(name)
                var isFolder: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder)
                if isFolder.boolValue {
                    if Self.firstExisting(in: url, ["holdings.csv", "holdings.json"]) != nil {
                        units.append(Unit(id: name, source: .folder(url)))
                    }
                } else if name.hasSuffix(".csv") || name.hasSuffix(".json") {
                    units.append(Unit(id: url.deletingPathExtension().lastPathComponent, source: .file(url)))
                }
            }
        } else {
            let all: Holdings
            do { all = try HoldingsReader.read(contentsOf: holdings, isolatingAccountErrors: true, asOf: context.tradeDate) } catch { throw .file(error) }
            var shared = all
            shared.accounts = []
            shared.rejectedAccounts = [:]
            for account in all.accounts {
                var one = shared
                one.accounts = [account]
                units.append(Unit(id: account.id, source: .account(one, file: holdings.path)))
            }
            for (id, error) in all.rejectedAccounts { units.append(Unit(id: id, source: .rejected(error))) }
            units.sort { $0.id < $1.id }
        }
        self.units = units.filter { Self.shard(of: $0.id, count: shard.n) == shard.k - 1 }
        self.context = context
        self.output = output
    }

    static func firstExisting(in folder: URL, _ names: [String]) -> URL? {
        names.map { folder.appendingPathComponent($0) }.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The shard (0 ..< count) a unit id belongs to: FNV-1a of its UTF-8 bytes, modulo count.
    public static func shard(of id: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(count))
    }

    /// The file a unit's plan goes to. Ids are made safe for a file name.
    public func planURL(for id: String) -> URL {
        let safe = String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        return output.appendingPathComponent("plans").appendingPathComponent(safe + ".json")
    }

    /// Runs every unit on `jobs` threads and writes `summary.csv`.
    ///
    /// - Parameters:
    ///   - jobs: worker threads (1 or more).
    ///   - progress: called after each unit with (done, total), from worker threads.
    ///   - isCancelled: polled before each unit; when it turns true, no new unit starts and
    ///     the run ends after the units in flight (their plans complete, atomically).
    /// - Returns: the outcomes in unit order (units never started are absent).
    /// - Throws: `AtomicFile.WriteError` when an output cannot be written.
    public func run(jobs: Int, progress: @Sendable (Int, Int) -> Void = { _, _ in },
                    isCancelled: @Sendable () -> Bool = { false }) throws(AtomicFile.WriteError) -> [Outcome] {
        precondition(jobs >= 1, "At least one job")
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        // NSLock rather than Synchronization.Mutex: ThreadSanitizer does not see Mutex's
        // contended hand-off and reports a false race (Documentation/Reliability.md).
        let results = LockedBox<[Int: Outcome]>([:])
        let writeError = LockedBox<AtomicFile.WriteError?>(nil)
        let total = units.count
        // Plans are flushed to disk in groups (one syncfs per group, not one fsync per plan);
        // each still appears only complete. Whatever is queued is committed before returning.
        let writer = GroupCommitWriter()
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(total, 1))) { _ in
            while !isCancelled() {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < total else { return }
                do throws(AtomicFile.WriteError) {
                    let outcome = try self.process(units[i], writer: writer)
                    results.withLock { $0[i] = outcome }
                } catch {
                    writeError.withLock { $0 = $0 ?? error }
                    return
                }
                progress(done.add(1, ordering: .relaxed).newValue, total)
            }
        }
        do { try writer.commit() } catch { writeError.withLock { $0 = $0 ?? error } }
        if let error = writeError.withLock({ $0 }) { throw error }
        let outcomes = results.withLock { r in (0..<total).compactMap { r[$0] } }
        let rows = outcomes.map { o in [o.id, o.status] + Self.summaryColumns.map { o.figures[$0] ?? "" } + [o.error ?? ""] }
        try AtomicFile.write(CSVWriter.document(header: ["unit", "status"] + Self.summaryColumns + ["error"], rows: rows),
                             to: output.appendingPathComponent("summary.csv"))
        return outcomes
    }

    func process(_ unit: Unit, writer: GroupCommitWriter) throws(AtomicFile.WriteError) -> Outcome {
        let url = planURL(for: unit.id)
        if let data = try? Data(contentsOf: url), let figures = Self.figures(fromPlanJSON: data) {
            return Outcome(id: unit.id, status: "reused", figures: figures, error: nil)
        }
        let report: PlanReport
        do {
            let holdings: Holdings, file: String
            var context = self.context
            switch unit.source {
            case .file(let url):
                do { holdings = try HoldingsReader.read(contentsOf: url, asOf: context.tradeDate) } catch { throw InputError.file(error) }
                file = url.path
            case .folder(let folder):
                let url = Self.firstExisting(in: folder, ["holdings.csv", "holdings.json"])!
                do { holdings = try HoldingsReader.read(contentsOf: url, asOf: context.tradeDate) } catch { throw InputError.file(error) }
                file = url.path
                if let targets = Self.firstExisting(in: folder, ["targets.yaml", "targets.yml", "targets.json"]) {
                    context = try context.settingTarget(contentsOf: targets)
                }
                if let policy = Self.firstExisting(in: folder, ["policy.yaml", "policy.yml", "policy.json"]) {
                    context = try context.settingPolicy(contentsOf: policy)
                }
            case .account(let h, let f):
                holdings = h
                file = f
            case .rejected(let error):
                throw InputError.file(error)
            }
            guard context.hasTarget else {
                throw InputError.inconsistent(file: file, message: "no target: give --targets, or put targets.yaml beside the holdings")
            }
            let inputs = try RebalanceInputs.assemble(holdings: holdings, file: file, context: context,
                                                      partOfBook: { if case .account = unit.source { return true } else { return false } }())
            let run = try inputs.rebalance()
            report = PlanReport(title: unit.id, plans: run.plans, target: inputs.target, notes: inputs.notes + run.notes, names: [:])
        } catch {
            let message = String(describing: error).replacingOccurrences(of: "\n", with: "; ")
            return Outcome(id: unit.id, status: "failed", figures: [:], error: message)
        }
        let data: Data
        do { data = try report.json() } catch {
            return Outcome(id: unit.id, status: "failed", figures: [:], error: "cannot encode the plan: \(error)")
        }
        try writer.write(data, to: url)
        return Outcome(id: unit.id, status: "ok", figures: Self.figures(of: report), error: nil)
    }

    /// The summary figures of a report (the same as `figures(fromPlanJSON:)` of its JSON).
    static func figures(of report: PlanReport) -> [String: String] {
        let money = { (value: Decimal) in ReportFormat.plain(value, places: 2) }
        let plans = report.plans
        let sum = { (value: (RebalancePlan) -> Decimal) in plans.reduce(Decimal(0)) { $0 + value($1) } }
        return [
            "accounts": "\(plans.count)", "trades": "\(report.trades.count)",
            "sells": money(sum(\.totalSells)), "buys": money(sum(\.totalBuys)), "costs": money(sum(\.totalCosts)),
            "realized_short_term": money(sum(\.realizedShortTermGain)), "realized_long_term": money(sum(\.realizedLongTermGain)),
            "estimated_tax": report.estimatedTax.map(money) ?? "", "cash_after": money(sum(\.cashAfter)),
            "turnover": String(format: "%.6f", report.turnover), "warnings": "\(report.warnings.count)",
        ]
    }

    /// The summary figures of a plan file, or nil when it is not a complete plan. Money is
    /// decoded as `Decimal` from the JSON text, so figures match to the cent.
    static func figures(fromPlanJSON data: Data) -> [String: String]? {
        struct Gains: Decodable { var shortTerm, longTerm: Decimal }
        struct Summary: Decodable {
            var trades: [Ignored]
            var accounts: [Ignored]
            var warnings: [String]
            var totalSells, totalBuys, totalCosts, cashAfter: Decimal
            /// `null` when the tax was not estimated.
            var estimatedTax: Decimal?
            var realizedGains: Gains
            var turnover: Double
        }
        struct Ignored: Decodable { init(from decoder: any Decoder) throws {} }
        guard let s = try? JSONDecoder().decode(Summary.self, from: data) else { return nil }
        let money = { (value: Decimal) in ReportFormat.plain(value, places: 2) }
        return [
            "accounts": "\(s.accounts.count)", "trades": "\(s.trades.count)",
            "sells": money(s.totalSells), "buys": money(s.totalBuys), "costs": money(s.totalCosts),
            "realized_short_term": money(s.realizedGains.shortTerm), "realized_long_term": money(s.realizedGains.longTerm),
            "estimated_tax": s.estimatedTax.map(money) ?? "", "cash_after": money(s.cashAfter),
            "turnover": String(format: "%.6f", s.turnover), "warnings": "\(s.warnings.count)",
        ]
    }
}

/// A value guarded by an `NSLock`, shared between the batch's worker threads.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
