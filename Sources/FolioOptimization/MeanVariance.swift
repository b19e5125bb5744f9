import FolioLinearAlgebra

/// The answer of a mean-variance problem: weights, their statistics, and the QP evidence.
///
/// Units follow the inputs: with annualized expected returns and covariance (PyPortfolioOpt's
/// convention, 252 periods a year), return and volatility are annual fractions.
public struct PortfolioOptimizationResult: Sendable {
    /// The optimal weights, one per asset, fractions of capital.
    public var weights: [Double]
    /// μᵀw, when expected returns were given.
    public var expectedReturn: Double?
    /// √(wᵀΣw).
    public var volatility: Double
    /// (μᵀw − r_f) / √(wᵀΣw), when expected returns were given and the volatility is positive.
    public var sharpeRatio: Double?
    /// The problem's own objective at the optimum, in its natural units: variance
    /// (+ penalties) for minimum variance and efficient return, utility for maximum
    /// utility, return for efficient risk, tracking variance for minimum tracking error,
    /// the Sharpe ratio for maximum Sharpe, the diversification ratio for maximum
    /// diversification.
    public var objective: Double
    /// The underlying QP solution: status, iterations, multipliers and KKT residuals
    /// (of the QP the problem was reduced to).
    public var solution: QPSolution

    init(weights: [Double], covariance: Matrix, expectedReturns: [Double]?, riskFreeRate: Double, objective: Double, solution: QPSolution) {
        self.weights = weights
        let variance = Swift.max(weights.dot(sparseProduct(covariance.elements, weights)), 0)
        volatility = variance.squareRoot()
        expectedReturn = expectedReturns.map { $0.dot(weights) }
        if let r = expectedReturn, volatility > 0 { sharpeRatio = (r - riskFreeRate) / volatility } else { sharpeRatio = nil }
        self.objective = objective
        self.solution = solution
    }
}

/// Minimum variance: minimize wᵀΣw (+ γ‖w‖² + transaction costs) under the constraints
/// (Markowitz, "Portfolio Selection", J. Finance 7, 1952).
public struct MinimumVariance: Sendable {
    /// The covariance Σ of asset returns (n x n), e.g. annualized.
    public var covariance: Matrix
    /// Expected returns μ, used only to report return and Sharpe ratio.
    public var expectedReturns: [Double]?
    /// The constraints (default: fully invested, long-only).
    public var constraints: PortfolioConstraints
    /// The risk-free rate for the reported Sharpe ratio (same units as μ).
    public var riskFreeRate: Double
    /// The QP solver and its limits.
    public var solver: QPSolver
    /// An active set to start from (from a nearby solve's `solution.activeSet`).
    public var warmStart: QPActiveSet?

    /// A minimum-variance problem.
    ///
    /// - Complexity: O(1).
    public init(covariance: Matrix, expectedReturns: [Double]? = nil, constraints: PortfolioConstraints = .longOnly,
                riskFreeRate: Double = 0, solver: QPSolver = QPSolver(), warmStart: QPActiveSet? = nil) {
        self.covariance = covariance
        self.expectedReturns = expectedReturns
        self.constraints = constraints
        self.riskFreeRate = riskFreeRate
        self.solver = solver
        self.warmStart = warmStart
    }

    /// Solves the problem.
    ///
    /// - Throws: `OptimizationError` naming the constraint that makes it infeasible.
    /// - Complexity: a few O(n_F³) active-set steps for n_F assets off their bounds.
    public func solve() throws(OptimizationError) -> PortfolioOptimizationResult {
        try MeanVarianceProgram.checkInputs(covariance: covariance, expectedReturns: expectedReturns, constraints: constraints)
        let n = covariance.rows
        let built = MeanVarianceProgram.build(
            hessian: covariance, hessianScale: 2, linear: Array(repeating: 0, count: n), constant: 0, constraints: constraints)
        let solution = try built.solve(with: solver, warmStart: warmStart)
        return PortfolioOptimizationResult(
            weights: built.weights(from: solution.x), covariance: covariance, expectedReturns: expectedReturns,
            riskFreeRate: riskFreeRate, objective: solution.objective, solution: solution)
    }
}

/// Maximum quadratic utility: maximize μᵀw − (δ/2)·wᵀΣw (− γ‖w‖² − transaction costs),
/// PyPortfolioOpt's `max_quadratic_utility` convention.
public struct MaximumUtility: Sendable {
    /// The covariance Σ (n x n).
    public var covariance: Matrix
    /// Expected returns μ (n values).
    public var expectedReturns: [Double]
    /// Risk aversion δ > 0.
    public var riskAversion: Double
    /// The constraints.
    public var constraints: PortfolioConstraints
    /// The risk-free rate for the reported Sharpe ratio.
    public var riskFreeRate: Double
    /// The QP solver.
    public var solver: QPSolver
    /// An optional warm start.
    public var warmStart: QPActiveSet?

