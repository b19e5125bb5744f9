import Foundation
import FolioRebalancing

/// Lognormal annual returns with a given arithmetic mean and volatility, stepped monthly.
///
/// The gross annual return `G` is lognormal with `E[G] = 1 + μ` and `sd(G) = σ`: its log has
/// variance `s² = ln(1 + σ² / (1 + μ)²)` and mean `m = ln(1 + μ) − s²/2`. A month's log return is
/// normal with mean `m/12` and variance `s²/12`, so twelve months compound to exactly the annual
/// law (the usual geometric Brownian motion discretization; Hull, *Options, Futures, and Other
/// Derivatives*, ch. 15).
public struct LognormalReturnModel: Sendable, Hashable, Codable {
    /// Annual arithmetic expected return μ (fraction), > −1.
    public var expectedReturn: Double
    /// Annual volatility σ (fraction), ≥ 0.
    public var volatility: Double

    /// Creates a model.
    /// - Parameters:
    ///   - expectedReturn: Annual arithmetic expected return (fraction).
    ///   - volatility: Annual volatility (fraction).
    /// - Throws: ``GoalError/invalidReturnModel(detail:)`` for non-finite values, σ < 0 or μ ≤ −1.
    public init(expectedReturn: Double, volatility: Double) throws(GoalError) {
        guard expectedReturn.isFinite, expectedReturn > -1 else {
            throw .invalidReturnModel(detail: "expected return \(expectedReturn) must be finite and above -100%")
        }
        guard volatility.isFinite, volatility >= 0 else {
            throw .invalidReturnModel(detail: "volatility \(volatility) must be finite and not negative")
        }
        self.expectedReturn = expectedReturn
        self.volatility = volatility
    }

    /// A model from a mix's statistics.
    /// - Parameter statistics: Expected return and volatility of a mix.
    /// - Throws: ``GoalError/invalidReturnModel(detail:)``.
    public init(_ statistics: CapitalMarketAssumptions.PortfolioStatistics) throws(GoalError) {
        try self.init(expectedReturn: statistics.expectedReturn, volatility: statistics.volatility)
    }

    /// Variance of the annual log return, `s² = ln(1 + σ²/(1+μ)²)`.
    public var annualLogVariance: Double { log1p(volatility * volatility / ((1 + expectedReturn) * (1 + expectedReturn))) }
    /// Mean of the annual log return, `m = ln(1 + μ) − s²/2`.
    public var annualLogMean: Double { log1p(expectedReturn) - 0.5 * annualLogVariance }
    /// Mean of a month's log return, `m / 12`.
    public var monthlyLogMean: Double { annualLogMean / 12 }
    /// Standard deviation of a month's log return, `s / √12`.
    public var monthlyLogVolatility: Double { (annualLogVariance / 12).squareRoot() }

    /// The closed-form probability that `initial`, with no flows, grows to at least `target`
    /// over `months`: `Φ((ln(initial/target) + m·T) / (s·√T))` with `T = months/12`.
    /// - Parameters:
    ///   - target: Amount needed (> 0).
    ///   - initial: Starting balance (≥ 0).
    ///   - months: Horizon in months (> 0).
    /// - Returns: A probability in [0, 1].
    /// - Complexity: O(1).
    public func probabilityOfReaching(_ target: Double, from initial: Double, months: Int) -> Double {
        precondition(months > 0 && target > 0, "Horizon and target must be positive")
        if initial <= 0 { return 0 }
        let t = Double(months) / 12
        let drift = log(initial / target) + annualLogMean * t
        let sd = (annualLogVariance * t).squareRoot()
        if sd == 0 { return drift >= 0 ? 1 : 0 }
        return 0.5 * erfc(-drift / (sd * 2.0.squareRoot()))
    }
}

