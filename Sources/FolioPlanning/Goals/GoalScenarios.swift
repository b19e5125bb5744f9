import Foundation
import FolioRebalancing

/// One year of a goal's allocation: the model mix after the glide path, at the years left
/// when that year starts, with its expected return and volatility.
public struct AllocationStep: Sendable, Hashable, Codable {
    /// The year, 0-based from the analysis date; it covers months `12·year + 1 … 12·year + 12`.
    public var year: Int
    /// Years left to the goal date when the year starts, `(months − 12·year) / 12`.
    public var yearsToGoal: Double
    /// The mix's equity share (fraction).
    public var equityShare: Double
    /// Weight per asset class (fractions summing to 1).
    public var weights: [String: Double]
    /// Annual arithmetic expected return of the mix (fraction).
    public var expectedReturn: Double
    /// Annual volatility of the mix (fraction).
    public var volatility: Double
}

/// The random draws of a simulation, kept so that every trial of a search uses the same ones
/// (common random numbers): month-major (`month · paths + path`), generated month after month
/// from one seeded xoshiro256** stream, so that extending the horizon appends months and never
/// changes the months already drawn.
///
/// Parametric models keep one unit-variance shock per path and month (standard normal, or
/// `√((ν−2)/W)·Z` for Student-t); the bootstrap keeps one history month per path and month.
struct ScenarioDraws {
    let paths: Int
    let model: GoalReturnModel
    private(set) var months = 0
    private(set) var shocks: [Double] = []
    private(set) var indices: [Int32] = []
    private var rng: Xoshiro256StarStar
    private var blockStarts: [Int] = []

    init(paths: Int, seed: UInt64, model: GoalReturnModel) {
        self.paths = paths
        self.model = model
        self.rng = Xoshiro256StarStar(seed: seed)
    }

    /// Draws months until there are at least `target`.
    /// - Complexity: O(*paths* · new months).
    mutating func extend(to target: Int) {
        guard target > months else { return }
        let add = target - months
        switch model {
        case .lognormal, .studentT:
            shocks.reserveCapacity(target * paths)
            var g = rng
            Ziggurat.x.withUnsafeBufferPointer { xb in
                Ziggurat.f.withUnsafeBufferPointer { fb in
                    let x = xb.baseAddress!, f = fb.baseAddress!
                    for _ in 0..<add {
                        for _ in 0..<paths {
                            let z = Ziggurat.normal(&g, x, f)
                            if case .studentT(let nu) = model {
                                shocks.append(z * StudentTShock.scale(&g, degreesOfFreedom: nu))
                            } else {
                                shocks.append(z)
                            }
                        }
                    }
                }
            }
            rng = g
        case .bootstrap(let history, let block):
            let h = UInt64(history.months)
            indices.reserveCapacity(target * paths)
            if blockStarts.isEmpty { blockStarts = [Int](repeating: 0, count: paths) }
            for m in months..<target {
                let offset = m % block
                for p in 0..<paths {
                    if offset == 0 { blockStarts[p] = Int(rng.next() % h) }
                    indices.append(Int32((blockStarts[p] + offset) % Int(h)))
                }
            }
        }
        months = target
    }
}

extension GoalPlanner {
    /// Gross monthly returns `G[month · paths + path]` for the first `months` months, month `t`
    /// under allocation `steps[stepOf(t)]`: `exp(m + s·ε)` with the step's lognormal monthly
    /// parameters for parametric models, `1 + Σ wⱼ rⱼ` of the drawn history month for the
    /// bootstrap.
    /// - Complexity: O(*paths* · *months*).
    func grossReturns(
        _ draws: ScenarioDraws, months: Int, steps: [AllocationStep], stepOf: (Int) -> Int
    ) throws(GoalError) -> [Double] {
        precondition(draws.months >= months, "Draws do not cover the horizon")
        let paths = draws.paths
        var out = [Double](repeating: 0, count: paths * months)
        switch returnModel {
        case .lognormal, .studentT:
            var params: [(Double, Double)] = []
            for s in steps {
                let m = try LognormalReturnModel(expectedReturn: s.expectedReturn, volatility: s.volatility)
                params.append((m.monthlyLogMean, m.monthlyLogVolatility))
            }
            draws.shocks.withUnsafeBufferPointer { e in
                out.withUnsafeMutableBufferPointer { o in
                    for t in 0..<months {
                        let (mu, sigma) = params[stepOf(t)]
                        let base = t * paths
                        for p in 0..<paths { o[base + p] = MonteCarloSimulation.fastExp(mu + sigma * e[base + p]) }
                    }
                }
            }
        case .bootstrap(let history, _):
            var tables: [[Double]] = []
            for s in steps { tables.append(try history.portfolioReturns(s.weights).map { 1 + $0 }) }
            for t in 0..<months {
                let table = tables[stepOf(t)]
                let base = t * paths
                for p in 0..<paths { out[base + p] = table[Int(draws.indices[base + p])] }
            }
        }
        return out
    }

    /// The simulation's summary from finals: successes are paths never depleted that end at or
    /// above the target.
    func result(_ schedule: GoalSchedule, finals: [Double], depleted: [Bool]) -> MonteCarloResult {
        var successes = 0, ruined = 0
        for p in finals.indices {
            if depleted[p] { ruined += 1 } else if finals[p] >= schedule.targetAmount { successes += 1 }
        }
        let sorted = finals.sorted()
        let p = Double(successes) / Double(paths)
        return MonteCarloResult(
            goalName: schedule.goalName, paths: paths, months: schedule.months, seed: seed,
            targetAmount: schedule.targetAmount, successes: successes, depletedPaths: ruined,
            probabilityOfSuccess: p, standardError: (p * (1 - p) / Double(paths)).squareRoot(),
            percentiles: percentileLevels.map { .init(level: $0, finalBalance: MonteCarloSimulation.quantile(sorted: sorted, $0)) },
            meanFinalBalance: finals.reduce(0, +) / Double(paths))
    }
}
