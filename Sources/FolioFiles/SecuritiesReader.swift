import Foundation
import FolioRebalancing

/// Reads a securities file (CSV): what Folio knows about each symbol — asset class,
/// fractional shares, lot size, whether it trades, name, kind and sector.
/// The format is specified in `Documentation/FileFormats.md` ("securities").
public enum SecuritiesReader {
    /// One row of a securities file.
    public struct Entry: Sendable, Equatable {
        /// The security as the rebalancer sees it.
        public var security: Security
        /// Display name.
        public var name: String
        /// `fund`, `stock`, `bond` or `other`.
        public var kind: String
        /// Sector id, empty when none.
        public var sector: String
    }

    enum Field: String, CaseIterable, Hashable {
        case symbol, name, assetClass = "asset_class", kind, fractional, sector, lotSize = "lot_size", tradable
        case substantiallyIdentical = "substantially_identical"
    }

    static let aliases: [Field: [String]] = [
        .symbol: ["symbol", "ticker"], .name: ["name", "description"], .assetClass: ["asset class"],
        .kind: ["kind"], .fractional: ["fractional"], .sector: ["sector"], .lotSize: ["lot size"], .tradable: ["tradable"],
        .substantiallyIdentical: ["substantially identical", "wash sale group"],
    ]

    /// Reads the securities file at `url`.
    ///
    /// - Throws: `FileError` listing every problem with its line and column.
    public static func read(contentsOf url: URL) throws(FileError) -> [Entry] {
        try parse(HoldingsReader.readText(url), file: url.path)
    }

    /// Parses securities CSV text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(FileError) -> [Entry] {
        let table = try CSVTable(parsing: text, file: file)
        var issues = IssueCollector(file: file)
        let columns = try CSVColumns<Field>(table: table, aliases: aliases, required: [.symbol, .assetClass], mapping: [:], issues: &issues)
        var entries: [Entry] = []
        var seen: [String: Int] = [:]
        func flag(_ field: Field, _ record: CSVTable.Record, default value: Bool) -> Bool? {
            guard let cell = columns.cell(field, in: record), !cell.text.isEmpty else { return value }
            switch cell.text.lowercased() {
            case "true", "yes", "1": return true
            case "false", "no", "0": return false
            default:
                columns.report(field, in: record, expected: "true or false", to: &issues)
                return nil
            }
        }
        for record in table.records[(columns.headerIndex + 1)...] {
            if columns.checkWidth(record, issues: &issues) { continue }
            let symbolText = columns.cell(.symbol, in: record)?.text ?? ""
            guard symbolText.isEmpty || IdentifierText.symbol(symbolText) != nil else {
                columns.report(.symbol, in: record, expected: IdentifierText.symbolSyntax, to: &issues); continue
            }
            let symbol = IdentifierText.symbol(symbolText) ?? ""
            guard !symbol.isEmpty, symbol != "CASH" else {
                columns.report(.symbol, in: record, expected: "a security symbol (not CASH)", to: &issues); continue
            }
            if let line = seen[symbol] {
                columns.report(.symbol, in: record, expected: "each symbol once (\(symbol) is on line \(line))", to: &issues); continue
            }
            seen[symbol] = record.line
            let assetClass = (columns.cell(.assetClass, in: record)?.text ?? "").lowercased()
            guard !assetClass.isEmpty else { columns.report(.assetClass, in: record, expected: "an asset class id", to: &issues); continue }
            var lotSize: Decimal = 1
            if let cell = columns.cell(.lotSize, in: record), !cell.text.isEmpty {
                guard let value = NumberText.decimal(cell.text), value > 0 else {
                    columns.report(.lotSize, in: record, expected: "a lot size > 0 such as 1 or 1000", to: &issues); continue
                }
                lotSize = value
            }
            guard let fractional = flag(.fractional, record, default: false),
                  let tradable = flag(.tradable, record, default: true) else { continue }
            let kind = (columns.cell(.kind, in: record)?.text ?? "").lowercased()
            if !kind.isEmpty && !["fund", "stock", "bond", "other"].contains(kind) {
                columns.report(.kind, in: record, expected: "fund, stock, bond or other", to: &issues); continue
            }
            let name = columns.cell(.name, in: record)?.text ?? ""
            let group = (columns.cell(.substantiallyIdentical, in: record)?.text ?? "").lowercased()
            entries.append(Entry(
                security: Security(symbol: symbol, assetClass: assetClass, allowsFractionalShares: fractional,
                                   lotSize: lotSize, isTradable: tradable,
                                   substantiallyIdenticalGroup: group.isEmpty ? nil : group),
                name: name.isEmpty ? symbol : name, kind: kind.isEmpty ? "other" : kind,
                sector: (columns.cell(.sector, in: record)?.text ?? "").lowercased()))
        }
        try issues.check()
        return entries
    }
}
