import Foundation
import Testing
@testable import FolioRebalancing

/// Hand-computed cases for triggers, modes, cash, sizing, costs and restrictions.
@Suite("Policies")
struct PolicyTests {
    // 700 AAA @ 100 = 70,000 and 600 BBB @ 50 = 30,000: 70/30 against 60/40.
    @Test("to target: sell 100 AAA, buy 200 BBB, long-term gain 3,000")
    func toTarget() throws {
        let p = try plan(driftedAccount(), policy: RebalancePolicy(trigger: .always))
        #expect(summary(p) == ["SELL 100 AAA 10000", "BUY 200 BBB 10000"])
        #expect(p.trade("AAA")!.lots.map(\.realizedGain) == [3000])
        #expect(p.trade("AAA")!.lots.map(\.term) == [.longTerm])
        #expect(p.realizedLongTermGain == 3000 && p.realizedShortTermGain == 0)
        #expect(p.estimatedTax == 600)  // 3,000 × 20%
        #expect(p.cashAfter == 0)
        #expect(p.trade("AAA")!.reason.description == "AAA overweight by 10.0 pts")
        #expect(abs(p.maxAbsoluteDriftBefore - 0.10) < 1e-12 && p.maxAbsoluteDriftAfter < 1e-12)
        #expect(abs(p.turnover - 0.10) < 1e-12)
    }

    @Test("absolute bands: 3 pts of drift does not trigger a 5-pt band, 6 pts does")
    func absoluteBands() throws {
        let quiet = Account(id: "Q", kind: .taxable, cash: 0, positions: [
            position("AAA", 630, basis: 40_000), position("BBB", 740, basis: 37_000)])
        let policy = RebalancePolicy(trigger: .bands, bands: .init(absolute: 0.05))
        let p = try plan(quiet, policy: policy)
        #expect(!p.trigger.isTriggered && p.trigger.bandBreached == false)
        #expect(p.trades.isEmpty)
        #expect(p.trigger.explanation.hasPrefix("no trigger"))
        let loud = Account(id: "L", kind: .taxable, cash: 0, positions: [
            position("AAA", 660, basis: 40_000), position("BBB", 680, basis: 37_000)])
        let q = try plan(loud, policy: policy)
        #expect(q.trigger.isTriggered && q.trigger.bandBreached == true)
        #expect(summary(q) == ["SELL 60 AAA 6000", "BUY 120 BBB 6000"])
        #expect(q.trade("AAA")!.reason.description == "AAA overweight by 6.0 pts, band 5.0 pts")
    }

    @Test("relative bands: 25% of a 40% target is 10 pts")
    func relativeBands() throws {
        let policy = RebalancePolicy(trigger: .bands, bands: .init(relative: 0.25))
        // 68/32: drift 8 pts, bands 15 and 10 pts -> no trigger.
        let a = Account(id: "R", kind: .taxable, cash: 0, positions: [
            position("AAA", 680, basis: 40_000), position("BBB", 640, basis: 30_000)])
        #expect(try plan(a, policy: policy).trades.isEmpty)
        // 72/28: BBB drifts 12 pts > 10 -> trigger.
        let b = Account(id: "R", kind: .taxable, cash: 0, positions: [
            position("AAA", 720, basis: 40_000), position("BBB", 560, basis: 30_000)])
        let p = try plan(b, policy: policy)
        #expect(p.trigger.isTriggered)
        #expect(summary(p) == ["SELL 120 AAA 12000", "BUY 240 BBB 12000"])
    }

    @Test("5/25 rule: a 10% line has a 2.5-pt band")
    func fiveTwentyFive() throws {
        let target = TargetAllocation.securities(["AAA": 0.9, "BBB": 0.1])
        // 87/13: BBB drifts 3 pts: over min(5, 2.5) but under 5.
        let a = Account(id: "F", kind: .taxable, cash: 0, positions: [
            position("AAA", 870, basis: 40_000), position("BBB", 260, basis: 13_000)])
        let p = try plan(a, target, policy: RebalancePolicy(trigger: .bands, bands: .fiveTwentyFive))
        #expect(p.trigger.isTriggered)
        // 87,000 / 13,000 -> 90,000 / 10,000.
        #expect(summary(p) == ["SELL 60 BBB 3000", "BUY 30 AAA 3000"])
        let q = try plan(a, target, policy: RebalancePolicy(trigger: .bands, bands: .init(absolute: 0.05)))
        #expect(!q.trigger.isTriggered && q.trades.isEmpty)
        #expect(RebalancePolicy.ToleranceBands.fiveTwentyFive.halfWidth(target: 0.6) == 0.05)
        #expect(RebalancePolicy.ToleranceBands.fiveTwentyFive.halfWidth(target: 0.1) == 0.025)
    }

