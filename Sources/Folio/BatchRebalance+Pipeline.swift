import Foundation
import FolioFiles
import FolioRebalancing
import FolioReports

/// A bounded first-in, first-out queue between the thread that lists a batch's units and
/// its workers: `push` waits while it is full, `pop` while it is empty and open.
final class BatchQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private var closed = false
    private let capacity: Int

    init(capacity: Int) {
        precondition(capacity >= 1, "A queue holds at least one element")
        self.capacity = capacity
    }

    /// Adds `element`, waiting while the queue is full.
    func push(_ element: Element) {
        condition.lock()
        while items.count - head >= capacity { condition.wait() }
        if head > capacity { items.removeFirst(head); head = 0 }
        items.append(element)
        condition.broadcast()
        condition.unlock()
    }

    /// The next element, waiting while the queue is empty; nil once it is closed and empty.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed { condition.wait() }
        guard head < items.count else { return nil }
        let element = items[head]
        head += 1
        condition.broadcast()
        return element
    }

    /// No more elements will come.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Where a batch's finished units go: `summary.csv` and `blotter.csv`, one unit at a time
/// in unit order (a unit that finishes early waits for the ones before it), streamed to
/// temporary files that ``finish()`` renames into place.
final class BatchSink: @unchecked Sendable {
    /// A finished unit: its outcome and its summary line and blotter rows, formatted by the
    /// worker that planned it (outside the sink's lock, so that `--jobs N` formats in
    /// parallel; the sink only appends them in unit order).
    struct Finished: Sendable {
        var outcome: BatchRebalance.Outcome
        /// The unit's `summary.csv` line.
        var summaryLine: String
        /// The unit's `blotter.csv` rows (one line per trade of its plans).
        var blotterLines: String

        init(_ outcome: BatchRebalance.Outcome, plans: [RebalancePlan]) {
            self.outcome = outcome
            let o = outcome
            summaryLine = BatchSink.line([o.id, o.status] + BatchRebalance.summaryColumns.map { o.figures[$0] ?? "" } + [o.error ?? "", o.plan ?? ""])
            var lines = ""
            for row in PlanReport.tradeFile(plans: plans).rows { lines += BatchSink.line([o.id] + row) }
            blotterLines = lines
        }
    }

    /// The blotter's columns: `unit`, then the per-plan trade file's (`PlanReport.tradeFileHeader`).
    static var blotterColumns: [String] { ["unit"] + PlanReport.tradeFileHeader }
    /// The summary's columns.
    static var summaryColumns: [String] { ["unit", "status"] + BatchRebalance.summaryColumns + ["error", "plan"] }

    private let lock = NSLock()
    private let summary: AtomicFile.Stream
    private let blotter: AtomicFile.Stream
    private let keepingOutcomes: Bool
    private var waiting: [Int: Finished] = [:]
    private var next = 0
    private var run = BatchRebalance.Run(outcomes: [], removedTemporaryFiles: 0)

    init(summary: URL, blotter: URL, keepingOutcomes: Bool) throws(AtomicFile.WriteError) {
        self.summary = try AtomicFile.Stream(summary)
        self.blotter = try AtomicFile.Stream(blotter)
        self.keepingOutcomes = keepingOutcomes
        try self.summary.append(Self.line(Self.summaryColumns))
        try self.blotter.append(Self.line(Self.blotterColumns))
    }

    static func line(_ fields: [String]) -> String {
        fields.map(CSVWriter.field).joined(separator: ",") + "\n"
    }

    /// Records unit `index` and writes every unit now in order.
    func put(_ index: Int, _ finished: Finished) throws(AtomicFile.WriteError) {
        lock.lock()
        defer { lock.unlock() }
        waiting[index] = finished
        while let ready = waiting.removeValue(forKey: next) {
            try write(ready)
            next += 1
        }
    }

    private func write(_ finished: Finished) throws(AtomicFile.WriteError) {
        let o = finished.outcome
        try summary.append(finished.summaryLine)
        if !finished.blotterLines.isEmpty { try blotter.append(finished.blotterLines) }
        switch o.status {
        case "ok": run.planned += 1
        case "reused": run.reused += 1
        default: run.failed += 1
        }
        if o.replacedStalePlan { run.replanned += 1 }
        if keepingOutcomes || o.status == "failed" { run.outcomes.append(o) }
    }

    /// Publishes both files (every unit handed in was in order: the ones that never started
    /// come after all that did).
    func finish() throws(AtomicFile.WriteError) -> BatchRebalance.Run {
        lock.lock()
        defer { lock.unlock() }
        precondition(waiting.isEmpty, "Every finished unit is written")
        try summary.finish()
        try blotter.finish()
        return run
    }

    /// Abandons both files.
    func discard() {
        summary.discard()
        blotter.discard()
    }
}

extension BatchRebalance {
    /// The account plans of a plan file, in order, or nil when it has none to read.
    static func plans(fromPlanJSON data: Data) -> [RebalancePlan]? {
        struct Document: Decodable { var accounts: [RebalancePlan] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = Self.day(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date YYYY-MM-DD: \(text)"))
            }
            return date
        }
        return (try? decoder.decode(Document.self, from: data))?.accounts
    }

    /// Midnight UTC of a `YYYY-MM-DD` date (as plans write dates), or nil.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.utf8.count == 10 else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day) = (parts[0], parts[1], parts[2])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }
}

extension BatchRebalance {
    /// Every unit of this shard, in order, read at once (a streamed book's too): for tests and
    /// tools on small books; ``run(jobs:keepingOutcomes:progress:isCancelled:)`` never holds them all.
    ///
    /// - Throws: `InputError` when the holdings file cannot be read again.
    /// - Complexity: O(size of the holdings).
    package func listedUnits() throws(InputError) -> [Unit] {
        guard let book else { return units }
        var listed: [Unit] = []
        let shard = self.shard
        do {
            try book.forEachAccount(wanted: { Self.shard(of: $0, count: shard.n) == shard.k - 1 }) { chunk in
                listed.append(Unit(id: chunk.id, source: .rows(BookRows(book: book, chunk: chunk))))
                return true
            }
        } catch { throw .file(error) }
        return listed
    }
}
