import Foundation
import FolioRebalancing

/// One goal's outlook: its simulation along the glide path, how it stands against the
/// probability asked for, and what would reach it when it falls short.
public struct GoalOutlook: Sendable, Hashable, Codable {
    /// Where a goal stands.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Reaches the probability asked for.
        case onTrack = "on-track"
        /// Reaches it with room to spare: the 10th-percentile final balance exceeds the target
        /// by more than 20% of it.
        case overFunded = "over-funded"
        /// Below the probability asked for.
        case short
    }

    /// The goal's name.
    public var goalName: String
    /// Its priority.
    public var priority: Goal.Priority
    /// The probability asked for.
    public var requiredProbability: Double
    /// The simulation of the goal on its own.
    public var simulation: MonteCarloResult
    /// The allocation followed, year by year.
    public var allocation: [AllocationStep]
    /// The annual return that reaches the target exactly.
    public var requiredReturn: RequiredReturn
    /// Where it stands.
    public var status: Status
    /// The final balance above the target that 90% of paths reach (10th percentile minus the
    /// target, nominal), when positive.
    public var surplusAt90: Double?
    /// For a goal short of its probability, what would reach it.
    public var whatWouldItTake: WhatWouldItTake?
    /// Where it stands, in a sentence.
    public var sentence: String
}

/// The household's goals: each on its own, and together against one pool.
public struct HouseholdGoalOutlook: Sendable, Hashable, Codable {
    /// One outlook per goal, in file order.
    public var goals: [GoalOutlook]
    /// The goals simulated together against one pool, in file order.
    public var together: [MonteCarloResult]
    /// The money the goals earmark today (the sum of their set-asides, currency).
    public var earmarked: Double
    /// The household's assets, when known.
    public var assets: Double?
    /// Sentences an advisor must see: money earmarked beyond the assets, and the like.
    public var warnings: [String]
}

extension GoalPlanner {
    /// The household's outlook: every goal simulated along its glide path, its status and
    /// sentence, what would reach it when short, and the goals together in priority order.
    /// - Parameters:
    ///   - goals: The goals.
    ///   - asOf: The analysis date.
    ///   - assets: The household's investable assets (currency), when known; a warning is given
    ///     when the goals earmark more.
    /// - Returns: The outlook.
    /// - Throws: ``GoalError`` naming the first bad goal (and its `file:line` when read from a file).
    /// - Complexity: O(*goals* · *paths* · *months* · *trials*).
    public func outlook(_ goals: GoalSet, asOf: Date, assets: Double? = nil) throws(GoalError) -> HouseholdGoalOutlook {
        var outlooks: [GoalOutlook] = []
        var schedules: [GoalSchedule] = []
        for goal in goals.goals {
            let schedule = try goal.schedule(asOf: asOf, inflation: goals.inflation)
            schedules.append(schedule)
            let (sim, steps) = try simulate(schedule)
            let required = goal.effectiveRequiredProbability
            let p10 = try simulate10th(schedule, sim)
            let surplus = p10 - schedule.targetAmount
            let status: GoalOutlook.Status =
                sim.probabilityOfSuccess < required ? .short : surplus > 0.2 * schedule.targetAmount ? .overFunded : .onTrack
            let wwit = status == .short ? try whatWouldItTake(goal, asOf: asOf, inflation: goals.inflation) : nil
            var o = GoalOutlook(goalName: goal.name, priority: goal.priority, requiredProbability: required, simulation: sim,
                                allocation: steps, requiredReturn: schedule.requiredAnnualReturn(), status: status,
                                surplusAt90: surplus > 0 ? surplus : nil, whatWouldItTake: wwit, sentence: "")
            o.sentence = GoalText.status(o)
            outlooks.append(o)
        }
        let earmarked = schedules.reduce(0) { $0 + $1.initialBalance }
        var warnings: [String] = []
        if let assets, earmarked > assets * (1 + 1e-9) {
            warnings.append("The goals earmark \(GoalText.money(earmarked)) already set aside, but the household's assets are \(GoalText.money(assets)): \(GoalText.money(earmarked - assets)) is counted twice or does not exist. Lower the set-asides so they add up to at most the assets.")
        }
        return HouseholdGoalOutlook(goals: outlooks, together: try simulateTogether(schedules), earmarked: earmarked,
                                    assets: assets, warnings: warnings)
    }

