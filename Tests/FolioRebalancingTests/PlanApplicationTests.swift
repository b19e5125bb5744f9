import Foundation
import Testing
@testable import FolioRebalancing

/// `Account.applying` / `Household.applying`: the holdings after a plan, recomputed from the
/// output alone and compared with the holdings before and the plan's trades.
@Suite("Applying plans")
struct PlanApplicationTests {
    /// How many of the 10,000 generated households are planned and applied: every household is
    /// generated (the shared generator's sequence), every `10,000 / n`-th is checked. Set
    /// `FOLIO_PROPERTY_CASES=10000` for the full run.
    static let sampleSize: Int = {
        let n = ProcessInfo.processInfo.environment["FOLIO_PROPERTY_CASES"].flatMap(Int.init) ?? 500
        return min(max(n, 1), 10_000)
    }()

    /// The invariants of one applied account plan, recomputed from the account after.
    static func checkApplied(before: Account, plan: RebalancePlan, after: Account) {
        let id = before.id
        // Cash identity, from the trades.
        var cash = before.cash + plan.deposit - plan.withdrawal
        for t in plan.trades { cash += t.side == .sell ? t.grossValue - t.cost : -(t.grossValue + t.cost) }
        #expect(after.cash == cash, "\(id): cash \(after.cash), recomputed \(cash)")
        #expect(after.cash == plan.cashAfter, "\(id): cash \(after.cash), plan \(plan.cashAfter)")
        // Lots: every old lot less what the plan relieved; fully sold lots gone; one new lot per buy.
        var soldUnits: [String: Decimal] = [:], soldBasis: [String: Decimal] = [:]
        for t in plan.trades where t.side == .sell {
            for s in t.lots {
                soldUnits["\(t.symbol)|\(s.lotID)", default: 0] += s.quantity
                soldBasis["\(t.symbol)|\(s.lotID)", default: 0] += s.costBasis
            }
        }
        let afterLots = Dictionary(after.positions.flatMap { p in p.lots.map { ("\(p.symbol)|\($0.id)", $0) } }, uniquingKeysWith: { a, _ in a })
        #expect(afterLots.count == after.positions.reduce(0) { $0 + $1.lots.count }, "\(id): lot ids repeat")
        var kept = 0
        for p in before.positions {
            for lot in p.lots {
                let key = "\(p.symbol)|\(lot.id)"
                let left = lot.quantity - (soldUnits[key] ?? 0)
                #expect(left >= 0, "\(id): lot \(lot.id) oversold")
                if left == 0 {
                    #expect(afterLots[key] == nil, "\(id): lot \(lot.id) sold out but still held")
                } else {
                    kept += 1
                    #expect(afterLots[key]?.quantity == left, "\(id): lot \(lot.id) holds \(String(describing: afterLots[key]?.quantity)), expected \(left)")
                    #expect(afterLots[key]?.costBasis == lot.costBasis - (soldBasis[key] ?? 0), "\(id): basis of lot \(lot.id)")
                    #expect(afterLots[key]?.acquired == lot.acquired)
                }
            }
        }
        let buys = plan.trades.filter { $0.side == .buy }
        #expect(afterLots.count == kept + buys.count, "\(id): \(afterLots.count) lots after, \(kept) kept + \(buys.count) bought")
        let oldKeys = Set(before.positions.flatMap { p in p.lots.map { "\(p.symbol)|\($0.id)" } })
        let opened = afterLots.filter { !oldKeys.contains($0.key) }.map(\.value)
        #expect(opened.count == buys.count)
        for t in buys {
            let match = after.positions.first { $0.symbol == t.symbol }?.lots.filter {
                !oldKeys.contains("\(t.symbol)|\($0.id)") && $0.quantity == t.quantity && $0.costBasis == t.grossValue + t.cost
            } ?? []
            #expect(!match.isEmpty, "\(id): no lot opened for the buy of \(t.quantity) \(t.symbol)")
            #expect(match.allSatisfy { $0.acquired == plan.tradeDate })
        }
        // Basis conserved: before − relieved + bought (gross + cost) = after.
        let basis = { (a: Account) in a.positions.reduce(Decimal(0)) { $0 + $1.lots.reduce(0) { $0 + $1.costBasis } } }
        let relieved = soldBasis.values.reduce(0, +)
        let bought = buys.reduce(Decimal(0)) { $0 + $1.grossValue + $1.cost }
        #expect(basis(after) == basis(before) - relieved + bought, "\(id): basis not conserved")
        // Quantities agree with the plan's holdings table.
        for h in plan.holdings {
            let q = after.positions.first { $0.symbol == h.symbol }?.quantity ?? 0
            #expect(q == h.quantityAfter, "\(id) \(h.symbol): holds \(q), plan says \(h.quantityAfter)")
        }
        #expect(after.positions.allSatisfy { !$0.lots.isEmpty && $0.lots.allSatisfy { $0.quantity > 0 } })
        #expect(after.kind == before.kind && after.doNotSell == before.doNotSell && after.doNotBuy == before.doNotBuy)
    }

