import Foundation
import Testing
@testable import FolioRebalancing

/// Seeded households (2-4 accounts of every kind, restrictions, recent trades, blocked lines),
/// planned by the one household planner; every rule is recomputed from the emitted trades.
@Suite("Household planner properties")
struct HouseholdPropertyTests {
    static let classes = ["eq", "intl", "bond", "reit"]
    static let securities: [Security] = [
        Security(symbol: "EQ1", assetClass: "eq", substantiallyIdenticalGroup: "sp500"),
        Security(symbol: "EQ2", assetClass: "eq", substantiallyIdenticalGroup: "sp500"),
        Security(symbol: "EQ3", assetClass: "eq"),
        Security(symbol: "STK", assetClass: "eq"),
        Security(symbol: "IN1", assetClass: "intl"), Security(symbol: "IN2", assetClass: "intl"),
        Security(symbol: "BD1", assetClass: "bond"), Security(symbol: "BD2", assetClass: "bond"),
        Security(symbol: "RE1", assetClass: "reit"),
    ]
    static let sleeves: [String: [String]] = ["eq": ["EQ1", "EQ2", "EQ3"], "intl": ["IN1", "IN2"], "bond": ["BD1", "BD2"], "reit": ["RE1"]]

    struct Case {
        var household: Household
        var target: TargetAllocation
        var prices: Prices
        var context: PlanContext
    }

    static func makeCase(_ rng: inout SplitMix64, _ n: Int) -> Case {
        var table: [String: Decimal] = [:]
        for s in securities { table[s.symbol] = cents(rng.int(1_000...40_000)) }
        let prices = Prices(asOf: tradeDate, table)
        let kinds: [AccountKind] = [.taxable, .taxDeferred, .taxExempt]
        var accounts: [Account] = []
        for a in 0..<rng.int(2...4) {
            var positions: [Position] = []
            for s in securities where rng.chance(0.45) {
                let price = NSDecimalNumber(decimal: table[s.symbol]!).doubleValue
                positions.append(Position(symbol: s.symbol, lots: (0..<rng.int(1...3)).map { l in
                    let q = rng.int(1...400)
                    return Lot(id: "\(s.symbol)-\(a)-\(l)", quantity: Decimal(q), costBasis: cents(Int(Double(q) * price * 100 * rng.double(0.6...1.4))),
                               acquired: tradeDate.addingTimeInterval(-Double(rng.int(5...1_500)) * 86_400))
                }))
            }
            var account = Account(id: "H\(n)-A\(a)", kind: a == 0 ? .taxable : kinds[rng.int(0...2)],
                                  cash: cents(rng.int(0...2_000_000)), positions: positions)
            if rng.chance(0.2), let p = positions.randomElement(using: &rng) { account.doNotSell = [p.symbol] }
            if rng.chance(0.2) { account.doNotBuy = [securities[rng.int(0...securities.count - 1)].symbol] }
            accounts.append(account)
        }
        let raw = classes.map { _ in rng.double(0.1...1) }
        let total = raw.reduce(0, +)
        let target = TargetAllocation.assetClasses(classes.enumerated().map { k, c in
            let members = sleeves[c]!
            return .init(assetClass: c, weight: raw[k] / total, primary: members[0], alternates: Array(members.dropFirst()))
        })
        var recent: [Transaction] = []
        for _ in 0..<rng.int(0...3) {
            let s = securities[rng.int(0...securities.count - 1)].symbol
            let loss = rng.chance(0.5)
            recent.append(Transaction(date: tradeDate.addingTimeInterval(-Double(rng.int(1...40)) * 86_400),
                                      accountID: accounts[0].id, symbol: s, side: loss ? .sell : .buy, quantity: 10,
                                      realizedGain: loss ? -100 : nil))
        }
        return Case(household: Household(id: "H\(n)", accounts: accounts), target: target, prices: prices,
                    context: PlanContext(recentTransactions: recent))
    }

    static func key(_ symbol: String) -> String { securities.first { $0.symbol == symbol }!.washSaleKey }

