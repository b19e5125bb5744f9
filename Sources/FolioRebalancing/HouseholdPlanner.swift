import Foundation

/// What a household is rebalanced to.
public enum HouseholdTarget: Sendable, Hashable {
    /// One asset-class target for the household as a whole, spread over the accounts by asset
    /// location; each account trades to its share.
    case located(TargetAllocation)
    /// Every account trades to the same whole target on its own.
    case eachAccount(TargetAllocation)
    /// Each account trades to its own target, by account id; accounts without one are not
    /// traded.
    case perAccount([String: TargetAllocation])
}

extension HouseholdTarget {
    /// How accounts are planned to one target: located across them when there are several, the
    /// target is by asset class and location is wanted; otherwise each account to the whole
    /// target, with the reason.
    /// - Parameters:
    ///   - target: The target.
    ///   - accountCount: How many accounts the household has.
    ///   - locate: Whether asset location across the accounts is wanted (a policy's scope).
    /// - Returns: The household target, and why it is not located (nil when it is).
    public static func choosing(
        _ target: TargetAllocation, accountCount: Int, locate: Bool = true
    ) -> (target: HouseholdTarget, whyNotLocated: String?) {
        let reason: String?
        if accountCount <= 1 {
            reason = "one account"
        } else if !locate {
            reason = "the policy's asset_location.scope is per-account: each account is rebalanced to the whole target"
        } else if !target.isByAssetClass {
            reason = "the target is by security: each account is rebalanced to the whole target (asset location across accounts needs a target by asset class)"
        } else {
            reason = nil
        }
        return (reason == nil ? .located(target) : .eachAccount(target), reason)
    }
}

/// The one household planner: every path (the library's household calls, `folio rebalance`,
/// `folio batch`, the examples) plans a household through it.
///
/// It plans the accounts in one explicit order (``planningOrder(_:)``: taxable accounts, then
/// tax-deferred, then tax-exempt ones, each group in the household's order) against one
/// household ledger of the day:
/// - **Wash sales span the household.** A loss sold today in a taxable account blocks buys of
///   the same security, or of one in its ``Security/substantiallyIdenticalGroup``, in every
///   later account, IRAs included: they buy the sleeve's next alternate instead. A security
///   bought today in one account keeps its loss lots unsold in every later taxable account.
///   When a loss sale still meets a buy elsewhere, or leaves a line with no alternate to buy,
///   the planner plans again with that security's loss lots kept, so a loss is never sold
///   against a buy: a loss replaced inside an IRA is disallowed for good.
/// - **Location knows the cost of moving.** With a ``HouseholdTarget/located(_:)`` target,
///   holdings that cannot be sold, or whose sale would realize a short-term gain, stay in their
///   account (``AssetLocationPlan/AccountRoom/kept``); what the tax budget or a wash sale then
///   keeps unsold is located where it is on the next pass. What the rules wanted and was left
///   for later is in ``AssetLocationPlan/deferred``.
///
/// Each pass is a complete plan of every account; the planner stops when a pass learns nothing
/// new (at most ``maximumPasses``), so the plan returned is consistent with its own ledger.
///
/// ```swift
/// let engine = try Rebalancer(securities: securities, policy: policy)
/// let plan = try HouseholdPlanner(rebalancer: engine).plan(household, target: .located(target), prices: prices)
/// for trade in plan.trades { print(trade.accountID, trade.side, trade.quantity, trade.symbol) }
/// ```
public struct HouseholdPlanner: Sendable {
    /// The account engine (securities and policy), shared by every account.
    public var rebalancer: Rebalancer
    /// The asset-location rules, for ``HouseholdTarget/located(_:)`` targets.
    public var rules: AssetLocationRules
    /// The most passes over the household (each a full plan of every account).
    public static let maximumPasses = 6

    /// Creates a planner.
    /// - Parameters:
    ///   - rebalancer: The account engine (securities and policy).
    ///   - rules: Asset-location rules (default ``AssetLocationRules/standard``).
    public init(rebalancer: Rebalancer, rules: AssetLocationRules = .standard) {
        self.rebalancer = rebalancer
        self.rules = rules
    }

