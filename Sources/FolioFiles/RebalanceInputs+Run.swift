import FolioRebalancing

extension RebalanceInputs {
    /// Rebalances every account to the target independently, each with its own policy
    /// (pending flows, reserve), in the holdings' account order.
    ///
    /// - Throws: `RebalanceError` from the engine (the first account that fails).
    /// - Complexity: linear in the number of accounts; see `Rebalancer.rebalance`.
    public func rebalanceEachAccount() throws(RebalanceError) -> [RebalancePlan] {
        var plans: [RebalancePlan] = []
        for account in accounts {
            let rebalancer = try Rebalancer(securities: securities, policy: policy(for: account))
            plans.append(try rebalancer.rebalance(account, to: investedTarget, prices: prices))
        }
        return plans
    }
}
