import Foundation
import Testing
@testable import FolioRebalancing

/// Property tests over seeded random accounts and policies.
///
/// Sizes are kept small (2-6 securities, 1-3 lots) so that 10,000 accounts per property run in
/// seconds in a debug build; the account count is what gives the coverage.
@Suite("Properties")
struct PropertyTests {
    /// A random account, target, prices and policy.
    struct Scenario {
        var securities: [Security]
        var prices: Prices
        var account: Account
        var target: TargetAllocation
        var policy: RebalancePolicy
    }

    enum Flavor { case general, fractionalExact, wholeShares }

    static func scenario(_ rng: inout SplitMix64, flavor: Flavor) -> Scenario {
        let n = rng.int(2...6)
        var securities: [Security] = []
        var table: [String: Decimal] = [:]
        var priceCents: [String: Int] = [:]
        let symbols = (0..<n).map { "S\($0)" } + ["U0"]
        for (k, s) in symbols.enumerated() {
            let fractional: Bool
            switch flavor {
            case .general: fractional = rng.chance(0.3)
            case .fractionalExact: fractional = true
            case .wholeShares: fractional = false
            }
            let lotSize: Decimal = fractional ? 1 : (rng.chance(0.1) ? 10 : 1)
            securities.append(Security(symbol: s, assetClass: "C\(k % 2)", allowsFractionalShares: fractional, lotSize: lotSize))
            let c = rng.int(100...50_000)
            table[s] = cents(c)
            priceCents[s] = c
        }
        // Holdings.
        var positions: [Position] = []
        var lotNumber = 0
        for s in symbols where rng.chance(s == "U0" ? 0.2 : 0.8) {
            var lots: [Lot] = []
            for _ in 0..<rng.int(1...3) {
                let fractional = securities.first { $0.symbol == s }!.allowsFractionalShares
                let quantity = fractional ? Decimal(rng.int(1_000...300_000)) / 1_000 : Decimal(rng.int(1...300))
                let basisCents = Int(Double(priceCents[s]!) * NSDecimalNumber(decimal: quantity).doubleValue * rng.double(0.5...1.5))
                lots.append(Lot(id: "L\(lotNumber)", quantity: quantity, costBasis: cents(basisCents),
                                acquired: tradeDate.addingTimeInterval(-Double(rng.int(1...1_200)) * 86_400)))
                lotNumber += 1
            }
            positions.append(Position(symbol: s, lots: lots))
        }
        let value = positions.reduce(0.0) { acc, p in
            acc + p.lots.reduce(0.0) { $0 + NSDecimalNumber(decimal: $1.quantity).doubleValue } * Double(priceCents[p.symbol]!) / 100
        }
        let minimumCash = flavor == .general ? 0 : 1_000_000  // exactness subsets: at least $10,000
        let cash = cents(rng.int(minimumCash...5_000_000))
        // Target over a non-empty subset of S0...S(n-1).
        var chosen = (0..<n).filter { _ in rng.chance(0.8) }
        if chosen.isEmpty { chosen = [rng.int(0...(n - 1))] }
        let raw = chosen.map { _ in rng.double(0.05...1) }
        let total = raw.reduce(0, +)
        var weights: [String: Double] = [:]
        for (k, i) in chosen.enumerated() { weights["S\(i)"] = raw[k] / total }
        var target = TargetAllocation.securities(weights)
        if flavor == .general && chosen.count >= 2 && rng.chance(0.25) {
            // Two asset-class sleeves, each with a primary and maybe alternates.
            let half = chosen.count / 2
            let first = chosen[..<half].map { "S\($0)" }, second = chosen[half...].map { "S\($0)" }
            let w = rng.double(0.1...0.9)
            target = .assetClasses([
                .init(assetClass: "A", weight: w, primary: first[0], alternates: Array(first.dropFirst())),
                .init(assetClass: "B", weight: 1 - w, primary: second[0], alternates: Array(second.dropFirst())),
            ])
        }
        // Policy.
        var policy = RebalancePolicy(trigger: .always, mode: .toTarget)
        policy.fractionalShareDecimals = flavor == .fractionalExact ? 8 : rng.int(4...8)
        switch rng.int(0...3) {
        case 0: policy.cashReserve = .amount(cents(rng.int(0...500_000)))
        case 1: policy.cashReserve = .percent(rng.double(0...0.05))
        default: break
        }
        let totalValue = value + NSDecimalNumber(decimal: cash).doubleValue
        switch rng.int(0...3) {
        case 0: policy.pendingCashFlow = cents(Int(totalValue * rng.double(0...0.3) * 100))
        case 1: policy.pendingCashFlow = cents(-Int(totalValue * rng.double(0...0.3) * 100))
        default: break
        }
        policy.lotMethod = [.fifo, .lifo, .highestCost, .taxMinimizing][rng.int(0...3)]
        var kind: AccountKind = [.taxable, .taxDeferred, .taxExempt][rng.int(0...2)]
        var doNotSell: Set<String> = []
        var doNotBuy: Set<String> = []
        if flavor == .general {
            policy.trigger = [.always, .bands, .calendarOrBands(.quarterly)][rng.int(0...2)]
            policy.lastRebalanceDate = tradeDate.addingTimeInterval(-Double(rng.int(0...200)) * 86_400)
            policy.mode = RebalancePolicy.Mode.allCases[rng.int(0...2)]
            if rng.chance(0.5) { policy.minimumTradeValue = cents(rng.int(0...100_000)) }
            if rng.chance(0.5) { policy.commissionPerTrade = cents(rng.int(0...1_000)) }
            if rng.chance(0.5) { policy.spreadBasisPoints = Decimal(rng.int(0...50)) }
            if rng.chance(0.3) { policy.taxBudget = cents(rng.int(0...1_000_000)) }
            if rng.chance(0.2) {
                policy.recentTransactions = [Transaction(
                    date: tradeDate.addingTimeInterval(-Double(rng.int(0...40)) * 86_400), accountID: "x",
                    symbol: symbols[rng.int(0...n)], side: rng.chance(0.5) ? .buy : .sell, quantity: 1,
                    realizedGain: rng.chance(0.7) ? -10 : 10)]
            }
            if rng.chance(0.2) {
                policy.taxLossHarvesting = .init(minimumLoss: cents(rng.int(0...200_000)), minimumLossPercent: rng.double(0...0.3))
            }
            if rng.chance(0.15) { doNotSell.insert(symbols[rng.int(0...n)]) }
            if rng.chance(0.15) { doNotBuy.insert(symbols[rng.int(0...n)]) }
        } else {
            kind = rng.chance(0.5) ? .taxable : .taxDeferred
        }
        let account = Account(id: "P", kind: kind, cash: cash, positions: positions, doNotSell: doNotSell, doNotBuy: doNotBuy)
        return Scenario(securities: securities, prices: Prices(asOf: tradeDate, table), account: account, target: target, policy: policy)
    }

