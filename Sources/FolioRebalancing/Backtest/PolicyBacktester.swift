import Foundation

/// Walks a household along a price history under several rebalancing policies, side by side on
/// the same path, after tax.
///
/// The simulator is a client of the one household planner: on each date a policy's rule
/// triggers it asks ``HouseholdPlanner/plan(_:target:prices:context:)`` for a rebalance, on
/// dates with a scheduled flow, a tax to pay or idle cash to invest it asks for a
/// cash-flow-only plan, and it applies each plan with ``Household/applying(_:)``. Between
/// plans the holdings drift with the prices. Each trading date, in order:
/// 1. dividends are credited to cash (from a total-return series, else a yield);
/// 2. the household is valued at the close and its drift measured against the target;
/// 3. on the first date of a new year, last year's tax is settled (``TaxYear/settle(year:shortTermGain:longTermGain:dividends:carriedIn:rules:)``)
///    and paid from the taxable account or from outside (``TaxPayment``);
/// 4. scheduled deposits and withdrawals fall due;
/// 5. the rule decides; the plan is made with the trades of the last wash-sale window in every
///    account (``PlanContext/recentTransactions``) and applied; a loss sold within the window
///    after a purchase of the same security (or a substantially identical one) is disallowed.
///
/// ```swift
/// let backtester = PolicyBacktester(securities: securities, target: target, settings: BacktestSettings())
/// let comparison = try backtester.compare(household, prices: history,
///                                         policies: ["quarterly", "bands-5-25", "never"].compactMap { BacktestPolicy.builtIn($0) })
/// for r in comparison.results { print(r.policy, r.endingValueAfterLiquidation, r.taxAlpha ?? 0) }
/// ```
public struct PolicyBacktester: Sendable {
    /// Every security held or targeted.
    public var securities: [Security]
    /// The household's target (without a cash line).
    public var target: TargetAllocation
    /// Whether an asset-class target is located across the accounts (``HouseholdTarget/choosing(_:accountCount:locate:)``).
    public var locate: Bool
    /// Asset-location rules for a located target.
    public var rules: AssetLocationRules
    /// Flows, dividends, tax rules.
    public var settings: BacktestSettings

    /// Creates a backtester.
    /// - Parameters:
    ///   - securities: Every security held or targeted.
    ///   - target: The target (without a cash line).
    ///   - locate: Whether to locate an asset-class target across accounts (default `true`).
    ///   - rules: Asset-location rules (default ``AssetLocationRules/standard``).
    ///   - settings: What the backtest assumes (default ``BacktestSettings/init(cashFlows:taxPayment:dividendYields:lossDeductionLimit:dividendTaxRate:taxDeferredLiquidationRate:cashSweep:minimumSweepFraction:baseline:)``).
    public init(securities: [Security], target: TargetAllocation, locate: Bool = true,
                rules: AssetLocationRules = .standard, settings: BacktestSettings = BacktestSettings()) {
        self.securities = securities
        self.target = target
        self.locate = locate
        self.rules = rules
        self.settings = settings
    }

    /// Runs every policy on the same household and path and measures tax alpha against the
    /// baseline (``BacktestSettings/baseline``, else the first policy).
    /// - Parameters:
    ///   - household: The starting holdings (lots acquired on or before the first date).
    ///   - prices: The price path.
    ///   - policies: The policies, with distinct names.
    /// - Returns: One result per policy, in order.
    /// - Throws: ``BacktestError`` for bad inputs or a plan the engine rejects.
    /// - Complexity: O(*P* · *T* · (*a* · *n*)) for *P* policies, *T* dates, *a* accounts and *n*
    ///   symbols, plus one household plan per rebalance, flow, tax payment and sweep.
    public func compare(_ household: Household, prices: BacktestPrices, policies: [BacktestPolicy]) throws(BacktestError) -> BacktestComparison {
        guard !policies.isEmpty else { throw .noPolicies }
        var names = Set<String>()
        for p in policies where !names.insert(p.name).inserted { throw .policyName(p.name) }
        let baseline = settings.baseline ?? policies[0].name
        guard names.contains(baseline) else { throw .policyName(baseline) }
        let market = try BacktestMarket(backtester: self, household: household, prices: prices)
        var results: [BacktestResult] = []
        for p in policies {
            var simulation = try PolicySimulation(market: market, policy: p, household: household)
            results.append(try simulation.run())
        }
        let base = results.first { $0.policy == baseline }!
        let baseDrag = base.returnBeforeTax - base.returnAfterTax
        for i in results.indices { results[i].taxAlpha = baseDrag - (results[i].returnBeforeTax - results[i].returnAfterTax) }
        return BacktestComparison(baseline: baseline, results: results)
    }

