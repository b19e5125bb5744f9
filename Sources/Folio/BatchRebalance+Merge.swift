import Foundation
import FolioFiles
import FolioReports

extension BatchRebalance {
    /// What ``merge(holdings:output:shards:)`` wrote.
    public struct Merged: Sendable {
        /// Units in the merged summary, by status (`ok`, `reused`, `failed`).
        public var statuses: [String: Int]
        /// Trades in the merged blotter.
        public var trades: Int
        /// The units.
        public var units: Int { statuses.values.reduce(0, +) }
    }

    /// Joins the outputs of the `shards` shards of a book (`folio batch --shard K/N`, each
    /// writing `summary-K-of-N.csv` and `blotter-K-of-N.csv` into `output`) into
    /// `summary.csv` and `blotter.csv`, byte for byte what one run over the whole book writes:
    /// units in the book's order (the units are listed again from `holdings`, read as a
    /// stream when it can be), each unit's rows taken from its shard's files.
    ///
    /// - Throws: `InputError` when the holdings cannot be listed, a shard's file is missing,
    ///   or a shard's file does not hold exactly its units of the book, in order (a shard
    ///   that did not finish: run it again), naming the file and the unit; `AtomicFile.WriteError`
    ///   when an output cannot be written or a batch holds the folder.
    /// - Complexity: O(size of the book and the shards' files), memory O(one row per shard).
    public static func merge(holdings: URL, output: URL, shards: Int) throws -> Merged {
        precondition(shards >= 1, "At least one shard")
        let lock = try FolderLock(output)
        defer { lock.release() }
        var summaries: [CSVRecords] = []
        var blotters: [CSVRecords] = []
        for k in 1...shards {
            summaries.append(try CSVRecords(output.appendingPathComponent("summary-\(k)-of-\(shards).csv")))
            blotters.append(try CSVRecords(output.appendingPathComponent("blotter-\(k)-of-\(shards).csv")))
        }
        let summary = try AtomicFile.Stream(output.appendingPathComponent("summary.csv"))
        let blotter = try AtomicFile.Stream(output.appendingPathComponent("blotter.csv"))
        var merged = Merged(statuses: [:], trades: 0)
        var failure: (any Error)?
        do {
            for (files, stream) in [(summaries, summary), (blotters, blotter)] {
                let headers = files.map(\.header)
                guard headers.allSatisfy({ $0 == headers[0] }) else {
                    throw InputError.inconsistent(file: files[1...].first { $0.header != headers[0] }!.url.path,
                                                  message: "its header is not the header of \(files[0].url.lastPathComponent)")
                }
                try stream.append(headers[0] + "\n")
            }
            try forEachUnitID(holdings: holdings) { id in
                let k = shard(of: id, count: shards)
                let prefix = CSVWriter.field(id) + ","
                guard let row = summaries[k].next(), row.hasPrefix(prefix) else {
                    throw InputError.inconsistent(file: summaries[k].url.path,
                                                  message: "no row for unit \(id) where the book has it: the shard did not finish (run it again) or ran on another book")
                }
                try summary.append(row + "\n")
                let status = row.dropFirst(prefix.count).prefix { $0 != "," }
                merged.statuses[String(status), default: 0] += 1
                while let trade = blotters[k].peek(), trade.hasPrefix(prefix) {
                    try blotter.append(trade + "\n")
                    merged.trades += 1
                    _ = blotters[k].next()
                }
            }
            for file in summaries + blotters where file.peek() != nil {
                throw InputError.inconsistent(file: file.url.path, message: "rows after the book's last unit of this shard (unit \(file.peek()!.prefix(60))...): it was made from another book")
            }
            try summary.finish()
            try blotter.finish()
        } catch {
            failure = error
        }
        if let failure {
            summary.discard()
            blotter.discard()
            throw failure
        }
        return merged
    }

    /// Calls `body` with each unit id of `holdings` in the order a batch lists them (the
    /// order of its summary).
    static func forEachUnitID(holdings: URL, _ body: (String) throws -> Void) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: holdings.path, isDirectory: &isDirectory), isDirectory.boolValue {
            for unit in folderUnits(holdings) { try body(unit.id) }
            return
        }
        var ids: [String] = []
        // The index pass lists the ids of a book that streams, in order.
        let streams = try HoldingsBook.index(holdings) { ids.append($0) } != nil
        if !streams {
            let all = try HoldingsReader.read(contentsOf: holdings, isolatingAccountErrors: true)
            ids = (all.accounts.map(\.id) + all.rejectedAccounts.keys).sorted()
        }
        for id in ids { try body(id) }
    }
}

/// The records of a CSV file, one at a time, as text without the line end (a quoted field
/// may hold line breaks); the first is the header.
final class CSVRecords {
    let url: URL
    let header: String
    private var lines: LineReader
    private var pending: String?

    init(_ url: URL) throws {
        self.url = url
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw InputError.file(.unreadable(url.path, reason: "no such file (did every shard run?)"))
        }
        var lines = try LineReader(url)
        guard let first = Self.record(&lines) else { throw InputError.file(.unreadable(url.path, reason: "empty")) }
        header = first
        pending = Self.record(&lines)
        self.lines = lines
    }

    /// The next record without taking it.
    func peek() -> String? { pending }

    /// Takes the next record.
    func next() -> String? {
        defer { pending = Self.record(&lines) }
        return pending
    }

    private static func record(_ lines: inout LineReader) -> String? {
        guard let first = lines.next() else { return nil }
        var bytes = Array(first.bytes)
        // Line breaks inside quotes: an odd number of quotes so far leaves a field open.
        while bytes.count(where: { $0 == UInt8(ascii: "\"") }) % 2 == 1, let more = lines.next() {
            bytes.append(0x0A)
            bytes += more.bytes
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
