import Foundation
import Testing
@testable import FolioRebalancing

/// Unknown tax rates give no tax estimate (never a zero), and `investLeftoverCash: false`
/// keeps the whole-share rounding remainder in cash.
@Suite("Tax estimate and leftover cash")
struct TaxEstimateAndLeftoverCashTests {
    @Test("unknown rates: a taxable plan's tax is nil, its gains exact")
    func unknownRatesAreNotEstimated() throws {
        let policy = RebalancePolicy(trigger: .always, lotMethod: .fifo, shortTermTaxRate: nil, longTermTaxRate: nil)
        #expect(!policy.taxRatesAreKnown)
        let p = try plan(TaxTests.account, TaxTests.target, policy: policy)
        #expect(p.realizedLongTermGain == 400 && p.realizedShortTermGain == 0)  // as TaxTests.fifo
        #expect(p.estimatedTax == nil)
        // One rate missing is enough: the tax needs both.
        let longOnly = try plan(TaxTests.account, TaxTests.target,
                                policy: RebalancePolicy(trigger: .always, lotMethod: .fifo, shortTermTaxRate: nil))
        #expect(longOnly.estimatedTax == nil)
        // The library's defaults know both rates: 400 × 20%.
        #expect(try plan(TaxTests.account, TaxTests.target, policy: RebalancePolicy(trigger: .always, lotMethod: .fifo)).estimatedTax == 80)
        // A tax-deferred account owes no tax whatever the rates.
        var ira = TaxTests.account
        ira.kind = .taxDeferred
        #expect(try plan(ira, TaxTests.target, policy: policy).estimatedTax == 0)
        // Encoded as an explicit null, decoded back to nil.
        let data = try p.jsonData()
        #expect(try JSONDecoder.iso.decode(RebalancePlan.self, from: data) == p)
        #expect(String(decoding: data, as: UTF8.self).contains("\"estimatedTax\" : null"))
        // Every property is encoded: the keys are the plan's stored properties.
        let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys
        #expect(Set(keys) == Set(Mirror(reflecting: p).children.compactMap(\.label)))
    }

    /// $1,070 cash into 50% AAA ($100) and 50% BBB ($50): $535 each rounds down to 5 AAA and
    /// 10 BBB ($1,000). The leftover $70 buys one more BBB ($35 short of its target, at least
    /// half a share) and $20 stays; with `investLeftoverCash: false` all $70 stays.
    @Test("investLeftoverCash: false leaves the rounding cash uninvested")
    func leftoverCash() throws {
        let account = Account(id: "C", kind: .taxable, cash: 1_070, positions: [])
        let target = TargetAllocation.securities(["AAA": 0.5, "BBB": 0.5])
        let invested = try plan(account, target, policy: RebalancePolicy(trigger: .always))
        #expect(summary(invested) == ["BUY 5 AAA 500", "BUY 11 BBB 550"])
        #expect(invested.cashAfter == 20)
        let kept = try plan(account, target, policy: RebalancePolicy(trigger: .always, investLeftoverCash: false))
        #expect(summary(kept) == ["BUY 5 AAA 500", "BUY 10 BBB 500"])
        #expect(kept.cashAfter == 70)
        #expect(RebalancePolicy().investLeftoverCash)
    }
}