/// A seeded Monte Carlo simulation of a goal: many monthly paths of lognormal returns with the
/// goal's contributions and withdrawals, giving the probability of success and percentiles of
/// the final balance.
///
/// Each path starts from the set-aside, and each month `B ← B·exp(m/12 + s/√12·Z) + flow`, with
/// `Z` standard normal (ziggurat on xoshiro256**). When a withdrawal would take the balance below
/// zero the path is *depleted*: the balance is floored at zero and the path counts as a failure.
/// A path succeeds when it is never depleted and ends at or above the nominal target.
/// Paths are drawn one after another from one generator seeded with ``seed``: the same inputs
/// give identical results. The standard error of the probability is `√(p(1−p)/paths)`.
public struct MonteCarloSimulation: Sendable, Hashable, Codable {
    /// Number of paths (default 10,000).
    public var paths: Int
    /// Seed of the generator.
    public var seed: UInt64
    /// Percentile levels reported, fractions (default 0.1, 0.5, 0.9).
    public var percentileLevels: [Double]

    /// Creates a simulation.
    /// - Parameters:
    ///   - paths: Number of paths (default 10,000).
    ///   - seed: Seed (default 20_260_101).
    ///   - percentileLevels: Percentiles reported (default 10th, 50th, 90th).
    public init(paths: Int = 10_000, seed: UInt64 = 20_260_101, percentileLevels: [Double] = [0.1, 0.5, 0.9]) {
        self.paths = paths
        self.seed = seed
        self.percentileLevels = percentileLevels
    }

    /// Simulates a goal.
    /// - Parameters:
    ///   - schedule: The goal on a monthly grid.
    ///   - model: The return model of the allocation.
    /// - Returns: Probability of success, percentiles of the final balance, depleted paths.
    /// - Throws: ``GoalError/invalidPathCount(_:)`` when `paths < 1`.
    /// - Complexity: O(*paths* · *months*) plus O(*paths* log *paths*) for the percentiles;
    ///   10,000 paths of 360 months take a few tens of milliseconds on one core (release).
    public func run(_ schedule: GoalSchedule, model: LognormalReturnModel) throws(GoalError) -> MonteCarloResult {
        guard paths > 0 else { throw .invalidPathCount(paths) }
        var finals = [Double](repeating: 0, count: paths)
        let (successes, depleted) = Self.simulate(
            schedule: schedule, model: model, paths: paths, seed: seed, finals: &finals)
        finals.sort()
        let levels = percentileLevels.map { min(1, max(0, $0)) }
        let pct = levels.map { MonteCarloResult.Percentile(level: $0, finalBalance: Self.quantile(sorted: finals, $0)) }
        let p = Double(successes) / Double(paths)
        return MonteCarloResult(
            goalName: schedule.goalName, paths: paths, months: schedule.months, seed: seed,
            targetAmount: schedule.targetAmount, successes: successes, depletedPaths: depleted,
            probabilityOfSuccess: p, standardError: (p * (1 - p) / Double(paths)).squareRoot(),
            percentiles: pct, meanFinalBalance: finals.reduce(0, +) / Double(paths))
    }

    /// Paths simulated together: a block's balances and draws stay in the L1/L2 cache.
    static let blockSize = 2_048

    /// The inner loop: fills `finals`, returns successes and depleted paths.
    ///
    /// Paths are processed in blocks of ``blockSize``; for each month the block's normal draws
    /// are made first (ziggurat, in path order), then all balances of the block are updated in
    /// one branch-free loop the compiler vectorizes, with ``fastExp(_:)``.
    static func simulate(
        schedule: GoalSchedule, model: LognormalReturnModel, paths: Int, seed: UInt64, finals: inout [Double]
    ) -> (Int, Int) {
        var rng = Xoshiro256StarStar(seed: seed)
        let mu = model.monthlyLogMean
        let sigma = model.monthlyLogVolatility
        let target = schedule.targetAmount
        let start = schedule.initialBalance
        var successes = 0
        var depleted = 0
        var z = [Double](repeating: 0, count: blockSize)
        var ruin = [Double](repeating: 0, count: blockSize)
        Ziggurat.x.withUnsafeBufferPointer { xb in
            Ziggurat.f.withUnsafeBufferPointer { fb in
                schedule.monthlyFlows.withUnsafeBufferPointer { flows in
                    finals.withUnsafeMutableBufferPointer { out in
                        z.withUnsafeMutableBufferPointer { zb in
                            ruin.withUnsafeMutableBufferPointer { rb in
                                let x = xb.baseAddress!, f = fb.baseAddress!
                                let zp = zb.baseAddress!, rp = rb.baseAddress!
                                var g = rng  // a local copy keeps the state in registers
                                defer { rng = g }
                                var first = 0
                                while first < paths {
                                    let n = min(blockSize, paths - first)
                                    let b = out.baseAddress! + first
                                    for p in 0..<n {
                                        b[p] = start
                                        rp[p] = 0
                                    }
                                    for m in 0..<flows.count {
                                        for p in 0..<n { zp[p] = Ziggurat.normal(&g, x, f) }
                                        let flow = flows[m]
                                        for p in 0..<n {
                                            let v = b[p] * fastExp(mu + sigma * zp[p]) + flow
                                            rp[p] = v < 0 ? 1 : rp[p]
                                            b[p] = v < 0 ? 0 : v
                                        }
                                    }
                                    for p in 0..<n {
                                        if rp[p] != 0 { depleted += 1 } else if b[p] >= target { successes += 1 }
                                    }
                                    first += n
                                }
                            }
                        }
                    }
                }
            }
        }
        return (successes, depleted)
    }

