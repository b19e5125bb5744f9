import Foundation
import Testing
import FolioLinearAlgebra
@testable import FolioOptimization

private struct RiskBudgetingFixture: Decodable {
    struct Case: Decodable {
        let name: String
        let budgets: [Double]
        let covariance: [[Double]]
        let riskparityportfolio: [Double]
        let skfolioCovariance: [[Double]]
        let skfolio: [Double]
        let skfolioError: Double
    }
    let cases: [Case]
}

@Suite("Risk budgeting")
struct RiskBudgetingTests {
    @Test("matches riskparityportfolio (vanilla) to 1e-8")
    func goldenRiskParityPortfolio() throws {
        let fixture = try allocationFixture("risk_budgeting.json", as: RiskBudgetingFixture.self)
        for c in fixture.cases {
            for method in [RiskBudgeting.Method.coordinateDescent, .newton] {
                let result = try RiskBudgeting(budgets: c.budgets, method: method).allocate(covariance: Matrix(fixtureRows: c.covariance))
                #expect(maxAbsDifference(result.weights, c.riskparityportfolio) < 1e-8, "\(c.name) \(method)")
                #expect(result.error <= 1e-10)
            }
        }
    }

    /// skfolio solves a conic program with Clarabel; the fixture keeps its most accurate run
    /// (risk-contribution error 4e-10 or better), which agrees with Folio to 1e-8.
    @Test("matches skfolio RiskBudgeting to 1e-8")
    func goldenSkfolio() throws {
        let fixture = try allocationFixture("risk_budgeting.json", as: RiskBudgetingFixture.self)
        for c in fixture.cases {
            #expect(c.skfolioError < 1e-9)
            let result = try RiskBudgeting(budgets: c.budgets).allocate(covariance: Matrix(fixtureRows: c.skfolioCovariance))
            #expect(maxAbsDifference(result.weights, c.skfolio) < 1e-8, "\(c.name): \(maxAbsDifference(result.weights, c.skfolio))")
        }
    }

    @Test("risk contributions match budgets on seeded random covariances", arguments: [2, 5, 17, 60, 150])
    func propertyContributionsMatchBudgets(n: Int) throws {
        var random = AllocationTestRandom(seed: UInt64(1000 + n))
        for trial in 0..<4 {
            let sigma = random.covariance(assets: n, days: max(2 * n, 60))
            var budgets = (0..<n).map { _ in Double.random(in: 0.01...1, using: &random) }
            let total = budgets.reduce(0, +)
            budgets = budgets.map { $0 / total }
            let chosen: [Double]? = trial == 0 ? nil : budgets
            let target = chosen ?? [Double](repeating: 1 / Double(n), count: n)
            let result = try RiskBudgeting(budgets: chosen).allocate(covariance: sigma)
            // Independent check of the contributions.
            let product = sigma * result.weights
            let variance = result.weights.dot(product)
            for i in 0..<n {
                #expect(abs(result.weights[i] * product[i] / variance - target[i]) <= 1e-10)
                #expect(result.weights[i] > 0)
            }
            #expect(abs(result.weights.reduce(0, +) - 1) < 1e-12)
            #expect(result.iterations > 0)
            let newton = try RiskBudgeting(budgets: chosen, method: .newton).allocate(covariance: sigma)
            #expect(maxAbsDifference(newton.weights, result.weights) < 1e-9)
        }
    }

    @Test("rejects bad budgets and covariances")
    func errors() {
        let sigma = Matrix(rows: [[0.04, 0.01], [0.01, 0.09]])
        #expect(throws: AllocationError.invalidBudget(asset: 1, budget: 0)) {
            try RiskBudgeting(budgets: [1, 0]).allocate(covariance: sigma)
        }
        #expect(throws: AllocationError.invalidBudget(asset: 0, budget: -0.2)) {
            try RiskBudgeting(budgets: [-0.2, 1.2]).allocate(covariance: sigma)
        }
        #expect(throws: AllocationError.budgetsDoNotSumToOne(sum: 0.9)) {
            try RiskBudgeting(budgets: [0.5, 0.4]).allocate(covariance: sigma)
        }
        // An indefinite matrix on which the iteration converges is caught by the optional check.
        let indefinite = Matrix(rows: [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]])
        for method in [RiskBudgeting.Method.coordinateDescent, .newton] {
            #expect(throws: AllocationError.notPositiveDefinite(minor: 3)) {
                try RiskBudgeting(method: method, checksPositiveDefiniteness: true).allocate(covariance: indefinite)
            }
        }
        // By default the solve's own failure is the check: xᵀΣx < 0 at the start here, and the
        // Cholesky run only then names the failing minor.
        #expect(throws: AllocationError.notPositiveDefinite(minor: 2)) {
            try RiskBudgeting().allocate(covariance: Matrix(rows: [[1, -2], [-2, 1]]))
        }
        #expect(throws: AllocationError.notPositiveDefinite(minor: 2)) {
            try RiskBudgeting(maximumIterations: 3).allocate(covariance: Matrix(rows: [[1, 1, 0.5], [1, 1, 0.9], [0.5, 0.9, 1]]))
        }
        #expect(throws: AllocationError.nonPositiveVariance(asset: 1, variance: 0)) {
            try RiskBudgeting().allocate(covariance: Matrix(rows: [[1, 0], [0, 0]]))
        }
        #expect(throws: AllocationError.self) {
            try RiskBudgeting().allocate(covariance: Matrix(rows: [[1, 0.5], [0.2, 1]]))
        }
    }

    @Test("two assets: closed form w ∝ 1/σ for ERC")
    func twoAssets() throws {
        let sigma = Matrix(rows: [[0.04, 0.006], [0.006, 0.01]])
        let result = try RiskBudgeting().allocate(covariance: sigma)
        #expect(abs(result.weights[0] - 1.0 / 3.0) < 1e-10)
        #expect(abs(result.riskContributions[0] - 0.5) < 1e-10)
    }

    @Test("simple allocators")
    func simpleAllocators() throws {
        let sigma = Matrix(rows: [[0.04, 0.01, 0], [0.01, 0.09, 0.02], [0, 0.02, 0.16]])
        let equal = try SimpleAllocator.equalWeight.allocate(covariance: sigma)
        #expect(equal.weights.allSatisfy { abs($0 - 1.0 / 3.0) < 1e-15 })
        let inverseVol = try SimpleAllocator.inverseVolatility.allocate(covariance: sigma)
        let raw = [1 / 0.2, 1 / 0.3, 1 / 0.4]
        #expect(maxAbsDifference(inverseVol.weights, raw.map { $0 / raw.reduce(0, +) }) < 1e-15)
        let inverseVar = try SimpleAllocator.inverseVariance.allocate(covariance: sigma)
        let rawVar = [1 / 0.04, 1 / 0.09, 1 / 0.16]
        #expect(maxAbsDifference(inverseVar.weights, rawVar.map { $0 / rawVar.reduce(0, +) }) < 1e-15)
        #expect(abs(inverseVar.riskContributions.reduce(0, +) - 1) < 1e-14)
        #expect(abs(inverseVar.volatility - sigma.quadraticForm(inverseVar.weights).squareRoot()) < 1e-15)
    }
}
