import Foundation
import Testing
@testable import FolioPlanning
import FolioRebalancing

@Suite("Monte Carlo goal simulation")
struct MonteCarloTests {
    let asOf = GoalsTestSupport.date(2025, 12, 31)

    @Test("Ziggurat normals: mean, variance and tail probabilities over 2,000,000 seeded draws")
    func normalMoments() {
        var rng = Xoshiro256StarStar(seed: 7)
        let n = 2_000_000
        var sum = 0.0, sum2 = 0.0, above2 = 0, beyondR = 0
        for _ in 0..<n {
            let z = rng.nextStandardNormal()
            sum += z
            sum2 += z * z
            if z > 2 { above2 += 1 }
            if abs(z) > Ziggurat.r { beyondR += 1 }
        }
        let mean = sum / Double(n)
        let variance = sum2 / Double(n) - mean * mean
        #expect(abs(mean) < 0.003)  // 4 standard errors
        #expect(abs(variance - 1) < 0.004)
        #expect(abs(Double(above2) / Double(n) - 0.022750131948179) < 0.0005)
        #expect(abs(Double(beyondR) / Double(n) - 0.000258) < 0.00006)  // 2(1 - Φ(3.6542))
    }

    @Test("The vectorizable exponential agrees with Foundation's exp to 1e-15 relative over [-700, 700]")
    func fastExp() {
        var worst = 0.0
        for k in -69_999...69_999 {
            let x = Double(k) / 100 + 0.001234
            let e = Foundation.exp(x)
            worst = max(worst, abs(MonteCarloSimulation.fastExp(x) - e) / e)
        }
        for k in -10_000...10_000 {
            let x = Double(k) * 1e-5
            worst = max(worst, abs(MonteCarloSimulation.fastExp(x) - Foundation.exp(x)) / Foundation.exp(x))
        }
        #expect(worst < 1e-15, "worst relative error \(worst)")
        #expect(MonteCarloSimulation.fastExp(0) == 1)
    }

    @Test("No-contribution goal: Monte Carlo probability within 1 point of the closed-form lognormal at 100,000 paths",
          arguments: [(0.07, 0.15, 1.4), (0.05, 0.10, 1.0), (0.085, 0.156, 2.5), (0.035, 0.051, 1.25)])
    func closedForm(mu: Double, sigma: Double, multiple: Double) throws {
        let goal = Goal(name: "Lump sum", targetAmount: Decimal(100_000 * multiple), amountBasis: .nominal,
                        targetDate: GoalsTestSupport.date(2040, 12, 31), priority: .need, setAside: 100_000)
        let s = try goal.schedule(asOf: asOf, inflation: 0.025)
        let model = try LognormalReturnModel(expectedReturn: mu, volatility: sigma)
        let exact = model.probabilityOfReaching(s.targetAmount, from: s.initialBalance, months: s.months)
        let mc = try MonteCarloSimulation(paths: 100_000, seed: 42).run(s, model: model)
        #expect(abs(mc.probabilityOfSuccess - exact) < 0.01, "MC \(mc.probabilityOfSuccess) vs exact \(exact)")
        // The median of the final balance is S·exp(m·T).
        let median = s.initialBalance * exp(model.annualLogMean * s.years)
        #expect(abs(mc.finalBalance(atPercentile: 0.5)! / median - 1) < 0.01)
    }

    @Test("Seeded and reproducible; another seed differs")
    func reproducible() throws {
        let goal = Goal(name: "College", targetAmount: 260_000, amountBasis: .nominal, targetDate: GoalsTestSupport.date(2029, 8, 15),
                        priority: .need, setAside: 95_000, contributions: .init(amount: 12_000, frequency: .annual))
        let s = try goal.schedule(asOf: asOf, inflation: 0.025)
        let model = try LognormalReturnModel(expectedReturn: 0.07, volatility: 0.12)
        let a = try MonteCarloSimulation(seed: 1).run(s, model: model)
        let b = try MonteCarloSimulation(seed: 1).run(s, model: model)
        let c = try MonteCarloSimulation(seed: 2).run(s, model: model)
        #expect(a == b)
        #expect(a.percentiles != c.percentiles)
        #expect(a.paths == 10_000 && a.months == s.months)
        let p = a.percentiles.map(\.finalBalance)
        #expect(p[0] < p[1] && p[1] < p[2])
    }

    @Test("Zero volatility reproduces the deterministic projection")
    func zeroVolatility() throws {
        let goal = Goal(name: "Savings", targetAmount: 10_000, amountBasis: .nominal, targetDate: GoalsTestSupport.date(2030, 12, 31),
                        priority: .want, setAside: 5_000, contributions: .init(amount: 100, frequency: .monthly, annualGrowth: 0.02))
        let s = try goal.schedule(asOf: asOf, inflation: 0)
        let model = try LognormalReturnModel(expectedReturn: 0.04, volatility: 0)
        let r = try MonteCarloSimulation(paths: 10).run(s, model: model)
        let fv = s.futureValue(annualReturn: 0.04)
        #expect(abs(r.finalBalance(atPercentile: 0.1)! / fv - 1) < 1e-12)
        #expect(r.probabilityOfSuccess == (fv >= s.targetAmount ? 1 : 0))
    }

    @Test("Withdrawals that exhaust the balance deplete paths and fail them")
    func depletion() throws {
        let goal = Goal(name: "Income", targetAmount: 1, amountBasis: .nominal, targetDate: GoalsTestSupport.date(2045, 12, 31),
                        priority: .need, setAside: 100_000, withdrawals: .init(amount: 1_500, frequency: .monthly))
        let s = try goal.schedule(asOf: asOf, inflation: 0)
        let r = try MonteCarloSimulation(paths: 2_000).run(s, model: LognormalReturnModel(expectedReturn: 0.05, volatility: 0.1))
        #expect(r.depletedPaths > 1_900)
        #expect(r.probabilityOfSuccess == Double(r.successes) / 2_000)
        #expect(r.successes + r.depletedPaths <= 2_000)
    }

    @Test("A goal set is analyzed goal by goal: required return and probability")
    func goalSet() throws {
        let goals = GoalSet(inflation: 0.025, goals: [
            Goal(name: "Retirement", targetAmount: 3_200_000, amountBasis: .today, targetDate: GoalsTestSupport.date(2035, 6, 30),
                 priority: .need, setAside: 1_450_000, contributions: .init(amount: 4_500, frequency: .monthly, annualGrowth: 0.02)),
            Goal(name: "Lake cabin", targetAmount: 350_000, amountBasis: .today, targetDate: GoalsTestSupport.date(2033, 5, 1),
                 priority: .wish, setAside: 60_000, contributions: .init(amount: 2_000, frequency: .quarterly)),
        ])
        let stats = try CapitalMarketAssumptions.illustrative.statistics(of: ModelPortfolios.standard.models[.moderatelyAggressive]!)
        let results = try goals.analyze(asOf: asOf, model: LognormalReturnModel(stats))
        #expect(results.count == 2)
        for r in results {
            #expect(r.requiredReturn.status == .solved)
            // Higher required return than expected means probability below one half, and vice versa.
            let needsMore = r.requiredReturn.annualReturn! > stats.expectedReturn
            #expect(needsMore == (r.simulation.probabilityOfSuccess < 0.5))
        }
    }
}
