// Structure-aware libFuzzer target for the rebalancing engine.
//
// The fuzz bytes are read as a stream of choices that build a random but well-formed account
// (securities with lot sizes and fractional flags, lots with dates and bases, cash,
// do-not-buy/do-not-sell restrictions), a target (by security or by asset class with
// alternates) and a policy (trigger, bands, mode, cash reserve, pending flow, fractional
// decimals, minimum trade, commission, spread, lot method including specific lots, tax rates
// and budget, wash-sale window and recent trades, tax-loss harvesting). Amounts span many
// scales (1e-6 .. 1e12), so the engine's range checks are exercised too.
//
// The engine must then either throw a `RebalanceError` or return a plan whose invariants all
// hold, with no NaN or infinite number anywhere, the cash identity exact to the cent, no lot
// oversold, sells before buys, the same plan on a second run, and a plan that encodes as JSON.
// Any violation traps, which libFuzzer reports as a crash with the input that caused it.
import FolioRebalancing
import Foundation
import FuzzChoices

extension Choices {
    /// A non-negative decimal `m × 10^e` with `m` < 2^32 and `e` in `exponents`.
    mutating func decimal(_ exponents: ClosedRange<Int>) -> Decimal {
        let m = u32()
        let e = int(exponents)
        return Decimal(sign: .plus, exponent: e, significand: Decimal(m))
    }
    /// A decimal that is usually modest (cents) but sometimes at an extreme scale.
    mutating func money() -> Decimal {
        switch byte() % 8 {
        case 0: 0
        case 1: decimal(-8...4)
        case 2: Decimal(int(0...100))
        default: Decimal(sign: .plus, exponent: -2, significand: Decimal(int(0...50_000_000)))
        }
    }
}

let tradeDay = Date(timeIntervalSince1970: 1_773_619_200)  // 2026-03-16 UTC
func daysBefore(_ n: Int) -> Date { tradeDay.addingTimeInterval(-Double(n) * 86_400) }

/// One decoded input. Codable, so that `FOLIO_FUZZ_PRINT=1 RebalanceFuzz crash-file` prints it
/// as JSON: that JSON is the fixture of the input's regression test.
struct Scenario: Codable {
    var securities: [Security]
    var prices: Prices
    var account: Account
    var target: TargetAllocation
    var policy: RebalancePolicy
}

