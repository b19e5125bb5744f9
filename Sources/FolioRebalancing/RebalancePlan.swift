import Foundation

/// The result of rebalancing one account: the trades to send and the evidence for them.
///
/// Money is exact `Decimal`, rounded to the cent where it is realized (trade values, costs,
/// gains, tax, cash). Weights are `Double` fractions of the account's *investable value*:
/// securities plus cash after the pending cash flow, less the cash reserve.
///
/// The same inputs give an equal plan, and (encoded with ``jsonData()``) byte-identical JSON.
public struct RebalancePlan: Sendable, Hashable, Codable {
    /// The account rebalanced.
    public var accountID: String
    /// Its tax treatment.
    public var accountKind: AccountKind
    /// The trade date (the prices' as-of date).
    public var tradeDate: Date
    /// Why the plan trades, or why it does not.
    public var trigger: TriggerDecision
    /// The mode that was applied (``RebalancePolicy/Mode/cashFlowOnly`` when only a cash flow
    /// made the plan trade).
    public var appliedMode: RebalancePolicy.Mode
    /// Trades: all sells, then all buys, each group in symbol order.
    public var trades: [Trade]
    /// Trades that were wanted but not sent, with the reason.
    public var skippedTrades: [SkippedTrade]
    /// Every security held or targeted, before and after, in symbol order.
    public var holdings: [HoldingChange]
    /// Holdings by asset class, before and after, in asset-class order.
    public var assetClasses: [AssetClassChange]
    /// Drift of each target line (a security or an asset class, plus unlisted holdings).
    public var drift: [LineDrift]
    /// The largest absolute drift before trading, as a weight fraction.
    public var maxAbsoluteDriftBefore: Double
    /// The largest absolute drift after trading, as a weight fraction.
    public var maxAbsoluteDriftAfter: Double
    /// One-way turnover: `(buys + sells) / 2 / account value before`.
    public var turnover: Double
    /// Account value before trading (securities at market plus cash), in currency.
    public var accountValueBefore: Decimal
    /// Investable value: account value plus the pending cash flow less the reserve.
    public var investableValue: Decimal
    /// Cash before trading.
    public var cashBefore: Decimal
    /// Cash after trading and the cash flow.
    public var cashAfter: Decimal
    /// The cash reserve to keep, in currency.
    public var cashReserve: Decimal
    /// Deposit applied (non-negative).
    public var deposit: Decimal
    /// Withdrawal applied (non-negative).
    public var withdrawal: Decimal
    /// Sum of the gross values of sells.
    public var totalSells: Decimal
    /// Sum of the gross values of buys.
    public var totalBuys: Decimal
    /// Sum of commissions and spread costs.
    public var totalCosts: Decimal
    /// Net realized short-term gain (taxable accounts; zero otherwise).
    public var realizedShortTermGain: Decimal
    /// Net realized long-term gain (taxable accounts; zero otherwise).
    public var realizedLongTermGain: Decimal
    /// Estimated tax: short- and long-term gains netted against each other, the positive
    /// remainders taxed at the policy's rates, rounded half-up to the cent; zero when the net is
    /// a loss (carry-forwards are not modelled) and in accounts that are not taxable.
    ///
    /// `nil` means *not estimated*: the account is taxable and the policy does not know both
    /// rates (``RebalancePolicy/taxRatesAreKnown``). The realized gains are still exact; only
    /// the tax on them is unknown, and reports say so rather than show a zero. In the plan's
    /// JSON (``jsonData()``) it is then `null`.
    public var estimatedTax: Decimal?
    /// Things the advisor should know.
    public var warnings: [PlanWarning]
    /// The invariants the plan was checked against, recomputed by ``PlanAudit`` from the
    /// emitted trades and lots.
    public var invariants: PlanInvariants

