// swift-tools-version: 6.1
//
// Folio: portfolio construction and rebalancing in Swift.
// Layers (see Documentation/Architecture.md): CFolioLAPACK -> FolioLinearAlgebra -> FolioRisk
// -> FolioOptimization; FolioRebalancing is pure Swift; FolioPlanning (client profiles, goals,
// capital-market assumptions, models, glide paths, segmentation) sits above it and uses
// FolioLinearAlgebra; FolioTaxAware joins the optimizer and the rebalancing layer (the
// optimizer decides, the rebalancing layer makes the trades); FolioFiles and FolioReports sit
// on top; Folio is the umbrella; FolioCLI is the `folio` executable.
import PackageDescription
import class Foundation.ProcessInfo

let package = Package(
    name: "Folio",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Folio", targets: ["Folio"]),
        .library(name: "FolioLinearAlgebra", targets: ["FolioLinearAlgebra"]),
        .library(name: "FolioRisk", targets: ["FolioRisk"]),
        .library(name: "FolioOptimization", targets: ["FolioOptimization"]),
        .library(name: "FolioRebalancing", targets: ["FolioRebalancing"]),
        .library(name: "FolioFiles", targets: ["FolioFiles"]),
        .library(name: "FolioReports", targets: ["FolioReports"]),
        .library(name: "FolioTaxAware", targets: ["FolioTaxAware"]),
        .library(name: "FolioPlanning", targets: ["FolioPlanning"]),
        .executable(name: "folio", targets: ["FolioCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
    ],
    targets: [
        // BLAS/LAPACK from OpenBLAS. Imported only by FolioLinearAlgebra.
        .systemLibrary(
            name: "CFolioLAPACK",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapack-dev", "libblas-dev", "liblapacke-dev"])]),
        .target(name: "FolioLinearAlgebra", dependencies: ["CFolioLAPACK"]),
        .target(name: "FolioRisk", dependencies: ["FolioLinearAlgebra"]),
        .target(name: "FolioOptimization", dependencies: ["FolioLinearAlgebra", "FolioRisk"]),
        .target(name: "FolioRebalancing"),
        // Tax-aware rebalancing as one convex program: the only module joining the QP engine
        // and the rebalancing layer (FolioRebalancing stays pure Swift).
        .target(name: "FolioTaxAware", dependencies: ["FolioLinearAlgebra", "FolioRisk", "FolioOptimization", "FolioRebalancing", "FolioPlanning"]),
        // Client planning above rebalancing: segmentation of a book (k-means, Gaussian
        // mixtures) on FolioLinearAlgebra; hands rebalancing a TargetAllocation.
        .target(name: "FolioPlanning", dependencies: ["FolioLinearAlgebra", "FolioRebalancing"]),
        .target(name: "FolioFiles", dependencies: [
            "FolioOptimization", "FolioPlanning",
            "FolioRebalancing", "FolioRisk",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "FolioReports", dependencies: [
            "FolioRebalancing", "FolioPlanning", "FolioRisk", "FolioOptimization",
            .product(name: "Plot", package: "Plot"),
        ]),
        .target(name: "Folio", dependencies: [
            "FolioLinearAlgebra", "FolioRisk", "FolioOptimization", "FolioRebalancing", "FolioFiles", "FolioReports",
            "FolioTaxAware", "FolioPlanning",
        ]),
        .executableTarget(name: "FolioCLI", dependencies: [
            "Folio", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Shared by the test targets only: the seeded generator, approximate equality, the
        // golden-fixture loader. Not a product.
        .target(name: "FolioTestSupport"),
        .testTarget(name: "FolioLinearAlgebraTests", dependencies: ["FolioLinearAlgebra", "FolioTestSupport"]),
        .testTarget(name: "FolioRiskTests", dependencies: ["FolioRisk", "FolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FolioOptimizationTests", dependencies: ["FolioOptimization", "FolioRisk", "FolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FolioRebalancingTests", dependencies: ["FolioRebalancing", "FolioTestSupport"]),
        .testTarget(name: "FolioFilesTests", dependencies: ["FolioFiles", "FolioPlanning", "FolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FolioTaxAwareTests", dependencies: ["FolioTaxAware", "FolioRebalancing", "FolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FolioPlanningTests", dependencies: ["FolioPlanning", "FolioRebalancing", "FolioTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FolioCLITests", dependencies: ["Folio", "FolioCLI", "FolioTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// Runnable examples: one executable per capability, each on the bundled data in Examples/Data.
let examples: [(name: String, dependencies: [Target.Dependency])] = [
    ("ClientRiskProfile", ["FolioRebalancing", "FolioPlanning"]),
    ("GoalPlanning", ["FolioRebalancing", "FolioPlanning"]),
    ("RebalanceAccount", ["FolioRebalancing"]),
    ("RebalanceHousehold", ["Folio"]),
    ("PolicyBacktest", ["Folio"]),
    ("TaxAwareRebalance", ["Folio"]),
    ("MeanVariance", ["FolioOptimization", "FolioRisk"]),
    ("WalkForward", ["FolioOptimization", "FolioRisk", "FolioLinearAlgebra", "FolioFiles", "FolioReports"]),
    ("RiskParity", ["FolioOptimization", "FolioLinearAlgebra", "FolioFiles", "FolioRisk"]),
    ("HierarchicalRiskParity", ["FolioOptimization", "FolioLinearAlgebra", "FolioFiles", "FolioRisk"]),
    ("DiscreteAllocation", ["FolioOptimization"]),
    ("CovarianceEstimation", ["FolioRisk"]),
    ("Tour", ["Folio"]),
    ("BlackLitterman", ["FolioRisk", "FolioFiles", "FolioLinearAlgebra"]),
    ("SegmentBook", ["FolioPlanning", "FolioFiles", "FolioReports"]),
]
for example in examples {
    package.targets.append(.executableTarget(
        name: example.name, dependencies: example.dependencies, path: "Examples/\(example.name)"))
}
// The example tests run every example, so each is a dependency (built before the tests run).
package.targets.append(.testTarget(
    name: "FolioExampleTests", dependencies: examples.map { .target(name: $0.name) }))

// DocC only on demand, so that users of the package never resolve the plugin.
if ProcessInfo.processInfo.environment["SWIFT_DOCC"] != nil {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"))
}
