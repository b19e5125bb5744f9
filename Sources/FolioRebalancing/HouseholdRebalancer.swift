import Foundation

/// Executes a household-level asset-class target across the household's accounts: asset
/// location decides each account's target, and the rebalancing engine trades each account to
/// it. The household plan is the set of account plans plus the household's class weights before
/// and after.
///
/// ```swift
/// let engine = try Rebalancer(securities: securities, policy: RebalancePolicy(trigger: .always))
/// let plan = try HouseholdRebalancer(rebalancer: engine).rebalance(household, to: target, prices: prices)
/// for c in plan.assetClasses { print(c.assetClass, c.targetWeight, c.weightAfter) }
/// ```
///
/// Each account's capacity is its investable value as the engine computes it: cash plus
/// holdings at `prices`, plus its pending cash flow, less its cash reserve. Because each account
/// is rebalanced to its own target independently, with whole shares each class of the household
/// lands within one lot per holding of its target (the engine's per-account guarantee, summed).
/// Use a policy whose trigger is `.always` so that every account trades to its located target.
public struct HouseholdRebalancer: Sendable {
    /// The engine used for every account.
    public var rebalancer: Rebalancer
    /// The asset-location rules.
    public var rules: AssetLocationRules

    /// Creates a household rebalancer.
    /// - Parameters:
    ///   - rebalancer: The account engine (securities and policy).
    ///   - rules: Asset-location rules (default ``AssetLocationRules/standard``).
    public init(rebalancer: Rebalancer, rules: AssetLocationRules = .standard) {
        self.rebalancer = rebalancer
        self.rules = rules
    }

    /// Locates and executes a household target.
    /// - Parameters:
    ///   - household: The accounts.
    ///   - target: The household's asset-class target.
    ///   - prices: Prices; their date is the trade date.
    ///   - cashFlows: A pending deposit (positive) or withdrawal (negative) per account id,
    ///     replacing the policy's ``RebalancePolicy/pendingCashFlow`` for that account; accounts
    ///     not listed use the policy's.
    /// - Returns: The location, the account plans and the household's class weights.
    /// - Throws: ``AssetLocationError`` naming the account.
    /// - Complexity: O(*c* · *a*) for the location plus the engine's cost per account.
    public func rebalance(
        _ household: Household, to target: TargetAllocation, prices: Prices, cashFlows: [String: Decimal] = [:]
    ) throws(AssetLocationError) -> HouseholdPlan {
        guard target.isByAssetClass else { throw .targetNotByAssetClass }
        var rooms: [AssetLocationPlan.AccountRoom] = []
        var engines: [Rebalancer] = []
        for account in household.accounts {
            var value = Self.double(account.cash)
            for p in account.positions {
                guard let price = prices[p.symbol] else { throw .missingPrice(accountID: account.id, symbol: p.symbol) }
                value += Self.double(p.quantity * price)
            }
            var engine = rebalancer
            if let flow = cashFlows[account.id] {
                var policy = rebalancer.policy
                policy.pendingCashFlow = flow
                do { engine = try Rebalancer(securities: rebalancer.securities.values.sorted { $0.symbol < $1.symbol }, policy: policy) } catch {
                    throw .rebalance(accountID: account.id, error: error)
                }
            }
            let afterFlow = value + Self.double(engine.policy.pendingCashFlow)
            let reserve: Double
            switch engine.policy.cashReserve {
            case .none: reserve = 0
            case .amount(let a): reserve = Self.double(a)
            case .percent(let x): reserve = (afterFlow * x * 100).rounded(.up) / 100
            case .amountOrPercent(let a, let x): reserve = max(Self.double(a), (afterFlow * x * 100).rounded(.up) / 100)
            }
            rooms.append(.init(accountID: account.id, kind: account.kind, capacity: max(0, afterFlow - reserve)))
            engines.append(engine)
        }
        let location = try AssetLocation.locate(target, accounts: rooms, rules: rules)
        var plans: [RebalancePlan] = []
        for (i, account) in household.accounts.enumerated() {
            guard let t = location.accountTargets[account.id] else { continue }
            do { plans.append(try engines[i].rebalance(account, to: t, prices: prices)) } catch {
                throw .rebalance(accountID: account.id, error: error)
            }
        }
        // Household class weights before and after, over the located accounts.
        var before: [String: Double] = [:]
        var after: [String: Double] = [:]
        var totalBefore = 0.0
        var totalAfter = 0.0
        for plan in plans {
            for h in plan.holdings {
                before[h.assetClass, default: 0] += Self.double(h.marketValueBefore)
                after[h.assetClass, default: 0] += Self.double(h.marketValueAfter)
            }
            totalBefore += Self.double(plan.accountValueBefore)
            totalAfter += Self.double(plan.investableValue)
        }
        let cashAfter = plans.reduce(0.0) { $0 + Self.double($1.cashAfter) }
        let reserves = plans.reduce(0.0) { $0 + Self.double($1.cashReserve) }
        totalAfter = after.sorted { $0.key < $1.key }.reduce(0) { $0 + $1.value } + max(0, cashAfter - reserves)
        let targetWeights = Dictionary(target.sleeves.map { ($0.assetClass, $0.weight) }, uniquingKeysWith: +)
        let classes = target.sleeves.map(\.assetClass) + after.keys.filter { targetWeights[$0] == nil }.sorted()
        let rows = classes.map { c in
            HouseholdPlan.AssetClassRow(
                assetClass: c, targetWeight: targetWeights[c] ?? 0,
                weightBefore: totalBefore > 0 ? (before[c] ?? 0) / totalBefore : 0,
                weightAfter: totalAfter > 0 ? (after[c] ?? 0) / totalAfter : 0,
                valueAfter: after[c] ?? 0)
        }
        return HouseholdPlan(
            householdID: household.id, location: location, plans: plans, assetClasses: rows,
            uninvestedCashAfter: max(0, cashAfter - reserves))
    }

    static func double(_ d: Decimal) -> Double { NSDecimalNumber(decimal: d).doubleValue }
}

/// A household rebalance: where each class went, each account's plan, and the household's
/// class weights before and after.
public struct HouseholdPlan: Sendable, Hashable, Codable {
    /// One asset class at the household level.
    public struct AssetClassRow: Sendable, Hashable, Codable {
        /// The class.
        public var assetClass: String
        /// Household target weight.
        public var targetWeight: Double
        /// Weight before the trades (of the accounts' total value).
        public var weightBefore: Double
        /// Weight after the trades (of the accounts' investable value after: holdings plus
        /// cash above the reserves).
        public var weightAfter: Double
        /// Market value after the trades, in currency.
        public var valueAfter: Double

        /// `weightAfter − targetWeight`.
        public var driftAfter: Double { weightAfter - targetWeight }
    }

    /// The household's id.
    public var householdID: String
    /// Where each class was placed and each account's target.
    public var location: AssetLocationPlan
    /// The account plans, in household order (accounts with no capacity are skipped).
    public var plans: [RebalancePlan]
    /// Household class weights: the target's classes in order, then classes held but not targeted.
    public var assetClasses: [AssetClassRow]
    /// Cash left uninvested above the reserves after the trades, in currency.
    public var uninvestedCashAfter: Double

    /// Every trade of every account, in plan order.
    public var trades: [Trade] { plans.flatMap(\.trades) }
}
