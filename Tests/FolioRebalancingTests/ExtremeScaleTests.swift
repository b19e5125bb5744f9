import Foundation
import Testing
@testable import FolioRebalancing

/// Numerical guards (issue 10, point 3): at extreme scales the engine answers with a finite
/// plan whose invariants hold, or with a typed ``RebalanceError``; never NaN, never a trap.
@Suite("Extreme-scale inputs")
struct ExtremeScaleTests {
    enum Shape: String, CaseIterable, Codable, Sendable { case general, zeroValue, allCash, hugeQuantities, pennyPrices, megaPrices }

    /// Shapes whose seeded cases currently fail in the engine: the arithmetic overflow in
    /// `AccountEngine.sizeBuys` (AccountEngine+Trades.swift:381, leftover-cash loop; general,
    /// allCash, hugeQuantities) and a plan with negative cash after for sub-cent prices with
    /// fractional shares and a commission (pennyPrices, case 912). Both are kept as fuzz
    /// regressions in Tests/FolioFilesTests/Fixtures/FuzzRegressions. Empty this set when they
    /// are fixed: `withKnownIssue` then fails, saying the issue no longer occurs.
    static let trapToday: Set<Shape> = []

    /// A price of about `10^e` with at most 8 decimal places (the engine's precision).
    static func price(_ rng: inout SplitMix64, exponent: ClosedRange<Double>) -> Decimal {
        let p = pow(10, rng.double(exponent))
        let units = max(1, Int((p * 1e8).rounded()))
        return Decimal(sign: .plus, exponent: -8, significand: Decimal(units))
    }

    static func scenario(_ rng: inout SplitMix64, shape: Shape) -> PropertyTests.Scenario {
        let n = rng.int(1...5)
        let symbols = (0..<n).map { "X\($0)" }
        var securities: [Security] = []
        var table: [String: Decimal] = [:]
        for (k, s) in symbols.enumerated() {
            securities.append(Security(symbol: s, assetClass: "C\(k % 2)", allowsFractionalShares: rng.chance(0.5),
                                       lotSize: rng.chance(0.2) ? 100 : 1))
            let exponent: ClosedRange<Double> = switch shape {
            case .pennyPrices: -4 ... -1
            case .megaPrices: 5...7
            default: -4...7
            }
            table[s] = price(&rng, exponent: exponent)
        }
        var positions: [Position] = []
        if shape != .zeroValue && shape != .allCash {
            var lot = 0
            for s in symbols where rng.chance(0.8) {
                var lots: [Lot] = []
                for _ in 0..<rng.int(1...2) {
                    let quantity: Decimal = shape == .hugeQuantities || rng.chance(0.2)
                        ? Decimal(Int(pow(10, rng.double(6...9))))
                        : Decimal(rng.int(0...1_000))
                    let basis = cents(rng.int(0...100_000_000))
                    lots.append(Lot(id: "L\(lot)", quantity: quantity, costBasis: basis,
                                    acquired: tradeDate.addingTimeInterval(-Double(rng.int(1...2_000)) * 86_400)))
                    lot += 1
                }
                positions.append(Position(symbol: s, lots: lots))
            }
        }
        let cash: Decimal = switch shape {
        case .zeroValue: 0
        case .allCash: rng.chance(0.5) ? cents(rng.int(1...100)) : Decimal(Int(pow(10, rng.double(0...10))))
        default: rng.chance(0.3) ? 0 : cents(rng.int(0...1_000_000_000))
        }
        var raw = symbols.map { _ in rng.chance(0.2) ? 1e-9 : rng.double(0.01...1) }
        if rng.chance(0.1) { raw = raw.enumerated().map { $0.offset == 0 ? 1 : 0 } }
        let total = raw.reduce(0, +)
        let target = TargetAllocation.securities(Dictionary(uniqueKeysWithValues: zip(symbols, raw.map { $0 / total })))
        var policy = RebalancePolicy(trigger: rng.chance(0.5) ? .always : .bands,
                                     mode: RebalancePolicy.Mode.allCases[rng.int(0...2)])
        policy.fractionalShareDecimals = rng.int(0...8)
        if rng.chance(0.3) { policy.cashReserve = .percent(rng.double(0...0.5)) }
        if rng.chance(0.3) { policy.pendingCashFlow = cents(rng.int(-100_000_000...100_000_000)) }
        if rng.chance(0.3) { policy.minimumTradeValue = cents(rng.int(0...1_000_000)) }
        if rng.chance(0.3) { policy.commissionPerTrade = cents(rng.int(0...10_000)) }
        policy.lotMethod = [.fifo, .lifo, .highestCost, .taxMinimizing][rng.int(0...3)]
        let account = Account(id: "E", kind: AccountKind.allCases[rng.int(0...2)], cash: cash, positions: positions)
        return .init(securities: securities, prices: Prices(asOf: tradeDate, table), account: account, target: target, policy: policy)
    }