    /// A maximum-utility problem.
    ///
    /// - Complexity: O(1).
    public init(covariance: Matrix, expectedReturns: [Double], riskAversion: Double = 1, constraints: PortfolioConstraints = .longOnly,
                riskFreeRate: Double = 0, solver: QPSolver = QPSolver(), warmStart: QPActiveSet? = nil) {
        self.covariance = covariance
        self.expectedReturns = expectedReturns
        self.riskAversion = riskAversion
        self.constraints = constraints
        self.riskFreeRate = riskFreeRate
        self.solver = solver
        self.warmStart = warmStart
    }

    /// Solves the problem.
    ///
    /// - Throws: `OptimizationError`; `.invalidInput` when δ ≤ 0.
    /// - Complexity: a few O(n_F³) active-set steps.
    public func solve() throws(OptimizationError) -> PortfolioOptimizationResult {
        guard riskAversion > 0, riskAversion.isFinite else { throw .invalidInput(what: "risk aversion must be positive, got \(riskAversion)") }
        try MeanVarianceProgram.checkInputs(covariance: covariance, expectedReturns: expectedReturns, constraints: constraints)
        let built = MeanVarianceProgram.build(
            hessian: covariance, hessianScale: riskAversion, linear: expectedReturns.map { -$0 }, constant: 0, constraints: constraints)
        let solution = try built.solve(with: solver, warmStart: warmStart)
        return PortfolioOptimizationResult(
            weights: built.weights(from: solution.x), covariance: covariance, expectedReturns: expectedReturns,
            riskFreeRate: riskFreeRate, objective: -solution.objective, solution: solution)
    }
}

/// Efficient return: minimize wᵀΣw subject to μᵀw ≥ target (PyPortfolioOpt's
/// `efficient_return`).
public struct EfficientReturn: Sendable {
    /// The covariance Σ (n x n).
    public var covariance: Matrix
    /// Expected returns μ.
    public var expectedReturns: [Double]
    /// The target expected return (units of μ).
    public var targetReturn: Double
    /// The constraints.
    public var constraints: PortfolioConstraints
    /// The risk-free rate for the reported Sharpe ratio.
    public var riskFreeRate: Double
    /// The QP solver.
    public var solver: QPSolver
    /// An optional warm start (a frontier sweep passes the previous point's active set).
    public var warmStart: QPActiveSet?

    /// An efficient-return problem.
    ///
    /// - Complexity: O(1).
    public init(covariance: Matrix, expectedReturns: [Double], targetReturn: Double, constraints: PortfolioConstraints = .longOnly,
                riskFreeRate: Double = 0, solver: QPSolver = QPSolver(), warmStart: QPActiveSet? = nil) {
        self.covariance = covariance
        self.expectedReturns = expectedReturns
        self.targetReturn = targetReturn
        self.constraints = constraints
        self.riskFreeRate = riskFreeRate
        self.solver = solver
        self.warmStart = warmStart
    }

    /// Solves the problem.
    ///
    /// - Throws: `OptimizationError.targetReturnUnattainable` with the maximum attainable
    ///   return when the target is too high; other cases when the constraints fail.
    /// - Complexity: a few O(n_F³) active-set steps (one or two when warm-started).
    public func solve() throws(OptimizationError) -> PortfolioOptimizationResult {
        try MeanVarianceProgram.checkInputs(covariance: covariance, expectedReturns: expectedReturns, constraints: constraints)
        let n = covariance.rows
        let target = LinearConstraint(name: "target return", coefficients: expectedReturns, relation: .greaterThanOrEqual, bound: targetReturn)
        let built = MeanVarianceProgram.build(
            hessian: covariance, hessianScale: 2, linear: Array(repeating: 0, count: n), constant: 0, constraints: constraints, extra: [target])
        let solution: QPSolution
        do {
            solution = try built.solve(with: solver, warmStart: warmStart)
        } catch {
            if case .infeasibleConstraints = error,
               let maximum = try? maximumAttainableReturn(expectedReturns, constraints: constraints, solver: solver),
               maximum < targetReturn {
                throw .targetReturnUnattainable(target: targetReturn, maximumAttainable: maximum)
            }
            throw error
        }
        return PortfolioOptimizationResult(
            weights: built.weights(from: solution.x), covariance: covariance, expectedReturns: expectedReturns,
            riskFreeRate: riskFreeRate, objective: solution.objective, solution: solution)
    }
}