    /// Runs one policy.
    /// - Parameters:
    ///   - household: The starting holdings.
    ///   - prices: The price path.
    ///   - policy: The policy.
    /// - Returns: Its result (``BacktestResult/taxAlpha`` is `nil`).
    /// - Throws: ``BacktestError``.
    /// - Complexity: As ``compare(_:prices:policies:)`` for one policy.
    public func simulate(_ household: Household, prices: BacktestPrices, policy: BacktestPolicy) throws(BacktestError) -> BacktestResult {
        let market = try BacktestMarket(backtester: self, household: household, prices: prices)
        var simulation = try PolicySimulation(market: market, policy: policy, household: household)
        return try simulation.run()
    }
}

/// What every policy of a comparison shares: prices, dividends per unit, target lines.
struct BacktestMarket: Sendable {
    let backtester: PolicyBacktester
    let prices: BacktestPrices
    let days: [Int]
    /// Dividend per unit of each symbol on each date (0 when none).
    let dividend: [[Double]]
    /// Daily total return of each symbol (0 on the first date).
    let totalReturn: [[Double]]
    /// Target lines: name, weight, benchmark symbol column.
    let lines: [(name: String, weight: Double, benchmark: Int)]
    /// The line of each symbol column, or -1 when it is in no line.
    let lineOf: [Int]
    let securityBySymbol: [String: Security]
    let householdTarget: HouseholdTarget

    init(backtester: PolicyBacktester, household: Household, prices: BacktestPrices) throws(BacktestError) {
        self.backtester = backtester
        self.prices = prices
        days = prices.dates.map(CivilDay.of)
        let settings = backtester.settings
        var bySymbol: [String: Security] = [:]
        for s in backtester.securities { bySymbol[s.symbol] = s }
        securityBySymbol = bySymbol
        let ids = Set(household.accounts.map(\.id))
        for flow in settings.cashFlows where !ids.contains(flow.accountID) { throw .unknownAccount(flow.accountID) }
        for account in household.accounts {
            for p in account.positions where prices.index[p.symbol] == nil { throw .unknownSymbol(p.symbol) }
        }
        for symbol in backtester.target.symbols where prices.index[symbol] == nil { throw .unknownSymbol(symbol) }
        for (symbol, y) in settings.dividendYields {
            guard y.isFinite, y >= 0 else { throw .invalidYield(symbol: symbol, value: y) }
        }
        let n = prices.symbols.count, t = prices.dates.count
        var dividend = Array(repeating: [Double](repeating: 0, count: t), count: n)
        var totalReturn = Array(repeating: [Double](repeating: 0, count: t), count: n)
        for s in 0..<n {
            let close = prices.closes[s]
            let yield = settings.dividendYields[prices.symbols[s]] ?? 0
            for d in 1..<t {
                if let tr = prices.totalReturns[s] {
                    let perUnit = tr[d] / tr[d - 1] * close[d - 1] - close[d]
                    dividend[s][d] = perUnit >= 0.0001 ? perUnit : 0
                } else if yield > 0, RebalancePolicy.Frequency.quarterly.period(ofDay: days[d]) != RebalancePolicy.Frequency.quarterly.period(ofDay: days[d - 1]) {
                    dividend[s][d] = close[d - 1] * yield / 4
                }
                totalReturn[s][d] = (close[d] + dividend[s][d]) / close[d - 1] - 1
            }
        }
        self.dividend = dividend
        self.totalReturn = totalReturn
        let target = backtester.target
        var lineOf = [Int](repeating: -1, count: n)
        if target.isByAssetClass {
            lines = target.sleeves.map { ($0.assetClass, $0.weight, prices.index[$0.primary]!) }
            let byClass = Dictionary(uniqueKeysWithValues: target.sleeves.enumerated().map { ($1.assetClass, $0) })
            for (s, symbol) in prices.symbols.enumerated() {
                if let c = bySymbol[symbol]?.assetClass, let l = byClass[c] { lineOf[s] = l }
            }
        } else {
            lines = target.securityWeights.map { ($0.symbol, $0.weight, prices.index[$0.symbol]!) }
            for (l, w) in target.securityWeights.enumerated() { lineOf[prices.index[w.symbol]!] = l }
        }
        self.lineOf = lineOf
        householdTarget = HouseholdTarget.choosing(target, accountCount: household.accounts.count, locate: backtester.locate).target
    }
}

