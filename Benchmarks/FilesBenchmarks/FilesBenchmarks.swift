import Benchmark
import BenchmarkInputs
import Foundation
import FolioFiles

/// A seeded CSV that `Scripts/compare/inputs.py` writes (running it when the file is missing),
/// so that this benchmark and `Scripts/compare/readers.py`'s pandas read the same bytes.
func inputFile(_ name: String, arguments: [String]) -> URL {
    let url = BenchmarkInputs.directory.appendingPathComponent(name)
    if !FileManager.default.fileExists(atPath: url.path) {
        let script = BenchmarkInputs.directory.deletingLastPathComponent().appendingPathComponent("Scripts/compare/inputs.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--dir", BenchmarkInputs.directory.path] + arguments
        try? process.run()
        process.waitUntilExit()
    }
    guard FileManager.default.fileExists(atPath: url.path) else {
        fatalError("Benchmark input \(url.path) is missing; run Scripts/compare/inputs.py")
    }
    return url
}

/// The file readers on the seeded CSVs of `Scripts/compare/inputs.py`: a wide prices file of
/// 500 assets x 2,521 dates (about 13 MB, 1.26 million prices) and a custodian-style holdings
/// file of 2,000 accounts x 20 positions x 3 lots (120,000 rows, about 7 MB). Each reads the
/// file from disk, as `folio` does.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds, warmupIterations: 1,
        maxDuration: .seconds(3), maxIterations: 50)

    let prices = inputFile("prices_N500_T2520.csv", arguments: ["--prices-csv", "--sizes", "500", "--days", "2520"])
    let holdings = inputFile("holdings_A2000_P20_L3.csv", arguments: ["--holdings-csv", "2000"])

    Benchmark("prices reader N=500 T=2520") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try PricesReader.read(contentsOf: prices)) }
    }
    Benchmark("holdings reader 2000x20x3") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try HoldingsReader.read(contentsOf: holdings)) }
    }
}
