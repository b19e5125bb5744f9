import ArgumentParser
import Folio
import Foundation
import Synchronization

/// `folio batch`: `run` (the default: `folio batch --holdings ...`) and `merge`.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Rebalance many accounts or households (folio batch run, the default), or merge the outputs of shards (folio batch merge).",
        discussion: """
        `folio batch` with options is `folio batch run`: see `folio help batch run` for every option.

        Examples:
          folio batch --holdings book.csv --targets targets.yaml \\
            --output out --jobs 2
          folio batch merge --holdings book.csv --output out --shards 3
        """,
        subcommands: [BatchRunCommand.self, BatchMergeCommand.self],
        defaultSubcommand: BatchRunCommand.self)
}

/// `folio batch merge`: joins the shards' summaries and blotters.
struct BatchMergeCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the summaries and blotters of the shards of a book (folio batch --shard K/N) into summary.csv and blotter.csv.",
        discussion: """
        Run it once every shard has finished, with the same --holdings as the shards and their shared --output: it writes OUTPUT/summary.csv and OUTPUT/blotter.csv exactly as one run over the whole book would (units in the book's order), from OUTPUT/summary-K-of-N.csv and OUTPUT/blotter-K-of-N.csv. A missing shard file, or a shard that did not finish, is an error naming it; nothing is written then.

        Example (three shards, then the merge):
          for k in 1 2 3; do folio batch --holdings book.csv --targets targets.yaml --output out --shard $k/3 & done; wait
          folio batch merge --holdings book.csv --output out --shards 3
        """)

    @Option(help: "The holdings the shards ran on (file or folder).")
    var holdings: String

    @Option(help: "The output folder the shards wrote to.")
    var output: String

    @Option(help: "N, the number of shards (--shard K/N).")
    var shards: Int

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard shards >= 1 else { throw ValidationError("--shards must be at least 1") }
    }

    func run() throws {
        let merged: BatchRebalance.Merged
        do {
            merged = try BatchRebalance.merge(holdings: URL(fileURLWithPath: holdings), output: URL(fileURLWithPath: output), shards: shards)
        } catch {
            throw DataFailure(error)
        }
        let s = merged.statuses
        print("\(merged.units) units from \(shards) shards: \(s["ok", default: 0]) planned, \(s["reused", default: 0]) kept from an earlier run, \(s["failed", default: 0]) failed; \(merged.trades) trades; summary in \(output)/summary.csv, trades in \(output)/blotter.csv")
        if s["failed", default: 0] > 0 { throw ExitCode(1) }
    }
}

