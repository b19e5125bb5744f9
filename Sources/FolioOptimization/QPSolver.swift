import FolioLinearAlgebra

/// A dense convex QP solver: a primal-dual active-set method (block pivoting on the
/// KKT system of the working set) with a Mehrotra predictor-corrector interior-point
/// fallback and an active-set polish, so that every `optimal` answer is the exact KKT point
/// of its active set.
///
/// 1. **Active set.** From a warm start (or all variables free) it solves the equality-
///    constrained KKT system of the current working set — Cholesky of `Q_FF` and a Schur
///    complement on the active rows, or Bunch-Kaufman when `Q_FF` is singular — then moves
///    every violated bound or inequality into the set and every wrong-signed multiplier out
///    (Hintermüller, Ito & Kunisch, "The primal-dual active set strategy as a semismooth
///    Newton method", SIAM J. Optim. 13, 2003). Long-only portfolio problems settle in a
///    handful of iterations, each O(n_F³) with n_F the free assets.
///    Programs with equalities and bounds only (every long-only budget problem) take a lean
///    path: a primal active-set method (Nocedal & Wright, *Numerical Optimization*,
///    Algorithm 16.3) from a greedy feasible vertex when there is one equality, one index
///    entering or leaving per iteration with the inverse of Q_FF updated by bordering
///    (O(n·n_F) per iteration); then one block iteration with a fresh Cholesky of Q_FF
///    certifies the active set and computes the KKT residuals. Products with Q touch only
///    the nonzero entries of x.
/// 2. **Interior point.** If the active set cycles or a KKT system is singular, a
///    Mehrotra predictor-corrector interior-point method (Mehrotra, "On the implementation
///    of a primal-dual interior point method", SIAM J. Optim. 2, 1992) solves the problem to
///    ~1e-10; its active set then seeds step 1 again, which polishes to machine precision.
/// 3. **Infeasibility.** If neither converges, an elastic phase-one problem measures the
///    least total violation and names the constraint set at fault.
public struct QPSolver: Sendable {
    /// Largest active-set iterations before falling back to the interior point.
    public var maximumActiveSetIterations: Int
    /// Largest interior-point iterations.
    public var maximumInteriorPointIterations: Int
    /// Relative tolerance for primal and dual feasibility when classifying constraints and
    /// accepting a solution (default 1e-9; the active-set answer is usually near 1e-15).
    public var tolerance: Double

    /// A solver with the given limits.
    ///
    /// - Complexity: O(1).
    public init(maximumActiveSetIterations: Int = 100, maximumInteriorPointIterations: Int = 200, tolerance: Double = 1e-9) {
        self.maximumActiveSetIterations = maximumActiveSetIterations
        self.maximumInteriorPointIterations = maximumInteriorPointIterations
        self.tolerance = tolerance
    }

    /// Solves `problem`, starting the active-set method from `warmStart` when given.
    ///
    /// Never returns NaN: on failure `x` is finite and `status` says why.
    ///
    /// - Complexity: per active-set iteration O(n_F³ + n²) with n_F free variables; per
    ///   interior-point iteration O(n³ + mᵢn²).
    public func solve(_ problem: QuadraticProgram, warmStart: QPActiveSet? = nil) -> QPSolution {
        // Bounds far beyond the scale of the other constraints ("no bound" stand-ins such as
        // ±1e6 on weights that sum to 1) are dropped first; if the answer then lies within
        // them it is the answer of the bounded program too (it solves a relaxation and is
        // feasible), with those bounds inactive. Otherwise the full program is solved.
        if let relaxed = problem.withFarBoundsRemoved() {
            let answer = solveAsGiven(relaxed, warmStart: warmStart)
            if answer.status == .optimal, problem.boundsHold(at: answer.x, tolerance: tolerance) {
                return answer
            }
            var full = solveAsGiven(problem, warmStart: warmStart)
            full.iterations += answer.iterations
            return full
        }
        return solveAsGiven(problem, warmStart: warmStart)
    }