/// Efficient risk: maximize μᵀw subject to √(wᵀΣw) ≤ target (PyPortfolioOpt's
/// `efficient_risk`), solved exactly as an efficient-return problem whose target return
/// comes from the critical line under a budget and bounds (exact on its segment), else
/// from bisection on the (increasing) frontier volatility.
public struct EfficientRisk: Sendable {
    /// The covariance Σ (n x n).
    public var covariance: Matrix
    /// Expected returns μ.
    public var expectedReturns: [Double]
    /// The target volatility (units of √Σ, e.g. annual).
    public var targetVolatility: Double
    /// The constraints.
    public var constraints: PortfolioConstraints
    /// The risk-free rate for the reported Sharpe ratio.
    public var riskFreeRate: Double
    /// The QP solver.
    public var solver: QPSolver

    /// An efficient-risk problem.
    ///
    /// - Complexity: O(1).
    public init(covariance: Matrix, expectedReturns: [Double], targetVolatility: Double, constraints: PortfolioConstraints = .longOnly,
                riskFreeRate: Double = 0, solver: QPSolver = QPSolver()) {
        self.covariance = covariance
        self.expectedReturns = expectedReturns
        self.targetVolatility = targetVolatility
        self.constraints = constraints
        self.riskFreeRate = riskFreeRate
        self.solver = solver
    }

    /// Solves the problem.
    ///
    /// - Throws: `OptimizationError.targetVolatilityUnattainable` with the minimum
    ///   attainable volatility when the target is too low.
    /// - Complexity: under a budget and bounds, the critical line plus one efficient-return
    ///   solve; otherwise about 60 warm-started efficient-return solves.
    public func solve() throws(OptimizationError) -> PortfolioOptimizationResult {
        // Under a budget and bounds the critical line gives the exact target return; one
        // efficient-return QP then certifies the portfolio (KKT residuals).
        if constraints.isBudgetAndBoundsOnly,
           let line = try? CriticalLine(covariance: covariance, expectedReturns: expectedReturns, constraints: constraints).solve() {
            let minimum = line.minimumVariance.volatility
            if targetVolatility < minimum * (1 - 1e-12) {
                throw .targetVolatilityUnattainable(target: targetVolatility, minimumAttainable: minimum)
            }
            if targetVolatility < line.maximumReturn.volatility * (1 - 1e-9),
               let r = line.expectedReturn(volatility: targetVolatility),
               var result = try? EfficientReturn(covariance: covariance, expectedReturns: expectedReturns, targetReturn: r,
                                                 constraints: constraints, riskFreeRate: riskFreeRate, solver: solver).solve() {
                result.objective = result.expectedReturn ?? r
                return result
            }
        }
        let minimum = try MinimumVariance(covariance: covariance, expectedReturns: expectedReturns, constraints: constraints,
                                          riskFreeRate: riskFreeRate, solver: solver).solve()
        if targetVolatility < minimum.volatility * (1 - 1e-12) {
            throw .targetVolatilityUnattainable(target: targetVolatility, minimumAttainable: minimum.volatility)
        }
        let maximumReturn = try maximumAttainableReturn(expectedReturns, constraints: constraints, solver: solver)
        func point(_ r: Double, _ warm: QPActiveSet?) throws(OptimizationError) -> PortfolioOptimizationResult {
            try EfficientReturn(covariance: covariance, expectedReturns: expectedReturns, targetReturn: r, constraints: constraints,
                                riskFreeRate: riskFreeRate, solver: solver, warmStart: warm).solve()
        }
        // The top of the frontier is degenerate (no interior); step just below it if needed.
        var top: PortfolioOptimizationResult?
        for shrink in [0.0, 1e-12, 1e-10, 1e-8] {
            let r = maximumReturn - shrink * Swift.max(1, abs(maximumReturn))
            if let candidate = try? point(r, minimum.solution.activeSet) { top = candidate; break }
        }
        if var top, top.volatility <= targetVolatility {
            top.objective = top.expectedReturn ?? maximumReturn
            return top
        }
        var lo = minimum.expectedReturn ?? 0, hi = maximumReturn
        var best = minimum
        var warm = minimum.solution.activeSet
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            guard let candidate = try? point(mid, warm) else { hi = mid; continue }
            warm = candidate.solution.activeSet
            if candidate.volatility <= targetVolatility { lo = mid; best = candidate } else { hi = mid }
        }
        best.objective = best.expectedReturn ?? lo
        return best
    }
}

