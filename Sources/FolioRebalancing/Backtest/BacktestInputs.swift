import Foundation

/// A problem with a backtest's inputs, naming the symbol, the date or the policy.
///
/// File readers above this layer report bad files with their line; these are the checks the
/// simulator itself makes on values.
public enum BacktestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The price history has fewer than two dates.
    case tooFewDates(Int)
    /// Dates do not strictly increase (`index` is the offending date's position).
    case datesNotIncreasing(index: Int)
    /// A price is zero, negative or not finite.
    case invalidPrice(symbol: String, date: Date, value: Double)
    /// A series has another length than the dates.
    case seriesLength(symbol: String, count: Int, expected: Int)
    /// A symbol is held or targeted but the prices do not have it.
    case unknownSymbol(String)
    /// A security appears twice in the price history.
    case duplicateSymbol(String)
    /// A cash flow names an account the household does not have.
    case unknownAccount(String)
    /// A dividend yield is negative or not finite.
    case invalidYield(symbol: String, value: Double)
    /// Two policies share a name, or the baseline names none of them.
    case policyName(String)
    /// No policy to simulate.
    case noPolicies
    /// A policy leaves a tax rate unknown while the household has a taxable account.
    case taxRatesUnknown(policy: String)
    /// The rebalancing engine rejected a plan (the policy, the date and why).
    case planning(policy: String, date: Date, reason: String)

    /// A one-line explanation for people.
    public var description: String {
        func day(_ d: Date) -> String {
            let c = CivilDay.civil(CivilDay.of(d))
            return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
        }
        switch self {
        case .tooFewDates(let n): return "a backtest needs at least two dates of prices, got \(n)"
        case .datesNotIncreasing(let i): return "price dates must strictly increase (date number \(i + 1))"
        case .invalidPrice(let s, let d, let v): return "price of \(s) on \(day(d)) must be a positive number, got \(v)"
        case .seriesLength(let s, let c, let e): return "series of \(s) has \(c) values for \(e) dates"
        case .unknownSymbol(let s): return "\(s) is held or targeted but has no price history"
        case .duplicateSymbol(let s): return "\(s) appears twice in the price history"
        case .unknownAccount(let a): return "cash flow for account \(a), which the household does not have"
        case .invalidYield(let s, let v): return "dividend yield of \(s) must be a non-negative fraction, got \(v)"
        case .policyName(let n): return "policy name \(n) is used twice or names no policy"
        case .noPolicies: return "no policy to backtest"
        case .taxRatesUnknown(let p): return "policy \(p) has no short- or long-term tax rate; a backtest of a taxable account needs both"
        case .planning(let p, let d, let r): return "policy \(p) on \(day(d)): \(r)"
        }
    }
}

/// Closing prices over time, and optionally a total-return index per security, for a backtest.
///
/// Prices are `Double` currency per unit (as a prices file holds them); the simulator turns the
/// prices of a trading date into exact `Decimal` (their shortest decimal text) before planning.
/// Where a total-return index is given for a security, its dividends are read from the two
/// series: on date *t* the dividend per unit is `TR[t] / TR[t−1] × P[t−1] − P[t]` (zero when
/// that is below a hundredth of a cent).
public struct BacktestPrices: Sendable {
    /// Trading dates, strictly increasing.
    public let dates: [Date]
    /// Symbols, in column order.
    public let symbols: [String]
    /// `closes[s][d]`: close of `symbols[s]` on `dates[d]`, positive.
    public let closes: [[Double]]
    /// `totalReturns[s]`: a total-return index of `symbols[s]` (same dates), or `nil`.
    public let totalReturns: [[Double]?]
    /// The column of each symbol.
    public let index: [String: Int]

