import Foundation
import Testing
@testable import FolioRebalancing
@_exported import FolioTestSupport

/// A UTC date.
func day(_ y: Int, _ m: Int, _ d: Int) -> Date {
    Date(timeIntervalSince1970: Double(CivilDay.from(year: y, month: m, day: d)) * 86_400)
}

/// Exact money from a string literal.
func dec(_ s: String) -> Decimal { Decimal(string: s)! }

/// Money from integer cents.
func cents(_ c: Int) -> Decimal { Decimal(sign: c < 0 ? .minus : .plus, exponent: -2, significand: Decimal(abs(c))) }

let tradeDate = day(2026, 3, 16)

/// Two securities, AAA (stocks, $100) and BBB (bonds, $50), plus extras used by some tests.
let standardSecurities = [
    Security(symbol: "AAA", assetClass: "Stocks"),
    Security(symbol: "AAX", assetClass: "Stocks"),
    Security(symbol: "BBB", assetClass: "Bonds"),
    Security(symbol: "BBX", assetClass: "Bonds"),
    Security(symbol: "CCC", assetClass: "Cash-like"),
    Security(symbol: "ZZZ", assetClass: "Other"),
    Security(symbol: "LOT", assetClass: "Stocks"),
    Security(symbol: "BOND", assetClass: "Bonds", lotSize: 1000),
    Security(symbol: "FRA", assetClass: "Stocks", allowsFractionalShares: true),
]

let standardPrices = Prices(asOf: tradeDate, [
    "AAA": 100, "AAX": 50, "BBB": 50, "BBX": 20, "CCC": 25, "ZZZ": 20, "LOT": 100, "BOND": dec("0.98"), "FRA": 400,
])

/// A one-lot position.
func position(_ symbol: String, _ quantity: Int, basis: Int, acquired: Date = day(2020, 1, 2), id: String? = nil) -> Position {
    Position(symbol: symbol, lots: [Lot(id: id ?? "\(symbol)-1", quantity: Decimal(quantity), costBasis: Decimal(basis), acquired: acquired)])
}

/// 70/30 account worth $100,000: 700 AAA ($70,000, basis $49,000, long-term) and 600 BBB ($30,000).
func driftedAccount(kind: AccountKind = .taxable, cash: Decimal = 0) -> Account {
    Account(id: "T1", kind: kind, cash: cash, positions: [
        position("AAA", 700, basis: 49_000),
        position("BBB", 600, basis: 33_000),
    ])
}

let sixtyForty = TargetAllocation.securities(["AAA": 0.6, "BBB": 0.4])

func plan(
    _ account: Account, _ target: TargetAllocation = sixtyForty, policy: RebalancePolicy,
    prices: Prices = standardPrices
) throws -> RebalancePlan {
    let r = try Rebalancer(securities: standardSecurities, policy: policy)
    let p = try r.rebalance(account, to: target, prices: prices)
    #expect(p.invariants.allHold, "invariants: \(p.invariants)")
    return p
}

/// The trades as compact strings, e.g. "SELL 100 AAA 10000".
func summary(_ p: RebalancePlan) -> [String] {
    p.trades.map { "\($0.side == .sell ? "SELL" : "BUY") \($0.quantity) \($0.symbol) \($0.grossValue)" }
}

extension RebalancePlan {
    func trade(_ symbol: String) -> Trade? { trades.first { $0.symbol == symbol } }
    func holding(_ symbol: String) -> HoldingChange? { holdings.first { $0.symbol == symbol } }
}
