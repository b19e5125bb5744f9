import Foundation
import FolioRebalancing

/// A goal turned into numbers on a monthly grid: the starting balance, the net cash flow at
/// the end of each month, and the nominal amount needed at the end of the last month.
///
/// Month *m* (1-based) ends *m* calendar months after the analysis date; the horizon is the
/// number of calendar months from the analysis date to the target date, rounded to the nearest
/// month (at least 1). A flow of frequency *f* months happens at the end of months
/// `s + f, s + 2f, …` up to its end, where *s* is its start month; its amount in year *k*
/// (0-based, counted from its start) is `amount × (1 + growth)^k`. Withdrawals are negative.
/// An amount in today's money is grown by `(1 + inflation)^(months / 12)`.
///
/// Projections use `Double` (they are estimates, not accounting).
public struct GoalSchedule: Sendable, Hashable, Codable {
    /// The goal's name.
    public var goalName: String
    /// The goal's priority.
    public var priority: Goal.Priority
    /// Horizon in months, ≥ 1.
    public var months: Int
    /// Money set aside at the start, in currency.
    public var initialBalance: Double
    /// Net flow at the end of month `m` at index `m − 1` (contributions positive,
    /// withdrawals negative), in nominal currency.
    public var monthlyFlows: [Double]
    /// The amount needed at the end of the horizon, in nominal currency.
    public var targetAmount: Double

    /// Creates a schedule directly.
    /// - Parameters:
    ///   - goalName: Name.
    ///   - priority: Priority.
    ///   - initialBalance: Starting balance.
    ///   - monthlyFlows: Net flow per month (its count is the horizon).
    ///   - targetAmount: Nominal amount needed at the end.
    public init(goalName: String, priority: Goal.Priority = .need, initialBalance: Double, monthlyFlows: [Double], targetAmount: Double) {
        precondition(!monthlyFlows.isEmpty, "A schedule needs at least one month")
        self.goalName = goalName
        self.priority = priority
        self.months = monthlyFlows.count
        self.initialBalance = initialBalance
        self.monthlyFlows = monthlyFlows
        self.targetAmount = targetAmount
    }

    /// Horizon in years, `months / 12`.
    public var years: Double { Double(months) / 12 }

    /// The balance at the end of the horizon if every year returns `annualReturn` exactly,
    /// compounded monthly at `(1 + r)^(1/12)`, flows at month ends. Negative balances are
    /// allowed (no ruin in this deterministic projection).
    /// - Parameter r: Annual return (fraction), > −1.
    /// - Complexity: O(*months*).
    public func futureValue(annualReturn r: Double) -> Double {
        let g = Foundation.exp(Foundation.log1p(r) / 12)
        var b = initialBalance
        for f in monthlyFlows { b = b * g + f }
        return b
    }

    /// The annual return needed to reach the target exactly: the root of
    /// `futureValue(r) = targetAmount`, found by bisection on [−99%, +100%] to a width of
    /// 1e-14 (about 50 halvings; every step keeps a bracket, so the answer is exact to that
    /// width). With only contributions, or only withdrawals while the balance stays positive,
    /// the future value increases with `r` and the root is unique.
    /// - Returns: The required return and how it was found.
    /// - Complexity: O(*months*) per step, about 50 steps.
    public func requiredAnnualReturn() -> RequiredReturn {
        let lo0 = -0.99, hi0 = 1.0
        let target = targetAmount
        if futureValue(annualReturn: lo0) >= target {
            return RequiredReturn(goalName: goalName, annualReturn: nil, status: .reachedAtAnyReturn, iterations: 0)
        }
        if futureValue(annualReturn: hi0) < target {
            return RequiredReturn(goalName: goalName, annualReturn: nil, status: .unreachable, iterations: 0)
        }
        var lo = lo0, hi = hi0
        var k = 0
        while hi - lo > 1e-14 && k < 200 {
            let mid = 0.5 * (lo + hi)
            if futureValue(annualReturn: mid) >= target { hi = mid } else { lo = mid }
            k += 1
        }
        return RequiredReturn(goalName: goalName, annualReturn: hi, status: .solved, iterations: k)
    }
}

/// The annual return a goal needs.
public struct RequiredReturn: Sendable, Hashable, Codable {
    /// How the search ended.
    public enum Status: String, Sendable, Hashable, Codable {
        /// The return was found.
        case solved
        /// Reached even at −99% a year (the flows alone suffice).
        case reachedAtAnyReturn
        /// Not reached even at +100% a year.
        case unreachable
    }

    /// The goal's name.
    public var goalName: String
    /// The required annual return (fraction) when solved.
    public var annualReturn: Double?
    /// The outcome.
    public var status: Status
    /// Bisection steps taken.
    public var iterations: Int
}

