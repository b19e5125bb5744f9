// swift-tools-version: 6.1
//
// Folio's fuzz targets (libFuzzer). A separate package so that `swift build` / `swift test` of
// the root package never builds them: a libFuzzer target links only with `-sanitize=fuzzer`.
//
// Build and run one (see Documentation/Reliability.md and Scripts/fuzz.sh):
//   swift build -c release --product HoldingsCSVFuzz --scratch-path .build-fuzz \
//     --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
//   .build-fuzz/release/HoldingsCSVFuzz -max_total_time=60 Corpus/HoldingsCSVFuzz
import PackageDescription

let readerTargets = ["HoldingsCSVFuzz", "HoldingsJSONFuzz", "PricesFuzz", "TargetsFuzz", "PolicyFuzz", "SecuritiesFuzz"]

let package = Package(
    name: "FolioFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Folio", path: ".."),
    ],
    targets: readerTargets.map { name in
        .executableTarget(
            name: name,
            dependencies: [.product(name: "FolioFiles", package: "Folio")],
            path: "Sources/\(name)")
    } + [
        .executableTarget(
            name: "RebalanceFuzz",
            dependencies: [.product(name: "FolioRebalancing", package: "Folio"), "FuzzChoices"],
            path: "Sources/RebalanceFuzz"),
        .executableTarget(
            name: "BatchFolderFuzz",
            dependencies: [.product(name: "Folio", package: "Folio"), "FuzzChoices"],
            path: "Sources/BatchFolderFuzz"),
        // The fuzz bytes as a stream of choices, for the structure-aware targets.
        .target(name: "FuzzChoices", path: "Sources/FuzzChoices"),
    ],
    swiftLanguageModes: [.v6]
)
