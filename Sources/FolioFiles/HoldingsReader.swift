import Foundation
import FolioRebalancing

/// What a holdings file holds: accounts with their lots and cash, plus what the file says
/// about each security (asset class) and its last price.
public struct Holdings: Sendable, Equatable {
    /// The accounts, in the order they first appear in the file.
    public var accounts: [Account]
    /// Asset class by symbol, from the asset-class column where the file has one.
    public var assetClasses: [String: String]
    /// Last price by symbol, from the price column where the file has one (dollars per share).
    public var prices: [String: Decimal]
    /// Lines skipped as totals rows (one-based line numbers).
    public var skippedLines: [Int]

    /// Holdings from their parts.
    public init(accounts: [Account], assetClasses: [String: String] = [:], prices: [String: Decimal] = [:], skippedLines: [Int] = []) {
        self.accounts = accounts
        self.assetClasses = assetClasses
        self.prices = prices
        self.skippedLines = skippedLines
    }
}

/// Reads a holdings file exported from a custodian: one row per tax lot, a `CASH` row per
/// account's cash. CSV (custodian style) or JSON; see `Documentation/FileFormats.md`.
///
/// Header names match case-insensitively, ignoring spaces, punctuation and a trailing
/// `($)`, with the common aliases:
///
/// | field | header names |
/// |---|---|
/// | account | account, account id, account number, account no |
/// | symbol | symbol, ticker |
/// | quantity | quantity, shares, units |
/// | price | price, last price, close, market price (optional) |
/// | cost basis | cost basis total, cost basis, total cost — or unit cost, cost per share |
/// | acquired | acquired, date acquired, open date, acquisition date |
/// | asset class | asset class, class (optional) |
/// | account kind | account kind, account type, registration (optional; default taxable) |
/// | lot id | lot id, lot (optional) |
///
/// Money may be written `$1,234.56`, `(1,234.56)` for negatives, `--` for missing. Blank
/// lines and trailing totals rows (first field starting with "Total") are skipped.
public enum HoldingsReader {
    /// Field names Folio reads from a holdings file.
    public enum Field: String, Sendable, CaseIterable {
        case account, symbol, quantity, price, costBasis, unitCost, acquired, assetClass, accountKind, lotID
    }

    static let aliases: [Field: [String]] = [
        .account: ["account", "accountid", "accountnumber", "accountno", "acct", "acctnumber"],
        .symbol: ["symbol", "ticker", "securitysymbol"],
        .quantity: ["quantity", "shares", "units", "qty"],
        .price: ["price", "lastprice", "close", "marketprice", "closingprice"],
        .costBasis: ["costbasistotal", "costbasis", "totalcost", "totalcostbasis"],
        .unitCost: ["unitcost", "costpershare", "averagecost", "avgcost"],
        .acquired: ["acquired", "dateacquired", "opendate", "acquisitiondate", "purchasedate"],
        .assetClass: ["assetclass", "class"],
        .accountKind: ["accountkind", "accounttype", "registration", "kind"],
        .lotID: ["lotid", "lot"],
    ]

