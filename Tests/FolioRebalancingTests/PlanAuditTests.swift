import Foundation
import Testing
@testable import FolioRebalancing

/// `PlanAudit` recomputes every invariant from the emitted plan: a real plan passes, and
/// corrupting one field at a time makes exactly the checks that cover that field fail.
@Suite("Plan audit")
struct PlanAuditTests {
    /// 70/30 and taxable: AAA in two lots of the same per-share basis ($70) and date, so a
    /// 100-share FIFO sell takes all of AAA-1 (60) and 40 of AAA-2; BBB 600 shares.
    static let account = Account(id: "AUD", kind: .taxable, cash: 0, positions: [
        Position(symbol: "AAA", lots: [
            Lot(id: "AAA-1", quantity: 60, costBasis: 4_200, acquired: day(2020, 1, 2)),
            Lot(id: "AAA-2", quantity: 640, costBasis: 44_800, acquired: day(2020, 1, 2)),
        ]),
        position("BBB", 600, basis: 33_000),
    ])

    static var policy: RebalancePolicy {
        var p = RebalancePolicy(trigger: .always, mode: .toTarget)
        p.lotMethod = .fifo
        p.minimumTradeValue = 1_000
        return p
    }

    /// The engine's plan: sell 100 AAA (two lots), buy 200 BBB.
    static func basePlan() throws -> RebalancePlan {
        try Rebalancer(securities: standardSecurities, policy: policy).rebalance(account, to: sixtyForty, prices: standardPrices)
    }

    /// One named corruption of a plan (and, for the budget, of the policy it is audited against),
    /// with the checks it must make fail.
    struct Corruption: Sendable, CustomTestStringConvertible {
        var name: String
        var fails: Set<String>
        var apply: @Sendable (inout RebalancePlan, inout RebalancePolicy) -> Void
        var testDescription: String { name }
    }

    static let sellIndex = 0, buyIndex = 1

    static let corruptions: [Corruption] = [
        Corruption(name: "a trade's quantity", fails: ["tradeValuesExact", "holdingsMatchTrades"]) { p, _ in
            p.trades[buyIndex].quantity += 1
        },
        Corruption(name: "a trade's grossValue", fails: ["tradeValuesExact", "cashIdentityHolds"]) { p, _ in
            p.trades[buyIndex].grossValue += dec("0.01")
        },
        Corruption(name: "cashAfter by one cent", fails: ["cashIdentityHolds"]) { p, _ in
            p.cashAfter += dec("0.01")
        },
        Corruption(name: "cashBefore not the account's", fails: ["cashIdentityHolds"]) { p, _ in
            p.cashBefore += 1
            p.cashAfter += 1
        },
        Corruption(name: "a lot sale names an unknown lot", fails: ["noLotOversold", "gainsMatchLots"]) { p, _ in
            p.trades[sellIndex].lots[0].lotID = "NO-SUCH-LOT"
        },
        Corruption(name: "a lot sold twice beyond its quantity", fails: ["noLotOversold"]) { p, _ in
            for k in p.trades[sellIndex].lots.indices { p.trades[sellIndex].lots[k].lotID = "AAA-1" }
        },
        // The lot quantities change, so their pro-rata bases no longer match either.
        Corruption(name: "a sell's quantity is not the sum of its lot sales",
                   fails: ["noLotOversold", "gainsMatchLots"]) { p, _ in
            p.trades[sellIndex].lots[0].quantity -= 1
            p.trades[sellIndex].lots[1].quantity += 2
        },
        Corruption(name: "a lot sale's realizedGain", fails: ["gainsMatchLots"]) { p, _ in
            p.trades[sellIndex].lots[0].realizedGain += 1
        },
        Corruption(name: "a lot sale's costBasis (gain kept consistent)", fails: ["gainsMatchLots"]) { p, _ in
            p.trades[sellIndex].lots[0].costBasis += dec("0.01")
            p.trades[sellIndex].lots[0].realizedGain -= dec("0.01")
        },
        Corruption(name: "a lot sale's term", fails: ["gainsMatchLots"]) { p, _ in
            p.trades[sellIndex].lots[0].term = .shortTerm
        },
        Corruption(name: "a trade's realizedGain", fails: ["gainsMatchLots"]) { p, _ in
            p.trades[sellIndex].realizedGain += 1
        },
        Corruption(name: "the plan's realized long-term gain", fails: ["gainsMatchLots"]) { p, _ in
            p.realizedLongTermGain += 1
        },
        Corruption(name: "a buy before a sell", fails: ["sellsBeforeBuys"]) { p, _ in
            p.trades.swapAt(sellIndex, buyIndex)
        },
        Corruption(name: "a trade below the minimum", fails: ["tradesMeetMinimum"]) { p, _ in
            // Split the 200-share BBB buy into 199 + 1: same totals, cash and holdings.
            var small = p.trades[buyIndex]
            small.quantity = 1
            small.grossValue = small.price
            p.trades[buyIndex].quantity -= 1
            p.trades[buyIndex].grossValue -= small.price
            p.trades.append(small)
        },
        Corruption(name: "cashAfter below the reserve, with a warning", fails: ["cashAtLeastReserve"]) { p, _ in
            p.cashReserve = p.cashAfter + dec("0.01")
            p.warnings.append(PlanWarning(kind: .reserveNotMet, subject: "", message: "too little to sell"))
        },
        Corruption(name: "cashAfter below the reserve, no warning",
                   fails: ["cashAtLeastReserve", "reserveShortfallExplained"]) { p, _ in
            p.cashReserve = p.cashAfter + dec("0.01")
        },
        Corruption(name: "cashAfter negative (a withdrawal of a cent too much)",
                   fails: ["cashNonNegative", "cashAtLeastReserve", "reserveShortfallExplained"]) { p, policy in
            p.withdrawal += dec("0.01")
            p.cashAfter -= dec("0.01")
            policy.pendingCashFlow -= dec("0.01")
        },
        Corruption(name: "a holding's quantityAfter", fails: ["holdingsMatchTrades"]) { p, _ in
            let k = p.holdings.firstIndex { $0.symbol == "BBB" }!
            p.holdings[k].quantityAfter += 1
        },
        Corruption(name: "a holding left out", fails: ["holdingsMatchTrades"]) { p, _ in
            p.holdings.removeAll { $0.symbol == "AAA" }
        },
        Corruption(name: "totalSells", fails: ["tradeValuesExact"]) { p, _ in
            p.totalSells += dec("0.01")
        },
        Corruption(name: "totalCosts", fails: ["tradeValuesExact"]) { p, _ in
            p.totalCosts += dec("0.01")
        },
        Corruption(name: "a tax budget below the realized gain", fails: ["withinTaxBudget"]) { p, policy in
            policy.taxBudget = p.realizedShortTermGain + p.realizedLongTermGain - dec("0.01")
        },
    ]