    /// `solve(_:warmStart:)` without the relaxation of far bounds.
    func solveAsGiven(_ problem: QuadraticProgram, warmStart: QPActiveSet?) -> QPSolution {
        let n = problem.variableCount
        // Bounds that cross are infeasible before anything else.
        var crossed: [Int] = []
        var crossing = 0.0
        for i in 0..<n where problem.lowerBounds[i] > problem.upperBounds[i] {
            crossed.append(i)
            crossing += problem.lowerBounds[i] - problem.upperBounds[i]
        }
        if !crossed.isEmpty {
            return infeasibleSolution(problem, QPInfeasibility(constraintSet: .bounds, minimumViolation: crossing, violatedEqualities: crossed, violatedInequalities: []), iterations: 0)
        }
        let engine = QPWorkspace(problem: problem, tolerance: tolerance)
        var iterations = 0
        var start = warmStart ?? QPActiveSet()
        if let result = engine.run(from: start, maximumIterations: maximumActiveSetIterations, iterations: &iterations),
           engine.accepts(result) {
            return result
        }
        // Fall back to the interior point, then polish with the active set it identifies.
        let ipm = InteriorPoint(problem: problem, tolerance: Swift.min(tolerance, QPTolerances.interiorPointCeiling) * QPTolerances.interiorPointFraction)
        let outcome = ipm.solve(maximumIterations: maximumInteriorPointIterations)
        iterations += outcome.iterations
        if outcome.converged {
            start = outcome.activeSet
            var more = 0
            if let polished = engine.run(from: start, maximumIterations: maximumActiveSetIterations, iterations: &more),
               engine.accepts(polished) || polished.residuals.maximum <= outcome.solution.residuals.maximum {
                var result = polished
                result.iterations = iterations + more
                return result
            }
            var result = outcome.solution
            result.iterations = iterations
            result.status = engine.accepts(result, factor: QPTolerances.unpolishedAcceptanceFactor) ? .optimal : .iterationLimit
            return result
        }
        if outcome.unbounded {
            var result = outcome.solution
            result.status = .unbounded
            result.iterations = iterations
            return result
        }
        if let certificate = elasticCertificate(problem) {
            return infeasibleSolution(problem, certificate, iterations: iterations)
        }
        var result = outcome.solution
        result.status = .iterationLimit
        result.iterations = iterations
        return result
    }

    /// A finite all-zero-multiplier answer carrying the certificate.
    private func infeasibleSolution(_ problem: QuadraticProgram, _ certificate: QPInfeasibility, iterations: Int) -> QPSolution {
        let n = problem.variableCount
        let x = (0..<n).map { i -> Double in
            let l = problem.lowerBounds[i], u = problem.upperBounds[i]
            return Swift.min(Swift.max(0, l.isFinite ? l : 0), u.isFinite ? u : 0)
        }
        return QPSolution(
            status: .infeasible, iterations: iterations, objective: 0, x: x,
            equalityMultipliers: Array(repeating: 0, count: problem.equalityBounds.count),
            inequalityMultipliers: Array(repeating: 0, count: problem.inequalityBounds.count),
            lowerBoundMultipliers: Array(repeating: 0, count: n), upperBoundMultipliers: Array(repeating: 0, count: n),
            residuals: KKTResiduals(primalFeasibility: certificate.minimumViolation, dualFeasibility: 0, complementarity: 0),
            activeSet: QPActiveSet(), infeasibility: certificate)
    }

