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
    public func assetClassWeights(after: Bool) -> [String: Double] { assetClassWeights(of: weights(after: after)) }

    /// ``assetClassWeights(after:)`` from the security weights ``weights(after:)`` gave
    /// (the plan writer computes those once for both).
    func assetClassWeights(of weights: [String: Double]) -> [String: Double] {
        var classOf: [String: String] = ["CASH": "cash"]
        for plan in plans { for h in plan.holdings { classOf[h.symbol] = h.assetClass } }
        var result: [String: Double] = [:]
        // Summed in symbol order: dictionary order changes from run to run (per-process hash
        // seed), and a different order of floating-point additions changes the last digit.
        for (symbol, weight) in weights.sorted(by: { $0.key < $1.key }) {
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
    /// Top-level keys: `asOf`, `title`, `triggered`, `trades` (each with `account`, `accountKind`
    /// in words, `symbol`, `side`, `quantity`, `price`, `value`, `cost`, `realizedGain`: the
    /// *taxable* realized gain, `0` in tax-advantaged accounts, `economicGain`: proceeds less
    /// cost basis of a sell in any account, absent for a buy, and `reason`), `skippedTrades`,
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
            var account, accountKind, symbol, side: String
            var quantity, price, value, cost, realizedGain: Decimal
            var economicGain: Decimal?
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
            trades: plans.flatMap { plan in
                plan.trades.map {
                    TradeRow(account: $0.accountID, accountKind: plan.accountKind.displayName, symbol: $0.symbol,
                             side: $0.side.rawValue, quantity: $0.quantity, price: $0.price, value: $0.grossValue, cost: $0.cost,
                             realizedGain: plan.accountKind.isTaxable ? $0.realizedGain : 0,
                             economicGain: $0.side == .sell ? Self.economicGain($0) : nil,
                             reason: $0.reason.description)
                }
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

    /// Household turnover: the value repositioned, the smaller of buys and sells, over the
    /// household's value before trading, as a fraction. Trades that only raise cash for a
    /// withdrawal or invest a deposit are not turnover (they move cash, not the mix); see
    /// ``sellsFraction`` and ``buysFraction`` for the two sides.
    public var turnover: Double {
        let value = valueBefore
        guard value > 0 else { return 0 }
        let traded = min(total(\.totalBuys), total(\.totalSells))
        return NSDecimalNumber(decimal: traded / value).doubleValue
    }

    // MARK: CSV

    // `tradesCSV()`, the trade file and the lot-relief file: PlanReport+TradeFiles.swift.

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
            let kind = plan.accountKind.displayName
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
                          Self.gainCell(trade, in: kind(of: trade), money: ReportFormat.money), trade.reason.description])
            }
            out += t.render(maxWidth: width)
        }
        out += "\n"
        var s = TextTable(columns: [.init("Summary"), .init("Amount", .right)])
        s.append(["Cash before", ReportFormat.money(total(\.cashBefore))])
        s.append(["Sells", ReportFormat.money(total(\.totalSells)) + " (\(ReportFormat.percent(sellsFraction)) of value)"])
        s.append(["Buys", ReportFormat.money(total(\.totalBuys)) + " (\(ReportFormat.percent(buysFraction)) of value)"])
        if total(\.deposit) != 0 { s.append(["Deposits", ReportFormat.money(total(\.deposit))]) }
        if total(\.withdrawal) != 0 { s.append(["Withdrawals", ReportFormat.money(total(\.withdrawal))]) }
        s.append(["Costs", ReportFormat.money(total(\.totalCosts))])
        s.append(["Cash after", ReportFormat.money(total(\.cashAfter))])
        s.append(["Realized short-term gain", ReportFormat.money(total(\.realizedShortTermGain))])
        s.append(["Realized long-term gain", ReportFormat.money(total(\.realizedLongTermGain))])
        s.append(["Estimated tax", ReportFormat.tax(estimatedTax)])
        s.append(["Turnover", ReportFormat.percent(turnover)])
        out += s.render(maxWidth: width) + Self.turnoverDefinition.wrapped(width: width, indent: "") + "\n\n"
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