    /// The plan as JSON with sorted keys and ISO-8601 dates: byte-identical for equal plans.
    /// - Throws: `EncodingError` (not expected for a valid plan).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    /// Encodes every property under its own name, a tax not estimated as an explicit `null`
    /// (a synthesized encoding would leave the key out). Decoding is synthesized: an absent
    /// or `null` ``estimatedTax`` decodes as `nil`.
    ///
    /// - Throws: `EncodingError` from the encoder.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(accountID, forKey: .accountID)
        try c.encode(accountKind, forKey: .accountKind)
        try c.encode(tradeDate, forKey: .tradeDate)
        try c.encode(trigger, forKey: .trigger)
        try c.encode(appliedMode, forKey: .appliedMode)
        try c.encode(trades, forKey: .trades)
        try c.encode(skippedTrades, forKey: .skippedTrades)
        try c.encode(holdings, forKey: .holdings)
        try c.encode(assetClasses, forKey: .assetClasses)
        try c.encode(drift, forKey: .drift)
        try c.encode(maxAbsoluteDriftBefore, forKey: .maxAbsoluteDriftBefore)
        try c.encode(maxAbsoluteDriftAfter, forKey: .maxAbsoluteDriftAfter)
        try c.encode(turnover, forKey: .turnover)
        let money: [(Decimal, CodingKeys)] = [
            (accountValueBefore, .accountValueBefore), (investableValue, .investableValue), (cashBefore, .cashBefore),
            (cashAfter, .cashAfter), (cashReserve, .cashReserve), (deposit, .deposit), (withdrawal, .withdrawal),
            (totalSells, .totalSells), (totalBuys, .totalBuys), (totalCosts, .totalCosts),
            (realizedShortTermGain, .realizedShortTermGain), (realizedLongTermGain, .realizedLongTermGain),
        ]
        for (value, key) in money { try c.encode(value, forKey: key) }
        try c.encode(estimatedTax, forKey: .estimatedTax)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(invariants, forKey: .invariants)
    }
}

/// Whether a rebalance was triggered, and why.
public struct TriggerDecision: Sendable, Hashable, Codable {
    /// Whether the plan rebalances (bands, calendar, or `always`).
    public var isTriggered: Bool
    /// Whether a pending cash flow made the plan trade.
    public var cashFlowPending: Bool
    /// Whether the calendar period had elapsed (`nil` when the trigger has no calendar).
    public var calendarDue: Bool?
    /// Whether any band was breached (`nil` when the trigger has no bands).
    public var bandBreached: Bool?
    /// A sentence for people, e.g. "US Equity is 6.2 pts over target, band 5 pts".
    public var explanation: String
}

/// One order.
public struct Trade: Sendable, Hashable, Codable {
    /// The account it trades in.
    public var accountID: String
    /// The security.
    public var symbol: String
    /// Buy or sell.
    public var side: TradeSide
    /// Units traded (shares or face), positive.
    public var quantity: Decimal
    /// Price per unit used for sizing.
    public var price: Decimal
    /// `quantity × price`, rounded half-up to the cent.
    public var grossValue: Decimal
    /// Commission plus spread cost, in currency.
    public var cost: Decimal
    /// Lots consumed by a sell (empty for buys), in the order the lot method chose them.
    public var lots: [LotSale]
    /// Realized gain of a sell (sum over its lots; zero for buys and non-taxable accounts).
    public var realizedGain: Decimal
    /// Why the trade is made.
    public var reason: TradeReason

    /// The change in cash: `gross − cost` for a sell, `−(gross + cost)` for a buy.
    public var cashFlow: Decimal { side == .sell ? grossValue - cost : -(grossValue + cost) }
}

/// The part of one tax lot consumed by a sell.
public struct LotSale: Sendable, Hashable, Codable {
    /// The lot's id.
    public var lotID: String
    /// Units sold from the lot.
    public var quantity: Decimal
    /// The lot's acquisition date.
    public var acquired: Date
    /// Cost basis of the units sold: the lot's basis pro rata, rounded half-up to the cent.
    public var costBasis: Decimal
    /// Proceeds allocated to the lot, net of its pro-rata share of the trade's cost.
    public var proceeds: Decimal
    /// `proceeds − costBasis`.
    public var realizedGain: Decimal
    /// Short-term (held one year or less) or long-term.
    public var term: HoldingTerm
}