    static func run(_ s: Scenario) throws -> RebalancePlan {
        try Rebalancer(securities: s.securities, policy: s.policy).rebalance(s.account, to: s.target, prices: s.prices)
    }

    static func double(_ d: Decimal) -> Double { NSDecimalNumber(decimal: d).doubleValue }

    @Test("10,000 random accounts and policies: lots, cash, reserve, minimum, identity, determinism")
    func generalProperties() throws {
        var rng = SplitMix64(seed: 20_260_316)
        var failures = 0
        var withdrawalErrors = 0
        var tradesSeen = 0
        for caseNumber in 0..<10_000 {
            let s = Self.scenario(&rng, flavor: .general)
            let plan: RebalancePlan
            do {
                plan = try Self.run(s)
            } catch RebalanceError.withdrawalExceedsAvailableValue {
                withdrawalErrors += 1
                continue
            }
            tradesSeen += plan.trades.count
            // Every bookkeeping invariant, recomputed from the emitted plan; a reserve shortfall
            // (too little to sell) is allowed when a warning explains it and is checked below.
            var ok = plan.invariants.isSound
            ok = ok && PlanAudit.invariants(of: plan, account: s.account, policy: s.policy) == plan.invariants
            // No lot sells more than it holds.
            var lotQuantity: [String: Decimal] = [:]
            for p in s.account.positions { for l in p.lots { lotQuantity[l.id] = l.quantity } }
            var sold: [String: Decimal] = [:]
            for t in plan.trades where t.side == .sell {
                var sum: Decimal = 0
                for l in t.lots { sold[l.lotID, default: 0] += l.quantity; sum += l.quantity }
                ok = ok && sum == t.quantity
            }
            ok = ok && sold.allSatisfy { $0.value <= lotQuantity[$0.key]! && $0.value > 0 }
            // Cash: never negative; buys never take it below the reserve.
            ok = ok && plan.cashAfter >= 0
            if plan.trades.contains(where: { $0.side == .buy }) { ok = ok && plan.cashAfter >= plan.cashReserve }
            if plan.cashBefore + plan.deposit - plan.withdrawal >= plan.cashReserve { ok = ok && plan.cashAfter >= plan.cashReserve }
            // No executed trade below the minimum.
            ok = ok && plan.trades.allSatisfy { $0.grossValue >= s.policy.minimumTradeValue && $0.grossValue > 0 }
            // buys + costs = sells + deposits - withdrawals + (cash before - cash after), to the cent.
            let buys = plan.trades.filter { $0.side == .buy }.reduce(Decimal(0)) { $0 + $1.grossValue }
            let sells = plan.trades.filter { $0.side == .sell }.reduce(Decimal(0)) { $0 + $1.grossValue }
            let costs = plan.trades.reduce(Decimal(0)) { $0 + $1.cost }
            ok = ok && buys + costs == sells + plan.deposit - plan.withdrawal + (plan.cashBefore - plan.cashAfter)
            ok = ok && buys == plan.totalBuys && sells == plan.totalSells && costs == plan.totalCosts
            // Sells before buys.
            if let firstBuy = plan.trades.firstIndex(where: { $0.side == .buy }) {
                ok = ok && !plan.trades[firstBuy...].contains { $0.side == .sell }
            }
            // Running twice gives an identical plan.
            let again = try Self.run(s)
            ok = ok && again == plan
            if !ok {
                failures += 1
                if failures <= 3 { Issue.record("case \(caseNumber) failed: \(plan.invariants) \(summary(plan)) cash \(plan.cashAfter) reserve \(plan.cashReserve)") }
            }
        }
        #expect(failures == 0)
        #expect(withdrawalErrors < 500, "withdrawals that could not be funded: \(withdrawalErrors)")
        #expect(tradesSeen > 20_000)
    }