/// One policy's walk along the path.
struct PolicySimulation {
    let market: BacktestMarket
    let policy: BacktestPolicy
    let rebalancePlanner: HouseholdPlanner
    let flowPlanner: HouseholdPlanner
    let taxRules: TaxRules
    var household: Household
    /// Units held per account and symbol column.
    var units: [[Double]]
    var recent: [Transaction] = []
    /// Buys still able to replace a loss sold later (wash sale looking back), with their units left.
    var buys: [(day: Int, account: Int, symbol: String, key: String, units: Decimal)] = []
    var yearST: Decimal = 0, yearLT: Decimal = 0, yearDividends: Decimal = 0
    var carry = LossCarryForward.none
    var taxYears: [TaxYear] = []
    var result: BacktestResult

    init(market: BacktestMarket, policy: BacktestPolicy, household: Household) throws(BacktestError) {
        try self.init(market: market, policy: policy, household: household, rates: try Self.taxRules(policy, household, market))
    }

    /// The policy's rates with the settings' dividend rate and deduction limit; rates of zero
    /// when the household has no taxable account and the policy knows none.
    static func taxRules(_ policy: BacktestPolicy, _ household: Household, _ market: BacktestMarket) throws(BacktestError) -> TaxRules {
        let p = policy.policy, settings = market.backtester.settings
        guard let st = p.shortTermTaxRate, let lt = p.longTermTaxRate else {
            if household.accounts.contains(where: { $0.kind.isTaxable }) { throw .taxRatesUnknown(policy: policy.name) }
            return TaxRules(shortTermRate: 0, longTermRate: 0, dividendRate: 0, lossDeductionLimit: 0)
        }
        return TaxRules(shortTermRate: st, longTermRate: lt, dividendRate: settings.dividendTaxRate,
                        lossDeductionLimit: settings.lossDeductionLimit)
    }

