import Foundation
import FolioRebalancing

/// What a holdings file holds: accounts with their lots and cash, plus what the file says
/// about each security (asset class, last price, description).
public struct Holdings: Sendable, Equatable {
    /// The accounts, in the order they first appear in the file.
    public var accounts: [Account]
    /// Asset class by symbol, from the asset-class column where the file has one.
    public var assetClasses: [String: String]
    /// Last price by symbol, from the price column where the file has one (dollars per share).
    public var prices: [String: Decimal]
    /// Security description by symbol, for reports.
    public var descriptions: [String: String]
    /// Lines skipped from the first totals row on (one-based line numbers).
    public var skippedLines: [Int]
    /// Accounts left out because their rows have errors, with those errors (only when the
    /// file was read with `isolatingAccountErrors`; otherwise any error throws).
    public var rejectedAccounts: [String: FileError] = [:]
    /// How the file was read, for the report's notes (e.g. the order of its slash dates).
    public var notes: [String] = []

    /// Holdings from their parts.
    public init(accounts: [Account], assetClasses: [String: String] = [:], prices: [String: Decimal] = [:],
                descriptions: [String: String] = [:], skippedLines: [Int] = []) {
        self.accounts = accounts
        self.assetClasses = assetClasses
        self.prices = prices
        self.descriptions = descriptions
        self.skippedLines = skippedLines
    }
}

/// Reads a holdings file exported from a custodian: one row per tax lot, a `CASH` row for an
/// account's cash. CSV (custodian style) or JSON; the format is specified in
/// `Documentation/FileFormats.md` ("holdings").
///
/// Header names match after normalization, with aliases: account (account id, account
/// number, account no), account kind (account type, registration), symbol (ticker),
/// quantity (shares, units, qty), price (last price, current price), cost basis total (cost
/// basis, total cost) or unit cost (cost per share, cost per unit, average cost), acquired
/// (date acquired, open date, acquisition date, purchase date), asset class (class), lot id
/// (lot), description (name, security name). Money may be written `$1,234.56`,
/// `(1,234.56)`; `--` is missing. The first totals row ends the data.
public enum HoldingsReader {
    /// The fields Folio reads from a holdings CSV; a column mapping names them by raw value.
    public enum Field: String, Sendable, CaseIterable, Hashable {
        case account, accountKind = "account_kind", symbol, description, quantity, price
        case costBasis = "cost_basis", unitCost = "unit_cost", acquired, assetClass = "asset_class", lotID = "lot_id"
    }

    static let aliases: [Field: [String]] = [
        .account: ["account", "account id", "account number", "account no"],
        .accountKind: ["account type", "account kind", "registration"],
        .symbol: ["symbol", "ticker"],
        .description: ["description", "name", "security name", "security description"],
        .quantity: ["quantity", "shares", "units", "qty"],
        .price: ["price", "last price", "current price"],
        .costBasis: ["cost basis total", "cost basis", "total cost"],
        .unitCost: ["unit cost", "cost per share", "cost per unit", "average cost"],
        .acquired: ["acquired", "date acquired", "open date", "acquisition date", "purchase date"],
        .assetClass: ["asset class", "class"],
        .lotID: ["lot id", "lot"],
    ]

    /// The account kind a custodian's account-type text means, or nil when unknown.
    ///
    /// Taxable: taxable, individual, joint, brokerage, trust. Tax-deferred: tax-deferred,
    /// IRA, traditional IRA, rollover IRA, SEP IRA, SIMPLE IRA, 401(k), 403(b). Tax-exempt:
    /// tax-exempt, Roth IRA, Roth 401(k), HSA.
    public static func accountKind(_ text: String) -> AccountKind? {
        let t = CSVColumns<Field>.normalize(text).replacingOccurrences(of: " ", with: "")
        switch t {
        case "taxable", "individual", "joint", "brokerage", "trust": return .taxable
        case "taxdeferred", "ira", "traditionalira", "rolloverira", "sepira", "simpleira", "401k", "403b": return .taxDeferred
        case "taxexempt", "rothira", "roth401k", "hsa": return .taxExempt
        default: return nil
        }
    }

