import FolioLinearAlgebra

/// The methods of the QP engine. `plan(for:warmStart:)` is the one place that chooses
/// among them; `QPSolver.solve` runs the plan's active-set methods and falls back to the
/// interior point (then polishes its active set with the general method).
enum QPMethod: Equatable {
    /// Primal active set (Nocedal & Wright, Algorithm 16.3) from a greedy feasible vertex,
    /// one index entering or leaving per step with the inverse of Q_FF bordered
    /// (`FreeSetPrimal` with `FreeSetInverse`); its active set is then certified by
    /// `boundedActiveSet`.
    case freeSetPrimal
    /// The lean primal-dual active set for equalities and bounds only (`BoundedActiveSet`).
    case boundedActiveSet
    /// The general primal-dual active set with rows of G (`GeneralActiveSet`).
    case activeSet
    /// Mehrotra predictor-corrector interior point (`InteriorPoint`), the fallback.
    case interiorPoint

    /// The methods to try, in order. The rule:
    /// - no inequality rows, exactly one equality (a budget) and a cold start:
    ///   `freeSetPrimal` (O(n·n_F) per step; long-only budget problems);
    /// - no inequality rows: `boundedActiveSet` (one Cholesky of Q_FF per step);
    /// - always: `activeSet` (handles rows of G and a singular Q_FF), then `interiorPoint`
    ///   when it cycles or meets a singular KKT system.
    /// Each method returns nil rather than a wrong answer, so the next one takes over.
    ///
    /// - Complexity: O(1).
    static func plan(for problem: QuadraticProgram, warmStart: QPActiveSet) -> [QPMethod] {
        var plan: [QPMethod] = []
        if problem.inequalityBounds.isEmpty {
            if problem.equalityBounds.count == 1 && warmStart == QPActiveSet() { plan.append(.freeSetPrimal) }
            plan.append(.boundedActiveSet)
        }
        return plan + [.activeSet, .interiorPoint]
    }
}

/// What every engine of `QPSolver` reads: the program, the caller's tolerance and the data's
/// scales; the acceptance test of an answer; and the dispatch of `QPMethod.plan`'s active-set
/// methods.
struct QPWorkspace {
    let problem: QuadraticProgram
    let tolerance: Double
    /// A magnitude of the data, to make tolerances relative.
    let scale: Double
    let n: Int
    let me: Int
    let mi: Int
    let fixed: [Bool]

    init(problem: QuadraticProgram, tolerance: Double) {
        self.problem = problem
        self.tolerance = tolerance
        n = problem.variableCount
        me = problem.equalityBounds.count
        mi = problem.inequalityBounds.count
        var s = 1.0
        for v in problem.linear { s = Swift.max(s, abs(v)) }
        for i in 0..<n { s = Swift.max(s, abs(problem.quadratic[i, i])) }
        scale = s
        fixed = (0..<n).map { problem.lowerBounds[$0] == problem.upperBounds[$0] }
        var rows = 0.0, rhs = 0.0
        for v in problem.equalityMatrix.elements { rows = Swift.max(rows, abs(v)) }
        for v in problem.inequalityMatrix.elements { rows = Swift.max(rows, abs(v)) }
        for v in problem.equalityBounds + problem.inequalityBounds { rhs = Swift.max(rhs, abs(v)) }
        rowScale = rows
        rightHandScale = rhs
    }

    /// The largest |entry| of A and G.
    let rowScale: Double
    /// The largest |entry| of b and h.
    let rightHandScale: Double

    /// Whether a solution's KKT residuals are within `tolerance · factor` of the size of the
    /// terms they sum (relative residuals, as OSQP and Clarabel measure them): primal against
    /// max(1, |b|, |h|, |A|·|x|), dual against max(scale, |Q|)·|x| and |Aᵀ|·|ν|,
    /// complementarity against max(1, |λ|)·(the primal scale). With weights of order 1 this is
    /// the absolute test `tolerance · scale`; with weights of 1e6 (far bounds that bind)
    /// rounding alone leaves dual residuals of ε·|Q|·1e6, which must not count as failure.
    func accepts(_ solution: QPSolution, factor: Double = 1) -> Bool {
        var xMax = 1.0
        for v in solution.x { xMax = Swift.max(xMax, abs(v)) }
        var multiplier = 0.0
        for v in solution.equalityMultipliers { multiplier = Swift.max(multiplier, abs(v)) }
        for v in solution.inequalityMultipliers { multiplier = Swift.max(multiplier, abs(v)) }
        let primalScale = Swift.max(1, rightHandScale, rowScale * xMax)
        let dualScale = Swift.max(scale * xMax, rowScale * multiplier)
        let r = solution.residuals, t = tolerance * factor
        return r.primalFeasibility <= t * primalScale && r.dualFeasibility <= t * dualScale
            && r.complementarity <= t * Swift.max(1, multiplier) * primalScale
    }

