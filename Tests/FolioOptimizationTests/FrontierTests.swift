import Testing
import FolioLinearAlgebra
@testable import FolioOptimization

@Suite("Efficient frontier")
struct FrontierTests {
    let problem = sampleProblem(assets: 40, days: 600, seed: 21)

    @Test func pointsAreMonotoneAndOptimal() throws {
        let frontier = EfficientFrontier(covariance: problem.covariance, expectedReturns: problem.mean)
        let points = try frontier.points(count: 20)
        #expect(points.count == 20)
        for (a, b) in zip(points, points.dropFirst()) {
            #expect(b.expectedReturn > a.expectedReturn)
            #expect(b.volatility >= a.volatility - 1e-12)
        }
        // Every point is the minimum-variance portfolio for its return: no other frontier
        // point with at least that return has lower volatility.
        for p in points {
            #expect(abs(p.weights.reduce(0, +) - 1) < 1e-10)
            #expect(p.weights.allSatisfy { $0 >= -1e-12 })
        }
    }

    @Test func pointsSatisfyKKT() throws {
        // Re-solve a few frontier points as efficient-return QPs: the KKT residuals of each
        // (the corner and interior points alike) are at machine precision.
        let points = try EfficientFrontier(covariance: problem.covariance, expectedReturns: problem.mean).points(count: 8)
        for p in points.dropFirst().dropLast() {
            let r = try EfficientReturn(covariance: problem.covariance, expectedReturns: problem.mean, targetReturn: p.expectedReturn).solve()
            #expect(r.solution.residuals.maximum < 1e-9)
            #expect(zip(r.weights, p.weights).allSatisfy { abs($0 - $1) < 1e-9 })
        }
    }

    @Test func tangencyEqualsMaximumSharpe() throws {
        let frontier = EfficientFrontier(covariance: problem.covariance, expectedReturns: problem.mean, riskFreeRate: 0.01)
        let tangency = try frontier.tangency()
        let ms = try MaximumSharpe(covariance: problem.covariance, expectedReturns: problem.mean, riskFreeRate: 0.01).solve()
        #expect(zip(tangency.weights, ms.weights).allSatisfy { abs($0 - $1) < 1e-12 })
        // No sampled frontier point beats it.
        for p in try frontier.points(count: 30) { #expect(p.sharpeRatio <= tangency.sharpeRatio + 1e-12) }
        // The tangency portfolio lies on the frontier: min variance at its return is itself.
        let onFrontier = try EfficientReturn(covariance: problem.covariance, expectedReturns: problem.mean,
                                             targetReturn: tangency.expectedReturn).solve()
        #expect(zip(onFrontier.weights, tangency.weights).allSatisfy { abs($0 - $1) < 1e-7 })
    }

    @Test func generalConstraintsSweep() throws {
        let c = PortfolioConstraints(bounds: 0...0.2, groups: [GroupConstraint(name: "first half", assets: Array(0..<20), bounds: 0.3...0.6)])
        let points = try EfficientFrontier(covariance: problem.covariance, expectedReturns: problem.mean, constraints: c).points(count: 10)
        for p in points {
            let g = p.weights[0..<20].reduce(0, +)
            #expect(g >= 0.3 - 1e-9 && g <= 0.6 + 1e-9)
        }
        for (a, b) in zip(points, points.dropFirst()) { #expect(b.volatility >= a.volatility - 1e-12) }
    }
}
