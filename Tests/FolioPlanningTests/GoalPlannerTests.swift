import Foundation
import Testing
@testable import FolioPlanning
import FolioRebalancing

/// Evidence for goal planning along the glide path: what-would-it-take answers hold on fresh
/// draws, pooled goals equal single goals, the glide path is followed year by year, and the
/// fat-tailed and bootstrap laws have the moments they claim.
@Suite("Goal planner")
struct GoalPlannerTests {
    let asOf = GoalsTestSupport.date(2025, 12, 31)

    func planner(_ model: GoalReturnModel = .lognormal, paths: Int = 4_000, seed: UInt64 = 11,
                 category: RiskCategory = .moderate) throws -> GoalPlanner {
        try GoalPlanner(assumptions: .illustrative, models: .standard, category: category, returnModel: model, paths: paths, seed: seed)
    }

    /// A goal short of 80% under the moderate model: $560K (today's money) in 12 years from
    /// $300K and $1,500 a month.
    var shortGoal: Goal {
        Goal(name: "Retirement <b>&", targetAmount: 560_000, targetDate: GoalsTestSupport.date(2037, 12, 31), priority: .need,
             setAside: 300_000, contributions: PlannedCashFlow(amount: 1_500, frequency: .monthly), requiredProbability: 0.8)
    }

    /// The binomial bound used throughout: a probability re-estimated on `n` fresh paths lies
    /// within 4 standard errors of the difference of two independent estimates,
    /// `4·√(2·p(1−p)/n)`, of the required `p` (about 0.051 at p = 0.8, n = 2,000; a false
    /// alarm has probability below 1e-4).
    static func bound(_ p: Double, _ n: Int) -> Double { 4 * (2 * p * (1 - p) / Double(n)).squareRoot() }

    /// A conservative saver's 25-year goal: $100K growing to $300K (nominal), asked at 60%; the
    /// next model up the ladder reaches it.
    var longGoal: Goal {
        Goal(name: "=SUM(A1)", targetAmount: 300_000, amountBasis: .nominal, targetDate: GoalsTestSupport.date(2050, 12, 31),
             priority: .want, setAside: 100_000, requiredProbability: 0.6)
    }

