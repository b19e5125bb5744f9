// Monte Carlo goal simulation: 10,000 paths of 360 monthly lognormal steps (30 years) with
// monthly contributions growing 3% a year, on one core. Target: under 100 ms.
// The goal solver (issue 19): a household of five goals, all short of the probability they ask
// for, 10,000 paths, along the glide path: each goal simulated, what would reach it (saving,
// date, target, model) solved, and the goals together. Target: under 200 ms.
//
//     cd Benchmarks && swift package --disable-sandbox benchmark --target RebalancingBenchmarks --filter MonteCarlo --no-progress
import Benchmark
import Foundation
import FolioPlanning
import FolioRebalancing

/// Registers the Monte Carlo benchmarks; called from the target's `benchmarks` closure.
func monteCarloBenchmarks() {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let asOf = calendar.date(from: DateComponents(year: 2025, month: 12, day: 31))!
    let targetDate = calendar.date(from: DateComponents(year: 2055, month: 12, day: 31))!
    let goal = Goal(
        name: "Retirement", targetAmount: 1_800_000, amountBasis: .today, targetDate: targetDate, priority: .need,
        setAside: 58_000, contributions: PlannedCashFlow(amount: 1_000, frequency: .monthly, annualGrowth: 0.03))
    let schedule = try! goal.schedule(asOf: asOf, inflation: 0.025)
    let model = try! LognormalReturnModel(expectedReturn: 0.075, volatility: 0.12)

    Benchmark(
        "MonteCarlo 10,000 paths x 30 years monthly (goal with contributions)",
        configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], scalingFactor: .one,
                             maxDuration: .seconds(10), maxIterations: 50)
    ) { benchmark in
        precondition(schedule.months == 360)
        benchmark.startMeasurement()
        let result = try MonteCarloSimulation(paths: 10_000, seed: 1).run(schedule, model: model)
        benchmark.stopMeasurement()
        blackHole(result.probabilityOfSuccess)
    }

    let date = { (y: Int, m: Int) in calendar.date(from: DateComponents(year: y, month: m, day: 28))! }
    let household = GoalSet(goals: [
        Goal(name: "Retirement", targetAmount: 2_400_000, targetDate: date(2050, 6), priority: .need, setAside: 600_000,
             contributions: PlannedCashFlow(amount: 3_000, frequency: .monthly, annualGrowth: 0.02)),
        Goal(name: "College", targetAmount: 320_000, amountBasis: .nominal, targetDate: date(2036, 8), priority: .need,
             setAside: 60_000, contributions: PlannedCashFlow(amount: 9_000, frequency: .annual)),
        Goal(name: "Home", targetAmount: 250_000, targetDate: date(2031, 3), priority: .want, setAside: 90_000,
             contributions: PlannedCashFlow(amount: 1_500, frequency: .monthly)),
        Goal(name: "Income", targetAmount: 300_000, targetDate: date(2045, 12), priority: .want, setAside: 500_000,
             withdrawals: PlannedCashFlow(amount: 2_500, frequency: .monthly, annualGrowth: 0.025)),
        Goal(name: "Cabin", targetAmount: 400_000, targetDate: date(2040, 5), priority: .wish, setAside: 40_000,
             contributions: PlannedCashFlow(amount: 6_000, frequency: .quarterly)),
    ])
    let planner = try! GoalPlanner(assumptions: .illustrative, models: .standard, category: .moderate, paths: 10_000, seed: 7)
    let outlook = try! planner.outlook(household, asOf: asOf)
    precondition(outlook.goals.allSatisfy { $0.status == .short }, "every goal of the benchmark household must be short")

    Benchmark(
        "GoalSolver household of 5 short goals x 10,000 paths (outlook + what would it take)",
        configuration: .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident], scalingFactor: .one,
                             maxDuration: .seconds(10), maxIterations: 30)
    ) { benchmark in
        benchmark.startMeasurement()
        let result = try planner.outlook(household, asOf: asOf)
        benchmark.stopMeasurement()
        blackHole(result.goals.count)
    }
}
