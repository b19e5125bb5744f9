// GoalPlanning: the goals of the sample household 'couple' (Examples/Data/households/couple/
// goals.yaml) as of 2025-12-31, each simulated along the glide path (10,000 seeded paths,
// monthly steps), the goals together against one pool in priority order, and for the goal
// that falls short, what would take it to the probability asked for: more saving, a later
// date, a smaller target or a riskier model, each found by root finding on the simulated
// probability with the same draws. Then the same plan under fat-tailed (Student-t) returns.
// Capital market assumptions are ILLUSTRATIVE (invented; not a forecast).
//
//     swift run GoalPlanning
import Foundation
import FolioPlanning
import FolioRebalancing

func date(_ y: Int, _ m: Int, _ d: Int) -> Date {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = TimeZone(identifier: "UTC")!
    return cal.date(from: DateComponents(year: y, month: m, day: d))!
}

let asOf = date(2025, 12, 31)
let goals = GoalSet(inflation: 0.025, goals: [
    Goal(name: "Retirement", targetAmount: 1_700_000, amountBasis: .today, targetDate: date(2035, 6, 30), priority: .need,
         setAside: 1_030_000, contributions: PlannedCashFlow(amount: 6_000, frequency: .monthly, annualGrowth: 0.02)),
    Goal(name: "College for two children", targetAmount: 260_000, amountBasis: .nominal, targetDate: date(2029, 8, 15),
         priority: .need, setAside: 210_000, contributions: PlannedCashFlow(amount: 12_000, frequency: .annual)),
    Goal(name: "Lake cabin", targetAmount: 350_000, amountBasis: .today, targetDate: date(2033, 5, 1), priority: .wish,
         setAside: 60_000, contributions: PlannedCashFlow(amount: 2_000, frequency: .quarterly)),
])
let cma = CapitalMarketAssumptions.illustrative
print("Capital market assumptions: \(cma.name)\(cma.isIllustrative ? " -- ILLUSTRATIVE, not a forecast" : "")")

do {
    for model in [GoalReturnModel.lognormal, .studentT(degreesOfFreedom: 5)] {
        let planner = try GoalPlanner(assumptions: cma, models: .standard, category: .moderatelyAggressive,
                                      returnModel: model, paths: 10_000, seed: 2026)
        let outlook = try planner.outlook(goals, asOf: asOf, assets: 1_316_000)
        print("\nReturns \(model.label), model moderately aggressive along the glide path:")
        for (o, together) in zip(outlook.goals, outlook.together) {
            let s = o.simulation
            let p = [0.1, 0.5, 0.9].map { GoalText.money(s.finalBalance(atPercentile: $0) ?? 0) }
            print("  \(o.goalName.padding(toLength: 25, withPad: " ", startingAt: 0)) target \(GoalText.money(s.targetAmount))  "
                + "success \(GoalText.percent(s.probabilityOfSuccess)) (asked \(GoalText.percent(o.requiredProbability)), "
                + "together \(GoalText.percent(together.probabilityOfSuccess)))  p10 \(p[0])  p50 \(p[1])  p90 \(p[2])  \(o.status.rawValue)")
        }
        let retirement = outlook.goals[0].allocation
        print("  Retirement's equity share by year along the glide path: "
            + retirement.map { String(format: "%.0f%%", $0.equityShare * 100) }.joined(separator: " "))
        print("  What would it take:")
        for o in outlook.goals { print("  - \(o.sentence)") }
        for w in outlook.warnings { print("  ! \(w)") }
    }
} catch {
    print("error: \(error)")
    exit(1)
}
