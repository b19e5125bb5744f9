import Foundation

/// Recomputes a plan's ``PlanInvariants`` from what the plan emits — its trades, their lot
/// sales, its totals, cash fields and holdings — against the original ``Account`` and the
/// ``RebalancePolicy`` it was built under, independently of how the engine built it.
///
/// Money is checked exactly in `Decimal`: trade values are `quantity × price` rounded half-up
/// to the cent, and a lot sale's cost basis is checked against the lot's basis pro rata by
/// cross-multiplication (no division, so no rounding error in the check itself). The cash
/// reserve is taken from the plan (``RebalancePlan/cashReserve``); a percentage reserve is not
/// recomputed.
///
/// The engine audits every plan it returns, so ``RebalancePlan/invariants`` is this audit's
/// result; call it again to check a plan that was stored, edited or received.
public enum PlanAudit: Sendable {
    /// Checks a plan against the account it was built for and the policy it was built under.
    ///
    /// - Parameters:
    ///   - plan: The plan to check, as emitted (or as stored or edited since).
    ///   - account: The account before trading: its cash and lots.
    ///   - policy: The policy the plan was built under; the audit uses its
    ///     ``RebalancePolicy/minimumTradeValue``, ``RebalancePolicy/taxBudget`` and
    ///     ``RebalancePolicy/pendingCashFlow`` (currency).
    /// - Returns: Every invariant, each recomputed from the plan and the account.
    /// - Complexity: O(*t* + *s* + *l* + *h*) for *t* trades, *s* lot sales, *l* lots in the
    ///   account and *h* holdings rows (hash lookups by symbol, linear scans of one symbol's lots).
    public static func invariants(of plan: RebalancePlan, account: Account, policy: RebalancePolicy) -> PlanInvariants {
        var ledger = AuditLedger(account)
        let trades = TradeTotals(plan)
        let lots = LotAudit(plan, account: account, ledger: &ledger)
        let cash = plan.cashAfter
        let netGain = lots.shortTerm + lots.longTerm
        return PlanInvariants(
            cashIdentityHolds: cashIdentity(plan, account: account, policy: policy, trades: trades),
            cashNonNegative: cash >= 0,
            cashAtLeastReserve: cash >= plan.cashReserve,
            reserveShortfallExplained: cash >= plan.cashReserve || plan.warnings.contains { $0.kind == .reserveNotMet },
            noLotOversold: lots.noLotOversold && ledger.noPositionNegative,
            tradesMeetMinimum: plan.trades.allSatisfy { $0.grossValue > 0 && $0.grossValue >= policy.minimumTradeValue },
            sellsBeforeBuys: sellsBeforeBuys(plan.trades),
            withinTaxBudget: !account.kind.isTaxable || policy.taxBudget.map { netGain <= $0 } ?? true,
            tradeValuesExact: trades.exact,
            gainsMatchLots: lots.gainsMatch,
            holdingsMatchTrades: ledger.holdingsMatch(plan.holdings))
    }

    /// The cash identity, recomputed from the trades: see ``PlanInvariants/cashIdentityHolds``.
    static func cashIdentity(
        _ plan: RebalancePlan, account: Account, policy: RebalancePolicy, trades: TradeTotals
    ) -> Bool {
        plan.cashBefore == account.cash && plan.deposit >= 0 && plan.withdrawal >= 0
            && plan.deposit - plan.withdrawal == policy.pendingCashFlow
            && plan.cashBefore + plan.deposit - plan.withdrawal + trades.cashFlow == plan.cashAfter
    }

    /// Whether no sell follows a buy.
    static func sellsBeforeBuys(_ trades: [Trade]) -> Bool {
        guard let firstBuy = trades.firstIndex(where: { $0.side == .buy }) else { return true }
        return !trades[firstBuy...].contains { $0.side == .sell }
    }

    /// `x` rounded half-up (away from zero) to the cent.
    static func roundedToCent(_ x: Decimal) -> Decimal {
        var input = x
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 2, .plain)
        return rounded
    }
}

extension RebalancePlan {
    /// This plan's invariants recomputed from its trades and lots against the account it was
    /// built for: see ``PlanAudit/invariants(of:account:policy:)``.
    ///
    /// - Parameters:
    ///   - account: The account before trading.
    ///   - policy: The policy the plan was built under.
    /// - Complexity: O(trades + lot sales + lots in the account + holdings).
    public func audited(against account: Account, policy: RebalancePolicy) -> PlanInvariants {
        PlanAudit.invariants(of: self, account: account, policy: policy)
    }
}

