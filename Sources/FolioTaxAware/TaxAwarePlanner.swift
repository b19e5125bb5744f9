import Foundation
import FolioOptimization
import FolioPlanning
import FolioRebalancing

/// The optimizer's settings for one household: what a policy's `mode: optimized` says.
public struct TaxAwareSettings: Sendable, Hashable, Codable {
    /// Where the class covariance Σ comes from.
    public enum RiskModel: Sendable, Hashable, Codable {
        /// Σ from the capital-market assumptions' volatilities and correlations.
        case capitalMarketAssumptions
        /// A class covariance given by the caller (e.g. a FolioRisk estimator over a price
        /// history), by class id: `classes[i]` names row and column `i` of `covariance`.
        case classCovariance(classes: [String], covariance: [[Double]])
    }
    /// The weight of tax (and location drag) against transaction costs: 1 counts a dollar of
    /// tax like a dollar of cost.
    public var taxWeight: Double
    /// The weight λ of the tracking variance (see ``TaxAwareProblem/trackingWeight``).
    public var trackingWeight: Double
    /// The risk model.
    public var riskModel: RiskModel
    /// The largest one-way turnover (fraction of the household); nil for none.
    public var turnoverLimit: Double?
    /// The quadratic trading cost coefficient (see ``TaxAwareProblem/impact``).
    public var impact: Double
    /// Whether the yearly asset-location drag enters the objective.
    public var locationDrag: Bool

    /// Settings from their parts.
    /// - Complexity: O(1).
    public init(taxWeight: Double = 1, trackingWeight: Double = 100, riskModel: RiskModel = .capitalMarketAssumptions,
                turnoverLimit: Double? = nil, impact: Double = 0.01, locationDrag: Bool = true) {
        self.taxWeight = taxWeight
        self.trackingWeight = trackingWeight
        self.riskModel = riskModel
        self.turnoverLimit = turnoverLimit
        self.impact = impact
        self.locationDrag = locationDrag
    }
}

/// A household turned into a ``TaxAwareProblem``, with the map back to its accounts and lots.
public struct TaxAwareHouseholdProblem: Sendable {
    /// The numeric problem.
    public var problem: TaxAwareProblem
    /// The household it was made from.
    public var household: Household
    /// The lot ids of ``TaxAwareProblem/lots``, in order, as (account id, lot id).
    public var lotKeys: [(account: String, lot: String)]