func scenario(_ c: inout Choices) -> Scenario {
    let n = c.int(1...6)
    let symbols = (0..<n).map { "S\($0)" } + (c.chance(100) ? ["X"] : [])
    let classes = ["Equity", "Bonds", "Real Estate"]
    var securities: [Security] = []
    var table: [String: Decimal] = [:]
    for (k, s) in symbols.enumerated() {
        let fractional = c.chance(80)
        let lotSize: Decimal = c.pick([1, 1, 1, 10, 100, 1000, Decimal(string: "0.5")!, Decimal(string: "0.001")!])
        securities.append(Security(symbol: s, assetClass: classes[k % classes.count], allowsFractionalShares: fractional,
                                   lotSize: lotSize, isTradable: !c.chance(20)))
        if !c.chance(4) {  // now and then a symbol without a price
            switch c.byte() % 6 {
            case 0: table[s] = c.decimal(-6...7)  // 1e-6 .. 4e16, possibly zero
            case 1: table[s] = Decimal(sign: .plus, exponent: -4, significand: Decimal(c.int(1...99)))  // 1e-4 .. 0.0099
            case 2: table[s] = Decimal(sign: .plus, exponent: 0, significand: Decimal(c.int(1_000_000...10_000_000)))  // 1e6 .. 1e7
            default: table[s] = Decimal(sign: .plus, exponent: -2, significand: Decimal(c.int(1...5_000_000)))
            }
        }
    }
    var positions: [Position] = []
    var lotIDs: [String] = []
    for s in symbols where c.chance(190) {
        var lots: [Lot] = []
        for _ in 0..<c.int(1...3) {
            let id = c.chance(3) && !lotIDs.isEmpty ? lotIDs[0] : "L\(lotIDs.count)"
            lotIDs.append(id)
            let quantity: Decimal = switch c.byte() % 5 {
            case 0: c.decimal(-8...1)
            case 1: Decimal(c.int(0...1_000_000_000))
            default: Decimal(c.int(1...500))
            }
            lots.append(Lot(id: id, quantity: quantity, costBasis: c.money(), acquired: daysBefore(c.int(-5...3_000))))
        }
        positions.append(Position(symbol: s, lots: lots))
    }
    var doNotSell: Set<String> = [], doNotBuy: Set<String> = []
    for s in symbols {
        if c.chance(20) { doNotSell.insert(s) }
        if c.chance(20) { doNotBuy.insert(s) }
    }
    let kind: AccountKind = c.pick(AccountKind.allCases)
    let account = Account(id: "F", kind: kind, cash: c.money(), positions: positions, doNotSell: doNotSell, doNotBuy: doNotBuy)

    // Target: a non-empty subset of the symbols, weights normalized to sum to 1.
    var chosen = symbols.filter { _ in c.chance(200) }
    if chosen.isEmpty { chosen = [symbols[0]] }
    let raw = chosen.map { _ in 0.01 + c.fraction() }
    let total = raw.reduce(0, +)
    var target = TargetAllocation.securities(Dictionary(uniqueKeysWithValues: zip(chosen, raw.map { $0 / total })))
    if c.chance(80) && chosen.count >= 2 {
        let split = c.int(1...(chosen.count - 1))
        let w = 0.05 + 0.9 * c.fraction()
        target = .assetClasses([
            .init(assetClass: "A", weight: w, primary: chosen[0], alternates: Array(chosen[1..<split])),
            .init(assetClass: "B", weight: 1 - w, primary: chosen[split], alternates: Array(chosen[(split + 1)...])),
        ])
    }

    var policy = RebalancePolicy()
    let frequency: RebalancePolicy.Frequency = c.pick(RebalancePolicy.Frequency.allCases)
    policy.trigger = c.pick([.always, .always, .bands, .calendar(frequency), .calendarOrBands(frequency), .calendarAndBands(frequency)])
    policy.bands = .init(absolute: c.chance(200) ? 0.2 * c.fraction() : nil, relative: c.chance(128) ? c.fraction() : nil)
    policy.lastRebalanceDate = c.chance(128) ? daysBefore(c.int(-5...800)) : nil
    policy.mode = c.pick(RebalancePolicy.Mode.allCases)
    switch c.byte() % 5 {
    case 0: policy.cashReserve = .amount(c.money())
    case 1: policy.cashReserve = .percent(0.2 * c.fraction())
    case 2: policy.cashReserve = .amountOrPercent(amount: c.money(), percent: 0.2 * c.fraction())
    default: policy.cashReserve = .none
    }
    switch c.byte() % 4 {
    case 0: policy.pendingCashFlow = c.money()
    case 1: policy.pendingCashFlow = -c.money()
    default: break
    }
    policy.fractionalShareDecimals = c.int(0...8)
    if c.chance(128) { policy.minimumTradeValue = c.money() }
    if c.chance(100) { policy.commissionPerTrade = Decimal(sign: .plus, exponent: -2, significand: Decimal(c.int(0...2_000))) }
    if c.chance(100) { policy.spreadBasisPoints = Decimal(sign: .plus, exponent: -1, significand: Decimal(c.int(0...500))) }
    switch c.byte() % 6 {
    case 0: policy.lotMethod = .fifo
    case 1: policy.lotMethod = .lifo
    case 2: policy.lotMethod = .highestCost
    case 3:
        var ids = lotIDs.filter { _ in c.chance(128) }
        if c.chance(30) { ids.append("missing") }
        policy.lotMethod = .specificLots(ids)
    default: policy.lotMethod = .taxMinimizing
    }
    policy.shortTermTaxRate = Decimal(sign: .plus, exponent: -2, significand: Decimal(c.int(0...60)))
    policy.longTermTaxRate = Decimal(sign: .plus, exponent: -2, significand: Decimal(c.int(0...40)))
    if c.chance(60) { policy.taxBudget = c.money() }
    policy.washSaleWindowDays = c.int(0...61)
    for _ in 0..<c.int(0...3) {
        let sell = c.chance(128)
        policy.recentTransactions.append(Transaction(
            date: daysBefore(c.int(-3...70)), accountID: "F", symbol: c.pick(symbols), side: sell ? .sell : .buy,
            quantity: Decimal(c.int(1...100)), realizedGain: sell ? (c.chance(170) ? -c.money() : c.money()) : nil))
    }
    if c.chance(60) {
        policy.taxLossHarvesting = .init(minimumLoss: c.money(), minimumLossPercent: 0.5 * c.fraction())
    }
    return Scenario(securities: securities, prices: Prices(asOf: tradeDay, table), account: account,
                    target: target, policy: policy)
}

func check(_ ok: Bool, _ what: @autoclosure () -> String) {
    if !ok { fatalError("invariant violated: \(what())") }
}

func finite(_ x: Double, _ what: String) { check(x.isFinite, "\(what) = \(x)") }
func number(_ x: Decimal, _ what: String) { check(!x.isNaN, "\(what) is NaN") }

