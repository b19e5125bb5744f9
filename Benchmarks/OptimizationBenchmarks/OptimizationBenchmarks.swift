import Benchmark
import BenchmarkInputs
import FolioLinearAlgebra
import FolioOptimization

/// Annualized sample covariance and arithmetic mean returns (252 periods), the inputs the
/// Python peers receive too (Scripts/compare/mean_variance.py).
func annualizedInputs(_ returns: Matrix) -> (covariance: Matrix, mean: [Double]) {
    let t = returns.rows, n = returns.columns
    var centered = returns.elements
    var mean = [Double](repeating: 0, count: n)
    for j in 0..<n {
        var s = 0.0
        for i in 0..<t { s += centered[i + j * t] }
        let m = s / Double(t)
        mean[j] = m * 252
        for i in 0..<t { centered[i + j * t] -= m }
    }
    let covariance = Matrix(rows: t, columns: n, columnMajor: centered).gramian(scale: 252 / Double(t - 1))
    return (covariance, mean)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock], timeUnits: .microseconds, warmupIterations: 2,
        maxDuration: .seconds(3), maxIterations: 100)

    // One line the comparison script records: OpenBLAS's core and thread count.
    print("OpenBLAS core \(BLASConfiguration.coreName), threads \(BLASConfiguration.threadCount)")
    walkForwardBenchmarks()
    factorBenchmarks()
    for n in [20, 100, 500] {
        let (sigma, mu) = annualizedInputs(BenchmarkInputs.returns(assets: n, days: 2520))
        Benchmark("min variance long-only N=\(n)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try MinimumVariance(covariance: sigma, expectedReturns: mu).solve())
            }
        }
        Benchmark("max Sharpe long-only N=\(n)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try MaximumSharpe(covariance: sigma, expectedReturns: mu).solve())
            }
        }
        Benchmark("frontier 50 points long-only N=\(n)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try EfficientFrontier(covariance: sigma, expectedReturns: mu).points(count: 50))
            }
        }
    }
}
