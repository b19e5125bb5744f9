import Foundation
import FolioRebalancing

/// A CSV document before it is written: a header and rows of text cells, one cell per header
/// column. ``text`` writes it with ``CSVWriter`` (RFC 4180, every text cell neutralized
/// against formula injection).
///
/// A whole-book blotter is made by concatenating the rows of several documents with the same
/// header, each row led by the unit it belongs to.
public struct CSVDocument: Sendable, Hashable {
    /// Column names, in order.
    public var header: [String]
    /// One array of cells per row, each as long as ``header``; cells are raw text (not yet
    /// quoted or neutralized).
    public var rows: [[String]]

    /// A document with `header` and `rows`.
    ///
    /// - Precondition: every row has as many cells as `header`.
    /// - Complexity: O(rows).
    public init(header: [String], rows: [[String]]) {
        precondition(rows.allSatisfy { $0.count == header.count }, "One cell per header column")
        self.header = header
        self.rows = rows
    }

    /// The document as CSV text: ``CSVWriter/document(header:rows:)``.
    ///
    /// - Complexity: O(total characters).
    public var text: String { CSVWriter.document(header: header, rows: rows) }
}

// MARK: - The trade file and the lot-relief file

/// `trades.csv` (one row per order, for a custodian's bulk-order upload) and `lot-relief.csv`
/// (one row per tax lot a sell relieves, "versus purchase"), with one convention for gains:
/// a gain realized in a tax-advantaged account (tax-deferred or tax-exempt) is not taxable,
/// so its taxable gain is `0.00` and the gain is shown only as the *economic* gain (proceeds
/// less cost basis), labelled as such. Columns: Documentation/FileFormats.md, "trades.csv"
/// and "lot-relief.csv".
extension PlanReport {
    /// The trade file's columns, in order.
    public static let tradeFileHeader = [
        "order", "account", "account_kind", "side", "symbol", "quantity", "order_type", "limit_price", "time_in_force",
        "lot_relief", "estimated_price", "estimated_amount", "estimated_cost", "taxable_short_term_gain",
        "taxable_long_term_gain", "economic_gain", "folio_lots", "reason",
    ]

    /// The lot-relief file's columns, in order.
    public static let lotReliefFileHeader = [
        "order", "account", "symbol", "acquired", "quantity", "unit_cost", "lot_quantity", "cost_basis", "proceeds",
        "realized_gain", "term", "folio_lot",
    ]

    /// What the trade file's `lot_relief` cell says for a sell in a taxable account: the
    /// custodian relieves exactly the lots listed in the lot-relief file.
    public static let versusPurchase = "versus purchase"

    /// The trade file (`trades.csv`) of this report's plans: ``tradeFile(plans:)``.
    ///
    /// - Complexity: O(trades + lots).
    public func tradeFile() -> CSVDocument { Self.tradeFile(plans: plans) }

    /// The trade file of `plans`: one row per order, in plan order (accounts as given, sells
    /// before buys within each account), numbered from 1 in the `order` column.
    ///
    /// Each order is a day market order for the plan's quantity (whole shares, or the
    /// fractional step the securities file allows, written exactly). Its estimated price and
    /// amount are the ones the plan was sized with. A sell in a taxable account says
    /// ``versusPurchase`` in `lot_relief` and has its lots in ``lotReliefFile(plans:accounts:)``
    /// under the same `order`; a sell in a tax-advantaged account leaves `lot_relief` empty
    /// (the custodian tracks no lots there) and has `0.00` taxable gains. Gain cells are
    /// empty for buys. `folio_lots` keeps Folio's own lot ids (`id:quantity;...`) for
    /// reference only.
    ///
    /// - Parameter plans: the account plans, in the order their orders are written.
    /// - Returns: ``tradeFileHeader`` and one row per trade.
    /// - Complexity: O(trades + lots).
    public static func tradeFile(plans: [RebalancePlan]) -> CSVDocument {
        var rows: [[String]] = []
        for plan in plans {
            let taxable = plan.accountKind.isTaxable
            for trade in plan.trades {
                let sell = trade.side == .sell
                func gain(_ term: HoldingTerm) -> String {
                    guard sell else { return "" }
                    guard taxable else { return "0.00" }
                    return cents(trade.lots.filter { $0.term == term }.reduce(Decimal(0)) { $0 + $1.realizedGain })
                }
                rows.append([
                    String(rows.count + 1), trade.accountID, plan.accountKind.displayName, trade.side.rawValue,
                    trade.symbol, ReportFormat.quantity(trade.quantity), "market", "", "day",
                    sell && taxable ? versusPurchase : "", ReportFormat.exact(trade.price), cents(trade.grossValue),
                    cents(trade.cost), gain(.shortTerm), gain(.longTerm),
                    sell ? cents(economicGain(trade)) : "",
                    trade.lots.map { "\($0.lotID):\(ReportFormat.quantity($0.quantity))" }.joined(separator: ";"),
                    trade.reason.description,
                ])
            }
        }
        return CSVDocument(header: tradeFileHeader, rows: rows)
    }