extension Goal {
    /// The goal on a monthly grid from an analysis date.
    /// - Parameters:
    ///   - asOf: The analysis date (today).
    ///   - inflation: Annual inflation (fraction) for amounts in today's money.
    /// - Returns: The schedule.
    /// - Throws: ``GoalError`` naming the goal for a date not after `asOf`, a non-positive
    ///   target, negative set-aside, a bad flow or bad inflation.
    /// - Complexity: O(*months*).
    public func schedule(asOf: Date, inflation: Double) throws(GoalError) -> GoalSchedule {
        guard inflation.isFinite, inflation > -1 else { throw .invalidInflation(inflation) }
        do throws(GoalError) {
            return try uncheckedSchedule(asOf: asOf, inflation: inflation)
        } catch {
            if let source { throw .at(source: source, error) }
            throw error
        }
    }

    private func uncheckedSchedule(asOf: Date, inflation: Double) throws(GoalError) -> GoalSchedule {
        guard targetDate > asOf else { throw .targetDateNotInFuture(goal: name) }
        guard targetAmount > 0 else { throw .nonPositiveTarget(goal: name) }
        guard setAside >= 0 else { throw .negativeSetAside(goal: name) }
        if let p = requiredProbability, !(p > 0 && p <= 1) { throw .invalidRequiredProbability(goal: name, value: p) }
        let months = max(1, Self.monthsBetween(asOf, targetDate))
        var flows = [Double](repeating: 0, count: months)
        for (flow, sign) in [(contributions, 1.0), (withdrawals, -1.0)] {
            guard let flow else { continue }
            guard flow.amount > 0 else { throw .invalidCashFlow(goal: name, detail: "cash-flow amount must be positive") }
            guard flow.annualGrowth.isFinite, flow.annualGrowth > -1 else {
                throw .invalidCashFlow(goal: name, detail: "cash-flow growth must be finite and above -100%")
            }
            let start = flow.startDate.map { max(0, Self.monthsBetween(asOf, $0)) } ?? 0
            let end = flow.endDate.map { min(months, Self.monthsBetween(asOf, $0)) } ?? months
            let amount = NSDecimalNumber(decimal: flow.amount).doubleValue
            var m = start + flow.frequency.months
            while m <= end {
                let year = (m - start - 1) / 12
                flows[m - 1] += sign * amount * Foundation.pow(1 + flow.annualGrowth, Double(year))
                m += flow.frequency.months
            }
        }
        var target = NSDecimalNumber(decimal: targetAmount).doubleValue
        if amountBasis == .today { target *= Foundation.pow(1 + inflation, Double(months) / 12) }
        return GoalSchedule(
            goalName: name, priority: priority, initialBalance: NSDecimalNumber(decimal: setAside).doubleValue,
            monthlyFlows: flows, targetAmount: target)
    }

    /// Whole calendar months from `a` to `b` (UTC), rounded to the nearest month; negative when
    /// `b` is before `a`.
    static func monthsBetween(_ a: Date, _ b: Date) -> Int {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.month], from: a, to: b)
        var m = c.month ?? 0
        guard let anchor = cal.date(byAdding: .month, value: m, to: a) else { return m }
        let rest = b.timeIntervalSince(anchor)
        if rest >= 15 * 86_400 { m += 1 } else if rest <= -15 * 86_400 { m -= 1 }
        return m
    }
}

/// The analysis of one goal under one allocation: required return and simulated outcomes.
public struct GoalAnalysis: Sendable, Hashable, Codable {
    /// The goal on a monthly grid.
    public var schedule: GoalSchedule
    /// The annual return needed to reach it exactly.
    public var requiredReturn: RequiredReturn
    /// The Monte Carlo outcome.
    public var simulation: MonteCarloResult

    /// Creates an analysis.
    /// - Parameters:
    ///   - schedule: The schedule.
    ///   - requiredReturn: The required return.
    ///   - simulation: The simulation.
    public init(schedule: GoalSchedule, requiredReturn: RequiredReturn, simulation: MonteCarloResult) {
        self.schedule = schedule
        self.requiredReturn = requiredReturn
        self.simulation = simulation
    }
}

extension GoalSet {
    /// Analyzes every goal under one return model: each goal is simulated on its own (its own
    /// set-aside and flows), all with the same seed, so results do not depend on goal order.
    /// - Parameters:
    ///   - asOf: The analysis date.
    ///   - model: The allocation's return model.
    ///   - simulation: Paths, seed and percentiles (default 10,000 paths).
    /// - Returns: One analysis per goal, in order.
    /// - Throws: ``GoalError`` naming the first bad goal.
    /// - Complexity: O(*goals* · *paths* · *months*).
    public func analyze(
        asOf: Date, model: LognormalReturnModel, simulation: MonteCarloSimulation = .init()
    ) throws(GoalError) -> [GoalAnalysis] {
        var out: [GoalAnalysis] = []
        for goal in goals {
            let s = try goal.schedule(asOf: asOf, inflation: inflation)
            out.append(GoalAnalysis(schedule: s, requiredReturn: s.requiredAnnualReturn(), simulation: try simulation.run(s, model: model)))
        }
        return out
    }
}