    /// The dual tolerance of an iterate with largest |xᵢ| = `xMax`.
    func dualTolerance(xMax: Double) -> Double { tolerance * QPTolerances.classificationFraction * scale * Swift.max(1, xMax) }

    /// Runs the active-set methods `QPMethod.plan` chooses, in order, from `start`; nil when
    /// the general one cycles, exceeds its limit or meets a singular KKT system (the caller
    /// then falls back to the interior point).
    func run(from start: QPActiveSet, maximumIterations: Int, iterations: inout Int) -> QPSolution? {
        for method in QPMethod.plan(for: problem, warmStart: start) {
            switch method {
            case .freeSetPrimal:
                if let primal = FreeSetPrimal(workspace: self).run(maximumIterations: 10 * n + 100, iterations: &iterations),
                   let fast = BoundedActiveSet(workspace: self).run(from: primal, maximumIterations: maximumIterations, iterations: &iterations) {
                    return fast
                }
            case .boundedActiveSet:
                if let fast = BoundedActiveSet(workspace: self).run(from: start, maximumIterations: maximumIterations, iterations: &iterations) {
                    return fast
                }
            case .activeSet:
                return GeneralActiveSet(workspace: self).run(from: start, maximumIterations: maximumIterations, iterations: &iterations)
            case .interiorPoint:
                return nil
            }
        }
        return nil
    }

}

/// The general primal-dual active-set engine (`QPMethod.activeSet`): bounds and rows of G,
/// block pivoting on the working set (Hintermüller, Ito & Kunisch, SIAM J. Optim. 13, 2003).
struct GeneralActiveSet {
    let workspace: QPWorkspace

    /// Runs the iteration from `start`; nil when it cycles, exceeds its limit or meets a
    /// singular KKT system.
    func run(from start: QPActiveSet, maximumIterations: Int, iterations: inout Int) -> QPSolution? {
        let problem = workspace.problem, tolerance = workspace.tolerance, n = workspace.n, me = workspace.me, mi = workspace.mi, fixed = workspace.fixed
        let l = problem.lowerBounds, u = problem.upperBounds
        var lower = [Bool](repeating: false, count: n)
        var upper = [Bool](repeating: false, count: n)
        var active = [Bool](repeating: false, count: mi)
        for i in start.atLower where i < n && l[i].isFinite { lower[i] = true }
        for i in start.atUpper where i < n && u[i].isFinite && !lower[i] { upper[i] = true }
        for r in start.activeInequalities where r < mi { active[r] = true }
        for i in 0..<n where fixed[i] { lower[i] = true; upper[i] = false }
        var seen = Set<Int>()
        let primalTolerance = tolerance * QPTolerances.classificationFraction
        let q = problem.quadratic
        let a = problem.equalityMatrix, g = problem.inequalityMatrix

        for _ in 0..<maximumIterations {
            iterations += 1
            var hasher = Hasher()
            hasher.combine(lower); hasher.combine(upper); hasher.combine(active)
            guard seen.insert(hasher.finalize()).inserted else { return nil }

            let free = (0..<n).filter { !lower[$0] && !upper[$0] }
            let working = (0..<mi).filter { active[$0] }
            let nf = free.count, m = me + working.count
            var x = [Double](repeating: 0, count: n)
            for i in 0..<n where lower[i] { x[i] = l[i] }
            for i in 0..<n where upper[i] { x[i] = u[i] }
            let qxb = q * x
            let axb = me > 0 ? a * x : []
            let gxb = mi > 0 ? g * x : []

            var h = Matrix(rows: nf, columns: nf)
            q.elements.withUnsafeBufferPointer { qe in
                h.elements.withUnsafeMutableBufferPointer { he in
                    for (jj, j) in free.enumerated() {
                        for (ii, i) in free.enumerated() { he[ii + jj * nf] = qe[i + j * n] }
                    }
                }
            }
            var cElements = [Double](repeating: 0, count: m * nf)
            var r1Elements = [Double](repeating: 0, count: nf)
            var r2Elements = [Double](repeating: 0, count: m)
            a.elements.withUnsafeBufferPointer { ae in
                g.elements.withUnsafeBufferPointer { ge in
                    for (jj, j) in free.enumerated() {
                        r1Elements[jj] = -(problem.linear[j] + qxb[j])
                        for r in 0..<me { cElements[r + jj * m] = ae[r + j * me] }
                        for (k, r) in working.enumerated() { cElements[me + k + jj * m] = ge[r + j * mi] }
                    }
                }
            }
            for r in 0..<me { r2Elements[r] = problem.equalityBounds[r] - axb[r] }
            for (k, r) in working.enumerated() { r2Elements[me + k] = problem.inequalityBounds[r] - gxb[r] }
            let c = Matrix(rows: m, columns: nf, columnMajor: cElements)
            let r1 = Matrix(rows: nf, columns: 1, columnMajor: r1Elements)
            let r2 = Matrix(rows: m, columns: 1, columnMajor: r2Elements)
            if nf == 0 && m > 0 {
                // Everything is at a bound: the working rows must hold as they are.
                if r2.elements.contains(where: { abs($0) > primalTolerance }) { return nil }
            }
            var eta = [Double](repeating: 0, count: m)
            if nf > 0 {
                guard let (xf, e) = solveKKT(h: h, c: c, r1: r1, r2: r2) else { return nil }
                for (jj, j) in free.enumerated() { x[j] = xf.elements[jj] }
                eta = e.elements
            } else if m > 0 {
                // Multipliers from the least-squares fit of the fixed gradients.
                return nil
            }
            let nu = Array(eta[0..<me])
            var lambda = [Double](repeating: 0, count: mi)
            for (k, r) in working.enumerated() { lambda[r] = eta[me + k] }

            var gradient = q * x
            gradient.addScaled(problem.linear, by: 1)
            if me > 0 { gradient.addScaled(a.multiplied(by: nu, transposingSelf: true), by: 1) }
            if mi > 0 && !working.isEmpty { gradient.addScaled(g.multiplied(by: lambda, transposingSelf: true), by: 1) }
            let gx = mi > 0 ? g * x : []

            var xMax = 0.0
            for v in x { xMax = Swift.max(xMax, abs(v)) }
            let dualTolerance = workspace.dualTolerance(xMax: xMax)
            var changed = updateBoundWorkingSet(x: x, gradient: gradient, lowerBounds: l, upperBounds: u, fixed: fixed,
                                                lower: &lower, upper: &upper,
                                                primalTolerance: primalTolerance, dualTolerance: dualTolerance)
            for r in 0..<mi {
                if active[r] {
                    if lambda[r] < -dualTolerance { active[r] = false; changed = true }
                } else if gx[r] - problem.inequalityBounds[r] > primalTolerance * (1 + abs(problem.inequalityBounds[r])) {
                    active[r] = true; changed = true
                }
            }
            if changed { continue }

            let (zl, zu) = boundMultipliers(gradient: gradient, fixed: fixed, lower: lower, upper: upper)
            let residuals = problem.kktResiduals(
                x: x, equalityMultipliers: nu, inequalityMultipliers: lambda,
                lowerBoundMultipliers: zl, upperBoundMultipliers: zu)
            let set = QPActiveSet(
                atLower: Set((0..<n).filter { lower[$0] }), atUpper: Set((0..<n).filter { upper[$0] }),
                activeInequalities: Set(working))
            return QPSolution(
                status: .optimal, iterations: iterations, objective: problem.objective(at: x), x: x,
                equalityMultipliers: nu, inequalityMultipliers: lambda,
                lowerBoundMultipliers: zl, upperBoundMultipliers: zu,
                residuals: residuals, activeSet: set, infeasibility: nil)
        }
        return nil
    }
}