/// The holding period class of a realized gain.
public enum HoldingTerm: String, Sendable, Hashable, Codable {
    /// Held one year or less.
    case shortTerm
    /// Held more than one year (sold after the first anniversary of the acquisition date).
    case longTerm
}

/// Why a trade is made, with the numbers behind it. ``description`` is the human sentence.
public struct TradeReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The kind of reason.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The line is over target.
        case overweight
        /// The line is under target.
        case underweight
        /// The holding is not in the account's target (in a household, its share after asset location).
        case notInTarget
        /// A lot with a loss is harvested.
        case taxLossHarvest
        /// Buys the replacement for a harvested security.
        case harvestReplacement
        /// Raises cash for a withdrawal or the reserve.
        case raiseCash
        /// Invests a deposit or cash above the reserve.
        case investCash
    }

    /// The kind.
    public var kind: Kind
    /// The line (security or asset class) the trade adjusts.
    public var line: String
    /// Drift of the line before trading, in percentage points (weight − target) × 100.
    public var driftPoints: Double
    /// The band half-width in percentage points, when bands apply.
    public var bandPoints: Double?
    /// A related symbol (the harvested or the replacement security).
    public var relatedSymbol: String?

    /// The sentence, e.g. "overweight by 6.2 pts, band 5 pts".
    public var description: String {
        let band = bandPoints.map { ", band \(formatPoints($0)) pts" } ?? ""
        let lineText = line.isEmpty ? "" : "\(line) "
        switch kind {
        case .overweight: return "\(lineText)overweight by \(formatPoints(driftPoints)) pts\(band)"
        case .underweight: return "\(lineText)underweight by \(formatPoints(-driftPoints)) pts\(band)"
        case .notInTarget: return "not in the account's target"
        case .taxLossHarvest: return "tax-loss harvest into \(relatedSymbol ?? "?")"
        case .harvestReplacement: return "replaces harvested \(relatedSymbol ?? "?")"
        case .raiseCash: return "raise cash; \(lineText)drift \(formatPoints(driftPoints)) pts"
        case .investCash: return "invest cash; \(lineText)drift \(formatPoints(driftPoints)) pts"
        }
    }
}

/// A trade that was wanted but is not sent.
public struct SkippedTrade: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Why a trade is skipped.
    public enum Reason: String, Sendable, Hashable, Codable {
        /// Gross value below ``RebalancePolicy/minimumTradeValue``.
        case belowMinimumTradeValue
        /// Less than one lot (or one fractional step) of the security.
        case belowOneLot
        /// The security is on the account's do-not-sell list.
        case doNotSell
        /// The security is on the account's do-not-buy list.
        case doNotBuy
        /// The security is not tradable.
        case notTradable
        /// Buying would be a wash sale (sold at a loss within the window).
        case washSale
        /// Selling more would exceed the tax budget.
        case taxBudget
        /// Not enough cash once costs and rounding are counted.
        case insufficientCash
        /// A harvest candidate had no eligible replacement.
        case noReplacement
        /// The trade's commission and spread would be at least its value.
        case costExceedsValue
    }

    /// The security.
    public var symbol: String
    /// The side that was wanted.
    public var side: TradeSide
    /// Units that were wanted (zero when below one lot).
    public var quantity: Decimal
    /// Approximate value wanted, in currency (rounded to the cent).
    public var approximateValue: Decimal
    /// Why it was skipped.
    public var reason: Reason

    /// A sentence for people, e.g. "buy FEMKT (about $72.13) skipped: not enough cash once
    /// costs and rounding are counted".
    public var description: String {
        "\(side) \(symbol) (about \(advisorMoney(approximateValue))) skipped: \(reason.explanation(side))"
    }
}

/// One security before and after.
public struct HoldingChange: Sendable, Hashable, Codable {
    /// The security.
    public var symbol: String
    /// Its asset class.
    public var assetClass: String
    /// Price used.
    public var price: Decimal
    /// Units held before.
    public var quantityBefore: Decimal
    /// Units held after.
    public var quantityAfter: Decimal
    /// Market value before, rounded half-up to the cent.
    public var marketValueBefore: Decimal
    /// Market value after, rounded half-up to the cent.
    public var marketValueAfter: Decimal
    /// Weight before (fraction of investable value).
    public var weightBefore: Double
    /// Weight after (fraction of investable value).
    public var weightAfter: Double
    /// The weight this security aims for, after restrictions are scaled around (fraction).
    public var targetWeight: Double
}