    /// Builds the problem of a household rebalanced to a target by asset class.
    ///
    /// - Asset classes: the target's sleeves, plus the class of any held security outside them
    ///   (target weight 0). Σ comes from `assumptions` (or the settings' class covariance).
    /// - Securities: every sleeve member and every held symbol; washSaleKey as the engine's.
    /// - Lots are long-term when acquired before the trade date's first anniversary back
    ///   (the engine's rule); costs are the policy's spread (commissions are per trade and not
    ///   convex: they enter in the whole-share plan); reserve and flows as the engine reads them.
    /// - Wash sales: loss sales of the policy's window block buys; buys within it block loss
    ///   sales, household-wide.
    /// - Location drag per class and account kind: for a class the location rules put in
    ///   tax-deferred accounts, held in a taxable account: its expected return times the
    ///   short-term rate (income taxed as ordinary); any other class in a taxable account: its
    ///   expected return times the long-term rate times 0.25 (dividends); a class the rules put
    ///   in tax-exempt accounts, held in a tax-deferred one: its expected return times the
    ///   spread between short- and long-term rates (growth taxed as income on withdrawal).
    ///   Cash left uninvested in a taxable account: the assumptions' `cash` return times the
    ///   short-term rate.
    /// - Throws: ``TaxAwareError/invalidHousehold(_:)`` naming the symbol, class or account.
    /// - Complexity: O(lots + accounts·securities + K²).
    public init(
        household: Household, target: TargetAllocation, securities: [FolioRebalancing.Security], prices: Prices,
        policy: RebalancePolicy, assumptions: CapitalMarketAssumptions, rules: AssetLocationRules = .standard,
        settings: TaxAwareSettings, context: PlanContext = PlanContext()
    ) throws(TaxAwareError) {
        guard target.isByAssetClass else { throw .invalidHousehold("the target is by security; the optimizer needs a target by asset class") }
        let master = Dictionary(securities.map { ($0.symbol, $0) }, uniquingKeysWith: { first, _ in first })
        var classes = target.sleeves.map(\.assetClass)
        var targetWeights = target.sleeves.map(\.weight)
        var symbols: [String] = []
        var seen = Set<String>()
        func add(_ symbol: String) throws(TaxAwareError) {
            guard seen.insert(symbol).inserted else { return }
            guard let security = master[symbol] else { throw .invalidHousehold("security \(symbol) is not in the securities list") }
            if !classes.contains(security.assetClass) {
                classes.append(security.assetClass)
                targetWeights.append(0)
            }
            symbols.append(symbol)
        }
        for sleeve in target.sleeves { for member in sleeve.members where member != TargetAllocation.cashSymbol { try add(member) } }
        for account in household.accounts { for position in account.positions { try add(position.symbol) } }
        // The risk model.
        let covariance: [[Double]]
        switch settings.riskModel {
        case .capitalMarketAssumptions:
            let full = assumptions.covariance
            var indices: [Int] = []
            for c in classes {
                guard let i = assumptions.index(of: c) else { throw .invalidHousehold("asset class \(c) is not in the capital-market assumptions \(assumptions.name)") }
                indices.append(i)
            }
            covariance = indices.map { i in indices.map { j in full[i][j] } }
        case .classCovariance(let names, let matrix):
            var indices: [Int] = []
            for c in classes {
                guard let i = names.firstIndex(of: c) else { throw .invalidHousehold("asset class \(c) is not in the risk model's classes") }
                indices.append(i)
            }
            guard matrix.count == names.count, matrix.allSatisfy({ $0.count == names.count }) else {
                throw .invalidHousehold("the risk model's covariance is not \(names.count) x \(names.count)")
            }
            covariance = indices.map { i in indices.map { j in matrix[i][j] } }
        }
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var problemSecurities: [TaxAwareProblem.Security] = []
        var priceOf: [String: Double] = [:]
        for symbol in symbols {
            let security = master[symbol]!
            guard let price = prices[symbol], price > 0 else { throw .invalidHousehold("no positive price for \(symbol)") }
            let p = NSDecimalNumber(decimal: price).doubleValue
            priceOf[symbol] = p
            problemSecurities.append(.init(symbol: symbol, classIndex: classIndex[security.assetClass]!, price: p,
                                           washSaleKey: security.washSaleKey, tradable: security.isTradable))
        }
        let securityIndex = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, $0) })
        let shortRate = policy.shortTermTaxRate.map { NSDecimalNumber(decimal: $0).doubleValue } ?? 0
        let longRate = policy.longTermTaxRate.map { NSDecimalNumber(decimal: $0).doubleValue } ?? 0
        // Location drag per account kind and class.
        func drag(_ kind: AccountKind, _ assetClass: String) -> Double {
            guard settings.locationDrag, let i = assumptions.index(of: assetClass) else { return 0 }
            let r = Swift.max(0, assumptions.assetClasses[i].expectedReturn)
            switch kind {
            case .taxable:
                return rules.taxDeferred.contains(assetClass) ? r * shortRate : r * longRate * 0.25
            case .taxExempt:
                return 0
            default:
                return rules.taxExempt.contains(assetClass) ? r * Swift.max(0, shortRate - longRate) : 0
            }
        }
        // Uninvested cash earns the assumptions' cash return, taxed as income in a taxable account.
        let cashYield = assumptions.index(of: "cash").map { Swift.max(0, assumptions.assetClasses[$0].expectedReturn) } ?? 0
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let tradeDay = calendar.startOfDay(for: prices.asOf)
        let cutoff = calendar.date(byAdding: .year, value: -1, to: tradeDay)!
        var accounts: [TaxAwareProblem.Account] = []
        var lots: [TaxAwareProblem.Lot] = []
        var lotKeys: [(String, String)] = []
        for (a, account) in household.accounts.enumerated() {
            let cash = NSDecimalNumber(decimal: account.cash).doubleValue
            let flow = NSDecimalNumber(decimal: context.cashFlows[account.id] ?? policy.pendingCashFlow).doubleValue
            var value = cash
            for position in account.positions {
                for lot in position.lots where lot.quantity > 0 {
                    let shares = NSDecimalNumber(decimal: lot.quantity).doubleValue
                    value += shares * priceOf[position.symbol]!
                    lots.append(.init(id: lot.id, account: a, security: securityIndex[position.symbol]!, shares: shares,
                                      basisPerShare: NSDecimalNumber(decimal: lot.costBasis).doubleValue / shares,
                                      longTerm: calendar.startOfDay(for: lot.acquired) < cutoff))
                    lotKeys.append((account.id, lot.id))
                }
            }
            let reserve: Double
            switch policy.cashReserve {
            case .none: reserve = 0
            case .amount(let amount): reserve = NSDecimalNumber(decimal: amount).doubleValue
            case .percent(let p): reserve = (value + flow) * p
            case .amountOrPercent(let amount, let p): reserve = Swift.max(NSDecimalNumber(decimal: amount).doubleValue, (value + flow) * p)
            }
            accounts.append(.init(
                id: account.id, taxable: account.kind.isTaxable, cash: cash, flow: flow, reserve: reserve,
                doNotBuy: account.doNotBuy.compactMap { securityIndex[$0] }.sorted(),
                doNotSell: account.doNotSell.compactMap { securityIndex[$0] }.sorted(),
                locationDrag: classes.map { drag(account.kind, $0) },
                cashDrag: settings.locationDrag && account.kind.isTaxable ? cashYield * shortRate : 0))
        }
        var blockedBuy = Set<String>(), blockedLoss = Set<String>()
        // The engine's rule, in UTC civil days: a trade on day d counts on trade day D when
        // 0 ≤ D − d ≤ window.
        func civilDay(_ date: Date) -> Int { Int((date.timeIntervalSince1970 / 86_400).rounded(.down)) }
        let tradeCivilDay = civilDay(prices.asOf)
        for t in policy.recentTransactions + context.recentTransactions
        where (0...Swift.max(0, policy.washSaleWindowDays)).contains(tradeCivilDay - civilDay(t.date)) {
            let key = master[t.symbol]?.washSaleKey ?? t.symbol
            switch t.side {
            case .buy: blockedLoss.insert(key)
            case .sell: if let g = t.realizedGain, g < 0 { blockedBuy.insert(key) }
            }
        }
        let spread = NSDecimalNumber(decimal: policy.spreadBasisPoints).doubleValue / 10_000
        self.problem = TaxAwareProblem(
            classes: classes, covariance: covariance, targetWeights: targetWeights,
            securities: problemSecurities, accounts: accounts, lots: lots,
            shortTermRate: shortRate, longTermRate: longRate, trackingWeight: settings.trackingWeight, taxWeight: settings.taxWeight,
            costRate: spread, impact: settings.impact,
            netGainBudget: policy.taxBudget.map { NSDecimalNumber(decimal: $0).doubleValue },
            turnoverLimit: settings.turnoverLimit,
            blockedBuyKeys: blockedBuy.sorted(), blockedLossSaleKeys: blockedLoss.sorted())
        self.household = household
        self.lotKeys = lotKeys
    }

    /// The trades of a plan as the problem's variables: shares bought per [account][security]
    /// and shares sold per lot (from the plan's lot sales).
    /// - Complexity: O(trades + lot sales + lots).
    public func variables(of plan: HouseholdPlan) -> (bought: [[Double]], sold: [Double]) {
        let accountIndex = Dictionary(problem.accounts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let securityIndex = Dictionary(problem.securities.enumerated().map { ($1.symbol, $0) }, uniquingKeysWith: { a, _ in a })
        var lotIndex: [String: Int] = [:]
        for (i, key) in lotKeys.enumerated() { lotIndex[key.account + "\u{0}" + key.lot] = i }
        var bought = [[Double]](repeating: Array(repeating: 0, count: problem.securities.count), count: problem.accounts.count)
        var sold = [Double](repeating: 0, count: problem.lots.count)
        for trade in plan.trades {
            guard let a = accountIndex[trade.accountID], let s = securityIndex[trade.symbol] else { continue }
            switch trade.side {
            case .buy: bought[a][s] += NSDecimalNumber(decimal: trade.quantity).doubleValue
            case .sell:
                for sale in trade.lots {
                    if let i = lotIndex[trade.accountID + "\u{0}" + sale.lotID] { sold[i] += NSDecimalNumber(decimal: sale.quantity).doubleValue }
                }
            }
        }
        return (bought, sold)
    }
}