    /// Solves the elastic phase-one problem: minimize the total violation of A x = b and
    /// G x ≤ h over the box, and returns a certificate when it is not zero.
    private func elasticCertificate(_ problem: QuadraticProgram) -> QPInfeasibility? {
        let n = problem.variableCount
        let me = problem.equalityBounds.count, mi = problem.inequalityBounds.count
        let total = n + 2 * me + mi
        // Variables: x (n), p (mₑ), q (mₑ), r (mᵢ), all slacks ≥ 0.
        var qElements = [Double](repeating: 0, count: total * total)
        for i in 0..<n { qElements[i + i * total] = QPTolerances.elasticRegularization }
        let q = Matrix(rows: total, columns: total, columnMajor: qElements)
        var c = [Double](repeating: 0, count: total)
        for k in n..<total { c[k] = 1 }
        var aElements = [Double](repeating: 0, count: me * total)
        let pa = problem.equalityMatrix.elements
        for r in 0..<me {
            for j in 0..<n { aElements[r + j * me] = pa[r + j * me] }
            aElements[r + (n + r) * me] = -1
            aElements[r + (n + me + r) * me] = 1
        }
        let a = Matrix(rows: me, columns: total, columnMajor: aElements)
        var gElements = [Double](repeating: 0, count: mi * total)
        let pg = problem.inequalityMatrix.elements
        for r in 0..<mi {
            for j in 0..<n { gElements[r + j * mi] = pg[r + j * mi] }
            gElements[r + (n + 2 * me + r) * mi] = -1
        }
        let g = Matrix(rows: mi, columns: total, columnMajor: gElements)
        let lower = problem.lowerBounds + Array(repeating: 0, count: 2 * me + mi)
        let upper = problem.upperBounds + Array(repeating: .infinity, count: 2 * me + mi)
        let elastic = QuadraticProgram(
            quadratic: q, linear: c, equalityMatrix: a, equalityBounds: problem.equalityBounds,
            inequalityMatrix: g, inequalityBounds: problem.inequalityBounds, lowerBounds: lower, upperBounds: upper)
        let outcome = InteriorPoint(problem: elastic, tolerance: QPTolerances.elasticTolerance).solve(maximumIterations: 200)
        let v = outcome.solution.x
        var equalityViolation = 0.0, inequalityViolation = 0.0
        var rows: [Int] = []
        for r in 0..<me {
            let e = abs(v[n + r]) + abs(v[n + me + r])
            equalityViolation += e
            if e > QPTolerances.elasticViolation { rows.append(r) }
        }
        var inequalityRows: [Int] = []
        for r in 0..<mi {
            let e = Swift.max(v[n + 2 * me + r], 0)
            inequalityViolation += e
            if e > QPTolerances.elasticViolation { inequalityRows.append(r) }
        }
        let violation = equalityViolation + inequalityViolation
        guard violation > QPTolerances.elasticViolation else { return nil }
        let set: QPInfeasibility.ConstraintSet =
            inequalityViolation <= QPTolerances.elasticViolation ? .equalities : (equalityViolation <= QPTolerances.elasticViolation ? .inequalities : .equalitiesAndInequalities)
        return QPInfeasibility(constraintSet: set, minimumViolation: violation,
                               violatedEqualities: rows, violatedInequalities: inequalityRows)
    }
}

// MARK: - Far bounds

extension QuadraticProgram {
    /// The threshold beyond which a bound is "far": 1e4 times the largest right-hand side
    /// of the equalities and inequalities (at least 1e4).
    var farBoundThreshold: Double {
        var m = 1.0
        for v in equalityBounds { m = Swift.max(m, abs(v)) }
        for v in inequalityBounds { m = Swift.max(m, abs(v)) }
        return QPTolerances.farBoundFactor * m
    }

    /// The same program with far finite bounds made infinite, or nil when there are none.
    /// Fixed variables (l = u) keep their bounds.
    func withFarBoundsRemoved() -> QuadraticProgram? {
        let limit = farBoundThreshold
        var relaxed = self
        var changed = false
        for i in 0..<variableCount where lowerBounds[i] != upperBounds[i] {
            if lowerBounds[i].isFinite && abs(lowerBounds[i]) > limit { relaxed.lowerBounds[i] = -.infinity; changed = true }
            if upperBounds[i].isFinite && abs(upperBounds[i]) > limit { relaxed.upperBounds[i] = .infinity; changed = true }
        }
        return changed ? relaxed : nil
    }

    /// Whether `x` satisfies every bound within `tolerance` relative to the bound.
    func boundsHold(at x: [Double], tolerance: Double) -> Bool {
        for i in 0..<variableCount {
            if x[i] < lowerBounds[i] - tolerance * (1 + abs(lowerBounds[i])) { return false }
            if x[i] > upperBounds[i] + tolerance * (1 + abs(upperBounds[i])) { return false }
        }
        return true
    }
}

// MARK: - KKT residuals

