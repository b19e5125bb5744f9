import Foundation
import FolioRebalancing

/// The plans of one rebalance and, when the accounts were rebalanced as one household, where
/// asset location placed each class.
public struct RebalanceRun: Sendable {
    /// The account plans, in the holdings' account order (a household account with no
    /// investable value has none).
    public var plans: [RebalancePlan]
    /// The household plan (asset location and household class weights), when the accounts
    /// were rebalanced together; nil when each account was rebalanced to the whole target.
    public var household: HouseholdPlan?
    /// How the run was planned, for the advisor (one sentence each).
    public var notes: [String]
}

extension RebalanceInputs {
    /// Rebalances every account to the target independently, each with its own policy
    /// (pending flows, reserve), in the holdings' account order.
    ///
    /// - Throws: `RebalanceError` from the engine (the first account that fails).
    /// - Complexity: linear in the number of accounts; see `Rebalancer.rebalance`.
    public func rebalanceEachAccount() throws(RebalanceError) -> [RebalancePlan] {
        var plans: [RebalancePlan] = []
        for account in accounts { plans.append(try planAlone(account)) }
        return plans
    }

    /// One account rebalanced to the whole target with its own policy.
    func planAlone(_ account: Account) throws(RebalanceError) -> RebalancePlan {
        try Rebalancer(securities: securities, policy: policy(for: account)).rebalance(account, to: investedTarget, prices: prices)
    }

    /// Why these inputs are rebalanced account by account rather than as a household, or nil
    /// when they are rebalanced as a household: more than one account, an asset-class target,
    /// `asset_location.scope` not `per-account`, and a lot method other than `specific` (whose
    /// lot lists are per account).
    public var perAccountReason: String? {
        if accounts.count <= 1 { return "one account" }
        if policyFile.assetLocationScope == .perAccount {
            return "the policy's asset_location.scope is per-account: each account is rebalanced to the whole target"
        }
        if !investedTarget.isByAssetClass {
            return "the target is by security: each account is rebalanced to the whole target (asset location across accounts needs a target by asset class)"
        }
        if case .specificLots = policyFile.policy.lotMethod {
            return "taxes.lot_method is specific: each account is rebalanced to the whole target with its own lot lists"
        }
        return nil
    }

    /// Rebalances the holdings: as one household when there are several accounts and the
    /// target is by asset class (``perAccountReason`` is nil), else account by account.
    ///
    /// As a household, `HouseholdRebalancer` spreads the target over the
    /// accounts by the policy's `asset_location` rules (bonds first to tax-deferred accounts,
    /// high-growth classes to tax-exempt ones, tax-efficient equity to taxable ones), and each
    /// account trades to its share with its own pending flows, the shared trigger, bands and
    /// tax settings. Each account's trigger is judged against its share of the target.
    ///
    /// - Throws: `AssetLocationError` naming the account that failed.
    /// - Complexity: linear in the number of accounts plus the engine's cost per account.
    public func rebalance() throws(AssetLocationError) -> RebalanceRun {
        if let reason = perAccountReason {
            var plans: [RebalancePlan] = []
            for account in accounts {
                do { plans.append(try planAlone(account)) } catch { throw .rebalance(accountID: account.id, error: error) }
            }
            return RebalanceRun(plans: plans, household: nil, notes: accounts.count > 1 ? [reason] : [])
        }
        let engine: Rebalancer
        do { engine = try Rebalancer(securities: securities, policy: policy(for: accounts[0])) } catch {
            throw .rebalance(accountID: accounts[0].id, error: error)
        }
        let flows = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, policy(for: $0).pendingCashFlow) })
        let household = try HouseholdRebalancer(rebalancer: engine, rules: policyFile.assetLocationRules)
            .rebalance(Household(id: "household", accounts: accounts), to: investedTarget, prices: prices, cashFlows: flows)
        var notes = ["household rebalance: asset location spreads the target over the \(accounts.count) accounts (policy asset_location); each account trades to its share"]
        let kinds = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0.kind) })
        for account in accounts {
            guard let target = household.location.accountTargets[account.id] else {
                notes.append("asset location: \(account.id) has no investable value and is not traded")
                continue
            }
            let shares = target.sleeves.map { String(format: "%@ %.1f%%", $0.assetClass, $0.weight * 100) }.joined(separator: ", ")
            notes.append("asset location: \(account.id) (\(kinds[account.id]!.rawValue)) holds \(shares)")
        }
        return RebalanceRun(plans: household.plans, household: household, notes: notes)
    }
}
