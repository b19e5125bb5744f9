import Foundation
import FolioLinearAlgebra
import FolioRisk
import Testing
@testable import FolioOptimization

/// Issue 10: no optimizer returns NaN or infinite weights, risk or money. Every optimizer is
/// fed seeded hostile covariances — two nearly collinear assets, more assets than
/// observations (singular), a constant-price asset (a zero row and column), returns scaled by
/// 1e-8 and by 1e6 — under long-only, long-short and "no bound" stand-in (±1e6) constraints,
/// and must answer with finite numbers or throw its typed error. The QP engine must not give
/// up (`solverFailed`) on any of them except the two near-singular ones (condition numbers of
/// 1e12 to 1e20), where `solverFailed` is the typed answer for a few frontier points whose
/// weights run to the bounds.
@Suite struct NumericalGuardTests {
    struct Case: CustomStringConvertible {
        var name: String
        var seed: UInt64
        var covariance: Matrix
        var expectedReturns: [Double]
        var description: String { "\(name) (seed \(seed), N = \(expectedReturns.count))" }
        /// Two assets are (nearly) collinear: `solverFailed` is an acceptable typed answer.
        var isNearSingular: Bool { name.hasPrefix("near-singular") || name.hasPrefix("correlation") }
    }

    static let seeds: [UInt64] = [11, 12, 13]

    static func cases(seed: UInt64) -> [Case] {
        var g = SeededGenerator(seed: seed)
        func returns(_ t: Int, _ n: Int) -> Matrix {
            let market = (0..<t).map { _ in 0.01 * g.normal() }
            var m = Matrix(rows: t, columns: n)
            for j in 0..<n {
                let beta = Double.random(in: 0.5...1.5, using: &g), drift = Double.random(in: -0.0002...0.0008, using: &g)
                for i in 0..<t { m[i, j] = drift + beta * market[i] + 0.012 * g.normal() }
            }
            return m
        }
        func make(_ name: String, _ r: Matrix) -> Case {
            // Annualized sample covariance and mean, computed here: returns x 1e6 are beyond
            // what a ReturnSeries accepts (their compounded growth overflows).
            let t = r.rows
            var centered = r
            var mu = [Double](repeating: 0, count: r.columns)
            for j in 0..<r.columns {
                let mean = (0..<t).reduce(0) { $0 + r[$1, j] } / Double(t)
                mu[j] = 252 * mean
                for i in 0..<t { centered[i, j] -= mean }
            }
            let sigma = centered.gramian(scale: 252 / Double(t - 1))
            return Case(name: name, seed: seed, covariance: sigma, expectedReturns: mu)
        }
        let base = returns(150, 6)
        var collinear = base
        for i in 0..<150 { collinear[i, 1] = base[i, 0] + 1e-9 * base[i, 2] }
        var constant = base
        for i in 0..<150 { constant[i, 3] = 0 }
        var small = base, large = base
        small.elements = base.elements.map { $0 * 1e-8 }
        large.elements = base.elements.map { $0 * 1e6 }
        // A covariance written directly: correlation 1 − 1e-12 between assets 0 and 1.
        var direct = Matrix.identity(4)
        direct[0, 1] = 1 - 1e-12
        direct[1, 0] = 1 - 1e-12
        let directCase = Case(name: "correlation 1 - 1e-12", seed: seed, covariance: 0.04 * direct,
                              expectedReturns: [0.08, 0.08 + 1e-9, 0.05, 0.03])
        return [
            make("near-singular (collinear pair)", collinear),
            make("N > T", returns(6, 12)),
            make("constant-price asset", constant),
            make("returns x 1e-8", small),
            make("returns x 1e6", large),
            directCase,
        ]
    }

    static var allCases: [Case] { seeds.flatMap { cases(seed: $0) } }

    static let constraintSets: [(String, PortfolioConstraints)] = [
        ("long-only", .longOnly),
        ("long-short", PortfolioConstraints(bounds: -1...1)),
        ("bounds ±1e6 (no-bound stand-ins)", PortfolioConstraints(bounds: -1e6...1e6)),
    ]

