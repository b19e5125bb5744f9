import Foundation
import Testing
import FolioLinearAlgebra
@testable import FolioOptimization

/// One committed case from Scripts/golden/critical_line.py.
struct CriticalLineCase: Decodable, CustomTestStringConvertible {
    var testDescription: String { name }
    var name: String
    var lower: Double
    var upper: Double
    var riskFreeRate: Double
    var mean: [Double]
    var covariance: [Double]
    var pyportfoliooptCorners: [[Double]]
    var targets: [Double]
    var efficientReturnWeights: [[Double]]
    var maxSharpeWeights: [Double]

    var sigma: Matrix { Matrix(rows: mean.count, columns: mean.count, columnMajor: covariance) }
    var constraints: PortfolioConstraints { PortfolioConstraints(bounds: lower...upper) }

    static func load() throws -> [CriticalLineCase] {
        try GoldenFixture.decode([CriticalLineCase].self, from: "critical_line_golden.json")
    }
}

private func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
}

@Suite("Critical line algorithm")
struct CriticalLineTests {
    @Test(arguments: try CriticalLineCase.load())
    func cornersMatchPyPortfolioOpt(_ c: CriticalLineCase) throws {
        let line = try CriticalLine(covariance: c.sigma, expectedReturns: c.mean, constraints: c.constraints).solve()
        // Every corner of the independent implementation is one of ours.
        for theirs in c.pyportfoliooptCorners {
            let nearest = line.corners.map { maxDifference($0.weights, theirs) }.min() ?? .infinity
            #expect(nearest < 1e-8, "\(c.name): PyPortfolioOpt corner not found (nearest \(nearest))")
        }
        // PyPortfolioOpt 1.6.0 drops some turning points (its purge steps and its stopping
        // rule); every corner of ours it lacks must still be the efficient-return solution
        // at its return, which an interpolation of PyPortfolioOpt's list is not.
        for ours in line.corners {
            let nearest = c.pyportfoliooptCorners.map { maxDifference(ours.weights, $0) }.min() ?? .infinity
            if nearest < 1e-8 { continue }
            let qp = try EfficientReturn(covariance: c.sigma, expectedReturns: c.mean, targetReturn: ours.expectedReturn,
                                         constraints: c.constraints).solve()
            #expect(maxDifference(ours.weights, qp.weights) < 1e-8, "\(c.name): extra corner at λ = \(ours.riskTolerance)")
        }
    }