/// Minimum tracking error: minimize (w − b)ᵀΣ(w − b), the tracking variance to benchmark
/// weights b (Roll, "A mean/variance analysis of tracking error", J. Portfolio Mgmt 18, 1992).
public struct MinimumTrackingError: Sendable {
    /// The covariance Σ (n x n).
    public var covariance: Matrix
    /// The benchmark weights b.
    public var benchmarkWeights: [Double]
    /// Expected returns, used only for reporting.
    public var expectedReturns: [Double]?
    /// The constraints.
    public var constraints: PortfolioConstraints
    /// The risk-free rate for the reported Sharpe ratio.
    public var riskFreeRate: Double
    /// The QP solver.
    public var solver: QPSolver

    /// A minimum-tracking-error problem.
    ///
    /// - Complexity: O(1).
    public init(covariance: Matrix, benchmarkWeights: [Double], expectedReturns: [Double]? = nil,
                constraints: PortfolioConstraints = .longOnly, riskFreeRate: Double = 0, solver: QPSolver = QPSolver()) {
        self.covariance = covariance
        self.benchmarkWeights = benchmarkWeights
        self.expectedReturns = expectedReturns
        self.constraints = constraints
        self.riskFreeRate = riskFreeRate
        self.solver = solver
    }

    /// Solves the problem; `objective` is the tracking variance (its square root is the
    /// tracking error).
    ///
    /// - Throws: `OptimizationError`.
    /// - Complexity: a few O(n_F³) active-set steps.
    public func solve() throws(OptimizationError) -> PortfolioOptimizationResult {
        precondition(benchmarkWeights.count == covariance.rows, "One benchmark weight per asset")
        try MeanVarianceProgram.checkInputs(covariance: covariance, expectedReturns: expectedReturns, constraints: constraints)
        let sb = covariance * benchmarkWeights
        let built = MeanVarianceProgram.build(
            hessian: covariance, hessianScale: 2, linear: sb.map { -2 * $0 }, constant: benchmarkWeights.dot(sb), constraints: constraints)
        let solution = try built.solve(with: solver, warmStart: nil)
        return PortfolioOptimizationResult(
            weights: built.weights(from: solution.x), covariance: covariance, expectedReturns: expectedReturns,
            riskFreeRate: riskFreeRate, objective: solution.objective, solution: solution)
    }
}

/// Maximum Sharpe ratio: maximize (μᵀw − r_f)/√(wᵀΣw), solved as one convex QP by the
/// change of variables y = κw with (μ − r_f)ᵀy = 1 (Cornuéjols & Tütüncü, *Optimization
/// Methods in Finance*, 2007, §8.2): minimize yᵀΣy under the homogenized constraints.
public struct MaximumSharpe: Sendable {
    /// The covariance Σ (n x n).
    public var covariance: Matrix
    /// Expected returns μ.
    public var expectedReturns: [Double]
    /// The risk-free rate r_f (units of μ).
    public var riskFreeRate: Double
    /// The constraints (transaction costs are not allowed: they are not homogeneous).
    public var constraints: PortfolioConstraints
    /// The QP solver.
    public var solver: QPSolver

    /// A maximum-Sharpe problem.
    ///
    /// - Complexity: O(1).
    public init(covariance: Matrix, expectedReturns: [Double], riskFreeRate: Double = 0,
                constraints: PortfolioConstraints = .longOnly, solver: QPSolver = QPSolver()) {
        self.covariance = covariance
        self.expectedReturns = expectedReturns
        self.riskFreeRate = riskFreeRate
        self.constraints = constraints
        self.solver = solver
    }

    /// Solves the problem.
    ///
    /// - Throws: `OptimizationError.noAssetBeatsRiskFreeRate` when no feasible portfolio has
    ///   an expected return above r_f; `.invalidInput` with transaction costs.
    /// - Complexity: a few O(n_F³) active-set steps.
    public func solve() throws(OptimizationError) -> PortfolioOptimizationResult {
        try MeanVarianceProgram.checkInputs(covariance: covariance, expectedReturns: expectedReturns, constraints: constraints)
        guard constraints.transactionCosts == nil else {
            throw .invalidInput(what: "transaction costs cannot be combined with the Sharpe ratio (the objective is not homogeneous)")
        }
        let maximum = try maximumAttainableReturn(expectedReturns, constraints: constraints, solver: solver)
        if maximum <= riskFreeRate {
            throw .noAssetBeatsRiskFreeRate(riskFreeRate: riskFreeRate, maximumAttainableReturn: maximum)
        }
        let excess = expectedReturns.map { $0 - riskFreeRate }
        let solution = try solveRatio(covariance: covariance, numerator: excess, constraints: constraints, solver: solver)
        var result = PortfolioOptimizationResult(
            weights: solution.weights, covariance: covariance, expectedReturns: expectedReturns,
            riskFreeRate: riskFreeRate, objective: 0, solution: solution.qp)
        result.objective = result.sharpeRatio ?? 0
        return result
    }
}