    /// The order accounts are planned in: taxable, then tax-deferred, then tax-exempt
    /// accounts, each group in the household's order. A loss sold in a taxable account is
    /// known before an IRA chooses what to buy, so the IRA buys an alternate rather than
    /// disallowing the loss.
    /// - Parameter accounts: The household's accounts.
    /// - Returns: Indices into `accounts`.
    public static func planningOrder(_ accounts: [Account]) -> [Int] {
        let rank: (AccountKind) -> Int = { $0 == .taxable ? 0 : $0 == .taxDeferred ? 1 : 2 }
        return accounts.indices.sorted { (rank(accounts[$0].kind), $0) < (rank(accounts[$1].kind), $1) }
    }

    /// Plans a household.
    /// - Parameters:
    ///   - household: The accounts.
    ///   - target: What the household is rebalanced to.
    ///   - prices: Prices; their date is the trade date.
    ///   - context: What this run knows: pending flows per account, recent trades, specific
    ///     lots, last rebalance (default: nothing beyond the policy).
    /// - Returns: The account plans in the household's order, the location when located, and
    ///   the household's class weights.
    /// - Throws: ``AssetLocationError`` naming the account for bad data in an account, or the
    ///   location's error.
    /// - Complexity: At most ``maximumPasses`` times the engine's cost per account, plus
    ///   O(*c* · *a*) per location for *c* classes and *a* accounts.
    public func plan(
        _ household: Household, target: HouseholdTarget, prices: Prices, context: PlanContext = PlanContext()
    ) throws(AssetLocationError) -> HouseholdPlan {
        var ledger = try HouseholdLedger(planner: self, household: household, target: target, prices: prices, context: context)
        var pass = try ledger.runPass()
        var passes = 1
        while passes < Self.maximumPasses, ledger.learn(from: pass) {
            pass = try ledger.runPass()
            passes += 1
        }
        // Loss lots kept for a buy that later passes no longer make can be sold after all,
        // unless selling them meets a buy again.
        let unbought = ledger.protectedKeys.subtracting(ledger.buyers(in: pass).keys)
        if !unbought.isEmpty {
            var trial = ledger
            trial.protectedKeys.subtract(unbought)
            let released = try trial.runPass()
            passes += 1
            if trial.conflicts(in: released).isDisjoint(with: unbought) {
                ledger = trial
                pass = released
            }
        }
        return ledger.householdPlan(pass, passes: passes)
    }
}

/// One pass's outcome: the plans by account index and the location used.
struct PlannerPass {
    var plans: [Int: RebalancePlan]
    var location: AssetLocationPlan?
}

/// The household's state across passes: what stays where, which loss lots are kept.
struct HouseholdLedger {
    let planner: HouseholdPlanner
    let household: Household
    let target: HouseholdTarget
    let prices: Prices
    let context: PlanContext
    let order: [Int]
    let tradeDay: Int
    /// Each account's run facts from the policy and the context.
    var runs: [AccountRun]
    /// Wash-sale keys whose loss lots are kept in every taxable account.
    var protectedKeys = Set<String>()
    /// Value of each class that stays in each account (located targets), in currency.
    var kept: [[String: Decimal]]
    /// Each account's capacity for location, in currency.
    var capacities: [Decimal]

    init(planner: HouseholdPlanner, household: Household, target: HouseholdTarget, prices: Prices,
         context: PlanContext) throws(AssetLocationError) {
        self.planner = planner
        self.household = household
        self.target = target
        self.prices = prices
        self.context = context
        order = HouseholdPlanner.planningOrder(household.accounts)
        tradeDay = CivilDay.of(prices.asOf)
        var seen = Set<String>()
        var runs: [AccountRun] = []
        for a in household.accounts {
            guard seen.insert(a.id).inserted else { throw .duplicateAccount(a.id) }
            do {
                runs.append(try AccountRun(policy: planner.rebalancer.policy, context: context, accountID: a.id,
                                           washKey: planner.rebalancer.washKey))
            } catch { throw .rebalance(accountID: a.id, error: error) }
        }
        self.runs = runs
        switch target {
        case .located(let t):
            guard t.isByAssetClass else { throw .targetNotByAssetClass }
            do { try Rebalancer.validate(t) } catch { throw .rebalance(accountID: household.accounts.first?.id ?? "", error: error) }
        case .eachAccount(let t):
            do { try Rebalancer.validate(t) } catch { throw .rebalance(accountID: household.accounts.first?.id ?? "", error: error) }
        case .perAccount(let targets):
            for a in household.accounts {
                guard let t = targets[a.id] else { continue }
                do { try Rebalancer.validate(t) } catch { throw .rebalance(accountID: a.id, error: error) }
            }
        }
        kept = Array(repeating: [:], count: household.accounts.count)
        capacities = Array(repeating: 0, count: household.accounts.count)
        if case .located = target {
            for (i, a) in household.accounts.enumerated() {
                (capacities[i], kept[i]) = try Self.room(of: a, run: runs[i], planner: planner, prices: prices, tradeDay: tradeDay)
            }
        }
    }

