import Foundation

/// A holdings CSV of many accounts read as a stream, for `folio batch`: one pass (the index
/// pass) over the bytes learns what the file says about each security (prices, asset
/// classes, descriptions, as ``HoldingsReader`` reads them for the whole file) and counts the
/// accounts; a second pass hands out each account's rows, which a worker parses on its own
/// (``read(_:asOf:)``). Memory stays bounded by one read buffer and the securities, whatever
/// the file's size.
///
/// What the file must be to stream: CSV with an account column, each account's rows together
/// and the accounts in ascending order of their ids (Swift's `<` on the normalized ids, the
/// order `folio batch` lists units in; a custodian export sorted by account is), every record
/// on one line (no line break inside quotes), no row wider than the header and no row
/// without an account id. ``index(_:)`` returns nil otherwise, and the batch reads the file
/// whole with ``HoldingsReader`` instead: the same units, plans and errors, with memory
/// proportional to the file.
package struct HoldingsBook: Sendable {
    /// One account's rows, as they are in the file.
    package struct Chunk: Sendable {
        /// The account id (normalized).
        package var id: String
        /// The rows, one per line, each ending in a line feed.
        package var rows: [UInt8]
        /// The line number of the first row.
        package var firstLine: Int
    }

    /// The file.
    package let url: URL
    /// What the whole file says about the securities: prices, asset classes, descriptions
    /// and the lines skipped from the totals row on (no accounts).
    package let shared: Holdings
    /// The number of accounts.
    package let accountCount: Int
    let knownPrices: [String: (price: Decimal, line: Int)]
    let header: [UInt8]
    let headerFields: Int
    let dataStart: (offset: Int, line: Int)
    let dataEnd: Int
    let accountColumn: Int
    /// The acquired dates that decide how the whole file's slash dates read: the first that
    /// decides alone and, when there is one, an ambiguous one (for the note), as
    /// `HoldingsReader` would find them in the whole file.
    var acquiredDates: [(text: String, line: Int)] = []

    /// Indexes `url`, or returns nil when the file cannot be streamed (see the type's
    /// description); the caller then reads it with ``HoldingsReader``. `onAccount` is called
    /// with each account id, in file order.
    ///
    /// - Throws: `FileError.unreadable` when the file cannot be opened.
    /// - Complexity: O(file size), one pass, memory O(securities).
    package static func index(_ url: URL, onAccount: (String) -> Void = { _ in }) throws(FileError) -> HoldingsBook? {
        guard url.pathExtension.lowercased() != "json" else { return nil }
        var lines = try LineReader(url)
        // The header: among the first records, as HoldingsReader finds it.
        var prefix: [UInt8] = []
        var prefixLines: [(start: Int, bytes: Int)] = []
        while prefixLines.count < 64, prefix.count < 1 << 20, let line = lines.next() {
            guard !line.hasLoneCR else { return nil }
            prefixLines.append((prefix.count, line.bytes.count))
            prefix += line.bytes
            prefix.append(0x0A)
        }
        guard let prefixText = String(validating: prefix, as: UTF8.self),
              let table = try? CSVTable(parsing: prefixText, file: url.path) else { return nil }
        var issues = IssueCollector(file: url.path)
        guard let columns = try? CSVColumns<HoldingsReader.Field>(table: table, aliases: HoldingsReader.aliases, required: [.symbol, .quantity],
                                                                  mapping: [:], issues: &issues),
              issues.issues.isEmpty, let accountColumn = columns.index[.account],
              columns.header.fields.allSatisfy({ $0.line == columns.header.line }) else { return nil }
        let headerLine = columns.header.line
        let headerBytes = Array(prefix[prefixLines[headerLine - 1].start..<(prefixLines[headerLine - 1].start + prefixLines[headerLine - 1].bytes)])
        var start = 0
        for k in 0..<headerLine { start += lines.lineEnds[k] }
        var book = Builder(columns: columns, accountColumn: accountColumn)
        var reader = try LineReader(url, from: start, line: headerLine + 1)
        while let line = reader.next() {
            guard !line.hasLoneCR, book.add(line, onAccount: onAccount) else { return nil }
            if book.ended && book.dataEnd == nil { book.dataEnd = line.offset }
        }
        guard !book.failed else { return nil }
        var shared = Holdings(accounts: [], assetClasses: book.classes, prices: book.prices.mapValues(\.price),
                              descriptions: book.descriptions, skippedLines: book.skipped)
        shared.rejectedAccounts = [:]
        return HoldingsBook(url: url, shared: shared, accountCount: book.accounts, knownPrices: book.prices,
                            header: headerBytes, headerFields: columns.header.fields.count,
                            dataStart: (start, headerLine + 1), dataEnd: book.dataEnd ?? Int.max, accountColumn: accountColumn,
                            acquiredDates: [book.decidingDate, book.ambiguousDate].compactMap { $0 })
    }

    /// Hands each account's rows to `body`, in file order; `body` returns false to stop.
    /// `wanted` says, from the id, whether the account's rows are needed (the others are
    /// skipped without being copied).
    ///
    /// - Throws: `FileError.unreadable` when the file cannot be read.
    /// - Complexity: O(file size), memory O(one account's rows).
    package func forEachAccount(wanted: (String) -> Bool = { _ in true }, _ body: (Chunk) -> Bool) throws(FileError) {
        var reader = try LineReader(url, from: dataStart.offset, line: dataStart.line)
        var splitter = FieldSplitter()
        var current: Chunk? = nil
        var currentRaw: [UInt8] = []
        var keep = false
        while let line = reader.next(), line.offset < dataEnd {
            guard splitter.split(line.bytes), !splitter.isBlank else {
                if keep { current!.rows += line.bytes; current!.rows.append(0x0A) }
                continue
            }
            let raw = splitter.raw(accountColumn)
            if current == nil || !raw.elementsEqual(currentRaw) {
                let id = IdentifierText.normalized(splitter.text(accountColumn))
                if id != current?.id {
                    if let done = current, keep, !body(done) { return }
                    current = Chunk(id: id, rows: [], firstLine: line.number)
                    keep = wanted(id)
                }
                currentRaw = Array(raw)
            }
            if keep {
                current!.rows += line.bytes
                current!.rows.append(0x0A)
            }
        }
        if let done = current, keep { _ = body(done) }
    }

    /// Parses one account's rows, as ``HoldingsReader/read(contentsOf:defaultAccount:columnMapping:isolatingAccountErrors:asOf:)``
    /// with `isolatingAccountErrors` would for this account of the whole file: the account,
    /// or its errors in `rejectedAccounts`, with the file's line numbers; prices, classes and
    /// descriptions are the whole file's.
    ///
    /// Slash dates are read in `dateOrder` when given; otherwise as the whole file's acquired
    /// dates decide (``DateOrder``), found by the index pass.
    ///
    /// - Complexity: O(the account's rows).
    package func read(_ chunk: Chunk, asOf: Date?, dateOrder: DateOrder? = nil) -> Holdings {
        let text = String(decoding: header + [0x0A] + chunk.rows, as: UTF8.self)
        var holdings: Holdings
        do {
            holdings = try HoldingsReader.parseCSV(text, file: url.path, isolatingAccountErrors: true, asOf: asOf,
                                                   dateOrder: dateOrder, knownPrices: knownPrices, firstLine: chunk.firstLine - 1,
                                                   columnDates: ColumnDates(cells: acquiredDates, given: dateOrder, file: url.path))
        } catch {
            holdings = Holdings(accounts: [])
            holdings.rejectedAccounts = [chunk.id: error]
        }
        var result = shared
        result.accounts = holdings.accounts
        result.rejectedAccounts = holdings.rejectedAccounts
        result.notes = holdings.notes
        return result
    }

    /// The index pass's state: what HoldingsReader would record about the securities, row by
    /// row, and whether the file can stream.
    struct Builder {
        let columns: CSVColumns<HoldingsReader.Field>
        let accountColumn: Int
        var splitter = FieldSplitter()
        var prices: [String: (price: Decimal, line: Int)] = [:]
        var classes: [String: String] = [:]
        var descriptions: [String: String] = [:]
        var skipped: [Int] = []
        var accounts = 0
        var currentID: String? = nil
        var currentRaw: [UInt8] = []
        var ended = false
        var dataEnd: Int? = nil
        var failed = false
        var decidingDate: (text: String, line: Int)? = nil
        var ambiguousDate: (text: String, line: Int)? = nil

        init(columns: CSVColumns<HoldingsReader.Field>, accountColumn: Int) {
            self.columns = columns
            self.accountColumn = accountColumn
        }

        func column(_ field: HoldingsReader.Field) -> Int? { columns.index[field] }

        /// Reads one line; false when the file cannot stream.
        mutating func add(_ line: LineReader.Line, onAccount: (String) -> Void) -> Bool {
            guard splitter.split(line.bytes) else { failed = true; return false }
            if splitter.isBlank { return true }
            if ended { skipped.append(line.number); return true }
            let symbolIndex = column(.symbol)!
            let symbolText = splitter.count > symbolIndex ? splitter.text(symbolIndex) : ""
            if splitter.mayBeTotals(0) || splitter.mayBeTotals(symbolIndex),
               isTotalsRow([splitter.text(0), symbolText]) {
                ended = true
                skipped.append(line.number)
                return true
            }
            // A row wider than the header, or without an account id, is an error of the whole file.
            if splitter.count > columns.header.fields.count,
               (columns.header.fields.count..<splitter.count).contains(where: { !splitter.isEmpty($0) }) { return false }
            guard splitter.count > accountColumn else { return false }
            let raw = splitter.raw(accountColumn)
            if currentID == nil || !raw.elementsEqual(currentRaw) {
                let id = IdentifierText.normalized(splitter.text(accountColumn))
                guard !id.isEmpty else { return false }
                if id != currentID {
                    // Ascending ids: each account's rows together, in the order the batch lists them.
                    if let currentID, !(currentID < id) { return false }
                    accounts += 1
                    onAccount(id)
                    currentID = id
                }
                currentRaw = Array(raw)
            }
            // The file's date order, as HoldingsReader decides it over the whole column.
            if decidingDate == nil || ambiguousDate == nil, let a = column(.acquired), splitter.count > a {
                let text = splitter.text(a)
                if !NumberText.isMissing(text) {
                    if decidingDate == nil, DateOrder.decided(by: text) != nil { decidingDate = (text, line.number) }
                    if ambiguousDate == nil, DateOrder.isAmbiguous(text) { ambiguousDate = (text, line.number) }
                }
            }
            // What HoldingsReader records about the security, from the rows it accepts that far.
            guard !symbolText.isEmpty, let symbol = IdentifierText.symbol(symbolText), symbol != "CASH" else { return true }
            let priceText = column(.price).map { splitter.text($0) } ?? ""
            let classText = column(.assetClass).map { splitter.text($0) } ?? ""
            let descriptionText = column(.description).map { splitter.text($0) } ?? ""
            let needsPrice = prices[symbol] == nil && !NumberText.isMissing(priceText)
            let needsClass = !NumberText.isMissing(classText) && classes[symbol] != classText.lowercased()
            let needsDescription = !descriptionText.isEmpty && descriptions[symbol] == nil
            guard needsPrice || needsClass || needsDescription else { return true }
            let quantityText = splitter.text(column(.quantity)!)
            guard !quantityText.contains("$"), !quantityText.contains("("), let quantity = NumberText.decimal(quantityText), quantity > 0 else {
                return true
            }
            if needsPrice, let price = NumberText.decimal(priceText), price > 0 { prices[symbol] = (price, line.number) }
            if needsClass { classes[symbol] = classText.lowercased() }
            if needsDescription { descriptions[symbol] = descriptionText }
            return true
        }
    }
}

