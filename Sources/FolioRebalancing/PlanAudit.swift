import Foundation

/// Recomputes a plan's ``PlanInvariants`` from what the plan emits — its trades, their lot
/// sales, its totals, cash fields and holdings — against the original ``Account`` and the
/// ``RebalancePolicy`` it was built under, independently of how the engine built it.
///
/// Money is checked exactly, never in floating point: trade values are `quantity × price`
/// rounded half-up to the cent, and a lot sale's cost basis is checked against the lot's basis
/// pro rata by cross-multiplication (no division, so no rounding in the check itself). The
/// arithmetic runs on exact integers of the `Decimal` values (``ExactAmount``) when every
/// amount fits (at most 8 decimals, below 10^11), and in `Decimal` otherwise; both give the
/// same answer. The cash
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
    ///     ``RebalancePolicy/minimumTradeValue`` and ``RebalancePolicy/taxBudget``.
    ///   - context: The run's context: the account's pending flow is
    ///     ``PlanContext/cashFlows`` for its id, else ``RebalancePolicy/pendingCashFlow``
    ///     (currency), as the engine reads it.
    /// - Returns: Every invariant, each recomputed from the plan and the account.
    /// - Complexity: O((*t* + *p*) log *h* + *s* · *k* + *l*) for *t* trades, *p* positions,
    ///   *h* holdings rows (binary search by symbol), *s* lot sales, *k* lots per symbol (a
    ///   lot is found by scanning its symbol's lots) and *l* lots in the account; no hashing.
    public static func invariants(
        of plan: RebalancePlan, account: Account, policy: RebalancePolicy, context: PlanContext = PlanContext()
    ) -> PlanInvariants {
        let flow = context.cashFlows[account.id] ?? policy.pendingCashFlow
        if ExactAmount.isAvailable, let exact = try? audit(plan, account: account, policy: policy, flow: flow, in: ExactAmount.self) {
            return exact
        }
        return (try? audit(plan, account: account, policy: policy, flow: flow, in: Decimal.self)) ?? .unchecked
    }

    /// The audit in one arithmetic; throws when an amount does not fit it.
    static func audit<N: AuditNumber>(
        _ plan: RebalancePlan, account: Account, policy: RebalancePolicy, flow: Decimal, in _: N.Type
    ) throws(AuditRangeError) -> PlanInvariants {
        var ledger = try AuditLedger<N>(account, holdings: plan.holdings)
        let trades = try TradeTotals<N>(plan, minimum: try N(auditing: policy.minimumTradeValue))
        let lots = try LotAudit<N>(plan, account: account, ledger: &ledger)
        let cash = try N(auditing: plan.cashAfter), reserve = try N(auditing: plan.cashReserve)
        var withinBudget = true
        if account.kind.isTaxable, let budget = policy.taxBudget {
            withinBudget = lots.shortTerm + lots.longTerm <= (try N(auditing: budget))
        }
        return PlanInvariants(
            cashIdentityHolds: try cashIdentity(plan, account: account, flow: flow, tradesCashFlow: trades.cashFlow),
            cashNonNegative: cash >= .zero,
            cashAtLeastReserve: cash >= reserve,
            reserveShortfallExplained: cash >= reserve || plan.warnings.contains { $0.kind == .reserveNotMet },
            noLotOversold: lots.noLotOversold && ledger.noPositionNegative,
            tradesMeetMinimum: trades.meetMinimum,
            sellsBeforeBuys: trades.sellsFirst,
            withinTaxBudget: withinBudget,
            tradeValuesExact: trades.exact,
            gainsMatchLots: lots.gainsMatch,
            holdingsMatchTrades: try ledger.holdingsMatch())
    }

    /// The cash identity, recomputed from the trades: see ``PlanInvariants/cashIdentityHolds``.
    static func cashIdentity<N: AuditNumber>(
        _ plan: RebalancePlan, account: Account, flow pendingFlow: Decimal, tradesCashFlow: N
    ) throws(AuditRangeError) -> Bool {
        let before = try N(auditing: plan.cashBefore), after = try N(auditing: plan.cashAfter)
        let deposit = try N(auditing: plan.deposit), withdrawal = try N(auditing: plan.withdrawal)
        let accountCash = try N(auditing: account.cash), flow = try N(auditing: pendingFlow)
        return before == accountCash && deposit >= .zero && withdrawal >= .zero && deposit - withdrawal == flow
            && before + deposit - withdrawal + tradesCashFlow == after
    }
}

