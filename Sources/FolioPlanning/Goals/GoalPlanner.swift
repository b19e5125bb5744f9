import Foundation
import FolioRebalancing

/// Goal planning an advisor can show a client: each goal simulated month by month along the
/// glide path, the household's goals together against one pool, and for a goal short of the
/// probability asked for, what would reach it.
///
/// Each year of a goal's horizon uses the category's model mix adjusted by the glide path at
/// the years left when that year starts (``allocationPath(months:category:)``), so equity falls
/// as the date nears. Returns come from ``returnModel``: lognormal, fat-tailed Student-t or a
/// block bootstrap of history. Every evaluation of one planner uses the same seeded draws
/// (common random numbers; Glasserman, *Monte Carlo Methods in Financial Engineering*, 2004,
/// §4.1): the probability of success is then a monotone step function of the extra saving and
/// of the target, the searches in ``whatWouldItTake(_:asOf:inflation:)`` are reproducible, and
/// two answers differ only because the inputs do.
public struct GoalPlanner: Sendable {
    /// Return, volatility and correlation per asset class.
    public var assumptions: CapitalMarketAssumptions
    /// Model mixes per category and the glide path.
    public var models: ModelPortfolios
    /// The client's risk category.
    public var category: RiskCategory
    /// The law of returns.
    public var returnModel: GoalReturnModel
    /// Simulated paths.
    public var paths: Int
    /// Seed of the draws.
    public var seed: UInt64
    /// Follow the models' glide path year by year (default `true`); `false` holds the model mix.
    public var followsGlidePath: Bool
    /// Percentiles of the final balance reported (default 10th, 50th, 90th).
    public var percentileLevels: [Double] = [0.1, 0.5, 0.9]

    /// Creates a planner.
    /// - Parameters:
    ///   - assumptions: Capital market assumptions.
    ///   - models: Model portfolios (and glide path).
    ///   - category: The client's category.
    ///   - returnModel: Law of returns (default lognormal).
    ///   - paths: Paths (default 10,000).
    ///   - seed: Seed (default 2026).
    ///   - followsGlidePath: Follow the glide path (default `true`).
    /// - Throws: ``GoalError`` for fewer than 1 path or a bad return model.
    public init(
        assumptions: CapitalMarketAssumptions, models: ModelPortfolios, category: RiskCategory,
        returnModel: GoalReturnModel = .lognormal, paths: Int = 10_000, seed: UInt64 = 2026, followsGlidePath: Bool = true
    ) throws(GoalError) {
        guard paths > 0 else { throw .invalidPathCount(paths) }
        try returnModel.validate()
        self.assumptions = assumptions
        self.models = models
        self.category = category
        self.returnModel = returnModel
        self.paths = paths
        self.seed = seed
        self.followsGlidePath = followsGlidePath
    }

    /// The allocation of each year of a horizon: the category's mix, with the glide path applied
    /// at `(months − 12·year) / 12` years to go (when the models have one and
    /// ``followsGlidePath`` is set).
    /// - Parameters:
    ///   - months: Horizon in months (≥ 1).
    ///   - category: The category (default the planner's).
    /// - Returns: `⌈months / 12⌉` steps.
    /// - Throws: ``GoalError/invalidReturnModel(detail:)`` when the models lack the category or
    ///   the assumptions lack a class.
    /// - Complexity: O(*years* · *classes*²).
    public func allocationPath(months: Int, category: RiskCategory? = nil) throws(GoalError) -> [AllocationStep] {
        let c = category ?? self.category
        guard let mix = models.models[c] else { throw .invalidReturnModel(detail: "the models have no mix for \(c.rawValue)") }
        let groups = models.groups
        var out: [AllocationStep] = []
        for year in 0..<max(1, (months + 11) / 12) {
            let left = Double(months - 12 * year) / 12
            var weights = mix
            if followsGlidePath, let path = models.glidePath {
                weights = path.apply(to: mix, groups: groups, yearsToGoal: left).weights
            }
            let stats: CapitalMarketAssumptions.PortfolioStatistics
            do { stats = try assumptions.statistics(of: weights) } catch {
                throw .invalidReturnModel(detail: error.description)
            }
            // Summed in key order: a dictionary's order changes from run to run.
            let equity = weights.sorted { $0.key < $1.key }.reduce(0.0) { $0 + (groups[$1.key] == .equity ? $1.value : 0) }
            out.append(AllocationStep(year: year, yearsToGoal: left, equityShare: equity, weights: weights,
                                      expectedReturn: stats.expectedReturn, volatility: stats.volatility))
        }
        return out
    }