    @Test("calendar: quarterly is due three calendar months after the last rebalance")
    func calendar() throws {
        let due = try plan(driftedAccount(), policy: RebalancePolicy(trigger: .calendar(.quarterly), lastRebalanceDate: day(2025, 12, 16)))
        #expect(due.trigger.isTriggered && due.trigger.calendarDue == true && due.trades.count == 2)
        let notDue = try plan(driftedAccount(), policy: RebalancePolicy(trigger: .calendar(.quarterly), lastRebalanceDate: day(2025, 12, 17)))
        #expect(!notDue.trigger.isTriggered && notDue.trades.isEmpty)
        // Monthly from Jan 31 is due on Feb 28 (end-of-month clamping).
        let feb = Prices(asOf: day(2026, 2, 28), standardPrices.bySymbol)
        let monthly = try plan(driftedAccount(), policy: RebalancePolicy(trigger: .calendar(.monthly), lastRebalanceDate: day(2026, 1, 31)), prices: feb)
        #expect(monthly.trigger.isTriggered)
        let annual = try plan(driftedAccount(), policy: RebalancePolicy(trigger: .calendar(.annual), lastRebalanceDate: day(2025, 6, 1)))
        #expect(!annual.trigger.isTriggered)
        let semi = try plan(driftedAccount(), policy: RebalancePolicy(trigger: .calendar(.semiAnnual), lastRebalanceDate: day(2025, 9, 16)))
        #expect(semi.trigger.isTriggered)
    }

    @Test("calendar or bands: either one triggers")
    func either() throws {
        let notDue = day(2026, 3, 1)
        let drifted = try plan(driftedAccount(), policy: RebalancePolicy(trigger: .calendarOrBands(.quarterly), lastRebalanceDate: notDue))
        #expect(drifted.trigger.isTriggered && drifted.trigger.calendarDue == false && drifted.trigger.bandBreached == true)
        let onTarget = Account(id: "O", kind: .taxable, cash: 0, positions: [
            position("AAA", 600, basis: 40_000), position("BBB", 800, basis: 40_000)])
        let quiet = try plan(onTarget, policy: RebalancePolicy(trigger: .calendarOrBands(.quarterly), lastRebalanceDate: notDue))
        #expect(!quiet.trigger.isTriggered && quiet.trades.isEmpty)
        let due = try plan(onTarget, policy: RebalancePolicy(trigger: .calendarOrBands(.monthly), lastRebalanceDate: day(2026, 1, 1)))
        #expect(due.trigger.isTriggered && due.trades.isEmpty)  // due, but already on target
    }

    @Test("to the nearest band edge: 70/30 with 5-pt bands trades to 65/35")
    func bandEdge() throws {
        let policy = RebalancePolicy(trigger: .bands, bands: .init(absolute: 0.05), mode: .toNearestBandEdge)
        let p = try plan(driftedAccount(), policy: policy)
        #expect(summary(p) == ["SELL 50 AAA 5000", "BUY 100 BBB 5000"])
        #expect(p.appliedMode == .toNearestBandEdge)
    }