/// One asset class before and after.
public struct AssetClassChange: Sendable, Hashable, Codable {
    /// The asset class.
    public var assetClass: String
    /// Market value before, in currency.
    public var marketValueBefore: Decimal
    /// Market value after, in currency.
    public var marketValueAfter: Decimal
    /// Weight before (fraction of investable value).
    public var weightBefore: Double
    /// Weight after (fraction of investable value).
    public var weightAfter: Double
    /// Target weight (fraction).
    public var targetWeight: Double
}

/// Drift of one target line: a security, an asset class, or a holding not in the target.
public struct LineDrift: Sendable, Hashable, Codable {
    /// The symbol or asset class.
    public var line: String
    /// Whether the line is in the target (`false` for unlisted holdings).
    public var isInTarget: Bool
    /// Target weight (fraction).
    public var targetWeight: Double
    /// Band half-width (fraction).
    public var band: Double
    /// Weight before (fraction of investable value).
    public var weightBefore: Double
    /// Weight after (fraction of investable value).
    public var weightAfter: Double
    /// `weightBefore − targetWeight`.
    public var driftBefore: Double { weightBefore - targetWeight }
    /// `weightAfter − targetWeight`.
    public var driftAfter: Double { weightAfter - targetWeight }
}

/// Something the advisor should know about a plan.
public struct PlanWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The kind of warning.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A holding that cannot be sold (do-not-sell or not tradable) is kept and the rest
        /// of the target is scaled around it.
        case restrictedHoldingKept
        /// A line cannot be bought (do-not-buy, not tradable, wash sale) and stays underweight.
        case restrictedPurchase
        /// A loss lot is sold within the wash-sale window of a buy of the same security.
        case washSaleRisk
        /// Loss lots were kept because the household buys the same security (or a
        /// substantially identical one) today in another account.
        case washSaleAvoided
        /// The tax budget limited sells; drift is left.
        case taxBudgetLimitedSells
        /// Specific lots did not cover the sell; FIFO was used for the rest.
        case specificLotsInsufficient
        /// Cash after trading is below the reserve because too little could be sold.
        case reserveNotMet
        /// Tax-loss harvesting was requested but the target has no alternates.
        case harvestingNeedsAlternates
    }

    /// The kind.
    public var kind: Kind
    /// The security or line concerned, if any.
    public var subject: String
    /// The sentence.
    public var message: String

    /// The sentence.
    public var description: String { message }
}

