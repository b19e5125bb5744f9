import Foundation
import FolioRebalancing

/// A client's financial goal: an amount needed at a date, its priority, the money already set
/// aside for it and the money planned to flow in (contributions) or out (withdrawals) until then.
public struct Goal: Sendable, Hashable, Codable {
    /// How the target amount is expressed.
    public enum AmountBasis: String, Sendable, Hashable, Codable, CaseIterable {
        /// In today's money: grown by inflation to the target date.
        case today
        /// In money of the target date, as stated.
        case nominal
    }

    /// How much the goal matters.
    public enum Priority: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// Essential (retirement income, education).
        case need
        /// Important but flexible.
        case want
        /// Nice to have.
        case wish

        /// `need < want < wish` (most important first).
        public static func < (lhs: Priority, rhs: Priority) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// Its name, unique among the client's goals.
    public var name: String
    /// The amount needed at the target date, in currency; positive.
    public var targetAmount: Decimal
    /// Today's money or nominal.
    public var amountBasis: AmountBasis
    /// The date the money is needed.
    public var targetDate: Date
    /// Need, want or wish.
    public var priority: Priority
    /// Money already earmarked for the goal, in currency; not negative.
    public var setAside: Decimal
    /// Money added until the target date, if any.
    public var contributions: PlannedCashFlow?
    /// Money taken out (income) until the target date, if any.
    public var withdrawals: PlannedCashFlow?

    /// Creates a goal.
    /// - Parameters:
    ///   - name: Unique name.
    ///   - targetAmount: Amount needed (currency).
    ///   - amountBasis: Today's money (default) or nominal.
    ///   - targetDate: When it is needed.
    ///   - priority: Need, want or wish.
    ///   - setAside: Money already earmarked (default 0).
    ///   - contributions: Planned contributions.
    ///   - withdrawals: Planned withdrawals.
    public init(
        name: String, targetAmount: Decimal, amountBasis: AmountBasis = .today, targetDate: Date, priority: Priority,
        setAside: Decimal = 0, contributions: PlannedCashFlow? = nil, withdrawals: PlannedCashFlow? = nil
    ) {
        self.name = name
        self.targetAmount = targetAmount
        self.amountBasis = amountBasis
        self.targetDate = targetDate
        self.priority = priority
        self.setAside = setAside
        self.contributions = contributions
        self.withdrawals = withdrawals
    }
}

/// A regular cash flow: an amount per period that grows each year.
public struct PlannedCashFlow: Sendable, Hashable, Codable {
    /// How often the flow happens.
    public enum Frequency: String, Sendable, Hashable, Codable, CaseIterable {
        /// Every month.
        case monthly
        /// Every three months.
        case quarterly
        /// Every six months.
        case semiAnnual = "semi-annual"
        /// Every twelve months.
        case annual

        /// Months between flows.
        public var months: Int {
            switch self {
            case .monthly: 1
            case .quarterly: 3
            case .semiAnnual: 6
            case .annual: 12
            }
        }
    }

    /// The amount per period, in currency; positive.
    public var amount: Decimal
    /// The frequency.
    public var frequency: Frequency
    /// Annual growth of the amount (fraction): in year *k* (0-based from the start) the amount
    /// is `amount × (1 + growth)^k`.
    public var annualGrowth: Double
    /// The first period starts here (default: the analysis date).
    public var startDate: Date?
    /// No flow after this date (default: the goal's target date).
    public var endDate: Date?

    /// Creates a cash flow.
    /// - Parameters:
    ///   - amount: Amount per period (currency).
    ///   - frequency: Frequency.
    ///   - annualGrowth: Annual growth of the amount (default 0).
    ///   - startDate: Start (default the analysis date).
    ///   - endDate: End (default the target date).
    public init(amount: Decimal, frequency: Frequency, annualGrowth: Double = 0, startDate: Date? = nil, endDate: Date? = nil) {
        self.amount = amount
        self.frequency = frequency
        self.annualGrowth = annualGrowth
        self.startDate = startDate
        self.endDate = endDate
    }
}

/// A client's goals and the inflation rate used for amounts in today's money.
public struct GoalSet: Sendable, Hashable, Codable {
    /// Annual inflation (fraction), default 0.025.
    public var inflation: Double
    /// The goals.
    public var goals: [Goal]

    /// Creates a goal set.
    /// - Parameters:
    ///   - inflation: Annual inflation (default 2.5%).
    ///   - goals: The goals.
    public init(inflation: Double = 0.025, goals: [Goal]) {
        self.inflation = inflation
        self.goals = goals
    }
}

/// Bad goal data; each case names the goal.
public enum GoalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The target date is not after the analysis date.
    case targetDateNotInFuture(goal: String)
    /// The target amount is not positive.
    case nonPositiveTarget(goal: String)
    /// Money already set aside is negative.
    case negativeSetAside(goal: String)
    /// A cash-flow amount is not positive, or its growth is not finite and > −1.
    case invalidCashFlow(goal: String, detail: String)
    /// The inflation rate is not finite or not above −1.
    case invalidInflation(Double)
    /// Expected return or volatility is not finite, volatility negative, or return ≤ −100%.
    case invalidReturnModel(detail: String)
    /// Paths must be positive.
    case invalidPathCount(Int)

    /// A readable description naming the goal.
    public var description: String {
        switch self {
        case .targetDateNotInFuture(let g): "goal '\(g)': target date must be after the analysis date"
        case .nonPositiveTarget(let g): "goal '\(g)': target amount must be positive"
        case .negativeSetAside(let g): "goal '\(g)': set-aside must not be negative"
        case .invalidCashFlow(let g, let d): "goal '\(g)': \(d)"
        case .invalidInflation(let i): "inflation \(i) is invalid"
        case .invalidReturnModel(let d): "return model: \(d)"
        case .invalidPathCount(let n): "path count \(n) must be positive"
        }
    }
}
