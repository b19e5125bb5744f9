import Foundation
import FolioLinearAlgebra

/// The seeded return matrices that `Scripts/compare/inputs.py` writes and the Python peers
/// read too, so both sides time the same numbers.
public enum BenchmarkInputs {
    /// The folder holding `returns_N{N}_T{T}.f64`: `$FOLIO_BENCH_INPUTS`, else
    /// `.build-bench-inputs` at the repository root.
    public static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["FOLIO_BENCH_INPUTS"] {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build-bench-inputs")
    }

    /// Daily returns, `days` x `assets`, as written by `Scripts/compare/inputs.py`
    /// (row-major little-endian float64 on disk; returned as a column-major `Matrix`).
    /// Runs the script when the file is missing.
    public static func returns(assets: Int, days: Int = 2520) -> Matrix {
        let url = directory.appendingPathComponent("returns_N\(assets)_T\(days).f64")
        if !FileManager.default.fileExists(atPath: url.path) {
            let script = directory.deletingLastPathComponent().appendingPathComponent("Scripts/compare/inputs.py")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path, "--dir", directory.path, "--sizes", "\(assets)", "--days", "\(days)"]
            try? process.run()
            process.waitUntilExit()
        }
        guard let data = try? Data(contentsOf: url), data.count == assets * days * 8 else {
            fatalError("Benchmark input \(url.path) is missing or has the wrong size; run Scripts/compare/inputs.py")
        }
        let rowMajor: [Double] = data.withUnsafeBytes { raw in
            (0..<(assets * days)).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
        return Matrix(rows: assets, columns: days, columnMajor: rowMajor).transposed
    }
}

extension BenchmarkInputs {
    /// `count` little-endian float64 values from `directory/name`, written by
    /// `Scripts/compare/segmentation.py --write-inputs` (run when the file is missing).
    public static func segmentationValues(_ name: String, count: Int) -> [Double] {
        let url = directory.appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: url.path) {
            let script = directory.deletingLastPathComponent().appendingPathComponent("Scripts/compare/segmentation.py")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path, "--write-inputs", "--dir", directory.path]
            try? process.run()
            process.waitUntilExit()
        }
        guard let data = try? Data(contentsOf: url), data.count == count * 8 else {
            fatalError("Benchmark input \(url.path) is missing or has the wrong size; run Scripts/compare/segmentation.py --write-inputs")
        }
        return data.withUnsafeBytes { raw in
            (0..<count).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
    }
}