extension QuadraticProgram {
    /// The KKT residuals of (x, ν, λ, z_l, z_u) for this program.
    ///
    /// - Complexity: O(n² + (mₑ + mᵢ)n).
    public func kktResiduals(
        x: [Double], equalityMultipliers nu: [Double], inequalityMultipliers lambda: [Double],
        lowerBoundMultipliers zl: [Double], upperBoundMultipliers zu: [Double]
    ) -> KKTResiduals {
        kktResiduals(x: x, equalityMultipliers: nu, inequalityMultipliers: lambda,
                     lowerBoundMultipliers: zl, upperBoundMultipliers: zu, quadraticTimesX: quadratic * x)
    }

    /// The KKT residuals with Q·x already computed.
    func kktResiduals(
        x: [Double], equalityMultipliers nu: [Double], inequalityMultipliers lambda: [Double],
        lowerBoundMultipliers zl: [Double], upperBoundMultipliers zu: [Double], quadraticTimesX qx: [Double]
    ) -> KKTResiduals {
        let n = variableCount
        var primal = 0.0, dual = 0.0, comp = 0.0
        var gradient = qx
        gradient.addScaled(linear, by: 1)
        if !nu.isEmpty {
            let ax = equalityMatrix * x
            for r in 0..<nu.count { primal = Swift.max(primal, abs(ax[r] - equalityBounds[r])) }
            gradient.addScaled(equalityMatrix.multiplied(by: nu, transposingSelf: true), by: 1)
        }
        if !lambda.isEmpty {
            let gx = inequalityMatrix * x
            for r in 0..<lambda.count {
                let slack = gx[r] - inequalityBounds[r]
                primal = Swift.max(primal, slack)
                dual = Swift.max(dual, -lambda[r])
                comp = Swift.max(comp, abs(lambda[r] * slack))
            }
            gradient.addScaled(inequalityMatrix.multiplied(by: lambda, transposingSelf: true), by: 1)
        }
        for i in 0..<n {
            let l = lowerBounds[i], u = upperBounds[i]
            if l.isFinite {
                primal = Swift.max(primal, l - x[i])
                comp = Swift.max(comp, abs(zl[i] * (x[i] - l)))
            }
            if u.isFinite {
                primal = Swift.max(primal, x[i] - u)
                comp = Swift.max(comp, abs(zu[i] * (u - x[i])))
            }
            dual = Swift.max(dual, -zl[i], -zu[i])
            dual = Swift.max(dual, abs(gradient[i] - zl[i] + zu[i]))
        }
        return KKTResiduals(primalFeasibility: primal, dualFeasibility: dual, complementarity: comp)
    }
}

// MARK: - Equality-constrained KKT solves