    /// `eˣ` to about 2 ulp for `|x| ≤ 700`, branch-free so that loops over it vectorize:
    /// `x = k·ln 2 + r` with `k` the nearest integer (round-to-even by the 1.5·2⁵² trick), `ln 2`
    /// split in two parts (Cody & Waite, *Software Manual for the Elementary Functions*, 1980),
    /// `eʳ` by its Taylor polynomial of degree 13 on `|r| ≤ ln 2 / 2` (truncation below 2e-16
    /// relative), and `2ᵏ` built from its exponent bits. Inputs outside ±700 are clamped.
    @inline(__always)
    static func fastExp(_ x0: Double) -> Double {
        let x = min(700, max(-700, x0))
        let magic = 6_755_399_441_055_744.0  // 1.5 * 2^52
        let t = x * 1.4426950408889634 + magic
        let k = t - magic
        let r = (x - k * 0.6931471803691238) - k * 1.9082149292705877e-10
        var p = 1.6059043836821613e-10  // 1/13!
        p = p * r + 2.08767569878681e-09
        p = p * r + 2.505210838544172e-08
        p = p * r + 2.755731922398589e-07
        p = p * r + 2.7557319223985893e-06
        p = p * r + 2.48015873015873e-05
        p = p * r + 0.0001984126984126984
        p = p * r + 0.001388888888888889
        p = p * r + 0.008333333333333333
        p = p * r + 0.041666666666666664
        p = p * r + 0.16666666666666666
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let ki = Int64(bitPattern: t.bitPattern &- magic.bitPattern)
        let scale = Double(bitPattern: UInt64(bitPattern: (ki &+ 1023) << 52))
        return p * scale
    }

    /// Linear-interpolation quantile (Hyndman & Fan type 7) of sorted values.
    static func quantile(sorted v: [Double], _ q: Double) -> Double {
        if v.count == 1 { return v[0] }
        let h = Double(v.count - 1) * q
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, v.count - 1)
        return v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
    }
}

/// The outcome of a Monte Carlo simulation of one goal.
public struct MonteCarloResult: Sendable, Hashable, Codable {
    /// A percentile of the final balance.
    public struct Percentile: Sendable, Hashable, Codable {
        /// The level, a fraction (0.1 = 10th percentile).
        public var level: Double
        /// The final balance at that level, nominal currency.
        public var finalBalance: Double
    }

    /// The goal's name.
    public var goalName: String
    /// Paths simulated.
    public var paths: Int
    /// Months per path.
    public var months: Int
    /// Seed used.
    public var seed: UInt64
    /// Nominal amount needed.
    public var targetAmount: Double
    /// Paths that reached the target without depletion.
    public var successes: Int
    /// Paths on which a withdrawal exhausted the balance.
    public var depletedPaths: Int
    /// `successes / paths`.
    public var probabilityOfSuccess: Double
    /// Binomial standard error of the probability.
    public var standardError: Double
    /// Percentiles of the final balance, in the levels asked.
    public var percentiles: [Percentile]
    /// Mean final balance.
    public var meanFinalBalance: Double

    /// The final balance at a percentile level asked for, or `nil`.
    /// - Parameter level: The level (e.g. 0.5).
    public func finalBalance(atPercentile level: Double) -> Double? {
        percentiles.first { abs($0.level - level) < 1e-12 }?.finalBalance
    }
}