    @Test("cash-flow only: a deposit fills the most underweight lines by water-filling")
    func deposit() throws {
        // A 50/30/20 target; holdings 60k/25k/15k; a 10k deposit: targets 55k/33k/22k;
        // B is 8k under, C 7k under; level 2.5k: B buys 5.5k (110 sh), C 4.5k (180 sh).
        let target = TargetAllocation.securities(["AAA": 0.5, "BBB": 0.3, "CCC": 0.2])
        let a = Account(id: "D", kind: .taxable, cash: 0, positions: [
            position("AAA", 600, basis: 50_000), position("BBB", 500, basis: 25_000), position("CCC", 600, basis: 15_000)])
        let p = try plan(a, target, policy: RebalancePolicy(mode: .cashFlowOnly, pendingCashFlow: 10_000))
        #expect(summary(p) == ["BUY 110 BBB 5500", "BUY 180 CCC 4500"])
        #expect(p.deposit == 10_000 && p.cashAfter == 0)
        #expect(p.trade("BBB")!.reason.kind == .investCash)
        // The same deposit when nothing triggers still gets invested (bands trigger, 5/25).
        #expect(p.trigger.cashFlowPending)
    }

    @Test("cash-flow only: a withdrawal sells the most overweight line only")
    func withdrawal() throws {
        let target = TargetAllocation.securities(["AAA": 0.5, "BBB": 0.3, "CCC": 0.2])
        let a = Account(id: "W", kind: .taxable, cash: 0, positions: [
            position("AAA", 600, basis: 50_000), position("BBB", 500, basis: 25_000), position("CCC", 600, basis: 15_000)])
        // After a 10k withdrawal the targets are 45k/27k/18k; AAA is 15k over: sell 100 AAA.
        let p = try plan(a, target, policy: RebalancePolicy(mode: .cashFlowOnly, pendingCashFlow: -10_000))
        #expect(summary(p) == ["SELL 100 AAA 10000"])
        #expect(p.withdrawal == 10_000 && p.cashAfter == 0)
        // In to-target mode the same withdrawal rebalances fully: AAA 45k, BBB 27k, CCC 18k.
        let q = try plan(a, target, policy: RebalancePolicy(trigger: .always, pendingCashFlow: -10_000))
        #expect(summary(q) == ["SELL 150 AAA 15000", "BUY 40 BBB 2000", "BUY 120 CCC 3000"])
        #expect(q.cashAfter == 0)
    }

    @Test("cash reserve: an amount, and a percent of the account value")
    func reserve() throws {
        let p = try plan(driftedAccount(), policy: RebalancePolicy(trigger: .always, cashReserve: .amount(1_000)))
        // Investable 99,000: AAA 59,400 (sell 106), BBB 39,600 (buy 192).
        #expect(summary(p) == ["SELL 106 AAA 10600", "BUY 192 BBB 9600"])
        #expect(p.cashAfter == 1_000 && p.cashReserve == 1_000)
        let q = try plan(driftedAccount(), policy: RebalancePolicy(trigger: .always, cashReserve: .percent(0.02)))
        #expect(summary(q) == ["SELL 112 AAA 11200", "BUY 184 BBB 9200"])
        #expect(q.cashAfter == 2_000)
    }

    @Test("minimum trade value: small trades are skipped and reported")
    func minimumTrade() throws {
        let target = TargetAllocation.securities(["AAA": 0.5, "BBB": 0.3, "CCC": 0.2])
        // 50,300 / 29,850 / 19,850: sell 3 AAA ($300); buy 3 BBB ($150) and 6 CCC ($150).
        let a = Account(id: "M", kind: .taxable, cash: 0, positions: [
            position("AAA", 503, basis: 50_000), position("BBB", 597, basis: 25_000), position("CCC", 794, basis: 15_000)])
        let all = try plan(a, target, policy: RebalancePolicy(trigger: .always))
        #expect(summary(all) == ["SELL 3 AAA 300", "BUY 3 BBB 150", "BUY 6 CCC 150"])
        let p = try plan(a, target, policy: RebalancePolicy(trigger: .always, minimumTradeValue: 200))
        #expect(summary(p) == ["SELL 3 AAA 300"])
        #expect(p.skippedTrades.map(\.symbol) == ["BBB", "CCC"])
        #expect(p.skippedTrades.allSatisfy { $0.reason == .belowMinimumTradeValue && $0.side == .buy })
        #expect(p.cashAfter == 300)
    }

    @Test("lot size: a bond trades in 1,000-face lots; leftover stays when the next lot does not fit")
    func lotSize() throws {
        let target = TargetAllocation.securities(["AAA": 0.6, "BOND": 0.4])
        let a = Account(id: "B", kind: .taxable, cash: 40_000, positions: [position("AAA", 600, basis: 50_000)])
        let p = try plan(a, target, policy: RebalancePolicy(trigger: .always))
        // 40,000 / 0.98 = 40,816 face -> 40,000 face for $39,200; $800 left, a lot costs $980.
        #expect(summary(p) == ["BUY 40000 BOND 39200"])
        #expect(p.cashAfter == 800)
    }