    /// Every `Double` of a plan is finite and every `Decimal` is a number.
    static func nonFinite(in plan: RebalancePlan) -> [String] {
        var bad: [String] = []
        func d(_ x: Double, _ name: String) { if !x.isFinite { bad.append("\(name)=\(x)") } }
        func m(_ x: Decimal, _ name: String) { if x.isNaN { bad.append("\(name)=NaN") } }
        d(plan.maxAbsoluteDriftBefore, "maxAbsoluteDriftBefore")
        d(plan.maxAbsoluteDriftAfter, "maxAbsoluteDriftAfter")
        d(plan.turnover, "turnover")
        for (x, name) in [(plan.accountValueBefore, "accountValueBefore"), (plan.investableValue, "investableValue"),
                          (plan.cashBefore, "cashBefore"), (plan.cashAfter, "cashAfter"), (plan.cashReserve, "cashReserve"),
                          (plan.totalBuys, "totalBuys"), (plan.totalSells, "totalSells"), (plan.totalCosts, "totalCosts"),
                          (plan.estimatedTax ?? 0, "estimatedTax")] { m(x, name) }
        for h in plan.holdings {
            d(h.weightBefore, "\(h.symbol).weightBefore"); d(h.weightAfter, "\(h.symbol).weightAfter")
            m(h.marketValueAfter, "\(h.symbol).marketValueAfter"); m(h.quantityAfter, "\(h.symbol).quantityAfter")
        }
        for a in plan.assetClasses { d(a.weightBefore, "\(a.assetClass).weightBefore"); d(a.weightAfter, "\(a.assetClass).weightAfter") }
        for l in plan.drift { d(l.weightBefore, "\(l.line).driftBefore"); d(l.weightAfter, "\(l.line).driftAfter") }
        for t in plan.trades {
            d(t.reason.driftPoints, "\(t.symbol).driftPoints")
            m(t.quantity, "\(t.symbol).quantity"); m(t.grossValue, "\(t.symbol).grossValue")
        }
        return bad
    }

    /// Runs every seeded case of one shape; traps on a NaN, a broken invariant or too few plans.
    /// Called in a child process (an exit test), so an engine trap fails one test, not the run.
    static func check(_ shape: Shape) {
        var rng = SplitMix64(seed: 0xF0_110 &+ UInt64(Shape.allCases.firstIndex(of: shape)!))
        var plans = 0
        var errors: [String: Int] = [:]
        for caseNumber in 0..<1_500 {
            let s = Self.scenario(&rng, shape: shape)
            do throws(RebalanceError) {
                let plan = try Rebalancer(securities: s.securities, policy: s.policy).rebalance(s.account, to: s.target, prices: s.prices)
                plans += 1
                let bad = Self.nonFinite(in: plan)
                let identity = plan.totalBuys + plan.totalCosts
                    == plan.totalSells + plan.deposit - plan.withdrawal + (plan.cashBefore - plan.cashAfter)
                // Sound: every bookkeeping invariant holds, and cash below the reserve (too little
                // to sell) comes with a warning; the reserve itself is checked below.
                let reserveMet = plan.cashBefore + plan.deposit - plan.withdrawal < plan.cashReserve
                    || plan.invariants.cashAtLeastReserve
                precondition(bad.isEmpty && plan.invariants.isSound && reserveMet && identity,
                             "\(shape) case \(caseNumber): \(bad) \(plan.invariants) identity \(identity) \(summary(plan))")
                precondition((try? plan.jsonData()) != nil, "\(shape) case \(caseNumber): plan does not encode")
            } catch {
                // A typed error with a readable description is an acceptable answer.
                precondition(!error.description.isEmpty)
                errors[String("\(error)".prefix { $0 != "(" }), default: 0] += 1
            }
        }
        // Each shape yields plans, not only errors (huge values overflow the engine's range often).
        let needed = shape == .hugeQuantities || shape == .megaPrices ? 50 : 500
        precondition(plans > needed, "\(shape): plans \(plans), errors \(errors)")
    }

    @Test("prices 1e-4..1e7, quantities to 1e9, zero-value and all-cash accounts: finite plan or typed error",
          arguments: Shape.allCases)
    func finitePlanOrTypedError(shape: Shape) async {
        if Self.trapToday.contains(shape) {
            await withKnownIssue("engine: overflow in AccountEngine.sizeBuys / negative cash with sub-cent prices") { await Self.runInChild(shape) }
        } else {
            await Self.runInChild(shape)
        }
    }

    static func runInChild(_ shape: Shape) async {
        await #expect(processExitsWith: .success) { [shape] in ExtremeScaleTests.check(shape) }
    }
}