    // MARK: Passes

    /// Plans every account once, in planning order, passing the day's loss sales and buys on.
    func runPass() throws(AssetLocationError) -> PlannerPass {
        var location: AssetLocationPlan? = nil
        if case .located(let t) = target {
            let rooms = household.accounts.enumerated().map { i, a in
                AssetLocationPlan.AccountRoom(accountID: a.id, kind: a.kind, capacity: capacities[i], kept: kept[i])
            }
            location = try AssetLocation.locate(t, accounts: rooms, rules: planner.rules)
        }
        var plans: [Int: RebalancePlan] = [:]
        var soldAtLossToday = Set<String>()
        var boughtToday = Set<String>()
        for i in order {
            let account = household.accounts[i]
            guard let accountTarget = targetOf(account, location: location) else { continue }
            var run = runs[i]
            for k in soldAtLossToday { run.lossSaleDays[k, default: []].append(tradeDay) }
            for k in boughtToday { run.buyDays[k, default: []].append(tradeDay) }
            run.boughtElsewhereToday = boughtToday.union(protectedKeys)
            let plan: RebalancePlan
            do { plan = try planner.rebalancer.plan(account, to: accountTarget, prices: prices, run: run) } catch {
                throw .rebalance(accountID: account.id, error: error)
            }
            for t in plan.trades {
                let key = planner.rebalancer.washKey(t.symbol)
                if t.side == .buy { boughtToday.insert(key) }
                else if account.kind.isTaxable && t.lots.contains(where: { $0.realizedGain < 0 }) { soldAtLossToday.insert(key) }
            }
            plans[i] = plan
        }
        return PlannerPass(plans: plans, location: location)
    }

    func targetOf(_ account: Account, location: AssetLocationPlan?) -> TargetAllocation? {
        switch target {
        case .located: location?.accountTargets[account.id]
        case .eachAccount(let t): t
        case .perAccount(let targets): targets[account.id]
        }
    }

    /// Learns from a pass: loss sales that met a buy elsewhere, and what accounts could not
    /// sell. Returns whether anything new was learned (then another pass is needed).
    mutating func learn(from pass: PlannerPass) -> Bool {
        var learned = false
        let rebalancer = planner.rebalancer
        var newlyProtected = Set<String>()
        for key in conflicts(in: pass) where protectedKeys.insert(key).inserted { newlyProtected.insert(key) }
        learned = !newlyProtected.isEmpty
        guard case .located = target else { return learned }
        keepLossLots(of: newlyProtected)
        let stuck: Set<SkippedTrade.Reason> = [.washSale, .taxBudget, .doNotSell, .notTradable]
        for (i, plan) in pass.plans {
            let classes = Set(plan.skippedTrades.filter { $0.side == .sell && stuck.contains($0.reason) }
                .compactMap { rebalancer.securities[$0.symbol]?.assetClass })
            for row in plan.assetClasses where classes.contains(row.assetClass) {
                let after = row.marketValueAfter
                if after > (kept[i][row.assetClass] ?? 0) + 1 {
                    kept[i][row.assetClass] = after
                    learned = true
                }
            }
        }
        return learned
    }

