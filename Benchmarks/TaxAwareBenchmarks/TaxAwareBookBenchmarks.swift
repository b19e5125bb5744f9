// 10,000 households of 3 accounts (taxable, IRA, Roth) x 50 securities x 5 lots, planned by
// the rules (HouseholdPlanner, located target, tax-minimizing lots) and by the tax-aware
// optimizer (TaxAwarePlanner: the relaxed optimum, then the same planner makes the whole-share
// trades), one household after another on one core. The target: the optimized book
// within 10x of the rules book.
//
//     cd Benchmarks && swift package --disable-sandbox benchmark --target TaxAwareBenchmarks --filter "Book.*" --no-progress
import Benchmark
import BenchmarkInputs
import Foundation
import FolioRebalancing
import FolioTaxAware


/// The book: securities on five classes of the illustrative capital-market assumptions, a
/// located five-class target, and `count` households.
struct TaxAwareBook: Sendable {
    static let classes = ["us-large-cap", "intl-developed", "emerging-markets", "us-aggregate-bond", "reits"]
    let securities: [FolioRebalancing.Security]
    let target: TargetAllocation
    let prices: Prices
    let policy: RebalancePolicy
    let households: [Household]

    init(households count: Int, positions: Int = 50, lots: Int = 5) {
        var rng = SplitMix64(state: 15)
        let symbols = (0..<positions).map { String(format: "S%02d", $0) }
        securities = symbols.enumerated().map { Security(symbol: $1, assetClass: Self.classes[$0 % Self.classes.count]) }
        var priceCents: [Int] = []
        var table: [String: Decimal] = [:]
        for s in symbols {
            let c = rng.int(1_000...50_000)
            priceCents.append(c)
            table[s] = cents(c)
        }
        let asOf = Date(timeIntervalSince1970: 1_773_619_200)  // 2026-03-16
        prices = Prices(asOf: asOf, table)
        let weights = [0.45, 0.2, 0.05, 0.25, 0.05]
        target = .assetClasses(Self.classes.enumerated().map { c, name in
            let members = symbols.enumerated().filter { $0.offset % Self.classes.count == c }.map(\.element)
            return .init(assetClass: name, weight: weights[c], primary: members[0], alternates: [members[1]])
        })
        policy = RebalancePolicy(trigger: .always, mode: .toTarget, cashReserve: .amount(100), fractionalShareDecimals: 0,
                                 spreadBasisPoints: 2, lotMethod: .taxMinimizing,
                                 shortTermTaxRate: Decimal(string: "0.37"), longTermTaxRate: Decimal(string: "0.20"))
        let kinds: [AccountKind] = [.taxable, .taxDeferred, .taxExempt]
        var households: [Household] = []
        households.reserveCapacity(count)
        for h in 0..<count {
            let accounts = kinds.enumerated().map { a, kind -> Account in
                var positions: [Position] = []
                for (k, s) in symbols.enumerated() {
                    let lotsHere = (0..<lots).map { l -> Lot in
                        let q = rng.int(5...60)
                        let costPerShare = priceCents[k] * rng.int(60...140) / 100
                        let daysAgo = rng.int(10...2_000)
                        return Lot(id: "\(s)-\(l)", quantity: Decimal(q), costBasis: cents(q * costPerShare),
                                   acquired: asOf.addingTimeInterval(-Double(daysAgo) * 86_400))
                    }
                    positions.append(Position(symbol: s, lots: lotsHere))
                }
                return Account(id: "H\(h)-\(a)", kind: kind, cash: cents(rng.int(0...2_000_000)), positions: positions)
            }
            households.append(Household(id: "H\(h)", accounts: accounts))
        }
        self.households = households
    }
}

nonisolated(unsafe) var taxAwareBook: TaxAwareBook? = nil

func bookBenchmarks() {
    let count = ProcessInfo.processInfo.environment["FOLIO_TAX_BOOK_HOUSEHOLDS"].flatMap(Int.init) ?? 10_000
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal], timeUnits: .seconds, warmupIterations: 0, scalingFactor: .one,
        maxDuration: .seconds(600), maxIterations: 3)
    func book() -> TaxAwareBook {
        if taxAwareBook == nil { taxAwareBook = TaxAwareBook(households: count) }
        return taxAwareBook!
    }
    Benchmark("Book \(count) households 3x50x5: rules (household planner, located)", configuration: configuration) { benchmark in
        let b = book()
        let planner = HouseholdPlanner(rebalancer: try Rebalancer(securities: b.securities, policy: b.policy))
        benchmark.startMeasurement()
        var trades = 0
        for household in b.households {
            trades += try planner.plan(household, target: .located(b.target), prices: b.prices).trades.count
        }
        benchmark.stopMeasurement()
        blackHole(trades)
    }
    Benchmark("Book \(count) households 3x50x5: optimized (tax-aware planner, whole shares)", configuration: configuration) { benchmark in
        let b = book()
        let planner = TaxAwarePlanner()
        benchmark.startMeasurement()
        var trades = 0
        for household in b.households {
            let built = try TaxAwareHouseholdProblem(
                household: household, target: b.target, securities: b.securities, prices: b.prices, policy: b.policy,
                assumptions: .illustrative, settings: TaxAwareSettings())
            trades += try planner.plan(built, securities: b.securities, prices: b.prices, policy: b.policy).plan.trades.count
        }
        benchmark.stopMeasurement()
        blackHole(trades)
    }
}
