import Benchmark
import BenchmarkInputs
import FolioLinearAlgebra
import FolioOptimization
import FolioRisk

/// Minimum variance on a 15-factor statistical model of the N = 2,000, T = 2,520 returns that
/// `Scripts/compare/factor_model.py` gives the Python peers too (the same model up to
/// round-off: principal components of the annualized sample covariance).
func factorBenchmarks() {
    let n = 2_000, k = 15
    let returns = BenchmarkInputs.returns(assets: n, days: 2520)
    let series = try! ReturnSeries(values: returns, assets: (0..<n).map { "A\($0)" })
    let model = try! FactorRiskModel.statistical(returns: series, factorCount: k)
    Benchmark("factor min variance N=\(n) K=\(k) long-only") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try FactorMinimumVariance(model: model).solve())
        }
    }
    Benchmark("factor min variance N=\(n) K=\(k) cap 1%") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try FactorMinimumVariance(model: model, maximumWeight: 0.01).solve())
        }
    }
    let sigma = model.covariance
    Benchmark("dense min variance on the factor model N=\(n) long-only") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try MinimumVariance(covariance: sigma).solve())
        }
    }
}
