import Benchmark
import Foundation
import FolioOptimization
import FolioTaxAware

/// The benchmark household (3 accounts x 50 securities x 5 lots) that
/// Scripts/compare/tax_aware.py writes and solves with cvxpy + Clarabel.
struct BenchmarkHousehold: Decodable {
    var problem: TaxAwareProblem
    var optimalObjective: Double
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock], timeUnits: .microseconds, warmupIterations: 1,
        maxDuration: .seconds(10), maxIterations: 7)
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("household_3x50x5.json")
    guard let data = try? Data(contentsOf: url),
          let household = try? JSONDecoder().decode(BenchmarkHousehold.self, from: data) else {
        fatalError("run Scripts/compare/tax_aware.py first: it writes \(url.path)")
    }
    let problem = household.problem
    let optimizer = TaxAwareOptimizer()
    // One line for the comparison table: Folio's objective against Clarabel's (the same
    // relaxation: no wash-sale rounds).
    if let check = try? optimizer.solveRelaxation(problem) {
        print("TaxAware 3x50x5: objective \(check.objective) vs Clarabel \(household.optimalObjective), KKT \(check.residuals.maximum), \(check.iterations) iterations")
    }
    // The relaxation Clarabel solves (Scripts/compare/tax_aware.py), cold.
    Benchmark("TaxAware one household 3x50x5") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try optimizer.solveRelaxation(problem)) }
    }
    // The same 20 tax weights as the script, each solve warm-started from the previous one.
    let weights = (0..<20).map { pow(10, -2 + 4 * Double($0) / 19) }
    Benchmark("TaxAware 20-point tax sweep 3x50x5 (warm starts)") { benchmark in
        for _ in benchmark.scaledIterations {
            var start: QPActiveSet?
            for weight in weights {
                var p = problem
                p.taxWeight = weight
                let solution = try optimizer.solveRelaxation(p, warmStart: start)
                start = solution.activeSet
                blackHole(solution)
            }
        }
    }
    bookBenchmarks()
}
