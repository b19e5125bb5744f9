import Benchmark
import BenchmarkInputs
import FolioLinearAlgebra

/// BLAS/LAPACK kernels at the sizes portfolio work uses. `dsyrk` at n = 500, k = 2520 is the
/// ceiling every covariance estimator is measured against: it needs n²·k flops.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput], timeUnits: .microseconds, warmupIterations: 2,
        maxDuration: .seconds(3), maxIterations: 200)

    for n in [100, 500] {
        var generator = SystemRandomNumberGenerator()
        let a = Matrix(rows: n, columns: n, columnMajor: (0..<(n * n)).map { _ in Double.random(in: -1...1, using: &generator) })
        let spd = a.gramian(scale: 1 / Double(n)) + .identity(n)
        let returns = BenchmarkInputs.returns(assets: n)

        Benchmark("dgemm n=\(n)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(a * a) }
        }
        Benchmark("dsyrk n=\(n) k=2520") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(returns.gramian()) }
        }
        Benchmark("dpotrf n=\(n)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try Cholesky(spd)) }
        }
        Benchmark("dsyevr n=\(n)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try SymmetricEigendecomposition(spd)) }
        }
    }
}
