import Testing
import FolioLinearAlgebra
@testable import FolioOptimization

@Suite("Mean-variance problems: infeasibility, singular covariance, long-short")
struct MeanVarianceTests {
    let problem = sampleProblem(assets: 25, days: 500, seed: 11)

    @Test func boundsCannotMeetBudget() {
        let c = PortfolioConstraints(bounds: 0...0.03)  // 25 x 3% = 75% < 100%
        do {
            _ = try MinimumVariance(covariance: problem.covariance, constraints: c).solve()
            Issue.record("expected an error")
        } catch {
            guard case let .boundsCannotMeetBudget(budget, _, maximum) = error else { Issue.record("wrong error \(error)"); return }
            #expect(budget == 1 && abs(maximum - 0.75) < 1e-12)
        }
        let message = OptimizationError.boundsCannotMeetBudget(budget: 1, minimumTotal: 0, maximumTotal: 0.75).description
        #expect(message.contains("budget") && message.contains("0.25"))
    }

    @Test func targetReturnAboveMaximum() throws {
        let maximum = problem.mean.max()!
        do {
            _ = try EfficientReturn(covariance: problem.covariance, expectedReturns: problem.mean, targetReturn: maximum + 0.05).solve()
            Issue.record("expected an error")
        } catch {
            guard case let .targetReturnUnattainable(target, attainable) = error else { Issue.record("wrong error \(error)"); return }
            #expect(abs(attainable - maximum) < 1e-12 && target == maximum + 0.05)
            #expect(error.description.contains("target return"))
        }
    }

    @Test func targetVolatilityBelowMinimum() throws {
        let minimum = try MinimumVariance(covariance: problem.covariance).solve().volatility
        do {
            _ = try EfficientRisk(covariance: problem.covariance, expectedReturns: problem.mean, targetVolatility: minimum / 2).solve()
            Issue.record("expected an error")
        } catch {
            guard case let .targetVolatilityUnattainable(_, attainable) = error else { Issue.record("wrong error \(error)"); return }
            #expect(abs(attainable - minimum) < 1e-12)
            #expect(error.description.contains("volatility"))
        }
    }

    @Test func maxSharpeWhenNothingBeatsRiskFree() {
        let rf = problem.mean.max()! + 0.01
        #expect(throws: OptimizationError.self) {
            try MaximumSharpe(covariance: problem.covariance, expectedReturns: problem.mean, riskFreeRate: rf).solve()
        }
        do {
            _ = try MaximumSharpe(covariance: problem.covariance, expectedReturns: problem.mean, riskFreeRate: rf).solve()
        } catch {
            guard case .noAssetBeatsRiskFreeRate = error else { Issue.record("wrong error \(error)"); return }
            #expect(error.description.contains("risk-free"))
        }
    }

    @Test func infeasibleGroupLimitsAreNamed() {
        let n = 25
        let c = PortfolioConstraints(
            groups: [GroupConstraint(name: "Tech", assets: Array(0..<10), bounds: 0.7...1),
                     GroupConstraint(name: "Energy", assets: Array(10..<25), bounds: 0.6...1)],
            linear: [LinearConstraint(name: "first ten cap", coefficients: (0..<n).map { $0 < 10 ? 1 : 0 }, relation: .lessThanOrEqual, bound: 0.9)])
        do {
            _ = try MinimumVariance(covariance: problem.covariance, constraints: c).solve()
            Issue.record("expected an error")
        } catch {
            guard case let .infeasibleConstraints(names, violation) = error else { Issue.record("wrong error \(error)"); return }
            #expect(violation > 0.1)
            #expect(names.contains { $0.contains("Tech") || $0.contains("Energy") || $0.contains("budget") })
        }
    }

    @Test func singularCovarianceWithMoreAssetsThanDays() throws {
        let singular = sampleProblem(assets: 60, days: 30, seed: 12)  // rank ≤ 29
        let mv = try MinimumVariance(covariance: singular.covariance, expectedReturns: singular.mean).solve()
        #expect(mv.weights.allSatisfy { $0.isFinite })
        #expect(abs(mv.weights.reduce(0, +) - 1) < 1e-10)
        #expect(mv.solution.residuals.maximum < 1e-9)
        let ms = try MaximumSharpe(covariance: singular.covariance, expectedReturns: singular.mean).solve()
        #expect(ms.weights.allSatisfy { $0.isFinite } && ms.volatility.isFinite)
        let frontier = try EfficientFrontier(covariance: singular.covariance, expectedReturns: singular.mean).points(count: 5)
        #expect(frontier.allSatisfy { $0.volatility.isFinite && $0.weights.allSatisfy(\.isFinite) })
    }

    @Test func longShortHasShortsAndMeetsLeverage() throws {
        let c = PortfolioConstraints(bounds: -0.5...0.5, grossLeverage: 2)
        let r = try MaximumUtility(covariance: problem.covariance, expectedReturns: problem.mean, riskAversion: 1, constraints: c).solve()
        #expect(r.weights.contains { $0 < -1e-6 })
        #expect(r.weights.map(abs).reduce(0, +) <= 2 + 1e-9)
        #expect(abs(r.weights.reduce(0, +) - 1) < 1e-10)
        #expect(r.solution.residuals.maximum < 1e-9)
    }
}
