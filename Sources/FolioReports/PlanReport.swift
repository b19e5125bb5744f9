import Foundation
import FolioRebalancing

/// The plans of one rebalance (one per account) seen together: household totals, weights
/// before and after by security and by asset class, and the renderers an advisor reads —
/// a terminal table, `trades.csv`, `plan.json` and a self-contained `report.html`.
public struct PlanReport: Sendable {
    /// A title, usually the household's name or the holdings file's name.
    public var title: String
    /// The account plans, in the holdings' account order.
    public var plans: [RebalancePlan]
    /// Household target weights by line (security, or asset class), including `CASH`.
    public var targetWeights: [String: Double]
    /// Whether the target is by asset class.
    public var targetIsByAssetClass: Bool
    /// Notes about the inputs (how files were read), shown with the warnings.
    public var notes: [String]
    /// Display names by symbol.
    public var names: [String: String]
    /// The fingerprint of the inputs the plans were made from (`folio batch` sets it; see
    /// `BatchRebalance.fingerprint(of:holdings:context:)`); written as `"fingerprint"` in the
    /// JSON when set.
    public var fingerprint: String?

    /// A report over `plans`.
    ///
    /// - Parameters:
    ///   - title: the report's title (the household or account name).
    ///   - plans: one plan per account.
    ///   - target: the household target as written (with its cash line, if any).
    ///   - notes: notes about the inputs, shown with the warnings.
    ///   - names: display names by symbol.
    public init(title: String, plans: [RebalancePlan], target: TargetAllocation, notes: [String] = [], names: [String: String] = [:]) {
        self.title = title
        self.plans = plans
        self.targetIsByAssetClass = target.isByAssetClass
        if target.isByAssetClass {
            self.targetWeights = Dictionary(target.sleeves.map { ($0.primary == "CASH" ? "cash" : $0.assetClass, $0.weight) }, uniquingKeysWith: +)
        } else {
            self.targetWeights = Dictionary(target.securityWeights.map { ($0.symbol, $0.weight) }, uniquingKeysWith: +)
        }
        self.notes = notes
        self.names = names
    }

    // MARK: Household figures

    /// All trades, sells before buys within each account, accounts in order.
    public var trades: [Trade] { plans.flatMap(\.trades) }

    /// The trade date.
    public var asOf: Date? { plans.first?.tradeDate }

    func total(_ value: (RebalancePlan) -> Decimal) -> Decimal { plans.reduce(0) { $0 + value($1) } }

    /// Household value before the trades (securities and cash), in currency.
    public var valueBefore: Decimal { total(\.accountValueBefore) }

    /// Household value after the trades: before, plus deposits, less withdrawals and costs.
    public var valueAfter: Decimal { total { $0.accountValueBefore + $0.deposit - $0.withdrawal - $0.totalCosts } }

    /// Market value by symbol before (`after: false`) or after the trades, with cash as `CASH`.
    public func marketValues(after: Bool) -> [String: Decimal] {
        var values: [String: Decimal] = [:]
        for plan in plans {
            for h in plan.holdings { values[h.symbol, default: 0] += after ? h.marketValueAfter : h.marketValueBefore }
            values["CASH", default: 0] += after ? plan.cashAfter : plan.cashBefore
        }
        return values
    }

    /// Weights by symbol (fractions of the household's value, `CASH` included).
    public func weights(after: Bool) -> [String: Double] {
        let values = marketValues(after: after)
        let total = values.values.reduce(Decimal(0), +)
        guard total > 0 else { return [:] }
        return values.mapValues { NSDecimalNumber(decimal: $0 / total).doubleValue }
    }

    /// Weights by asset class (fractions of the household's value, cash as class `cash`).
    public func assetClassWeights(after: Bool) -> [String: Double] {
        var classOf: [String: String] = ["CASH": "cash"]
        for plan in plans { for h in plan.holdings { classOf[h.symbol] = h.assetClass } }
        var result: [String: Double] = [:]
        // Summed in symbol order: dictionary order changes from run to run (per-process hash
        // seed), and a different order of floating-point additions changes the last digit.
        for (symbol, weight) in weights(after: after).sorted(by: { $0.key < $1.key }) {
            result[classOf[symbol] ?? symbol, default: 0] += weight
        }
        return result
    }

