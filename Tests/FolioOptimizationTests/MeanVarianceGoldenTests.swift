import Foundation
import Testing
import FolioLinearAlgebra
@testable import FolioOptimization

/// One committed golden case from Scripts/golden/mean_variance.py.
struct GoldenCase: Decodable {
    struct Group: Decodable { var name: String; var assets: [Int]; var bounds: [Double] }
    struct Linear: Decodable { var name: String; var coefficients: [Double]; var relation: String; var bound: Double }
    struct Spec: Decodable {
        var budget: Double?
        var bounds: [Double]?
        var groups: [Group]?
        var linear: [Linear]?
        var grossLeverage: Double?
        var currentWeights: [Double]?
        var turnoverLimit: Double?
        var transactionCosts: [Double]?
        var l2: Double?
        var assetBounds: [[Double]]?
    }
    var name: String
    var n: Int
    var objective: String
    var constraints: Spec
    var riskFreeRate: Double?
    var riskAversion: Double?
    var target: Double?
    var benchmark: [Double]?
    var factors: [[Double]]
    var specific: [Double]
    var expectedReturns: [Double]
    var weights: [Double]
    var objectiveValue: Double
    var pypfoptWeights: [Double]?
    /// The cone-program answer where the reference came from the KKT conditions instead.
    var socpWeights: [Double]?
    var clarabelStatus: String

    /// Σ = B Bᵀ + diag(d), formed exactly (B and d are binary fractions).
    var covariance: Matrix {
        let b = Matrix(rows: factors)
        var s = b.outerGramian()
        for i in 0..<n { s[i, i] += specific[i] }
        return s
    }

    var portfolioConstraints: PortfolioConstraints {
        let c = constraints
        let lo = c.bounds?[0] ?? 0, hi = c.bounds?[1] ?? 1
        return PortfolioConstraints(
            budget: c.budget, bounds: lo...hi, assetBounds: c.assetBounds?.map { $0[0]...$0[1] },
            groups: (c.groups ?? []).map { GroupConstraint(name: $0.name, assets: $0.assets, bounds: $0.bounds[0]...$0.bounds[1]) },
            linear: (c.linear ?? []).map {
                LinearConstraint(name: $0.name, coefficients: $0.coefficients,
                                 relation: $0.relation == "eq" ? .equal : ($0.relation == "le" ? .lessThanOrEqual : .greaterThanOrEqual),
                                 bound: $0.bound)
            },
            grossLeverage: c.grossLeverage, currentWeights: c.currentWeights, turnoverLimit: c.turnoverLimit,
            transactionCosts: c.transactionCosts, l2Regularization: c.l2 ?? 0)
    }

    /// The problem this case states, as one `MeanVarianceProblem`.
    var problem: MeanVarianceProblem {
        let objective: MeanVarianceProblem.Objective
        switch self.objective {
        case "minimumVariance": objective = .minimumVariance
        case "maximumSharpe": objective = .maximumSharpe
        case "maximumUtility": objective = .maximumUtility(riskAversion: riskAversion!)
        case "efficientReturn": objective = .efficientReturn(target: target!)
        case "efficientRisk": objective = .efficientRisk(targetVolatility: target!)
        case "minimumTrackingError": objective = .minimumTrackingError(benchmark: benchmark!)
        case "maximumDiversification": objective = .maximumDiversification
        default: fatalError("unknown objective \(self.objective)")
        }
        return MeanVarianceProblem(objective: objective, covariance: covariance, expectedReturns: expectedReturns,
                                   constraints: portfolioConstraints, riskFreeRate: riskFreeRate ?? 0)
    }

    func solve() throws(OptimizationError) -> PortfolioOptimizationResult { try problem.solve() }
}

struct GoldenFile: Decodable { var cases: [GoldenCase] }

enum Golden {
    static let cases: [GoldenCase] = {
        try! GoldenFixture.decode(GoldenFile.self, from: "mean_variance_golden.json").cases
    }()
    static var names: [String] { cases.map(\.name) }
    static func named(_ name: String) -> GoldenCase { cases.first { $0.name == name }! }
}

@Suite("Mean-variance golden cases against cvxpy + Clarabel")
struct MeanVarianceGoldenTests {
    @Test("objective within 1e-8 relative, weights within 1e-6, KKT residuals at most 1e-9", arguments: Golden.names)
    func agreesWithClarabel(name: String) throws {
        let golden = Golden.named(name)
        let result = try golden.solve()
        #expect(result.solution.status == .optimal)
        #expect(result.weights.allSatisfy { $0.isFinite })
        let objectiveError = abs(result.objective - golden.objectiveValue) / Swift.max(abs(golden.objectiveValue), 1e-300)
        #expect(objectiveError <= 1e-8, "\(name): objective \(result.objective) vs \(golden.objectiveValue) (relative \(objectiveError))")
        let weightError = zip(result.weights, golden.weights).map { abs($0 - $1) }.max() ?? 0
        #expect(weightError <= 1e-6, "\(name): weights differ by \(weightError)")
        #expect(result.solution.residuals.maximum <= 1e-9, "\(name): KKT residuals \(result.solution.residuals)")
        if let pypfopt = golden.pypfoptWeights {
            let e = zip(result.weights, pypfopt).map { abs($0 - $1) }.max() ?? 0
            #expect(e <= 1e-4, "\(name): PyPortfolioOpt weights differ by \(e)")
        }
    }
}