    /// Reads the holdings file at `url` (`.json` as JSON, anything else as CSV).
    ///
    /// - Parameters:
    ///   - url: the holdings file (`.json` reads as JSON, anything else as CSV).
    ///   - defaultAccount: the account id for every row when the file has no account column
    ///     (default: the file name without its extension).
    ///   - columnMapping: header overrides, `Field.rawValue` -> the header the file uses.
    ///   - isolatingAccountErrors: for a book of many accounts: an error in an account's rows
    ///     rejects that account (listed in `rejectedAccounts`) instead of the whole file;
    ///     problems outside any account (the header) still throw.
    ///   - asOf: the trade date, when known: a lot acquired after it is an error at its line.
    ///   - dateOrder: how slash dates are read (`--date-format`); nil: as the file's own dates
    ///     decide (see ``DateOrder``), an ambiguous date being an error when none does.
    /// - Throws: `FileError` listing every problem with its line and column.
    public static func read(contentsOf url: URL, defaultAccount: String? = nil, columnMapping: [String: String] = [:],
                            isolatingAccountErrors: Bool = false, asOf: Date? = nil, dateOrder: DateOrder? = nil) throws(FileError) -> Holdings {
        let text = try readText(url)
        if url.pathExtension.lowercased() == "json" {
            return try parseJSON(text, file: url.path, isolatingAccountErrors: isolatingAccountErrors, asOf: asOf)
        }
        return try parseCSV(text, file: url.path,
                            defaultAccount: defaultAccount ?? url.deletingPathExtension().lastPathComponent,
                            columnMapping: columnMapping, isolatingAccountErrors: isolatingAccountErrors, asOf: asOf,
                            dateOrder: dateOrder)
    }

    /// Parses holdings CSV text; `file` names it in errors; a lot acquired after `asOf` (when
    /// given) is an error; slash dates are read in `dateOrder`, else as the file's dates
    /// decide (``DateOrder``).
    ///
    /// - Complexity: O(n) in the text's length.
    public static func parseCSV(_ text: String, file: String, defaultAccount: String = "account",
                                columnMapping: [String: String] = [:], isolatingAccountErrors: Bool = false,
                                asOf: Date? = nil, dateOrder: DateOrder? = nil) throws(FileError) -> Holdings {
        try parseCSV(text, file: file, defaultAccount: defaultAccount, columnMapping: columnMapping,
                     isolatingAccountErrors: isolatingAccountErrors, asOf: asOf, dateOrder: dateOrder, knownPrices: [:], firstLine: 1)
    }

