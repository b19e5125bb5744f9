import Foundation

extension PricesReader {
    /// A wide prices file read straight from its UTF-8 bytes, or nil when the text has
    /// anything this path leaves to ``parseStrict(_:file:)``.
    ///
    /// Cells are split at commas and line ends without building a string per cell; each price
    /// is read once, from its bytes, into a correctly rounded `Double` (``PlainDecimal``,
    /// Clinger's fast path; other spellings through `NumberText`). Only the header, the dates
    /// and each symbol's last price (kept exact, as `Decimal`) become strings.
    ///
    /// The path takes only what it can read exactly as the strict parser does and reports
    /// nothing: a long layout, a quote anywhere in a row, a byte outside printable ASCII in a
    /// row, a blank-looking row with commas, a row of another width, a bad or out-of-order
    /// date, a price that is not positive, any problem in the header: all return nil, and the
    /// strict parser then gives the same table or the error with its line and column.
    ///
    /// - Complexity: O(bytes), one pass.
    static func parseWideFast(_ text: String, file: String) -> PriceTable? {
        var text = text
        return text.withUTF8 { bytes -> PriceTable? in
            var reader = WideBytes(bytes: bytes)
            return reader.read()
        }
    }
}

/// The state of one fast read of a wide prices file (``PricesReader/parseWideFast(_:file:)``).
private struct WideBytes {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // A UTF-8 byte-order mark, as CSVTable skips it.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    /// The end of the line starting at `position` (the index of its `\n` or `\r`, or the
    /// end of the text), and the index where the next line starts.
    func lineEnd(from start: Int) -> (end: Int, next: Int) {
        var i = start
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A { return (i, i + 1) }
            if b == 0x0D { return (i, i + 1 < n && bytes[i + 1] == 0x0A ? i + 2 : i + 1) }
            i += 1
        }
        return (n, n)
    }

    /// `bytes[start..<end]` without the spaces and tabs around it.
    func trimmed(_ start: Int, _ end: Int) -> (Int, Int) {
        var s = start, e = end
        while s < e, bytes[s] == 0x20 || bytes[s] == 0x09 { s += 1 }
        while e > s, bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09 { e -= 1 }
        return (s, e)
    }

    func string(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Whether `bytes[start..<end]` (trimmed) is empty, `--` or `n/a` in any case.
    func isMissing(_ start: Int, _ end: Int) -> Bool {
        switch end - start {
        case 0: return true
        case 2: return bytes[start] == 0x2D && bytes[start + 1] == 0x2D
        case 3: return bytes[start] | 0x20 == 0x6E && bytes[start + 1] == 0x2F && bytes[start + 2] | 0x20 == 0x61
        default: return false
        }
    }

    mutating func read() -> PriceTable? {
        // The header: the first non-empty line, through the strict tokenizer (it is small).
        var line = 1
        var (end, next) = lineEnd(from: position)
        while end == position, next < bytes.count {
            position = next; line += 1
            (end, next) = lineEnd(from: position)
        }
        guard end > position else { return nil }
        let headerText = string(position, end)
        guard !headerText.contains("\""), let table = try? CSVTable(parsing: headerText, file: ""),
              table.records.count == 1, var header = table.records.first, header.fields.count >= 2 else { return nil }
        header.line = line
        let layout = PricesReader.layout(header)
        guard layout.long == nil, layout.date == 0 else { return nil }
        var issues = IssueCollector(file: "")
        let symbols = PricesReader.wideSymbols(header, issues: &issues)
        guard issues.issues.isEmpty else { return nil }
        position = next
        line += 1

        var dates: [Date] = []
        var columns = [[Double?]](repeating: [], count: symbols.count)
        let firstRow = lineEnd(from: position)
        let expectedRows = (bytes.count - position) / max(1, firstRow.next - position) + 1
        for s in columns.indices { columns[s].reserveCapacity(expectedRows) }
        // The last non-missing cell of each symbol (byte range), to read exactly at the end.
        var last = [(start: Int, end: Int)?](repeating: nil, count: symbols.count)

        while position < bytes.count {
            let (rowEnd, rowNext) = lineEnd(from: position)
            defer { position = rowNext; line += 1 }
            if rowEnd == position { continue }  // an empty line, skipped as CSVTable does
            // The date: up to the first comma.
            var cursor = position
            while cursor < rowEnd, bytes[cursor] != 0x2C { cursor += 1 }
            let (ds, de) = trimmed(position, cursor)
            guard de > ds, cursor < rowEnd else { return nil }
            for k in ds..<de where bytes[k] < 0x20 || bytes[k] >= 0x7F || bytes[k] == 0x22 { return nil }
            guard let date = ISODate.parse(string(ds, de)) else { return nil }
            if let previous = dates.last, date <= previous { return nil }
            dates.append(date)
            // The prices.
            var column = 0
            var start = cursor + 1
            while true {
                var stop = start
                while stop < rowEnd, bytes[stop] != 0x2C { stop += 1 }
                guard column < symbols.count else { return nil }
                let (cs, ce) = trimmed(start, stop)
                if isMissing(cs, ce) {
                    columns[column].append(nil)
                } else {
                    let cell = UnsafeBufferPointer(rebasing: bytes[cs..<ce])
                    if let plain = PlainDecimal(cell), !plain.negative, plain.significand > 0, let value = plain.double {
                        columns[column].append(value)
                    } else {
                        // Any other spelling: printable ASCII only, then the strict reading.
                        for b in cell where b < 0x20 || b >= 0x7F || b == 0x22 { return nil }
                        let text = string(cs, ce)
                        guard let exact = NumberText.decimal(text), exact > 0,
                              let value = Double(exact.description) else { return nil }
                        columns[column].append(value)
                    }
                    last[column] = (cs, ce)
                }
                column += 1
                if stop >= rowEnd { break }
                start = stop + 1
            }
            guard column == symbols.count else { return nil }
        }
        guard !dates.isEmpty else { return nil }
        var latest: [String: Decimal] = [:]
        for (s, symbol) in symbols.enumerated() {
            guard let range = last[s] else { continue }
            guard let exact = NumberText.decimal(string(range.start, range.end)) else { return nil }
            latest[symbol] = exact
        }
        return PriceTable(dates: dates, symbols: symbols, prices: columns, latest: latest)
    }
}