/// The trades' sums and whether each trade's value is exact.
struct TradeTotals {
    /// Net change in cash from the trades: Σ sells (gross − cost) − Σ buys (gross + cost).
    var cashFlow: Decimal = 0
    /// See ``PlanInvariants/tradeValuesExact``.
    var exact = true

    init(_ plan: RebalancePlan) {
        var sells: Decimal = 0, buys: Decimal = 0, costs: Decimal = 0
        for t in plan.trades {
            if !(t.quantity > 0 && t.price > 0 && t.cost >= 0) || t.grossValue != PlanAudit.roundedToCent(t.quantity * t.price) {
                exact = false
            }
            if t.side == .sell { sells += t.grossValue } else { buys += t.grossValue }
            costs += t.cost
        }
        cashFlow = sells - buys - costs
        exact = exact && sells == plan.totalSells && buys == plan.totalBuys && costs == plan.totalCosts
    }
}

/// The account's holdings by symbol, with the quantity each trade moves, for the position and
/// holdings checks.
struct AuditLedger {
    let account: Account
    /// Symbol → slot; slots of securities held come first, then those only traded.
    private(set) var slots: [String: Int] = [:]
    /// First position of each slot's symbol (several positions of one symbol are merged).
    private var firstPosition: [Int] = []
    /// The next position of the same symbol, or −1.
    private var nextPosition: [Int]
    /// Offset of each position's first lot in a flat numbering of the account's lots.
    private(set) var lotOffset: [Int]
    /// Units held per slot before trading.
    private var held: [Decimal] = []
    /// Units bought less units sold per slot.
    private var traded: [Decimal] = []
    /// Lots in the account.
    private(set) var lotCount = 0

    init(_ account: Account) {
        self.account = account
        let n = account.positions.count
        nextPosition = [Int](repeating: -1, count: n)
        lotOffset = [Int](repeating: 0, count: n)
        slots.reserveCapacity(n)
        var lastPosition: [Int] = []
        for (p, position) in account.positions.enumerated() {
            lotOffset[p] = lotCount
            lotCount += position.lots.count
            var units: Decimal = 0
            for lot in position.lots { units += lot.quantity }
            if let s = slots[position.symbol] {
                nextPosition[lastPosition[s]] = p
                lastPosition[s] = p
                held[s] += units
            } else {
                slots[position.symbol] = firstPosition.count
                firstPosition.append(p)
                lastPosition.append(p)
                held.append(units)
            }
        }
        traded = [Decimal](repeating: 0, count: held.count)
    }

    /// The lot `id` of `symbol`: its position, its index there and its flat number.
    func lot(symbol: String, id: String) -> (lot: Lot, flat: Int)? {
        guard let s = slots[symbol] else { return nil }
        var p = firstPosition[s]
        while p >= 0 {
            if let k = account.positions[p].lots.firstIndex(where: { $0.id == id }) {
                return (account.positions[p].lots[k], lotOffset[p] + k)
            }
            p = nextPosition[p]
        }
        return nil
    }

    /// Records a trade of `units` (negative for a sell).
    mutating func record(symbol: String, units: Decimal) {
        if let s = slots[symbol] {
            traded[s] += units
        } else {
            slots[symbol] = held.count
            held.append(0)
            traded.append(units)
        }
    }

    /// Whether every position is non-negative after the recorded trades.
    var noPositionNegative: Bool { held.indices.allSatisfy { held[$0] + traded[$0] >= 0 } }

    /// See ``PlanInvariants/holdingsMatchTrades``.
    func holdingsMatch(_ holdings: [HoldingChange]) -> Bool {
        var seen = [Bool](repeating: false, count: held.count)
        for h in holdings {
            guard let s = slots[h.symbol] else {
                // A targeted security neither held nor traded.
                if h.quantityBefore != 0 || h.quantityAfter != 0 { return false }
                continue
            }
            if seen[s] || h.quantityBefore != held[s] || h.quantityAfter != held[s] + traded[s] { return false }
            seen[s] = true
        }
        return seen.indices.allSatisfy { seen[$0] || (held[$0] == 0 && traded[$0] == 0) }
    }
}