    /// The lot-relief file (`lot-relief.csv`) of this report's plans:
    /// ``lotReliefFile(plans:accounts:)``.
    ///
    /// - Parameter accounts: the accounts the plans were made from (their lots before trading).
    /// - Complexity: O(lots relieved + lots held).
    public func lotReliefFile(accounts: [Account]) -> CSVDocument { Self.lotReliefFile(plans: plans, accounts: accounts) }

    /// The lot-relief file of `plans`: one row per tax lot a sell in a taxable account
    /// relieves, in the order the lot method chose them, with the `order` number of the sell in
    /// ``tradeFile(plans:)``. A custodian identifies a lot by the acquisition date, the unit
    /// cost and the lot's quantity; `folio_lot` is Folio's id, for reference only.
    ///
    /// `unit_cost` is the lot's cost basis over its quantity as held (rounded half-up to six
    /// decimals, then written without trailing zeros, at least two); `cost_basis`, `proceeds`
    /// and `realized_gain` are the plan's, for the quantity relieved, to the cent; `term` is
    /// `short-term` or `long-term`. Sells in tax-advantaged accounts relieve no lots here.
    ///
    /// - Parameters:
    ///   - plans: the account plans, as given to ``tradeFile(plans:)``.
    ///   - accounts: the accounts the plans were made from (their lots before trading).
    /// - Precondition: every lot a plan sells is in the account of the same id in `accounts`.
    /// - Complexity: O(lots relieved + lots held).
    public static func lotReliefFile(plans: [RebalancePlan], accounts: [Account]) -> CSVDocument {
        var lotsByAccount: [String: [String: [String: Lot]]] = [:]
        for account in accounts {
            for position in account.positions {
                lotsByAccount[account.id, default: [:]][position.symbol] = Dictionary(position.lots.map { ($0.id, $0) },
                                                                                       uniquingKeysWith: { first, _ in first })
            }
        }
        var rows: [[String]] = []
        var order = 0
        for plan in plans {
            for trade in plan.trades {
                order += 1
                guard trade.side == .sell, plan.accountKind.isTaxable else { continue }
                for sale in trade.lots {
                    guard let lot = lotsByAccount[trade.accountID]?[trade.symbol]?[sale.lotID] else {
                        preconditionFailure("Lot \(sale.lotID) of \(trade.symbol) is not in account \(trade.accountID)")
                    }
                    var unitCost = lot.costPerShare, rounded = Decimal()
                    NSDecimalRound(&rounded, &unitCost, 6, .plain)
                    rows.append([
                        String(order), trade.accountID, trade.symbol, ReportFormat.date(sale.acquired),
                        ReportFormat.quantity(sale.quantity), ReportFormat.exact(rounded), ReportFormat.quantity(lot.quantity),
                        cents(sale.costBasis), cents(sale.proceeds), cents(sale.realizedGain), termWords(sale.term), sale.lotID,
                    ])
                }
            }
        }
        return CSVDocument(header: lotReliefFileHeader, rows: rows)
    }

    /// `trades.csv`: ``tradeFile()`` as CSV text.
    ///
    /// - Complexity: O(trades + lots).
    public func tradesCSV() -> String { tradeFile().text }

    /// `lot-relief.csv`: ``lotReliefFile(accounts:)`` as CSV text.
    ///
    /// - Parameter accounts: the accounts the plans were made from.
    /// - Complexity: O(lots relieved + lots held).
    public func lotReliefCSV(accounts: [Account]) -> String { lotReliefFile(accounts: accounts).text }

    /// A sell's economic gain: proceeds (net of its cost) less cost basis, summed over its
    /// lots, in any account; taxable only in a taxable account.
    static func economicGain(_ trade: Trade) -> Decimal { trade.lots.reduce(Decimal(0)) { $0 + $1.realizedGain } }

    /// A holding term in words: `short-term`, `long-term`.
    static func termWords(_ term: HoldingTerm) -> String { term == .shortTerm ? "short-term" : "long-term" }

    /// What the terminal and the HTML report show in a trade's gain cell: the realized gain of
    /// a sell in a taxable account as money, ``gainNotTaxable`` for a sell in a tax-advantaged
    /// account, empty for a buy.
    static func gainCell(_ trade: Trade, in kind: AccountKind, money: (Decimal) -> String) -> String {
        guard trade.side == .sell else { return "" }
        return kind.isTaxable ? money(trade.realizedGain) : gainNotTaxable
    }

    /// The kind of the account `trade` is made in (taxable when no plan has its account).
    func kind(of trade: Trade) -> AccountKind {
        plans.first { $0.accountID == trade.accountID }?.accountKind ?? .taxable
    }

    /// The words for a gain realized in a tax-advantaged account.
    public static let gainNotTaxable = "not taxable"

    private static func cents(_ value: Decimal) -> String { ReportFormat.plain(value, places: 2) }
}