func verify(_ plan: RebalancePlan, _ s: Scenario) {
    // Sound: every invariant, recomputed from the emitted plan, holds; cash below the reserve
    // is allowed only with the reserveNotMet warning (cashAtLeastReserve itself is strict).
    check(plan.invariants.isSound, "invariants \(plan.invariants.failedChecks)")
    finite(plan.maxAbsoluteDriftBefore, "maxAbsoluteDriftBefore")
    finite(plan.maxAbsoluteDriftAfter, "maxAbsoluteDriftAfter")
    finite(plan.turnover, "turnover")
    for (name, value) in [("accountValueBefore", plan.accountValueBefore), ("investableValue", plan.investableValue),
                          ("cashBefore", plan.cashBefore), ("cashAfter", plan.cashAfter), ("cashReserve", plan.cashReserve),
                          ("deposit", plan.deposit), ("withdrawal", plan.withdrawal), ("totalSells", plan.totalSells),
                          ("totalBuys", plan.totalBuys), ("totalCosts", plan.totalCosts),
                          ("realizedShortTermGain", plan.realizedShortTermGain),
                          ("realizedLongTermGain", plan.realizedLongTermGain), ("estimatedTax", plan.estimatedTax ?? 0)] {
        number(value, name)
    }
    for h in plan.holdings {
        for (name, x) in [("weightBefore", h.weightBefore), ("weightAfter", h.weightAfter), ("targetWeight", h.targetWeight)] {
            finite(x, "holding \(h.symbol) \(name)")
        }
        for (name, x) in [("quantityBefore", h.quantityBefore), ("quantityAfter", h.quantityAfter),
                          ("marketValueBefore", h.marketValueBefore), ("marketValueAfter", h.marketValueAfter)] {
            number(x, "holding \(h.symbol) \(name)")
        }
        check(h.quantityAfter >= 0, "holding \(h.symbol) ends negative \(h.quantityAfter)")
    }
    for a in plan.assetClasses {
        for x in [a.weightBefore, a.weightAfter, a.targetWeight] { finite(x, "asset class \(a.assetClass) weight") }
    }
    for d in plan.drift {
        for x in [d.weightBefore, d.weightAfter, d.targetWeight, d.band] { finite(x, "drift \(d.line)") }
    }
    var lotQuantity: [String: Decimal] = [:]
    for p in s.account.positions { for l in p.lots { lotQuantity[l.id, default: 0] += l.quantity } }
    var sold: [String: Decimal] = [:]
    var buys = Decimal(0), sells = Decimal(0), costs = Decimal(0)
    var seenBuy = false
    for t in plan.trades {
        finite(t.reason.driftPoints, "trade \(t.symbol) drift points")
        if let b = t.reason.bandPoints { finite(b, "trade \(t.symbol) band points") }
        for (name, x) in [("quantity", t.quantity), ("grossValue", t.grossValue), ("cost", t.cost), ("realizedGain", t.realizedGain)] {
            number(x, "trade \(t.symbol) \(name)")
        }
        check(t.quantity > 0 && t.grossValue > 0 && t.cost >= 0, "trade \(t.symbol) \(t.side) q \(t.quantity) v \(t.grossValue) c \(t.cost)")
        costs += t.cost
        if t.side == .buy {
            seenBuy = true
            buys += t.grossValue
            check(!s.account.doNotBuy.contains(t.symbol), "bought restricted \(t.symbol)")
            check(s.securities.first { $0.symbol == t.symbol }?.isTradable == true, "bought non-tradable \(t.symbol)")
        } else {
            check(!seenBuy, "a sell after a buy")
            sells += t.grossValue
            check(!s.account.doNotSell.contains(t.symbol), "sold restricted \(t.symbol)")
            check(s.securities.first { $0.symbol == t.symbol }?.isTradable == true, "sold non-tradable \(t.symbol)")
            let sum = t.lots.reduce(Decimal(0)) { $0 + $1.quantity }
            check(sum == t.quantity, "lots \(sum) != trade quantity \(t.quantity)")
            for l in t.lots { sold[l.lotID, default: 0] += l.quantity }
        }
    }
    for (id, q) in sold { check(q > 0 && q <= lotQuantity[id] ?? 0, "lot \(id) sold \(q) of \(lotQuantity[id] ?? 0)") }
    check(buys == plan.totalBuys && sells == plan.totalSells && costs == plan.totalCosts, "totals do not add up")
    check(buys + costs == sells + plan.deposit - plan.withdrawal + (plan.cashBefore - plan.cashAfter),
          "cash identity: buys \(buys) + costs \(costs) != sells \(sells) + deposit \(plan.deposit) - withdrawal \(plan.withdrawal) + (\(plan.cashBefore) - \(plan.cashAfter))")
    check(plan.cashAfter >= 0, "negative cash after \(plan.cashAfter)")
    check((try? plan.jsonData()) != nil, "plan does not encode as JSON")
}

let printScenarios = ProcessInfo.processInfo.environment["FOLIO_FUZZ_PRINT"] != nil

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var choices = Choices(bytes: UnsafeBufferPointer(start: data, count: size))
    let s = scenario(&choices)
    if printScenarios {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        FileHandle.standardError.write((try? encoder.encode(s)) ?? Data())
        FileHandle.standardError.write(Data("\n".utf8))
    }
    do throws(RebalanceError) {
        let engine = try Rebalancer(securities: s.securities, policy: s.policy)
        let plan = try engine.rebalance(s.account, to: s.target, prices: s.prices)
        verify(plan, s)
        let again = try engine.rebalance(s.account, to: s.target, prices: s.prices)
        check(again == plan, "a second run gives another plan")
    } catch {
        _ = error.description  // a typed error is an acceptable answer
    }
    return 0
}