/// A household plan made by the optimizer: the relaxed optimum, the whole-share plan the
/// rebalancing layer made from it, and how far apart they are.
public struct TaxAwarePlan: Sendable {
    /// The whole-share plan (trades, lots, gains, invariants) from ``HouseholdPlanner``.
    public var plan: HouseholdPlan
    /// The relaxed optimum the plan was made from.
    public var relaxed: TaxAwareSolution
    /// The objective parts of the whole-share plan, evaluated in the optimizer's model.
    public var rounded: TaxAwareObjectiveParts
    /// The optimizer's objective at the whole-share plan.
    public var roundedObjective: Double
    /// `roundedObjective − relaxed.objective` (≥ 0 up to solver tolerance: the relaxation
    /// is a lower bound), in objective units.
    public var gap: Double
    /// The optimizer's objective at the engine's first whole-share plan, before the local
    /// search (equal to ``roundedObjective`` when no repair was kept).
    public var objectiveBeforeRepair: Double
    /// The ±1 share moves of the local search kept in the plan (0: the first plan stood).
    public var repairMoves: Int
    /// The optimizer's objective with no trades at all.
    public var noTradeObjective: Double
    /// The household's tracking error before trading (annual).
    public var noTradeTrackingError: Double
    /// The share of the relaxation's improvement over not trading that the whole-share plan
    /// keeps: (noTrade − rounded) / (noTrade − relaxed); 1 when the relaxation improves nothing.
    public var improvementKept: Double {
        let possible = noTradeObjective - relaxed.objective
        return possible > 1e-15 ? (noTradeObjective - roundedObjective) / possible : 1
    }
    /// One line per trade in the optimizer's terms: the tracking error it cuts and its tax.
    public var explanations: [String]
}