/// Reads a file line by line through a bounded buffer.
package struct LineReader {
    /// One line.
    package struct Line {
        /// The line's bytes, without its line end (LF or CR LF).
        package var bytes: ArraySlice<UInt8>
        /// Its one-based line number.
        package var number: Int
        /// The byte offset of its start in the file.
        package var offset: Int
        /// Whether it holds a CR that does not end it (an old Mac line end).
        package var hasLoneCR: Bool
    }

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var offset: Int
    private var number: Int
    /// The length of each line read so far, line end included (kept for the first lines only).
    private(set) var lineEnds: [Int] = []
    static let blockSize = 1 << 20

    /// Opens `url` at byte `offset`, whose line is numbered `line`.
    /// - Throws: `FileError.unreadable` when the file cannot be opened.
    package init(_ url: URL, from offset: Int = 0, line: Int = 1) throws(FileError) {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw .unreadable(url.path, reason: FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "no such file")
        }
        self.handle = handle
        self.offset = offset
        self.number = line
        if offset > 0 { try? handle.seek(toOffset: UInt64(offset)) }
    }

    /// The next line, or nil at the end of the file.
    package mutating func next() -> Line? {
        while true {
            if let end = buffer[position...].firstIndex(of: 0x0A) {
                return take(upTo: end, ending: 1)
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                return take(upTo: buffer.count, ending: 0)
            }
            buffer.removeFirst(position)
            position = 0
            let block = (try? handle.read(upToCount: Self.blockSize)) ?? nil
            if let block, !block.isEmpty { buffer += block } else { atEnd = true }
        }
    }

    private mutating func take(upTo end: Int, ending: Int) -> Line {
        var bytes = buffer[position..<end]
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        let line = Line(bytes: bytes, number: number, offset: offset, hasLoneCR: bytes.contains(0x0D))
        let length = end - position + ending
        if lineEnds.count < 64 { lineEnds.append(length) }
        offset += length
        number += 1
        position = end + ending
        return line
    }
}

