import Foundation
import Testing
@testable import FolioRebalancing

/// Hand-computed cases for lot selection, holding periods, tax budget, wash sales and harvesting.
@Suite("Taxes")
struct TaxTests {
    /// 50 LOT @ $100 in five 10-share lots, plus 50 AAX @ $50 ($2,500, 25%... see below).
    ///
    ///  lot  acquired     basis   gain   term
    ///  L1   2019-01-10     500   +500   LT
    ///  L2   2021-06-01   1,200   -200   LT
    ///  L3   2025-09-01   1,100   -100   ST
    ///  L4   2026-01-05     900   +100   ST
    ///  L5   2024-03-01     800   +200   LT
    ///
    /// With 100 AAX @ $50 the account is worth 10,000; a 25/75 target sells 25 LOT.
    static let lots = [
        Lot(id: "L1", quantity: 10, costBasis: 500, acquired: day(2019, 1, 10)),
        Lot(id: "L2", quantity: 10, costBasis: 1_200, acquired: day(2021, 6, 1)),
        Lot(id: "L3", quantity: 10, costBasis: 1_100, acquired: day(2025, 9, 1)),
        Lot(id: "L4", quantity: 10, costBasis: 900, acquired: day(2026, 1, 5)),
        Lot(id: "L5", quantity: 10, costBasis: 800, acquired: day(2024, 3, 1)),
    ]
    static let account = Account(id: "LOTS", kind: .taxable, cash: 0, positions: [
        Position(symbol: "LOT", lots: lots), position("AAX", 100, basis: 5_000)])
    static let target = TargetAllocation.securities(["LOT": 0.25, "AAX": 0.75])

    func sell(_ method: RebalancePolicy.LotMethod) throws -> (RebalancePlan, [String]) {
        let p = try plan(Self.account, Self.target, policy: RebalancePolicy(trigger: .always, lotMethod: method))
        let t = try #require(p.trade("LOT"))
        #expect(t.quantity == 25 && t.side == .sell)
        #expect(summary(p) == ["SELL 25 LOT 2500", "BUY 50 AAX 2500"])
        return (p, t.lots.map { "\($0.lotID):\($0.quantity):\($0.realizedGain):\($0.term == .longTerm ? "LT" : "ST")" })
    }

    @Test("FIFO: L1, L2, then 5 of L5")
    func fifo() throws {
        let (p, lots) = try sell(.fifo)
        #expect(lots == ["L1:10:500:LT", "L2:10:-200:LT", "L5:5:100:LT"])
        #expect(p.realizedLongTermGain == 400 && p.realizedShortTermGain == 0)
        #expect(p.estimatedTax == 80)
    }

    @Test("LIFO: L4, L3, then 5 of L5")
    func lifo() throws {
        let (p, lots) = try sell(.lifo)
        #expect(lots == ["L4:10:100:ST", "L3:10:-100:ST", "L5:5:100:LT"])
        #expect(p.realizedShortTermGain == 0 && p.realizedLongTermGain == 100)
        #expect(p.estimatedTax == 20)
    }

    @Test("highest cost first: L2 ($120), L3 ($110), then 5 of L4 ($90)")
    func highestCost() throws {
        let (p, lots) = try sell(.highestCost)
        #expect(lots == ["L2:10:-200:LT", "L3:10:-100:ST", "L4:5:50:ST"])
        #expect(p.realizedShortTermGain == -50 && p.realizedLongTermGain == -200)
        #expect(p.estimatedTax == 0)
    }

