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

/// One mean-variance problem: an objective over the covariance Σ (and expected returns μ
/// where the objective reads them) under `PortfolioConstraints`, whose L2 term γ‖w‖² and
/// transaction costs enter every objective as penalties (Markowitz, "Portfolio Selection",
/// J. Finance 7, 1952; PyPortfolioOpt's `EfficientFrontier` methods).
///
/// Every objective is reduced to one convex QP by `MeanVarianceProgram` and solved by the
/// QP engine; the result carries that QP's status, iterations and KKT residuals. The seven
/// classical names (`MinimumVariance(…)`, `MaximumSharpe(…)`, …) are factories of this type.
public struct MeanVarianceProblem: Sendable {
    /// What the problem optimizes. Units follow the inputs (e.g. annual fractions).
    public enum Objective: Sendable, Equatable {
        /// Minimize wᵀΣw (+ γ‖w‖² + costs).
        case minimumVariance
        /// Maximize μᵀw − (δ/2)·wᵀΣw (− γ‖w‖² − costs), δ > 0 the risk aversion
        /// (PyPortfolioOpt's `max_quadratic_utility`).
        case maximumUtility(riskAversion: Double)
        /// Minimize wᵀΣw (+ penalties) subject to μᵀw ≥ target (PyPortfolioOpt's
        /// `efficient_return`).
        case efficientReturn(target: Double)
        /// Maximize μᵀw (− γ‖w‖² − costs) subject to √(wᵀΣw) ≤ target volatility
        /// (PyPortfolioOpt's `efficient_risk`, with `L2_reg` when γ > 0).
        case efficientRisk(targetVolatility: Double)
        /// Minimize the tracking variance (w − b)ᵀΣ(w − b) to benchmark weights b (Roll, "A
        /// mean/variance analysis of tracking error", J. Portfolio Mgmt 18, 1992).
        case minimumTrackingError(benchmark: [Double])
        /// Maximize (μᵀw − r_f)/√(wᵀΣw) with r_f the problem's `riskFreeRate`, by the
        /// homogenized QP y = κw, (μ − r_f)ᵀy = 1 (Cornuéjols & Tütüncü, *Optimization Methods
        /// in Finance*, 2007, §8.2).
        case maximumSharpe
        /// Maximize the diversification ratio (σᵀw)/√(wᵀΣw), σ the asset volatilities
        /// (Choueifaty & Coignard, "Toward maximum diversification", J. Portfolio Mgmt 35, 2008).
        case maximumDiversification

        /// Whether the objective reads expected returns (the others use them only to report).
        public var needsExpectedReturns: Bool {
            switch self {
            case .maximumUtility, .efficientReturn, .efficientRisk, .maximumSharpe: return true
            case .minimumVariance, .minimumTrackingError, .maximumDiversification: return false
            }
        }
    }

    /// The objective.
    public var objective: Objective
    /// The covariance Σ of asset returns (n x n), e.g. annualized.
    public var covariance: Matrix
    /// Expected returns μ (n values): required by the objectives that read them
    /// (`Objective.needsExpectedReturns`), else used only to report return and Sharpe ratio.
    public var expectedReturns: [Double]?
    /// The constraints (default: fully invested, long-only), with the L2 coefficient γ
    /// (`l2Regularization`) and transaction costs.
    public var constraints: PortfolioConstraints
    /// The risk-free rate r_f (units of μ): the maximum-Sharpe objective's and the reported
    /// Sharpe ratio's.
    public var riskFreeRate: Double
    /// The QP solver and its limits.
    public var solver: QPSolver
    /// An active set to start from (a nearby solve's `solution.activeSet`), read by the
    /// objectives solved by one plain QP (minimum variance, maximum utility, efficient return,
    /// minimum tracking error).
    public var warmStart: QPActiveSet?

    /// A mean-variance problem.
    ///
    /// - Complexity: O(1).
    public init(objective: Objective, covariance: Matrix, expectedReturns: [Double]? = nil,
                constraints: PortfolioConstraints = .longOnly, riskFreeRate: Double = 0,
                solver: QPSolver = QPSolver(), warmStart: QPActiveSet? = nil) {
        self.objective = objective
        self.covariance = covariance
        self.expectedReturns = expectedReturns
        self.constraints = constraints
        self.riskFreeRate = riskFreeRate
        self.solver = solver
        self.warmStart = warmStart
    }

