import Benchmark
import BenchmarkInputs
import FolioLinearAlgebra
import FolioOptimization
import FolioRisk

/// Walk-forward minimum variance over ten years of daily returns (T = 2520), train 504 and
/// test 63 observations (32 windows): one sample covariance and one long-only minimum-variance
/// solve per window, warm-started from the previous window, then the out-of-sample returns.
/// Scripts/compare/walk_forward.py times skfolio's `cross_val_predict` on the same file.
func walkForwardBenchmarks() {
    for n in [20, 100, 500] {
        let values = BenchmarkInputs.returns(assets: n, days: 2520)
        let series = try! ReturnSeries(values: values, assets: (0..<n).map { "A\($0)" })
        let backtest = try! OutOfSampleBacktest(returns: series)
        let configuration = PortfolioConfiguration(name: "min variance", objective: .minimumVariance)
        Benchmark("walk-forward min variance N=\(n) T=2520 train 504 test 63") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try backtest.walkForward(configuration, scheme: WalkForward(train: 504, test: 63)))
            }
        }
    }
}