    @Test("whole shares: leftover cash buys one more share of the most underweight holding")
    func leftoverCash() throws {
        let target = TargetAllocation.securities(["AAA": 0.5, "CCC": 0.5])
        // $1,030 cash: AAA wants $515 (5 sh = 500), CCC $515 (20 sh = 500); $30 left buys
        // one more CCC ($25): AAA is $15 under (less than half a $100 share), CCC $15 under.
        let a = Account(id: "L", kind: .taxable, cash: 1_030, positions: [])
        let p = try plan(a, target, policy: RebalancePolicy(trigger: .always))
        #expect(summary(p) == ["BUY 5 AAA 500", "BUY 21 CCC 525"])
        #expect(p.cashAfter == 5)
    }

    @Test("fractional shares: quantities in 10^-6 steps; a one-cent-per-security cushion stays")
    func fractional() throws {
        let target = TargetAllocation.securities(["FRA": 1.0])
        let a = Account(id: "F", kind: .taxable, cash: 1_000, positions: [])
        let p = try plan(a, target, policy: RebalancePolicy(trigger: .always))
        // Cushion 2 cents: 999.98 / 400 = 2.49995 shares.
        #expect(summary(p) == ["BUY 2.49995 FRA 999.98"])
        #expect(p.cashAfter == dec("0.02"))
    }

    @Test("costs: commission and spread are paid from the buys (self-financing), never by a skipped buy")
    func costs() throws {
        let policy = RebalancePolicy(trigger: .always, commissionPerTrade: 5, spreadBasisPoints: 10)
        let p = try plan(driftedAccount(), policy: policy)
        // Sell 100 AAA: 10,000 - (5 + 10) = 9,985. The buy is sized net of the estimated costs
        // (about 30): 199 BBB cost 9,950 + 5 + 9.95 = 9,964.95, leaving 20.05, and no buy is
        // cut afterwards for want of cash.
        #expect(summary(p) == ["SELL 100 AAA 10000", "BUY 199 BBB 9950"])
        #expect(p.trade("AAA")!.cost == 15 && p.trade("BBB")!.cost == dec("14.95"))
        #expect(p.totalCosts == dec("29.95"))
        #expect(p.cashAfter == dec("20.05"))
        #expect(!p.skippedTrades.contains { $0.reason == .insufficientCash })
        // The realized gain is net of the selling cost: 10,000 - 15 - 7,000.
        #expect(p.trade("AAA")!.realizedGain == 2_985)
    }

    @Test("a trade whose cost would be at least its value is skipped")
    func uneconomicTrade() throws {
        // AAA is on target; BBB is one $50 share short; a $60 commission makes it pointless.
        let a = Account(id: "U", kind: .taxable, cash: 50, positions: [
            position("AAA", 600, basis: 50_000), position("BBB", 799, basis: 40_000)])
        let p = try plan(a, policy: RebalancePolicy(trigger: .always, commissionPerTrade: 60))
        #expect(p.trades.isEmpty)
        #expect(p.skippedTrades.map(\.reason) == [.costExceedsValue])
        let q = try plan(a, policy: RebalancePolicy(trigger: .always, commissionPerTrade: 1))
        #expect(summary(q).isEmpty)  // $50 + $1 does not fit in $50 of cash
        let r = try plan(a, policy: RebalancePolicy(trigger: .always))
        #expect(summary(r) == ["BUY 1 BBB 50"])
    }

    @Test("holdings not in the target are sold")
    func unlistedSold() throws {
        var a = driftedAccount()
        a.positions.append(position("ZZZ", 100, basis: 1_000, id: "Z1"))
        let p = try plan(a, policy: RebalancePolicy(trigger: .always))
        let z = try #require(p.trade("ZZZ"))
        #expect(z.side == .sell && z.quantity == 100 && z.reason.kind == .notInTarget)
        #expect(p.holding("ZZZ")!.quantityAfter == 0)
        // Total 102,000: AAA 61,200 (sell 88), BBB 40,800 (buy 216).
        #expect(summary(p) == ["SELL 88 AAA 8800", "SELL 100 ZZZ 2000", "BUY 216 BBB 10800"])
    }