    private func simulate10th(_ schedule: GoalSchedule, _ sim: MonteCarloResult) throws(GoalError) -> Double {
        if let v = sim.finalBalance(atPercentile: 0.1) { return v }
        var p = self
        p.percentileLevels = [0.1]
        return try p.simulate(schedule).result.percentiles[0].finalBalance
    }
}

/// Sentences and amounts for clients: money rounded the way people say it.
public enum GoalText: Sendable {
    /// Money rounded for reading: `$1.23M`, `$845K` for thousands from 100K, `$6,200` below.
    /// - Parameter x: An amount in currency.
    /// - Returns: The text, with a minus sign when negative.
    public static func money(_ x: Double) -> String {
        let sign = x < 0 ? "-" : ""
        let a = abs(x)
        if a >= 999_500 { return sign + "$" + (a / 1_000_000).formatted(.number.precision(.significantDigits(1...3)).grouping(.never)) + "M" }
        if a >= 100_000 { return sign + "$" + (a / 1_000).formatted(.number.precision(.fractionLength(0))) + "K" }
        return sign + "$" + a.formatted(.number.precision(.fractionLength(0)).grouping(.automatic))
    }

    /// A probability as a whole percent, `80%`; below 1% as `<1%`.
    public static func percent(_ p: Double) -> String {
        if p > 0 && p < 0.01 { return "<1%" }
        if p < 1 && p > 0.99 { return ">99%" }
        return "\(Int((p * 100).rounded()))%"
    }

    static func monthYear(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month], from: date)
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(names[(c.month ?? 1) - 1]) \(c.year ?? 0)"
    }

    /// "Saving $6,200 more a year, or reaching it in March 2043 instead of June 2040, or aiming
    /// for $1.1M instead of $1.4M, or the growth model instead of moderate reaches the 80% you
    /// asked for."
    static func whatWouldItTake(_ w: WhatWouldItTake, goal: Goal) -> String {
        var options: [String] = []
        if let s = w.extraYearlySaving { options.append("saving \(money(s)) more a year") }
        if let d = w.laterDate { options.append("reaching it in \(monthYear(d)) instead of \(monthYear(goal.targetDate))") }
        if let t = w.smallerTarget {
            let basis = goal.amountBasis == .today ? " in today's money" : ""
            options.append("aiming for \(money(t)) instead of \(money(NSDecimalNumber(decimal: goal.targetAmount).doubleValue))\(basis)")
        }
        if let c = w.riskierCategory { options.append("the \(c.displayName) model instead of the current one") }
        let head = "'\(goal.name)' has a chance of \(percent(w.probability)) against the \(percent(w.requiredProbability)) asked for. "
        guard !options.isEmpty else {
            return head + "No single change within reach (more saving, up to 30 years later, a smaller target, a riskier model) gets there; it needs a combination, or to be dropped."
        }
        var list = options[0]
        if options.count > 1 { list = options.dropLast().joined(separator: ", ") + ", or " + options.last! }
        return head + list.prefix(1).uppercased() + list.dropFirst() + " reaches the \(percent(w.requiredProbability)) you asked for."
    }

    /// Where a goal stands, in a sentence.
    static func status(_ o: GoalOutlook) -> String {
        let p = percent(o.simulation.probabilityOfSuccess), r = percent(o.requiredProbability)
        switch o.status {
        case .short: return o.whatWouldItTake?.sentence ?? "'\(o.goalName)' has a chance of \(p) against the \(r) asked for."
        case .onTrack: return "'\(o.goalName)' is on track: a chance of \(p) against the \(r) asked for."
        case .overFunded:
            return "'\(o.goalName)' is over-funded: a chance of \(p), with a surplus of about \(money(o.surplusAt90 ?? 0)) at 90%; some of its money or savings could go to another goal."
        }
    }
}