extension RebalancePlan {
    /// This plan's invariants recomputed from its trades and lots against the account it was
    /// built for: see ``PlanAudit/invariants(of:account:policy:context:)``.
    ///
    /// - Parameters:
    ///   - account: The account before trading.
    ///   - policy: The policy the plan was built under.
    ///   - context: The run's context (for the account's pending flow).
    /// - Complexity: as ``PlanAudit/invariants(of:account:policy:context:)``: about linear in
    ///   trades, lot sales, lots in the account and holdings.
    public func audited(against account: Account, policy: RebalancePolicy, context: PlanContext = PlanContext()) -> PlanInvariants {
        PlanAudit.invariants(of: self, account: account, policy: policy, context: context)
    }
}

/// One pass over the trades: their sums, whether each value is exact, whether each meets the
/// minimum, and whether sells come first.
struct TradeTotals<N: AuditNumber> {
    /// Net change in cash from the trades: Σ sells (gross − cost) − Σ buys (gross + cost).
    var cashFlow: N = .zero
    /// See ``PlanInvariants/tradeValuesExact``.
    var exact = true
    /// See ``PlanInvariants/tradesMeetMinimum``.
    var meetMinimum = true
    /// See ``PlanInvariants/sellsBeforeBuys``.
    var sellsFirst = true

    init(_ plan: RebalancePlan, minimum: N) throws(AuditRangeError) {
        var sells = N.zero, buys = N.zero, costs = N.zero
        var seenBuy = false
        let trades = plan.trades
        for k in trades.indices {
            let quantity = try N(auditing: trades[k].quantity), price = try N(auditing: trades[k].price)
            let gross = try N(auditing: trades[k].grossValue), cost = try N(auditing: trades[k].cost)
            if !(quantity > .zero && price > .zero && cost >= .zero) || gross != (quantity * price).roundedToCent {
                exact = false
            }
            if !(gross > .zero && gross >= minimum) { meetMinimum = false }
            if trades[k].side == .sell {
                sells = sells + gross
                if seenBuy { sellsFirst = false }
            } else {
                buys = buys + gross
                seenBuy = true
            }
            costs = costs + cost
        }
        cashFlow = sells - buys - costs
        let totals = (try N(auditing: plan.totalSells), try N(auditing: plan.totalBuys), try N(auditing: plan.totalCosts))
        exact = exact && sells == totals.0 && buys == totals.1 && costs == totals.2
    }
}

/// The account's holdings by symbol, with the quantity each trade moves, for the position and
/// holdings checks.
///
/// Symbols are found by binary search over the plan's holdings rows (documented to be in
/// symbol order; when they are not, over a sorted copy of their indices), so a plan costs no
/// hashing: slot `k < holdings.count` is row `k`, later slots are symbols with no row.
struct AuditLedger<N: AuditNumber> {
    let account: Account
    let holdings: [HoldingChange]
    /// Row indices in symbol order, when the rows are not already in strict symbol order.
    private var order: [Int]?
    /// Symbols held or traded that have no holdings row (slots `holdings.count...`).
    private var unlisted: [String] = []
    /// First and last position of each slot's symbol, or −1 (positions of one symbol merge).
    private var firstPosition: [Int]
    private var lastPosition: [Int]
    /// The next position of the same symbol, or −1.
    private var nextPosition: [Int]
    /// Offset of each position's first lot in a flat numbering of the account's lots.
    private var lotOffset: [Int]
    /// Units held per slot before trading.
    private var held: [N]
    /// Units bought less units sold per slot.
    private var traded: [N]