/// Plans a household with the tax-aware optimizer, then lets the pure-Swift rebalancing layer
/// (``HouseholdPlanner``) make the whole-share trades.
///
/// The optimizer decides, per account, the value to hold of each security after trading and
/// which lots to relieve; the planner receives these as per-account security targets
/// (``HouseholdTarget/perAccount(_:)``, mode `toTarget`, trigger `always`) and the lots as
/// ``PlanContext/specificLots`` (lot method `specificLots`), so rounding to whole shares and lot
/// sizes, minimum trades, commissions, cash and the wash-sale ledger are the engine's, and every
/// plan carries the engine's audited ``PlanInvariants``.
public struct TaxAwarePlanner: Sendable {
    /// The optimizer.
    public var optimizer: TaxAwareOptimizer

    /// A planner with the given optimizer.
    /// - Complexity: O(1).
    public init(optimizer: TaxAwareOptimizer = TaxAwareOptimizer()) {
        self.optimizer = optimizer
    }

    /// Optimizes and plans one household.
    /// - Parameters:
    ///   - built: The household's problem (``TaxAwareHouseholdProblem``).
    ///   - securities: The securities list (the engine's).
    ///   - prices: Prices; their date is the trade date.
    ///   - policy: The household's policy (rates, costs, reserve, minimum trade, tax budget).
    ///   - context: The run's context (flows, recent trades).
    ///   - warmStart: An active set from a nearby solve.
    /// - Throws: ``TaxAwareError`` for the optimizer; ``TaxAwareError/invalidHousehold(_:)``
    ///   wrapping the engine's error.
    /// - Complexity: one ``TaxAwareOptimizer/optimize(_:warmStart:)`` plus one
    ///   ``HouseholdPlanner/plan(_:target:prices:context:)``.
    public func plan(
        _ built: TaxAwareHouseholdProblem, securities: [FolioRebalancing.Security], prices: Prices,
        policy: RebalancePolicy, context: PlanContext = PlanContext(), warmStart: QPActiveSet? = nil
    ) throws(TaxAwareError) -> TaxAwarePlan {
        let problem = built.problem
        let relaxed = try optimizer.optimize(problem, warmStart: warmStart)
        let handOver = Self.handOver(problem, relaxed)
        var engineContext = context
        engineContext.specificLots = handOver.lotIDs
        engineContext.cashReserves = handOver.reserves
        var household = try Self.engine(built, targets: handOver.targets, securities: securities, prices: prices,
                                         policy: policy, context: engineContext, investLeftover: policy.investLeftoverCash)
        var (bought, sold) = built.variables(of: household)
        var objective = problem.objective(problem.parts(sharesBought: bought, sharesSold: sold))
        let objectiveBeforeRepair = objective
        // The bounded local search after rounding, on the lines the relaxation or the plan trades,
        // furthest from the relaxation first; its shares are planned again by the engine and kept
        // only when that plan's objective is lower.
        var repair = TaxAwareRepair(
            problem: relaxed.solvedProblem, minimumTrade: NSDecimalNumber(decimal: policy.minimumTradeValue).doubleValue,
            commission: NSDecimalNumber(decimal: policy.commissionPerTrade).doubleValue, lotOrder: handOver.lotOrder,
            bought: bought, sold: sold)
        let lines = Self.repairLines(problem, relaxed: relaxed, bought: bought, sold: sold)
        repair.run(lines: lines, maximumMoves: 4 * lines.count + 8)
        var repairMoves = 0
        if repair.moves > 0, let exact = Self.exactTargets(problem, bought: repair.bought, sold: repair.sold, policy: policy) {
            var repairContext = engineContext
            repairContext.cashReserves = exact.reserves
            if let repaired = try? Self.engine(built, targets: exact.targets, securities: securities, prices: prices,
                                               policy: policy, context: repairContext, investLeftover: false) {
                let (b, x) = built.variables(of: repaired)
                let o = problem.objective(problem.parts(sharesBought: b, sharesSold: x))
                if o < objective {
                    household = repaired
                    (bought, sold, objective) = (b, x, o)
                    repairMoves = repair.moves
                }
            }
        }
        let parts = problem.parts(sharesBought: bought, sharesSold: sold)
        let noTrade = problem.parts(
            sharesBought: Array(repeating: Array(repeating: 0, count: problem.securities.count), count: problem.accounts.count),
            sharesSold: Array(repeating: 0, count: problem.lots.count))
        return TaxAwarePlan(
            plan: household, relaxed: relaxed, rounded: parts, roundedObjective: objective,
            gap: objective - relaxed.objective, objectiveBeforeRepair: objectiveBeforeRepair, repairMoves: repairMoves,
            noTradeObjective: problem.objective(noTrade), noTradeTrackingError: noTrade.trackingError,
            explanations: Self.explanations(household, built: built, bought: bought, sold: sold))
    }