    @Test("round-trips over the shared 10,000-household generator: cash identity, lot counts, basis, quantities")
    func roundTripsOverGenerator() throws {
        var rng = SplitMix64(seed: 14)
        let policy = RebalancePolicy(trigger: .always, cashReserve: .amount(100), spreadBasisPoints: 2)
        let engine = try Rebalancer(securities: HouseholdPropertyTests.securities, policy: policy)
        let planner = HouseholdPlanner(rebalancer: engine, rules: AssetLocationRules(taxDeferred: ["bond", "reit"], taxExempt: ["intl"], taxable: ["eq"]))
        let step = 10_000 / Self.sampleSize
        var checked = 0, trades = 0
        for n in 0..<10_000 {
            let c = HouseholdPropertyTests.makeCase(&rng, n)
            guard n % step == 0 else { continue }
            let target: HouseholdTarget = n % 2 == 0 ? .located(c.target) : .eachAccount(c.target)
            let plan = try planner.plan(c.household, target: target, prices: c.prices, context: c.context)
            let after = try c.household.applying(plan)
            #expect(after.accounts.map(\.id) == c.household.accounts.map(\.id))
            for (i, account) in c.household.accounts.enumerated() {
                if let p = plan.plans.first(where: { $0.accountID == account.id }) {
                    Self.checkApplied(before: account, plan: p, after: after.accounts[i])
                    trades += p.trades.count
                } else {
                    #expect(after.accounts[i] == account)
                }
            }
            checked += 1
        }
        #expect(checked == Self.sampleSize || checked == (10_000 + step - 1) / step)
        #expect(trades > checked, "the sample must trade")
    }

    @Test("a sold-out lot goes, a partial lot keeps its pro-rata basis, a buy opens a lot at the trade date and cost")
    func handWorkedAccount() throws {
        let account = Account(id: "T1", kind: .taxable, cash: 0, positions: [
            Position(symbol: "AAA", lots: [
                Lot(id: "old", quantity: 300, costBasis: 15_000, acquired: day(2019, 1, 2)),
                Lot(id: "new", quantity: 400, costBasis: 36_000, acquired: day(2025, 1, 2)),
            ]),
            position("BBB", 600, basis: 33_000),
        ])
        // 70/30 at $100/$50 to 60/40: sell 100 AAA ($10,000), buy 200 BBB ($10,000); FIFO sells from "old".
        let p = try plan(account, policy: RebalancePolicy(trigger: .always, commissionPerTrade: 5, lotMethod: .fifo))
        let after = try account.applying(p)
        let aaa = after.positions.first { $0.symbol == "AAA" }!
        #expect(aaa.lots.map(\.id) == ["old", "new"])
        let sale = try #require(p.trade("AAA")?.lots.first)
        #expect(sale.lotID == "old" && sale.quantity == 100 && sale.costBasis == 5_000)
        #expect(aaa.lots[0].quantity == 200 && aaa.lots[0].costBasis == 10_000)
        let bbb = after.positions.first { $0.symbol == "BBB" }!
        let opened = bbb.lots.first { $0.id != "BBB-1" }!
        #expect(opened.id == "B20260316-BBB" && opened.acquired == tradeDate)
        #expect(opened.quantity == p.trade("BBB")!.quantity)
        #expect(opened.costBasis == p.trade("BBB")!.grossValue + 5)
        #expect(after.cash == p.cashAfter)
        // Selling the whole lot removes it.
        let out = try plan(Account(id: "T2", kind: .taxable, cash: 0, positions: [position("AAA", 100, basis: 5_000)]),
                           .securities(["BBB": 1]), policy: RebalancePolicy(trigger: .always))
        let emptied = try Account(id: "T2", kind: .taxable, cash: 0, positions: [position("AAA", 100, basis: 5_000)]).applying(out)
        #expect(!emptied.positions.contains { $0.symbol == "AAA" })
    }

    @Test("a plan made for other holdings is refused: another account, other cash, a lot not held, applied twice")
    func refusesForeignPlans() throws {
        let account = driftedAccount()
        let p = try plan(account, policy: RebalancePolicy(trigger: .always))
        var other = account
        other.id = "T9"
        #expect(throws: PlanApplicationError.accountMismatch(planAccountID: "T1", accountID: "T9")) { try other.applying(p) }
        var richer = account
        richer.cash = 1
        #expect(throws: PlanApplicationError.cashMismatch(accountID: "T1", planCash: 0, accountCash: 1)) { try richer.applying(p) }
        var renamed = account
        renamed.positions[0].lots[0].id = "AAA-renamed"
        #expect(throws: PlanApplicationError.unknownLot(accountID: "T1", symbol: "AAA", lotID: "AAA-1")) { try renamed.applying(p) }
        // Applied twice: the second time the plan's starting cash no longer matches.
        let once = try account.applying(p)
        if once.cash != account.cash {
            #expect(throws: PlanApplicationError.self) { try once.applying(p) }
        }
        var thin = account
        thin.positions[0].lots[0].quantity = 50
        thin.positions[0].lots[0].costBasis = 3_500
        #expect(throws: PlanApplicationError.lotOversold(accountID: "T1", lotID: "AAA-1", held: 50, sold: 100)) { try thin.applying(p) }
        let household = Household(id: "H", accounts: [account])
        let hp = try HouseholdPlanner(rebalancer: Rebalancer(securities: standardSecurities, policy: RebalancePolicy(trigger: .always)))
            .plan(Household(id: "H", accounts: [other]), target: .eachAccount(sixtyForty), prices: standardPrices)
        #expect(throws: PlanApplicationError.unknownAccount("T9")) { try household.applying(hp) }
    }

    @Test("new lot ids stay unique when the account already uses them; hostile ids survive")
    func uniqueLotIDs() throws {
        let hostile = ["B20260316-BBB", "=cmd|'/c calc'!A1", "cafe\u{301}", "<b>x</b>", String(repeating: "x", count: 300)]
        let account = Account(id: "T/1", kind: .taxable, cash: 10_000, positions: [
            Position(symbol: "BBB", lots: hostile.map { Lot(id: $0, quantity: 1, costBasis: 50, acquired: day(2020, 1, 2)) }),
        ])
        let p = try plan(account, .securities(["BBB": 1]), policy: RebalancePolicy(trigger: .always))
        let after = try account.applying(p)
        let ids = after.positions[0].lots.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.contains("B20260316-BBB-2"))
        #expect(Array(ids.prefix(hostile.count)) == hostile)
    }
}