    init(_ account: Account, holdings: [HoldingChange]) throws(AuditRangeError) {
        self.account = account
        self.holdings = holdings
        let n = account.positions.count, rows = holdings.count
        if !holdings.indices.dropFirst().allSatisfy({ holdings[$0 - 1].symbol < holdings[$0].symbol }) {
            order = holdings.indices.sorted { holdings[$0].symbol < holdings[$1].symbol }
        }
        nextPosition = [Int](repeating: -1, count: n)
        lotOffset = [Int](repeating: 0, count: n)
        firstPosition = [Int](repeating: -1, count: rows)
        lastPosition = firstPosition
        held = [N](repeating: .zero, count: rows)
        traded = held
        var lotCount = 0
        let positions = account.positions
        for p in positions.indices {
            let lotsHeld = positions[p].lots.count
            lotOffset[p] = lotCount
            lotCount += lotsHeld
            var units = N.zero
            for k in 0..<lotsHeld { units = units + (try N(auditing: positions[p].lots[k].quantity)) }
            let s = slot(for: positions[p].symbol)
            if firstPosition[s] < 0 { firstPosition[s] = p } else { nextPosition[lastPosition[s]] = p }
            lastPosition[s] = p
            held[s] = held[s] + units
        }
    }

    /// The slot of `symbol`, adding one for a symbol with no holdings row.
    mutating func slot(for symbol: String) -> Int {
        if let row = row(of: symbol) { return row }
        if let k = unlisted.firstIndex(of: symbol) { return holdings.count + k }
        unlisted.append(symbol)
        firstPosition.append(-1)
        lastPosition.append(-1)
        held.append(.zero)
        traded.append(.zero)
        return held.count - 1
    }