    @Test(arguments: allCases)
    func meanVarianceIsFiniteOrThrows(_ c: Case) {
        let sigma = c.covariance, mu = c.expectedReturns
        let n = mu.count
        let equal = [Double](repeating: 1 / Double(n), count: n)
        for (name, constraints) in Self.constraintSets {
            let label = "\(c) \(name)"
            let toleratesSolverFailure = c.isNearSingular
            func expectResult(_ label: String, sourceLocation: SourceLocation = #_sourceLocation,
                              _ body: () throws(OptimizationError) -> PortfolioOptimizationResult) {
                FolioOptimizationTests.expectResult(label, toleratesSolverFailure: toleratesSolverFailure, sourceLocation: sourceLocation, body)
            }
            func attempt<T>(_ label: String, _ body: () throws(OptimizationError) -> T, sourceLocation: SourceLocation = #_sourceLocation) -> T? {
                FolioOptimizationTests.attempt(label, toleratesSolverFailure: toleratesSolverFailure, body, sourceLocation: sourceLocation)
            }
            expectResult(label + " minimum variance") { () throws(OptimizationError) in
                try MinimumVariance(covariance: sigma, expectedReturns: mu, constraints: constraints).solve()
            }
            expectResult(label + " maximum utility") { () throws(OptimizationError) in
                try MaximumUtility(covariance: sigma, expectedReturns: mu, riskAversion: 2, constraints: constraints).solve()
            }
            let target = 0.5 * ((mu.min() ?? 0) + (mu.max() ?? 0))
            expectResult(label + " efficient return") { () throws(OptimizationError) in
                try EfficientReturn(covariance: sigma, expectedReturns: mu, targetReturn: target, constraints: constraints).solve()
            }
            let volatility = PortfolioRisk.volatility(weights: equal, covariance: sigma)
            expectResult(label + " efficient risk") { () throws(OptimizationError) in
                try EfficientRisk(covariance: sigma, expectedReturns: mu, targetVolatility: volatility, constraints: constraints).solve()
            }
            expectResult(label + " minimum tracking error") { () throws(OptimizationError) in
                try MinimumTrackingError(covariance: sigma, benchmarkWeights: equal, expectedReturns: mu, constraints: constraints).solve()
            }
            expectResult(label + " maximum Sharpe") { () throws(OptimizationError) in
                try MaximumSharpe(covariance: sigma, expectedReturns: mu, riskFreeRate: 0, constraints: constraints).solve()
            }
            expectResult(label + " maximum diversification") { () throws(OptimizationError) in
                try MaximumDiversification(covariance: sigma, expectedReturns: mu, constraints: constraints).solve()
            }
            let frontier = EfficientFrontier(covariance: sigma, expectedReturns: mu, constraints: constraints)
            for (what, body) in [("points", { () throws(OptimizationError) in try frontier.points(count: 6) }),
                                 ("sweep", { () throws(OptimizationError) in try frontier.sweep(count: 6) }),
                                 ("tangency", { () throws(OptimizationError) in [try frontier.tangency()] })] {
                if let points = attempt(label + " frontier \(what)", body) {
                    for p in points { expectFinite([p.expectedReturn, p.volatility, p.sharpeRatio] + p.weights, label + " frontier \(what)") }
                }
            }
            if let line = attempt(label + " critical line", { () throws(OptimizationError) in
                try CriticalLine(covariance: sigma, expectedReturns: mu, constraints: constraints).solve()
            }) {
                for corner in line.corners {
                    expectFinite([corner.expectedReturn, corner.volatility, corner.riskTolerance] + corner.weights, label + " corner")
                }
                for p in line.points(count: 7) { expectFinite([p.expectedReturn, p.volatility, p.sharpeRatio] + p.weights, label + " line points") }
                if let t = attempt(label + " line tangency", { () throws(OptimizationError) in try line.tangency() }) {
                    expectFinite([t.expectedReturn, t.volatility, t.sharpeRatio] + t.weights, label + " line tangency")
                }
            }
        }
    }

