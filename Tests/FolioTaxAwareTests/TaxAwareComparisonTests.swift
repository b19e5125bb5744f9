import Foundation
import Testing
import FolioRebalancing
@testable import FolioTaxAware

/// Rules versus optimized over seeded households: for each, the rules plan (HouseholdPlanner,
/// located target, tax-minimizing lots) and the optimizer at the tax weight whose relaxed
/// optimum realizes no more tax than the rules plan (bisection on the weight), made into whole
/// shares by the same planner. Both plans are scored in the optimizer's model.
///
/// CI runs 40 households; `FOLIO_TAX_COMPARISON_COUNT=1000 swift test --filter
/// TaxAwareComparisonTests` runs the issue's 1,000 (Scripts/compare/tax_aware_rules_vs_optimized.sh).
@Suite("Tax-aware optimizer versus the rules planner")
struct TaxAwareComparisonTests {
    struct Row {
        var household: String
        var rulesTax: Double, rulesTE: Double
        var relaxedTax: Double, relaxedTE: Double
        var optimizedTax: Double, optimizedTE: Double
        var why: String
    }

    @Test("at the rules plan's tax, the optimizer realizes no more tax and no more tracking error (relaxed), and the whole-share plan mostly too")
    func rulesVersusOptimized() throws {
        let count = ProcessInfo.processInfo.environment["FOLIO_TAX_COMPARISON_COUNT"].flatMap(Int.init) ?? 40
        var rng = Seeded(seed: 2026)
        let engine = try Rebalancer(securities: TaxAwareHouseholds.securities, policy: TaxAwareHouseholds.policy)
        let rulesPlanner = HouseholdPlanner(rebalancer: engine)
        var rows: [Row] = []
        var skipped = 0
        var failures: [String] = []
        for n in 0..<count {
            let c = TaxAwareHouseholds.make(&rng, n)
            // Tracking error weighted heavily (λ = 10⁴), as the rules' "to target" mode does.
            let built = try TaxAwareHouseholds.problem(c, settings: TaxAwareSettings(trackingWeight: 10_000))
            let t = built.problem.householdValue
            let rules = try rulesPlanner.plan(c.household, target: .located(c.target), prices: c.prices, context: c.context)
            let (rb, rs) = built.variables(of: rules)
            let rulesParts = built.problem.parts(sharesBought: rb, sharesSold: rs)
            let relaxed: TaxAwareSolution, optimized: TaxAwarePlan
            do {
                guard let (solution, weight) = try TaxAwareOptimizer().matchingTax(built.problem, tax: rulesParts.tax, range: 1e-3...1e3) else {
                    skipped += 1   // not even the largest tax weight gets the tax this low (the rules plan harvests more)
                    continue
                }
                relaxed = solution
                var matched = built
                matched.problem.taxWeight = weight
                optimized = try TaxAwarePlanner().plan(matched, securities: TaxAwareHouseholds.securities, prices: c.prices,
                                                       policy: TaxAwareHouseholds.policy, context: c.context)
            } catch {
                // The QP engine's interior point stalls on a few ill-conditioned instances
                // (see the report); counted and listed, never hidden.
                failures.append("\(c.household.id): \(error)")
                continue
            }
            var context = c.context
            context.specificLots = [:]
            checkPlan(c, optimized.plan, context: context)
            // Relaxed: never worse on both; recomputed from the solution's shares.
            #expect(relaxed.parts.tax <= rulesParts.tax + 1e-6 * t, "\(c.household.id)")
            var why = ""
            if optimized.rounded.tax > rulesParts.tax + 0.01 * Swift.max(1, abs(rulesParts.tax)) {
                why = "rounding: the whole-share plan realizes $\(Int(optimized.rounded.tax - relaxed.parts.tax)) more tax than its relaxation (the engine's whole shares and lot choice)"
            } else if optimized.rounded.trackingError > rulesParts.trackingError + 1e-4 {
                why = relaxed.parts.trackingError > rulesParts.trackingError + 1e-6
                    ? "objective: the optimizer trades tracking error for less location drag/costs (drag $\(Int(relaxed.parts.drag)) vs $\(Int(rulesParts.drag)))"
                    : "rounding: whole shares and leftover cash add tracking error"
            }
            rows.append(Row(household: c.household.id, rulesTax: rulesParts.tax, rulesTE: rulesParts.trackingError,
                            relaxedTax: relaxed.parts.tax, relaxedTE: relaxed.parts.trackingError,
                            optimizedTax: optimized.rounded.tax, optimizedTE: optimized.rounded.trackingError, why: why))
        }
        func quantiles(_ values: [Double]) -> (median: Double, worst: Double) {
            let sorted = values.sorted()
            return (sorted[sorted.count / 2], sorted.first!)
        }
        let relaxedTE = quantiles(rows.map { ($0.rulesTE - $0.relaxedTE) * 100 })
        let relaxedTax = quantiles(rows.map { $0.rulesTax - $0.relaxedTax })
        let wholeTE = quantiles(rows.map { ($0.rulesTE - $0.optimizedTE) * 100 })
        let wholeTax = quantiles(rows.map { $0.rulesTax - $0.optimizedTax })
        let relaxedDominates = rows.filter { $0.relaxedTax <= $0.rulesTax + 1e-6 && $0.relaxedTE <= $0.rulesTE + 1e-9 }.count
        let relaxedStrict = rows.filter { $0.relaxedTax < $0.rulesTax - 1 || $0.relaxedTE < $0.rulesTE - 1e-5 }.count
        let wholeDominates = rows.filter { $0.optimizedTax <= $0.rulesTax + 0.01 * Swift.max(1, abs($0.rulesTax)) && $0.optimizedTE <= $0.rulesTE + 1e-4 }.count
        print("""
        tax-aware comparison over \(rows.count) households (\(skipped) skipped: the rules plan's tax is below any optimum's):
          relaxed optimum at matched tax: no more tax and no more tracking error in \(relaxedDominates)/\(rows.count), strictly better on one in \(relaxedStrict)
            tracking error saved (pts): median \(String(format: "%.3f", relaxedTE.median)), worst \(String(format: "%.3f", relaxedTE.worst)); tax saved ($): median \(String(format: "%.0f", relaxedTax.median)), worst \(String(format: "%.0f", relaxedTax.worst))
          whole-share optimized plan: no more tax (1%) and tracking error (+0.01 pts) in \(wholeDominates)/\(rows.count)
            tracking error saved (pts): median \(String(format: "%.3f", wholeTE.median)), worst \(String(format: "%.3f", wholeTE.worst)); tax saved ($): median \(String(format: "%.0f", wholeTax.median)), worst \(String(format: "%.0f", wholeTax.worst))
        """)
        print("  solver failures: \(failures.count)")
        for failure in failures { print("  solver failure \(failure)") }
        let losses = rows.filter { !$0.why.isEmpty }
        for row in losses.prefix(count > 100 ? 40 : 15) {
            print("  rules win \(row.household): rules tax \(Int(row.rulesTax)) TE \(String(format: "%.3f", row.rulesTE * 100)) vs optimized tax \(Int(row.optimizedTax)) TE \(String(format: "%.3f", row.optimizedTE * 100)) (relaxed tax \(Int(row.relaxedTax)) TE \(String(format: "%.3f", row.relaxedTE * 100))): \(row.why)")
        }
        #expect(rows.count >= count * 3 / 4)
        #expect(failures.count * 100 <= count, "QP engine failures above 1%")
        #expect(wholeDominates * 2 > rows.count, "the whole-share optimized plan should beat or match the rules plan in most households")
        #expect(relaxedStrict * 2 > rows.count)
    }
}