    /// What the rebalancing layer receives from the relaxed optimum: per-account security
    /// targets, the lots to relieve (ids per account id, and as lot indices per account index),
    /// and the cash the relaxation leaves in each account as that account's reserve.
    ///
    /// Targets are fractions of the engine's own base (value + flow − reserve), so each is the
    /// relaxed value itself. A holding the relaxation trades by less than half a share (solver
    /// noise: whole shares would not trade it) is pinned at exactly its current value: a target a
    /// few cents off would make the engine sell a share (sells round up) or report a blocked buy,
    /// and a blocked buy of a key sold at a loss elsewhere makes the household planner keep those
    /// loss lots and sell gains instead. The relaxation's cash after trading (above the policy's
    /// reserve) is handed over as the account's reserve (``PlanContext/cashReserves``): without
    /// it the engine's weights, which must sum to 1, spread that cash over the traded holdings
    /// and buy where the relaxation sells (H578 of the comparison).
    /// - Complexity: O(accounts · (securities + lots) + lots · log lots).
    static func handOver(_ problem: TaxAwareProblem, _ relaxed: TaxAwareSolution)
        -> (targets: [String: TargetAllocation], lotIDs: [String: [String]], lotOrder: [[Int]], reserves: [String: Decimal]) {
        var targets: [String: TargetAllocation] = [:]
        var lotIDs: [String: [String]] = [:]
        var lotOrder: [[Int]] = Array(repeating: [], count: problem.accounts.count)
        var reserves: [String: Decimal] = [:]
        let c = problem.costRate
        for (a, account) in problem.accounts.enumerated() {
            var after = [Double](repeating: 0, count: problem.securities.count)
            for (s, _) in problem.securities.enumerated() { after[s] = relaxed.sharesBought[a][s] }
            var order: [(index: Int, taxPerDollar: Double, fraction: Double)] = []
            var cashAfter = account.cash + account.flow
            for (s, security) in problem.securities.enumerated() { cashAfter -= relaxed.sharesBought[a][s] * security.price * (1 + c) }
            for (i, lot) in problem.lots.enumerated() where lot.account == a {
                after[lot.security] += lot.shares - relaxed.sharesSold[i]
                cashAfter += relaxed.sharesSold[i] * problem.securities[lot.security].price * (1 - c)
                let rate = account.taxable ? (lot.longTerm ? problem.longTermRate : problem.shortTermRate) : 0
                order.append((i, rate * (1 - lot.basisPerShare / problem.securities[lot.security].price),
                              relaxed.sharesSold[i] / lot.shares))
            }
            // Lots from the least tax per dollar sold (losses first; ties: the lots the optimizer
            // relieves most). The engine sells whole lots in this order, so for the quantity it
            // sells this realizes the least tax; the relaxation's partial sales of several lots
            // (its impact term is per lot) would, taken lot by lot, sell gains before losses.
            order.sort { ($0.taxPerDollar, -$0.fraction, problem.lots[$0.index].id) < ($1.taxPerDollar, -$1.fraction, problem.lots[$1.index].id) }
            lotOrder[a] = order.map(\.index)
            var before = [Double](repeating: 0, count: problem.securities.count)
            for lot in problem.lots where lot.account == a { before[lot.security] += lot.shares }
            // The relaxation's cash, to the cent below, when it is above the policy's reserve.
            var reserve = account.reserve
            if cashAfter > account.reserve + 0.01 {
                reserve = (cashAfter * 100).rounded(.down) / 100
                reserves[account.id] = Self.centsBelow(cashAfter)
            }
            var investable = account.cash + account.flow - reserve
            for (s, security) in problem.securities.enumerated() { investable += before[s] * security.price }
            guard investable > 0 else { continue }
            var weights: [String: Double] = [:]
            var traded: [String] = []
            var total = 0.0, tradedTotal = 0.0
            for (s, security) in problem.securities.enumerated() {
                let pinned = abs(after[s] - before[s]) < 0.5
                let value = (pinned ? before[s] : after[s]) * security.price
                guard value > 1e-9 * problem.householdValue else { continue }
                weights[security.symbol] = value / investable
                total += value / investable
                if !pinned { traded.append(security.symbol); tradedTotal += value / investable }
            }
            // The relaxation leaves the account as it is: no target, no trades.
            guard total > 0, !traded.isEmpty else { continue }
            // The weights sum to 1 less the relaxation's costs (and the pinned holdings' noise);
            // the engine wants 1 (to 1e-6). The remainder goes to the traded holdings.
            let residual = 1 - total
            if abs(residual) > 1e-9 {
                let (names, base) = tradedTotal > 0 ? (traded, tradedTotal) : (Array(weights.keys), total)
                for key in names { weights[key]! *= 1 + residual / base }
            }
            targets[account.id] = .securities(weights)
            lotIDs[account.id] = order.map { problem.lots[$0.index].id }
        }
        return (targets, lotIDs, lotOrder, reserves)
    }