    /// Solves the problem. `objective` of the result is in the objective's natural units:
    /// variance (+ penalties) for minimum variance and efficient return, utility for maximum
    /// utility, return (− penalties) for efficient risk, tracking variance (+ penalties) for
    /// minimum tracking error, the Sharpe ratio, the diversification ratio.
    ///
    /// - Throws: `OptimizationError`: `.invalidInput` for missing expected returns, δ ≤ 0 or
    ///   costs with a ratio objective; `.targetReturnUnattainable`,
    ///   `.targetVolatilityUnattainable`, `.noAssetBeatsRiskFreeRate` with the attainable
    ///   limit; `.infeasibleConstraints` naming the constraints that conflict.
    /// - Complexity: a few O(n_F³) active-set steps for n_F assets off their bounds; efficient
    ///   risk adds the critical line or a bisection of warm-started solves.
    public func solve() throws(OptimizationError) -> PortfolioOptimizationResult {
        try MeanVarianceProgram.checkInputs(covariance: covariance, expectedReturns: expectedReturns, constraints: constraints)
        let mu: [Double]
        if let expectedReturns { mu = expectedReturns } else if objective.needsExpectedReturns {
            throw .invalidInput(what: "the objective \(objective) needs expected returns")
        } else { mu = [] }
        let n = covariance.rows
        let zero = [Double](repeating: 0, count: n)
        switch objective {
        case .minimumVariance:
            return try solveQuadratic(scale: 2, linear: zero, constant: 0)
        case .maximumUtility(let delta):
            guard delta > 0, delta.isFinite else { throw .invalidInput(what: "risk aversion must be positive, got \(delta)") }
            var result = try solveQuadratic(scale: delta, linear: mu.map { -$0 }, constant: 0)
            result.objective = -result.objective
            return result
        case .efficientReturn(let target):
            return try efficientReturn(mu, target: target)
        case .efficientRisk(let target):
            return try efficientRisk(mu, targetVolatility: target)
        case .minimumTrackingError(let benchmark):
            precondition(benchmark.count == n, "One benchmark weight per asset")
            let sb = covariance * benchmark
            return try solveQuadratic(scale: 2, linear: sb.map { -2 * $0 }, constant: benchmark.dot(sb))
        case .maximumSharpe:
            guard constraints.transactionCosts == nil else {
                throw .invalidInput(what: "transaction costs cannot be combined with the Sharpe ratio (the objective is not homogeneous)")
            }
            let maximum = try maximumAttainableReturn(mu, constraints: constraints, solver: solver)
            if maximum <= riskFreeRate {
                throw .noAssetBeatsRiskFreeRate(riskFreeRate: riskFreeRate, maximumAttainableReturn: maximum)
            }
            var result = try solveRatio(numerator: mu.map { $0 - riskFreeRate })
            result.objective = result.sharpeRatio ?? 0
            return result
        case .maximumDiversification:
            guard constraints.transactionCosts == nil else {
                throw .invalidInput(what: "transaction costs cannot be combined with the diversification ratio")
            }
            let sigma = covariance.diagonal.map { Swift.max($0, 0).squareRoot() }
            var result = try solveRatio(numerator: sigma)
            result.objective = result.volatility > 0 ? sigma.dot(result.weights) / result.volatility : 0
            return result
        }
    }

    /// The result of min ½wᵀ(sΣ)w + qᵀw + constant (+ penalties) under the constraints and
    /// `extra` rows; `objective` is the QP's.
    func solveQuadratic(scale: Double, linear: [Double], constant: Double, extra: [LinearConstraint] = [])
        throws(OptimizationError) -> PortfolioOptimizationResult {
        let built = MeanVarianceProgram.build(
            hessian: covariance, hessianScale: scale, linear: linear, constant: constant, constraints: constraints, extra: extra)
        let solution = try built.solve(with: solver, warmStart: warmStart)
        return result(built.weights(from: solution.x), objective: solution.objective, solution: solution)
    }

    /// Min yᵀΣy s.t. aᵀy = 1 and the homogenized constraints; w = y/κ, clipped to the bounds.
    private func solveRatio(numerator: [Double]) throws(OptimizationError) -> PortfolioOptimizationResult {
        let solved = try FolioOptimization.solveRatio(covariance: covariance, numerator: numerator, constraints: constraints, solver: solver)
        return result(solved.weights, objective: 0, solution: solved.qp)
    }

    private func efficientReturn(_ mu: [Double], target: Double) throws(OptimizationError) -> PortfolioOptimizationResult {
        let row = LinearConstraint(name: "target return", coefficients: mu, relation: .greaterThanOrEqual, bound: target)
        do {
            return try solveQuadratic(scale: 2, linear: [Double](repeating: 0, count: mu.count), constant: 0, extra: [row])
        } catch {
            if case .infeasibleConstraints = error,
               let maximum = try? maximumAttainableReturn(mu, constraints: constraints, solver: solver), maximum < target {
                throw .targetReturnUnattainable(target: target, maximumAttainable: maximum)
            }
            throw error
        }
    }

    /// The result for `weights`, with return, volatility and Sharpe ratio recomputed.
    func result(_ weights: [Double], objective: Double, solution: QPSolution) -> PortfolioOptimizationResult {
        PortfolioOptimizationResult(weights: weights, covariance: covariance, expectedReturns: expectedReturns,
                                    riskFreeRate: riskFreeRate, objective: objective, solution: solution)
    }

    /// This problem with another objective (and no warm start unless given).
    func with(_ objective: Objective, warmStart: QPActiveSet? = nil) -> MeanVarianceProblem {
        var copy = self
        copy.objective = objective
        copy.warmStart = warmStart
        return copy
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