    /// The accounts that buy each wash-sale key in a pass, or wanted to and were blocked by a
    /// wash sale.
    func buyers(in pass: PlannerPass) -> [String: Set<String>] {
        var buyers: [String: Set<String>] = [:]
        for (i, plan) in pass.plans {
            let id = household.accounts[i].id
            for t in plan.trades where t.side == .buy { buyers[planner.rebalancer.washKey(t.symbol), default: []].insert(id) }
            // A blocked buy of less than one share (a target a few cents above a holding) is no buy.
            for s in plan.skippedTrades where s.side == .buy && s.reason == .washSale && s.quantity > 0 {
                buyers[planner.rebalancer.washKey(s.symbol), default: []].insert(id)
            }
        }
        return buyers
    }

    /// The wash-sale keys a taxable account sells at a loss while an account of the household
    /// (another one, or the same one through a substantially identical security) buys them or
    /// was blocked from buying them.
    func conflicts(in pass: PlannerPass) -> Set<String> {
        var lossSellers: [String: Set<String>] = [:]
        for (i, plan) in pass.plans where household.accounts[i].kind.isTaxable {
            for t in plan.trades where t.side == .sell && t.lots.contains(where: { $0.realizedGain < 0 }) {
                lossSellers[planner.rebalancer.washKey(t.symbol), default: []].insert(household.accounts[i].id)
            }
        }
        let buyers = buyers(in: pass)
        return Set(lossSellers.filter { !(buyers[$0.key] ?? []).isEmpty }.keys)
    }

    /// Keeps the loss lots of newly protected keys where they are held: they will not be sold,
    /// so the location should count them in their account at once (not a pass later).
    mutating func keepLossLots(of keys: Set<String>) {
        guard !keys.isEmpty else { return }
        let rebalancer = planner.rebalancer
        for (i, account) in household.accounts.enumerated() where account.kind.isTaxable {
            var extra: [String: Decimal] = [:]
            for p in account.positions where keys.contains(rebalancer.washKey(p.symbol)) {
                guard let price = prices[p.symbol], let c = rebalancer.securities[p.symbol]?.assetClass else { continue }
                for lot in p.lots where lot.quantity * price < lot.costBasis { extra[c, default: 0] += lot.quantity * price }
            }
            for (c, v) in extra { kept[i][c, default: 0] += v }
        }
    }

    // MARK: Rooms

    /// An account's capacity (value after its pending flow, less its reserve) and the value of
    /// each class it keeps: holdings it may not sell, and in a taxable account lots whose sale
    /// would realize a short-term gain.
    static func room(of account: Account, run: AccountRun, planner: HouseholdPlanner, prices: Prices,
                     tradeDay: Int) throws(AssetLocationError) -> (Decimal, [String: Decimal]) {
        let securities = planner.rebalancer.securities
        let cutoff = AccountEngine.longTermCutoff(tradeDay: tradeDay)
        var value = account.cash
        var kept: [String: Decimal] = [:]
        for p in account.positions {
            guard let price = prices[p.symbol] else { throw .missingPrice(accountID: account.id, symbol: p.symbol) }
            guard let security = securities[p.symbol] else {
                throw .rebalance(accountID: account.id, error: .unknownSecurity(symbol: p.symbol, context: "account \(account.id)"))
            }
            let restricted = !security.isTradable || account.doNotSell.contains(p.symbol)
            for lot in p.lots {
                let lotValue = lot.quantity * price
                value += lotValue
                let shortTermGain = account.kind.isTaxable && CivilDay.of(lot.acquired) >= cutoff && lotValue > lot.costBasis
                if restricted || shortTermGain { kept[security.assetClass, default: 0] += lotValue }
            }
        }
        let afterFlow = value + Fixed.decimal(run.cashFlow)
        guard let fixed = Fixed.from(afterFlow) else {
            throw .rebalance(accountID: account.id, error: .amountOutOfRange(
                field: "value after the pending flow", context: "account \(account.id)", value: afterFlow))
        }
        let reserve = Fixed.decimal(run.reserve ?? planner.rebalancer.settings.reserve(afterFlow: fixed))
        return (max(0, afterFlow - reserve), kept)
    }

    static func double(_ d: Decimal) -> Double { NSDecimalNumber(decimal: d).doubleValue }

    // MARK: Result

