import FolioLinearAlgebra

/// One portfolio on the efficient frontier.
public struct FrontierPoint: Sendable {
    /// Expected return μᵀw (units of μ).
    public var expectedReturn: Double
    /// Volatility √(wᵀΣw).
    public var volatility: Double
    /// (μᵀw − r_f)/√(wᵀΣw); zero when the volatility is zero.
    public var sharpeRatio: Double
    /// The weights.
    public var weights: [Double]
    /// The active set of the QP at this point (bounds and constraints that bind).
    public var activeSet: QPActiveSet
}

/// The mean-variance efficient frontier under any `PortfolioConstraints`: evenly spaced
/// points from the minimum-variance portfolio to the maximum-return portfolio, and the
/// tangency (maximum-Sharpe) portfolio (Markowitz, "Portfolio Selection", 1952).
///
/// Under a budget and finite per-asset bounds only, the frontier is traced exactly by the
/// critical line algorithm (`CriticalLine`: all corner portfolios, then exact interpolation).
/// Otherwise points are computed by a sweep of efficient-return problems, each
/// warm-started from the previous point's active set, so most points cost one or two
/// active-set iterations.
public struct EfficientFrontier: Sendable {
    /// The covariance Σ (n x n).
    public var covariance: Matrix
    /// Expected returns μ.
    public var expectedReturns: [Double]
    /// The constraints.
    public var constraints: PortfolioConstraints
    /// The risk-free rate for Sharpe ratios and the tangency portfolio.
    public var riskFreeRate: Double
    /// The QP solver.
    public var solver: QPSolver

    /// A frontier.
    ///
    /// - Complexity: O(1).
    public init(covariance: Matrix, expectedReturns: [Double], constraints: PortfolioConstraints = .longOnly,
                riskFreeRate: Double = 0, solver: QPSolver = QPSolver()) {
        self.covariance = covariance
        self.expectedReturns = expectedReturns
        self.constraints = constraints
        self.riskFreeRate = riskFreeRate
        self.solver = solver
    }

    /// `count` frontier portfolios with expected returns evenly spaced from the
    /// minimum-variance portfolio's return to the largest attainable return, in increasing
    /// order of return (and therefore of volatility).
    ///
    /// - Throws: `OptimizationError` when the constraints are infeasible.
    /// - Precondition: `count >= 2`.
    /// - Complexity: the critical line (O(K·(n·n_F + n_F²)) for K corners) plus O(count·n)
    ///   under a budget and bounds; else as `sweep(count:)`.
    public func points(count: Int) throws(OptimizationError) -> [FrontierPoint] {
        precondition(count >= 2, "A frontier needs at least two points")
        if let line = criticalLine() { return line.points(count: count, riskFreeRate: riskFreeRate) }
        return try sweep(count: count)
    }

    /// The exact frontier by the critical line algorithm when the constraints are a budget
    /// and finite per-asset bounds and Σ is positive definite on the path; nil otherwise.
    ///
    /// - Complexity: O(K·(n·n_F + n_F²)) for K corner portfolios.
    public func criticalLine() -> CriticalLineFrontier? {
        guard constraints.isBudgetAndBoundsOnly else { return nil }
        return try? CriticalLine(covariance: covariance, expectedReturns: expectedReturns, constraints: constraints).solve()
    }

    /// The warm-started sweep of efficient-return problems, for any constraints.
    ///
    /// - Throws: `OptimizationError` when the constraints are infeasible.
    /// - Precondition: `count >= 2`.
    /// - Complexity: one minimum-variance solve plus `count − 1` warm-started
    ///   efficient-return solves.
    public func sweep(count: Int) throws(OptimizationError) -> [FrontierPoint] {
        precondition(count >= 2, "A frontier needs at least two points")
        let minimum = try problem(.minimumVariance).solve()
        let maximumReturn = try maximumAttainableReturn(expectedReturns, constraints: constraints, solver: solver)
        let low = minimum.expectedReturn ?? 0
        let high = Swift.max(maximumReturn, low)
        var result = [point(minimum)]
        var warm = minimum.solution.activeSet
        for k in 1..<count {
            var target = low + (high - low) * Double(k) / Double(count - 1)
            var solved: PortfolioOptimizationResult?
            for shrink in [0.0, 1e-12, 1e-10, 1e-8] {
                target -= shrink * Swift.max(1, abs(high))
                if let r = try? problem(.efficientReturn(target: target), warmStart: warm).solve() {
                    solved = r
                    break
                }
                if k < count - 1 { break }
            }
            guard let r = solved else {
                throw .solverFailed(status: .iterationLimit, largestKKTResidual: .infinity)
            }
            warm = r.solution.activeSet
            result.append(point(r))
        }
        return result
    }

    /// The tangency portfolio: the frontier point of largest Sharpe ratio, i.e. the
    /// maximum-Sharpe portfolio under the same constraints.
    ///
    /// - Throws: `OptimizationError.noAssetBeatsRiskFreeRate` when no portfolio beats r_f.
    /// - Complexity: under a budget and bounds, the critical line plus O(K + n) for the exact
    ///   maximum on its segment; otherwise one homogenized QP solve.
    public func tangency() throws(OptimizationError) -> FrontierPoint {
        if let line = criticalLine() { return try line.tangency(riskFreeRate: riskFreeRate) }
        return point(try problem(.maximumSharpe).solve())
    }

    /// The frontier's problem with `objective`.
    private func problem(_ objective: MeanVarianceProblem.Objective, warmStart: QPActiveSet? = nil) -> MeanVarianceProblem {
        MeanVarianceProblem(objective: objective, covariance: covariance, expectedReturns: expectedReturns, constraints: constraints,
                            riskFreeRate: riskFreeRate, solver: solver, warmStart: warmStart)
    }

    private func point(_ r: PortfolioOptimizationResult) -> FrontierPoint {
        let ret = expectedReturns.dot(r.weights)
        return FrontierPoint(expectedReturn: ret, volatility: r.volatility,
                             sharpeRatio: r.volatility > 0 ? (ret - riskFreeRate) / r.volatility : 0,
                             weights: r.weights, activeSet: r.solution.activeSet)
    }
}
