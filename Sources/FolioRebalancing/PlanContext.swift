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

    /// Creates a context; every fact defaults to "none".
    /// - Parameters:
    ///   - lastRebalanceDate: The household's last rebalance, or `nil`.
    ///   - cashFlows: Pending flows by account id, in currency (deposits positive).
    ///   - recentTransactions: Recent trades in the household's accounts.
    ///   - specificLots: Lot ids to sell first, by account id.
    public init(
        lastRebalanceDate: Date? = nil, cashFlows: [String: Decimal] = [:],
        recentTransactions: [Transaction] = [], specificLots: [String: [String]] = [:]
    ) {
        self.lastRebalanceDate = lastRebalanceDate
        self.cashFlows = cashFlows
        self.recentTransactions = recentTransactions
        self.specificLots = specificLots
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