    /// `parseCSV` of a part of a file (`HoldingsBook`): `firstLine` numbers its first line, and
    /// `knownPrices` are the prices earlier rows of the file set (with their lines), which
    /// this part's rows must agree with.
    package static func parseCSV(_ text: String, file: String, defaultAccount: String = "account",
                                 columnMapping: [String: String] = [:], isolatingAccountErrors: Bool = false, asOf: Date? = nil,
                                 dateOrder: DateOrder? = nil,
                                 knownPrices: [String: (price: Decimal, line: Int)], firstLine: Int,
                                 columnDates: ColumnDates? = nil) throws(FileError) -> Holdings {
        let table = try CSVTable(parsing: text, file: file, firstLine: firstLine)
        // Isolating, every issue is kept and each account's are capped on their own, so that
        // one account's hundred bad rows do not hide (or fail) the others.
        var issues = IssueCollector(file: file, limit: isolatingAccountErrors ? .max : FileError.limit)
        for key in columnMapping.keys where Field(rawValue: key) == nil {
            issues.add(line: 0, column: 0, found: key, expected: "a holdings field: " + Field.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let columns = try CSVColumns<Field>(table: table, aliases: aliases, required: [.symbol, .quantity],
                                            mapping: columnMapping, issues: &issues)
        var builders: [String: AccountBuilder] = [:]
        var order: [String] = []
        var assetClasses: [String: String] = [:]
        var descriptions: [String: String] = [:]
        var prices = knownPrices
        var skipped: [Int] = []

        let rows = table.records[(columns.headerIndex + 1)...]
        let dates = columnDates ?? ColumnDates(cells: rows.compactMap { record in
            columns.cell(.acquired, in: record).flatMap { NumberText.isMissing($0.text) ? nil : ($0.text, record.line) }
        }, given: dateOrder, file: file)
        var ended = false
        var owner: [Int: String] = [:]  // issue index -> the account whose row it is in
        var kindsBySpelling: [String: AccountKind?] = [:]
        for record in rows {
            if ended { skipped.append(record.line); continue }
            let issuesBefore = issues.issues.count
            var recordAccount: String? = nil
            defer { if let recordAccount { for k in issuesBefore..<issues.issues.count { owner[k] = recordAccount } } }
            let symbolText = columns.cell(.symbol, in: record)?.text ?? ""
            if isTotalsRow([record.fields.first?.text ?? "", symbolText]) {
                ended = true
                skipped.append(record.line)
                continue
            }
            if columns.checkWidth(record, issues: &issues) { continue }
            let accountID: String
            if columns.index[.account] != nil {
                accountID = IdentifierText.normalized(columns.cell(.account, in: record)?.text ?? "")
                guard !accountID.isEmpty else { columns.report(.account, in: record, expected: "an account id", to: &issues); continue }
            } else {
                accountID = defaultAccount
            }
            recordAccount = accountID
            guard !symbolText.isEmpty else { columns.report(.symbol, in: record, expected: "a symbol", to: &issues); continue }
            guard let symbol = IdentifierText.symbol(symbolText) else {
                columns.report(.symbol, in: record, expected: IdentifierText.symbolSyntax, to: &issues); continue
            }
            if builders[accountID] == nil {
                builders[accountID] = AccountBuilder(id: accountID)
                order.append(accountID)
            }
            if let kindCell = columns.cell(.accountKind, in: record), !NumberText.isMissing(kindCell.text) {
                // A book repeats a handful of spellings on every row: each is normalized once.
                let kind: AccountKind?
                if let known = kindsBySpelling[kindCell.text] { kind = known } else {
                    kind = accountKind(kindCell.text)
                    kindsBySpelling[kindCell.text] = kind
                }
                if let kind {
                    if let (existing, line) = builders[accountID]!.kind, existing != kind {
                        columns.report(.accountKind, in: record,
                                       expected: "the account type of line \(line) for account \(accountID) (\(existing.displayName))", to: &issues)
                    } else if builders[accountID]!.kind == nil {
                        builders[accountID]!.kind = (kind, record.line)
                    }
                } else {
                    columns.report(.accountKind, in: record,
                                   expected: "an account type (Taxable, Individual, Joint, IRA, Traditional IRA, Roth IRA, 401(k), HSA, ...)",
                                   to: &issues)
                }
            }
            let quantityText = columns.cell(.quantity, in: record)?.text ?? ""
            if symbol == "CASH" {
                guard let amount = NumberText.decimal(quantityText) else {
                    columns.report(.quantity, in: record, expected: "a cash amount such as 4,218.37", to: &issues); continue
                }
                if let priceCell = columns.cell(.price, in: record), !NumberText.isMissing(priceCell.text),
                   NumberText.decimal(priceCell.text) != 1 {
                    columns.report(.price, in: record, expected: "a price of 1.00 (or --) on a CASH row", to: &issues); continue
                }
                builders[accountID]!.cash += amount
                continue
            }
            guard let quantity = quantityText.contains("$") || quantityText.contains("(") ? nil : NumberText.decimal(quantityText) else {
                columns.report(.quantity, in: record, expected: "a quantity such as 100 or 1,250.5", to: &issues); continue
            }
            guard quantity > 0 else {
                columns.report(.quantity, in: record, expected: "a positive quantity (only CASH may be negative)", to: &issues); continue
            }
            if let priceCell = columns.cell(.price, in: record), !NumberText.isMissing(priceCell.text) {
                if let price = NumberText.decimal(priceCell.text), price > 0 {
                    if let known = prices[symbol], known.price != price {
                        columns.report(.price, in: record,
                                       expected: "the price of \(symbol) on line \(known.line) (\(NSDecimalNumber(decimal: known.price)))", to: &issues)
                    } else if prices[symbol] == nil {
                        prices[symbol] = (price, record.line)
                    }
                } else {
                    columns.report(.price, in: record, expected: "a positive price such as $251.41", to: &issues)
                }
            }
            if let classCell = columns.cell(.assetClass, in: record), !NumberText.isMissing(classCell.text) {
                assetClasses[symbol] = classCell.text.lowercased()
            }
            if let descriptionCell = columns.cell(.description, in: record), !descriptionCell.text.isEmpty, descriptions[symbol] == nil {
                descriptions[symbol] = descriptionCell.text
            }
            var costBasis: Decimal? = nil
            if let costCell = columns.cell(.costBasis, in: record), !NumberText.isMissing(costCell.text) {
                guard let value = NumberText.decimal(costCell.text), value >= 0 else {
                    columns.report(.costBasis, in: record, expected: "money such as $1,234.56 (not negative)", to: &issues); continue
                }
                costBasis = value
            } else if let unitCell = columns.cell(.unitCost, in: record), !NumberText.isMissing(unitCell.text) {
                guard let value = NumberText.decimal(unitCell.text), value >= 0 else {
                    columns.report(.unitCost, in: record, expected: "money such as $41.25 (not negative)", to: &issues); continue
                }
                costBasis = value * quantity
            }
            var acquired: Date? = nil
            if let dateCell = columns.cell(.acquired, in: record), !NumberText.isMissing(dateCell.text) {
                guard let date = dates.parse(dateCell.text) else {
                    columns.report(.acquired, in: record,
                                   expected: dates.expectation(for: dateCell.text, example: "a date such as 03/15/2024 or 2024-03-15"), to: &issues)
                    continue
                }
                acquired = date
            }
            let lotID = columns.cell(.lotID, in: record).flatMap { NumberText.isMissing($0.text) ? nil : $0.text }
            builders[accountID]!.add(symbol: symbol, lot: PendingLot(
                id: lotID, quantity: quantity, costBasis: costBasis, acquired: acquired, line: record.line))
        }
        // A taxable lot's missing basis or date follows from a missing column: the error says
        // which names the column may have, and names a column that is there but not read.
        var absentColumns: (cost: String?, date: String?) = (nil, nil)
        if columns.index[.costBasis] == nil && columns.index[.unitCost] == nil {
            absentColumns.cost = [Field.costBasis, .unitCost].map { columns.missingColumn($0, aliases: aliases, mapping: columnMapping) }
                .joined(separator: "; ")
        }
        if columns.index[.acquired] == nil { absentColumns.date = columns.missingColumn(.acquired, aliases: aliases, mapping: columnMapping) }
        var accounts: [Account] = []
        for id in order {
            let issuesBefore = issues.issues.count
            if let account = builders[id]!.build(file: file, costColumn: columns.name(.costBasis) ?? columns.name(.unitCost),
                                                 dateColumn: columns.name(.acquired), absentColumns: absentColumns,
                                                 costNumber: (columns.index[.costBasis] ?? columns.index[.unitCost]).map { $0 + 1 } ?? 0,
                                                 dateNumber: columns.index[.acquired].map { $0 + 1 } ?? 0, asOf: asOf, issues: &issues) {
                accounts.append(account)
            }
            for k in issuesBefore..<issues.issues.count { owner[k] = id }
        }
        var rejected: [String: FileError] = [:]
        if isolatingAccountErrors {
            rejected = try issues.byAccount(owner: owner)
            accounts.removeAll { rejected[$0.id] != nil }
        } else {
            try issues.check()
        }
        var result = Holdings(accounts: accounts, assetClasses: assetClasses, prices: prices.mapValues(\.price),
                              descriptions: descriptions, skippedLines: skipped)
        result.rejectedAccounts = rejected
        result.notes = dates.note.map { [$0] } ?? []
        return result
    }

    /// Parses holdings JSON (`Documentation/FileFormats.md`, "Holdings as JSON"):
    /// `{"accounts": [{"id", "kind", "cash", "lots": [{"symbol", "quantity", "price",
    /// "cost_basis" | "unit_cost", "acquired", "asset_class", "lot_id", "description"}]}]}`.
    ///
    /// Two accounts with the same id are an error naming both lines. With
    /// `isolatingAccountErrors` (a book read by `folio batch`), an account's problems (a
    /// repeated id rejects every account of that id) reject only it, as in `parseCSV`.
    /// A lot acquired after `asOf` (when given) is an error.
    public static func parseJSON(_ text: String, file: String, isolatingAccountErrors: Bool = false, asOf: Date? = nil) throws(FileError) -> Holdings {
        var doc = try YAMLDocument(parsing: text, file: file)
        if isolatingAccountErrors { doc.issues = IssueCollector(file: file, limit: .max) }
        var owner: [Int: String] = [:]  // issue index -> the account it is in
        var idLines: [String: Int] = [:]
        var accounts: [Account] = []
        var assetClasses: [String: String] = [:]
        var descriptions: [String: String] = [:]
        var prices: [String: Decimal] = [:]
        let top = doc.fields(doc.root, "an object with an \"accounts\" list", allowed: ["accounts"])
        for accountValue in doc.sequence(top["accounts"], "an \"accounts\" list") ?? [] {
            let fields = doc.fields(accountValue, "an account object", allowed: ["id", "kind", "cash", "lots"])
            guard let id = doc.string(fields["id"], "an account \"id\"").map(IdentifierText.normalized) else { continue }
            let issuesBefore = doc.issues.issues.count
            defer { for k in issuesBefore..<doc.issues.issues.count { owner[k] = id } }
            if let line = idLines[id] {
                doc.report(fields["id"], expected: "an account id not used before (account \(id) is on line \(line) already)")
            } else {
                idLines[id] = fields["id"]?.location.line ?? 0
            }
            var builder = AccountBuilder(id: id)
            if let kindValue = fields["kind"] {
                if let text = doc.string(kindValue, "an account kind"), let kind = accountKind(text) {
                    builder.kind = (kind, kindValue.location.line)
                } else {
                    doc.report(kindValue, expected: "an account kind (taxable, tax-deferred, tax-exempt, IRA, Roth IRA, ...)")
                }
            }
            if let cashValue = fields["cash"] { builder.cash = doc.money(cashValue, "a cash amount") ?? 0 }
            for lotValue in doc.sequence(fields["lots"], "a \"lots\" list") ?? [] {
                let lot = doc.fields(lotValue, "a lot object", allowed: [
                    "symbol", "quantity", "price", "cost_basis", "unit_cost", "acquired", "asset_class", "lot_id", "description"])
                guard let symbol = doc.symbol(lot["symbol"], "a \"symbol\""),
                      let quantity = doc.money(lot["quantity"], "a \"quantity\"") else { continue }
                if symbol == "CASH" { builder.cash += quantity; continue }
                guard quantity > 0 else { doc.report(lot["quantity"], expected: "a positive quantity"); continue }
                var cost = lot["cost_basis"].flatMap { $0.isNull ? nil : doc.money($0, "a total cost basis") }
                if cost == nil, let unit = lot["unit_cost"].flatMap({ $0.isNull ? nil : doc.money($0, "a unit cost") }) {
                    cost = unit * quantity
                }
                let acquired = lot["acquired"].flatMap { $0.isNull ? nil : doc.date($0, "a date (YYYY-MM-DD)") }
                if let priceValue = lot["price"], !priceValue.isNull, let price = doc.money(priceValue, "a price") {
                    if price > 0 { prices[symbol] = price } else { doc.report(priceValue, expected: "a positive price") }
                }
                if let classValue = lot["asset_class"], let assetClass = doc.string(classValue, "an asset class") {
                    assetClasses[symbol] = assetClass.lowercased()
                }
                if let d = lot["description"], let text = doc.string(d, "a description") { descriptions[symbol] = text }
                let lotID = lot["lot_id"].flatMap { doc.string($0, "a lot id") }
                builder.add(symbol: symbol, lot: PendingLot(id: lotID, quantity: quantity, costBasis: cost,
                                                            acquired: acquired, line: lotValue.location.line))
            }
            var collector = IssueCollector(file: file)
            if let account = builder.build(file: file, costColumn: "cost_basis", dateColumn: "acquired", costNumber: 0,
                                           dateNumber: 0, asOf: asOf, issues: &collector) {
                accounts.append(account)
            }
            for issue in collector.issues {
                doc.issues.add(line: issue.location.line, column: issue.location.column, found: issue.found, expected: issue.expected)
            }
        }
        var rejected: [String: FileError] = [:]
        if isolatingAccountErrors {
            rejected = try doc.issues.byAccount(owner: owner)
            accounts.removeAll { rejected[$0.id] != nil }
        } else {
            try doc.check()
        }
        var result = Holdings(accounts: accounts, assetClasses: assetClasses, prices: prices, descriptions: descriptions)
        result.rejectedAccounts = rejected
        return result
    }

    static func readText(_ url: URL) throws(FileError) -> String {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(url.path, reason: FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(url.path, reason: "not UTF-8 text")
        }
        return text
    }
}

/// A lot as read, before missing cost or date are judged.
struct PendingLot {
    var id: String?
    var quantity: Decimal
    var costBasis: Decimal?
    var acquired: Date?
    var line: Int
}

/// Gathers one account's rows.
struct AccountBuilder {
    let id: String
    var kind: (AccountKind, line: Int)?
    var cash: Decimal = 0
    var symbols: [String] = []
    var lots: [String: [PendingLot]] = [:]

    init(id: String) { self.id = id }

    mutating func add(symbol: String, lot: PendingLot) {
        if lots[symbol] == nil { symbols.append(symbol) }
        lots[symbol, default: []].append(lot)
    }

    /// Builds the account. A taxable lot needs a cost basis and an acquisition date; in other
    /// accounts an unknown basis is recorded as zero and an unknown date as 1970-01-01, which
    /// only taxable accounts would read.
    func build(file: String, costColumn: String?, dateColumn: String?, absentColumns: (cost: String?, date: String?) = (nil, nil),
               costNumber: Int, dateNumber: Int, asOf: Date? = nil, issues: inout IssueCollector) -> Account? {
        let accountKind = kind?.0 ?? .taxable
        var positions: [Position] = []
        var ok = true
        for symbol in symbols {
            var built: [Lot] = []
            var ids: Set<String> = []
            for (k, pending) in lots[symbol]!.enumerated() {
                let lotID = pending.id ?? "\(symbol)-\(k + 1)"
                if !ids.insert(lotID).inserted {
                    issues.add(line: pending.line, column: 0, found: lotID, expected: "a lot id unique within \(symbol) in account \(id)")
                    ok = false
                }
                if accountKind == .taxable && pending.costBasis == nil {
                    issues.add(line: pending.line, column: costNumber, columnName: costColumn, found: "",
                               expected: "a cost basis for this lot of \(symbol) (account \(id) is taxable)"
                                   + (absentColumns.cost.map { "; " + $0 } ?? ""))
                    ok = false
                }
                if accountKind == .taxable && pending.acquired == nil {
                    issues.add(line: pending.line, column: dateNumber, columnName: dateColumn, found: "",
                               expected: "an acquisition date for this lot of \(symbol) (account \(id) is taxable)"
                                   + (absentColumns.date.map { "; " + $0 } ?? ""))
                    ok = false
                }
                if let asOf, let acquired = pending.acquired, acquired > asOf {
                    issues.add(line: pending.line, column: dateNumber, columnName: dateColumn, found: ISODate.format(acquired),
                               expected: "an acquisition date on or before the as-of date \(ISODate.format(asOf)) (lot of \(symbol) in account \(id))")
                    ok = false
                }
                built.append(Lot(id: lotID, quantity: pending.quantity, costBasis: pending.costBasis ?? 0,
                                 acquired: pending.acquired ?? Date(timeIntervalSince1970: 0)))
            }
            positions.append(Position(symbol: symbol, lots: built))
        }
        return ok ? Account(id: id, kind: accountKind, cash: cash, positions: positions) : nil
    }
}
