import Foundation
import Testing
import FolioRebalancing
@testable import FolioTaxAware

/// The hand-over of the relaxation's cash as a per-account reserve, the bounded local search
/// after rounding, and the incremental trade explanations.
@Suite("Tax-aware whole shares: cash hand-over, local search, explanations")
struct TaxAwareRepairTests {
    /// Households of the comparison stream (seed 2026, as `TaxAwareWholeShareTaxTests` and
    /// `TaxAwareComparisonTests` draw them) whose whole-share tax exceeded max($50, 2%) over the
    /// relaxation's before the cash hand-over and the repair: H363 +$161, H530 +$422,
    /// H696 +$546, H989 +$523, H578 +$3,488.
    static let formerFailures = [363, 530, 578, 696, 989]

    static func cases(_ wanted: [Int]) -> [TaxAwareHouseholds.Case] {
        var rng = Seeded(seed: 2026)
        var result: [TaxAwareHouseholds.Case] = []
        for n in 0...wanted.max()! {
            let c = TaxAwareHouseholds.make(&rng, n)   // every household drawn, so the stream stays the same
            if wanted.contains(n) { result.append(c) }
        }
        return result
    }

    @Test("the five former failures: whole-share tax within max($50, 2%) of the relaxation's, every invariant holds, the repair never raises the objective")
    func formerFailuresWithinTolerance() throws {
        for c in Self.cases(Self.formerFailures) {
            let built = try TaxAwareHouseholds.problem(c, settings: TaxAwareSettings(taxWeight: 1, trackingWeight: 10_000))
            let plan = try TaxAwarePlanner().plan(built, securities: TaxAwareHouseholds.securities, prices: c.prices,
                                                  policy: TaxAwareHouseholds.policy, context: c.context)
            let extra = plan.rounded.tax - plan.relaxed.parts.tax
            print("whole-share \(c.household.id): relaxed tax \(Int(plan.relaxed.parts.tax)), whole-share tax \(Int(plan.rounded.tax)) (+\(Int(extra))), objective relaxed \(plan.relaxed.objective), before repair \(plan.objectiveBeforeRepair), after \(plan.roundedObjective) (\(plan.repairMoves) moves)")
            #expect(extra <= Swift.max(50, 0.02 * abs(plan.relaxed.parts.tax)),
                    "\(c.household.id): whole-share tax \(plan.rounded.tax) vs relaxed \(plan.relaxed.parts.tax)")
            var context = c.context
            context.specificLots = [:]
            checkPlan(c, plan.plan, context: context)
            // Recomputed from the plan's trades, not read from the result.
            let (bought, sold) = built.variables(of: plan.plan)
            let objective = built.problem.objective(built.problem.parts(sharesBought: bought, sharesSold: sold))
            #expect(abs(objective - plan.roundedObjective) <= 1e-12 * Swift.max(1, abs(objective)))
            #expect(plan.roundedObjective <= plan.objectiveBeforeRepair)
            #expect(plan.gap >= -1e-9, "the relaxation is a lower bound")
            // Each account keeps at least the policy's reserve (the hand-over raises it, never lowers it).
            for (a, account) in built.problem.accounts.enumerated() {
                guard let p = plan.plan.plans.first(where: { $0.accountID == account.id }) else { continue }
                #expect(NSDecimalNumber(decimal: p.cashAfter).doubleValue >= built.problem.accounts[a].reserve - 0.01, "\(account.id)")
            }
        }
    }

    @Test("the local search only takes improving moves that keep cash, lots and restrictions; its state matches a full evaluation")
    func localSearchKeepsConstraints() throws {
        var rng = Seeded(seed: 31)
        var improved = 0
        for n in 0..<25 {
            let c = TaxAwareHouseholds.make(&rng, n)
            let built = try TaxAwareHouseholds.problem(c)
            let problem = built.problem
            let relaxed = try TaxAwareOptimizer().optimize(problem)
            // Start from the relaxation rounded down to whole shares: a plan with rounding residuals.
            let bought = relaxed.sharesBought.map { $0.map { $0.rounded(.down) } }
            let sold = relaxed.sharesSold.map { $0.rounded(.down) }
            let order = problem.accounts.indices.map { a in problem.lots.indices.filter { problem.lots[$0].account == a } }
            var repair = TaxAwareRepair(problem: relaxed.solvedProblem, minimumTrade: 0, commission: 0, lotOrder: order,
                                        bought: bought, sold: sold)
            let before = problem.objective(problem.parts(sharesBought: bought, sharesSold: sold))
            let cashBefore = repair.cashAfter
            let lines = TaxAwarePlanner.repairLines(problem, relaxed: relaxed, bought: bought, sold: sold)
            repair.run(lines: lines, maximumMoves: 4 * lines.count + 8)
            let parts = problem.parts(sharesBought: repair.bought, sharesSold: repair.sold)
            let after = problem.objective(parts)
            #expect(after <= before + 1e-15, "household \(n)")
            if repair.moves > 0 { improved += 1 }
            #expect(abs(repair.state.variance - parts.trackingVariance) <= 1e-12 * Swift.max(1e-6, parts.trackingVariance))
            #expect(repair.moves <= 4 * lines.count + 8)
            for (i, lot) in problem.lots.enumerated() {
                #expect(repair.sold[i] >= 0 && repair.sold[i] <= lot.shares + 1e-9)
                #expect(repair.sold[i] == repair.sold[i].rounded() || repair.sold[i] == sold[i], "whole shares")
            }
            for (a, account) in problem.accounts.enumerated() {
                // A move never takes cash below the reserve (nor lower when it started below).
                #expect(repair.cashAfter[a] >= Swift.min(account.reserve, cashBefore[a]) - 1e-6, "\(account.id)")
                for s in account.doNotBuy { #expect(repair.bought[a][s] <= bought[a][s]) }
                for s in problem.securities.indices where !problem.securities[s].tradable { #expect(repair.bought[a][s] <= bought[a][s]) }
            }
            // Cash recomputed from the shares: never below the reserve when it started above it.
            for (a, account) in problem.accounts.enumerated() {
                var cash = account.cash + account.flow
                for (s, security) in problem.securities.enumerated() { cash -= repair.bought[a][s] * security.price * (1 + problem.costRate) }
                for (i, lot) in problem.lots.enumerated() where lot.account == a {
                    cash += repair.sold[i] * problem.securities[lot.security].price * (1 - problem.costRate)
                }
                #expect(abs(cash - repair.cashAfter[a]) <= 1e-6 * Swift.max(1, abs(cash)))
            }
        }
        #expect(improved > 0, "rounding down leaves residuals the search should take up")
    }

    @Test("the incremental explanations are the texts of a full re-evaluation per trade")
    func incrementalExplanationsIdentical() throws {
        var rng = Seeded(seed: 15)
        var lines = 0
        for n in 0..<40 {
            let c = TaxAwareHouseholds.make(&rng, n)
            let built = try TaxAwareHouseholds.problem(c)
            let result = try TaxAwarePlanner().plan(built, securities: TaxAwareHouseholds.securities, prices: c.prices,
                                                    policy: TaxAwareHouseholds.policy, context: c.context)
            let (bought, sold) = built.variables(of: result.plan)
            let reference = TaxAwarePlanner.explanationsByReevaluation(result.plan, built: built, bought: bought, sold: sold)
            #expect(result.explanations == reference, "household \(n)")
            lines += reference.count
        }
        #expect(lines > 100)
    }
}