    private init(market: BacktestMarket, policy: BacktestPolicy, household: Household, rates: TaxRules) throws(BacktestError) {
        self.market = market
        self.policy = policy
        self.household = household
        taxRules = rates
        var rebalancing = policy.policy
        rebalancing.trigger = .always
        rebalancing.lastRebalanceDate = nil
        rebalancing.pendingCashFlow = 0
        var flows = rebalancing
        flows.mode = .cashFlowOnly
        flows.taxLossHarvesting = nil
        // The engines differ only in what a plan aims for; both are the same standing rules.
        let backtester = market.backtester
        let engines: (Rebalancer, Rebalancer)
        do {
            engines = (try Rebalancer(securities: backtester.securities, policy: rebalancing),
                       try Rebalancer(securities: backtester.securities, policy: flows))
        } catch {
            throw .planning(policy: policy.name, date: market.prices.dates[0], reason: error.description)
        }
        rebalancePlanner = HouseholdPlanner(rebalancer: engines.0, rules: backtester.rules)
        flowPlanner = HouseholdPlanner(rebalancer: engines.1, rules: backtester.rules)
        units = []
        let start = market.prices.dates[0]
        result = BacktestResult(
            policy: policy.name, startDate: start, endDate: market.prices.dates.last!, years: 0, startingValue: 0,
            endingValue: 0, endingValueAfterTax: 0, endingValueAfterLiquidation: 0, deposits: 0, withdrawals: 0,
            withdrawalShortfall: 0, dividends: 0, taxYears: [],
            finalYear: TaxYear.settle(year: 0, shortTermGain: 0, longTermGain: 0, dividends: 0, carriedIn: .none, rules: rates),
            taxesPaidFromOutside: 0, liquidationTax: 0, realizedShortTermGain: 0, realizedLongTermGain: 0,
            washSaleLossDisallowed: 0, returnBeforeTax: 0, returnAfterTax: 0, trackingError: 0, maxDrift: 0, meanMaxDrift: 0,
            turnover: 0, trades: 0, rebalances: 0, plans: 0, costs: 0, taxAlpha: nil, path: [],
            endingHousehold: household)
        units = household.accounts.map { Self.units(of: $0, columns: market.prices.index) }
    }

    static func units(of account: Account, columns: [String: Int]) -> [Double] {
        var u = [Double](repeating: 0, count: columns.count)
        for p in account.positions { u[columns[p.symbol]!] += NSDecimalNumber(decimal: p.quantity).doubleValue }
        return u
    }

    static func double(_ x: Decimal) -> Double { NSDecimalNumber(decimal: x).doubleValue }

    // MARK: The walk

    mutating func run() throws(BacktestError) -> BacktestResult {
        let prices = market.prices, days = market.days, t = prices.dates.count
        let settings = market.backtester.settings
        var growthBefore = 1.0, growthAfter = 1.0
        var excess: [Double] = []
        excess.reserveCapacity(t)
        var previousValue = value(on: 0)
        result.startingValue = Money.roundCents(Decimal(previousValue))
        var driftSum = 0.0
        var turnoverSum = 0.0
        for d in 0..<t {
            let newDay = d > 0
            // Last year's tax is settled before this date's dividends count toward the new year.
            var taxDue: Decimal = 0
            if newDay, CivilDay.civil(days[d]).year != CivilDay.civil(days[d - 1]).year {
                taxDue = settleYear(CivilDay.civil(days[d - 1]).year)
            }
            if newDay { creditDividends(on: d) }
            let value = value(on: d)
            let drift = lineDrift(on: d, value: value)
            let maxDrift = drift.map { abs($0) }.max() ?? 0
            driftSum += maxDrift
            result.maxDrift = max(result.maxDrift, maxDrift)
            if newDay {
                let r = previousValue > 0 ? value / previousValue - 1 : 0
                var bench = 0.0
                for line in market.lines { bench += line.weight * market.totalReturn[line.benchmark][d] }
                excess.append(r - bench)
                growthBefore *= 1 + r
                growthAfter *= 1 + r
            }
            var flows: [String: Decimal] = [:]
            if taxDue != 0, value > 0 { growthAfter *= (value - Self.double(taxDue)) / value }
            if newDay {
                for flow in settings.cashFlows where flow.frequency.period(ofDay: days[d]) != flow.frequency.period(ofDay: days[d - 1]) {
                    flows[flow.accountID, default: 0] += flow.amount
                }
            }
            if taxDue != 0 {
                if settings.taxPayment == .fromTaxableAccount, let a = household.accounts.first(where: { $0.kind.isTaxable }) {
                    flows[a.id, default: 0] -= taxDue
                } else {
                    result.taxesPaidFromOutside += taxDue
                }
            }
            let rebalance = ruleTriggers(on: d, drift: drift)
            let turnover = try trade(on: d, flows: flows, taxDue: taxDue, rebalance: rebalance)
            turnoverSum += turnover
            previousValue = self.value(on: d)
            let isMonthEnd = d == t - 1 || RebalancePolicy.Frequency.monthly.period(ofDay: days[d + 1]) != RebalancePolicy.Frequency.monthly.period(ofDay: days[d])
            if isMonthEnd {
                result.path.append(.init(date: prices.dates[d], value: previousValue,
                                         valueAfterTax: previousValue - Self.double(result.taxesPaidFromOutside), maxDrift: maxDrift))
            }
        }
        try finish(growthBefore: growthBefore, growthAfter: growthAfter, excess: excess, driftSum: driftSum, turnoverSum: turnoverSum)
        return result
    }

