/// Why a portfolio problem has no solution, in the terms of the constraint at fault.
public enum OptimizationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The per-asset bounds cannot sum to the budget: their sums span
    /// `minimumTotal...maximumTotal`, which misses `budget`.
    case boundsCannotMeetBudget(budget: Double, minimumTotal: Double, maximumTotal: Double)
    /// The target return exceeds the largest return the constraints allow.
    case targetReturnUnattainable(target: Double, maximumAttainable: Double)
    /// The target volatility is below the smallest volatility the constraints allow.
    case targetVolatilityUnattainable(target: Double, minimumAttainable: Double)
    /// Maximum Sharpe needs a portfolio whose expected return beats the risk-free rate.
    case noAssetBeatsRiskFreeRate(riskFreeRate: Double, maximumAttainableReturn: Double)
    /// The constraints are jointly infeasible; `constraints` names the ones violated at the
    /// least-violation point, `violation` is the least total violation.
    case infeasibleConstraints(constraints: [String], violation: Double)
    /// An input is unusable (non-finite values, wrong sign); `what` says which.
    case invalidInput(what: String)
    /// The solver stopped without meeting its tolerances.
    case solverFailed(status: QPStatus, largestKKTResidual: Double)

    /// One line naming the constraint and by how much it fails.
    public var description: String {
        switch self {
        case let .boundsCannotMeetBudget(budget, lo, hi):
            let gap = budget < lo ? lo - budget : budget - hi
            return "asset bounds sum to between \(lo) and \(hi), so the budget \(budget) is out of reach by \(gap)"
        case let .targetReturnUnattainable(target, maximum):
            return "target return \(target) exceeds the maximum attainable return \(maximum) under the constraints (by \(target - maximum))"
        case let .targetVolatilityUnattainable(target, minimum):
            return "target volatility \(target) is below the minimum attainable volatility \(minimum) under the constraints (by \(minimum - target))"
        case let .noAssetBeatsRiskFreeRate(rate, maximum):
            return "no feasible portfolio beats the risk-free rate \(rate): the maximum attainable expected return is \(maximum)"
        case let .infeasibleConstraints(names, violation):
            return "constraints are infeasible (least total violation \(violation)): \(names.joined(separator: ", "))"
        case let .invalidInput(what):
            return "invalid input: \(what)"
        case let .solverFailed(status, residual):
            return "QP solver stopped with status \(status.rawValue), largest KKT residual \(residual)"
        }
    }
}