    /// Creates and checks a price history.
    /// - Parameters:
    ///   - dates: Trading dates, strictly increasing (at least two).
    ///   - symbols: Symbols, each once.
    ///   - closes: Closes per symbol, one per date, positive and finite.
    ///   - totalReturns: Total-return index per symbol (any subset), one per date, positive.
    /// - Throws: ``BacktestError`` naming the symbol and date of the first bad value.
    /// - Complexity: O(dates × symbols).
    public init(dates: [Date], symbols: [String], closes: [[Double]], totalReturns: [String: [Double]] = [:]) throws(BacktestError) {
        guard dates.count >= 2 else { throw .tooFewDates(dates.count) }
        for i in 1..<dates.count where dates[i] <= dates[i - 1] { throw .datesNotIncreasing(index: i) }
        precondition(closes.count == symbols.count, "one close series per symbol")
        var index: [String: Int] = [:]
        for (i, s) in symbols.enumerated() {
            guard index.updateValue(i, forKey: s) == nil else { throw .duplicateSymbol(s) }
        }
        for (symbol, series) in zip(symbols, closes) { try Self.check(series, symbol: symbol, dates: dates) }
        for (symbol, series) in totalReturns {
            guard index[symbol] != nil else { throw .unknownSymbol(symbol) }
            try Self.check(series, symbol: symbol, dates: dates)
        }
        self.dates = dates
        self.symbols = symbols
        self.closes = closes
        self.totalReturns = symbols.map { totalReturns[$0] }
        self.index = index
    }

    private static func check(_ series: [Double], symbol: String, dates: [Date]) throws(BacktestError) {
        guard series.count == dates.count else { throw .seriesLength(symbol: symbol, count: series.count, expected: dates.count) }
        for (d, v) in series.enumerated() where !(v.isFinite && v > 0) {
            throw .invalidPrice(symbol: symbol, date: dates[d], value: v)
        }
    }

    /// The exact prices of every symbol on date `d`: each close's shortest decimal text (the
    /// price a file held), rounded half-up to 8 decimal places (the engine's precision) when a
    /// computed close has more.
    /// - Complexity: O(symbols).
    func prices(on d: Int) -> Prices {
        var table: [String: Decimal] = [:]
        table.reserveCapacity(symbols.count)
        for (s, symbol) in symbols.enumerated() {
            var exact = Decimal(string: String(closes[s][d])) ?? 0, rounded = Decimal()
            NSDecimalRound(&rounded, &exact, 8, .plain)
            table[symbol] = rounded
        }
        return Prices(asOf: dates[d], table)
    }
}

/// A deposit or withdrawal repeated on a calendar: on the first trading date of every period
/// after the backtest's first date.
public struct ScheduledCashFlow: Sendable, Hashable, Codable {
    /// The account it goes to (or comes from).
    public var accountID: String
    /// The amount per period, in currency: positive for a deposit, negative for a withdrawal.
    public var amount: Decimal
    /// How often.
    public var frequency: RebalancePolicy.Frequency

    /// Creates a scheduled flow.
    /// - Parameters:
    ///   - accountID: The account.
    ///   - amount: Currency per period (deposits positive).
    ///   - frequency: How often.
    public init(accountID: String, amount: Decimal, frequency: RebalancePolicy.Frequency) {
        self.accountID = accountID
        self.amount = amount
        self.frequency = frequency
    }
}