/// The invariants a plan was checked against, recomputed by ``PlanAudit`` from the emitted
/// trades, their lots and the plan's cash fields against the original ``Account``, independently
/// of how the engine built the plan.
///
/// Every field but ``cashAtLeastReserve`` is bookkeeping: a `false` is a bug to report.
/// ``cashAtLeastReserve`` is strict: it is `false` whenever cash after trading is below the
/// reserve, including when too little could be sold to meet it (then a
/// ``PlanWarning/Kind/reserveNotMet`` warning explains why, and ``reserveShortfallExplained``
/// is `true`). ``allHold`` requires every check, the reserve included; ``isSound`` accepts an
/// explained reserve shortfall.
public struct PlanInvariants: Sendable, Hashable, Codable {
    /// Cash before equals the account's cash, deposit and withdrawal are non-negative and net
    /// to the policy's pending cash flow, and `cash before + deposit − withdrawal +
    /// Σ sells (gross − cost) − Σ buys (gross + cost) = cash after`, exactly.
    public var cashIdentityHolds: Bool
    /// Cash after is not negative.
    public var cashNonNegative: Bool
    /// Cash after is at least the reserve. Strict: no exemption when a warning explains a
    /// shortfall (see ``reserveShortfallExplained``).
    public var cashAtLeastReserve: Bool
    /// Cash after is at least the reserve, or a ``PlanWarning/Kind/reserveNotMet`` warning
    /// says why not.
    public var reserveShortfallExplained: Bool
    /// Every lot sale names a lot of that symbol in the account, sells a positive quantity,
    /// and no lot sells more than it holds in total; each sell's quantity is the sum of its
    /// lot sales, buys consume no lots, and no position goes negative.
    public var noLotOversold: Bool
    /// Every trade's gross value is positive and at least the policy's minimum trade value.
    public var tradesMeetMinimum: Bool
    /// Every sell comes before every buy in ``RebalancePlan/trades``.
    public var sellsBeforeBuys: Bool
    /// Net realized gain, recomputed from the lot sales, is within the tax budget (true for
    /// accounts that are not taxable and when there is no budget).
    public var withinTaxBudget: Bool
    /// Each trade's quantity and price are positive, its cost is not negative, its gross value
    /// is `quantity × price` rounded half-up to the cent, and the plan's total sells, buys and
    /// costs are the sums over its trades.
    public var tradeValuesExact: Bool
    /// Each lot sale's cost basis is the lot's basis pro rata rounded half-up to the cent, its
    /// gain is `proceeds − costBasis`, its acquisition date and term match the lot; the
    /// proceeds of a sell sum to `gross − cost`; each trade's and the plan's short- and
    /// long-term realized gains are the sums of the lot gains (zero when not taxable).
    public var gainsMatchLots: Bool
    /// Each holding's quantity before is the account's, its quantity after is
    /// `before − sold + bought`, and every held or traded security has exactly one row.
    public var holdingsMatchTrades: Bool

    /// Whether every invariant holds, the strict reserve check included.
    /// - Complexity: O(1).
    public var allHold: Bool { isSound && cashAtLeastReserve }

    /// Whether every bookkeeping invariant holds and cash is at least the reserve or a
    /// warning explains the shortfall: the plan has no defect, though it may leave cash below
    /// the reserve when too little could be sold. A `false` is a bug to report.
    /// - Complexity: O(1).
    public var isSound: Bool {
        cashIdentityHolds && cashNonNegative && reserveShortfallExplained && noLotOversold
            && tradesMeetMinimum && sellsBeforeBuys && withinTaxBudget && tradeValuesExact
            && gainsMatchLots && holdingsMatchTrades
    }

    /// The names of the checks that fail (the property names, e.g. `"cashAtLeastReserve"`),
    /// in declaration order; empty when ``allHold``.
    /// - Complexity: O(1) (eleven checks).
    public var failedChecks: [String] {
        let checks: [(String, Bool)] = [
            ("cashIdentityHolds", cashIdentityHolds), ("cashNonNegative", cashNonNegative),
            ("cashAtLeastReserve", cashAtLeastReserve), ("reserveShortfallExplained", reserveShortfallExplained),
            ("noLotOversold", noLotOversold), ("tradesMeetMinimum", tradesMeetMinimum),
            ("sellsBeforeBuys", sellsBeforeBuys), ("withinTaxBudget", withinTaxBudget),
            ("tradeValuesExact", tradeValuesExact), ("gainsMatchLots", gainsMatchLots),
            ("holdingsMatchTrades", holdingsMatchTrades),
        ]
        return checks.filter { !$0.1 }.map(\.0)
    }

    /// Invariants not yet checked (every field `false`); the engine's placeholder until it
    /// audits the plan.
    static let unchecked = PlanInvariants(
        cashIdentityHolds: false, cashNonNegative: false, cashAtLeastReserve: false, reserveShortfallExplained: false,
        noLotOversold: false, tradesMeetMinimum: false, sellsBeforeBuys: false, withinTaxBudget: false,
        tradeValuesExact: false, gainsMatchLots: false, holdingsMatchTrades: false)
}

/// Formats percentage points with one decimal, without Foundation formatters.
func formatPoints(_ x: Double) -> String {
    let tenths = Int((abs(x) * 10).rounded())
    return (x < 0 && tenths != 0 ? "-" : "") + "\(tenths / 10).\(tenths % 10)"
}