    static let allChecks: Set<String> = [
        "cashIdentityHolds", "cashNonNegative", "cashAtLeastReserve", "reserveShortfallExplained", "noLotOversold",
        "tradesMeetMinimum", "sellsBeforeBuys", "withinTaxBudget", "tradeValuesExact", "gainsMatchLots",
        "holdingsMatchTrades",
    ]

    @Test("the engine's plan passes every recomputed invariant")
    func realPlanHolds() throws {
        let plan = try Self.basePlan()
        #expect(summary(plan) == ["SELL 100 AAA 10000", "BUY 200 BBB 10000"])
        let sell = try #require(plan.trades.first)
        #expect(sell.lots.map(\.lotID) == ["AAA-1", "AAA-2"])
        #expect(plan.realizedLongTermGain == 3_000)
        let audit = PlanAudit.invariants(of: plan, account: Self.account, policy: Self.policy)
        #expect(audit.allHold && audit.failedChecks.isEmpty, "\(audit.failedChecks)")
        #expect(audit == plan.invariants)
        #expect(plan.audited(against: Self.account, policy: Self.policy) == audit)
    }

    @Test("each corruption makes exactly its checks fail", arguments: corruptions)
    func corruptionFails(_ corruption: Corruption) throws {
        var plan = try Self.basePlan()
        var policy = Self.policy
        corruption.apply(&plan, &policy)
        let audit = PlanAudit.invariants(of: plan, account: Self.account, policy: policy)
        #expect(Set(audit.failedChecks) == corruption.fails)
        // The exact-integer fast path and the Decimal path agree.
        #expect(try PlanAudit.audit(plan, account: Self.account, policy: policy, flow: policy.pendingCashFlow, in: Decimal.self) == audit)
        #expect(!audit.allHold)
        // Only an explained reserve shortfall leaves the plan sound.
        #expect(audit.isSound == (corruption.fails == ["cashAtLeastReserve"]))
    }

    @Test("the corruptions cover every check")
    func corruptionsCoverEveryCheck() {
        #expect(Self.corruptions.reduce(into: Set<String>()) { $0.formUnion($1.fails) } == Self.allChecks)
        let names = PlanInvariants.unchecked.failedChecks
        #expect(Set(names) == Self.allChecks && names.count == Self.allChecks.count)
    }

