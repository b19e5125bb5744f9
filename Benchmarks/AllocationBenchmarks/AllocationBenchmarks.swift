import Benchmark
import BenchmarkInputs
import Foundation
import FolioLinearAlgebra
import FolioOptimization

/// Sample covariance (divisor T − 1) of T x N returns, as `numpy.cov(R.T)`.
func sampleCovariance(_ returns: Matrix) -> Matrix {
    let t = returns.rows
    var centered = returns.elements
    centered.withUnsafeMutableBufferPointer { c in
        for j in 0..<returns.columns {
            var mean = 0.0
            for i in 0..<t { mean += c[i + j * t] }
            mean /= Double(t)
            for i in 0..<t { c[i + j * t] -= mean }
        }
    }
    return Matrix(rows: t, columns: returns.columns, columnMajor: centered).gramian(scale: 1 / Double(t - 1))
}

/// Issue 5 workloads on the shared seeded inputs (T = 2520): W6 equal risk contribution to
/// 1e-10 from a covariance, with the library's defaults (as `folio optimize` runs it) and
/// with the Cholesky check on ("checked"); W7 HRP (single linkage) from returns, covariance included;
/// W8 whole-share allocation of $1,000,000.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock], timeUnits: .microseconds, warmupIterations: 2,
        maxDuration: .seconds(2), maxIterations: 1000)
    // One line the comparison scripts record: OpenBLAS's core and thread count.
    print("OpenBLAS core \(BLASConfiguration.coreName), threads \(BLASConfiguration.threadCount)")

    for n in [20, 100, 500, 2000] {
        let returns = BenchmarkInputs.returns(assets: n)
        let covariance = sampleCovariance(returns)
        Benchmark("W6 ERC N=\(n)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try RiskBudgeting(tolerance: 1e-10).allocate(covariance: covariance))
            }
        }
        Benchmark("W6 ERC checked N=\(n)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try RiskBudgeting(tolerance: 1e-10, checksPositiveDefiniteness: true).allocate(covariance: covariance))
            }
        }
        Benchmark("W7 HRP N=\(n)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try HierarchicalRiskParity(linkage: .single).allocate(covariance: sampleCovariance(returns)))
            }
        }
        Benchmark("W7 HRP from covariance N=\(n)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try HierarchicalRiskParity(linkage: .single).allocate(covariance: covariance))
            }
        }
        Benchmark("covariance N=\(n)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(sampleCovariance(returns)) }
        }
        if n <= 100 {
            let weights = try! SimpleAllocator.inverseVariance.allocate(covariance: covariance).weights
            let prices = (0..<n).map { Decimal(2_000 + 37 * $0 % 900) / 10 }
            Benchmark("W8 greedy N=\(n)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try DiscreteAllocation(weights: weights, prices: prices, portfolioValue: 1_000_000).greedy())
                }
            }
            Benchmark("W8 exact N=\(n)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try DiscreteAllocation(weights: weights, prices: prices, portfolioValue: 1_000_000).minimizingDeviation())
                }
            }
        }
    }
}
