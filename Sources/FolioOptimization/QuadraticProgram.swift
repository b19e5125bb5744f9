import FolioLinearAlgebra

/// A dense convex quadratic program
///
///     minimize    ½ xᵀQx + cᵀx + constant
///     subject to  A x = b,   G x ≤ h,   l ≤ x ≤ u,
///
/// with `Q` symmetric positive semidefinite. Bounds may be infinite (`-.infinity`,
/// `.infinity`); a variable with `l = u` is fixed.
///
/// Formulation and notation follow Nocedal & Wright, *Numerical Optimization* (2nd ed.,
/// Springer 2006), chapter 16.
public struct QuadraticProgram: Sendable {
    /// The Hessian `Q` (n x n, symmetric positive semidefinite).
    public var quadratic: Matrix
    /// The linear term `c` (n values).
    public var linear: [Double]
    /// A constant added to the objective (it does not change the solution).
    public var constant: Double
    /// The equality constraint matrix `A` (mₑ x n).
    public var equalityMatrix: Matrix
    /// The equality right-hand side `b` (mₑ values).
    public var equalityBounds: [Double]
    /// The inequality constraint matrix `G` (mᵢ x n).
    public var inequalityMatrix: Matrix
    /// The inequality right-hand side `h` (mᵢ values).
    public var inequalityBounds: [Double]
    /// Lower bounds `l` (n values, `-.infinity` for none).
    public var lowerBounds: [Double]
    /// Upper bounds `u` (n values, `.infinity` for none).
    public var upperBounds: [Double]

    /// A program with the given parts; omitted constraints are empty and bounds infinite.
    ///
    /// - Precondition: shapes agree: `Q` is n x n, `c` has n values, `A`/`G` have n columns
    ///   and as many rows as `b`/`h` have values, bounds have n values.
    /// - Complexity: O(1) beyond the shape checks.
    public init(
        quadratic: Matrix, linear: [Double], constant: Double = 0,
        equalityMatrix: Matrix? = nil, equalityBounds: [Double] = [],
        inequalityMatrix: Matrix? = nil, inequalityBounds: [Double] = [],
        lowerBounds: [Double]? = nil, upperBounds: [Double]? = nil
    ) {
        let n = linear.count
        precondition(quadratic.rows == n && quadratic.columns == n, "Q must be n x n with n = c.count")
        let a = equalityMatrix ?? Matrix(rows: 0, columns: n)
        let g = inequalityMatrix ?? Matrix(rows: 0, columns: n)
        precondition(a.columns == n && a.rows == equalityBounds.count, "A must be mₑ x n with mₑ = b.count")
        precondition(g.columns == n && g.rows == inequalityBounds.count, "G must be mᵢ x n with mᵢ = h.count")
        let l = lowerBounds ?? Array(repeating: -.infinity, count: n)
        let u = upperBounds ?? Array(repeating: .infinity, count: n)
        precondition(l.count == n && u.count == n, "Bounds must have n values")
        self.quadratic = quadratic
        self.linear = linear
        self.constant = constant
        self.equalityMatrix = a
        self.equalityBounds = equalityBounds
        self.inequalityMatrix = g
        self.inequalityBounds = inequalityBounds
        self.lowerBounds = l
        self.upperBounds = u
    }

    /// The number of variables n.
    public var variableCount: Int { linear.count }

    /// The objective ½ xᵀQx + cᵀx + constant at `x`.
    ///
    /// - Complexity: 2n² flops.
    public func objective(at x: [Double]) -> Double {
        0.5 * quadratic.quadraticForm(x) + linear.dot(x) + constant
    }
}

/// How a QP solve ended.
public enum QPStatus: String, Sendable, Equatable, Codable {
    /// The KKT conditions hold to the solver's tolerances.
    case optimal
    /// No point satisfies the constraints; see `QPSolution.infeasibility`.
    case infeasible
    /// The objective decreases without bound on the feasible set.
    case unbounded
    /// The solver stopped at its iteration limit before meeting its tolerances.
    case iterationLimit
}