    @Test("a reserve that cannot be met (nothing may be sold) is reported, strictly, with its warning")
    func unmetReserveIsStrict() throws {
        var policy = RebalancePolicy(trigger: .always, mode: .toTarget)
        policy.cashReserve = .amount(1_000)
        let account = Account(id: "R", kind: .taxable, cash: 100, positions: [position("AAA", 700, basis: 49_000)],
                              doNotSell: ["AAA"])
        let plan = try Rebalancer(securities: standardSecurities, policy: policy)
            .rebalance(account, to: sixtyForty, prices: standardPrices)
        #expect(plan.cashAfter < plan.cashReserve)
        #expect(plan.warnings.contains { $0.kind == .reserveNotMet })
        #expect(plan.invariants.failedChecks == ["cashAtLeastReserve"])
        #expect(plan.invariants.isSound && !plan.invariants.allHold)
    }

    @Test("a plan read back from JSON audits the same")
    func jsonRoundTrip() throws {
        let plan = try Self.basePlan()
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(RebalancePlan.self, from: plan.jsonData())
        #expect(decoded.audited(against: Self.account, policy: Self.policy) == plan.invariants)
    }

    @Test("non-taxable accounts realize no gain in the plan; a taxable gain there is caught")
    func nonTaxable() throws {
        var account = Self.account
        account.kind = .taxDeferred
        var plan = try Rebalancer(securities: standardSecurities, policy: Self.policy)
            .rebalance(account, to: sixtyForty, prices: standardPrices)
        #expect(plan.invariants.allHold && plan.realizedLongTermGain == 0)
        plan.trades[0].realizedGain = plan.trades[0].lots.reduce(0) { $0 + $1.realizedGain }
        #expect(plan.audited(against: account, policy: Self.policy).failedChecks == ["gainsMatchLots"])
    }

    @Test("seeded random accounts: the audit holds for every generated plan", arguments: [
        PropertyTests.Flavor.general, .fractionalExact, .wholeShares,
    ])
    func generatedPlansAudit(_ flavor: PropertyTests.Flavor) throws {
        var rng = SplitMix64(seed: 20_261_203)
        var failures: [String] = []
        var plans = 0
        for caseNumber in 0..<2_000 {
            let s = PropertyTests.scenario(&rng, flavor: flavor)
            guard let plan = try? PropertyTests.run(s) else { continue }
            plans += 1
            let audit = PlanAudit.invariants(of: plan, account: s.account, policy: s.policy)
            let inDecimal = try PlanAudit.audit(plan, account: s.account, policy: s.policy, flow: s.policy.pendingCashFlow, in: Decimal.self)
            // The reserve is strict; a shortfall must come with its warning (isSound).
            if !audit.isSound || audit != plan.invariants || audit != inDecimal, failures.count < 3 {
                failures.append("case \(caseNumber): \(audit.failedChecks) \(summary(plan))")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(plans > 1_500)
    }

    @Test("exact amounts: read from Decimal storage, range-checked, rounded half away from zero")
    func exactAmounts() throws {
        #expect(ExactAmount.isAvailable)
        let x = try ExactAmount(auditing: dec("-123.45678"))
        #expect(x.units == -12_345_678 && x.scale == 5)
        #expect(try ExactAmount(auditing: dec("1.50")) == ExactAmount(auditing: dec("1.5")))
        #expect(try ExactAmount(auditing: dec("2.5000000000")) == ExactAmount(auditing: dec("2.5")))
        #expect((try? ExactAmount(auditing: dec("0.000000001"))) == nil)
        #expect((try? ExactAmount(auditing: dec("100000000000"))) == nil)
        #expect((try? ExactAmount(auditing: .nan)) == nil)
        for (value, cents) in [("0.005", "0.01"), ("-0.005", "-0.01"), ("0.00499999", "0"), ("12.345", "12.35"), ("-12.344", "-12.34")] {
            #expect(try ExactAmount(auditing: dec(value)).roundedToCent == ExactAmount(auditing: dec(cents)), "\(value)")
            #expect(dec(value).roundedToCent == dec(cents), "\(value)")
        }
    }

    @Test("amounts beyond the exact range are audited in Decimal")
    func decimalFallback() throws {
        var plan = try Self.basePlan()
        plan.cashReserve = dec("0.000000001")  // nine decimals: outside ExactAmount
        #expect((try? PlanAudit.audit(plan, account: Self.account, policy: Self.policy, flow: Self.policy.pendingCashFlow, in: ExactAmount.self)) == nil)
        let audit = PlanAudit.invariants(of: plan, account: Self.account, policy: Self.policy)
        #expect(audit.failedChecks == ["cashAtLeastReserve", "reserveShortfallExplained"])
    }
}