    /// Target weights by asset class (cash as `cash`), when the target is by security and
    /// each security's class is known from the plans.
    public var assetClassTargets: [String: Double] {
        if targetIsByAssetClass { return targetWeights }
        var classOf: [String: String] = ["CASH": "cash"]
        for plan in plans { for h in plan.holdings { classOf[h.symbol] = h.assetClass } }
        var result: [String: Double] = [:]
        for (symbol, weight) in targetWeights.sorted(by: { $0.key < $1.key }) { result[classOf[symbol] ?? symbol, default: 0] += weight }
        return result
    }

    /// The household's estimated tax: the sum over the accounts, or nil (*not estimated*) when
    /// any account's tax was not estimated because the tax rates are unknown.
    public var estimatedTax: Decimal? {
        plans.reduce(Decimal(0) as Decimal?) { sum, plan in sum.flatMap { s in plan.estimatedTax.map { s + $0 } } }
    }

    /// The invariants that fail, one line per check, e.g. `"A1: cashAtLeastReserve"` (names as
    /// in `PlanInvariants.failedChecks`); empty when every plan's invariants hold.
    public var failedInvariants: [String] {
        plans.flatMap { plan in plan.invariants.failedChecks.map { "\(plan.accountID): \($0)" } }
    }

    /// Every warning of every plan, prefixed with its account, then the notes.
    public var warnings: [String] {
        plans.flatMap { plan in plan.warnings.map { "\(plan.accountID): \($0.description)" } } + notes.map { "note: \($0)" }
    }

    // MARK: JSON

