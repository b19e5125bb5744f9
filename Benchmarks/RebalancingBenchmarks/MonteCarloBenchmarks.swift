// Monte Carlo goal simulation: 10,000 paths of 360 monthly lognormal steps (30 years) with
// monthly contributions growing 3% a year, on one core. Target: under 100 ms.
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
}
