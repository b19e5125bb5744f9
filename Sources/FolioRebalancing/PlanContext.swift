import Foundation

/// What one run knows, as opposed to what a policy *is*.
///
/// A ``RebalancePolicy`` holds the standing rules an advisor agreed with the client (trigger,
/// bands, costs, lot method, tax rates). A `PlanContext` holds the facts of one run: when the
/// household was last rebalanced, the deposits and withdrawals pending per account, the trades
/// of the last weeks (for the wash-sale rule) and the lots named for a sale. A variation of a
/// run (another deposit, a what-if) is another context, never a copied policy.
///
/// Facts in the context are added to the policy's own (``RebalancePolicy/recentTransactions``)
/// or replace them (``RebalancePolicy/pendingCashFlow``, ``RebalancePolicy/lastRebalanceDate``,
/// the ids of ``RebalancePolicy/LotMethod/specificLots(_:)``) for the accounts they name.
///
/// ```swift
/// let context = PlanContext(cashFlows: ["IRA-1": 6_500], recentTransactions: lastMonth)
/// let plan = try HouseholdPlanner(rebalancer: engine).plan(household, target: .located(target),
///                                                         prices: prices, context: context)
/// ```
public struct PlanContext: Sendable, Hashable, Codable {
    /// The date of the household's last rebalance, for calendar triggers; `nil` uses the
    /// policy's ``RebalancePolicy/lastRebalanceDate``.
    public var lastRebalanceDate: Date?
    /// A pending deposit (positive) or withdrawal (negative) per account id, in currency. An
    /// account listed here uses this amount instead of the policy's
    /// ``RebalancePolicy/pendingCashFlow``.
    public var cashFlows: [String: Decimal]
    /// Trades of the recent past in any of the household's accounts, for the wash-sale rule;
    /// added to the policy's ``RebalancePolicy/recentTransactions``.
    public var recentTransactions: [Transaction]
    /// Lot ids to sell first, per account id, when the policy's lot method is
    /// ``RebalancePolicy/LotMethod/specificLots(_:)``; they replace the ids the method names.
    public var specificLots: [String: [String]]
    /// Cash to keep after trading, in currency, per account id: replaces the policy's
    /// ``RebalancePolicy/cashReserve`` for the accounts it names (e.g. the cash an optimizer
    /// decided to leave uninvested in one account). Values must not be negative.
    public var cashReserves: [String: Decimal]

    /// Creates a context; every fact defaults to "none".
    /// - Parameters:
    ///   - lastRebalanceDate: The household's last rebalance, or `nil`.
    ///   - cashFlows: Pending flows by account id, in currency (deposits positive).
    ///   - recentTransactions: Recent trades in the household's accounts.
    ///   - specificLots: Lot ids to sell first, by account id.
    ///   - cashReserves: Cash to keep per account id, in currency (replaces the policy's reserve).
    public init(
        lastRebalanceDate: Date? = nil, cashFlows: [String: Decimal] = [:],
        recentTransactions: [Transaction] = [], specificLots: [String: [String]] = [:],
        cashReserves: [String: Decimal] = [:]
    ) {
        self.lastRebalanceDate = lastRebalanceDate
        self.cashFlows = cashFlows
        self.recentTransactions = recentTransactions
        self.specificLots = specificLots
        self.cashReserves = cashReserves
    }

    private enum CodingKeys: String, CodingKey {
        case lastRebalanceDate, cashFlows, recentTransactions, specificLots, cashReserves
    }

    /// Decodes a context; every key may be absent (contexts written before `cashReserves`).
    /// - Complexity: O(size of the encoded context).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lastRebalanceDate = try c.decodeIfPresent(Date.self, forKey: .lastRebalanceDate)
        cashFlows = try c.decodeIfPresent([String: Decimal].self, forKey: .cashFlows) ?? [:]
        recentTransactions = try c.decodeIfPresent([Transaction].self, forKey: .recentTransactions) ?? []
        specificLots = try c.decodeIfPresent([String: [String]].self, forKey: .specificLots) ?? [:]
        cashReserves = try c.decodeIfPresent([String: Decimal].self, forKey: .cashReserves) ?? [:]
    }
}

/// One account's run in engine units: the policy's run facts merged with the context's, plus
/// what the household planner learned from the other accounts' plans of the same day.
struct AccountRun: Sendable {
    /// Pending flow, fixed units (deposit positive).
    var cashFlow: Int64
    /// The last rebalance, for the calendar trigger.
    var lastRebalanceDate: Date?
    /// Civil days of loss sales, by wash-sale key.
    var lossSaleDays: [String: [Int]]
    /// Civil days of buys, by wash-sale key.
    var buyDays: [String: [Int]]
    /// Lot ids named for sale, when the lot method is specific lots.
    var specificLots: [String]?
    /// The cash to keep (fixed units) when the context names one for the account; nil: the
    /// policy's reserve.
    var reserve: Int64?
    /// Wash-sale keys bought today in another account of the household: loss lots of these
    /// are not sold (a loss replaced inside an IRA is disallowed for good).
    var boughtElsewhereToday: Set<String> = []

    /// Merges a policy's run facts with a context's for one account.
    init(policy p: RebalancePolicy, context: PlanContext, accountID: String,
         washKey: (String) -> String) throws(RebalanceError) {
        let flow = context.cashFlows[accountID] ?? p.pendingCashFlow
        guard let f = Fixed.from(flow) else {
            throw Fixed.conversionError(field: "pendingCashFlow", context: "account \(accountID)", value: flow)
        }
        cashFlow = f
        if let r = context.cashReserves[accountID] {
            guard let fixed = Fixed.from(r) else {
                throw Fixed.conversionError(field: "cashReserves", context: "account \(accountID)", value: r)
            }
            guard fixed >= 0 else { throw .invalidPolicy(field: "cashReserves", reason: "account \(accountID): must not be negative") }
            reserve = fixed
        }
        lastRebalanceDate = context.lastRebalanceDate ?? p.lastRebalanceDate
        var loss: [String: [Int]] = [:]
        var buys: [String: [Int]] = [:]
        for t in p.recentTransactions + context.recentTransactions {
            let day = CivilDay.of(t.date)
            switch t.side {
            case .buy: buys[washKey(t.symbol), default: []].append(day)
            case .sell:
                if let g = t.realizedGain, g < 0 { loss[washKey(t.symbol), default: []].append(day) }
            }
        }
        lossSaleDays = loss
        buyDays = buys
        if case .specificLots(let ids) = p.lotMethod {
            specificLots = context.specificLots[accountID] ?? ids
        } else {
            specificLots = nil
        }
    }
}