    /// The holdings row of `symbol`, by binary search.
    private func row(of symbol: String) -> Int? {
        var low = 0, high = holdings.count
        while low < high {
            let mid = (low + high) / 2
            let row = order?[mid] ?? mid
            let other = holdings[row].symbol
            if other == symbol { return row }
            if other < symbol { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// The lot `id` in `slot` and its number in a flat numbering of the account's lots.
    func lot(slot s: Int, id: String) -> (lot: Lot, flat: Int)? {
        var p = firstPosition[s]
        while p >= 0 {
            if let k = account.positions[p].lots.firstIndex(where: { $0.id == id }) {
                return (account.positions[p].lots[k], lotOffset[p] + k)
            }
            p = nextPosition[p]
        }
        return nil
    }

    /// Records a trade of `units` (negative for a sell); returns the symbol's slot.
    mutating func record(symbol: String, units: N) -> Int {
        let s = slot(for: symbol)
        traded[s] = traded[s] + units
        return s
    }

    /// Whether every position is non-negative after the recorded trades.
    var noPositionNegative: Bool { held.indices.allSatisfy { held[$0] + traded[$0] >= .zero } }

    /// See ``PlanInvariants/holdingsMatchTrades``: rows in strict symbol order (one per
    /// symbol), each matching the account and the trades, and no held or traded symbol without one.
    func holdingsMatch() throws(AuditRangeError) -> Bool {
        guard order == nil else { return false }
        for (s, h) in holdings.enumerated() {
            let before = try N(auditing: h.quantityBefore), after = try N(auditing: h.quantityAfter)
            if before != held[s] || after != held[s] + traded[s] { return false }
        }
        return (holdings.count..<held.count).allSatisfy { held[$0] == .zero && traded[$0] == .zero }
    }
}

/// The lot sales of a plan checked against the account's lots.
struct LotAudit<N: AuditNumber> {
    /// See ``PlanInvariants/noLotOversold`` (positions are checked by ``AuditLedger``).
    var noLotOversold = true
    /// See ``PlanInvariants/gainsMatchLots``.
    var gainsMatch = true
    /// Net short-term gain recomputed from the lot sales as Σ (proceeds − cost basis) over lots
    /// whose term on the trade date is short (zero when not taxable).
    var shortTerm = N.zero
    /// Net long-term gain recomputed likewise over long-term lots (zero when not taxable).
    var longTerm = N.zero

    /// Units sold from one lot by one lot sale, with the lot's size.
    typealias Sold = (flat: Int, quantity: N, lotQuantity: N)

    init(_ plan: RebalancePlan, account: Account, ledger: inout AuditLedger<N>) throws(AuditRangeError) {
        let cutoff = Self.longTermCutoff(plan.tradeDate)
        let taxable = account.kind.isTaxable
        var sold: [Sold] = []
        sold.reserveCapacity(plan.trades.count * 2)
        for t in plan.trades {
            let quantity = try N(auditing: t.quantity)
            let slot = ledger.record(symbol: t.symbol, units: t.side == .sell ? .zero - quantity : quantity)
            guard t.side == .sell else {
                if !t.lots.isEmpty { noLotOversold = false }
                continue
            }
            var units = N.zero, proceeds = N.zero, gain = N.zero
            for sale in t.lots {
                let saleQuantity = try N(auditing: sale.quantity), saleProceeds = try N(auditing: sale.proceeds)
                units = units + saleQuantity
                proceeds = proceeds + saleProceeds
                gain = gain + (try N(auditing: sale.realizedGain))
                guard let (lot, flat) = ledger.lot(slot: slot, id: sale.lotID), saleQuantity > .zero else {
                    noLotOversold = false
                    gainsMatch = false
                    continue
                }
                let lotQuantity = try N(auditing: lot.quantity)
                sold.append((flat, saleQuantity, lotQuantity))
                let term: HoldingTerm = CivilDay.of(lot.acquired) < cutoff ? .longTerm : .shortTerm
                if try !Self.saleMatches(sale, lot: lot, term: term) { gainsMatch = false }
                if taxable {
                    let recomputed = saleProceeds - (try N(auditing: sale.costBasis))
                    if term == .longTerm { longTerm = longTerm + recomputed } else { shortTerm = shortTerm + recomputed }
                }
            }
            if units != quantity { noLotOversold = false }
            let net = (try N(auditing: t.grossValue)) - (try N(auditing: t.cost)), tradeGain = try N(auditing: t.realizedGain)
            if proceeds != net || tradeGain != (taxable ? gain : .zero) { gainsMatch = false }
        }
        if !Self.withinLots(&sold) { noLotOversold = false }
        let planGains = (try N(auditing: plan.realizedShortTermGain), try N(auditing: plan.realizedLongTermGain))
        if planGains.0 != shortTerm || planGains.1 != longTerm {
            gainsMatch = false
        }
    }

    /// Whether a lot sale's basis, gain, date and term are right for the lot (`term` is the
    /// lot's term on the trade date).
    private static func saleMatches(_ sale: LotSale, lot: Lot, term: HoldingTerm) throws(AuditRangeError) -> Bool {
        let basis = try N(auditing: sale.costBasis), quantity = try N(auditing: sale.quantity)
        let lotBasis = try N(auditing: lot.costBasis), lotQuantity = try N(auditing: lot.quantity)
        // Rounded half-up to the cent: basis − ½¢ ≤ lotBasis × q / lotQ < basis + ½¢, times lotQ.
        let exact = lotBasis * quantity
        let proRata = lotQuantity > .zero && basis.roundedToCent == basis
            && (basis - .halfCent) * lotQuantity <= exact && exact < (basis + .halfCent) * lotQuantity
        let gain = try N(auditing: sale.realizedGain), proceeds = try N(auditing: sale.proceeds)
        return proRata && gain == proceeds - basis && sale.acquired == lot.acquired && sale.term == term
    }

    /// Whether the units sold from each lot, summed over every sale of it, fit in the lot.
    private static func withinLots(_ sold: inout [Sold]) -> Bool {
        sold.sort { $0.flat < $1.flat }
        var k = 0
        while k < sold.count {
            var total = N.zero
            let flat = sold[k].flat
            while k < sold.count && sold[k].flat == flat {
                total = total + sold[k].quantity
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