/// One pass of the bound part of an active-set iteration: an active bound whose multiplier has
/// the wrong sign (beyond `dualTolerance`) leaves the working set; a free variable outside its
/// bounds (beyond `primalTolerance`, relative to the bound) enters it. Fixed variables (l = u)
/// are untouched. Returns whether anything changed.
///
/// - Complexity: O(n).
func updateBoundWorkingSet(
    x: [Double], gradient: [Double], lowerBounds l: [Double], upperBounds u: [Double], fixed: [Bool],
    lower: inout [Bool], upper: inout [Bool], primalTolerance: Double, dualTolerance: Double
) -> Bool {
    var changed = false
    for i in x.indices where !fixed[i] {
        if lower[i] {
            if gradient[i] < -dualTolerance { lower[i] = false; changed = true }
        } else if upper[i] {
            if -gradient[i] < -dualTolerance { upper[i] = false; changed = true }
        } else if x[i] < l[i] - primalTolerance * (1 + abs(l[i])) {
            lower[i] = true; changed = true
        } else if x[i] > u[i] + primalTolerance * (1 + abs(u[i])) {
            upper[i] = true; changed = true
        }
    }
    return changed
}

/// The multipliers of the lower and upper bounds at a working set's solution: the gradient's
/// sign split for fixed variables (l = u), the gradient itself at an active lower bound, its
/// negation at an active upper bound, zero for free variables.
///
/// - Complexity: O(n).
func boundMultipliers(gradient: [Double], fixed: [Bool], lower: [Bool], upper: [Bool]) -> (lower: [Double], upper: [Double]) {
    var zl = [Double](repeating: 0, count: gradient.count), zu = [Double](repeating: 0, count: gradient.count)
    for i in gradient.indices {
        if fixed[i] {
            zl[i] = Swift.max(gradient[i], 0); zu[i] = Swift.max(-gradient[i], 0)
        } else if lower[i] {
            zl[i] = gradient[i]
        } else if upper[i] {
            zu[i] = -gradient[i]
        }
    }
    return (zl, zu)
}
