import Foundation
import FolioRebalancing

/// What would reach a goal's required probability, each lever on its own: more saving, a later
/// date, a smaller target, a riskier model. Every answer is re-simulated on the planner's draws
/// and its probability reported; a lever that cannot reach it within its bounds is `nil`.
public struct WhatWouldItTake: Sendable, Hashable, Codable {
    /// The goal's name.
    public var goalName: String
    /// The probability asked for.
    public var requiredProbability: Double
    /// The probability today.
    public var probability: Double
    /// Extra saving a year (currency, rounded up to $100), paid monthly until the goal date.
    public var extraYearlySaving: Double?
    /// The probability with that saving.
    public var probabilityWithSaving: Double?
    /// A later target date (whole months later, at most 30 years).
    public var laterDate: Date?
    /// Months later.
    public var monthsLater: Int?
    /// The probability at that date.
    public var probabilityAtLaterDate: Double?
    /// A smaller target, in the goal's own terms (today's money or nominal), rounded down to
    /// three significant figures.
    public var smallerTarget: Double?
    /// The probability with that target.
    public var probabilityWithSmallerTarget: Double?
    /// The least risky category above the client's that reaches it.
    public var riskierCategory: RiskCategory?
    /// The probability under that category's model.
    public var probabilityWithRiskierModel: Double?
    /// The answer in a sentence an advisor can read to a client.
    public var sentence: String
}

extension GoalPlanner {
    /// The largest extra yearly saving searched: 50 times the nominal target a year.
    static let savingCeilingFactor = 50.0
    /// The latest date searched: 30 years after the goal's.
    static let maximumMonthsLater = 360

