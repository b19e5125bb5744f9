import Foundation
import Testing
import FolioLinearAlgebra
import FolioRisk
@testable import FolioOptimization

private struct FactorFixture: Decodable {
    struct Regression: Decodable { let loadings: [[Double]]; let covariance: [[Double]] }
    struct Statistical: Decodable { let covariance: [[Double]]; let specificVariances: [Double]; let eigenvalues: [Double] }
    struct Case: Decodable {
        let seed: Int
        let assets: Int
        let observations: Int
        let factors: Int
        let components: Int
        let maximumWeight: Double
        let returns: [[Double]]
        let factorReturns: [[Double]]
        let regression: Regression
        let statistical: Statistical
        let minimumVarianceWeights: [Double]
    }
    let cases: [Case]
}

private func relativeDifference(_ a: Matrix, _ b: Matrix) -> Double {
    var worst = 0.0, scale = 0.0
    for (x, y) in zip(a.elements, b.elements) {
        worst = max(worst, abs(x - y))
        scale = max(scale, abs(y))
    }
    return worst / scale
}

@Suite("Factor risk models")
struct FactorModelTests {
    private func series(_ c: FactorFixture.Case) throws -> (ReturnSeries, ReturnSeries) {
        let returns = try ReturnSeries(values: Matrix(fixtureRows: c.returns), assets: (0..<c.assets).map { "A\($0)" })
        let factors = try ReturnSeries(values: Matrix(fixtureRows: c.factorReturns), assets: (0..<c.factors).map { "F\($0)" })
        return (returns, factors)
    }

    @Test("time-series regression matches skfolio TimeSeriesFactorModel with LinearRegression to 1e-10")
    func goldenRegression() throws {
        let f = try allocationFixture("factor_model.json", as: FactorFixture.self)
        #expect(f.cases.count == 3)
        for c in f.cases {
            let (returns, factors) = try series(c)
            let model = try FactorRiskModel.timeSeriesRegression(returns: returns, factorReturns: factors, annualization: .perPeriod)
            #expect(relativeDifference(model.loadings, Matrix(fixtureRows: c.regression.loadings)) < 1e-10, "seed \(c.seed)")
            #expect(relativeDifference(model.covariance, Matrix(fixtureRows: c.regression.covariance)) < 1e-10, "seed \(c.seed)")
            #expect(model.units == .perPeriod)
            let annual = try FactorRiskModel.timeSeriesRegression(returns: returns, factorReturns: factors)
            #expect(relativeDifference(annual.covariance, 252 * model.covariance) < 1e-12)
        }
    }

