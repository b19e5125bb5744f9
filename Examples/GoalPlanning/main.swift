// GoalPlanning: two goals, their required returns, and their probability of success under
// three model portfolios (10,000 seeded Monte Carlo paths each, monthly steps).
//
// The goals are two of the sample household 'retiree' (Examples/Data/households/retiree/
// goals.yaml): retirement income (monthly withdrawals growing with inflation, with money left
// at the end) and a gift to grandchildren, as of 2025-12-31. Capital market assumptions are
// ILLUSTRATIVE (invented; not a forecast).
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
func pct(_ x: Double) -> String { String(format: "%5.1f%%", x * 100) }
func money(_ x: Double) -> String {
    let f = NumberFormatter()
    f.numberStyle = .decimal
    f.maximumFractionDigits = 0
    return "$" + f.string(from: NSNumber(value: x))!
}

let asOf = date(2025, 12, 31)
let goals = GoalSet(inflation: 0.025, goals: [
    Goal(name: "Retirement income", targetAmount: 500_000, amountBasis: .today, targetDate: date(2045, 12, 31), priority: .need,
         setAside: 1_100_000, withdrawals: PlannedCashFlow(amount: 4_000, frequency: .monthly, annualGrowth: 0.025)),
    Goal(name: "Gift to grandchildren", targetAmount: 100_000, amountBasis: .nominal, targetDate: date(2032, 6, 30),
         priority: .want, setAside: 60_000),
])
let models = ModelPortfolios.standard
let cma = CapitalMarketAssumptions.illustrative
let suitability = Suitability()
print("Capital market assumptions: \(cma.name)\(cma.isIllustrative ? " -- ILLUSTRATIVE, not a forecast" : "")")

do {
    for goal in goals.goals {
        let s = try goal.schedule(asOf: asOf, inflation: goals.inflation)
        let r = s.requiredAnnualReturn()
        let required = r.annualReturn.map { pct($0) } ?? r.status.rawValue
        print("\n\(goal.name) (\(goal.priority.rawValue)): \(money(s.targetAmount)) nominal in \(s.months) months; "
            + "set aside \(money(s.initialBalance)); required annual return \(required)")
    }
    for category in [RiskCategory.moderatelyConservative, .moderate, .moderatelyAggressive] {
        let stats = try cma.statistics(of: models.models[category]!)
        let model = try LognormalReturnModel(stats)
        print("\nModel \(category.displayName): expected return \(pct(stats.expectedReturn)), volatility \(pct(stats.volatility))")
        let results = try goals.analyze(asOf: asOf, model: model, simulation: MonteCarloSimulation(paths: 10_000, seed: 2026))
        for a in results {
            let p = a.simulation.percentiles.map { money($0.finalBalance) }
            print("  \(a.schedule.goalName.padding(toLength: 22, withPad: " ", startingAt: 0)) success \(pct(a.simulation.probabilityOfSuccess)) "
                + "(±\(String(format: "%.1f", a.simulation.standardError * 100)) pts)  final balance p10 \(p[0])  p50 \(p[1])  p90 \(p[2])")
        }
        for w in suitability.check(goals: results) { print("  ! \(w.message)") }
    }
} catch {
    print("error: \(error)")
    exit(1)
}