    @Test("restricted holdings stay, the target is scaled around them, with a warning")
    func restrictedKept() throws {
        var a = driftedAccount()
        a.positions = [position("AAA", 600, basis: 40_000), position("BBB", 600, basis: 30_000), position("ZZZ", 500, basis: 5_000)]
        a.doNotSell = ["ZZZ"]
        let p = try plan(a, policy: RebalancePolicy(trigger: .always))
        // 100,000 with 10,000 locked: AAA 54,000 (sell 60), BBB 36,000 (buy 120).
        #expect(summary(p) == ["SELL 60 AAA 6000", "BUY 120 BBB 6000"])
        #expect(p.warnings.contains { $0.kind == .restrictedHoldingKept && $0.subject == "ZZZ" })

        // An overweight do-not-sell target line is kept; the other line takes the rest.
        var b = driftedAccount()
        b.doNotSell = ["AAA"]
        let q = try plan(b, policy: RebalancePolicy(trigger: .always))
        #expect(q.trades.isEmpty)
        #expect(q.warnings.contains { $0.kind == .restrictedHoldingKept && $0.subject == "AAA" })

        // A do-not-buy underweight line is reported as a skipped buy.
        var c = driftedAccount()
        c.doNotBuy = ["BBB"]
        // Its share is held in cash: AAA is brought back to its own 60%, never concentrated to
        // 70% because BBB cannot be bought.
        let r = try plan(c, policy: RebalancePolicy(trigger: .always))
        #expect(summary(r) == ["SELL 100 AAA 10000"])
        #expect(r.cashAfter == 10_000)
        #expect(r.skippedTrades.contains { $0.symbol == "BBB" && $0.reason == .doNotBuy })
        #expect(r.warnings.contains { $0.kind == .restrictedPurchase })

        // A non-tradable holding is kept like a do-not-sell one.
        let frozen = try Rebalancer(
            securities: standardSecurities.map { $0.symbol == "ZZZ" ? Security(symbol: "ZZZ", assetClass: "Other", isTradable: false) : $0 },
            policy: RebalancePolicy(trigger: .always))
        a.doNotSell = []
        let s = try frozen.rebalance(a, to: sixtyForty, prices: standardPrices)
        #expect(summary(s) == ["SELL 60 AAA 6000", "BUY 120 BBB 6000"])
    }

    @Test("class targets buy the primary, or the first alternate when the primary is restricted")
    func assetClassTarget() throws {
        let target = TargetAllocation.assetClasses([
            .init(assetClass: "Stocks", weight: 0.6, primary: "AAA", alternates: ["AAX"]),
            .init(assetClass: "Bonds", weight: 0.4, primary: "BBB", alternates: ["BBX"]),
        ])
        var a = driftedAccount()
        let p = try plan(a, target, policy: RebalancePolicy(trigger: .always))
        #expect(summary(p) == ["SELL 100 AAA 10000", "BUY 200 BBB 10000"])
        #expect(p.assetClasses.map(\.assetClass) == ["Bonds", "Stocks"])
        #expect(abs(p.assetClasses[0].weightAfter - 0.4) < 1e-12)
        a.doNotBuy = ["BBB"]
        let q = try plan(a, target, policy: RebalancePolicy(trigger: .always))
        #expect(summary(q) == ["SELL 100 AAA 10000", "BUY 500 BBX 10000"])
    }

    @Test("same inputs give equal plans and byte-identical JSON")
    func deterministic() throws {
        let policy = RebalancePolicy(trigger: .always, commissionPerTrade: 1, spreadBasisPoints: 5)
        let a = try plan(driftedAccount(), policy: policy)
        let b = try plan(driftedAccount(), policy: policy)
        #expect(a == b)
        #expect(try a.jsonData() == b.jsonData())
        let decoded = try JSONDecoder.iso.decode(RebalancePlan.self, from: a.jsonData())
        #expect(decoded == a)
    }
}

extension JSONDecoder {
    static var iso: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