    /// The report as JSON: household totals and the full account plans. Keys are sorted
    /// and money is written as exact decimal numbers, so the same inputs give the same bytes.
    ///
    /// Top-level keys: `asOf`, `title`, `triggered`, `trades` (each with `account`, `symbol`,
    /// `side`, `quantity`, `price`, `value`, `cost`, `realizedGain`, `reason`), `skippedTrades`,
    /// `cashBefore`, `cashAfter`, `deposits`, `withdrawals`, `totalSells`, `totalBuys`,
    /// `totalCosts`, `realizedGains` (`shortTerm`, `longTerm`), `estimatedTax`, `taxEstimate`,
    /// `turnover`, `weightsBefore`, `weightsAfter`, `targetWeights`, `assetClasses`, `warnings`,
    /// `invariantsHold` (every invariant of every plan, the strict cash reserve included),
    /// `failedInvariants` (see ``failedInvariants``), `accounts` (the `RebalancePlan` of each account).
    ///
    /// `estimatedTax` is a number, or `null` when the tax was not estimated (no tax rates);
    /// `taxEstimate` says which: `"estimated"` or `"not estimated (no rates)"`. An account plan
    /// whose tax was not estimated has `"estimatedTax": null` too.
    public func json() throws -> Data {
        struct TradeRow: Encodable {
            var account, symbol, side: String
            var quantity, price, value, cost, realizedGain: Decimal
            var reason: String
        }
        struct Gains: Encodable { var shortTerm, longTerm: Decimal }
        struct ClassRow: Encodable { var assetClass: String; var before, after, target: Double }
        struct Document: Encodable {
            var title: String
            var asOf: String
            var triggered: Bool
            var trades: [TradeRow]
            var skippedTrades: [String]
            var cashBefore, cashAfter, deposits, withdrawals, totalSells, totalBuys, totalCosts: Decimal
            var estimatedTax: Decimal?
            var taxEstimate: String
            var realizedGains: Gains
            var turnover: Double
            var weightsBefore, weightsAfter, targetWeights: [String: Double]
            var assetClasses: [ClassRow]
            var warnings: [String]
            var invariantsHold: Bool
            var failedInvariants: [String]
            var accounts: [RebalancePlan]
            var fingerprint: String?

            enum CodingKeys: String, CodingKey {
                case title, asOf, triggered, trades, skippedTrades, cashBefore, cashAfter, deposits, withdrawals, totalSells
                case totalBuys, totalCosts, estimatedTax, taxEstimate, realizedGains, turnover, weightsBefore, weightsAfter
                case targetWeights, assetClasses, warnings, invariantsHold, failedInvariants, accounts, fingerprint
            }

            // Written out so that a tax not estimated is an explicit `null`, not a missing key.
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(title, forKey: .title)
                try c.encode(asOf, forKey: .asOf)
                try c.encode(triggered, forKey: .triggered)
                try c.encode(trades, forKey: .trades)
                try c.encode(skippedTrades, forKey: .skippedTrades)
                for (value, key) in [(cashBefore, CodingKeys.cashBefore), (cashAfter, .cashAfter), (deposits, .deposits),
                                     (withdrawals, .withdrawals), (totalSells, .totalSells), (totalBuys, .totalBuys),
                                     (totalCosts, .totalCosts)] {
                    try c.encode(value, forKey: key)
                }
                try c.encode(estimatedTax, forKey: .estimatedTax)
                try c.encode(taxEstimate, forKey: .taxEstimate)
                try c.encode(realizedGains, forKey: .realizedGains)
                try c.encode(turnover, forKey: .turnover)
                try c.encode(weightsBefore, forKey: .weightsBefore)
                try c.encode(weightsAfter, forKey: .weightsAfter)
                try c.encode(targetWeights, forKey: .targetWeights)
                try c.encode(assetClasses, forKey: .assetClasses)
                try c.encode(warnings, forKey: .warnings)
                try c.encode(invariantsHold, forKey: .invariantsHold)
                try c.encode(failedInvariants, forKey: .failedInvariants)
                try c.encode(accounts, forKey: .accounts)
                try c.encodeIfPresent(fingerprint, forKey: .fingerprint)
            }
        }
        let before = assetClassWeights(after: false), after = assetClassWeights(after: true), targets = assetClassTargets
        let classes = Set(before.keys).union(after.keys).union(targets.keys).sorted()
        let document = Document(
            title: title, asOf: asOf.map(ReportFormat.date) ?? "",
            triggered: plans.contains { $0.trigger.isTriggered || $0.trigger.cashFlowPending },
            trades: trades.map {
                TradeRow(account: $0.accountID, symbol: $0.symbol, side: $0.side.rawValue, quantity: $0.quantity,
                         price: $0.price, value: $0.grossValue, cost: $0.cost, realizedGain: $0.realizedGain,
                         reason: $0.reason.description)
            },
            skippedTrades: plans.flatMap { plan in plan.skippedTrades.map { "\(plan.accountID): \($0.description)" } },
            cashBefore: total(\.cashBefore), cashAfter: total(\.cashAfter), deposits: total(\.deposit),
            withdrawals: total(\.withdrawal), totalSells: total(\.totalSells), totalBuys: total(\.totalBuys),
            totalCosts: total(\.totalCosts), estimatedTax: estimatedTax,
            taxEstimate: estimatedTax == nil ? ReportFormat.taxNotEstimated : "estimated",
            realizedGains: Gains(shortTerm: total(\.realizedShortTermGain), longTerm: total(\.realizedLongTermGain)),
            turnover: turnover,
            weightsBefore: weights(after: false), weightsAfter: weights(after: true), targetWeights: targetWeights,
            assetClasses: classes.map { ClassRow(assetClass: $0, before: before[$0] ?? 0, after: after[$0] ?? 0, target: targets[$0] ?? 0) },
            warnings: warnings, invariantsHold: plans.allSatisfy(\.invariants.allHold), failedInvariants: failedInvariants,
            accounts: plans, fingerprint: fingerprint)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ReportFormat.date(date))
        }
        var data = try encoder.encode(document)
        data.append(0x0A)
        return data
    }

    /// Household turnover: value traded one way (the larger of buys and sells, net of the
    /// cash flows) over the value before, as a fraction.
    public var turnover: Double {
        let value = valueBefore
        guard value > 0 else { return 0 }
        let traded = min(total(\.totalBuys), total(\.totalSells))
        return NSDecimalNumber(decimal: traded / value).doubleValue
    }

    // MARK: CSV

    /// `trades.csv`: one row per trade, ready for an order system: account, symbol, side,
    /// quantity, price (exact, never rounded to the cent), value, cost, realized gain
    /// (short-term, long-term), lots, reason. Text cells are neutralized against formula
    /// injection by ``CSVWriter``.
    public func tradesCSV() -> String {
        CSVWriter.document(header: Self.tradeColumns, rows: Self.tradeRows(trades))
    }

    /// The columns of ``tradesCSV()`` (and, after `unit`, of `folio batch`'s blotter).
    public static let tradeColumns = ["account", "symbol", "side", "quantity", "price", "value", "cost", "realized_short_term",
                                      "realized_long_term", "lots", "reason"]

    /// The rows of ``tradesCSV()`` for `trades`, one per trade, as text (not yet CSV-escaped).
    ///
    /// - Complexity: O(trades and their lots).
    public static func tradeRows(_ trades: [Trade]) -> [[String]] {
        trades.map { t -> [String] in
            let st = t.lots.filter { $0.term == .shortTerm }.reduce(Decimal(0)) { $0 + $1.realizedGain }
            let lt = t.lots.filter { $0.term == .longTerm }.reduce(Decimal(0)) { $0 + $1.realizedGain }
            return [t.accountID, t.symbol, t.side.rawValue, ReportFormat.quantity(t.quantity), ReportFormat.exact(t.price),
                    ReportFormat.plain(t.grossValue, places: 2), ReportFormat.plain(t.cost, places: 2),
                    ReportFormat.plain(st, places: 2), ReportFormat.plain(lt, places: 2),
                    t.lots.map { "\($0.lotID):\(ReportFormat.quantity($0.quantity))" }.joined(separator: ";"),
                    t.reason.description]
        }
    }

    // MARK: Terminal

    /// The plan for a terminal, at most `width` columns: trigger, trades, totals, allocation
    /// by asset class and warnings.
    public func table(width: Int = 100) -> String {
        // Ids, names and warnings come from the files: control characters and bidirectional
        // overrides are printed escaped (the tables escape their cells before measuring).
        TerminalText.escaped(rawTable(width: width))
    }

    func rawTable(width: Int) -> String {
        var out = "\(title) — rebalance as of \(asOf.map(ReportFormat.date) ?? "?")\n"
        for plan in plans {
            let kind = plan.accountKind.rawValue
            out += "  \(plan.accountID) (\(kind)): \(plan.trigger.explanation)".wrapped(width: width, indent: "    ") + "\n"
        }
        out += "\n"
        if trades.isEmpty {
            out += "No trades.\n"
        } else {
            var t = TextTable(columns: [.init("Account"), .init("Side"), .init("Symbol"), .init("Quantity", .right),
                                        .init("Price", .right), .init("Value", .right), .init("Gain", .right), .init("Reason")])
            for trade in trades {
                t.append([trade.accountID, trade.side.rawValue, trade.symbol, ReportFormat.quantity(trade.quantity),
                          ReportFormat.price(trade.price), ReportFormat.money(trade.grossValue),
                          trade.side == .sell ? ReportFormat.money(trade.realizedGain) : "", trade.reason.description])
            }
            out += t.render(maxWidth: width)
        }
        out += "\n"
        var s = TextTable(columns: [.init("Summary"), .init("Amount", .right)])
        s.append(["Cash before", ReportFormat.money(total(\.cashBefore))])
        s.append(["Sells", ReportFormat.money(total(\.totalSells))])
        s.append(["Buys", ReportFormat.money(total(\.totalBuys))])
        if total(\.deposit) != 0 { s.append(["Deposits", ReportFormat.money(total(\.deposit))]) }
        if total(\.withdrawal) != 0 { s.append(["Withdrawals", ReportFormat.money(total(\.withdrawal))]) }
        s.append(["Costs", ReportFormat.money(total(\.totalCosts))])
        s.append(["Cash after", ReportFormat.money(total(\.cashAfter))])
        s.append(["Realized short-term gain", ReportFormat.money(total(\.realizedShortTermGain))])
        s.append(["Realized long-term gain", ReportFormat.money(total(\.realizedLongTermGain))])
        s.append(["Estimated tax", ReportFormat.tax(estimatedTax)])
        s.append(["Turnover", ReportFormat.percent(turnover)])
        out += s.render(maxWidth: width) + "\n"
        let before = assetClassWeights(after: false), after = assetClassWeights(after: true), targets = assetClassTargets
        var a = TextTable(columns: [.init("Asset class"), .init("Before", .right), .init("After", .right), .init("Target", .right),
                                    .init("Drift after", .right)])
        for c in Set(before.keys).union(after.keys).union(targets.keys).sorted() {
            a.append([c, ReportFormat.percent(before[c] ?? 0), ReportFormat.percent(after[c] ?? 0),
                      ReportFormat.percent(targets[c] ?? 0), ReportFormat.points((after[c] ?? 0) - (targets[c] ?? 0))])
        }
        out += a.render(maxWidth: width)
        let skipped = plans.flatMap { plan in plan.skippedTrades.map { "\(plan.accountID): \($0.description)" } }
        if !skipped.isEmpty { out += "\nSkipped:\n" + skipped.map { "  - \($0)".wrapped(width: width, indent: "    ") + "\n" }.joined() }
        if !warnings.isEmpty { out += "\nWarnings:\n" + warnings.map { "  - \($0)".wrapped(width: width, indent: "    ") + "\n" }.joined() }
        return out
    }
}