/// The lot sales of a plan checked against the account's lots.
struct LotAudit {
    /// See ``PlanInvariants/noLotOversold`` (positions are checked by ``AuditLedger``).
    var noLotOversold = true
    /// See ``PlanInvariants/gainsMatchLots``.
    var gainsMatch = true
    /// Net short-term gain recomputed from the lot sales as Σ (proceeds − cost basis) over lots
    /// whose term on the trade date is short (zero when not taxable).
    var shortTerm: Decimal = 0
    /// Net long-term gain recomputed likewise over long-term lots (zero when not taxable).
    var longTerm: Decimal = 0

    /// Half a cent.
    private static let halfCent = Decimal(sign: .plus, exponent: -3, significand: 5)

    init(_ plan: RebalancePlan, account: Account, ledger: inout AuditLedger) {
        let cutoff = Self.longTermCutoff(plan.tradeDate)
        let taxable = account.kind.isTaxable
        var soldByLot: [(flat: Int, quantity: Decimal, lotQuantity: Decimal)] = []
        for t in plan.trades {
            ledger.record(symbol: t.symbol, units: t.side == .sell ? -t.quantity : t.quantity)
            guard t.side == .sell else {
                if !t.lots.isEmpty { noLotOversold = false }
                continue
            }
            var units: Decimal = 0, proceeds: Decimal = 0, gain: Decimal = 0
            for sale in t.lots {
                units += sale.quantity
                proceeds += sale.proceeds
                gain += sale.realizedGain
                guard let (lot, flat) = ledger.lot(symbol: t.symbol, id: sale.lotID), sale.quantity > 0 else {
                    noLotOversold = false
                    gainsMatch = false
                    continue
                }
                soldByLot.append((flat, sale.quantity, lot.quantity))
                let term: HoldingTerm = CivilDay.of(lot.acquired) < cutoff ? .longTerm : .shortTerm
                if !Self.saleMatches(sale, lot: lot, term: term) { gainsMatch = false }
                if taxable {
                    let recomputed = sale.proceeds - sale.costBasis
                    if term == .longTerm { longTerm += recomputed } else { shortTerm += recomputed }
                }
            }
            if units != t.quantity { noLotOversold = false }
            if proceeds != t.grossValue - t.cost || t.realizedGain != (taxable ? gain : 0) { gainsMatch = false }
        }
        if !Self.withinLots(&soldByLot) { noLotOversold = false }
        if plan.realizedShortTermGain != shortTerm || plan.realizedLongTermGain != longTerm { gainsMatch = false }
    }

    /// Whether a lot sale's basis, gain, date and term are right for the lot (`term` is the
    /// lot's term on the trade date).
    private static func saleMatches(_ sale: LotSale, lot: Lot, term: HoldingTerm) -> Bool {
        let basis = sale.costBasis
        // Rounded half-up to the cent: basis − ½¢ ≤ lotBasis × q / lotQ < basis + ½¢, times lotQ.
        let exact = lot.costBasis * sale.quantity
        let proRata = lot.quantity > 0 && PlanAudit.roundedToCent(basis) == basis
            && (basis - halfCent) * lot.quantity <= exact && exact < (basis + halfCent) * lot.quantity
        return proRata && sale.realizedGain == sale.proceeds - basis && sale.acquired == lot.acquired && sale.term == term
    }

    /// Whether the units sold from each lot, summed over every sale of it, fit in the lot.
    private static func withinLots(_ sold: inout [(flat: Int, quantity: Decimal, lotQuantity: Decimal)]) -> Bool {
        sold.sort { $0.flat < $1.flat }
        var k = 0
        while k < sold.count {
            var total: Decimal = 0
            let flat = sold[k].flat
            while k < sold.count && sold[k].flat == flat {
                total += sold[k].quantity
                k += 1
            }
            if total > sold[k - 1].lotQuantity { return false }
        }
        return true
    }

    /// The first day (UTC day number) on which a lot is short-term: a lot acquired before the
    /// trade date's calendar date one year earlier (clamped to the month's end) is long-term.
    static func longTermCutoff(_ tradeDate: Date) -> Int {
        let (y, m, d) = CivilDay.civil(CivilDay.of(tradeDate))
        return CivilDay.from(year: y - 1, month: m, day: min(d, CivilDay.daysInMonth(y - 1, m)))
    }
}