/// Maximum diversification: maximize the diversification ratio (σᵀw)/√(wᵀΣw), σ the asset
/// volatilities (Choueifaty & Coignard, "Toward maximum diversification", J. Portfolio
/// Mgmt 35, 2008); the same homogenized QP as maximum Sharpe with σ in place of μ − r_f.
public struct MaximumDiversification: Sendable {
    /// The covariance Σ (n x n).
    public var covariance: Matrix
    /// Expected returns, used only for reporting.
    public var expectedReturns: [Double]?
    /// The constraints.
    public var constraints: PortfolioConstraints
    /// The risk-free rate for the reported Sharpe ratio.
    public var riskFreeRate: Double
    /// The QP solver.
    public var solver: QPSolver

    /// A maximum-diversification problem.
    ///
    /// - Complexity: O(1).
    public init(covariance: Matrix, expectedReturns: [Double]? = nil, constraints: PortfolioConstraints = .longOnly,
                riskFreeRate: Double = 0, solver: QPSolver = QPSolver()) {
        self.covariance = covariance
        self.expectedReturns = expectedReturns
        self.constraints = constraints
        self.riskFreeRate = riskFreeRate
        self.solver = solver
    }

    /// Solves the problem; `objective` is the diversification ratio.
    ///
    /// - Throws: `OptimizationError`.
    /// - Complexity: a few O(n_F³) active-set steps.
    public func solve() throws(OptimizationError) -> PortfolioOptimizationResult {
        try MeanVarianceProgram.checkInputs(covariance: covariance, expectedReturns: expectedReturns, constraints: constraints)
        guard constraints.transactionCosts == nil else {
            throw .invalidInput(what: "transaction costs cannot be combined with the diversification ratio")
        }
        let sigma = covariance.diagonal.map { Swift.max($0, 0).squareRoot() }
        let solution = try solveRatio(covariance: covariance, numerator: sigma, constraints: constraints, solver: solver)
        var result = PortfolioOptimizationResult(
            weights: solution.weights, covariance: covariance, expectedReturns: expectedReturns,
            riskFreeRate: riskFreeRate, objective: 0, solution: solution.qp)
        result.objective = result.volatility > 0 ? sigma.dot(result.weights) / result.volatility : 0
        return result
    }
}

/// Solves min yᵀΣy s.t. aᵀy = 1 and the homogenized constraints; returns w = y/κ.
func solveRatio(covariance: Matrix, numerator: [Double], constraints: PortfolioConstraints, solver: QPSolver)
    throws(OptimizationError) -> (weights: [Double], qp: QPSolution) {
    let n = covariance.rows
    let built = MeanVarianceProgram.build(
        hessian: covariance, hessianScale: 2, linear: Array(repeating: 0, count: n), constant: 0, constraints: constraints,
        ratioNumerator: numerator)
    let solution = try built.solve(with: solver, warmStart: nil)
    return (built.weights(from: solution.x), solution)
}

/// The largest μᵀw the constraints allow: a greedy fill for budget and bounds, else the LP
/// solved by the QP engine.
func maximumAttainableReturn(_ mu: [Double], constraints: PortfolioConstraints, solver: QPSolver) throws(OptimizationError) -> Double {
    let n = mu.count
    if constraints.isBudgetAndBoundsOnly, let budget = constraints.budget {
        var w = (0..<n).map { constraints.bounds(ofAsset: $0).lowerBound }
        var remaining = budget - w.reduce(0, +)
        for i in (0..<n).sorted(by: { mu[$0] > mu[$1] }) where remaining > 0 {
            let room = constraints.bounds(ofAsset: i).upperBound - w[i]
            let add = Swift.min(room, remaining)
            w[i] += add
            remaining -= add
        }
        return mu.dot(w)
    }
    var plain = constraints
    plain.transactionCosts = nil
    plain.l2Regularization = 0
    let built = MeanVarianceProgram.build(
        hessian: Matrix(rows: n, columns: n), linear: mu.map { -$0 }, constant: 0, constraints: plain)
    let solution = try built.solve(with: solver, warmStart: nil)
    return mu.dot(built.weights(from: solution.x))
}
