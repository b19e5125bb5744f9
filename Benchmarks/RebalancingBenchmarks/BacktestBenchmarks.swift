// Policy backtest: one household (a taxable account and an IRA, 50 securities with three lots
// each in the taxable account) walked along 20 years of daily prices (5,040 dates) under five
// policies side by side: quarterly, annual, 5/25 bands, cash-flow-only and never; quarterly
// deposits, a 2% dividend yield, taxes settled each year from the taxable account.
//
//     cd Benchmarks && swift package --disable-sandbox benchmark --target RebalancingBenchmarks --filter "Backtest.*" --no-progress
import Benchmark
import BenchmarkInputs
import Foundation
import FolioRebalancing

struct BacktestBook: Sendable {
    let backtester: PolicyBacktester
    let household: Household
    let prices: BacktestPrices
    let policies: [BacktestPolicy]
}

func makeBacktestBook(years: Int = 20, securities count: Int = 50) -> BacktestBook {
    var rng = SplitMix64(state: 2_026)
    let days = years * 252
    let symbols = (0..<count).map { "S\($0 < 10 ? "0" : "")\($0)" }
    let securities = symbols.enumerated().map { Security(symbol: $1, assetClass: "Class \($0 % 5)") }
    // Business days from 2006-01-02 (a Monday), skipping weekends.
    var dates: [Date] = []
    var day = 13_150  // 2006-01-02 in days since 1970
    while dates.count < days {
        if (day + 4) % 7 < 5 { dates.append(Date(timeIntervalSince1970: Double(day) * 86_400)) }
        day += 1
    }
    // Seeded lognormal paths, rounded to the cent.
    var closes: [[Double]] = []
    for _ in symbols {
        var p = Double(rng.int(2_000...40_000)) / 100
        let drift = Double(rng.int(0...8)) / 10_000 / 25
        var path: [Double] = []
        path.reserveCapacity(days)
        for _ in 0..<days {
            let u = Double(rng.int(0...1_000_000)) / 1_000_000 - 0.5
            p = max(1, p * exp(drift + u * 0.035))
            path.append((p * 100).rounded() / 100)
        }
        closes.append(path)
    }
    let prices = try! BacktestPrices(dates: dates, symbols: symbols, closes: closes)
    let start = dates[0]
    var positions: [Position] = []
    for (k, s) in symbols.enumerated() {
        let price = closes[k][0]
        positions.append(Position(symbol: s, lots: (0..<3).map { l in
            let q = rng.int(10...60)
            let basis = Int(Double(q) * price * Double(rng.int(60...140)))
            return Lot(id: "\(s)-\(l)", quantity: Decimal(q), costBasis: cents(basis),
                       acquired: start.addingTimeInterval(-Double(rng.int(10...2_000)) * 86_400))
        }))
    }
    let household = Household(id: "H", accounts: [
        Account(id: "T", kind: .taxable, cash: 10_000, positions: positions),
        Account(id: "IRA", kind: .taxDeferred, cash: 200_000, positions: []),
    ])
    var weights: [String: Double] = [:]
    for s in symbols { weights[s] = 1.0 / Double(count) }
    let standing = RebalancePolicy(minimumTradeValue: 100, spreadBasisPoints: 2)
    let settings = BacktestSettings(cashFlows: [ScheduledCashFlow(accountID: "T", amount: 2_000, frequency: .quarterly)],
                                    dividendYields: Dictionary(uniqueKeysWithValues: symbols.map { ($0, 0.02) }), baseline: "never")
    let policies = ["quarterly", "annual", "bands-5-25", "cash-flow-only", "never"].map { BacktestPolicy.builtIn($0, standing: standing)! }
    return BacktestBook(backtester: PolicyBacktester(securities: securities, target: .securities(weights), settings: settings),
                        household: household, prices: prices, policies: policies)
}

nonisolated(unsafe) var backtestBook: BacktestBook? = nil

func backtestBenchmarks() {
    Benchmark(
        "Backtest 20 years daily x 50 securities x 5 policies, one household",
        configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], scalingFactor: .one,
                             maxDuration: .seconds(60), maxIterations: 5)
    ) { benchmark in
        if backtestBook == nil { backtestBook = makeBacktestBook() }
        let b = backtestBook!
        benchmark.startMeasurement()
        let comparison = try b.backtester.compare(b.household, prices: b.prices, policies: b.policies)
        benchmark.stopMeasurement()
        blackHole(comparison.results.map(\.trades))
        if ProcessInfo.processInfo.environment["FOLIO_BACKTEST_COUNTS"] != nil {
            for r in comparison.results {
                FileHandle.standardError.write(Data("\(r.policy): plans \(r.plans) rebalances \(r.rebalances) trades \(r.trades) lots \(r.endingHousehold.accounts.map { $0.positions.reduce(0) { $0 + $1.lots.count } })\n".utf8))
            }
        }
    }
}