/// `folio batch [run]`: one plan per account or household, in parallel, shardable.
struct BatchRunCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Rebalance many accounts or households: one plan each, plus summary.csv.",
        discussion: """
        --holdings is one file holding many accounts (each account is rebalanced on its own), or a folder of households: holdings files, or subfolders each with holdings.csv and, optionally, its own targets.yaml and policy.yaml (which replace --targets and --policy for that household).

        Plans are written to OUTPUT/plans/<unit>.json as they complete (atomically), then OUTPUT/summary.csv and OUTPUT/blotter.csv (every trade of every unit, by unit then in the plan's order, with a leading unit column; see Documentation/Batch.md), whose plan column names each unit's file (its estimated_tax is empty when the tax was not estimated: no tax rates in the policy or --profile). A unit id is escaped into its file name: lowercase letters, digits, - _ . stay, an uppercase letter is ^ and the letter (B1 -> ^b1.json), any other byte %XX (a/b -> a%2Fb.json); a very long id is cut and ends in ~ and a hash. A unit that fails is listed in the summary with its error and leaves no plan; the others complete; the exit status is then 1. Interrupted (Ctrl-C, SIGTERM), the run stops starting units, keeps every finished plan complete, and exits 130; running it again keeps the plans made from the same inputs (each plan holds a fingerprint of its inputs, options, trade date and Folio version), plans the rest again, and deletes temporary files a killed run left. A second run on the same OUTPUT while one is running fails at once.

        --shard K/N keeps the units whose id hashes to K-1 modulo N (1 <= K <= N), so N copies of this command on N machines (Kubernetes Indexed Jobs, Slurm arrays, AWS Batch) split a book without coordination, side by side in one OUTPUT: shard K writes plans/ and summary-K-of-N.csv, blotter-K-of-N.csv, and `folio batch merge` joins them (Documentation/Batch.md). Outputs do not depend on --jobs.

        A holdings CSV whose accounts come in ascending id order, each account's rows together (a custodian export sorted by account), is read as a stream: memory stays bounded whatever the book's size. Any other book is read whole first (same results, memory proportional to the file).

        Example (the three sample households, each with its own target and policy):
          folio batch --holdings Examples/Data/households \\
            --securities Examples/Data/securities.csv \\
            --prices Examples/Data/prices.csv --output batch --jobs 2
        """)

    @Option(help: "A holdings file with many accounts, or a folder of holdings files.")
    var holdings: String

    @Option(help: "Targets file (YAML or JSON), for every unit without its own targets.yaml.")
    var targets: String?

    @Option(help: "Policy file (YAML or JSON).")
    var policy: String?

    @Option(help: "Client profile (YAML or JSON) for every unit: its tax_rates apply where the policy sets none; its constraints.exclude_symbols are not bought.")
    var profile: String?

    @Option(help: "Securities file (CSV).")
    var securities: String?

    @Option(help: "Prices file (CSV).")
    var prices: String?

    @Option(name: .customLong("as-of"), help: "Trade date, YYYY-MM-DD.")
    var asOf: String?

    @Option(help: "Output folder.")
    var output: String

    @Option(parsing: .unconditional, help: "Worker threads (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "K/N: process the K-th of N stable shards of the units.")
    var shard: String = "1/1"

    @OptionGroup var dates: DateFormatOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard Self.parseShard(shard) != nil else { throw ValidationError("--shard must be K/N with 1 <= K <= N, not \(shard)") }
        if let asOf, RebalanceCommand.parseDate(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
    }

    static func parseShard(_ text: String) -> (k: Int, n: Int)? {
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else { return nil }
        return (parts[0], parts[1])
    }

    func run() throws {
        // One BLAS thread per worker: the batch already uses every core.
        BLASConfiguration.setThreadCountUnlessConfigured(1)
        let batch: BatchRebalance
        do {
            var context = try RebalanceContext.load(
                targets: targets.map { URL(fileURLWithPath: $0) }, policy: policy.map { URL(fileURLWithPath: $0) },
                profile: profile.map { URL(fileURLWithPath: $0) }, securities: securities.map { URL(fileURLWithPath: $0) }, prices: prices.map { URL(fileURLWithPath: $0) },
                asOf: asOf.flatMap(RebalanceCommand.parseDate))
            context.dateOrder = dates.order
            batch = try BatchRebalance(holdings: URL(fileURLWithPath: holdings), context: context,
                                       output: URL(fileURLWithPath: output), shard: Self.parseShard(shard)!)
        } catch {
            throw DataFailure(error)
        }
        let cancelled = Interruption.install()
        // A progress line only on a terminal: a log or a pipe gets the final line alone.
        let meter = isatty(STDERR_FILENO) == 1 ? ProgressMeter() : nil
        let run: BatchRebalance.Run
        do {
            run = try batch.run(jobs: jobs, keepingOutcomes: false, progress: { done, total in meter?.update(done: done, total: total) },
                                isCancelled: { cancelled.isSet })
        } catch {
            meter?.end()
            throw DataFailure(error)
        }
        meter?.end()
        let failed = run.outcomes.filter { $0.status == "failed" }
        if run.removedTemporaryFiles > 0 {
            FileHandle.standardError.write(Data("removed \(run.removedTemporaryFiles) temporary files left by an interrupted run\n".utf8))
        }
        print("\(run.finished) of \(batch.unitCount) units: \(run.planned) planned, \(run.reused) kept from an earlier run, \(run.failed) failed; \(run.replanned) re-planned (their earlier plan was made from other inputs); summary in \(output)/\(batch.summaryFileName), trades in \(output)/\(batch.blotterFileName)")
        for f in failed { FileHandle.standardError.write(Data("error: \(TerminalText.escaped("\(f.id): \(f.error ?? "failed")", keepingNewlines: false))\n".utf8)) }
        if cancelled.isSet {
            FileHandle.standardError.write(Data("interrupted: \(batch.unitCount - run.finished) units not started; run again to complete them\n".utf8))
            throw ExitCode(130)
        }
        if !failed.isEmpty { throw ExitCode(1) }
    }
}

/// The progress line of a batch on a terminal: units done, rate and time left, redrawn at
/// most ten times a second.
final class ProgressMeter: @unchecked Sendable {
    private let lock = NSLock()
    private let start = ContinuousClock.now
    private var last = ContinuousClock.now - .seconds(1)
    private var drawn = false

    func update(done: Int, total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = ContinuousClock.now
        guard done == total || now - last >= .milliseconds(100) else { return }
        last = now
        let elapsed = Double((now - start).components.seconds) + Double((now - start).components.attoseconds) / 1e18
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Int((Double(total - done) / rate).rounded(.up)) : 0
        let percent = total == 0 ? 100 : done * 100 / total
        let line = "\r\(done)/\(total) units (\(percent)%), \(Int(rate.rounded())) units/s, \(left / 60)m\(String(format: "%02d", left % 60))s left "
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    /// Ends the line (once something was drawn).
    func end() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }
}

/// SIGINT and SIGTERM set a flag instead of killing the process, so a batch can finish the
/// plans in flight and leave only complete files behind.
final class Interruption: Sendable {
    private let flag = Atomic<Bool>(false)
    // Dispatch sources are thread-safe; they are only kept alive here, never mutated.
    nonisolated(unsafe) private let sources: [any DispatchSourceSignal]

    /// Whether a signal arrived.
    var isSet: Bool { flag.load(ordering: .relaxed) }

    private init(signals: [Int32]) {
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: number, queue: .global()))
        }
        self.sources = sources
    }

    static func install() -> Interruption {
        let interruption = Interruption(signals: [SIGINT, SIGTERM])
        for source in interruption.sources {
            source.setEventHandler { [weak interruption] in interruption?.flag.store(true, ordering: .relaxed) }
            source.resume()
        }
        return interruption
    }
}
