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

        /// Where the unit comes from, for messages: its file or folder.
        var place: String {
            switch source {
            case .file(let url), .folder(let url): url.path
            case .account(_, let file): "\(file), account \(id)"
            case .rejected(let error): error.file
            case .refused(let error): if case .inconsistent(let file, _) = error { file } else { id }
            case .rows(let rows): "\(rows.book.url.path), account \(id)"
            }
        }
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
        /// A unit that cannot be planned as listed: a symbolic link out of the holdings folder,
        /// or a plan file name it would share with another unit.
        case refused(InputError)
        /// One account's rows of a book read as a stream, parsed when the unit runs.
        case rows(BookRows)
    }

    /// One account's rows of a streamed book (see ``isStreaming``), not yet parsed.
    public struct BookRows: Sendable {
        let book: HoldingsBook
        let chunk: HoldingsBook.Chunk
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
        /// The unit's plan file, relative to the output folder (`plans/NAME.json`); nil when
        /// the unit failed (no plan of it is left in the folder).
        public var plan: String?
        /// Whether a plan of this unit from an earlier run was replaced because it was made
        /// from other inputs (its fingerprint differs).
        public var replacedStalePlan = false
    }

    /// What a run did: the units' outcomes and the clean-up of an earlier, killed run.
    public struct Run: Sendable {
        /// The outcomes in unit order (units never started are absent); only the failed ones
        /// when the run was not keeping outcomes (`run(jobs:keepingOutcomes:...)`).
        public var outcomes: [Outcome]
        /// How many units ended, by status: planned (`ok`), kept from an earlier run (`reused`),
        /// failed.
        public var planned = 0, reused = 0, failed = 0
        /// How many plans of an earlier run were replaced because their inputs changed.
        public var replanned = 0
        /// Temporary files of an earlier run (killed before it could remove them) deleted
        /// before this run started.
        public var removedTemporaryFiles: Int
        /// The units that ended (planned, reused or failed).
        public var finished: Int { planned + reused + failed }
    }

    /// The columns of `summary.csv`, after `unit` and `status`. Money is plain (`1234.50`);
    /// `estimated_tax` is empty when the tax was not estimated (no tax rates; see
    /// `PlanReport.estimatedTax`).
    public static let summaryColumns = ["accounts", "trades", "sells", "buys", "costs", "realized_short_term",
                                        "realized_long_term", "estimated_tax", "cash_after", "turnover", "warnings"]

    /// The shared files.
    public var context: RebalanceContext
    /// The units of this shard, in a stable order, when the holdings were listed whole (a
    /// folder, or a book that cannot stream); empty when the book streams (``isStreaming``):
    /// its units are read as the run goes. ``unitCount`` counts them either way.
    public var units: [Unit]
    /// The output folder.
    public var output: URL
    /// The book read as a stream, when it can be (``HoldingsBook``).
    let book: HoldingsBook?
    /// The fingerprint bytes of the streamed book's securities (``sharedBytes(of:)``), the
    /// same for each of its accounts: made once, not once per unit.
    let bookSharedBytes: [UInt8]?
    /// This run's shard, `(k, n)`.
    let shard: (k: Int, n: Int)
    /// The number of units of this shard.
    public let unitCount: Int
    /// Whether the holdings file is read as a stream: a CSV book whose accounts come in
    /// ascending id order, each account's rows together (Documentation/Batch.md). Then the
    /// accounts are read in two passes over the file and planned as they are read, in memory
    /// that does not grow with the book.
    public var isStreaming: Bool { book != nil }

    /// Lists the units of a batch.
    ///
    /// In folder mode a file's unit id is its name without the extension and a subfolder's its
    /// name; when two entries would share an id (`smith.csv` and `smith.json`, `jones/` and
    /// `jones.csv`), each such file keeps its whole name as its id. An entry that is a symbolic
    /// link to something outside the holdings folder is not followed: its unit fails. Units
    /// whose plan file names still coincide (``planFileName(for:)``, compared ignoring case)
    /// fail too, each naming the other, rather than overwrite each other's plan.
    ///
    /// - Parameters:
    ///   - holdings: a holdings file (each account is a unit) or a folder of holdings files
    ///     (`.csv`/`.json`; each file is a household unit).
    ///   - context: the files the units share (target, policy, securities, prices), read once.
    ///   - output: the output folder (`plans/` and `summary.csv` go there).
    ///   - shard: `(k, n)` with 1 ≤ k ≤ n: keep only the units whose id hashes (FNV-1a, 64
    ///     bits) to `k − 1` modulo `n`, so n machines split a book without coordination.
    /// A holdings file that streams (``isStreaming``) is only indexed here (one pass over it,
    /// in bounded memory); its accounts are read again, one at a time, by ``run(jobs:keepingOutcomes:progress:isCancelled:)``.
    ///
    /// - Throws: `InputError` when the holdings file cannot be read.
    /// - Complexity: O(units × log units) besides reading the holdings file.
    public init(holdings: URL, context: RebalanceContext, output: URL, shard: (k: Int, n: Int) = (1, 1)) throws(InputError) {
        precondition(shard.n >= 1 && (1...shard.n).contains(shard.k), "Shard must be k/n with 1 <= k <= n")
        self.context = context
        self.output = output
        self.shard = shard
        var isDirectory: ObjCBool = false
        var units: [Unit]
        if FileManager.default.fileExists(atPath: holdings.path, isDirectory: &isDirectory), isDirectory.boolValue {
            units = Self.folderUnits(holdings)
        } else if let (book, count) = try Self.streamedBook(holdings, shard: shard) {
            self.book = book
            self.bookSharedBytes = Self.sharedBytes(of: book.shared)
            self.units = []
            self.unitCount = count
            return
        } else {
            let all: Holdings
            do { all = try HoldingsReader.read(contentsOf: holdings, isolatingAccountErrors: true, asOf: context.tradeDate, dateOrder: context.dateOrder) } catch { throw .file(error) }
            var shared = all
            shared.accounts = []
            shared.rejectedAccounts = [:]
            units = []
            for account in all.accounts {
                var one = shared
                one.accounts = [account]
                units.append(Unit(id: account.id, source: .account(one, file: holdings.path)))
            }
            for (id, error) in all.rejectedAccounts { units.append(Unit(id: id, source: .rejected(error))) }
            units.sort { $0.id < $1.id }
        }
        Self.refuseCollidingNames(&units)
        self.units = units.filter { Self.shard(of: $0.id, count: shard.n) == shard.k - 1 }
        self.book = nil
        self.bookSharedBytes = nil
        self.unitCount = self.units.count
    }

    /// The book indexed for streaming and the number of its units in `shard`, or nil when it
    /// cannot stream (``HoldingsBook/index(_:onAccount:)``) or two of its ids would share a
    /// plan file (then the whole read refuses them, as for any book).
    static func streamedBook(_ url: URL, shard: (k: Int, n: Int)) throws(InputError) -> (HoldingsBook, Int)? {
        var count = 0
        var hashedNames = Set<String>()
        var collides = false
        let book: HoldingsBook?
        do {
            book = try HoldingsBook.index(url) { id in
                if Self.shard(of: id, count: shard.n) == shard.k - 1 { count += 1 }
                // Ascending ids are distinct, and so are their escaped names; only names cut
                // and hashed could coincide.
                let name = planFileName(for: id)
                if name.contains("~"), !hashedNames.insert(name.lowercased()).inserted { collides = true }
            }
        } catch { throw .file(error) }
        guard let book, !collides else { return nil }
        return (book, count)
    }

    /// The household units of a folder, in name order (see `init`).
    static func folderUnits(_ folder: URL) -> [Unit] {
        let root = realPath(folder.path) ?? folder.path
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        var found: [(name: String, stem: String, source: Source)] = []
        for name in names {
            let url = folder.appendingPathComponent(name)
            let isHoldingsFile = name.hasSuffix(".csv") || name.hasSuffix(".json")
            guard let real = realPath(url.path), isInside(real, root) else {
                // A dangling link, or one out of the folder: listed (when it looks like a
                // household) and refused, never followed.
                var isLink = stat()
                if lstat(url.path, &isLink) == 0, isLink.st_mode & S_IFMT == S_IFLNK, isHoldingsFile || !name.contains(".") {
                    let message = "a symbolic link to a file outside the holdings folder (or to nothing); not followed"
                    found.append((name, isHoldingsFile ? url.deletingPathExtension().lastPathComponent : name,
                                  .refused(.inconsistent(file: url.path, message: message))))
                }
                continue
            }
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: real, isDirectory: &isFolder)
            if isFolder.boolValue {
                if firstExisting(in: url, ["holdings.csv", "holdings.json"]) != nil { found.append((name, name, .folder(url))) }
            } else if isHoldingsFile {
                found.append((name, url.deletingPathExtension().lastPathComponent, .file(url)))
            }
        }
        var stems: [String: Int] = [:]
        for entry in found { stems[entry.stem, default: 0] += 1 }
        return found.map { entry in
            let id: String
            if stems[entry.stem]! > 1, case .file = entry.source { id = entry.name } else { id = entry.stem }
            return Unit(id: id, source: entry.source)
        }
    }

    /// Refuses every unit whose plan file name another unit has too (ignoring case): equal ids
    /// (folder entries that still coincide) or, astronomically rarely, equal hashes.
    static func refuseCollidingNames(_ units: inout [Unit]) {
        var byName: [String: [Int]] = [:]
        for (k, unit) in units.enumerated() { byName[planFileName(for: unit.id).lowercased(), default: []].append(k) }
        for (name, indices) in byName where indices.count > 1 {
            for k in indices {
                let others = indices.filter { $0 != k }.map { "\"\(units[$0].id)\" (\(units[$0].place))" }.joined(separator: ", ")
                let message = "its plan file plans/\(name) would also be the plan of \(others); rename one of them"
                units[k].source = .refused(.inconsistent(file: units[k].place, message: message))
            }
        }
    }

    /// The canonical absolute path of `path` (symbolic links resolved), or nil when it does
    /// not resolve.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether the resolved path `path` is `root` or inside it.
    static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
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

    /// The longest escaped id kept whole in a plan file name, in bytes; longer ones are cut and
    /// hashed. With `.json` and the writer's temporary suffix the name stays far below the
    /// 255-byte limit of file names.
    public static let longestEscapedID = 150

    /// The plan file name of a unit id: distinct for distinct ids (compared byte for byte),
    /// even on a file system that ignores case, the same on every run, and readable.
    ///
    /// Lowercase ASCII letters, digits, `-`, `_` and `.` (except a leading one) stand for
    /// themselves; an uppercase letter is `^` and its lowercase (`B1` is `^b1`); every other
    /// byte of the id's UTF-8 is `%XX` (`a/b` is `a%2Fb`, `é` is `%C3%A9`). An escaped id over
    /// ``longestEscapedID`` bytes (or an empty one) is cut to 120 bytes at a whole escape and
    /// followed by `~` and the first 20 hex digits of the id's SHA-256 (`~` never occurs in an
    /// escaped id). Then `.json`.
    ///
    /// - Complexity: O(id's UTF-8 length).
    public static func planFileName(for id: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var escaped: [UInt8] = []
        var cut = 0  // the longest whole-escape prefix of at most 120 bytes
        for byte in id.utf8 {
            if escaped.count <= 120 { cut = escaped.count }
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                escaped.append(byte)
            case UInt8(ascii: ".") where !escaped.isEmpty:
                escaped.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                escaped += [UInt8(ascii: "^"), byte + 32]
            default:
                escaped += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        if escaped.count <= 120 { cut = escaped.count }
        var name = String(decoding: escaped, as: UTF8.self)
        if escaped.isEmpty || escaped.count > longestEscapedID {
            name = String(decoding: escaped[..<cut], as: UTF8.self) + "~" + String(SHA256.hex(of: Data(id.utf8)).prefix(20))
        }
        return name + ".json"
    }

    /// The unit id a plan file name stands for (the inverse of ``planFileName(for:)``), or nil
    /// when the name was cut and hashed (or is not a plan file name).
    ///
    /// - Complexity: O(name's length).
    public static func unitID(fromPlanFileName name: String) -> String? {
        guard name.hasSuffix(".json"), !name.contains("~") else { return nil }
        let escaped = Array(name.utf8.dropLast(5))
        var bytes: [UInt8] = []
        var i = 0
        func hexValue(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        while i < escaped.count {
            switch escaped[i] {
            case UInt8(ascii: "^"):
                guard i + 1 < escaped.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(escaped[i + 1]) else { return nil }
                bytes.append(escaped[i + 1] - 32)
                i += 2
            case UInt8(ascii: "%"):
                guard i + 2 < escaped.count, let high = hexValue(escaped[i + 1]), let low = hexValue(escaped[i + 2]) else { return nil }
                bytes.append(high << 4 | low)
                i += 3
            default:
                bytes.append(escaped[i])
                i += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The summary's file name: `summary.csv`, or `summary-K-of-N.csv` for shard K of N.
    public var summaryFileName: String { shard.n == 1 ? "summary.csv" : "summary-\(shard.k)-of-\(shard.n).csv" }
    /// The trade blotter's file name: `blotter.csv`, or `blotter-K-of-N.csv` for shard K of N.
    public var blotterFileName: String { shard.n == 1 ? "blotter.csv" : "blotter-\(shard.k)-of-\(shard.n).csv" }

    /// The file a unit's plan goes to: `plans/` and ``planFileName(for:)``.
    public func planURL(for id: String) -> URL {
        output.appendingPathComponent("plans").appendingPathComponent(Self.planFileName(for: id))
    }

    /// Runs every unit on `jobs` threads and writes `summary.csv` and `blotter.csv`.
    ///
    /// The run first takes an exclusive lock on the output folder (`flock` on the folder
    /// itself, released when the run ends or the process dies), so a second run on the same
    /// folder fails at once instead of mixing its plans with this one's; then it deletes the
    /// temporary files an earlier, killed run left behind. A plan already in the folder is kept
    /// only when its fingerprint (``fingerprint(of:holdings:context:)``) is this unit's:
    /// made from the same inputs, options, trade date and Folio version; otherwise the unit is
    /// planned again. A unit that fails leaves no plan behind.
    ///
    /// Units are handed to the workers as they are listed (a streamed book: as its accounts
    /// are read), through a queue of a few units per worker, and each unit's summary row and
    /// blotter rows are written in unit order as soon as the units before it are done, so
    /// memory does not grow with the book. `summary.csv` and `blotter.csv` go to temporary
    /// files, renamed into place at the end.
    ///
    /// - Parameters:
    ///   - jobs: worker threads (1 or more).
    ///   - keepingOutcomes: whether ``Run/outcomes`` lists every unit (true) or only the failed
    ///     ones (false: for a book of millions of units).
    ///   - progress: called after each unit with (done, total), from worker threads.
    ///   - isCancelled: polled before each unit; when it turns true, no new unit starts and
    ///     the run ends after the units in flight (their plans complete, atomically).
    /// - Returns: the outcomes in unit order (units never started are absent), counts and the
    ///   clean-up.
    /// - Throws: `AtomicFile.WriteError` when an output cannot be written, or when another run
    ///   holds the output folder.
    /// - Complexity: one plan per unit, plus O(files in the output folder) for the clean-up;
    ///   memory O(jobs) units.
    public func run(jobs: Int, keepingOutcomes: Bool = true, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
                    isCancelled: @escaping @Sendable () -> Bool = { false }) throws(AtomicFile.WriteError) -> Run {
        precondition(jobs >= 1, "At least one job")
        let whole = shard.n == 1
        let lock = whole ? try FolderLock(output) : try FolderLock(output, shard: "\(shard.k)-of-\(shard.n)")
        defer { lock.release() }
        let removed: Int
        if whole {
            removed = AtomicFile.removeTemporaryFiles(in: output) + AtomicFile.removeTemporaryFiles(in: output.appendingPathComponent("plans"))
        } else {
            // Other shards write beside this one: only this shard's leftovers go (a plan whose
            // name was cut and hashed cannot be told apart; a whole-book run removes those).
            let shard = self.shard
            removed = AtomicFile.removeTemporaryFiles(in: output) { [summaryFileName, blotterFileName].contains($0) }
                + AtomicFile.removeTemporaryFiles(in: output.appendingPathComponent("plans")) { name in
                    Self.unitID(fromPlanFileName: name).map { Self.shard(of: $0, count: shard.n) == shard.k - 1 } ?? false
                }
        }
        let sink = try BatchSink(summary: output.appendingPathComponent(summaryFileName), blotter: output.appendingPathComponent(blotterFileName),
                                 keepingOutcomes: keepingOutcomes)
        let queue = BatchQueue<(Int, Unit)>(capacity: 8 * jobs)
        let done = Atomic<Int>(0)
        // NSLock rather than Synchronization.Mutex: ThreadSanitizer does not see Mutex's
        // contended hand-off and reports a false race (Documentation/Reliability.md).
        let writeError = LockedBox<AtomicFile.WriteError?>(nil)
        let failed: @Sendable () -> Bool = { writeError.withLock { $0 != nil } }
        let total = unitCount
        // Plans are flushed to disk in groups (one syncfs per group, not one fsync per plan);
        // each still appears only complete. Whatever is queued is committed before returning.
        let writer = GroupCommitWriter()
        let workers = DispatchGroup()
        // Plain threads, not DispatchQueue.concurrentPerform: the workers wait on the queue
        // this thread fills, and a pool may not start them all.
        for _ in 0..<jobs {
            workers.enter()
            let thread = Thread {
                while let (i, unit) = queue.pop() {
                    // After a write error the queue is drained without planning.
                    if failed() { continue }
                    do throws(AtomicFile.WriteError) {
                        try sink.put(i, try self.process(unit, writer: writer))
                    } catch {
                        writeError.withLock { $0 = $0 ?? error }
                        continue
                    }
                    progress(done.add(1, ordering: .relaxed).newValue, total)
                }
                workers.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        var index = 0
        func produce(_ unit: Unit) -> Bool {
            guard !isCancelled(), !failed() else { return false }
            queue.push((index, unit))
            index += 1
            return true
        }
        var readError: FileError?
        if let book {
            let shard = self.shard
            do {
                try book.forEachAccount(wanted: { Self.shard(of: $0, count: shard.n) == shard.k - 1 }) { chunk in
                    produce(Unit(id: chunk.id, source: .rows(BookRows(book: book, chunk: chunk))))
                }
            } catch { readError = error }
        } else {
            for unit in units where !produce(unit) { break }
        }
        queue.close()
        workers.wait()
        do { try writer.commit() } catch { writeError.withLock { $0 = $0 ?? error } }
        if let readError {
            // The book vanished since it was indexed: nothing is published.
            writeError.withLock { $0 = $0 ?? .failure(path: output.appendingPathComponent("summary.csv").path,
                                                      reason: "the holdings file could not be read again: \(readError)") }
        }
        if let error = writeError.withLock({ $0 }) {
            sink.discard()
            throw error
        }
        var run = try sink.finish()
        run.removedTemporaryFiles = removed
        return run
    }

    /// The version of Folio that writes the plans: part of every plan's fingerprint, so that a
    /// new version plans again rather than keep an older version's plans.
    public static let folioVersion = "0.1.0"

    /// The fingerprint of a unit's plan: SHA-256 (64 hex digits) of the Folio version, the
    /// unit's id, its holdings (the file's bytes, or the account as read from the shared
    /// file, with the file's prices, classes and descriptions) and the context's fingerprint
    /// (trade date and every shared or household file, `RebalanceContext.fingerprint`).
    ///
    /// - Complexity: O(size of the unit's holdings).
    package static func fingerprint(of unit: Unit, holdings: Data, context: RebalanceContext) -> String {
        var hash = SHA256()
        hash.update(field: "folio " + folioVersion)
        hash.update(field: unit.id)
        hash.update(field: holdings)
        hash.update(field: context.fingerprint.hexDigest)
        return hash.hexDigest
    }

    /// The bytes a unit's holdings are fingerprinted by: the account (id, kind, cash,
    /// do-not-sell and do-not-buy lists, each position's lots: id, quantity, cost basis,
    /// acquisition time) and the shared file's classes, descriptions and prices (sorted by
    /// symbol), each text length-prefixed so that different holdings never share their bytes.
    ///
    /// `sharedPart`, when given, is ``sharedBytes(of:)`` of these holdings, made beforehand.
    ///
    /// - Complexity: O(lots + symbols × log symbols).
    static func canonicalBytes(of holdings: Holdings, sharedPart: [UInt8]? = nil) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4_096)
        func field(_ text: String) { appendField(text, to: &bytes) }
        field("accounts \(holdings.accounts.count)")
        for account in holdings.accounts {
            field("account"); field(account.id); field(account.kind.rawValue); field(DecimalText.description(account.cash))
            field("do-not-sell \(account.doNotSell.count)"); account.doNotSell.sorted().forEach(field)
            field("do-not-buy \(account.doNotBuy.count)"); account.doNotBuy.sorted().forEach(field)
            field("positions \(account.positions.count)")
            for position in account.positions {
                field(position.symbol); field("lots \(position.lots.count)")
                for lot in position.lots {
                    field(lot.id); field(DecimalText.description(lot.quantity)); field(DecimalText.description(lot.costBasis))
                    field(lot.acquired.timeIntervalSince1970.description)
                }
            }
        }
        bytes += sharedPart ?? sharedBytes(of: holdings)
        return Data(bytes)
    }

    /// The part of ``canonicalBytes(of:sharedPart:)`` that holds what the file says about the
    /// securities: classes, descriptions and prices, each sorted by symbol.
    ///
    /// - Complexity: O(symbols × log symbols).
    static func sharedBytes(of holdings: Holdings) -> [UInt8] {
        var bytes: [UInt8] = []
        func field(_ text: String) { appendField(text, to: &bytes) }
        for (name, map) in [("classes", holdings.assetClasses), ("descriptions", holdings.descriptions)] {
            field("\(name) \(map.count)")
            for key in map.keys.sorted() { field(key); field(map[key]!) }
        }
        field("prices \(holdings.prices.count)")
        for key in holdings.prices.keys.sorted() { field(key); field(DecimalText.description(holdings.prices[key]!)) }
        return bytes
    }

    /// Appends `text` length-prefixed: its UTF-8 byte count, `:`, its bytes.
    private static func appendField(_ text: String, to bytes: inout [UInt8]) {
        bytes += String(text.utf8.count).utf8
        bytes.append(UInt8(ascii: ":"))
        bytes += text.utf8
    }

    /// A unit's holdings, their file (for messages), the bytes they are fingerprinted by and
    /// the context they are planned in (a household folder's own target and policy set).
    func load(_ unit: Unit) throws(InputError) -> (holdings: Holdings, file: String, bytes: Data, context: RebalanceContext) {
        var context = self.context
        switch unit.source {
        case .file(let url):
            let data = (try? Data(contentsOf: url)) ?? Data()
            do { return (try HoldingsReader.read(contentsOf: url, asOf: context.tradeDate, dateOrder: context.dateOrder), url.path, data, context) } catch { throw .file(error) }
        case .folder(let folder):
            let root = Self.realPath(folder.path) ?? folder.path
            func inside(_ url: URL?) throws(InputError) -> URL? {
                guard let url else { return nil }
                guard let real = Self.realPath(url.path), Self.isInside(real, root) else {
                    throw .inconsistent(file: url.path, message: "a symbolic link to a file outside the household folder; not followed")
                }
                return url
            }
            guard let url = try inside(Self.firstExisting(in: folder, ["holdings.csv", "holdings.json"])) else {
                throw .file(.unreadable(folder.appendingPathComponent("holdings.csv").path, reason: "no such file"))
            }
            let holdings: Holdings
            do { holdings = try HoldingsReader.read(contentsOf: url, asOf: context.tradeDate, dateOrder: context.dateOrder) } catch { throw .file(error) }
            if let targets = try inside(Self.firstExisting(in: folder, ["targets.yaml", "targets.yml", "targets.json"])) {
                context = try context.settingTarget(contentsOf: targets)
            }
            if let policy = try inside(Self.firstExisting(in: folder, ["policy.yaml", "policy.yml", "policy.json"])) {
                context = try context.settingPolicy(contentsOf: policy)
            }
            return (holdings, url.path, (try? Data(contentsOf: url)) ?? Data(), context)
        case .account(let h, let f):
            return (h, f, Self.canonicalBytes(of: h), context)
        case .rows(let rows):
            let holdings = rows.book.read(rows.chunk, asOf: context.tradeDate, dateOrder: context.dateOrder)
            if let error = holdings.rejectedAccounts[unit.id] { throw .file(error) }
            guard holdings.accounts.map(\.id) == [unit.id] else {
                throw .inconsistent(file: rows.book.url.path, message: "the rows of account \(unit.id) from line \(rows.chunk.firstLine) read as another account; sort the file by account")
            }
            return (holdings, rows.book.url.path, Self.canonicalBytes(of: holdings, sharedPart: bookSharedBytes), context)
        case .rejected(let error):
            throw .file(error)
        case .refused(let error):
            throw error
        }
    }

    /// A unit's plan report and its fingerprint, or, when a plan of an earlier run with that
    /// fingerprint is in place, that plan's figures and trades (nothing is planned).
    package func report(for unit: Unit, planAt url: URL) throws -> (report: PlanReport?, reused: (figures: [String: String], plans: [RebalancePlan])?, stale: Bool) {
        let (holdings, file, bytes, context) = try load(unit)
        let fingerprint = Self.fingerprint(of: unit, holdings: bytes, context: context)
        var stale = false
        if let data = try? Data(contentsOf: url) {
            if let figures = Self.figures(fromPlanJSON: data, fingerprint: fingerprint), let plans = Self.plans(fromPlanJSON: data) {
                return (nil, (figures, plans), false)
            }
            stale = true
        }
        guard context.hasTarget else {
            throw InputError.inconsistent(file: file, message: "no target: give --targets, or put targets.yaml beside the holdings")
        }
        let partOfBook = { switch unit.source { case .account, .rows: true; default: false } }()
        let inputs = try RebalanceInputs.assemble(holdings: holdings, file: file, context: context, partOfBook: partOfBook)
        let run = try inputs.rebalance()
        var planReport = PlanReport(title: unit.id, plans: run.plans, target: inputs.target, notes: inputs.notes + run.notes, names: [:])
        planReport.fingerprint = fingerprint
        return (planReport, nil, stale)
    }

    /// Plans one unit and writes its plan; returns its outcome and trades.
    func process(_ unit: Unit, writer: GroupCommitWriter) throws(AtomicFile.WriteError) -> BatchSink.Finished {
        let url = planURL(for: unit.id)
        let plan = "plans/" + url.lastPathComponent
        let refused = { if case .refused = unit.source { true } else { false } }()
        let report: PlanReport
        let stale: Bool
        do {
            let made = try self.report(for: unit, planAt: url)
            if let reused = made.reused {
                return .init(Outcome(id: unit.id, status: "reused", figures: reused.figures, error: nil, plan: plan), plans: reused.plans)
            }
            report = made.report!
            stale = made.stale
        } catch {
            // A plan left from an earlier run is not a plan of these inputs: it goes.
            if !refused { unlink(url.path) }
            return .init(Outcome(id: unit.id, status: "failed", figures: [:], error: Self.oneLine(error)), plans: [])
        }
        let data: Data
        do { data = try report.planJSON() } catch {
            unlink(url.path)
            return .init(Outcome(id: unit.id, status: "failed", figures: [:], error: "cannot encode the plan: \(error)"), plans: [])
        }
        try writer.write(data, to: url)
        return .init(Outcome(id: unit.id, status: "ok", figures: Self.figures(of: report), error: nil, plan: plan, replacedStalePlan: stale),
                     plans: report.plans)
    }

    /// How many problems of a unit's file its summary row lists.
    static let problemsListed = 5

    /// A unit's error on one line: a file's first ``problemsListed`` problems and how many
    /// more there are.
    static func oneLine(_ error: any Error) -> String {
        if case .file(let file)? = error as? InputError, file.issues.count > problemsListed {
            let more = file.truncated ? "more than \(file.issues.count - problemsListed)" : "\(file.issues.count - problemsListed)"
            return (file.issues.prefix(problemsListed).map(\.description) + ["\(file.file): \(more) more problems"]).joined(separator: "; ")
        }
        return String(describing: error).replacingOccurrences(of: "\n", with: "; ")
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

    /// The summary figures of a plan file, or nil when it is not a complete plan made with
    /// `fingerprint`. Money is decoded as `Decimal` from the JSON text, so figures match to
    /// the cent.
    static func figures(fromPlanJSON data: Data, fingerprint: String) -> [String: String]? {
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
            var fingerprint: String?
        }
        struct Ignored: Decodable { init(from decoder: any Decoder) throws {} }
        guard let s = try? JSONDecoder().decode(Summary.self, from: data), s.fingerprint == fingerprint else { return nil }
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