    @Test("10,000 accounts, fractional shares, no costs, to target: post-trade weights equal targets to 1e-9")
    func fractionalExact() throws {
        var rng = SplitMix64(seed: 7)
        var worst = 0.0
        var failures = 0
        for caseNumber in 0..<10_000 {
            let s = Self.scenario(&rng, flavor: .fractionalExact)
            let plan = try Self.run(s)
            #expect(plan.invariants.allHold)
            // Weights of the invested value (cash, including the cent cushion, left out).
            let invested = plan.holdings.reduce(0.0) { $0 + $1.weightAfter }
            var caseWorst = 0.0
            for h in plan.holdings {
                let goal = s.target.securityWeights.first { $0.symbol == h.symbol }?.weight ?? 0
                var error = abs(h.weightAfter / invested - goal)
                // A line already within a cent of its target is not traded (trades under a cent
                // are never sent): allow that cent.
                if !plan.trades.contains(where: { $0.symbol == h.symbol }) {
                    error = max(0, error - 0.01 / (Self.double(plan.investableValue) * invested))
                }
                caseWorst = max(caseWorst, error)
            }
            worst = max(worst, caseWorst)
            if caseWorst > 1e-9 {
                failures += 1
                if failures <= 3 { Issue.record("case \(caseNumber): weight error \(caseWorst) \(summary(plan))") }
            }
        }
        #expect(failures == 0, "worst weight error \(worst)")
    }

    @Test("10,000 accounts, whole shares, no costs, to target: every weight within one lot's value of target")
    func wholeSharesWithinOneLot() throws {
        var rng = SplitMix64(seed: 11)
        var failures = 0
        for caseNumber in 0..<10_000 {
            let s = Self.scenario(&rng, flavor: .wholeShares)
            let plan = try Self.run(s)
            #expect(plan.invariants.allHold)
            let base = Self.double(plan.investableValue)
            var ok = true
            for h in plan.holdings {
                let lot = Self.double(s.securities.first { $0.symbol == h.symbol }!.lotSize * h.price)
                let goal = s.target.securityWeights.first { $0.symbol == h.symbol }?.weight ?? 0
                ok = ok && abs(h.weightAfter - goal) <= lot / base + 1e-9
            }
            if !ok {
                failures += 1
                if failures <= 3 {
                    Issue.record("case \(caseNumber): \(plan.holdings.map { "\($0.symbol) \($0.weightAfter) vs \($0.targetWeight) @\($0.price)" }) \(summary(plan)) skipped \(plan.skippedTrades)")
                }
            }
        }
        #expect(failures == 0)
    }
}
