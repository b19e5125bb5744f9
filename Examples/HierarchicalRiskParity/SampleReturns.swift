import Foundation
import FolioLinearAlgebra

/// Daily returns for the examples: `Examples/Data/prices.csv` (date column, then one
/// column of closing prices per ticker) when it exists, else a seeded synthetic universe.
enum SampleReturns {
    static func load() -> (tickers: [String], returns: Matrix) {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Data/prices.csv")
        if let text = try? String(contentsOf: url, encoding: .utf8), let parsed = parse(text) { return parsed }
        return synthetic()
    }

    static func parse(_ text: String) -> (tickers: [String], returns: Matrix)? {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard lines.count > 30 else { return nil }
        let header = lines[0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let tickers = Array(header.dropFirst())
        var prices: [[Double]] = []
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).dropFirst().map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard cells.count == tickers.count, cells.allSatisfy({ ($0 ?? 0) > 0 }) else { continue }
            prices.append(cells.map { $0! })
        }
        guard prices.count > 30, !tickers.isEmpty else { return nil }
        var returns = Matrix(rows: prices.count - 1, columns: tickers.count)
        for t in 1..<prices.count {
            for j in 0..<tickers.count { returns[t - 1, j] = prices[t][j] / prices[t - 1][j] - 1 }
        }
        return (tickers, returns)
    }

    /// Twelve assets in three sectors plus bonds and gold, 1,000 days, seeded.
    static func synthetic() -> (tickers: [String], returns: Matrix) {
        let tickers = ["TECH1", "TECH2", "TECH3", "TECH4", "BANK1", "BANK2", "BANK3", "ENGY1", "ENGY2", "BOND1", "BOND2", "GOLD"]
        let sector = [0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4]
        let beta = [1.3, 1.2, 1.1, 1.4, 1.0, 1.1, 0.9, 0.8, 0.9, -0.1, 0.0, 0.1]
        var state: UInt64 = 20_261_129
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) + 0.5) / 9_007_199_254_740_992
        }
        func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
        let days = 1000
        var returns = Matrix(rows: days, columns: tickers.count)
        for t in 0..<days {
            let market = 0.01 * normal()
            let factors = (0..<5).map { _ in 0.006 * normal() }
            for j in 0..<tickers.count {
                returns[t, j] = 0.0003 + beta[j] * market + factors[sector[j]] + (sector[j] == 3 ? 0.002 : 0.012) * normal()
            }
        }
        return (tickers, returns)
    }

    /// Sample covariance of daily returns times 252.
    static func annualizedCovariance(_ returns: Matrix) -> Matrix {
        let t = returns.rows
        var centered = returns.elements
        for j in 0..<returns.columns {
            var mean = 0.0
            for i in 0..<t { mean += centered[i + j * t] }
            mean /= Double(t)
            for i in 0..<t { centered[i + j * t] -= mean }
        }
        return Matrix(rows: t, columns: returns.columns, columnMajor: centered).gramian(scale: 252 / Double(t - 1))
    }
}