    /// Targets under which the engine makes exactly the given whole-share trades: a line bought
    /// (sold) n shares is targeted at its holding after the trade plus δ of a share, which the
    /// engine rounds down (up) to n; an untraded holding at its current value; and the account's
    /// reserve at what is left, so the weights sum to 1 and the buys fit the cash (δ covers the
    /// costs). Leftover cash must not be invested (the caller's policy). Nil when an account
    /// cannot be expressed so (δ would reach a share).
    /// - Complexity: O(accounts · (securities + lots)).
    static func exactTargets(_ problem: TaxAwareProblem, bought: [[Double]], sold: [Double], policy: RebalancePolicy)
        -> (targets: [String: TargetAllocation], reserves: [String: Decimal])? {
        let c = problem.costRate
        let commission = NSDecimalNumber(decimal: policy.commissionPerTrade).doubleValue
        var targets: [String: TargetAllocation] = [:]
        var reserves: [String: Decimal] = [:]
        for (a, account) in problem.accounts.enumerated() {
            var before = [Double](repeating: 0, count: problem.securities.count)
            var soldLine = before
            for (i, lot) in problem.lots.enumerated() where lot.account == a {
                before[lot.security] += lot.shares
                soldLine[lot.security] += sold[i]
            }
            var value = account.cash + account.flow, costs = 0.0, tradedPrices = 0.0
            var tradedLines = 0
            for (s, security) in problem.securities.enumerated() {
                value += before[s] * security.price
                let q = bought[a][s] + soldLine[s]
                if q > 0 {
                    costs += q * security.price * c + commission
                    tradedPrices += security.price
                    tradedLines += 1
                }
            }
            guard tradedLines > 0 else { continue }
            let delta = (costs + 0.01 * Double(tradedLines + 1)) / tradedPrices + 0.001
            guard delta < 0.95 else { return nil }
            var values: [String: Double] = [:]
            var total = 0.0
            for (s, security) in problem.securities.enumerated() {
                let traded = bought[a][s] + soldLine[s] > 0
                let v = (before[s] + bought[a][s] - soldLine[s] + (traded ? delta : 0)) * security.price
                guard v > 0 else { continue }
                values[security.symbol] = v
                total += v
            }
            let reserve = value - total
            guard reserve >= 0, total > 0 else { return nil }
            targets[account.id] = .securities(values.mapValues { $0 / total })
            reserves[account.id] = Self.centsBelow(reserve)
        }
        return (targets, reserves)
    }