/// The KKT residuals of a candidate solution, each an infinity norm (largest violation).
///
/// With multipliers ν (equalities), λ ≥ 0 (inequalities), z_l, z_u ≥ 0 (bounds), the KKT
/// conditions are: stationarity Qx + c + Aᵀν + Gᵀλ − z_l + z_u = 0; primal feasibility;
/// dual feasibility (multipliers of the right sign); complementarity λᵢ(Gx − h)ᵢ = 0,
/// z_l,ᵢ(xᵢ − lᵢ) = 0, z_u,ᵢ(uᵢ − xᵢ) = 0.
public struct KKTResiduals: Sendable, Equatable, Codable {
    /// The largest constraint violation: |Ax − b|, (Gx − h)₊, (l − x)₊, (x − u)₊.
    public var primalFeasibility: Double
    /// The largest stationarity residual |Qx + c + Aᵀν + Gᵀλ − z_l + z_u| together with any
    /// multiplier of the wrong sign.
    public var dualFeasibility: Double
    /// The largest complementarity product, e.g. |λᵢ·(Gx − h)ᵢ|.
    public var complementarity: Double

    /// The largest of the three residuals.
    public var maximum: Double { Swift.max(primalFeasibility, dualFeasibility, complementarity) }

    /// Residuals from their parts (for a solver that checks its own KKT point, e.g. a
    /// structured one outside this module).
    /// - Complexity: O(1).
    public init(primalFeasibility: Double, dualFeasibility: Double, complementarity: Double) {
        self.primalFeasibility = primalFeasibility
        self.dualFeasibility = dualFeasibility
        self.complementarity = complementarity
    }
}

/// The working set of an active-set solve: which bounds and inequalities hold with
/// equality. Pass one back as a warm start for a nearby problem (a frontier sweep).
public struct QPActiveSet: Sendable, Equatable, Hashable {
    /// Indices of variables at their lower bound.
    public var atLower: Set<Int>
    /// Indices of variables at their upper bound.
    public var atUpper: Set<Int>
    /// Indices of inequality rows of `G` holding with equality.
    public var activeInequalities: Set<Int>

    /// An active set from its three parts.
    ///
    /// - Complexity: O(1).
    public init(atLower: Set<Int> = [], atUpper: Set<Int> = [], activeInequalities: Set<Int> = []) {
        self.atLower = atLower
        self.atUpper = atUpper
        self.activeInequalities = activeInequalities
    }
}

/// Which constraint set makes a QP infeasible, and by how much: the smallest total
/// violation any point within the bounds achieves (an elastic, phase-one certificate).
public struct QPInfeasibility: Sendable, Equatable, CustomStringConvertible {
    /// The constraint set that cannot be satisfied.
    public enum ConstraintSet: String, Sendable, Equatable {
        /// The variable bounds themselves (some lᵢ > uᵢ).
        case bounds
        /// The equalities A x = b (given the bounds).
        case equalities
        /// The inequalities G x ≤ h (given the bounds).
        case inequalities
        /// Equalities and inequalities together (each alone is satisfiable).
        case equalitiesAndInequalities
    }
    /// The set at fault.
    public var constraintSet: ConstraintSet
    /// The smallest total violation (sum of absolute equality residuals plus positive
    /// inequality excesses) over points within the bounds.
    public var minimumViolation: Double
    /// Rows of A violated at the least-violation point (variable indices for `.bounds`).
    public var violatedEqualities: [Int]
    /// Rows of G violated at the least-violation point.
    public var violatedInequalities: [Int]

    /// One line naming the set, the violation and the rows.
    public var description: String {
        "infeasible \(constraintSet.rawValue): minimum total violation \(minimumViolation) (equality rows \(violatedEqualities.prefix(10).map(String.init).joined(separator: ", ")); inequality rows \(violatedInequalities.prefix(10).map(String.init).joined(separator: ", ")))"
    }
}

/// The result of a QP solve, with the evidence to check it.
public struct QPSolution: Sendable {
    /// How the solve ended.
    public var status: QPStatus
    /// Iterations used (active-set changes plus interior-point steps).
    public var iterations: Int
    /// The objective ½xᵀQx + cᵀx + constant at `x`.
    public var objective: Double
    /// The primal solution x (finite; zeros when infeasible).
    public var x: [Double]
    /// Multipliers ν of the equalities.
    public var equalityMultipliers: [Double]
    /// Multipliers λ ≥ 0 of the inequalities.
    public var inequalityMultipliers: [Double]
    /// Multipliers z_l ≥ 0 of the lower bounds.
    public var lowerBoundMultipliers: [Double]
    /// Multipliers z_u ≥ 0 of the upper bounds.
    public var upperBoundMultipliers: [Double]
    /// The KKT residuals at (x, ν, λ, z_l, z_u).
    public var residuals: KKTResiduals
    /// The active set at the solution (a warm start for a nearby problem).
    public var activeSet: QPActiveSet
    /// The infeasibility certificate when `status == .infeasible`.
    public var infeasibility: QPInfeasibility?
}