    @Test("statistical model matches numpy's principal components to 1e-9; every asset's variance is kept")
    func goldenStatistical() throws {
        let f = try allocationFixture("factor_model.json", as: FactorFixture.self)
        for c in f.cases {
            let (returns, _) = try series(c)
            let model = try FactorRiskModel.statistical(returns: returns, factorCount: c.components, annualization: .perPeriod)
            #expect(relativeDifference(model.covariance, Matrix(fixtureRows: c.statistical.covariance)) < 1e-9, "seed \(c.seed)")
            let eigenvalues = (0..<c.components).map { model.factorCovariance[$0, $0] }
            #expect(zip(eigenvalues, c.statistical.eigenvalues).allSatisfy { abs($0 - $1) <= 1e-10 * abs($1) })
            let sample = try SampleCovariance(annualization: .perPeriod).estimate(returns).matrix
            for i in 0..<c.assets { #expect(abs(model.covariance[i, i] - sample[i, i]) <= 1e-12 * sample[i, i]) }
        }
    }

    @Test("factor minimum variance equals the dense QP on the materialized Σ (1e-9) and cvxpy + Clarabel (1e-6)")
    func goldenMinimumVariance() throws {
        let f = try allocationFixture("factor_model.json", as: FactorFixture.self)
        for c in f.cases {
            let (returns, factors) = try series(c)
            let model = try FactorRiskModel.timeSeriesRegression(returns: returns, factorReturns: factors, annualization: .perPeriod)
            let result = try FactorMinimumVariance(model: model, maximumWeight: c.maximumWeight).solve()
            var constraints = PortfolioConstraints.longOnly
            constraints.bounds = 0...c.maximumWeight
            let dense = try MinimumVariance(covariance: model.covariance, constraints: constraints).solve()
            #expect(maxAbsDifference(result.weights, dense.weights) < 1e-9, "seed \(c.seed): \(maxAbsDifference(result.weights, dense.weights))")
            #expect(maxAbsDifference(result.weights, c.minimumVarianceWeights) < 1e-6, "seed \(c.seed): \(maxAbsDifference(result.weights, c.minimumVarianceWeights))")
            // Recomputed from the output: feasible, and the variance and its attribution agree with Σ.
            #expect(abs(result.weights.reduce(0, +) - 1) < 1e-12)
            #expect(result.weights.allSatisfy { $0 >= 0 && $0 <= c.maximumWeight + 1e-15 })
            let variance = model.covariance.quadraticForm(result.weights)
            #expect(abs(result.variance - variance) <= 1e-12 * variance)
            #expect(abs(result.attribution.variance - variance) <= 1e-12 * variance)
            #expect(result.largestKKTResidual < 1e-9)
            if c.maximumWeight < 1 { #expect(result.weights.contains { abs($0 - c.maximumWeight) < 1e-15 }, "the cap binds somewhere") }
        }
    }

    @Test("bad input: a zero specific variance, an impossible cap, a wrong factor count, mismatched series")
    func badInput() throws {
        let f = try allocationFixture("factor_model.json", as: FactorFixture.self)
        let c = f.cases[0]
        let (returns, factors) = try series(c)
        #expect(throws: RiskModelError.self) { try FactorRiskModel.statistical(returns: returns, factorCount: 0) }
        #expect(throws: RiskModelError.self) { try FactorRiskModel.statistical(returns: returns, factorCount: c.assets + 1) }
        let short = try ReturnSeries(values: Matrix(rows: Array(c.factorReturns.prefix(100))), assets: factors.assets)
        #expect(throws: RiskModelError.self) { try FactorRiskModel.timeSeriesRegression(returns: returns, factorReturns: short) }
        let model = try FactorRiskModel.timeSeriesRegression(returns: returns, factorReturns: factors)
        #expect(throws: OptimizationError.self) { try FactorMinimumVariance(model: model, maximumWeight: 0.05).solve() }
        var specific = model.specificVariances
        specific[3] = 0
        let singular = try FactorRiskModel(assets: model.assets, factors: model.factors, loadings: model.loadings,
                                           factorCovariance: model.factorCovariance, specificVariances: specific, units: model.units)
        #expect(throws: OptimizationError.self) { try FactorMinimumVariance(model: singular).solve() }
        specific[3] = -.infinity
        #expect(throws: RiskModelError.self) {
            try FactorRiskModel(assets: model.assets, factors: model.factors, loadings: model.loadings,
                                factorCovariance: model.factorCovariance, specificVariances: specific, units: model.units)
        }
    }

    @Test("600 assets and 15 factors, 2% cap: the factor solver agrees with the dense QP (2,000 assets in FactorBenchmarks)")
    func largeUniverse() throws {
        var random = AllocationTestRandom(seed: 2026)
        let n = 600, k = 15
        var loadings = Matrix(rows: n, columns: k)
        for i in 0..<n { for j in 0..<k { loadings[i, j] = random.normal() * 0.3 + (j == 0 ? 1 : 0) } }
        var factorCovariance = Matrix(rows: k, columns: k)
        for j in 0..<k { factorCovariance[j, j] = 0.02 / Double(j + 1) }
        let specific = (0..<n).map { _ in 0.01 + 0.05 * abs(random.normal()) }
        let model = try FactorRiskModel(assets: (0..<n).map { "S\($0)" }, factors: (0..<k).map { "F\($0)" }, loadings: loadings,
                                        factorCovariance: factorCovariance, specificVariances: specific,
                                        units: .annualized(periodsPerYear: 252))
        let result = try FactorMinimumVariance(model: model, maximumWeight: 0.02).solve()
        var constraints = PortfolioConstraints.longOnly
        constraints.bounds = 0...0.02
        let dense = try MinimumVariance(covariance: model.covariance, constraints: constraints).solve()
        #expect(maxAbsDifference(result.weights, dense.weights) < 1e-8)
        #expect(abs(result.variance - dense.volatility * dense.volatility) <= 1e-10 * result.variance)
    }
}