/// Solves [H Cᵀ; C 0][x; η] = [r₁; r₂] for symmetric H (n x n) and C (m x n), several
/// right-hand sides at once. Cholesky of H plus a Schur complement when H is positive
/// definite, else Bunch-Kaufman on the whole matrix; one step of iterative refinement.
/// Returns nil when the KKT matrix is singular.
func solveKKT(h: Matrix, c: Matrix, r1: Matrix, r2: Matrix) -> (x: Matrix, eta: Matrix)? {
    let n = h.rows, m = c.rows, k = r1.columns
    func attempt(_ r1: Matrix, _ r2: Matrix) -> (x: Matrix, eta: Matrix)? {
        if let chol = try? Cholesky(h), chol.reciprocalConditionNumber() > QPTolerances.hessianReciprocalCondition {
            let hr = chol.solve(r1)
            if m == 0 { return (hr, Matrix(rows: 0, columns: k)) }
            let hc = chol.solve(c.transposed)                       // n x m
            var s = c.multiplied(by: hc)                            // m x m
            s.mirrorLowerTriangle()
            var rhs = c.multiplied(by: hr)                          // m x k
            rhs.elements.addScaled(r2.elements, by: -1)
            let eta: Matrix
            if let sc = try? Cholesky(s), sc.reciprocalConditionNumber() > QPTolerances.schurReciprocalCondition {
                eta = sc.solve(rhs)
            } else {
                guard let e = try? s.solveSymmetricIndefinite(rhs) else { return nil }
                eta = e
            }
            var x = hr
            x.elements.addScaled(hc.multiplied(by: eta).elements, by: -1)
            return (x, eta)
        }
        return nil
    }
    if let direct = attempt(r1, r2) {
        var (x, eta) = direct
        // One step of iterative refinement against the original system.
        let (res1, res2) = residual(x, eta)
        if let (dx, de) = attempt(res1, res2) {
            x.elements.addScaled(dx.elements, by: 1)
            eta.elements.addScaled(de.elements, by: 1)
        }
        if x.isFinite && eta.isFinite { return (x, eta) }
    }
    // Singular H or dependent rows of C: factor the quasi-definite regularized matrix
    // [H + δI, Cᵀ; C, −δI] (Bunch-Kaufman) and refine against the true system.
    var scale = 1.0
    for v in h.elements { scale = Swift.max(scale, abs(v)) }
    let delta = QPTolerances.kktRegularization * scale
    let size = n + m
    var kktElements = [Double](repeating: 0, count: size * size)
    let he = h.elements, ce = c.elements
    for j in 0..<n { for i in 0..<n { kktElements[i + j * size] = he[i + j * n] } }
    for i in 0..<n { kktElements[i + i * size] += delta }
    for i in 0..<m { kktElements[(n + i) + (n + i) * size] = -delta }
    for j in 0..<n { for i in 0..<m { kktElements[(n + i) + j * size] = ce[i + j * m]; kktElements[j + (n + i) * size] = ce[i + j * m] } }
    let kkt = Matrix(rows: size, columns: size, columnMajor: kktElements)
    func regularizedSolve(_ r1: Matrix, _ r2: Matrix) -> (Matrix, Matrix)? {
        var rhs = [Double](repeating: 0, count: size * k)
        let r1e = r1.elements, r2e = r2.elements
        for col in 0..<k {
            for i in 0..<n { rhs[i + col * size] = r1e[i + col * n] }
            for i in 0..<m { rhs[n + i + col * size] = r2e[i + col * m] }
        }
        guard let sol = try? kkt.solveSymmetricIndefinite(Matrix(rows: size, columns: k, columnMajor: rhs)), sol.isFinite else { return nil }
        let se = sol.elements
        var x = [Double](repeating: 0, count: n * k), eta = [Double](repeating: 0, count: m * k)
        for col in 0..<k {
            for i in 0..<n { x[i + col * n] = se[i + col * size] }
            for i in 0..<m { eta[i + col * m] = se[n + i + col * size] }
        }
        return (Matrix(rows: n, columns: k, columnMajor: x), Matrix(rows: m, columns: k, columnMajor: eta))
    }
    guard var (x, eta) = regularizedSolve(r1, r2) else { return nil }
    var rhsNorm = 1e-300
    for v in r1.elements + r2.elements { rhsNorm = Swift.max(rhsNorm, abs(v)) }
    for _ in 0..<50 {
        let (res1, res2) = residual(x, eta)
        var worst = 0.0
        for v in res1.elements + res2.elements { worst = Swift.max(worst, abs(v)) }
        if worst <= QPTolerances.refinementTarget * Swift.max(rhsNorm, 1) { break }
        guard let (dx, de) = regularizedSolve(res1, res2) else { return nil }
        x.elements.addScaled(dx.elements, by: 1)
        eta.elements.addScaled(de.elements, by: 1)
    }
    let (res1, res2) = residual(x, eta)
    var worst = 0.0
    for v in res1.elements + res2.elements { worst = Swift.max(worst, abs(v)) }
    guard x.isFinite && eta.isFinite && worst <= QPTolerances.refinementCeiling * Swift.max(rhsNorm, 1) else { return nil }
    return (x, eta)

    func residual(_ x: Matrix, _ eta: Matrix) -> (Matrix, Matrix) {
        var res1 = r1
        res1.elements.addScaled(h.multiplied(by: x).elements, by: -1)
        var res2 = r2
        if m > 0 {
            res1.elements.addScaled(c.multiplied(by: eta, transposingSelf: true).elements, by: -1)
            res2.elements.addScaled(c.multiplied(by: x).elements, by: -1)
        }
        return (res1, res2)
    }
}