    /// Draws covering `months`.
    func draws(months: Int) -> ScenarioDraws {
        var d = ScenarioDraws(paths: paths, seed: seed, model: returnModel)
        d.extend(to: months)
        return d
    }

    /// Simulates one goal on its own (its set-aside, its flows, the glide path to its date).
    /// - Parameter schedule: The goal on a monthly grid.
    /// - Returns: The outcome and the allocation followed.
    /// - Throws: ``GoalError`` for a bad model.
    /// - Complexity: O(*paths* · *months*).
    public func simulate(_ schedule: GoalSchedule) throws(GoalError) -> (result: MonteCarloResult, allocation: [AllocationStep]) {
        let trial = try Trial(planner: self, schedule: schedule, category: category, draws: draws(months: schedule.months))
        return (result(schedule, finals: trial.finals, depleted: trial.depleted), trial.steps)
    }

    /// Simulates the household's goals together against one pool: the pool starts with every
    /// goal's set-aside and receives every goal's flows; each month the pool grows, then the
    /// goals' flows are applied in priority order (need, want, wish; file order within a
    /// priority), a withdrawal that empties the pool depleting that goal; when a goal falls due,
    /// the money available to it is the pool less what the goals of higher priority still
    /// outstanding would hold on their own by then (their set-asides and flows on the same
    /// returns), so a wish due early never spends a need's money; it succeeds if it was never
    /// depleted and that money covers its target, and the target (or what is available) leaves
    /// the pool. The pool follows the glide path of the first goal in
    /// priority order not yet due. With one goal this is exactly ``simulate(_:)`` on the same
    /// draws: the same operations in the same order.
    /// - Parameter schedules: The goals on monthly grids, any order.
    /// - Returns: One outcome per goal, in the order given; a goal's final balance is the
    ///   pool's when it falls due.
    /// - Throws: ``GoalError`` for a bad model.
    /// - Complexity: O(*paths* · *months* · *goals*).
    public func simulateTogether(_ schedules: [GoalSchedule]) throws(GoalError) -> [MonteCarloResult] {
        guard !schedules.isEmpty else { return [] }
        let order = schedules.indices.sorted { (schedules[$0].priority, $0) < (schedules[$1].priority, $1) }
        let horizon = schedules.map(\.months).max()!
        let stepsPerGoal = try order.map { k throws(GoalError) in try allocationPath(months: schedules[k].months) }
        let flat = stepsPerGoal.flatMap { $0 }
        var offsets: [Int] = []
        var acc = 0
        for s in stepsPerGoal { offsets.append(acc); acc += s.count }
        func stepOf(_ t: Int) -> Int {
            let j = order.firstIndex { schedules[$0].months > t } ?? (order.count - 1)
            return offsets[j] + min(t / 12, stepsPerGoal[j].count - 1)
        }
        let d = draws(months: horizon)
        let gross = try grossReturns(d, months: horizon, steps: flat, stepOf: stepOf)
        var pool = [Double](repeating: schedules.reduce(0) { $0 + $1.initialBalance }, count: paths)
        var finals = [[Double]](repeating: [Double](repeating: 0, count: paths), count: schedules.count)
        var ruined = [[Bool]](repeating: [Bool](repeating: false, count: paths), count: schedules.count)
        // Each goal's own account on the same returns: what a goal of higher priority still
        // outstanding keeps out of reach of a lower one falling due before it.
        var claims = schedules.map { [Double](repeating: $0.initialBalance, count: paths) }
        for t in 0..<horizon {
            let base = t * paths
            for p in 0..<paths { pool[p] *= gross[base + p] }
            for k in order where t < schedules[k].months {
                let flow = schedules[k].monthlyFlows[t]
                for p in 0..<paths {
                    let v = pool[p] + flow
                    if v < 0 { ruined[k][p] = true }
                    pool[p] = v < 0 ? 0 : v
                    claims[k][p] = max(0, claims[k][p] * gross[base + p] + flow)
                }
            }
            for k in order where t + 1 == schedules[k].months {
                let target = schedules[k].targetAmount
                let senior = order.filter { schedules[$0].priority < schedules[k].priority && schedules[$0].months > t + 1 }
                for p in 0..<paths {
                    let reserved = senior.reduce(0.0) { $0 + claims[$1][p] }
                    let available = max(0, pool[p] - reserved)
                    finals[k][p] = available
                    pool[p] -= min(target, available)
                }
            }
        }
        return schedules.indices.map { result(schedules[$0], finals: finals[$0], depleted: ruined[$0]) }
    }
}

