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

        /// The probability of success asked for when a goal states none: 0.80 for a need,
        /// 0.70 for a want, 0.60 for a wish (common planning-software defaults; a client's
        /// own figure in `required_probability` wins).
        public var defaultRequiredProbability: Double {
            switch self {
            case .need: 0.80
            case .want: 0.70
            case .wish: 0.60
            }
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
    /// The probability of success the client asks for, in (0, 1]; `nil` means the priority's
    /// default (``Priority/defaultRequiredProbability``).
    public var requiredProbability: Double?
    /// Where the goal was read, `file:line`, when it came from a file; errors name it.
    public var source: String?

    /// The probability asked for, or the priority's default.
    public var effectiveRequiredProbability: Double { requiredProbability ?? priority.defaultRequiredProbability }

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
    ///   - requiredProbability: Probability of success asked for, in (0, 1] (default: by priority).
    ///   - source: `file:line` the goal was read from.
    public init(
        name: String, targetAmount: Decimal, amountBasis: AmountBasis = .today, targetDate: Date, priority: Priority,
        setAside: Decimal = 0, contributions: PlannedCashFlow? = nil, withdrawals: PlannedCashFlow? = nil,
        requiredProbability: Double? = nil, source: String? = nil
    ) {
        self.name = name
        self.targetAmount = targetAmount
        self.amountBasis = amountBasis
        self.targetDate = targetDate
        self.priority = priority
        self.setAside = setAside
        self.contributions = contributions
        self.withdrawals = withdrawals
        self.requiredProbability = requiredProbability
        self.source = source
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
    /// The probability asked for is not in (0, 1].
    case invalidRequiredProbability(goal: String, value: Double)
    /// The goals earmark more set-aside money than they are allowed to (see the message).
    case invalidPlan(detail: String)
    /// An error about a goal read from a file, with its `file:line`.
    indirect case at(source: String, GoalError)

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
        case .invalidRequiredProbability(let g, let v): "goal '\(g)': required probability \(v) must be in (0, 1]"
        case .invalidPlan(let d): d
        case .at(let source, let error): "\(source): \(error.description)"
        }
    }
}
