// RebalanceAccount: a household with a taxable account (several lots per holding) and an IRA,
// drifted from a 60/40 target, rebalanced to target with tax-minimizing lot selection; then
// the same household with a $20,000 deposit in cash-flow-only mode.
//
//     swift run RebalanceAccount
import Foundation
import FolioRebalancing

/// A UTC date from year, month and day.
func day(_ y: Int, _ m: Int, _ d: Int) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(from: DateComponents(year: y, month: m, day: d))!
}

func money(_ x: Decimal) -> String {
    var v = x
    var r = Decimal()
    NSDecimalRound(&r, &v, 2, .plain)
    let s = "\(r)"
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    let cents = parts.count > 1 ? String(parts[1]).padding(toLength: 2, withPad: "0", startingAt: 0) : "00"
    var whole = String(parts[0])
    let negative = whole.hasPrefix("-")
    if negative { whole.removeFirst() }
    var grouped = ""
    for (k, ch) in whole.reversed().enumerated() {
        if k > 0 && k % 3 == 0 { grouped.append(",") }
        grouped.append(ch)
    }
    return (negative ? "-$" : "$") + String(grouped.reversed()) + "." + cents
}

func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
    s.count >= n ? s : (left ? String(repeating: " ", count: n - s.count) + s : s + String(repeating: " ", count: n - s.count))
}

func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

let securities = [
    Security(symbol: "VTI", assetClass: "US Stocks"),
    Security(symbol: "ITOT", assetClass: "US Stocks"),
    Security(symbol: "VXUS", assetClass: "Intl Stocks"),
    Security(symbol: "IXUS", assetClass: "Intl Stocks"),
    Security(symbol: "BND", assetClass: "US Bonds"),
    Security(symbol: "AGG", assetClass: "US Bonds"),
]

let target = TargetAllocation.assetClasses([
    .init(assetClass: "US Stocks", weight: 0.45, primary: "VTI", alternates: ["ITOT"]),
    .init(assetClass: "Intl Stocks", weight: 0.15, primary: "VXUS", alternates: ["IXUS"]),
    .init(assetClass: "US Bonds", weight: 0.40, primary: "BND", alternates: ["AGG"]),
])

let prices = Prices(asOf: day(2026, 3, 16), [
    "VTI": 300.00, "ITOT": 128.50, "VXUS": 62.00, "IXUS": 70.10, "BND": 72.00, "AGG": 97.40,
])

let taxable = Account(id: "Taxable-1001", kind: .taxable, cash: 2_500, positions: [
    Position(symbol: "VTI", lots: [
        Lot(id: "VTI-2019", quantity: 400, costBasis: 60_000, acquired: day(2019, 6, 3)),
        Lot(id: "VTI-2022", quantity: 150, costBasis: 33_000, acquired: day(2022, 1, 4)),
        Lot(id: "VTI-2025", quantity: 100, costBasis: 31_000, acquired: day(2025, 9, 15)),
    ]),
    Position(symbol: "VXUS", lots: [
        Lot(id: "VXUS-2020", quantity: 800, costBasis: 40_000, acquired: day(2020, 3, 20)),
        Lot(id: "VXUS-2025", quantity: 300, costBasis: 21_000, acquired: day(2025, 11, 3)),
    ]),
    Position(symbol: "BND", lots: [
        Lot(id: "BND-2021", quantity: 1_200, costBasis: 102_000, acquired: day(2021, 8, 2)),
        Lot(id: "BND-2024", quantity: 400, costBasis: 28_400, acquired: day(2024, 5, 1)),
    ]),
])

let ira = Account(id: "IRA-2002", kind: .taxDeferred, cash: 1_000, positions: [
    Position(symbol: "VTI", lots: [Lot(id: "IRA-VTI", quantity: 250, costBasis: 50_000, acquired: day(2018, 2, 1))]),
    Position(symbol: "VXUS", lots: [Lot(id: "IRA-VXUS", quantity: 300, costBasis: 15_000, acquired: day(2018, 2, 1))]),
    Position(symbol: "BND", lots: [Lot(id: "IRA-BND", quantity: 600, costBasis: 48_000, acquired: day(2018, 2, 1))]),
])

let household = Household(id: "Rivera", accounts: [taxable, ira])

func show(_ plans: [RebalancePlan], title: String) {
    print("\n=== \(title) ===")
    for plan in plans {
        print("\nAccount \(plan.accountID) (\(plan.accountKind.rawValue)), value \(money(plan.accountValueBefore)), mode \(plan.appliedMode.rawValue)")
        print("Trigger: \(plan.trigger.isTriggered ? "yes" : "no") - \(plan.trigger.explanation)")
        if plan.trades.isEmpty { print("  no trades") }
        for t in plan.trades {
            print("  \(pad(t.side.rawValue.uppercased(), 4)) \(pad("\(t.quantity)", 6, left: true)) \(pad(t.symbol, 5)) @ \(pad(money(t.price), 8, left: true))  \(pad(money(t.grossValue), 12, left: true))  \(t.reason)")
            for lot in t.lots {
                let term = lot.term == .longTerm ? "LT" : "ST"
                print("         lot \(pad(lot.lotID, 10)) \(pad("\(lot.quantity)", 5, left: true)) sh  basis \(pad(money(lot.costBasis), 11, left: true))  gain \(pad(money(lot.realizedGain), 11, left: true)) \(term)")
            }
        }
        for s in plan.skippedTrades { print("  skipped: \(s)") }
        print("  Asset classes (before -> after, target):")
        for c in plan.assetClasses {
            print("    \(pad(c.assetClass, 12)) \(pad(pct(c.weightBefore), 6, left: true)) -> \(pad(pct(c.weightAfter), 6, left: true))   target \(pct(c.targetWeight))")
        }
        print("  Cash \(money(plan.cashBefore)) -> \(money(plan.cashAfter)); buys \(money(plan.totalBuys)), sells \(money(plan.totalSells)), turnover \(pct(plan.turnover))")
        if plan.accountKind == .taxable {
            print("  Tax: short-term \(money(plan.realizedShortTermGain)), long-term \(money(plan.realizedLongTermGain)), estimated tax \(plan.estimatedTax.map(money) ?? "not estimated (no rates)")")
        }
        for w in plan.warnings { print("  warning: \(w)") }
        print("  invariants hold: \(plan.invariants.allHold)")
    }
}

do {
    let policy = RebalancePolicy(trigger: .bands, mode: .toTarget, lotMethod: .taxMinimizing)
    let rebalancer = try Rebalancer(securities: securities, policy: policy)
    show(try rebalancer.rebalance(household, to: target, prices: prices), title: "Rebalance to target, tax-minimizing")
    print("\n(The IRA fills Intl Stocks with IXUS, not VXUS: the taxable account sells VXUS at a loss")
    print(" today, and buying it in the IRA would be a wash sale that disallows the loss.)")

    let depositPolicy = RebalancePolicy(trigger: .bands, mode: .cashFlowOnly, pendingCashFlow: 20_000, lotMethod: .taxMinimizing)
    let depositRebalancer = try Rebalancer(securities: securities, policy: depositPolicy)
    show([try depositRebalancer.rebalance(taxable, to: target, prices: prices)],
         title: "A $20,000 deposit, cash-flow only (no sells)")
} catch {
    print("error: \(error)")
}
