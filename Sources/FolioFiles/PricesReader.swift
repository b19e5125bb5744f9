import Foundation

/// Daily (or weekly, monthly) closing prices as a file holds them: one row per date, one
/// column per symbol. A missing price is `nil`, never invented.
public struct PriceTable: Sendable, Equatable {
    /// Dates in ascending order (midnight UTC).
    public var dates: [Date]
    /// Symbols, in the file's column order (wide) or order of first appearance (long).
    public var symbols: [String]
    /// `prices[s][d]`: the price of `symbols[s]` on `dates[d]`, in dollars, or nil if missing.
    public var prices: [[Double?]]
    /// Exact prices on the last date, for the rebalancer (money is exact).
    public var latest: [String: Decimal]

    /// A table from its parts.
    public init(dates: [Date], symbols: [String], prices: [[Double?]], latest: [String: Decimal]) {
        self.dates = dates
        self.symbols = symbols
        self.prices = prices
        self.latest = latest
    }
}

/// Reads prices files: wide (`date,SYM1,SYM2,...`) or long (`date,symbol,close`).
///
/// Dates are `YYYY-MM-DD` or `MM/DD/YYYY`; rows may come in any order but each date once
/// (per symbol, in the long form). Prices must be positive numbers; `--`, `n/a` or an empty
/// cell is a missing price. Every problem is reported with its line and column.
public enum PricesReader {
    /// Reads the prices file at `url`.
    ///
    /// - Throws: `FileError` listing every problem (bad date, duplicate date, non-positive
    ///   or non-numeric price, unknown layout).
    /// - Complexity: O(rows × symbols).
    public static func read(contentsOf url: URL) throws(FileError) -> PriceTable {
        try parse(HoldingsReader.readText(url), file: url.path)
    }

    /// Parses prices CSV text; `file` names it in errors.
    ///
    /// A wide file is first read straight from its bytes (``parseWideFast(_:file:)``); any
    /// text that path does not take (a long layout, quotes, a problem to report) is parsed
    /// by the strict tokenizer, which gives the same table and names every problem.
    ///
    /// - Complexity: O(rows × symbols).
    public static func parse(_ text: String, file: String) throws(FileError) -> PriceTable {
        if let table = parseWideFast(text, file: file) { return table }
        return try parseStrict(text, file: file)
    }

    /// The symbols of a wide header (every column after the date); an invalid symbol keeps
    /// its text (so columns stay aligned) and is reported, as are empty, `CASH` and repeated ones.
    static func wideSymbols(_ header: CSVTable.Record, issues: inout IssueCollector) -> [String] {
        let symbols = header.fields.dropFirst().map { IdentifierText.symbol($0.text) ?? $0.text.uppercased() }
        for field in header.fields.dropFirst() where !field.text.isEmpty && IdentifierText.symbol(field.text) == nil {
            issues.add(line: header.line, column: field.number, found: field.text, expected: IdentifierText.symbolSyntax)
        }
        var seen: Set<String> = []
        for (i, symbol) in symbols.enumerated() {
            if symbol.isEmpty || symbol == "CASH" || !seen.insert(symbol).inserted {
                issues.add(line: header.line, column: i + 2, found: symbol,
                           expected: symbol.isEmpty ? "a symbol name" : symbol == "CASH" ? "a security symbol (CASH has no price history)" : "each symbol once (\(symbol) repeats)")
            }
        }
        return symbols
    }

    /// The layout of a header: the date column and, in the long layout, the symbol and
    /// close columns.
    static func layout(_ header: CSVTable.Record) -> (date: Int, long: (symbol: Int, close: Int)?) {
        let names = header.fields.map { CSVColumns<HoldingsReader.Field>.normalize($0.text) }
        let dateNames: Set<String> = ["date", "as of", "day"]
        let symbolColumn = names.firstIndex(where: { $0 == "symbol" || $0 == "ticker" })
        let closeColumn = names.firstIndex(where: { ["close", "adj close", "price", "adjusted close"].contains($0) })
        if let symbolColumn, let closeColumn {
            return (names.firstIndex(where: { dateNames.contains($0) }) ?? -1, (symbolColumn, closeColumn))
        }
        return (dateNames.contains(names[0]) ? 0 : -1, nil)
    }

