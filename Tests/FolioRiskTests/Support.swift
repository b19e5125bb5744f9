import Foundation
import FolioLinearAlgebra
@testable import FolioRisk
@_exported import FolioTestSupport

/// One golden data set written by `Scripts/golden/risk_models.py`.
struct Golden: @unchecked Sendable {
    let json: [String: Any]
    let name: String

    static func load(_ name: String) throws -> Golden {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/risk_\(name).json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return Golden(json: object as! [String: Any], name: name)
    }

    func has(_ key: String) -> Bool { json[key] != nil }
    func number(_ key: String) -> Double { (json[key] as! NSNumber).doubleValue }
    func vector(_ key: String) -> [Double] { (json[key] as! [NSNumber]).map(\.doubleValue) }
    func strings(_ key: String) -> [String] { json[key] as! [String] }
    func object(_ key: String) -> Golden { Golden(json: json[key] as! [String: Any], name: name) }

    /// A T x N row-major nested array as a Matrix.
    func rows(_ key: String) -> Matrix {
        Matrix(rows: (json[key] as! [[NSNumber]]).map { $0.map(\.doubleValue) })
    }

    /// A symmetric matrix stored as its packed lower triangle.
    func symmetric(_ key: String) -> Matrix {
        let packed = vector(key)
        let n = Int(((8 * Double(packed.count) + 1).squareRoot() - 1) / 2)
        precondition(n * (n + 1) / 2 == packed.count)
        var m = Matrix(rows: n, columns: n)
        var k = 0
        for j in 0..<n {
            for i in j..<n { m[i, j] = packed[k]; m[j, i] = packed[k]; k += 1 }
        }
        return m
    }

    var assets: [String] { strings("assets") }
    var dates: [MarketDate] { strings("dates").map { MarketDate(iso: $0)! } }

    func priceHistory() throws -> PriceHistory {
        try PriceHistory(dates: dates, assets: assets, prices: rows("prices"))
    }

    func returns(periodsPerYear: Double = 252) throws -> ReturnSeries {
        try priceHistory().returns(.simple, periodsPerYear: periodsPerYear)
    }
}

/// max |a − b| / max |b|: error relative to the largest expected element.
func maxRelativeError(_ a: Matrix, _ b: Matrix) -> Double {
    precondition(a.rows == b.rows && a.columns == b.columns, "shape")
    return maxRelativeError(a.elements, b.elements)
}

func maxRelativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "length")
    let scale = max(b.map(abs).max() ?? 0, .leastNormalMagnitude)
    return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}

/// The shared seeded generator (FolioTestSupport), under this target's old name.
typealias SeededGenerator = SplitMix64

func randomReturns(t: Int, n: Int, seed: UInt64) -> Matrix {
    var g = SeededGenerator(seed: seed)
    return Matrix(rows: t, columns: n, columnMajor: (0..<(t * n)).map { _ in Double.random(in: -0.03...0.03, using: &g) })
}