/// Splits one CSV line into fields as `CSVTable` does (quoted fields, doubled quotes,
/// surrounding spaces trimmed), keeping byte ranges and making text only on demand.
struct FieldSplitter {
    private var line: ArraySlice<UInt8> = []
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var quoted: [Bool] = []

    /// The number of fields of the line last split.
    var count: Int { starts.count }

    /// Splits `line`; false when the line has a field `CSVTable` would read otherwise than a
    /// plain split (a quote left open, text after a closing quote).
    mutating func split(_ line: ArraySlice<UInt8>) -> Bool {
        self.line = line
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        quoted.removeAll(keepingCapacity: true)
        var i = line.startIndex
        while true {
            var s = i
            while s < line.endIndex, line[s] == 0x20 || line[s] == 0x09 { s += 1 }
            if s < line.endIndex, line[s] == UInt8(ascii: "\"") {
                var j = s + 1
                while true {
                    guard j < line.endIndex else { return false }
                    if line[j] == UInt8(ascii: "\"") {
                        if j + 1 < line.endIndex, line[j + 1] == UInt8(ascii: "\"") { j += 2; continue }
                        break
                    }
                    j += 1
                }
                starts.append(s + 1); ends.append(j); quoted.append(true)
                var k = j + 1
                while k < line.endIndex, line[k] == 0x20 || line[k] == 0x09 { k += 1 }
                if k == line.endIndex { return true }
                guard line[k] == UInt8(ascii: ",") else { return false }
                i = k + 1
            } else {
                var j = i
                var wide = false
                while j < line.endIndex, line[j] != UInt8(ascii: ",") {
                    // A quote after non-ASCII text could follow a Unicode space, which CSVTable
                    // skips before opening a quoted field: leave such a line to CSVTable.
                    if line[j] >= 0x80 { wide = true } else if line[j] == UInt8(ascii: "\""), wide { return false }
                    j += 1
                }
                starts.append(i); ends.append(j); quoted.append(false)
                if j == line.endIndex { return true }
                i = j + 1
            }
        }
    }