    /// Normalizes a header cell: lower case, letters and digits only, no trailing "($)".
    static func normalize(_ header: String) -> String {
        String(header.lowercased().replacingOccurrences(of: "($)", with: "").unicodeScalars
            .filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// The account kind a custodian's account-type text means, or nil when unknown.
    ///
    /// Taxable: taxable, individual, joint, brokerage, trust. Tax-deferred: IRA, traditional
    /// IRA, rollover IRA, SEP IRA, SIMPLE IRA, 401(k), 403(b), tax deferred. Tax-exempt: Roth
    /// IRA, Roth 401(k), HSA, tax exempt.
    public static func accountKind(_ text: String) -> AccountKind? {
        let t = normalize(text)
        if t.isEmpty { return nil }
        if t.contains("roth") || t == "hsa" || t.contains("taxexempt") || t.contains("taxfree") { return .taxExempt }
        if t.contains("ira") || t.contains("401k") || t.contains("403b") || t.contains("457") || t.contains("taxdeferred") || t == "deferred" {
            return .taxDeferred
        }
        if ["taxable", "individual", "joint", "brokerage", "trust", "jointtenants", "jtwros", "custodial", "ugma", "utma"].contains(t)
            || t.hasPrefix("individual") || t.hasPrefix("joint") { return .taxable }
        return nil
    }

    /// Reads the holdings file at `url` (`.json` as JSON, anything else as CSV).
    ///
    /// - Parameter columnMapping: header overrides, Folio field name (`Field.rawValue`) ->
    ///   the header the file uses, for exports whose names no alias covers.
    /// - Throws: `FileError` listing every problem with its line and column.
    public static func read(contentsOf url: URL, columnMapping: [String: String] = [:]) throws(FileError) -> Holdings {
        let text = try readText(url)
        if url.pathExtension.lowercased() == "json" {
            return try parseJSON(text, file: url.path)
        }
        return try parseCSV(text, file: url.path, columnMapping: columnMapping)
    }

    /// Parses holdings CSV text; `file` names it in errors.
    ///
    /// - Complexity: O(n) in the text's length.
    public static func parseCSV(_ text: String, file: String, columnMapping: [String: String] = [:]) throws(FileError) -> Holdings {
        let table = try CSVTable(parsing: text, file: file)
        var issues = IssueCollector(file: file)
        guard let header = table.records.first else {
            throw FileError(file: file, issues: [FileIssue(FileLocation(file: file, line: 1, column: 1), found: "",
                                                           expected: "a header row naming account, symbol and quantity")])
        }
        // Map fields to column indices.
        var index: [Field: Int] = [:]
        let normalized = header.fields.map { normalize($0.text) }
        for field in Field.allCases {
            if let custom = columnMapping[field.rawValue] {
                if let i = normalized.firstIndex(of: normalize(custom)) { index[field] = i } else {
                    issues.add(line: header.line, column: 1, found: custom,
                               expected: "a column named \"\(custom)\" (mapped to \(field.rawValue))")
                }
                continue
            }
            if let i = normalized.firstIndex(where: { aliases[field]!.contains($0) }) { index[field] = i }
        }
        for required in [Field.account, .symbol, .quantity] where index[required] == nil {
            issues.add(line: header.line, column: 1, found: header.fields.map(\.text).joined(separator: ","),
                       expected: "a \(required.rawValue) column (one of: \(aliases[required]!.joined(separator: ", ")))")
        }
        try issues.check()

        var builders: [String: AccountBuilder] = [:]
        var order: [String] = []
        var assetClasses: [String: String] = [:]
        var prices: [String: Decimal] = [:]
        var skipped: [Int] = []
        var lotCounter: [String: Int] = [:]

        for record in table.records.dropFirst() {
            func cell(_ field: Field) -> CSVTable.Field? {
                guard let i = index[field], i < record.fields.count else { return nil }
                return record.fields[i]
            }
            func report(_ field: Field, _ found: CSVTable.Field?, _ expected: String) {
                let column = found?.column ?? (index[field].flatMap { i in record.fields.last.map { $0.column + i - (record.fields.count - 1) } } ?? 1)
                issues.add(line: found?.line ?? record.line, column: max(column, 1), found: found?.text ?? "", expected: expected)
            }
            let first = record.fields.first?.text.lowercased() ?? ""
            let accountText = cell(.account)?.text ?? ""
            let symbolText = cell(.symbol)?.text ?? ""
            if first.hasPrefix("total") || accountText.lowercased().hasPrefix("total") || symbolText.lowercased().hasPrefix("total")
                || (accountText.isEmpty && symbolText.isEmpty) {
                skipped.append(record.line)
                continue
            }
            guard !accountText.isEmpty else { report(.account, cell(.account), "an account id"); continue }
            guard !symbolText.isEmpty else { report(.symbol, cell(.symbol), "a symbol"); continue }
            let symbol = symbolText.uppercased()
            if builders[accountText] == nil {
                builders[accountText] = AccountBuilder(id: accountText)
                order.append(accountText)
            }
            if let kindCell = cell(.accountKind), !NumberText.isMissing(kindCell.text) {
                if let kind = accountKind(kindCell.text) {
                    if let existing = builders[accountText]!.kind, existing != kind {
                        report(.accountKind, kindCell, "the same account type as earlier rows of account \(accountText) (\(existing.rawValue))")
                    }
                    builders[accountText]!.kind = kind
                } else {
                    report(.accountKind, kindCell, "an account type (taxable, individual, joint, IRA, traditional IRA, Roth IRA, 401k, HSA)")
                }
            }
            guard let quantityCell = cell(.quantity) else { report(.quantity, nil, "a quantity"); continue }
            guard let quantity = NumberText.decimal(quantityCell.text) else {
                report(.quantity, quantityCell, "a quantity (a number such as 100 or 1,250.5)"); continue
            }
            if symbol == "CASH" {
                builders[accountText]!.cash += quantity
                continue
            }
            guard quantity > 0 else { report(.quantity, quantityCell, "a positive quantity (short positions are not supported)"); continue }

            if let priceCell = cell(.price), !NumberText.isMissing(priceCell.text) {
                if let price = NumberText.decimal(priceCell.text), price > 0 {
                    if let known = prices[symbol], known != price {
                        report(.price, priceCell, "the same price as earlier rows for \(symbol) (\(known))")
                    }
                    prices[symbol] = price
                } else {
                    report(.price, priceCell, "a positive price")
                }
            }
            if let classCell = cell(.assetClass), !NumberText.isMissing(classCell.text) {
                assetClasses[symbol] = classCell.text
            }
            var costBasis: Decimal? = nil
            if let costCell = cell(.costBasis), !NumberText.isMissing(costCell.text) {
                if let value = NumberText.decimal(costCell.text), value >= 0 { costBasis = value } else {
                    report(.costBasis, costCell, "a non-negative total cost basis"); continue
                }
            } else if let unitCell = cell(.unitCost), !NumberText.isMissing(unitCell.text) {
                if let value = NumberText.decimal(unitCell.text), value >= 0 { costBasis = value * quantity } else {
                    report(.unitCost, unitCell, "a non-negative unit cost"); continue
                }
            }
            var acquired: Date? = nil
            if let dateCell = cell(.acquired), !NumberText.isMissing(dateCell.text) {
                guard let date = ISODate.parse(dateCell.text) else {
                    report(.acquired, dateCell, "a date (YYYY-MM-DD or MM/DD/YYYY)"); continue
                }
                acquired = date
            }
            let lotNumber = lotCounter[accountText + "|" + symbol, default: 0] + 1
            lotCounter[accountText + "|" + symbol] = lotNumber
            let lotID = cell(.lotID).map(\.text).flatMap { $0.isEmpty ? nil : $0 } ?? "\(symbol)-\(lotNumber)"
            builders[accountText]!.add(symbol: symbol, lot: PendingLot(
                id: lotID, quantity: quantity, costBasis: costBasis, acquired: acquired, line: record.line))
        }
        try issues.check()
        let accounts = order.map { builders[$0]!.build(prices: prices) }
        return Holdings(accounts: accounts, assetClasses: assetClasses, prices: prices, skippedLines: skipped)
    }

    /// Parses holdings JSON: `{"accounts": [{"id", "kind", "cash", "lots": [{"symbol",
    /// "quantity", "costBasis", "acquired", "price", "assetClass", "id"}]}]}`.
    public static func parseJSON(_ text: String, file: String) throws(FileError) -> Holdings {
        var doc = try YAMLDocument(parsing: text, file: file)
        var accounts: [Account] = []
        var assetClasses: [String: String] = [:]
        var prices: [String: Decimal] = [:]
        let top = doc.mapping(doc.root, "an object with an \"accounts\" list")
        let accountsValue = top?.first(where: { $0.key == "accounts" })?.value
        for accountValue in doc.sequence(accountsValue, "an \"accounts\" list") ?? [] {
            guard let fields = doc.mapping(accountValue, "an account object") else { continue }
            let field = { (name: String) in fields.first(where: { $0.key == name })?.value }
            guard let id = doc.string(field("id"), "an account \"id\"") else { continue }
            var builder = AccountBuilder(id: id)
            if let kindValue = field("kind") {
                if let text = doc.string(kindValue, "an account kind"), let kind = accountKind(text) { builder.kind = kind } else {
                    doc.report(kindValue, expected: "an account kind (taxable, taxDeferred, taxExempt, IRA, Roth IRA, ...)")
                }
            }
            if let cashValue = field("cash") { builder.cash = doc.decimal(cashValue, "a cash amount") ?? 0 }
            var lotCounter: [String: Int] = [:]
            for lotValue in doc.sequence(field("lots") ?? field("positions"), "a \"lots\" list") ?? [] {
                guard let lot = doc.mapping(lotValue, "a lot object") else { continue }
                let lotField = { (name: String) in lot.first(where: { $0.key == name })?.value }
                guard let symbol = doc.string(lotField("symbol"), "a \"symbol\"")?.uppercased(),
                      let quantity = doc.decimal(lotField("quantity"), "a \"quantity\"") else { continue }
                if symbol == "CASH" { builder.cash += quantity; continue }
                guard quantity > 0 else { doc.report(lotField("quantity"), expected: "a positive quantity"); continue }
                let cost = lotField("costBasis").flatMap { $0.isNull ? nil : doc.decimal($0, "a total cost basis") }
                let acquired = lotField("acquired").flatMap { $0.isNull ? nil : doc.date($0, "a date (YYYY-MM-DD)") }
                if let priceValue = lotField("price"), !priceValue.isNull, let price = doc.decimal(priceValue, "a price") {
                    if price > 0 { prices[symbol] = price } else { doc.report(priceValue, expected: "a positive price") }
                }
                if let classValue = lotField("assetClass"), let assetClass = doc.string(classValue, "an asset class") {
                    assetClasses[symbol] = assetClass
                }
                let n = lotCounter[symbol, default: 0] + 1
                lotCounter[symbol] = n
                let lotID = lotField("id").flatMap { doc.string($0, "a lot id") } ?? "\(symbol)-\(n)"
                builder.add(symbol: symbol, lot: PendingLot(id: lotID, quantity: quantity, costBasis: cost,
                                                            acquired: acquired, line: lotValue.location.line))
            }
            accounts.append(builder.build(prices: prices))
        }
        try doc.check()
        return Holdings(accounts: accounts, assetClasses: assetClasses, prices: prices)
    }

    static func readText(_ url: URL) throws(FileError) -> String {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(url.path, reason: FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw .unreadable(url.path, reason: "not UTF-8 text")
        }
        return text
    }
}

/// A lot as read, before missing cost or date are filled in.
struct PendingLot {
    var id: String
    var quantity: Decimal
    var costBasis: Decimal?
    var acquired: Date?
    var line: Int
}

/// Gathers one account's rows.
struct AccountBuilder {
    let id: String
    var kind: AccountKind?
    var cash: Decimal = 0
    var symbols: [String] = []
    var lots: [String: [PendingLot]] = [:]

    init(id: String) { self.id = id }

    mutating func add(symbol: String, lot: PendingLot) {
        if lots[symbol] == nil { symbols.append(symbol) }
        lots[symbol, default: []].append(lot)
    }

    /// A lot with no cost basis gets cost = quantity x price (no gain), and one with no date
    /// gets the distant past (long-term): the conservative reading for an export that omits them.
    func build(prices: [String: Decimal]) -> Account {
        let positions = symbols.map { symbol in
            Position(symbol: symbol, lots: lots[symbol]!.map { pending in
                Lot(id: pending.id, quantity: pending.quantity,
                    costBasis: pending.costBasis ?? pending.quantity * (prices[symbol] ?? 0),
                    acquired: pending.acquired ?? Date(timeIntervalSince1970: 0))
            })
        }
        return Account(id: id, kind: kind ?? .taxable, cash: cash, positions: positions)
    }
}
