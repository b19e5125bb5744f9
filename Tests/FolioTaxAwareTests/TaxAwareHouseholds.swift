import Foundation
import FolioRebalancing
@testable import FolioTaxAware
@_exported import FolioTestSupport

/// The shared seeded generator (FolioTestSupport), under this target's old name.
typealias Seeded = SplitMix64

/// Seeded households in the shape of the household property tests (2-4 accounts of every
/// kind, 1-3 lots per holding, restrictions, recent trades), on classes of the illustrative
/// capital-market assumptions so Σ is the default risk model's.
enum TaxAwareHouseholds {
    static let tradeDate = Date(timeIntervalSince1970: 1_780_000_000).addingTimeInterval(0)
    static let securities: [FolioRebalancing.Security] = [
        .init(symbol: "LC1", assetClass: "us-large-cap", substantiallyIdenticalGroup: "sp500"),
        .init(symbol: "LC2", assetClass: "us-large-cap", substantiallyIdenticalGroup: "sp500"),
        .init(symbol: "LC3", assetClass: "us-large-cap"),
        .init(symbol: "IN1", assetClass: "intl-developed"), .init(symbol: "IN2", assetClass: "intl-developed"),
        .init(symbol: "EM1", assetClass: "emerging-markets"),
        .init(symbol: "BD1", assetClass: "us-aggregate-bond"), .init(symbol: "BD2", assetClass: "us-aggregate-bond"),
        .init(symbol: "RE1", assetClass: "reits"),
    ]
    static let sleeves: [(String, [String])] = [
        ("us-large-cap", ["LC1", "LC2", "LC3"]), ("intl-developed", ["IN1", "IN2"]), ("emerging-markets", ["EM1"]),
        ("us-aggregate-bond", ["BD1", "BD2"]), ("reits", ["RE1"]),
    ]
    static let policy = RebalancePolicy(
        trigger: .always, cashReserve: .amount(100), spreadBasisPoints: 2,
        shortTermTaxRate: Decimal(string: "0.37"), longTermTaxRate: Decimal(string: "0.20"))

    struct Case {
        var household: Household
        var target: TargetAllocation
        var prices: Prices
        var context: PlanContext
    }

    static func cents(_ c: Int) -> Decimal { Decimal(sign: c < 0 ? .minus : .plus, exponent: -2, significand: Decimal(abs(c))) }

    /// Household `n` of the stream.
    static func make(_ rng: inout Seeded, _ n: Int, idPrefix: String = "H") -> Case {
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
            var account = Account(id: "\(idPrefix)\(n)-A\(a)", kind: a == 0 ? .taxable : kinds[rng.int(0...2)],
                                  cash: cents(rng.int(0...2_000_000)), positions: positions)
            if rng.chance(0.2), let p = positions.randomElement(using: &rng) { account.doNotSell = [p.symbol] }
            if rng.chance(0.2) { account.doNotBuy = [securities[rng.int(0...securities.count - 1)].symbol] }
            accounts.append(account)
        }
        let raw = sleeves.map { _ in rng.double(0.1...1) }
        let total = raw.reduce(0, +)
        let target = TargetAllocation.assetClasses(sleeves.enumerated().map { k, sleeve in
            .init(assetClass: sleeve.0, weight: raw[k] / total, primary: sleeve.1[0], alternates: Array(sleeve.1.dropFirst()))
        })
        var recent: [Transaction] = []
        for _ in 0..<rng.int(0...3) {
            let s = securities[rng.int(0...securities.count - 1)].symbol
            let loss = rng.chance(0.5)
            recent.append(Transaction(date: tradeDate.addingTimeInterval(-Double(rng.int(1...40)) * 86_400),
                                      accountID: accounts[0].id, symbol: s, side: loss ? .sell : .buy, quantity: 10,
                                      realizedGain: loss ? -100 : nil))
        }
        return Case(household: Household(id: "\(idPrefix)\(n)", accounts: accounts), target: target, prices: prices,
                    context: PlanContext(recentTransactions: recent))
    }

    /// The case's optimizer problem at `settings`.
    static func problem(_ c: Case, settings: TaxAwareSettings = TaxAwareSettings()) throws -> TaxAwareHouseholdProblem {
        try TaxAwareHouseholdProblem(
            household: c.household, target: c.target, securities: securities, prices: c.prices, policy: policy,
            assumptions: .illustrative, settings: settings, context: c.context)
    }
}