    /// The reference parser: the whole text through `CSVTable`, every cell through `NumberText`.
    static func parseStrict(_ text: String, file: String) throws(FileError) -> PriceTable {
        let table = try CSVTable(parsing: text, file: file)
        var issues = IssueCollector(file: file)
        guard let header = table.records.first, header.fields.count >= 2 else {
            throw FileError(file: file, issues: [FileIssue(FileLocation(file: file, line: 1, column: 1), found: "",
                expected: "a header: date followed by one column per symbol, or date,symbol,close")])
        }
        let (dateColumn, long) = layout(header)
        let isLong = long != nil
        guard dateColumn >= 0 else {
            throw FileError(file: file, issues: [FileIssue(FileLocation(file: file, line: header.line, column: 1),
                found: header.fields[0].text, expected: isLong ? "a date column" : "a first column named date")])
        }

        // Slash dates are read in the order the column's own dates decide (`DateOrder`).
        let dateColumnOrder = ColumnDates(cells: table.records.dropFirst().compactMap { record in
            record.fields.count > dateColumn ? (record.fields[dateColumn].text, record.line) : nil
        }, given: nil, file: file, option: nil)
        var rows: [(date: Date, line: Int, values: [(symbol: String, field: CSVTable.Field)])] = []
        var symbols: [String] = []
        if let (symbolColumn, closeColumn) = long {
            var seen: Set<String> = []
            for record in table.records.dropFirst() {
                guard record.fields.count > max(symbolColumn, closeColumn, dateColumn) else {
                    issues.add(line: record.line, column: 1, found: record.fields.map(\.text).joined(separator: ","),
                               expected: "\(header.fields.count) fields"); continue
                }
                guard let date = dateColumnOrder.parse(record.fields[dateColumn].text) else {
                    issues.add(line: record.line, column: dateColumn + 1, columnName: header.fields[dateColumn].text,
                               found: record.fields[dateColumn].text,
                               expected: dateColumnOrder.expectation(for: record.fields[dateColumn].text, example: "a date (YYYY-MM-DD)")); continue
                }
                guard let symbol = IdentifierText.symbol(record.fields[symbolColumn].text) else {
                    issues.add(line: record.line, column: symbolColumn + 1, columnName: header.fields[symbolColumn].text,
                               found: record.fields[symbolColumn].text, expected: IdentifierText.symbolSyntax); continue
                }
                if !seen.contains(symbol) { seen.insert(symbol); symbols.append(symbol) }
                rows.append((date, record.line, [(symbol, record.fields[closeColumn])]))
            }
        } else {
            symbols = wideSymbols(header, issues: &issues)
            var previous: (date: Date, line: Int)? = nil
            for record in table.records.dropFirst() {
                guard record.fields.count == header.fields.count else {
                    issues.add(line: record.line, column: 1, found: "\(record.fields.count) fields",
                               expected: "\(header.fields.count) fields, as in the header"); continue
                }
                guard let date = dateColumnOrder.parse(record.fields[0].text) else {
                    issues.add(line: record.line, column: 1, columnName: header.fields[0].text, found: record.fields[0].text,
                               expected: dateColumnOrder.expectation(for: record.fields[0].text, example: "a date (YYYY-MM-DD)")); continue
                }
                if let previous, date <= previous.date {
                    issues.add(line: record.line, column: 1, columnName: header.fields[0].text, found: record.fields[0].text,
                               expected: "a date after \(ISODate.format(previous.date)) (line \(previous.line)): dates strictly increase")
                    continue
                }
                previous = (date, record.line)
                rows.append((date, record.line, zip(symbols, record.fields.dropFirst()).map { ($0, $1) }))
            }
        }
        try issues.check()

        let symbolIndex = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, $0) })
        let dates = Array(Set(rows.map(\.date))).sorted()
        let dateIndex = Dictionary(uniqueKeysWithValues: dates.enumerated().map { ($1, $0) })
        var prices = Array(repeating: [Double?](repeating: nil, count: dates.count), count: symbols.count)
        var filled = Array(repeating: [Int](repeating: 0, count: dates.count), count: symbols.count)
        var exact: [String: (date: Date, price: Decimal)] = [:]
        for row in rows {
            let d = dateIndex[row.date]!
            for (symbol, field) in row.values {
                let s = symbolIndex[symbol]!
                if filled[s][d] != 0 {
                    issues.add(line: row.line, column: field.number, found: ISODate.format(row.date),
                               expected: "each date once for \(symbol) (also on line \(filled[s][d]))")
                    continue
                }
                filled[s][d] = row.line
                if NumberText.isMissing(field.text) { continue }
                guard let value = NumberText.decimal(field.text), value > 0 else {
                    issues.add(line: row.line, column: field.number, columnName: symbol, found: field.text,
                               expected: "a positive price for \(symbol) such as 251.41"); continue
                }
                prices[s][d] = Double(value.description)
                if exact[symbol].map({ $0.date < row.date }) ?? true { exact[symbol] = (row.date, value) }
            }
        }
        try issues.check()
        return PriceTable(dates: dates, symbols: symbols, prices: prices, latest: exact.mapValues(\.price))
    }
}