    @Test("Every what-would-it-take answer, re-simulated on fresh seeds, reaches the required probability within sampling error",
          arguments: [(0, RiskCategory.moderate), (1, .conservative)])
    func answersHoldOnFreshDraws(which: Int, category: RiskCategory) throws {
        let goal = which == 0 ? shortGoal : longGoal
        let asked = goal.effectiveRequiredProbability
        let p = try planner(paths: 2_000, category: category)
        let w = try #require(try p.whatWouldItTake(goal, asOf: asOf, inflation: 0.025))
        #expect(w.probability < asked && w.probability > 0.2, "\(w.probability)")
        // The first goal must give a saving, a date and a target; the second a riskier model.
        if which == 0 {
            #expect(w.extraYearlySaving != nil && w.monthsLater != nil && w.smallerTarget != nil)
        } else {
            #expect(w.riskierCategory == .moderatelyConservative)
        }
        // On the solver's own draws each answer reaches the probability, one notch less does not.
        for reached in [w.probabilityWithSaving, w.probabilityAtLaterDate, w.probabilityWithSmallerTarget, w.probabilityWithRiskierModel] {
            if let reached { #expect(reached >= asked) }
        }
        let s0 = try goal.schedule(asOf: asOf, inflation: 0.025)
        let trial = try Trial(planner: p, schedule: s0, category: category, draws: p.draws(months: s0.months))
        if let saving = w.extraYearlySaving, saving > 300 {
            #expect(Double(trial.successes(extraYearly: saving - 300)) / Double(p.paths) < asked)
        }
        if let months = w.monthsLater, months > 1 {
            var earlier = goal
            earlier.targetDate = GoalPlanner.adding(months: months - 1, to: goal.targetDate)
            #expect(try p.simulate(earlier.schedule(asOf: asOf, inflation: 0.025)).result.probabilityOfSuccess < asked)
        }

        for seed: UInt64 in [101, 202] {
            let fresh = try planner(paths: 2_000, seed: seed, category: category)
            var results: [(String, Double)] = []
            if let saving = w.extraYearlySaving {
                var more = goal
                let monthly = (goal.contributions?.amount ?? 0) + Decimal(saving) / 12
                more.contributions = PlannedCashFlow(amount: monthly, frequency: .monthly)
                results.append(("saving", try fresh.simulate(more.schedule(asOf: asOf, inflation: 0.025)).result.probabilityOfSuccess))
            }
            if let later = w.laterDate {
                var moved = goal
                moved.targetDate = later
                results.append(("date", try fresh.simulate(moved.schedule(asOf: asOf, inflation: 0.025)).result.probabilityOfSuccess))
            }
            if let target = w.smallerTarget {
                var smaller = goal
                smaller.targetAmount = Decimal(target)
                results.append(("target", try fresh.simulate(smaller.schedule(asOf: asOf, inflation: 0.025)).result.probabilityOfSuccess))
            }
            if let riskier = w.riskierCategory {
                var bolder = fresh
                bolder.category = riskier
                results.append(("model", try bolder.simulate(goal.schedule(asOf: asOf, inflation: 0.025)).result.probabilityOfSuccess))
            }
            for (lever, r) in results {
                #expect(r >= asked - Self.bound(asked, p.paths), "\(lever) on seed \(seed): \(r)")
            }
        }
        #expect(w.sentence.contains("reaches the \(Int(asked * 100))% you asked for"))
        #expect(w.sentence.contains(goal.name))
    }

    @Test("The same planner gives the same answer twice (common random numbers)", arguments: [GoalReturnModel.lognormal, .studentT(degreesOfFreedom: 5)])
    func reproducible(model: GoalReturnModel) throws {
        let a = try planner(model, paths: 1_000).whatWouldItTake(shortGoal, asOf: asOf, inflation: 0.025)
        let b = try planner(model, paths: 1_000).whatWouldItTake(shortGoal, asOf: asOf, inflation: 0.025)
        #expect(a == b)
    }

    static let history = try! ReturnHistory(
        assetClasses: ["us-large-cap", "us-aggregate-bond", "cash", "intl-developed", "tips", "short-treasury", "us-small-cap",
                       "emerging-markets", "high-yield", "reits", "commodities", "gold"],
        returns: (0..<60).map { t in
            let e = 0.04 * sin(Double(t) * 1.7) + 0.008
            let b = 0.01 * cos(Double(t) * 0.9) + 0.003
            return [e, b, 0.002, e * 0.9, b, 0.002, e * 1.2, e * 1.4, b * 2, e, b * 3, -b]
        })

    @Test("Goals pooled alone equal the single-goal result exactly, on the same draws", arguments: [
        GoalReturnModel.lognormal, .studentT(degreesOfFreedom: 4.5), .bootstrap(GoalPlannerTests.history, blockMonths: 6),
    ])
    func pooledEqualsSingle(model: GoalReturnModel) throws {
        let p = try planner(model, paths: 1_500)
        let income = Goal(name: "Income", targetAmount: 200_000, targetDate: GoalsTestSupport.date(2040, 6, 30), priority: .need,
                          setAside: 700_000, withdrawals: PlannedCashFlow(amount: 3_500, frequency: .monthly, annualGrowth: 0.02))
        for goal in [shortGoal, income] {
            let s = try goal.schedule(asOf: asOf, inflation: 0.025)
            let alone = try p.simulate(s).result
            let pooled = try #require(try p.simulateTogether([s]).first)
            #expect(pooled == alone)
        }
        // Two goals, a wish due before a need.
        let wish = Goal(name: "Boat", targetAmount: 120_000, targetDate: GoalsTestSupport.date(2032, 6, 30), priority: .wish, setAside: 30_000)
        let schedules = try [wish, shortGoal].map { try $0.schedule(asOf: asOf, inflation: 0.025) }
        let together = try p.simulateTogether(schedules)
        #expect(together.count == 2 && together[0].goalName == "Boat")
        #expect(together.allSatisfy { (0...1).contains($0.probabilityOfSuccess) })
        // The wish falls due first but cannot spend the need's money: the need does at least
        // as well together as alone.
        let alone = try p.simulate(schedules[1]).result
        #expect(together[1].successes >= alone.successes, "\(together[1].successes) < \(alone.successes)")
    }

    @Test("The glide path is followed year by year: each year's mix recomputed from the recorded path, and the draws use it")
    func glidePathFollowed() throws {
        let p = try planner(paths: 64)
        let s = try shortGoal.schedule(asOf: asOf, inflation: 0.025)
        let (_, steps) = try p.simulate(s)
        #expect(steps.count == (s.months + 11) / 12)
        let path = try #require(ModelPortfolios.standard.glidePath)
        let groups = ModelPortfolios.standard.groups
        for step in steps {
            let left = Double(s.months - 12 * step.year) / 12
            #expect(step.yearsToGoal == left)
            let expected = path.apply(to: ModelPortfolios.standard.models[.moderate]!, groups: groups, yearsToGoal: left).weights
            #expect(step.weights == expected)
            let equity = expected.sorted { $0.key < $1.key }.reduce(0.0) { $0 + (groups[$1.key] == .equity ? $1.value : 0) }
            #expect(abs(step.equityShare - equity) < 1e-12 && equity <= path.equityShare(yearsToGoal: left) + 1e-9)
            let stats = try CapitalMarketAssumptions.illustrative.statistics(of: expected)
            #expect(step.expectedReturn == stats.expectedReturn && step.volatility == stats.volatility)
        }
        // Equity never rises as the date nears, and it falls somewhere on this 12-year path.
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $1.equityShare <= $0.equityShare + 1e-12 })
        #expect(steps.last!.equityShare < steps.first!.equityShare - 0.05)
        // Month t's gross return is exp(m + s·ε) with the parameters of year t / 12.
        let d = p.draws(months: s.months)
        let count = steps.count
        let gross = try p.grossReturns(d, months: s.months, steps: steps) { min($0 / 12, count - 1) }
        for t in stride(from: 0, to: s.months, by: 7) {
            let m = try LognormalReturnModel(expectedReturn: steps[t / 12].expectedReturn, volatility: steps[t / 12].volatility)
            for path in [0, 17, 63] {
                let e = d.shocks[t * p.paths + path]
                let want = Foundation.exp(m.monthlyLogMean + m.monthlyLogVolatility * e)
                #expect(abs(gross[t * p.paths + path] - want) <= 1e-14 * want)
            }
        }
        // Holding the model instead keeps the category's mix every year.
        var held = p
        held.followsGlidePath = false
        #expect(try held.allocationPath(months: s.months).allSatisfy { $0.weights == ModelPortfolios.standard.models[.moderate]! })
    }

    static func moments(_ x: [Double]) -> (mean: Double, variance: Double, kurtosis: Double) {
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        var m2 = 0.0, m4 = 0.0
        for v in x {
            let d = (v - mean) * (v - mean)
            m2 += d
            m4 += d * d
        }
        m2 /= n
        m4 /= n
        return (mean, m2, m4 / (m2 * m2))
    }

    @Test("Multivariate Student-t: sample covariance matches the target within sampling error; kurtosis exceeds the lognormal's")
    func studentTMoments() throws {
        let cma = CapitalMarketAssumptions.illustrative
        let ids = ["us-large-cap", "us-aggregate-bond", "emerging-markets"]
        let idx = ids.map { cma.index(of: $0)! }
        let cov = idx.map { i in idx.map { j in cma.covariance[i][j] / 12 } }
        let t = try MultivariateStudentT(mean: [0, 0, 0], covariance: cov, degreesOfFreedom: 8)
        var rng = Xoshiro256StarStar(seed: 5)
        let n = 200_000
        var draws = [[Double]](repeating: [], count: 3)
        for _ in 0..<n {
            let x = t.next(&rng)
            for k in 0..<3 { draws[k].append(x[k]) }
        }
        for i in 0..<3 {
            for j in 0...i {
                let products = zip(draws[i], draws[j]).map { $0 * $1 }
                let (mean, variance, _) = Self.moments(products)
                let se = (variance / Double(n)).squareRoot()
                #expect(abs(mean - cov[i][j]) < 5 * se, "covariance [\(i)][\(j)] \(mean) vs \(cov[i][j]) (5 SE = \(5 * se))")
            }
        }
        // ν = 8: kurtosis 3 + 6/(ν − 4) = 4.5; the lognormal's log returns are normal (3).
        let k = Self.moments(draws[0]).kurtosis
        #expect(k > 3.8 && k < 5.5, "kurtosis \(k)")
        // The simulation's portfolio shocks: unit variance, fat tails; the normal ones are not.
        var fat = ScenarioDraws(paths: 5_000, seed: 3, model: .studentT(degreesOfFreedom: 8))
        fat.extend(to: 40)
        var thin = ScenarioDraws(paths: 5_000, seed: 3, model: .lognormal)
        thin.extend(to: 40)
        let f = Self.moments(fat.shocks), g = Self.moments(thin.shocks)
        #expect(abs(f.variance - 1) < 0.02 && abs(g.variance - 1) < 0.01)
        #expect(f.kurtosis > 3.8 && abs(g.kurtosis - 3) < 0.1, "kurtosis \(f.kurtosis) vs \(g.kurtosis)")
        #expect(throws: GoalError.self) { try MultivariateStudentT(mean: [0], covariance: [[1]], degreesOfFreedom: 2) }
    }

    @Test("The block bootstrap reproduces the history's mean; extending the horizon keeps the months drawn")
    func bootstrapMean() throws {
        let h = Self.history
        let weights = ["us-large-cap": 0.6, "us-aggregate-bond": 0.4]
        let table = try h.portfolioReturns(weights)
        let historyMean = table.reduce(0, +) / Double(table.count)
        var d = ScenarioDraws(paths: 4_000, seed: 9, model: .bootstrap(h, blockMonths: 12))
        d.extend(to: 36)
        var pathMeans = [Double](repeating: 0, count: d.paths)
        for t in 0..<36 { for p in 0..<d.paths { pathMeans[p] += table[Int(d.indices[t * d.paths + p])] / 36 } }
        let (mean, variance, _) = Self.moments(pathMeans)
        let se = (variance / Double(d.paths)).squareRoot()
        #expect(abs(mean - historyMean) < 4 * se, "bootstrap mean \(mean) vs history \(historyMean), 4 SE \(4 * se)")
        // Blocks: consecutive months within a block are consecutive history months (circularly).
        #expect(d.indices[1 * d.paths + 5] == (d.indices[5] + 1) % 60)
        let before = d.indices
        d.extend(to: 50)
        #expect(Array(d.indices.prefix(before.count)) == before)
    }

    @Test("Outlook: short, on-track and over-funded goals, sentences in advisor words, and the earmark warning")
    func outlook() throws {
        let p = try planner(paths: 2_000)
        let rich = Goal(name: "Gift", targetAmount: 50_000, amountBasis: .nominal, targetDate: GoalsTestSupport.date(2030, 12, 31),
                        priority: .want, setAside: 90_000)
        let ok = Goal(name: "Car", targetAmount: 40_000, amountBasis: .nominal, targetDate: GoalsTestSupport.date(2028, 12, 31),
                      priority: .want, setAside: 36_000, contributions: PlannedCashFlow(amount: 200, frequency: .monthly))
        let o = try p.outlook(GoalSet(goals: [shortGoal, rich, ok]), asOf: asOf, assets: 300_000)
        #expect(o.goals.map(\.status) == [.short, .overFunded, .onTrack])
        #expect(o.goals[0].whatWouldItTake != nil && o.goals[1].whatWouldItTake == nil)
        #expect(o.goals[1].sentence.contains("surplus of about $") && o.goals[1].sentence.contains("at 90%"))
        #expect(o.earmarked == 426_000)
        #expect(o.warnings.count == 1 && o.warnings[0].contains("$426K") && o.warnings[0].contains("$300K"))
        #expect(try p.outlook(GoalSet(goals: [rich]), asOf: asOf, assets: 1_000_000).warnings.isEmpty)
        #expect(GoalText.money(1_234_567) == "$1.23M" && GoalText.money(6_200) == "$6,200" && GoalText.money(845_120) == "$845K")
        #expect(GoalText.money(1_100_000) == "$1.1M")
    }

    @Test("Bad goals: a past date, a negative target and a probability outside (0, 1] name the goal and its file:line")
    func badGoals() throws {
        var past = shortGoal
        past.targetDate = GoalsTestSupport.date(2020, 1, 1)
        past.source = "goals.yaml:7"
        #expect(throws: GoalError.at(source: "goals.yaml:7", .targetDateNotInFuture(goal: "Retirement <b>&"))) {
            try past.schedule(asOf: asOf, inflation: 0.025)
        }
        var negative = shortGoal
        negative.targetAmount = -5
        #expect(throws: GoalError.nonPositiveTarget(goal: "Retirement <b>&")) { try negative.schedule(asOf: asOf, inflation: 0.025) }
        for bad in [0.0, 1.5, -0.2, .nan] {
            var g = shortGoal
            g.requiredProbability = bad
            g.source = "g.yaml:3"
            do {
                _ = try g.schedule(asOf: asOf, inflation: 0.025)
                Issue.record("probability \(bad) accepted")
            } catch {
                #expect(error.description.hasPrefix("g.yaml:3: goal 'Retirement <b>&': required probability"))
            }
        }
        #expect(throws: GoalError.self) { try GoalPlanner(assumptions: .illustrative, models: .standard, category: .moderate, paths: 0) }
        #expect(throws: GoalError.self) {
            try GoalPlanner(assumptions: .illustrative, models: .standard, category: .moderate, returnModel: .studentT(degreesOfFreedom: 1.5))
        }
    }
}