    /// Every rule of the issue, recomputed from one household plan.
    static func check(_ c: Case, _ plan: HouseholdPlan, located: Bool) {
        let day = CivilDay.of(tradeDate)
        var lossKeys = Set<String>()
        for t in c.context.recentTransactions where t.side == .sell && (t.realizedGain ?? 0) < 0 && day - CivilDay.of(t.date) <= 30 {
            lossKeys.insert(key(t.symbol))
        }
        let kinds = Dictionary(uniqueKeysWithValues: c.household.accounts.map { ($0.id, $0.kind) })
        var todayLoss: [String: Set<String>] = [:]
        for p in plan.plans where kinds[p.accountID]!.isTaxable {
            for t in p.trades where t.side == .sell && t.lots.contains(where: { $0.realizedGain < 0 }) { todayLoss[key(t.symbol), default: []].insert(p.accountID) }
        }
        for p in plan.plans {
            for t in p.trades where t.side == .buy {
                let k = key(t.symbol)
                // No buy within the window of a loss sale, in any account of the household.
                #expect(!lossKeys.contains(k), "\(p.accountID) buys \(t.symbol) within 30 days of a loss sale")
                #expect((todayLoss[k] ?? []).isEmpty, "\(p.accountID) buys \(t.symbol) sold at a loss today in \(todayLoss[k]!)")
            }
            // No line ends above its target plus band because it bought more than its share.
            // (Whole shares: one share of the line's dearest holding is the rounding allowance.)
            let base = NSDecimalNumber(decimal: p.investableValue).doubleValue
            for d in p.drift where d.isInTarget && d.weightAfter > d.weightBefore + 1e-9 && base > 0 {
                let share = p.holdings.filter { $0.assetClass == d.line }.map { NSDecimalNumber(decimal: $0.price).doubleValue }.max() ?? 0
                #expect(d.weightAfter <= d.targetWeight + d.band + share / base + 1e-9,
                        "\(p.accountID) \(d.line) bought to \(d.weightAfter), target \(d.targetWeight)")
            }
            #expect(p.invariants.allHold, "\(p.accountID): \(p.invariants)")
            // Holdings recomputed from the trades.
            var qty: [String: Decimal] = [:]
            for t in p.trades { qty[t.symbol, default: 0] += t.side == .buy ? t.quantity : -t.quantity }
            for h in p.holdings { #expect(h.quantityAfter == h.quantityBefore + (qty[h.symbol] ?? 0), "\(p.accountID) \(h.symbol)") }
        }
        // Every class counted once: the household table is the sum of the accounts' holdings.
        var sums: [String: Decimal] = [:]
        for p in plan.plans { for h in p.holdings { sums[h.assetClass, default: 0] += h.marketValueAfter } }
        for row in plan.assetClasses { #expect(row.valueAfter == (sums[row.assetClass] ?? 0)) }
        #expect(Set(plan.assetClasses.map(\.assetClass)).count == plan.assetClasses.count)
    }

    @Test("10,000 seeded households: wash sales across accounts, blocked lines, classes counted once, invariants")
    func householdProperties() throws {
        var rng = SplitMix64(seed: 14)
        let policy = RebalancePolicy(trigger: .always, cashReserve: .amount(100), spreadBasisPoints: 2)
        let engine = try Rebalancer(securities: Self.securities, policy: policy)
        let planner = HouseholdPlanner(rebalancer: engine, rules: AssetLocationRules(taxDeferred: ["bond", "reit"], taxExempt: ["intl"], taxable: ["eq"]))
        for n in 0..<10_000 {
            let c = Self.makeCase(&rng, n)
            let located = n % 2 == 0
            let target: HouseholdTarget = located ? .located(c.target) : .eachAccount(c.target)
            let plan = try planner.plan(c.household, target: target, prices: c.prices, context: c.context)
            Self.check(c, plan, located: located)
        }
    }

    @Test("a blocked 70% line holds its share in cash; the 20% line is not bought past its band")
    func blockedLineDoesNotConcentrate() throws {
        let target = TargetAllocation.securities(["AAA": 0.7, "BBB": 0.2, "CCC": 0.1])
        var account = Account(id: "B", kind: .taxDeferred, cash: 100_000, positions: [])
        account.doNotBuy = ["AAA"]
        let p = try plan(account, target, policy: RebalancePolicy(trigger: .always))
        // 20,000 BBB (400 at $50) and 10,000 CCC (400 at $25); AAA's 70,000 stays in cash.
        #expect(summary(p) == ["BUY 400 BBB 20000", "BUY 400 CCC 10000"])
        #expect(p.cashAfter == 70_000)
        #expect(p.drift.first { $0.line == "BBB" }!.weightAfter <= 0.2 + 1e-12)
        #expect(p.warnings.contains { $0.kind == .restrictedPurchase && $0.message.contains("held in cash") })
    }

    @Test("a substantially identical fund is not a harvest replacement, nor a buy after a loss sale")
    func substantiallyIdenticalGroup() throws {
        let target = TargetAllocation.assetClasses([
            .init(assetClass: "eq", weight: 0.6, primary: "EQ1", alternates: ["EQ2", "EQ3"]),
            .init(assetClass: "bond", weight: 0.4, primary: "BD1"),
        ])
        let prices = Prices(asOf: tradeDate, ["EQ1": 100, "EQ2": 100, "EQ3": 50, "BD1": 50])
        let account = Account(id: "T", kind: .taxable, cash: 0, positions: [
            Position(symbol: "EQ1", lots: [Lot(id: "E", quantity: 600, costBasis: 72_000, acquired: day(2025, 6, 1))]),
            Position(symbol: "BD1", lots: [Lot(id: "B", quantity: 800, costBasis: 40_000, acquired: day(2020, 6, 1))])])
        let tlh = RebalancePolicy.TaxLossHarvesting(minimumLoss: 1_000, minimumLossPercent: 0.05)
        let engine = try Rebalancer(securities: Self.securities, policy: RebalancePolicy(taxLossHarvesting: tlh))
        let p = try engine.rebalance(account, to: target, prices: prices)
        // EQ2 tracks the same index as EQ1: the replacement is EQ3.
        #expect(summary(p) == ["SELL 600 EQ1 60000", "BUY 1200 EQ3 60000"])
        // A recent loss sale of EQ2 blocks EQ1 too (same group): the line buys EQ3.
        let recent = [Transaction(date: day(2026, 3, 1), accountID: "X", symbol: "EQ2", side: .sell, quantity: 1, realizedGain: -10)]
        var drifted = account
        drifted.positions[1] = Position(symbol: "BD1", lots: [Lot(id: "B", quantity: 1_400, costBasis: 60_000, acquired: day(2020, 6, 1))])
        let q = try Rebalancer(securities: Self.securities, policy: RebalancePolicy(trigger: .always))
            .rebalance(drifted, to: target, prices: prices, context: PlanContext(recentTransactions: recent))
        #expect(q.trades.allSatisfy { $0.side == .sell || $0.symbol == "EQ3" })
        #expect(q.trades.contains { $0.symbol == "EQ3" && $0.side == .buy })
    }
}