    /// An amount rounded down to the cent, as an exact decimal.
    static func centsBelow(_ amount: Double) -> Decimal {
        Decimal(sign: amount < 0 ? .minus : .plus, exponent: -2, significand: Decimal(Int64((abs(amount) * 100).rounded(amount < 0 ? .up : .down))))
    }

    /// The lines the repair tries: every (account, security) that the relaxation or the
    /// whole-share plan trades, furthest from the relaxation (in shares) first.
    /// - Complexity: O(accounts · securities · log + lots).
    static func repairLines(_ problem: TaxAwareProblem, relaxed: TaxAwareSolution, bought: [[Double]], sold: [Double]) -> [(account: Int, security: Int)] {
        var relaxedNet = relaxed.sharesBought, roundedNet = bought
        for (i, lot) in problem.lots.enumerated() {
            relaxedNet[lot.account][lot.security] -= relaxed.sharesSold[i]
            roundedNet[lot.account][lot.security] -= sold[i]
        }
        var lines: [(account: Int, security: Int, residual: Double)] = []
        for a in problem.accounts.indices {
            for s in problem.securities.indices where abs(relaxedNet[a][s]) >= 0.5 || roundedNet[a][s] != 0 {
                lines.append((a, s, abs(relaxedNet[a][s] - roundedNet[a][s])))
            }
        }
        lines.sort { ($0.residual, -$0.account, -$0.security) > ($1.residual, -$1.account, -$1.security) }
        return lines.map { ($0.account, $0.security) }
    }

    /// The household planner on per-account targets, mode to-target, trigger always, the lots
    /// of the context first.
    static func engine(
        _ built: TaxAwareHouseholdProblem, targets: [String: TargetAllocation], securities: [FolioRebalancing.Security],
        prices: Prices, policy: RebalancePolicy, context: PlanContext, investLeftover: Bool
    ) throws(TaxAwareError) -> HouseholdPlan {
        var enginePolicy = policy
        enginePolicy.mode = .toTarget
        enginePolicy.trigger = .always
        enginePolicy.lotMethod = .specificLots([])
        enginePolicy.investLeftoverCash = investLeftover
        do {
            let engine = try Rebalancer(securities: securities, policy: enginePolicy)
            return try HouseholdPlanner(rebalancer: engine).plan(built.household, target: .perAccount(targets), prices: prices, context: context)
        } catch {
            throw .invalidHousehold("the rebalancing layer could not plan the optimized targets: \(error)")
        }
    }

    /// Explains each trade in the optimizer's terms: how much tracking error (in percentage
    /// points, annual) the trade cuts given the rest of the plan, and the tax it realizes.
    ///
    /// Incremental: with `g = Σ(w − w*)` of the whole plan (one O(K²) evaluation), removing a
    /// trade that moves class `k` by `d` changes the tracking variance by `−2·d·g_k + d²·Σ_kk`,
    /// and its tax is its own lots' tax; the texts are those of a full re-evaluation per trade
    /// (``explanationsByReevaluation(_:built:bought:sold:)``).
    /// - Complexity: O(K² + accounts·securities + lots + trades · lots per trade).
    static func explanations(_ household: HouseholdPlan, built: TaxAwareHouseholdProblem, bought: [[Double]], sold: [Double]) -> [String] {
        let problem = built.problem
        let state = TaxAwareObjectiveState(problem, sharesBought: bought, sharesSold: sold)
        let fullError = state.variance.squareRoot()
        let (accountIndex, securityIndex, lotIndex) = indices(built)
        return household.trades.compactMap { trade in
            guard let a = accountIndex[trade.accountID], let s = securityIndex[trade.symbol] else { return nil }
            let security = problem.securities[s]
            var d = 0.0, tax = 0.0
            var longTerm = 0, shortTerm = 0
            switch trade.side {
            case .buy:
                let removed = Swift.min(bought[a][s], NSDecimalNumber(decimal: trade.quantity).doubleValue)
                d = -removed * security.price / state.value
            case .sell:
                for sale in trade.lots {
                    if let i = lotIndex[trade.accountID + "\u{0}" + sale.lotID] {
                        let lot = problem.lots[i]
                        let removed = Swift.min(sold[i], NSDecimalNumber(decimal: sale.quantity).doubleValue)
                        d += removed * problem.securities[lot.security].price / state.value
                        if problem.accounts[lot.account].taxable {
                            tax += (lot.longTerm ? problem.longTermRate : problem.shortTermRate)
                                * removed * (problem.securities[lot.security].price - lot.basisPerShare)
                        }
                    }
                    if sale.term == .longTerm { longTerm += 1 } else { shortTerm += 1 }
                }
            }
            let withoutVariance = state.variance + state.varianceChange(class: security.classIndex, by: d)
            let cut = (Swift.max(0, withoutVariance).squareRoot() - fullError) * 100
            return text(trade, cut: cut, tax: tax, longTerm: longTerm, shortTerm: shortTerm)
        }
    }

