import Foundation
import Testing
@testable import FolioRebalancing

/// Bad data throws a typed error naming what and where.
@Suite("Errors")
struct ErrorTests {
    let policy = RebalancePolicy(trigger: .always)

    @Test("target problems")
    func targets() throws {
        #expect(throws: RebalanceError.targetWeightsDoNotSumToOne(sum: 0.9)) {
            try plan(driftedAccount(), .securities(["AAA": 0.5, "BBB": 0.4]), policy: policy)
        }
        #expect(throws: RebalanceError.unknownSecurity(symbol: "QQQ", context: "target")) {
            try plan(driftedAccount(), .securities(["AAA": 0.5, "QQQ": 0.5]), policy: policy)
        }
        let noPrice = Prices(asOf: tradeDate, ["AAA": 100, "BBB": 50])
        #expect(throws: RebalanceError.missingPrice(symbol: "CCC", context: "target")) {
            try plan(driftedAccount(), .securities(["AAA": 0.5, "CCC": 0.5]), policy: policy, prices: noPrice)
        }
        #expect(throws: RebalanceError.invalidTargetWeight(name: "AAA", weight: -0.1)) {
            try plan(driftedAccount(), .securities(["AAA": -0.1, "BBB": 1.1]), policy: policy)
        }
        // Within 1e-6 is accepted.
        _ = try plan(driftedAccount(), .securities(["AAA": 0.6000004, "BBB": 0.4]), policy: policy)
    }

    @Test("holdings problems")
    func holdings() throws {
        var a = driftedAccount()
        a.positions[0].lots[0].quantity = -5
        #expect(throws: RebalanceError.negativeQuantity(account: "T1", symbol: "AAA", lotID: "AAA-1", quantity: -5)) {
            try plan(a, policy: policy)
        }
        let noPrice = Prices(asOf: tradeDate, ["AAA": 100, "CCC": 25])
        #expect(throws: RebalanceError.missingPrice(symbol: "BBB", context: "account T1")) {
            try plan(driftedAccount(), .securities(["AAA": 0.5, "CCC": 0.5]), policy: policy, prices: noPrice)
        }
        var b = driftedAccount()
        b.positions.append(position("NOPE", 1, basis: 1))
        #expect(throws: RebalanceError.unknownSecurity(symbol: "NOPE", context: "account T1")) { try plan(b, policy: policy) }
        var c = driftedAccount()
        c.positions[0].lots.append(Lot(id: "AAA-1", quantity: 1, costBasis: 1, acquired: day(2024, 1, 2)))
        #expect(throws: RebalanceError.duplicateLotID(account: "T1", lotID: "AAA-1")) { try plan(c, policy: policy) }
        // Across positions, ids must be unique when specific lots are named.
        var e = driftedAccount()
        e.positions[1].lots[0].id = "AAA-1"
        #expect(throws: RebalanceError.duplicateLotID(account: "T1", lotID: "AAA-1")) {
            try plan(e, policy: RebalancePolicy(trigger: .always, lotMethod: .specificLots(["AAA-1"])))
        }
        #expect(throws: RebalanceError.negativeCash(account: "T1", cash: -1)) { try plan(driftedAccount(cash: -1), policy: policy) }
        var d = driftedAccount()
        d.positions[0].lots[0].quantity = dec("0.123456789")
        #expect(throws: RebalanceError.precisionExceeded(field: "quantity of lot AAA-1", context: "account T1", value: dec("0.123456789"))) {
            try plan(d, policy: policy)
        }
        // A position worth 10^11 is beyond the engine's range (about 2.3 × 10^10 per value).
        var huge = driftedAccount()
        huge.positions[0].lots[0].quantity = 1_000_000_000
        #expect(throws: RebalanceError.amountOutOfRange(field: "market value of AAA", context: "account T1", value: 100)) {
            try plan(huge, policy: policy)
        }
    }

    @Test("policy and withdrawal problems")
    func policyProblems() throws {
        #expect(throws: RebalanceError.duplicateSecurity(symbol: "AAA")) {
            try Rebalancer(securities: [Security(symbol: "AAA", assetClass: "x"), Security(symbol: "AAA", assetClass: "y")])
        }
        #expect(throws: RebalanceError.invalidLotSize(symbol: "AAA", lotSize: 0)) {
            try Rebalancer(securities: [Security(symbol: "AAA", assetClass: "x", lotSize: 0)])
        }
        #expect(throws: RebalanceError.invalidPolicy(field: "fractionalShareDecimals", reason: "must be in 0...8")) {
            try Rebalancer(securities: [], policy: RebalancePolicy(fractionalShareDecimals: 9))
        }
        #expect(throws: RebalanceError.withdrawalExceedsAvailableValue(account: "T1", requested: 200_000, available: 100_000)) {
            try plan(driftedAccount(), policy: RebalancePolicy(trigger: .always, pendingCashFlow: -200_000))
        }
        let message = RebalanceError.missingPrice(symbol: "BBB", context: "account T1").description
        #expect(message == "account T1: no price for BBB")
    }
}