    /// The household plan of a pass: plans in the household's order and the class weights.
    func householdPlan(_ pass: PlannerPass, passes: Int) -> HouseholdPlan {
        let plans = household.accounts.indices.compactMap { pass.plans[$0] }
        var classTargets: [String: Double] = [:]
        var classOrder: [String] = []
        switch target {
        case .located(let t), .eachAccount(let t):
            if t.isByAssetClass {
                for s in t.sleeves { classTargets[s.assetClass, default: 0] += s.weight; classOrder.append(s.assetClass) }
            } else {
                for w in t.securityWeights {
                    let c = planner.rebalancer.securities[w.symbol]?.assetClass ?? w.symbol
                    if classTargets[c] == nil { classOrder.append(c) }
                    classTargets[c, default: 0] += w.weight
                }
            }
        case .perAccount: break
        }
        var before: [String: Decimal] = [:]
        var after: [String: Decimal] = [:]
        var totalBefore: Decimal = 0
        var cashAfter: Decimal = 0
        var reserves: Decimal = 0
        for plan in plans {
            for c in plan.assetClasses {
                before[c.assetClass, default: 0] += c.marketValueBefore
                after[c.assetClass, default: 0] += c.marketValueAfter
            }
            totalBefore += plan.accountValueBefore
            cashAfter += plan.cashAfter
            reserves += plan.cashReserve
        }
        let uninvested = max(0, cashAfter - reserves)
        let totalAfter = after.values.reduce(Decimal(0), +) + uninvested
        let held = after.keys.filter { classTargets[$0] == nil }.sorted()
        let rows = (classOrder + held).map { c in
            HouseholdPlan.AssetClassRow(
                assetClass: c, targetWeight: classTargets[c] ?? 0,
                weightBefore: totalBefore > 0 ? Self.double((before[c] ?? 0) / totalBefore) : 0,
                weightAfter: totalAfter > 0 ? Self.double((after[c] ?? 0) / totalAfter) : 0,
                valueAfter: after[c] ?? 0)
        }
        let keys = protectedKeys.sorted()
        var notes: [String] = []
        if !keys.isEmpty {
            notes.append("loss lots kept to avoid wash sales against today's buys in the household: " + keys.joined(separator: ", "))
        }
        for d in pass.location?.deferred ?? [] {
            notes.append("asset location left \(advisorMoney(d.amount)) of \(d.assetClass) in \(d.accountID) for later: moving it now would realize a short-term gain, exceed the tax budget, break a restriction or a wash-sale rule")
        }
        return HouseholdPlan(
            householdID: household.id, location: pass.location, plans: plans, assetClasses: rows,
            uninvestedCashAfter: uninvested, passes: passes, lossLotsKeptFor: keys, notes: notes)
    }
}

/// A household rebalance: each account's plan, where each class went (when located), and the
/// household's class weights before and after.
public struct HouseholdPlan: Sendable, Hashable, Codable {
    /// One asset class at the household level.
    public struct AssetClassRow: Sendable, Hashable, Codable {
        /// The class.
        public var assetClass: String
        /// Household target weight (0 for a class held but not targeted).
        public var targetWeight: Double
        /// Weight before the trades (of the accounts' total value).
        public var weightBefore: Double
        /// Weight after the trades (of the accounts' value after: holdings plus cash above the
        /// reserves).
        public var weightAfter: Double
        /// Market value after the trades, in currency (exact, the sum of the accounts' values).
        public var valueAfter: Decimal

        /// `weightAfter − targetWeight`.
        public var driftAfter: Double { weightAfter - targetWeight }
    }

    /// The household's id.
    public var householdID: String
    /// Where each class was placed and each account's target (located targets only).
    public var location: AssetLocationPlan?
    /// The account plans, in household order (accounts with no target or capacity are skipped).
    public var plans: [RebalancePlan]
    /// Household class weights: the target's classes in order, then classes held but not
    /// targeted (empty for per-account targets).
    public var assetClasses: [AssetClassRow]
    /// Cash left uninvested above the reserves after the trades, in currency.
    public var uninvestedCashAfter: Decimal
    /// How many passes the planner made (1 when the first pass was consistent).
    public var passes: Int
    /// Wash-sale keys (symbols, or `group:` names) whose loss lots were kept because the
    /// household buys them today.
    public var lossLotsKeptFor: [String]
    /// One sentence each on what the planner decided for the household.
    public var notes: [String]

    /// Every trade of every account, in plan order.
    public var trades: [Trade] { plans.flatMap(\.trades) }
}
