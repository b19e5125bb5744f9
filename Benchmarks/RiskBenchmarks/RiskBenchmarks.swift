import Benchmark
import BenchmarkInputs
import FolioLinearAlgebra
import FolioRisk

/// Covariance estimators on the shared seeded inputs (T = 2520 days), the same files
/// `Scripts/compare/risk_models.py` times numpy and scikit-learn on. Each estimate is per
/// period (scikit-learn's units), so both sides do the same arithmetic. `dsyrk` on the raw
/// returns is the reference: N²·T flops.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput], timeUnits: .microseconds, warmupIterations: 2,
        maxDuration: .seconds(3), maxIterations: 100)
    // One line the comparison scripts record: OpenBLAS's core and thread count.
    print("OpenBLAS core \(BLASConfiguration.coreName), threads \(BLASConfiguration.threadCount)")

    for n in [100, 500, 2000] {
        let values = BenchmarkInputs.returns(assets: n)
        let returns = try! ReturnSeries(values: values, assets: (0..<n).map { "A\($0)" })

        // One plain `dsyrk` (XᵀX as the outer Gram matrix of Xᵀ, never split into blocks): the
        // reference rate the "80% of dsyrk" means.
        let transposed = values.transposed
        Benchmark("dsyrk N=\(n)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(transposed.outerGramian(scale: 1.0 / 2519)) }
        }
        // Folio's XᵀX kernel: blocked above 1024 columns (dsyrk on the diagonal, dgemm off it).
        Benchmark("gramian N=\(n)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(values.gramian(scale: 1.0 / 2519)) }
        }
        Benchmark("sample covariance N=\(n)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try SampleCovariance(annualization: .perPeriod).estimate(returns))
            }
        }
        Benchmark("Ledoit-Wolf N=\(n)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try LedoitWolfShrinkage(annualization: .perPeriod).estimate(returns))
            }
        }
        Benchmark("OAS N=\(n)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try OracleApproximatingShrinkage(annualization: .perPeriod).estimate(returns))
            }
        }
        if n <= 500 {
            Benchmark("constant correlation N=\(n)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try LedoitWolfShrinkage(target: .constantCorrelation).estimate(returns))
                }
            }
            Benchmark("single index N=\(n)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try LedoitWolfShrinkage(target: .singleIndex).estimate(returns))
                }
            }
            Benchmark("exponential covariance N=\(n)") { benchmark in
                for _ in benchmark.scaledIterations { blackHole(try ExponentiallyWeightedCovariance().estimate(returns)) }
            }
        }
    }
}
