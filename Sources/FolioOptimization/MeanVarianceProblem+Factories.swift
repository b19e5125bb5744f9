import FolioLinearAlgebra

// The seven classical names of the mean-variance family, kept as factories of
// `MeanVarianceProblem` so that `MaximumSharpe(covariance:expectedReturns:).solve()` reads as
// before. Each returns the problem; `solve()` it.

/// Minimum variance: minimize wᵀΣw (+ γ‖w‖² + costs) under the constraints; a
/// `MeanVarianceProblem` with objective `.minimumVariance`.
///
/// - Complexity: O(1).
public func MinimumVariance(covariance: Matrix, expectedReturns: [Double]? = nil, constraints: PortfolioConstraints = .longOnly,
                            riskFreeRate: Double = 0, solver: QPSolver = QPSolver(), warmStart: QPActiveSet? = nil) -> MeanVarianceProblem {
    MeanVarianceProblem(objective: .minimumVariance, covariance: covariance, expectedReturns: expectedReturns,
                        constraints: constraints, riskFreeRate: riskFreeRate, solver: solver, warmStart: warmStart)
}

/// Maximum quadratic utility μᵀw − (δ/2)·wᵀΣw; a `MeanVarianceProblem` with objective
/// `.maximumUtility(riskAversion:)`.
///
/// - Complexity: O(1).
public func MaximumUtility(covariance: Matrix, expectedReturns: [Double], riskAversion: Double = 1, constraints: PortfolioConstraints = .longOnly,
                           riskFreeRate: Double = 0, solver: QPSolver = QPSolver(), warmStart: QPActiveSet? = nil) -> MeanVarianceProblem {
    MeanVarianceProblem(objective: .maximumUtility(riskAversion: riskAversion), covariance: covariance, expectedReturns: expectedReturns,
                        constraints: constraints, riskFreeRate: riskFreeRate, solver: solver, warmStart: warmStart)
}

/// Efficient return: minimize wᵀΣw subject to μᵀw ≥ `targetReturn`; a `MeanVarianceProblem`
/// with objective `.efficientReturn(target:)`.
///
/// - Complexity: O(1).
public func EfficientReturn(covariance: Matrix, expectedReturns: [Double], targetReturn: Double, constraints: PortfolioConstraints = .longOnly,
                            riskFreeRate: Double = 0, solver: QPSolver = QPSolver(), warmStart: QPActiveSet? = nil) -> MeanVarianceProblem {
    MeanVarianceProblem(objective: .efficientReturn(target: targetReturn), covariance: covariance, expectedReturns: expectedReturns,
                        constraints: constraints, riskFreeRate: riskFreeRate, solver: solver, warmStart: warmStart)
}

/// Efficient risk: maximize μᵀw (− γ‖w‖² − costs) subject to √(wᵀΣw) ≤ `targetVolatility`; a
/// `MeanVarianceProblem` with objective `.efficientRisk(targetVolatility:)`.
///
/// - Complexity: O(1).
public func EfficientRisk(covariance: Matrix, expectedReturns: [Double], targetVolatility: Double, constraints: PortfolioConstraints = .longOnly,
                          riskFreeRate: Double = 0, solver: QPSolver = QPSolver()) -> MeanVarianceProblem {
    MeanVarianceProblem(objective: .efficientRisk(targetVolatility: targetVolatility), covariance: covariance, expectedReturns: expectedReturns,
                        constraints: constraints, riskFreeRate: riskFreeRate, solver: solver)
}

/// Minimum tracking error to `benchmarkWeights`; a `MeanVarianceProblem` with objective
/// `.minimumTrackingError(benchmark:)`.
///
/// - Complexity: O(1).
public func MinimumTrackingError(covariance: Matrix, benchmarkWeights: [Double], expectedReturns: [Double]? = nil,
                                 constraints: PortfolioConstraints = .longOnly, riskFreeRate: Double = 0,
                                 solver: QPSolver = QPSolver()) -> MeanVarianceProblem {
    MeanVarianceProblem(objective: .minimumTrackingError(benchmark: benchmarkWeights), covariance: covariance, expectedReturns: expectedReturns,
                        constraints: constraints, riskFreeRate: riskFreeRate, solver: solver)
}

/// Maximum Sharpe ratio (μᵀw − r_f)/√(wᵀΣw); a `MeanVarianceProblem` with objective
/// `.maximumSharpe`.
///
/// - Complexity: O(1).
public func MaximumSharpe(covariance: Matrix, expectedReturns: [Double], riskFreeRate: Double = 0,
                          constraints: PortfolioConstraints = .longOnly, solver: QPSolver = QPSolver()) -> MeanVarianceProblem {
    MeanVarianceProblem(objective: .maximumSharpe, covariance: covariance, expectedReturns: expectedReturns,
                        constraints: constraints, riskFreeRate: riskFreeRate, solver: solver)
}

/// Maximum diversification ratio (σᵀw)/√(wᵀΣw); a `MeanVarianceProblem` with objective
/// `.maximumDiversification`.
///
/// - Complexity: O(1).
public func MaximumDiversification(covariance: Matrix, expectedReturns: [Double]? = nil, constraints: PortfolioConstraints = .longOnly,
                                   riskFreeRate: Double = 0, solver: QPSolver = QPSolver()) -> MeanVarianceProblem {
    MeanVarianceProblem(objective: .maximumDiversification, covariance: covariance, expectedReturns: expectedReturns,
                        constraints: constraints, riskFreeRate: riskFreeRate, solver: solver)
}
