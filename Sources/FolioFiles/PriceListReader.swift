import Foundation

/// Reads a price list: a CSV with a `symbol` column and a `price` column (other columns are
/// ignored), one row per symbol, prices positive and exact in the money syntax
/// (`251.41`, `$1,185.00`).
///
/// ```
/// symbol,price
/// FUSLC,251.41
/// FAGGB,139.85
/// ```
/// `folio allocate --prices` takes such a list as well as a prices history.
public enum PriceListReader: Sendable {
    /// Whether `text`'s header has a `symbol` and a `price` column and no `date` column (any
    /// case, surrounding spaces ignored): a price list rather than a prices history.
    ///
    /// - Complexity: O(length of the first line).
    public static func isPriceList(_ text: String) -> Bool {
        let header = text.prefix { $0 != "\n" && $0 != "\r" }.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return header.contains("symbol") && header.contains("price") && !header.contains("date")
    }

    /// Parses a price list; `file` names it in errors.
    ///
    /// - Returns: the exact price by symbol (trimmed, NFC, upper-cased).
    /// - Throws: `FileError` naming every bad symbol, bad or non-positive price and repeated
    ///   symbol with its line and column.
    /// - Complexity: O(text length).
    public static func parse(_ text: String, file: String) throws(FileError) -> [String: Decimal] {
        let table = try CSVTable(parsing: text, file: file)
        var issues = IssueCollector(file: file)
        guard let header = table.records.first else {
            issues.add(line: 1, column: 1, found: "", expected: "a header symbol,price")
            try issues.check()
            return [:]
        }
        let names = header.fields.map { $0.text.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let s = names.firstIndex(of: "symbol"), let p = names.firstIndex(of: "price") else {
            issues.add(line: header.line, column: 1, found: names.joined(separator: ","), expected: "a header with symbol and price columns")
            try issues.check()
            return [:]
        }
        var prices: [String: Decimal] = [:]
        var seen = Set<String>()
        for record in table.records.dropFirst() where !record.isBlank {
            guard record.fields.count > max(s, p) else {
                issues.add(line: record.line, column: 1, found: "\(record.fields.count) fields", expected: "\(names.count) fields as in the header")
                continue
            }
            let symbolField = record.fields[s], priceField = record.fields[p]
            guard let symbol = IdentifierText.symbol(symbolField.text) else {
                issues.add(line: symbolField.line, column: symbolField.column, columnName: "symbol", found: symbolField.text, expected: IdentifierText.symbolSyntax)
                continue
            }
            guard seen.insert(symbol).inserted else {
                issues.add(line: symbolField.line, column: symbolField.column, columnName: "symbol", found: symbolField.text, expected: "each symbol once")
                continue
            }
            guard let price = MoneyText.parse(priceField.text), price > 0 else {
                issues.add(line: priceField.line, column: priceField.column, columnName: "price", found: priceField.text, expected: "a positive price such as 251.41")
                continue
            }
            prices[symbol] = price
        }
        try issues.check()
        return prices
    }

    /// Reads the price list at `url`.
    ///
    /// - Throws: `FileError` as ``parse(_:file:)``, or when the file cannot be read.
    /// - Complexity: O(file size).
    public static func read(contentsOf url: URL) throws(FileError) -> [String: Decimal] {
        try parse(HoldingsReader.readText(url), file: url.path)
    }

    /// The latest exact price per symbol from the file at `url`: a price list, or else a
    /// prices history (``PricesReader``; each symbol's last price).
    ///
    /// - Throws: `FileError` from whichever reader the header chooses.
    /// - Complexity: O(file size).
    public static func latestPrices(contentsOf url: URL) throws(FileError) -> [String: Decimal] {
        let text = try HoldingsReader.readText(url)
        return isPriceList(text) ? try parse(text, file: url.path) : try PricesReader.parse(text, file: url.path).latest
    }
}