    /// Household value at the close of date `d`: units at the close plus cash.
    func value(on d: Int) -> Double {
        var total = 0.0
        for (a, account) in household.accounts.enumerated() {
            total += Self.double(account.cash)
            let u = units[a]
            for s in u.indices where u[s] != 0 { total += u[s] * market.prices.closes[s][d] }
        }
        return total
    }

    /// Each target line's household weight less its target, then each held symbol outside
    /// every line (target zero).
    func lineDrift(on d: Int, value: Double) -> [Double] {
        guard value > 0 else { return [] }
        var lineValue = [Double](repeating: 0, count: market.lines.count)
        var outside: [Double] = []
        for u in units {
            for s in u.indices where u[s] != 0 {
                let v = u[s] * market.prices.closes[s][d]
                let l = market.lineOf[s]
                if l >= 0 { lineValue[l] += v } else { outside.append(v / value) }
            }
        }
        return market.lines.indices.map { lineValue[$0] / value - market.lines[$0].weight } + outside
    }

    func ruleTriggers(on d: Int, drift: [Double]) -> Bool {
        let days = market.days
        func newPeriod(_ f: RebalancePolicy.Frequency) -> Bool { d > 0 && f.period(ofDay: days[d]) != f.period(ofDay: days[d - 1]) }
        func breached(_ bands: RebalancePolicy.ToleranceBands) -> Bool {
            for (i, x) in drift.enumerated() {
                let target = i < market.lines.count ? market.lines[i].weight : 0
                if abs(x) > bands.halfWidth(target: target) + 1e-12 { return true }
            }
            return false
        }
        switch policy.rule {
        case .everyDate: return true
        case .calendar(let f): return newPeriod(f)
        case .bands(let b): return breached(b)
        case .calendarOrBands(let f, let b): return newPeriod(f) || breached(b)
        case .calendarAndBands(let f, let b): return newPeriod(f) && breached(b)
        case .cashFlowOnly, .never: return false
        }
    }

    mutating func creditDividends(on d: Int) {
        for a in household.accounts.indices {
            var amount = 0.0
            let u = units[a]
            for s in u.indices where u[s] != 0 && market.dividend[s][d] > 0 { amount += u[s] * market.dividend[s][d] }
            guard amount > 0 else { continue }
            let cash = Money.roundCents(Decimal(amount))
            household.accounts[a].cash += cash
            result.dividends += cash
            if household.accounts[a].kind.isTaxable { yearDividends += cash }
        }
    }

    /// Settles a year's tax and starts the next; returns the tax due.
    mutating func settleYear(_ year: Int) -> Decimal {
        let settled = TaxYear.settle(year: year, shortTermGain: yearST, longTermGain: yearLT, dividends: yearDividends,
                                     carriedIn: carry, rules: taxRules)
        taxYears.append(settled)
        carry = settled.carriedOut
        yearST = 0
        yearLT = 0
        yearDividends = 0
        return settled.tax
    }
}
