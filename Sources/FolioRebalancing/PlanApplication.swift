import Foundation

/// Why a plan cannot be applied to holdings: the plan was not made for them.
///
/// A plan names its account, the cash it started from and the lots it sells; applying it to
/// other holdings (another account, or the same account after other trades) is refused rather
/// than guessed at.
public enum PlanApplicationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The plan is for another account.
    case accountMismatch(planAccountID: String, accountID: String)
    /// The plan started from other cash than the account holds, in currency.
    case cashMismatch(accountID: String, planCash: Decimal, accountCash: Decimal)
    /// A lot sale names a lot the account does not hold in that security.
    case unknownLot(accountID: String, symbol: String, lotID: String)
    /// A lot sale sells more units than the lot holds.
    case lotOversold(accountID: String, lotID: String, held: Decimal, sold: Decimal)
    /// A sell's lot sales do not add up to its quantity.
    case lotSalesDoNotMatchTrade(accountID: String, symbol: String, tradeQuantity: Decimal, lotQuantity: Decimal)
    /// The cash after the trades differs from the plan's ``RebalancePlan/cashAfter``.
    case cashAfterMismatch(accountID: String, planCash: Decimal, computed: Decimal)
    /// A household plan names an account the household does not have.
    case unknownAccount(String)

    /// A one-line explanation for people, naming the account and the lot.
    public var description: String {
        switch self {
        case .accountMismatch(let p, let a): "the plan is for account \(p), not \(a)"
        case .cashMismatch(let a, let p, let c): "account \(a): the plan starts from cash \(p), the account holds \(c)"
        case .unknownLot(let a, let s, let l): "account \(a): the plan sells lot \(l) of \(s), which the account does not hold"
        case .lotOversold(let a, let l, let h, let s): "account \(a): the plan sells \(s) of lot \(l), which holds \(h)"
        case .lotSalesDoNotMatchTrade(let a, let s, let t, let l):
            "account \(a): the sell of \(t) \(s) relieves lots of \(l) units"
        case .cashAfterMismatch(let a, let p, let c): "account \(a): cash after the trades is \(c), the plan says \(p)"
        case .unknownAccount(let a): "the household plan names account \(a), which the household does not have"
        }
    }
}

extension Account {
    /// The account after the plan's trades settle: the lots each sell names relieved by exactly
    /// the quantity and basis the plan's ``LotSale`` says, one new lot per buy opened at the
    /// trade date with a basis of `gross + cost` (commissions and spread are part of the cost
    /// of an acquisition), and cash moved by the deposit, the withdrawal and every trade's
    /// ``Trade/cashFlow`` (costs included).
    ///
    /// A lot sold down to zero units is removed. A new lot's id is `B<yyyymmdd>-<symbol>`,
    /// suffixed `-2`, `-3`... when its position already has that id, so it stays unique within
    /// the position (the engine's rule; the id names the symbol). Restrictions and the
    /// account's kind are kept.
    ///
    /// This is what chains plans: a simulator, or an advisor reviewing the next rebalance
    /// before this one settles, plans the account this returns.
    ///
    /// - Parameter plan: A plan made for this account (same id and starting cash).
    /// - Returns: The holdings after the trades.
    /// - Throws: ``PlanApplicationError`` when the plan was not made for these holdings: another
    ///   account or cash, a lot it does not hold or oversells, lot sales that do not add up to
    ///   the trade, or cash after that differs from the plan's.
    /// - Complexity: O(*t* · *p* + *l*) for *t* trades, *p* positions and *l* lots.
    public func applying(_ plan: RebalancePlan) throws(PlanApplicationError) -> Account {
        guard plan.accountID == id else { throw .accountMismatch(planAccountID: plan.accountID, accountID: id) }
        guard plan.cashBefore == cash else { throw .cashMismatch(accountID: id, planCash: plan.cashBefore, accountCash: cash) }
        var result = self
        var newCash = cash + plan.deposit - plan.withdrawal
        let day = CivilDay.civil(CivilDay.of(plan.tradeDate))
        let stamp = String(format: "%04d%02d%02d", day.year, day.month, day.day)
        for trade in plan.trades {
            newCash += trade.cashFlow
            let p = result.positions.firstIndex { $0.symbol == trade.symbol }
            switch trade.side {
            case .sell:
                guard let p else {
                    throw .unknownLot(accountID: id, symbol: trade.symbol, lotID: trade.lots.first?.lotID ?? "")
                }
                var sold: Decimal = 0
                for sale in trade.lots {
                    guard let l = result.positions[p].lots.firstIndex(where: { $0.id == sale.lotID }) else {
                        throw .unknownLot(accountID: id, symbol: trade.symbol, lotID: sale.lotID)
                    }
                    var lot = result.positions[p].lots[l]
                    guard sale.quantity > 0, sale.quantity <= lot.quantity else {
                        throw .lotOversold(accountID: id, lotID: sale.lotID, held: lot.quantity, sold: sale.quantity)
                    }
                    lot.quantity -= sale.quantity
                    lot.costBasis -= sale.costBasis
                    sold += sale.quantity
                    if lot.quantity == 0 {
                        result.positions[p].lots.remove(at: l)
                    } else {
                        result.positions[p].lots[l] = lot
                    }
                }
                guard sold == trade.quantity else {
                    throw .lotSalesDoNotMatchTrade(accountID: id, symbol: trade.symbol, tradeQuantity: trade.quantity, lotQuantity: sold)
                }
                if result.positions[p].lots.isEmpty { result.positions.remove(at: p) }
            case .buy:
                // The id names the symbol, so it is checked against its own position's lots.
                var lotID = "B\(stamp)-\(trade.symbol)"
                var n = 1
                while let p, result.positions[p].lots.contains(where: { $0.id == lotID }) {
                    n += 1
                    lotID = "B\(stamp)-\(trade.symbol)-\(n)"
                }
                let lot = Lot(id: lotID, quantity: trade.quantity, costBasis: trade.grossValue + trade.cost, acquired: plan.tradeDate)
                if let p {
                    result.positions[p].lots.append(lot)
                } else {
                    result.positions.append(Position(symbol: trade.symbol, lots: [lot]))
                }
            }
        }
        guard newCash == plan.cashAfter else { throw .cashAfterMismatch(accountID: id, planCash: plan.cashAfter, computed: newCash) }
        result.cash = newCash
        return result
    }
}

extension Household {
    /// The household after every account plan of `plan` settles (``Account/applying(_:)``);
    /// accounts the plan has no plan for are unchanged.
    ///
    /// - Parameter plan: A household plan made for this household.
    /// - Returns: The household after the trades.
    /// - Throws: ``PlanApplicationError``: an account plan the household has no account for,
    ///   or one that does not fit its account.
    /// - Complexity: O(*a*) account look-ups plus ``Account/applying(_:)`` per plan.
    public func applying(_ plan: HouseholdPlan) throws(PlanApplicationError) -> Household {
        var result = self
        let index = Dictionary(accounts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        for accountPlan in plan.plans {
            guard let i = index[accountPlan.accountID] else { throw .unknownAccount(accountPlan.accountID) }
            result.accounts[i] = try result.accounts[i].applying(accountPlan)
        }
        return result
    }
}
