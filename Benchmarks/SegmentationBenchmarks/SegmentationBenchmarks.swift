import Benchmark
import BenchmarkInputs
import FolioLinearAlgebra
import FolioPlanning

/// Book segmentation on the inputs `Scripts/compare/segmentation.py` writes and times
/// scikit-learn on: 100,000 clients x 20 standardised features, 8 groups.
/// - k-means (Lloyd) from the same 8 starting centres, tolerance 1e-4 (scikit-learn's `tol`),
///   at most 300 iterations: `KMeans(init=centres, n_init=1)`;
/// - k-means with its own k-means++ start (one start): `KMeans(n_init=1)`;
/// - a Gaussian mixture, full covariances, 20 EM iterations (tolerance 0) from the same initial
///   parameters: `GaussianMixture(max_iter=20, tol=0, weights_init=, means_init=, precisions_init=)`.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput], timeUnits: .milliseconds, warmupIterations: 1,
        maxDuration: .seconds(5), maxIterations: 20)

    let n = 100_000, d = 20, k = 8
    let data = ClientFeatures(clientCount: n, featureCount: d,
                              rowMajor: BenchmarkInputs.segmentationValues("clients_N\(n)_D\(d).f64", count: n * d))
    let centres = BenchmarkInputs.segmentationValues("centres_K\(k)_D\(d).f64", count: k * d)
    let starts = (0..<k).map { Array(centres[($0 * d)..<(($0 + 1) * d)]) }
    let weights = BenchmarkInputs.segmentationValues("gmm_weights_K\(k).f64", count: k)
    let means = BenchmarkInputs.segmentationValues("gmm_means_K\(k)_D\(d).f64", count: k * d)
    let covariances = BenchmarkInputs.segmentationValues("gmm_covariances_K\(k)_D\(d).f64", count: k * d * d)
    let initial = GaussianMixtureParameters(
        weights: weights, means: (0..<k).map { Array(means[($0 * d)..<(($0 + 1) * d)]) },
        covariances: (0..<k).map { Matrix(rows: d, columns: d, columnMajor: Array(covariances[($0 * d * d)..<(($0 + 1) * d * d)])) })

    Benchmark("k-means Lloyd from given centres n=\(n) d=\(d) k=\(k)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try KMeans(clusterCount: k).fit(data, initialCentres: starts))
        }
    }
    Benchmark("k-means++ one start n=\(n) d=\(d) k=\(k)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try KMeans(clusterCount: k, restarts: 1, seed: 3).fit(data))
        }
    }
    Benchmark("Gaussian mixture 20 EM iterations n=\(n) d=\(d) k=\(k)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try GaussianMixture(componentCount: k, maximumIterations: 20, tolerance: 0).fit(data, initial: initial))
        }
    }
}
