// CovarianceEstimation: every FolioRisk covariance estimator on the same prices, side by side.
//
//     swift run CovarianceEstimation [prices.csv]
//
// Reads a wide CSV of closing prices (first column an ISO date, then one column per asset;
// an empty cell or NaN is a missing price) or a long one (date,symbol,price). Without an
// argument it uses Examples/Data/prices.csv when present, else a seeded synthetic market.
// FolioRisk itself never reads files; this example does the minimal CSV reading.
import Foundation
import FolioLinearAlgebra
import FolioRisk

func loadCSV(_ url: URL) throws -> PriceHistory {
    let text = try String(contentsOf: url, encoding: .utf8)
    let lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
    guard let header = lines.first, header.count >= 2 else { throw CocoaError(.fileReadCorruptFile) }
    func value(_ s: String) -> Double { s.isEmpty ? .nan : Double(s) ?? .nan }
    let lower = header.map { $0.lowercased() }
    if header.count == 3, ["symbol", "ticker", "asset"].contains(lower[1]) {
        // Long format: pivot to dates x assets.
        var assets: [String] = [], dates: [MarketDate] = [], cells: [MarketDate: [String: Double]] = [:]
        for row in lines.dropFirst() where row.count == 3 {
            guard let d = MarketDate(iso: row[0]) else { continue }
            if cells[d] == nil { dates.append(d); cells[d] = [:] }
            if !assets.contains(row[1]) { assets.append(row[1]) }
            cells[d]![row[1]] = value(row[2])
        }
        dates.sort()
        let m = Matrix(rows: dates.map { d in assets.map { cells[d]![$0] ?? .nan } })
        return try PriceHistory(dates: dates, assets: assets, prices: m)
    }
    var dates: [MarketDate] = [], rows: [[Double]] = []
    for row in lines.dropFirst() where row.count == header.count {
        guard let d = MarketDate(iso: row[0]) else { continue }
        dates.append(d)
        rows.append(row.dropFirst().map(value))
    }
    return try PriceHistory(dates: dates, assets: Array(header.dropFirst()), prices: Matrix(rows: rows))
}

/// A seeded market: one factor, three sectors, 24 assets, three years of business days.
func syntheticPrices() throws -> PriceHistory {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
    var g = SplitMix(state: 2026)
    func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &g), v = Double.random(in: 0..<1, using: &g)
        return (-2 * Foundation.log(u)).squareRoot() * cos(2 * .pi * v)
    }
    let n = 24, t = 757
    let beta = (0..<n).map { _ in Double.random(in: 0.6...1.4, using: &g) }
    let idio = (0..<n).map { _ in Double.random(in: 0.12...0.35, using: &g) / 252.0.squareRoot() }
    var price = [Double](repeating: 100, count: n)
    var rows: [[Double]] = [price]
    for _ in 1..<t {
        let market = normal() * 0.16 / 252.0.squareRoot() + 0.0003
        let sectors = (0..<3).map { _ in normal() * 0.08 / 252.0.squareRoot() }
        for j in 0..<n { price[j] *= 1 + beta[j] * market + sectors[j % 3] + idio[j] * normal() }
        rows.append(price)
    }
    var dates: [MarketDate] = []
    var day = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: 2022, month: 1, day: 3).date!
    while dates.count < t {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: day)
        if c.weekday != 1 && c.weekday != 7 { dates.append(MarketDate(year: c.year!, month: c.month!, day: c.day!)!) }
        day += 86_400
    }
    return try PriceHistory(dates: dates, assets: (0..<n).map { String(format: "SYN%02d", $0) }, prices: Matrix(rows: rows))
}

let bundled = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data/prices.csv")
let source: String
let history: PriceHistory
do {
    if CommandLine.arguments.count > 1 {
        source = CommandLine.arguments[1]
        history = try loadCSV(URL(fileURLWithPath: source))
    } else if FileManager.default.fileExists(atPath: bundled.path) {
        source = "Examples/Data/prices.csv"
        history = try loadCSV(bundled)
    } else {
        source = "seeded synthetic prices (Examples/Data/prices.csv not found)"
        history = try syntheticPrices()
    }
} catch {
    print("error: \(error)")
    exit(1)
}

do {
    let returns = try history.returns(.simple, missingData: .dropIncompleteRows)
    let n = returns.assetCount
    print("Prices: \(source)")
    print("\(n) assets, \(returns.observations) daily returns \(returns.dates!.first!) ... \(returns.dates!.last!)" +
          (returns.droppedDates.isEmpty ? "" : ", \(returns.droppedDates.count) incomplete dates dropped"))
    print("All matrices annualized (x\(Int(returns.periodsPerYear))).\n")
    let estimators: [(String, any CovarianceEstimator)] = [
        ("Sample (unbiased)", SampleCovariance()),
        ("Exponential, span 180", ExponentiallyWeightedCovariance()),
        ("Exponential, RiskMetrics 0.94", ExponentiallyWeightedCovariance(decay: .lambda(0.94), demean: false)),
        ("Semicovariance", Semicovariance()),
        ("Ledoit-Wolf, scaled identity", LedoitWolfShrinkage()),
        ("Ledoit-Wolf, constant correlation", LedoitWolfShrinkage(target: .constantCorrelation)),
        ("Ledoit-Wolf, single index", LedoitWolfShrinkage(target: .singleIndex)),
        ("Oracle approximating (OAS)", OracleApproximatingShrinkage()),
        ("Fixed shrinkage 0.1", FixedShrinkage(intensity: 0.1)),
        ("Marcenko-Pastur denoised", MarcenkoPasturDenoising()),
        ("Detoned (market removed)", Detoning()),
    ]
    let equal = [Double](repeating: 1 / Double(n), count: n)
    func pad(_ s: String, _ w: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, w - s.count))
        return right ? fill + s : s + fill
    }
    print(pad("estimator", 36) + pad("shrinkage", 11, right: true) + pad("condition", 14, right: true) + pad("EW vol", 10, right: true))
    print(String(repeating: "-", count: 71))
    for (name, estimator) in estimators {
        let e = try estimator.estimate(returns)
        let shrinkage = e.shrinkage.map { String(format: "%.4f", $0) } ?? "-"
        let kappa = try e.conditionNumber()
        let condition = kappa.isFinite && kappa < 1e15 ? String(format: "%.3g", kappa) : "singular"
        let vol = String(format: "%.2f%%", 100 * e.volatility(of: equal))
        print(pad(name, 36) + pad(shrinkage, 11, right: true) + pad(condition, 14, right: true) + pad(vol, 10, right: true))
    }
} catch {
    print("error: \(error)")
    exit(1)
}