/// A rebalancing policy as a backtest runs it: a name, when it trades, and the standing rules
/// (mode, costs, lot method, tax rates, reserve, wash-sale window) the household planner uses.
public struct BacktestPolicy: Sendable, Hashable {
    /// When the simulator asks the household planner for a rebalance.
    ///
    /// The simulator evaluates the rule on the household as a whole, every trading date:
    /// calendar rules at the first trading date of each new period, band rules when any target
    /// line's household weight is outside its band. A triggered date plans with the policy's
    /// mode; on other dates scheduled flows, taxes and idle cash are handled with cash-flow-only
    /// plans (which never sell but to raise cash).
    public enum Rule: Sendable, Hashable {
        /// Every trading date.
        case everyDate
        /// At the first trading date of each new calendar period.
        case calendar(RebalancePolicy.Frequency)
        /// When a line's household weight leaves its band.
        case bands(RebalancePolicy.ToleranceBands)
        /// Either a new calendar period or a band breach.
        case calendarOrBands(RebalancePolicy.Frequency, RebalancePolicy.ToleranceBands)
        /// A new calendar period that finds a band breached.
        case calendarAndBands(RebalancePolicy.Frequency, RebalancePolicy.ToleranceBands)
        /// Only cash flows trade: deposits, dividends and idle cash buy the most underweight
        /// lines, withdrawals and taxes sell the most overweight.
        case cashFlowOnly
        /// Never trades but to raise cash for a withdrawal or a tax; deposits and dividends stay
        /// in cash.
        case never
    }

    /// The name shown in tables and used for the tax-alpha baseline.
    public var name: String
    /// When it rebalances.
    public var rule: Rule
    /// The standing rules of each plan. Its trigger and last rebalance date are not used (the
    /// rule decides); its mode is the mode of a triggered rebalance.
    public var policy: RebalancePolicy

    /// Creates a backtest policy.
    /// - Parameters:
    ///   - name: Display name, unique within a comparison.
    ///   - rule: When it rebalances.
    ///   - policy: Standing rules for each plan.
    public init(name: String, rule: Rule, policy: RebalancePolicy) {
        self.name = name
        self.rule = rule
        self.policy = policy
    }

    /// A policy file's policy as a backtest runs it: its trigger becomes the rule (`always`
    /// every date, a calendar, bands, or both), and a cash-flow-only mode the cash-flow rule.
    /// - Parameters:
    ///   - name: Display name.
    ///   - policy: The policy as read.
    public init(name: String, policy: RebalancePolicy) {
        let rule: Rule
        if policy.mode == .cashFlowOnly {
            rule = .cashFlowOnly
        } else {
            switch policy.trigger {
            case .always: rule = .everyDate
            case .calendar(let f): rule = .calendar(f)
            case .bands: rule = .bands(policy.bands)
            case .calendarOrBands(let f): rule = .calendarOrBands(f, policy.bands)
            case .calendarAndBands(let f): rule = .calendarAndBands(f, policy.bands)
            }
        }
        self.init(name: name, rule: rule, policy: policy)
    }

    /// The names ``builtIn(_:standing:)`` knows: `monthly`, `quarterly`, `annual`, `bands-5`
    /// (5 points absolute), `bands-25` (25% of the target, relative), `bands-5-25` (the smaller
    /// of the two), `cash-flow-only`, `never`.
    public static let builtInNames = ["monthly", "quarterly", "annual", "bands-5", "bands-25", "bands-5-25", "cash-flow-only", "never"]

    /// A built-in policy by name, with `standing` as its standing rules (costs, taxes, lots).
    /// - Parameters:
    ///   - name: One of ``builtInNames``.
    ///   - standing: The standing rules (default `RebalancePolicy()`).
    /// - Returns: The policy, or `nil` for an unknown name.
    public static func builtIn(_ name: String, standing: RebalancePolicy = RebalancePolicy()) -> BacktestPolicy? {
        var policy = standing
        let rule: Rule
        switch name {
        case "monthly": rule = .calendar(.monthly)
        case "quarterly": rule = .calendar(.quarterly)
        case "annual": rule = .calendar(.annual)
        case "bands-5": rule = .bands(.init(absolute: 0.05))
        case "bands-25": rule = .bands(.init(relative: 0.25))
        case "bands-5-25": rule = .bands(.fiveTwentyFive)
        case "cash-flow-only": rule = .cashFlowOnly
        case "never": rule = .never
        default: return nil
        }
        if case .bands(let b) = rule { policy.bands = b }
        if policy.mode == .cashFlowOnly { policy.mode = .toTarget }
        return BacktestPolicy(name: name, rule: rule, policy: policy)
    }
}