    @Test("specific lots: L4 and L1 as named, then FIFO for the rest, with a warning")
    func specificLots() throws {
        let (p, lots) = try sell(.specificLots(["L4", "L1"]))
        #expect(lots == ["L4:10:100:ST", "L1:10:500:LT", "L2:5:-100:LT"])
        #expect(p.realizedShortTermGain == 100 && p.realizedLongTermGain == 400)
        #expect(p.estimatedTax == 117)  // 100 × 37% + 400 × 20%
        #expect(p.warnings.contains { $0.kind == .specificLotsInsufficient })
        #expect(throws: RebalanceError.specificLotNotFound(lotID: "NOPE", account: "LOTS")) {
            try sell(.specificLots(["NOPE"]))
        }
    }

    @Test("tax-minimizing: short-term loss, long-term loss, then the smallest long-term gain per dollar")
    func taxMinimizing() throws {
        let (p, lots) = try sell(.taxMinimizing)
        #expect(lots == ["L3:10:-100:ST", "L2:10:-200:LT", "L5:5:100:LT"])
        #expect(p.realizedShortTermGain == -100 && p.realizedLongTermGain == -100)
        #expect(p.estimatedTax == 0)
    }

    @Test("netting: a short-term loss offsets long-term gains before tax")
    func netting() throws {
        // 10 LOT: L3 (ST -100) and L1 (LT +500), FIFO sells L1 then L3 when selling all.
        let a = Account(id: "N", kind: .taxable, cash: 0, positions: [
            Position(symbol: "LOT", lots: [Self.lots[0], Self.lots[2]]), position("AAX", 40, basis: 2_000)])
        let p = try plan(a, .securities(["AAX": 1.0]), policy: RebalancePolicy(trigger: .always, lotMethod: .fifo))
        #expect(p.realizedShortTermGain == -100 && p.realizedLongTermGain == 500)
        #expect(p.estimatedTax == 80)  // (500 - 100) × 20%
    }

    @Test("holding period: exactly one year is short-term, one year and a day long-term")
    func holdingPeriod() throws {
        for (acquired, term) in [(day(2025, 3, 16), HoldingTerm.shortTerm), (day(2025, 3, 15), .longTerm)] {
            let a = Account(id: "H", kind: .taxable, cash: 0, positions: [
                position("AAA", 10, basis: 900, acquired: acquired), position("BBB", 20, basis: 1_000)])
            let p = try plan(a, .securities(["BBB": 1.0]), policy: RebalancePolicy(trigger: .always))
            #expect(p.trade("AAA")!.lots.map(\.term) == [term])
            #expect(term == .shortTerm ? p.realizedShortTermGain == 100 : p.realizedLongTermGain == 100)
        }
    }

    @Test("tax budget: sells stop at the budget and the drift left is reported")
    func taxBudget() throws {
        // To target would sell 100 AAA with a $30 gain each (3,000); a 1,500 budget sells 50.
        let p = try plan(driftedAccount(), policy: RebalancePolicy(trigger: .always, taxBudget: 1_500))
        #expect(summary(p) == ["SELL 50 AAA 5000", "BUY 100 BBB 5000"])
        #expect(p.realizedLongTermGain == 1_500)
        #expect(p.skippedTrades.contains { $0.symbol == "AAA" && $0.reason == .taxBudget && $0.quantity == 50 })
        #expect(p.warnings.contains { $0.kind == .taxBudgetLimitedSells })
        #expect(abs(p.maxAbsoluteDriftAfter - 0.05) < 1e-12)
        // Losses widen the budget: the tax-minimizing seller takes the loss lot first.
        var a = driftedAccount()
        a.positions[0] = Position(symbol: "AAA", lots: [
            Lot(id: "G", quantity: 650, costBasis: 45_500, acquired: day(2020, 1, 2)),  // +30/sh LT
            Lot(id: "X", quantity: 50, costBasis: 5_500, acquired: day(2025, 12, 1)),  // -10/sh ST
        ])
        let q = try plan(a, policy: RebalancePolicy(trigger: .always, taxBudget: 1_000))
        // 50 X (-500) then 50 G (+1,500): net 1,000.
        #expect(q.trade("AAA")!.quantity == 100)
        #expect(q.realizedShortTermGain == -500 && q.realizedLongTermGain == 1_500)
        // Tax-deferred accounts ignore the budget.
        let ira = try plan(driftedAccount(kind: .taxDeferred), policy: RebalancePolicy(trigger: .always, taxBudget: 0))
        #expect(ira.trade("AAA")!.quantity == 100 && ira.realizedLongTermGain == 0 && ira.estimatedTax == 0)
    }

    @Test("wash sale: no buy of a security sold at a loss within 30 days; the alternate is bought instead")
    func washSaleBlock() throws {
        let recent = [Transaction(date: day(2026, 3, 1), accountID: "other", symbol: "BBB", side: .sell, quantity: 10, realizedGain: -250)]
        // BBB has no alternate: its share is held in cash, and AAA goes back to its own 60%.
        let p = try plan(driftedAccount(), policy: RebalancePolicy(trigger: .always, recentTransactions: recent))
        #expect(summary(p) == ["SELL 100 AAA 10000"])
        #expect(p.skippedTrades.contains { $0.symbol == "BBB" && $0.side == .buy && $0.reason == .washSale })
        let classes = TargetAllocation.assetClasses([
            .init(assetClass: "Stocks", weight: 0.6, primary: "AAA"),
            .init(assetClass: "Bonds", weight: 0.4, primary: "BBB", alternates: ["BBX"]),
        ])
        let q = try plan(driftedAccount(), classes, policy: RebalancePolicy(trigger: .always, recentTransactions: recent))
        #expect(summary(q) == ["SELL 100 AAA 10000", "BUY 500 BBX 10000"])
        // 31 days ago is outside the window; a gain is no wash sale.
        let old = [Transaction(date: day(2026, 2, 13), accountID: "other", symbol: "BBB", side: .sell, quantity: 10, realizedGain: -250)]
        let gain = [Transaction(date: day(2026, 3, 1), accountID: "other", symbol: "BBB", side: .sell, quantity: 10, realizedGain: 250)]
        for txs in [old, gain] {
            let r = try plan(driftedAccount(), policy: RebalancePolicy(trigger: .always, recentTransactions: txs))
            #expect(summary(r) == ["SELL 100 AAA 10000", "BUY 200 BBB 10000"])
        }
    }

    @Test("wash sale: a loss lot sold within 30 days of a buy is warned about")
    func washSaleWarning() throws {
        var a = driftedAccount()
        a.positions[0] = position("AAA", 700, basis: 77_000)  // $110/sh: a loss
        let recent = [Transaction(date: day(2026, 3, 10), accountID: "T1", symbol: "AAA", side: .buy, quantity: 5)]
        let p = try plan(a, policy: RebalancePolicy(trigger: .always, recentTransactions: recent))
        #expect(p.trade("AAA")!.realizedGain == -1_000)
        #expect(p.warnings.contains { $0.kind == .washSaleRisk && $0.subject == "AAA" })
    }

    @Test("tax-loss harvesting: a lot over both thresholds is sold into the alternate")
    func harvesting() throws {
        let target = TargetAllocation.assetClasses([
            .init(assetClass: "Stocks", weight: 0.6, primary: "AAA", alternates: ["AAX"]),
            .init(assetClass: "Bonds", weight: 0.4, primary: "BBB"),
        ])
        // On target (60/40): H1 has a 6,000 loss (16.7%), H2 a gain, H3 a 300 loss (too small).
        let a = Account(id: "TLH", kind: .taxable, cash: 0, positions: [
            Position(symbol: "AAA", lots: [
                Lot(id: "H1", quantity: 300, costBasis: 36_000, acquired: day(2025, 6, 2)),
                Lot(id: "H2", quantity: 270, costBasis: 20_000, acquired: day(2020, 6, 2)),
                Lot(id: "H3", quantity: 30, costBasis: 3_300, acquired: day(2025, 6, 2)),
            ]),
            position("BBB", 800, basis: 40_000)])
        let tlh = RebalancePolicy.TaxLossHarvesting(minimumLoss: 1_000, minimumLossPercent: 0.10)
        let p = try plan(a, target, policy: RebalancePolicy(taxLossHarvesting: tlh))
        #expect(!p.trigger.isTriggered)
        #expect(summary(p) == ["SELL 300 AAA 30000", "BUY 600 AAX 30000"])
        #expect(p.trade("AAA")!.lots.map(\.lotID) == ["H1"])
        #expect(p.realizedShortTermGain == -6_000)
        #expect(p.trade("AAA")!.reason.kind == .taxLossHarvest)
        #expect(p.trade("AAX")!.reason.description == "replaces harvested AAA")
        // Harvesting inside a triggered to-target rebalance gives the same trades here.
        let triggered = try plan(a, target, policy: RebalancePolicy(trigger: .always, taxLossHarvesting: tlh))
        #expect(summary(triggered) == summary(p))
        // The alternate was sold at a loss within 30 days: no replacement, nothing harvested.
        let blocked = [Transaction(date: day(2026, 3, 2), accountID: "x", symbol: "AAX", side: .sell, quantity: 1, realizedGain: -5)]
        let q = try plan(a, target, policy: RebalancePolicy(recentTransactions: blocked, taxLossHarvesting: tlh))
        #expect(q.trades.isEmpty && q.skippedTrades.contains { $0.symbol == "AAA" && $0.reason == .noReplacement })
        // AAA was bought within 30 days: harvesting would be a wash sale.
        let bought = [Transaction(date: day(2026, 3, 2), accountID: "x", symbol: "AAA", side: .buy, quantity: 1)]
        let r = try plan(a, target, policy: RebalancePolicy(recentTransactions: bought, taxLossHarvesting: tlh))
        #expect(r.trades.isEmpty && r.skippedTrades.contains { $0.symbol == "AAA" && $0.reason == .washSale })
        // Tax-deferred accounts never harvest.
        var ira = a
        ira.kind = .taxDeferred
        #expect(try plan(ira, target, policy: RebalancePolicy(taxLossHarvesting: tlh)).trades.isEmpty)
    }

    @Test("household: a taxable AAA loss is not sold while the IRA buys AAA (no alternate)")
    func householdWashSale() throws {
        var taxable = driftedAccount()
        taxable.positions[0] = position("AAA", 700, basis: 77_000)  // would sell 100 at a $1,000 loss
        let ira = Account(id: "IRA", kind: .taxDeferred, cash: 0, positions: [
            position("AAA", 500, basis: 40_000), position("BBB", 1_000, basis: 50_000)])
        let r = try Rebalancer(securities: standardSecurities, policy: RebalancePolicy(trigger: .always))
        let plans = try r.rebalance(Household(id: "H", accounts: [taxable, ira]), to: sixtyForty, prices: standardPrices)
        // A loss replaced inside an IRA is disallowed for good: the taxable account keeps its
        // loss lot (and says why), the IRA rebalances as planned.
        #expect(plans[0].trades.isEmpty)
        #expect(plans[0].skippedTrades.contains { $0.symbol == "AAA" && $0.side == .sell && $0.reason == .washSale })
        #expect(plans[0].warnings.contains { $0.kind == .washSaleAvoided && $0.subject == "AAA" })
        #expect(summary(plans[1]) == ["SELL 200 BBB 10000", "BUY 100 AAA 10000"])
        // With an alternate, the IRA buys it instead and the loss is harvested.
        let classes = TargetAllocation.assetClasses([
            .init(assetClass: "Stocks", weight: 0.6, primary: "AAA", alternates: ["AAX"]),
            .init(assetClass: "Bonds", weight: 0.4, primary: "BBB"),
        ])
        let alt = try r.rebalance(Household(id: "H", accounts: [ira, taxable]), to: classes, prices: standardPrices)
        #expect(summary(alt[1]) == ["SELL 100 AAA 10000", "BUY 200 BBB 10000"])
        #expect(alt[1].realizedLongTermGain == -1_000)
        #expect(summary(alt[0]) == ["SELL 200 BBB 10000", "BUY 200 AAX 10000"])
        // The same with a Roth buying AAA: a loss replaced in any IRA is disallowed for good.
        var roth = ira
        roth.id = "ROTH"
        roth.kind = .taxExempt
        let withRoth = try r.rebalance(Household(id: "H", accounts: [taxable, roth]), to: sixtyForty, prices: standardPrices)
        #expect(withRoth[0].trades.isEmpty && withRoth[0].warnings.contains { $0.kind == .washSaleAvoided })
        #expect(summary(withRoth[1]) == ["SELL 200 BBB 10000", "BUY 100 AAA 10000"])
        // Planned alone, the IRA would buy AAA.
        let alone = try r.rebalance(ira, to: sixtyForty, prices: standardPrices)
        #expect(summary(alone) == ["SELL 200 BBB 10000", "BUY 100 AAA 10000"])
        // Per-account targets behave the same.
        let byID = try r.rebalance(Household(id: "H", accounts: [taxable, ira]), targets: ["T1": sixtyForty, "IRA": sixtyForty], prices: standardPrices)
        #expect(byID == plans)
    }
}