    /// Solves each lever for a goal short of its required probability.
    ///
    /// - **Saving**: the probability is non-decreasing in the extra saving on common draws.
    ///   When no path is depleted, each path's final balance is affine in the saving and the
    ///   root is exact (the ⌈p·N⌉-th smallest per-path threshold); otherwise bracketed by
    ///   doubling from $1,000 a year and bisected to $10 (or 0.1%). Rounded up to $100 and
    ///   re-simulated.
    /// - **Date**: bracketed at 12, 24, 48, … months later (up to 360), then bisected in whole
    ///   months; each trial rebuilds the schedule (flows run to the new date, a target in today's
    ///   money grows with inflation) and the glide path for the new horizon on the same draws.
    /// - **Target**: the exact root of the step function: the ⌈p·N⌉-th largest final balance of
    ///   the paths never depleted, converted to the goal's terms and rounded down.
    /// - **Model**: the categories above the client's, least risky first, each simulated with
    ///   its glide path on the same draws.
    /// - Parameters:
    ///   - goal: The goal.
    ///   - asOf: The analysis date.
    ///   - inflation: Inflation for amounts in today's money.
    /// - Returns: The answers, or `nil` when the goal already reaches its probability.
    /// - Throws: ``GoalError`` naming the goal for bad data.
    /// - Complexity: O(*paths* · *months* · *trials*), about 15 trials when no path is depleted.
    public func whatWouldItTake(_ goal: Goal, asOf: Date, inflation: Double) throws(GoalError) -> WhatWouldItTake? {
        let schedule = try goal.schedule(asOf: asOf, inflation: inflation)
        let need = Int((goal.effectiveRequiredProbability * Double(paths)).rounded(.up))
        // Every trial's months drawn at once: extending later would copy the draws each trial holds.
        let d = draws(months: schedule.months + Self.maximumMonthsLater + 1)
        let base = try Trial(planner: self, schedule: schedule, category: category, draws: d, withAnnuity: true)
        guard base.successes < need else { return nil }
        let fraction = { (n: Int) in Double(n) / Double(paths) }
        var answer = WhatWouldItTake(goalName: goal.name, requiredProbability: goal.effectiveRequiredProbability,
                                     probability: fraction(base.successes), sentence: "")

        // Saving. With no path depleted, the final balance is affine in the extra saving
        // (B(x) = B(0) + x·A, A the value of 1 paid each month), so each path's threshold is
        // exact and the root of the step function is the ⌈p·N⌉-th smallest threshold. With
        // depletion, bracket by doubling and bisect.
        let ceiling = Self.savingCeilingFactor * schedule.targetAmount
        var solved: Double? = nil
        if !base.depleted.contains(true) {
            let thresholds = (0..<paths).map { p in
                base.finals[p] >= schedule.targetAmount ? 0 : 12 * (schedule.targetAmount - base.finals[p]) / max(base.annuity[p], 1e-300)
            }.sorted()
            if thresholds[need - 1] <= ceiling { solved = thresholds[need - 1] }
        } else {
            var lo = 0.0, hi = 1_000.0
            while base.successes(extraYearly: hi) < need && hi < ceiling { lo = hi; hi *= 2 }
            if base.successes(extraYearly: hi) >= need {
                while hi - lo > max(10, 0.001 * hi) {
                    let mid = 0.5 * (lo + hi)
                    if base.successes(extraYearly: mid) >= need { hi = mid } else { lo = mid }
                }
                solved = hi
            }
        }
        if let solved {
            let rounded = max(100, (solved / 100).rounded(.up) * 100)
            answer.extraYearlySaving = rounded
            answer.probabilityWithSaving = fraction(base.successes(extraYearly: rounded))
        }

        // Date: bracket by doubling the months, bisect in whole months.
        func trial(monthsLater k: Int) throws(GoalError) -> (Int, Date) {
            let date = Self.adding(months: k, to: goal.targetDate)
            var moved = goal
            moved.targetDate = date
            if let c = moved.contributions, let end = c.endDate, end >= goal.targetDate { moved.contributions?.endDate = Self.adding(months: k, to: end) }
            if let w = moved.withdrawals, let end = w.endDate, end >= goal.targetDate { moved.withdrawals?.endDate = Self.adding(months: k, to: end) }
            let s = try moved.schedule(asOf: asOf, inflation: inflation)
            return (try Trial(planner: self, schedule: s, category: category, draws: d).successes, date)
        }
        var loM = 0, hiM = 12
        var found: (Int, Date)? = nil
        while hiM <= Self.maximumMonthsLater {
            let r = try trial(monthsLater: hiM)
            if r.0 >= need { found = r; break }
            loM = hiM
            hiM = hiM * 2 > Self.maximumMonthsLater && hiM < Self.maximumMonthsLater ? Self.maximumMonthsLater : hiM * 2
        }
        if var best = found {
            while hiM - loM > 1 {
                let mid = (loM + hiM) / 2
                let r = try trial(monthsLater: mid)
                if r.0 >= need { hiM = mid; best = r } else { loM = mid }
            }
            answer.laterDate = best.1
            answer.monthsLater = hiM
            answer.probabilityAtLaterDate = fraction(best.0)
        }

        // Target: the ⌈p·N⌉-th largest final balance of the paths never depleted.
        let alive = zip(base.finals, base.depleted).filter { !$0.1 }.map(\.0).sorted(by: >)
        if alive.count >= need, alive[need - 1] > 0 {
            let nominal = alive[need - 1]
            let toGoalTerms = NSDecimalNumber(decimal: goal.targetAmount).doubleValue / schedule.targetAmount
            let rounded = Self.roundDown3(nominal * toGoalTerms)
            let count = alive.filter { $0 >= rounded / toGoalTerms }.count
            answer.smallerTarget = rounded
            answer.probabilityWithSmallerTarget = fraction(count)
        }

        // Model: the next categories up the ladder.
        for c in RiskCategory.allCases where c > category && models.models[c] != nil {
            let t = try Trial(planner: self, schedule: schedule, category: c, draws: d)
            if t.successes >= need {
                answer.riskierCategory = c
                answer.probabilityWithRiskierModel = fraction(t.successes)
                break
            }
        }
        answer.sentence = GoalText.whatWouldItTake(answer, goal: goal)
        return answer
    }

    static func adding(months: Int, to date: Date) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return cal.date(byAdding: .month, value: months, to: date) ?? date
    }

    /// `x` rounded down to three significant figures.
    static func roundDown3(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        let unit = Foundation.pow(10, Foundation.floor(Foundation.log10(x)) - 2)
        return Foundation.floor(x / unit) * unit
    }
}
