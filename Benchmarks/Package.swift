// swift-tools-version: 6.1
//
// Folio's benchmarks, a package of their own so that users of Folio never resolve the
// benchmark dependencies. Run from this folder:
//     swift package --disable-sandbox benchmark
import PackageDescription

let package = Package(
    name: "FolioBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Folio", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchmarkInputs",
            dependencies: [.product(name: "FolioLinearAlgebra", package: "Folio")],
            path: "BenchmarkInputs"),
        .executableTarget(
            name: "LinearAlgebraBenchmarks",
            dependencies: ["BenchmarkInputs", .product(name: "FolioLinearAlgebra", package: "Folio"),
                           .product(name: "Benchmark", package: "benchmark")],
            path: "LinearAlgebraBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "RiskBenchmarks",
            dependencies: ["BenchmarkInputs", .product(name: "FolioRisk", package: "Folio"),
                           .product(name: "FolioLinearAlgebra", package: "Folio"),
                           .product(name: "Benchmark", package: "benchmark")],
            path: "RiskBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "OptimizationBenchmarks",
            dependencies: ["BenchmarkInputs", .product(name: "FolioOptimization", package: "Folio"),
                           .product(name: "FolioRisk", package: "Folio"),
                           .product(name: "FolioLinearAlgebra", package: "Folio"),
                           .product(name: "Benchmark", package: "benchmark")],
            path: "OptimizationBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "AllocationBenchmarks",
            dependencies: ["BenchmarkInputs", .product(name: "FolioOptimization", package: "Folio"),
                           .product(name: "FolioRisk", package: "Folio"),
                           .product(name: "FolioLinearAlgebra", package: "Folio"),
                           .product(name: "Benchmark", package: "benchmark")],
            path: "AllocationBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "FilesBenchmarks",
            dependencies: ["BenchmarkInputs", .product(name: "FolioFiles", package: "Folio"),
                           .product(name: "Benchmark", package: "benchmark")],
            path: "FilesBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "RebalancingBenchmarks",
            dependencies: ["BenchmarkInputs", .product(name: "FolioRebalancing", package: "Folio"), .product(name: "FolioPlanning", package: "Folio"),
                           .product(name: "Benchmark", package: "benchmark")],
            path: "RebalancingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "BatchBenchmarks",
            dependencies: ["BenchmarkInputs", .product(name: "Folio", package: "Folio"), .product(name: "Benchmark", package: "benchmark")],
            path: "BatchBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "TaxAwareBenchmarks",
            dependencies: ["BenchmarkInputs", .product(name: "FolioTaxAware", package: "Folio"), .product(name: "FolioOptimization", package: "Folio"),
                           .product(name: "Benchmark", package: "benchmark")],
            path: "TaxAwareBenchmarks",
            exclude: ["household_3x50x5.json"],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "SegmentationBenchmarks",
            dependencies: ["BenchmarkInputs", .product(name: "FolioPlanning", package: "Folio"),
                           .product(name: "FolioLinearAlgebra", package: "Folio"),
                           .product(name: "Benchmark", package: "benchmark")],
            path: "SegmentationBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