/// Who pays a year's tax.
public enum TaxPayment: String, Sendable, Hashable, Codable, CaseIterable {
    /// Withdrawn from the first taxable account on the first trading date of the next year
    /// (selling if its cash is short); a refund is deposited there.
    case fromTaxableAccount
    /// Paid from money outside the household; after-tax wealth subtracts it.
    case fromOutside
}

/// What a backtest assumes beyond the policies: flows, dividends, tax rules.
public struct BacktestSettings: Sendable, Hashable {
    /// Deposits and withdrawals on a schedule.
    public var cashFlows: [ScheduledCashFlow]
    /// Who pays each year's tax.
    public var taxPayment: TaxPayment
    /// Annual dividend yield per symbol (fraction), for securities without a total-return
    /// series; paid quarterly on the first trading date of each quarter, on the previous close.
    public var dividendYields: [String: Double]
    /// The yearly deduction of a net capital loss against other income, in currency.
    public var lossDeductionLimit: Decimal
    /// Tax rate on dividends in taxable accounts, or `nil` for each policy's long-term rate.
    public var dividendTaxRate: Decimal?
    /// Tax rate on withdrawing the tax-deferred accounts at the end (the liquidation tax of an
    /// IRA), a fraction (default 0: not counted).
    public var taxDeferredLiquidationRate: Decimal
    /// How often idle cash (dividends, rounding) is invested by a cash-flow-only plan when the
    /// policy does not rebalance that day; `nil` never. Not used by ``BacktestPolicy/Rule/never``.
    public var cashSweep: RebalancePolicy.Frequency?
    /// Idle cash below this fraction of an account's value is not swept.
    public var minimumSweepFraction: Double
    /// The policy the tax alpha is measured against, by name; `nil` for the first policy.
    public var baseline: String?

    /// Creates settings; every parameter has a default.
    /// - Parameters:
    ///   - cashFlows: Scheduled deposits and withdrawals (default none).
    ///   - taxPayment: Who pays the tax (default the taxable account).
    ///   - dividendYields: Annual yield by symbol (default none).
    ///   - lossDeductionLimit: Yearly loss deduction, in currency (default 3,000).
    ///   - dividendTaxRate: Dividend tax rate (default each policy's long-term rate).
    ///   - taxDeferredLiquidationRate: Tax on the tax-deferred accounts at the end (default 0).
    ///   - cashSweep: Idle-cash sweep frequency (default monthly).
    ///   - minimumSweepFraction: Smallest idle cash swept, as a fraction of the account (default 0.005).
    ///   - baseline: The tax-alpha baseline's name (default the first policy).
    public init(
        cashFlows: [ScheduledCashFlow] = [], taxPayment: TaxPayment = .fromTaxableAccount,
        dividendYields: [String: Double] = [:], lossDeductionLimit: Decimal = 3000, dividendTaxRate: Decimal? = nil,
        taxDeferredLiquidationRate: Decimal = 0, cashSweep: RebalancePolicy.Frequency? = .monthly,
        minimumSweepFraction: Double = 0.005, baseline: String? = nil
    ) {
        self.cashFlows = cashFlows
        self.taxPayment = taxPayment
        self.dividendYields = dividendYields
        self.lossDeductionLimit = lossDeductionLimit
        self.dividendTaxRate = dividendTaxRate
        self.taxDeferredLiquidationRate = taxDeferredLiquidationRate
        self.cashSweep = cashSweep
        self.minimumSweepFraction = minimumSweepFraction
        self.baseline = baseline
    }
}

extension RebalancePolicy.Frequency {
    /// The number of the calendar period a civil day falls in (months since year 0 divided by
    /// the period's length), so a new period starts when the number changes.
    func period(ofDay day: Int) -> Int {
        let c = CivilDay.civil(day)
        return (c.year * 12 + c.month - 1) / months
    }
}
