import Foundation
import Testing
import FolioRebalancing
@testable import FolioTaxAware

/// Recomputes the plan's rules from its outputs: audit invariants, holdings, household wash sales.
func checkPlan(_ c: TaxAwareHouseholds.Case, _ plan: HouseholdPlan, context: PlanContext, sourceLocation: SourceLocation = #_sourceLocation) {
    let key = Dictionary(uniqueKeysWithValues: TaxAwareHouseholds.securities.map { ($0.symbol, $0.washSaleKey) })
    let kinds = Dictionary(uniqueKeysWithValues: c.household.accounts.map { ($0.id, $0.kind) })
    var lossToday = Set<String>()
    for p in plan.plans where kinds[p.accountID]!.isTaxable {
        for t in p.trades where t.side == .sell && t.lots.contains(where: { $0.realizedGain < 0 }) { lossToday.insert(key[t.symbol]!) }
    }
    var recentLoss = Set<String>()
    for t in c.context.recentTransactions where t.side == .sell && (t.realizedGain ?? 0) < 0
        && c.prices.asOf.timeIntervalSince(t.date) <= 30 * 86_400 { recentLoss.insert(key[t.symbol]!) }
    for p in plan.plans {
        let account = c.household.accounts.first { $0.id == p.accountID }!
        // The invariants, recomputed from the plan and the account (not read from the plan).
        var enginePolicy = TaxAwareHouseholds.policy
        enginePolicy.mode = .toTarget
        let audit = PlanAudit.invariants(of: p, account: account, policy: enginePolicy, context: context)
        #expect(audit.allHold, "\(p.accountID): \(audit)", sourceLocation: sourceLocation)
        #expect(p.invariants.allHold, sourceLocation: sourceLocation)
        for t in p.trades where t.side == .buy {
            #expect(!lossToday.contains(key[t.symbol]!), "\(p.accountID) buys \(t.symbol) sold at a loss today", sourceLocation: sourceLocation)
            #expect(!recentLoss.contains(key[t.symbol]!), "\(p.accountID) buys \(t.symbol) within the window of a loss sale", sourceLocation: sourceLocation)
            #expect(!account.doNotBuy.contains(t.symbol), sourceLocation: sourceLocation)
        }
        for t in p.trades where t.side == .sell { #expect(!account.doNotSell.contains(t.symbol), sourceLocation: sourceLocation) }
        var quantity: [String: Decimal] = [:]
        for t in p.trades { quantity[t.symbol, default: 0] += t.side == .buy ? t.quantity : -t.quantity }
        for h in p.holdings { #expect(h.quantityAfter == h.quantityBefore + (quantity[h.symbol] ?? 0), sourceLocation: sourceLocation) }
    }
}

@Suite("Tax-aware planner: whole shares by the rebalancing layer")
struct TaxAwarePlannerTests {
    @Test("40 seeded households: the optimized plan passes every audit invariant and reports its gap to the relaxation")
    func invariantsAndGap() throws {
        var rng = Seeded(seed: 15)
        var gaps: [Double] = []
        for n in 0..<40 {
            let c = TaxAwareHouseholds.make(&rng, n)
            let built = try TaxAwareHouseholds.problem(c)
            let result = try TaxAwarePlanner().plan(built, securities: TaxAwareHouseholds.securities, prices: c.prices,
                                                    policy: TaxAwareHouseholds.policy, context: c.context)
            var context = c.context
            context.specificLots = [:]
            checkPlan(c, result.plan, context: context)
            // The gap is the whole-share plan's objective in the model minus the relaxation's.
            let (bought, sold) = built.variables(of: result.plan)
            let recomputed = built.problem.objective(built.problem.parts(sharesBought: bought, sharesSold: sold))
            #expect(abs(recomputed - result.roundedObjective) <= 1e-15 + 1e-12 * abs(recomputed))
            #expect(abs(result.gap - (result.roundedObjective - result.relaxed.objective)) <= 1e-15)
            #expect(result.relaxed.residuals.maximum <= 1e-9)
            #expect(result.explanations.count == result.plan.trades.count)
            // The relaxation is a lower bound on every plan feasible for it.
            #expect(result.roundedObjective >= result.relaxed.objective - 1e-9 || result.relaxed.rounds > 1)
            gaps.append(result.improvementKept)
        }
        gaps.sort()
        print("tax-aware planner: share of the relaxation's improvement kept by the whole-share plan over 40 households: median \(gaps[gaps.count / 2]), worst \(gaps.first!)")
        #expect(gaps[gaps.count / 2] > 0.7, "the whole-share plan should keep most of the relaxation's improvement in the typical household")
    }

    @Test("each trade is explained in the optimizer's terms: tracking error cut and tax")
    func explanations() throws {
        var rng = Seeded(seed: 7)
        let c = TaxAwareHouseholds.make(&rng, 0)
        let built = try TaxAwareHouseholds.problem(c)
        let result = try TaxAwarePlanner().plan(built, securities: TaxAwareHouseholds.securities, prices: c.prices,
                                                policy: TaxAwareHouseholds.policy, context: c.context)
        #expect(!result.explanations.isEmpty)
        for line in result.explanations {
            #expect(line.contains("tracking error"), "\(line)")
            #expect(line.contains("tax"), "\(line)")
        }
        for (line, trade) in zip(result.explanations, result.plan.trades) {
            #expect(line.hasPrefix("\(trade.accountID): \(trade.side == .buy ? "buys" : "sells") \(trade.quantity) \(trade.symbol)"))
        }
        print(result.explanations.prefix(6).joined(separator: "\n"))
    }

    @Test("hostile ids (slash, NFC vs NFD, 300 bytes, leading =, HTML) pass through to the plan unchanged")
    func hostileIDs() throws {
        var rng = Seeded(seed: 99)
        var c = TaxAwareHouseholds.make(&rng, 0)
        // NFC "café" and NFD "café" are one id to the engine ("appears twice"), so one household holds only the NFD form.
        let hostile = ["a/b", "cafe\u{301}", String(repeating: "x", count: 300), "=SUM(A1)", "<b>&</b>"]
        for (i, _) in c.household.accounts.enumerated() { c.household.accounts[i].id = hostile[i % hostile.count] }
        let built = try TaxAwareHouseholds.problem(c)
        let result = try TaxAwarePlanner().plan(built, securities: TaxAwareHouseholds.securities, prices: c.prices,
                                                policy: TaxAwareHouseholds.policy, context: c.context)
        #expect(Set(result.plan.plans.map(\.accountID)).isSubset(of: Set(c.household.accounts.map(\.id))))
        #expect(built.problem.accounts.map(\.id) == c.household.accounts.map(\.id))
        checkPlan(c, result.plan, context: c.context)
    }

    @Test("typed errors name the problem: missing class in the assumptions, bad price, zero impact")
    func typedErrors() throws {
        var rng = Seeded(seed: 3)
        let c = TaxAwareHouseholds.make(&rng, 0)
        let odd = TargetAllocation.assetClasses([.init(assetClass: "crypto", weight: 1, primary: "LC1")])
        #expect(throws: TaxAwareError.self) {
            _ = try TaxAwareHouseholdProblem(household: c.household, target: odd, securities: TaxAwareHouseholds.securities + [.init(symbol: "X", assetClass: "crypto")],
                                             prices: c.prices, policy: TaxAwareHouseholds.policy, assumptions: .illustrative, settings: TaxAwareSettings())
        }
        var built = try TaxAwareHouseholds.problem(c)
        built.problem.impact = 0
        do {
            _ = try TaxAwareOptimizer().optimize(built.problem)
            Issue.record("zero impact accepted")
        } catch {
            #expect("\(error)".contains("impact"))
        }
        built.problem.impact = 0.01
        built.problem.securities[0].price = -1
        do {
            _ = try TaxAwareOptimizer().optimize(built.problem)
            Issue.record("negative price accepted")
        } catch {
            #expect("\(error)".contains(built.problem.securities[0].symbol))
        }
    }

    @Test("the wash-sale window is the engine's, in civil days: a loss sold 30 days ago blocks buys, 31 days ago does not")
    func washSaleWindow() throws {
        var rng = Seeded(seed: 5)
        var c = TaxAwareHouseholds.make(&rng, 0)
        func loss(_ days: Int, _ symbol: String) -> Transaction {
            Transaction(date: c.prices.asOf.addingTimeInterval(-Double(days) * 86_400), accountID: c.household.accounts[0].id,
                        symbol: symbol, side: .sell, quantity: 1, realizedGain: -1)
        }
        func buy(_ days: Int, _ symbol: String) -> Transaction {
            Transaction(date: c.prices.asOf.addingTimeInterval(-Double(days) * 86_400), accountID: c.household.accounts[0].id,
                        symbol: symbol, side: .buy, quantity: 1)
        }
        c.context = PlanContext(recentTransactions: [loss(30, "IN1"), loss(31, "BD1"), loss(-1, "RE1"), buy(0, "EM1"), buy(31, "IN2")])
        let built = try TaxAwareHouseholds.problem(c)
        #expect(built.problem.blockedBuyKeys == ["IN1"])
        #expect(built.problem.blockedLossSaleKeys == ["EM1"])
        // Substantially identical securities share the key: a loss in LC1 blocks LC2.
        c.context = PlanContext(recentTransactions: [loss(3, "LC1")])
        let grouped = try TaxAwareHouseholds.problem(c)
        #expect(grouped.problem.blockedBuyKeys == ["group:sp500"])
        let result = try TaxAwarePlanner().plan(grouped, securities: TaxAwareHouseholds.securities, prices: c.prices,
                                                policy: TaxAwareHouseholds.policy, context: c.context)
        #expect(!result.plan.trades.contains { $0.side == .buy && ($0.symbol == "LC1" || $0.symbol == "LC2") })
    }

    @Test("a sweep over tax weights traces a frontier: tax falls and tracking error rises as the weight grows")
    func sweepIsMonotone() throws {
        var rng = Seeded(seed: 21)
        let c = TaxAwareHouseholds.make(&rng, 0)
        let built = try TaxAwareHouseholds.problem(c)
        let weights = (0..<20).map { pow(10, -3 + 4 * Double($0) / 19) }
        let frontier = try TaxAwareOptimizer().sweep(built.problem, taxWeights: weights)
        for (a, b) in zip(frontier, frontier.dropFirst()) {
            // Parametric programming: as the tax weight grows, the taxed part (tax + drag) falls
            // and the rest (tracking variance + costs) rises.
            let t = built.problem.householdValue
            #expect(b.parts.tax + b.parts.drag <= a.parts.tax + a.parts.drag + 1e-9 * t)
            let lambda = built.problem.trackingWeight
            #expect(lambda * b.parts.trackingVariance + b.parts.cost / t >= lambda * a.parts.trackingVariance + a.parts.cost / t - 1e-12)
        }
        // A warm-started sweep gives the cold answers.
        for (w, s) in zip(weights, frontier).prefix(5) {
            var p = built.problem
            p.taxWeight = w
            let cold = try TaxAwareOptimizer().optimize(p)
            #expect(abs(cold.objective - s.objective) <= 1e-10 * Swift.max(1, abs(cold.objective)))
        }
    }
}
