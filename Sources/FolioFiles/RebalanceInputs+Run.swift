import Foundation
import FolioRebalancing

/// The plans of one rebalance and, when the accounts were rebalanced as one household, where
/// asset location placed each class.
public struct RebalanceRun: Sendable {
    /// The account plans, in the holdings' account order (a household account with no
    /// investable value has none).
    public var plans: [RebalancePlan]
    /// The household plan: the planner's passes, its notes, the household's class weights and,
    /// when the target was located across the accounts, the location.
    public var household: HouseholdPlan
    /// How the run was planned, for the advisor (one sentence each).
    public var notes: [String]
}

extension RebalanceInputs {
    /// Why these inputs are rebalanced account by account rather than as one located
    /// household, or nil when the target is located across the accounts (the rule is
    /// `HouseholdTarget.choosing`; the policy's `asset_location.scope` says whether to locate).
    public var perAccountReason: String? { householdTarget.whyNotLocated }

    var householdTarget: (target: HouseholdTarget, whyNotLocated: String?) {
        HouseholdTarget.choosing(investedTarget, accountCount: accounts.count,
                                 locate: policyFile.assetLocationScope == .household)
    }

    /// Rebalances the holdings through the household planner (`HouseholdPlanner`): the target
    /// located across the accounts when ``perAccountReason`` is nil, else every account to the
    /// whole target. Either way the accounts share one ledger of the day (wash sales across
    /// accounts, IRAs included) and one explicit planning order.
    ///
    /// As a household, asset location spreads the target over the accounts by the policy's
    /// `asset_location` rules (bonds first to tax-deferred accounts, high-growth classes to
    /// tax-exempt ones, tax-efficient equity to taxable ones), keeping in place what would
    /// realize a short-term gain or cannot be sold; each account trades to its share with its
    /// own pending flows, the shared trigger, bands and tax settings.
    ///
    /// - Throws: `AssetLocationError` naming the account that failed.
    /// - Complexity: at most `HouseholdPlanner.maximumPasses` times the engine's cost per account.
    public func rebalance() throws(AssetLocationError) -> RebalanceRun {
        let engine: Rebalancer
        do { engine = try Rebalancer(securities: securities, policy: policy) } catch {
            throw .rebalance(accountID: accounts.first?.id ?? "", error: error)
        }
        let (target, reason) = householdTarget
        let household = try HouseholdPlanner(rebalancer: engine, rules: policyFile.assetLocationRules)
            .plan(Household(id: "household", accounts: accounts), target: target, prices: prices, context: context)
        var notes: [String] = []
        if let reason {
            if accounts.count > 1 { notes.append(reason) }
        } else {
            notes.append("household rebalance: asset location spreads the target over the \(accounts.count) accounts (policy asset_location); each account trades to its share")
            for account in accounts {
                guard let target = household.location?.accountTargets[account.id] else {
                    notes.append("asset location: \(account.id) has no investable value and is not traded")
                    continue
                }
                let shares = target.sleeves.map { String(format: "%@ %.1f%%", $0.assetClass, $0.weight * 100) }.joined(separator: ", ")
                notes.append("asset location: \(account.id) (\(account.kind.displayName)) holds \(shares)")
            }
        }
        notes += household.notes
        return RebalanceRun(plans: household.plans, household: household, notes: notes)
    }
}