    @Test(arguments: allCases)
    func riskBasedAllocatorsAreFiniteOrThrow(_ c: Case) {
        let sigma = c.covariance
        let n = sigma.rows
        for method in [RiskBudgeting.Method.coordinateDescent, .newton] {
            for budgets in [nil, (0..<n).map { Double($0 + 1) / Double(n * (n + 1) / 2) }] {
                expectAllocation("\(c) risk budgeting \(method)") { () throws(AllocationError) in
                    try RiskBudgeting(budgets: budgets, method: method).allocate(covariance: sigma)
                }
                expectAllocation("\(c) risk budgeting \(method) unchecked") { () throws(AllocationError) in
                    try RiskBudgeting(budgets: budgets, maximumIterations: 500, method: method, checksPositiveDefiniteness: false)
                        .allocate(covariance: sigma)
                }
            }
        }
        for allocator in SimpleAllocator.allCases {
            expectAllocation("\(c) \(allocator)") { () throws(AllocationError) in try allocator.allocate(covariance: sigma) }
        }
        for linkage in Linkage.allCases {
            for bisection in [HierarchicalRiskParity.Bisection.halving, .dendrogram] {
                expectHierarchical("\(c) HRP \(linkage) \(bisection)") { () throws(AllocationError) in
                    try HierarchicalRiskParity(linkage: linkage, bisection: bisection).allocate(covariance: sigma)
                }
            }
            expectHierarchical("\(c) HERC \(linkage)") { () throws(AllocationError) in
                try HierarchicalEqualRiskContribution(linkage: linkage).allocate(covariance: sigma)
            }
        }
    }

    @Test(arguments: seeds)
    func discreteAllocationIsFiniteOrThrows(_ seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        let n = 6
        let weights = (0..<n).map { _ in Double.random(in: 0...1, using: &g) }
        let total = weights.reduce(0, +)
        for scale in [Decimal(string: "0.0001")!, 1, Decimal(string: "1e9")!] {
            let prices = (0..<n).map { _ in Decimal(Int.random(in: 1...50_000, using: &g)) / 100 * scale }
            for value in [Decimal(1), Decimal(250_000), Decimal(string: "1e12")!] {
                for w in [weights.map { $0 / total }, weights.map { $0 * 1e-9 }, [1] + [Double](repeating: 0, count: n - 1)] {
                    let problem = DiscreteAllocation(weights: w, prices: prices, portfolioValue: value)
                    for (what, body) in [("greedy", { () throws(AllocationError) in try problem.greedy() }),
                                         ("minimizing deviation", { () throws(AllocationError) in try problem.minimizingDeviation(nodeLimit: 20_000) })] {
                        let label = "discrete \(what) seed \(seed) price scale \(scale) value \(value)"
                        guard let r = attempt(label, body) else { continue }
                        expectFinite(r.achievedWeights + [r.deviation], label)
                        #expect(!r.invested.isNaN && !r.leftover.isNaN && r.leftover >= 0, "\(label): money \(r.invested) \(r.leftover)")
                    }
                }
            }
        }
    }

    /// The known failure of issue 10: ±1e6 bounds used as "no bound" made the QP engine stop
    /// at its iteration limit. The same problem with infinite bounds is the reference.
    @Test func hugeFiniteBoundsSolveLikeInfiniteOnes() throws {
        for c in Self.allCases {
            let huge = PortfolioConstraints(bounds: -1e6...1e6)
            let free = PortfolioConstraints(bounds: -Double.infinity...Double.infinity)
            guard let a = attempt("\(c) huge", { () throws(OptimizationError) in
                try MinimumVariance(covariance: c.covariance, constraints: huge).solve()
            }) else { continue }
            #expect(a.solution.status == .optimal, "\(c)")
            if let b = try? MinimumVariance(covariance: c.covariance, constraints: free).solve(), a.weights.allSatisfy({ abs($0) < 1e5 }) {
                #expect(abs(a.volatility - b.volatility) <= 1e-6 * max(b.volatility, 1e-300) + 1e-12 * abs(c.covariance.elements.max() ?? 1),
                        "\(c): \(a.volatility) vs \(b.volatility)")
            }
        }
    }
}

/// Calls `body`; its typed error is an acceptable answer (nil), except that the QP solver
/// giving up is a failure.
func attempt<T, E: Error>(_ label: String, toleratesSolverFailure: Bool = false, _ body: () throws(E) -> T,
                          sourceLocation: SourceLocation = #_sourceLocation) -> T? {
    do { return try body() } catch {
        if !toleratesSolverFailure, let e = error as? OptimizationError, case .solverFailed = e {
            Issue.record("\(label): \(e)", sourceLocation: sourceLocation)
        }
        return nil
    }
}

func expectResult(_ label: String, toleratesSolverFailure: Bool = false, sourceLocation: SourceLocation = #_sourceLocation,
                  _ body: () throws(OptimizationError) -> PortfolioOptimizationResult) {
    guard let r = attempt(label, toleratesSolverFailure: toleratesSolverFailure, body, sourceLocation: sourceLocation) else { return }
    var values = r.weights + [r.volatility, r.objective]
    if let x = r.expectedReturn { values.append(x) }
    if let x = r.sharpeRatio { values.append(x) }
    expectFinite(values, label, sourceLocation: sourceLocation)
}

