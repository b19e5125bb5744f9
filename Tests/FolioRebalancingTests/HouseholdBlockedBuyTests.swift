import Foundation
import Testing
@testable import FolioRebalancing

/// A wash-sale-blocked buy of less than one share is not a buy: the household planner must not
/// keep a taxable account's loss lots for it (the tax-aware hand-over met this: targets a few
/// cents above a holding made the engine report a blocked buy of 0 shares, and the taxable
/// account then sold gain lots instead of the loss lots it was asked to sell).
@Suite("Household planner: blocked buys of zero shares")
struct HouseholdBlockedBuyTests {
    @Test("a target a few cents above an IRA holding does not keep the taxable account's loss lots")
    func zeroShareBlockedBuyIsNotABuyer() throws {
        let asOf = Date(timeIntervalSince1970: 1_780_000_000)
        let securities = [Security(symbol: "XX", assetClass: "us-large-cap"), Security(symbol: "YY", assetClass: "us-aggregate-bond")]
        let prices = Prices(asOf: asOf, ["XX": 50, "YY": 100])
        let old = asOf.addingTimeInterval(-800 * 86_400)
        let household = Household(id: "H", accounts: [
            Account(id: "TAX", kind: .taxable, cash: 0, positions: [
                Position(symbol: "XX", lots: [Lot(id: "gain", quantity: 100, costBasis: 2_000, acquired: old),
                                              Lot(id: "loss", quantity: 100, costBasis: 8_000, acquired: old)]),
            ]),
            Account(id: "IRA", kind: .taxDeferred, cash: 1_000, positions: [
                Position(symbol: "XX", lots: [Lot(id: "i1", quantity: 100, costBasis: 4_000, acquired: old)]),
            ]),
        ])
        // TAX sells half its XX (the loss lot named first); IRA keeps its XX, its target 2 cents
        // above the holding (XX is blocked there once TAX sells it at a loss).
        let x = 5_000.02 / 6_000
        let targets: [String: TargetAllocation] = [
            "TAX": .securities(["XX": 0.5, "YY": 0.5]),
            "IRA": .securities(["XX": x, "YY": 1 - x]),
        ]
        let policy = RebalancePolicy(trigger: .always, fractionalShareDecimals: 0, lotMethod: .specificLots([]))
        let engine = try Rebalancer(securities: securities, policy: policy)
        let plan = try HouseholdPlanner(rebalancer: engine).plan(
            household, target: .perAccount(targets), prices: prices, context: PlanContext(specificLots: ["TAX": ["loss"]]))
        let sold = plan.trades.filter { $0.accountID == "TAX" && $0.side == .sell }.flatMap(\.lots)
        #expect(plan.lossLotsKeptFor.isEmpty)
        #expect(sold.map(\.lotID) == ["loss"], "\(sold)")
        #expect(!plan.trades.contains { $0.accountID == "IRA" && $0.symbol == "XX" })
    }
}