    /// The raw bytes of field `k` (untrimmed, quotes not undone).
    func raw(_ k: Int) -> ArraySlice<UInt8> {
        k < count ? line[starts[k]..<ends[k]] : line[line.endIndex...]
    }

    /// Field `k`'s text as `CSVTable` reads it ("" when the line has no such field).
    func text(_ k: Int) -> String {
        guard k < count else { return "" }
        let bytes = line[starts[k]..<ends[k]]
        let text = String(decoding: bytes, as: UTF8.self)
        if quoted[k] { return bytes.contains(UInt8(ascii: "\"")) ? text.replacingOccurrences(of: "\"\"", with: "\"") : text }
        guard bytes.contains(where: { $0 >= 0x80 || $0 <= 0x20 }) else { return text }
        return String(text.unicodeScalars.drop { $0.properties.isWhitespace }).trimmed
    }

    /// Whether field `k` is empty as `CSVTable` reads it.
    func isEmpty(_ k: Int) -> Bool {
        if quoted[k] || starts[k] == ends[k] { return starts[k] == ends[k] }
        return line[starts[k]..<ends[k]].allSatisfy { $0 == 0x20 || $0 == 0x09 } || text(k).isEmpty
    }

    /// Whether every field is empty (a record `CSVTable` drops).
    var isBlank: Bool { (0..<count).allSatisfy(isEmpty) }

    /// A cheap test: whether field `k` could be a totals cell (it holds "tot" in any case).
    func mayBeTotals(_ k: Int) -> Bool {
        let bytes = raw(k)
        guard bytes.count >= 5 else { return false }
        var i = bytes.startIndex
        while i + 2 < bytes.endIndex {
            if bytes[i] | 0x20 == UInt8(ascii: "t"), bytes[i + 1] | 0x20 == UInt8(ascii: "o"), bytes[i + 2] | 0x20 == UInt8(ascii: "t") { return true }
            i += 1
        }
        return false
    }
}