    /// The explanations by a full re-evaluation of the objective without each trade: the
    /// reference the incremental ``explanations(_:built:bought:sold:)`` is tested against.
    /// - Complexity: O(trades · (K² + accounts·securities + lots)).
    static func explanationsByReevaluation(_ household: HouseholdPlan, built: TaxAwareHouseholdProblem, bought: [[Double]], sold: [Double]) -> [String] {
        let problem = built.problem
        let full = problem.parts(sharesBought: bought, sharesSold: sold)
        let (accountIndex, securityIndex, lotIndex) = indices(built)
        return household.trades.compactMap { trade in
            guard let a = accountIndex[trade.accountID], let s = securityIndex[trade.symbol] else { return nil }
            var withoutBought = bought, withoutSold = sold
            var longTerm = 0, shortTerm = 0
            switch trade.side {
            case .buy: withoutBought[a][s] = Swift.max(0, withoutBought[a][s] - NSDecimalNumber(decimal: trade.quantity).doubleValue)
            case .sell:
                for sale in trade.lots {
                    if let i = lotIndex[trade.accountID + "\u{0}" + sale.lotID] { withoutSold[i] = Swift.max(0, withoutSold[i] - NSDecimalNumber(decimal: sale.quantity).doubleValue) }
                    if sale.term == .longTerm { longTerm += 1 } else { shortTerm += 1 }
                }
            }
            let without = problem.parts(sharesBought: withoutBought, sharesSold: withoutSold)
            return text(trade, cut: (without.trackingError - full.trackingError) * 100, tax: full.tax - without.tax,
                        longTerm: longTerm, shortTerm: shortTerm)
        }
    }

    /// Account, security and lot (account id + NUL + lot id) indices of a built problem.
    static func indices(_ built: TaxAwareHouseholdProblem) -> ([String: Int], [String: Int], [String: Int]) {
        let problem = built.problem
        let accountIndex = Dictionary(problem.accounts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let securityIndex = Dictionary(problem.securities.enumerated().map { ($1.symbol, $0) }, uniquingKeysWith: { a, _ in a })
        var lotIndex: [String: Int] = [:]
        for (i, key) in built.lotKeys.enumerated() { lotIndex[key.account + "\u{0}" + key.lot] = i }
        return (accountIndex, securityIndex, lotIndex)
    }

    /// One trade's sentence: `A1: sells 120 FUSLC from 2 long-term lots: cuts tracking error
    /// 0.31 pts for $410 of tax`.
    static func text(_ trade: Trade, cut: Double, tax: Double, longTerm: Int, shortTerm: Int) -> String {
        let verb = trade.side == .buy ? "buys" : "sells"
        var lotsText = ""
        if trade.side == .sell {
            var kinds: [String] = []
            if longTerm > 0 { kinds.append("\(longTerm) long-term") }
            if shortTerm > 0 { kinds.append("\(shortTerm) short-term") }
            lotsText = " from " + kinds.joined(separator: " and ") + (longTerm + shortTerm == 1 ? " lot" : " lots")
        }
        let effect = cut >= 0 ? "cuts tracking error \(points(cut)) pts" : "adds \(points(-cut)) pts of tracking error"
        let taxText = tax >= 0.005 ? "for $\(dollars(tax)) of tax" : (tax <= -0.005 ? "saving $\(dollars(-tax)) of tax" : "with no tax")
        return "\(trade.accountID): \(verb) \(trade.quantity) \(trade.symbol)\(lotsText): \(effect) \(taxText)"
    }

    static func points(_ value: Double) -> String { String(format: "%.2f", value) }
    /// Whole dollars with thousands separators: `14,248`.
    static func dollars(_ value: Double) -> String {
        let digits = String(Int64(value.rounded()).magnitude)
        var grouped = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        return (value.rounded() < 0 ? "-" : "") + grouped
    }
}
