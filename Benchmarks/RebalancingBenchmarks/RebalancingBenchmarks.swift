// Rebalancing throughput: 10,000 accounts of 50 positions with 5 tax lots each, rebalanced to
// a 50-security target with tax-minimizing lot selection, one account after another on one core;
// and the same 10,000 accounts as 2,500 households of four (two taxable, an IRA, a Roth) planned
// by the household planner to a five-class target located across the accounts.
//
//     cd Benchmarks && swift package --disable-sandbox benchmark --target RebalancingBenchmarks --filter "Rebalance.*|Plan.*" --no-progress
import Benchmark
import BenchmarkInputs
import Foundation
import FolioRebalancing


struct Book: Sendable {
    let rebalancer: Rebalancer
    let target: TargetAllocation
    let prices: Prices
    let accounts: [Account]
}

func makeBook(accounts count: Int, positions: Int = 50, lots: Int = 5) -> Book {
    var rng = SplitMix64(state: 42)
    let symbols = (0..<positions).map { "S\($0 < 10 ? "0" : "")\($0)" }
    let securities = symbols.enumerated().map { Security(symbol: $1, assetClass: "Class \($0 % 5)") }
    var priceCents: [Int] = []
    var priceTable: [String: Decimal] = [:]
    for s in symbols {
        let c = rng.int(1_000...50_000)
        priceCents.append(c)
        priceTable[s] = cents(c)
    }
    let asOf = Date(timeIntervalSince1970: 1_773_619_200)  // 2026-03-16
    var weights: [String: Double] = [:]
    for s in symbols { weights[s] = 1.0 / Double(positions) }
    let target = TargetAllocation.securities(weights)
    var accounts: [Account] = []
    accounts.reserveCapacity(count)
    for a in 0..<count {
        var ps: [Position] = []
        for (k, s) in symbols.enumerated() {
            var ls: [Lot] = []
            for l in 0..<lots {
                let q = rng.int(5...60)
                let costPerShare = priceCents[k] * rng.int(60...140) / 100
                let daysAgo = rng.int(10...2_000)
                ls.append(Lot(id: "\(s)-\(l)", quantity: Decimal(q), costBasis: cents(q * costPerShare),
                              acquired: asOf.addingTimeInterval(-Double(daysAgo) * 86_400)))
            }
            ps.append(Position(symbol: s, lots: ls))
        }
        accounts.append(Account(id: "A\(a)", kind: .taxable, cash: cents(rng.int(0...2_000_000)), positions: ps))
    }
    let policy = RebalancePolicy(trigger: .always, mode: .toTarget, lotMethod: .taxMinimizing)
    return Book(rebalancer: try! Rebalancer(securities: securities, policy: policy), target: target,
                prices: Prices(asOf: asOf, priceTable), accounts: accounts)
}

nonisolated(unsafe) var book: Book? = nil

/// The book's accounts as households of four (taxable, taxable, tax-deferred, tax-exempt) with a
/// target by asset class: one sleeve per class (its first symbol, the second as alternate); the
/// other 48 held securities count toward their classes.
func makeHouseholds(_ b: Book) -> (planner: HouseholdPlanner, households: [Household], target: TargetAllocation) {
    let kinds: [AccountKind] = [.taxable, .taxable, .taxDeferred, .taxExempt]
    var households: [Household] = []
    for h in stride(from: 0, to: b.accounts.count, by: 4) {
        let accounts = (0..<4).map { k -> Account in
            var a = b.accounts[h + k]
            a.kind = kinds[k]
            return a
        }
        households.append(Household(id: "H\(h / 4)", accounts: accounts))
    }
    let symbols = b.rebalancer.securities.keys.sorted()
    let target = TargetAllocation.assetClasses((0..<5).map { c in
        let members = symbols.filter { b.rebalancer.securities[$0]!.assetClass == "Class \(c)" }
        return .init(assetClass: "Class \(c)", weight: 0.2, primary: members[0], alternates: [members[1]])
    })
    let rules = AssetLocationRules(taxDeferred: ["Class 0", "Class 1"], taxExempt: ["Class 2"], taxable: ["Class 3", "Class 4"])
    return (HouseholdPlanner(rebalancer: b.rebalancer, rules: rules), households, target)
}

let benchmarks: @Sendable () -> Void = {
    monteCarloBenchmarks()
    backtestBenchmarks()
    Benchmark(
        "Rebalance 10,000 accounts x 50 positions x 5 lots (tax-minimizing, to target)",
        configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], scalingFactor: .one,
                             maxDuration: .seconds(120), maxIterations: 3)
    ) { benchmark in
        if book == nil { book = makeBook(accounts: 10_000) }
        let b = book!
        benchmark.startMeasurement()
        var trades = 0
        for account in b.accounts {
            let plan = try b.rebalancer.rebalance(account, to: b.target, prices: b.prices)
            trades += plan.trades.count
        }
        benchmark.stopMeasurement()
        blackHole(trades)
    }
    Benchmark(
        "Plan 2,500 households of 4 accounts (10,000 accounts) x 50 positions x 5 lots, located",
        configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], scalingFactor: .one,
                             maxDuration: .seconds(120), maxIterations: 3)
    ) { benchmark in
        if book == nil { book = makeBook(accounts: 10_000) }
        let (planner, households, target) = makeHouseholds(book!)
        benchmark.startMeasurement()
        var trades = 0
        var passes = 0
        for household in households {
            let plan = try planner.plan(household, target: .located(target), prices: book!.prices)
            trades += plan.trades.count
            passes += plan.passes
        }
        benchmark.stopMeasurement()
        blackHole(trades)
        blackHole(passes)
    }
}
