import Foundation
import Testing
import FolioFiles
import FolioRebalancing

/// Holdings with several accounts and an asset-class target are rebalanced as one household
/// (asset location across taxable, tax-deferred and tax-exempt accounts); one account, a
/// security target or `asset_location.scope: per-account` keep the account-by-account path.
@Suite struct HouseholdRebalanceTests {
    static func inputs(_ household: String, policyText: String? = nil) throws -> RebalanceInputs {
        let folder = SampleDataTests.data.appendingPathComponent("households/\(household)")
        var policy = folder.appendingPathComponent("policy.yaml")
        if let policyText {
            policy = FileManager.default.temporaryDirectory.appendingPathComponent("folio-policy-\(UUID().uuidString).yaml")
            try policyText.write(to: policy, atomically: true, encoding: .utf8)
        }
        defer { if policyText != nil { try? FileManager.default.removeItem(at: policy) } }
        return try RebalanceInputs.load(
            holdings: folder.appendingPathComponent("holdings.csv"), targets: folder.appendingPathComponent("targets.yaml"),
            policy: policy, securities: SampleDataTests.data.appendingPathComponent("securities.csv"),
            prices: SampleDataTests.data.appendingPathComponent("prices.csv"))
    }

    /// Market value after the trades of each class in each account.
    static func valuesAfter(_ plans: [RebalancePlan]) -> [String: [String: Decimal]] {
        var result: [String: [String: Decimal]] = [:]
        for plan in plans {
            for h in plan.holdings { result[plan.accountID, default: [:]][h.assetClass, default: 0] += h.marketValueAfter }
        }
        return result
    }

    @Test func coupleLocatesClassesByTheRulesAndLandsWithinTheBands() throws {
        let inputs = try Self.inputs("couple")
        #expect(inputs.perAccountReason == nil)
        let run = try inputs.rebalance()
        let household = run.household
        let location = try #require(household.location)
        #expect(run.plans.map(\.accountID) == ["Z70-114466", "Z70-228801", "Z70-339017"])
        let kind = Dictionary(uniqueKeysWithValues: inputs.accounts.map { ($0.id, $0.kind) })
        let rules = inputs.policyFile.assetLocationRules
        // Every placement made by a rule puts a class in the kind of account that lists it.
        for p in location.placements where p.byRule {
            #expect(rules.preferred(for: kind[p.accountID]!).contains(p.assetClass), "\(p)")
        }
        // Bonds, TIPS, high yield and REITs go to the IRA only; small caps to the Roth; large caps to taxable.
        let targets = location.accountTargets
        let classes = { (id: String) in Set(targets[id]?.sleeves.map(\.assetClass) ?? []) }
        for c in ["us-aggregate-bond", "tips", "high-yield", "reits"] {
            #expect(classes("Z70-228801").contains(c))
            #expect(!classes("Z70-114466").contains(c) && !classes("Z70-339017").contains(c), "\(c)")
        }
        #expect(classes("Z70-339017").contains("us-small-cap") && !classes("Z70-114466").contains("us-small-cap"))
        #expect(classes("Z70-114466").contains("us-large-cap") && !classes("Z70-228801").contains("us-large-cap"))
        // After the trades the taxable account and the Roth hold no bonds; the IRA holds them all.
        let after = Self.valuesAfter(run.plans)
        #expect((after["Z70-114466"]?["us-aggregate-bond"] ?? 0) == 0)
        #expect((after["Z70-339017"]?["us-aggregate-bond"] ?? 0) == 0)
        #expect((after["Z70-228801"]?["us-aggregate-bond"] ?? 0) > 200_000)
        // Household weights after are within the policy's 5/25 bands of the target.
        let bands = inputs.policyFile.policy.bands
        for row in household.assetClasses where row.targetWeight > 0 {
            let band = min(bands.absolute ?? 1, (bands.relative ?? 1) * row.targetWeight)
            #expect(abs(row.driftAfter) <= band, "\(row.assetClass): \(row.weightAfter) vs \(row.targetWeight)")
        }
        #expect(run.plans.allSatisfy { $0.invariants.allHold })
        #expect(run.notes.contains { $0.hasPrefix("household rebalance") })
    }

    @Test func oneAccountBehavesAsBefore() throws {
        let inputs = try Self.inputs("young-accumulator")
        #expect(inputs.perAccountReason == "one account")
        let run = try inputs.rebalance()
        #expect(run.household.location == nil && run.notes.isEmpty)
        let engine = try Rebalancer(securities: inputs.securities, policy: inputs.policy)
        let alone = try inputs.accounts.map { try engine.rebalance($0, to: inputs.investedTarget, prices: inputs.prices, context: inputs.context) }
        #expect(run.plans == alone)
    }

    @Test func perAccountScopeAndSecurityTargetsKeepTheAccountByAccountPath() throws {
        let perAccount = try Self.inputs("couple", policyText: "asset_location:\n  scope: per-account\n")
        #expect(perAccount.policyFile.assetLocationScope == .perAccount)
        #expect(perAccount.policyFile.assetLocation == PolicyFile.defaultAssetLocation)
        let run = try perAccount.rebalance()
        #expect(run.household.location == nil)
        // One path: the library's household call gives the same plans as the files' run.
        let engine = try Rebalancer(securities: perAccount.securities, policy: perAccount.policy)
        let library = try engine.rebalance(Household(id: "couple", accounts: perAccount.accounts), to: perAccount.investedTarget,
                                           prices: perAccount.prices, context: perAccount.context)
        #expect(run.plans == library)
        #expect(run.notes.first?.contains("per-account") == true)
        // The retiree's target is by security: two accounts, each to the whole target.
        let retiree = try Self.inputs("retiree")
        let retireeRun = try retiree.rebalance()
        #expect(retireeRun.household.location == nil)
        #expect(retiree.perAccountReason?.contains("by security") == true)
    }

    @Test func anUnknownScopeIsAnErrorWithItsPosition() {
        do {
            _ = try PolicyReader.parse("asset_location:\n  scope: everywhere\n", file: "p.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("p.yaml:2:10"), "\(error)")
            #expect(error.description.contains("household or per-account"))
        }
    }
}