    @Test(arguments: try CriticalLineCase.load())
    func cornersSatisfyKKT(_ c: CriticalLineCase) throws {
        let line = try CriticalLine(covariance: c.sigma, expectedReturns: c.mean, constraints: c.constraints).solve()
        let sigma = c.sigma
        for corner in line.corners {
            let w = corner.weights, lambda = corner.riskTolerance
            #expect(abs(w.reduce(0, +) - 1) < 1e-12)
            #expect(w.allSatisfy { $0 >= c.lower - 1e-12 && $0 <= c.upper + 1e-12 })
            // Stationarity of ½wᵀΣw − λμᵀw + γ(1ᵀw − 1): g = Σw − λμ is −γ on free assets,
            // ≥ −γ at a lower bound, ≤ −γ at an upper bound.
            var g = sigma * w
            g.addScaled(c.mean, by: -lambda)
            let free = corner.freeAssets
            let gamma = -free.reduce(0) { $0 + g[$1] } / Double(free.count)
            for i in free { #expect(abs(g[i] + gamma) < 1e-10, "\(c.name): stationarity at λ = \(lambda), asset \(i)") }
            for i in 0..<w.count where !free.contains(i) {
                if abs(w[i] - c.lower) < 1e-12 { #expect(g[i] + gamma >= -1e-10) } else { #expect(g[i] + gamma <= 1e-10) }
            }
        }
        // Returns fall and so does volatility, down to the minimum-variance corner at λ = 0.
        for (a, b) in zip(line.corners, line.corners.dropFirst()) {
            #expect(b.expectedReturn <= a.expectedReturn + 1e-14)
            #expect(b.volatility <= a.volatility + 1e-14)
        }
        #expect(line.minimumVariance.riskTolerance == 0)
        let mv = try MinimumVariance(covariance: sigma, constraints: c.constraints).solve()
        #expect(maxDifference(mv.weights, line.minimumVariance.weights) < 1e-10)
    }

    @Test(arguments: try CriticalLineCase.load())
    func interpolatedPointsAreEfficientReturnSolutions(_ c: CriticalLineCase) throws {
        let line = try CriticalLine(covariance: c.sigma, expectedReturns: c.mean, constraints: c.constraints).solve()
        for (target, reference) in zip(c.targets, c.efficientReturnWeights) {
            let w = line.weights(expectedReturn: target)
            #expect(maxDifference(w, reference) < 1e-6, "\(c.name): against cvxpy at \(target)")
            let qp = try EfficientReturn(covariance: c.sigma, expectedReturns: c.mean, targetReturn: target, constraints: c.constraints).solve()
            #expect(maxDifference(w, qp.weights) < 1e-8, "\(c.name): against the QP at \(target)")
        }
        // Evenly spaced points through the public frontier API.
        let frontier = EfficientFrontier(covariance: c.sigma, expectedReturns: c.mean, constraints: c.constraints, riskFreeRate: c.riskFreeRate)
        let points = try frontier.points(count: 12)
        for p in points.dropFirst().dropLast() {
            let qp = try EfficientReturn(covariance: c.sigma, expectedReturns: c.mean, targetReturn: p.expectedReturn, constraints: c.constraints).solve()
            #expect(maxDifference(p.weights, qp.weights) < 1e-8)
            #expect(abs(p.volatility - qp.volatility) < 1e-10)
        }
        for (a, b) in zip(points, points.dropFirst()) {
            #expect(b.expectedReturn > a.expectedReturn)
            #expect(b.volatility >= a.volatility - 1e-12)
        }
    }

    @Test(arguments: try CriticalLineCase.load())
    func tangencyIsMaximumSharpe(_ c: CriticalLineCase) throws {
        let frontier = EfficientFrontier(covariance: c.sigma, expectedReturns: c.mean, constraints: c.constraints, riskFreeRate: c.riskFreeRate)
        let tangency = try frontier.tangency()
        #expect(maxDifference(tangency.weights, c.maxSharpeWeights) < 1e-6)
        let ms = try MaximumSharpe(covariance: c.sigma, expectedReturns: c.mean, riskFreeRate: c.riskFreeRate, constraints: c.constraints).solve()
        #expect(maxDifference(tangency.weights, ms.weights) < 1e-10)
        #expect(abs(tangency.sharpeRatio - (ms.sharpeRatio ?? 0)) < 1e-12)
    }

    @Test(arguments: try CriticalLineCase.load())
    func efficientRiskHitsItsTargetExactly(_ c: CriticalLineCase) throws {
        let line = try CriticalLine(covariance: c.sigma, expectedReturns: c.mean, constraints: c.constraints).solve()
        let low = line.minimumVariance.volatility, high = line.maximumReturn.volatility
        for fraction in [0.05, 0.3, 0.62, 0.9] {
            let target = low + (high - low) * fraction
            let r = try #require(line.expectedReturn(volatility: target))
            // The frontier portfolio at that return has exactly the target volatility.
            let w = line.weights(expectedReturn: r)
            #expect(abs(c.sigma.quadraticForm(w).squareRoot() - target) < 1e-12)
            let risk = try EfficientRisk(covariance: c.sigma, expectedReturns: c.mean, targetVolatility: target,
                                         constraints: c.constraints).solve()
            #expect(abs(risk.volatility - target) < 1e-10)
            #expect(maxDifference(risk.weights, w) < 1e-8)
            #expect(risk.solution.residuals.maximum < 1e-9)
        }
        #expect(line.expectedReturn(volatility: low * 0.9) == nil)
    }

    @Test func largerProblemAgreesWithTheQPSweep() throws {
        let p = sampleProblem(assets: 120, days: 700, seed: 31)
        let frontier = EfficientFrontier(covariance: p.covariance, expectedReturns: p.mean)
        let exact = try frontier.points(count: 15)
        let swept = try frontier.sweep(count: 15)
        for (a, b) in zip(exact, swept) {
            #expect(maxDifference(a.weights, b.weights) < 1e-8)
            #expect(abs(a.volatility - b.volatility) < 1e-10)
        }
    }

    @Test func rankDeficientCovariance() throws {
        // More assets than days: Σ is singular, but the path may still meet only positive
        // definite Σ_FF (at most T − 1 assets held). Then the corners are exact; otherwise
        // the critical line refuses and the frontier falls back to the QP sweep.
        let singular = sampleProblem(assets: 60, days: 30, seed: 12)  // rank ≤ 29
        let frontier = EfficientFrontier(covariance: singular.covariance, expectedReturns: singular.mean)
        let points = try frontier.points(count: 6)
        let swept = try frontier.sweep(count: 6)
        for (a, b) in zip(points, swept) {
            #expect(a.weights.allSatisfy(\.isFinite) && a.volatility.isFinite)
            #expect(abs(a.volatility - b.volatility) < 1e-9)
        }
        // Tied expected returns at the top make the λ = ∞ portfolio ambiguous: the critical
        // line refuses and the frontier falls back to the sweep.
        var tied = singular.mean
        let top = tied.indices.max { tied[$0] < tied[$1] }!
        tied[(top + 1) % tied.count] = tied[top]
        #expect(throws: OptimizationError.self) {
            _ = try CriticalLine(covariance: singular.covariance, expectedReturns: tied).solve()
        }
        let fallback = EfficientFrontier(covariance: singular.covariance, expectedReturns: tied)
        #expect(fallback.criticalLine() == nil)
        #expect(try fallback.points(count: 3).allSatisfy { $0.weights.allSatisfy(\.isFinite) })
    }

    @Test func rejectsOtherConstraintsAndInfiniteBounds() {
        let p = sampleProblem(assets: 10, days: 200, seed: 5)
        #expect(throws: OptimizationError.self) {
            _ = try CriticalLine(covariance: p.covariance, expectedReturns: p.mean, constraints: PortfolioConstraints(l2Regularization: 0.1))
        }
        #expect(throws: OptimizationError.self) {
            _ = try CriticalLine(covariance: p.covariance, expectedReturns: p.mean, constraints: PortfolioConstraints(bounds: -Double.infinity...1))
        }
    }
}