func expectAllocation(_ label: String, sourceLocation: SourceLocation = #_sourceLocation,
                      _ body: () throws(AllocationError) -> AllocationResult) {
    guard let r = attempt(label, body, sourceLocation: sourceLocation) else { return }
    expectFinite(r.weights + r.riskContributions + [r.volatility, r.error], label, sourceLocation: sourceLocation)
}

func expectHierarchical(_ label: String, sourceLocation: SourceLocation = #_sourceLocation,
                        _ body: () throws(AllocationError) -> HierarchicalAllocation) {
    guard let r = attempt(label, body, sourceLocation: sourceLocation) else { return }
    expectFinite(r.weights + r.riskContributions + [r.volatility] + r.dendrogram.merges.map(\.height), label,
                 sourceLocation: sourceLocation)
}

func expectFinite(_ values: [Double], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
        Issue.record("\(label): element \(bad) is \(values[bad])", sourceLocation: sourceLocation)
    }
}

/// Golden cases for bounds of ±1e6 (stand-ins for "no bound"), against cvxpy + Clarabel
/// (`Scripts/golden/huge_bounds.py`). Before issue 10's fix the QP engine stopped at its
/// iteration limit or, worse, called feasible problems infeasible when the bounds were this far.
@Suite struct HugeBoundsGoldenTests {
    struct GoldenCase: CustomStringConvertible, Sendable {
        var name: String, kind: String, parameter: Double, scale: Double
        var covariance: Matrix, expectedReturns: [Double], weights: [Double], variance: Double
        var description: String { name }
    }

    static var cases: [GoldenCase] {
        let root = try! JSONSerialization.jsonObject(with: GoldenFixture.data("huge_bounds_golden.json")) as! [String: Any]
        return (root["cases"] as! [[String: Any]]).map { c in
            let b = Matrix(rows: (c["factorLoadings"] as! [[NSNumber]]).map { $0.map(\.doubleValue) })
            let d = (c["idiosyncratic"] as! [NSNumber]).map(\.doubleValue)
            let scale = (c["scale"] as! NSNumber).doubleValue
            var sigma = b.multiplied(by: b, transposingOther: true) + Matrix.diagonal(d)
            sigma = 0.5 * (sigma + sigma.transposed)
            sigma.elements = sigma.elements.map { $0 * scale * scale }
            return GoldenCase(
                name: c["name"] as! String, kind: c["kind"] as! String, parameter: (c["parameter"] as! NSNumber).doubleValue,
                scale: scale, covariance: sigma, expectedReturns: (c["expectedReturns"] as! [NSNumber]).map { $0.doubleValue * scale },
                weights: (c["weights"] as! [NSNumber]).map(\.doubleValue), variance: (c["variance"] as! NSNumber).doubleValue)
        }
    }

    @Test(arguments: cases)
    func matchesClarabel(_ c: GoldenCase) throws {
        let constraints = PortfolioConstraints(bounds: -1e6...1e6)
        let result: PortfolioOptimizationResult
        switch c.kind {
        case "minimumVariance":
            result = try MinimumVariance(covariance: c.covariance, constraints: constraints).solve()
        case "efficientReturn":
            result = try EfficientReturn(covariance: c.covariance, expectedReturns: c.expectedReturns, targetReturn: c.parameter,
                                         constraints: constraints).solve()
        case "maximumUtility":
            result = try MaximumUtility(covariance: c.covariance, expectedReturns: c.expectedReturns, riskAversion: c.parameter,
                                        constraints: constraints).solve()
        default:
            result = try MaximumSharpe(covariance: c.covariance, expectedReturns: c.expectedReturns, constraints: constraints).solve()
        }
        #expect(result.solution.status == .optimal)
        let largest = c.weights.map(abs).max() ?? 1
        for (a, b) in zip(result.weights, c.weights) {
            #expect(abs(a - b) <= 1e-6 * max(1, largest), "\(c): weight \(a) vs Clarabel \(b)")
        }
        let variance = result.volatility * result.volatility
        #expect(abs(variance - c.variance) <= 1e-6 * c.variance, "\(c): variance \(variance) vs Clarabel \(c.variance)")
    }
}