/// One evaluation: a goal's schedule under one category, its allocation path, and the
/// simulation on the planner's draws, the gross return of each month computed as it is used
/// (the same `exp(m + s·ε)` or history month ``GoalPlanner/grossReturns(_:months:steps:stepOf:)``
/// gives), so a trial reads the draws once and writes nothing per month.
struct Trial {
    let schedule: GoalSchedule
    let steps: [AllocationStep]
    let draws: ScenarioDraws
    /// Per step: lognormal monthly (m, s), or the bootstrap's gross returns per history month.
    private let parameters: [(Double, Double)]
    private let tables: [[Double]]
    var finals: [Double] = []
    var depleted: [Bool] = []
    /// Per path, the value at the horizon of 1 paid at every month end (when asked for).
    var annuity: [Double] = []

    init(planner: GoalPlanner, schedule: GoalSchedule, category: RiskCategory, draws: ScenarioDraws, withAnnuity: Bool = false) throws(GoalError) {
        precondition(draws.months >= schedule.months, "Draws do not cover the horizon")
        self.schedule = schedule
        self.draws = draws
        steps = try planner.allocationPath(months: schedule.months, category: category)
        var parameters: [(Double, Double)] = []
        var tables: [[Double]] = []
        switch planner.returnModel {
        case .lognormal, .studentT:
            for s in steps {
                let m = try LognormalReturnModel(expectedReturn: s.expectedReturn, volatility: s.volatility)
                parameters.append((m.monthlyLogMean, m.monthlyLogVolatility))
            }
        case .bootstrap(let history, _):
            for s in steps { tables.append(try history.portfolioReturns(s.weights).map { 1 + $0 }) }
        }
        self.parameters = parameters
        self.tables = tables
        (finals, depleted, annuity) = run(extraMonthly: 0, withAnnuity: withAnnuity)
    }

    /// Simulates with `extraMonthly` more at each month end: `B ← B·G + flow + extra`, a
    /// negative balance depleting the path and floored at zero.
    /// - Complexity: O(*paths* · *months*).
    func run(extraMonthly: Double, withAnnuity: Bool = false) -> (finals: [Double], depleted: [Bool], annuity: [Double]) {
        let paths = draws.paths
        var b = [Double](repeating: schedule.initialBalance, count: paths)
        var ruin = [Double](repeating: 0, count: paths)
        var a = [Double](repeating: 0, count: withAnnuity ? paths : 0)
        let last = steps.count - 1
        for t in 0..<schedule.months {
            let flow = schedule.monthlyFlows[t] + extraMonthly
            let base = t * paths
            let k = min(t / 12, last)
            b.withUnsafeMutableBufferPointer { bp in
                ruin.withUnsafeMutableBufferPointer { rp in
                    a.withUnsafeMutableBufferPointer { ap in
                        if tables.isEmpty {
                            let (mu, sigma) = parameters[k]
                            draws.shocks.withUnsafeBufferPointer { e in
                                for p in 0..<paths {
                                    let g = MonteCarloSimulation.fastExp(mu + sigma * e[base + p])
                                    let v = bp[p] * g + flow
                                    rp[p] = v < 0 ? 1 : rp[p]
                                    bp[p] = v < 0 ? 0 : v
                                }
                                if withAnnuity { for p in 0..<paths { ap[p] = ap[p] * MonteCarloSimulation.fastExp(mu + sigma * e[base + p]) + 1 } }
                            }
                        } else {
                            tables[k].withUnsafeBufferPointer { table in
                                draws.indices.withUnsafeBufferPointer { idx in
                                    for p in 0..<paths {
                                        let g = table[Int(idx[base + p])]
                                        let v = bp[p] * g + flow
                                        rp[p] = v < 0 ? 1 : rp[p]
                                        bp[p] = v < 0 ? 0 : v
                                        if withAnnuity { ap[p] = ap[p] * g + 1 }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (b, ruin.map { $0 != 0 }, a)
    }

    /// Paths never depleted that end at or above the target.
    static func successes(_ finals: [Double], _ depleted: [Bool], target: Double) -> Int {
        var n = 0
        for p in finals.indices where !depleted[p] && finals[p] >= target { n += 1 }
        return n
    }

    /// Successes with `extra` more a year, spread monthly, on the same draws.
    func successes(extraYearly extra: Double) -> Int {
        let r = run(extraMonthly: extra / 12)
        return Self.successes(r.finals, r.depleted, target: schedule.targetAmount)
    }

    /// Successes of the base run.
    var successes: Int { Self.successes(finals, depleted, target: schedule.targetAmount) }
}
