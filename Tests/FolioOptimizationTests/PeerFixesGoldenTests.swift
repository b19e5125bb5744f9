import Foundation
import Testing
import FolioLinearAlgebra
@testable import FolioOptimization

/// The fixes issue 17 took from the peers' own test suites, each a golden case from
/// Scripts/golden/peer_fixes.py (cvxpy + Clarabel reference, PyPortfolioOpt's weights).
@Suite("Peer-found fixes: efficient risk with L2, exact bounds")
struct PeerFixesGoldenTests {
    static let cases: [GoldenCase] = {
        try! GoldenFixture.decode(GoldenFile.self, from: "peer_fixes_golden.json").cases
    }()
    static var names: [String] { cases.map(\.name) }
    static func named(_ name: String) -> GoldenCase { cases.first { $0.name == name }! }

    @Test("agrees with cvxpy and PyPortfolioOpt; weights within their bounds exactly", arguments: names)
    func agreesAndRespectsBounds(name: String) throws {
        let golden = Self.named(name)
        let result = try golden.solve()
        #expect(result.solution.status == .optimal)
        let objectiveError = abs(result.objective - golden.objectiveValue) / Swift.max(abs(golden.objectiveValue), 1e-300)
        #expect(objectiveError <= 1e-8, "\(name): objective \(result.objective) vs \(golden.objectiveValue)")
        let weightError = zip(result.weights, golden.weights).map { abs($0 - $1) }.max() ?? 0
        #expect(weightError <= 1e-6, "\(name): weights differ from the reference by \(weightError)")
        if let socp = golden.socpWeights {
            let e = result.weights.largestDifference(from: socp)
            #expect(e <= 2e-5, "\(name): weights differ from cvxpy's cone program by \(e)")
        }
        if let pypfopt = golden.pypfoptWeights {
            let e = zip(result.weights, pypfopt).map { abs($0 - $1) }.max() ?? 0
            #expect(e <= 1e-4, "\(name): PyPortfolioOpt weights differ by \(e)")
        }
        let constraints = golden.portfolioConstraints
        for (i, w) in result.weights.enumerated() {
            let bounds = constraints.bounds(ofAsset: i)
            #expect(bounds.contains(w), "\(name): weight \(i) = \(w) outside \(bounds) by \(Swift.max(bounds.lowerBound - w, w - bounds.upperBound))")
        }
        #expect(abs(result.weights.reduce(0, +) - 1) <= 1e-12, "\(name): budget")
        if case .efficientRisk(let target) = golden.problem.objective {
            #expect(result.volatility <= target * (1 + 1e-12), "\(name): volatility \(result.volatility) above the target \(target)")
        }
    }

    /// Efficient risk with L2: the volatility constraint binds (the target is below the
    /// unconstrained optimum), and the answer beats the regularized-frontier point at the same
    /// volatility on return − γ‖w‖², which is what the old search returned.
    @Test func efficientRiskWithL2BindsAndBeatsTheFrontierPoint() throws {
        for name in ["efficient_risk_l2_20", "efficient_risk_l2_100"] {
            let golden = Self.named(name)
            let result = try golden.solve()
            let target = try #require(golden.target)
            #expect(abs(result.volatility - target) <= 1e-9 * target, "\(name): volatility \(result.volatility) vs target \(target)")
            let gamma = golden.portfolioConstraints.l2Regularization
            let value = { (w: [Double]) in golden.expectedReturns.dot(w) - gamma * w.dot(w) }
            #expect(abs(result.objective - value(result.weights)) <= 1e-14, "\(name): objective is return − γ‖w‖²")
            // The plain efficient-risk portfolio is feasible for the L2 problem, so it cannot do better.
            var unpenalized = golden.portfolioConstraints
            unpenalized.l2Regularization = 0
            let plain = try EfficientRisk(covariance: golden.covariance, expectedReturns: golden.expectedReturns,
                                          targetVolatility: target, constraints: unpenalized).solve()
            #expect(value(result.weights) >= value(plain.weights) - 1e-12, "\(name): the L2 answer must beat the plain one on its own objective")
        }
    }
}
