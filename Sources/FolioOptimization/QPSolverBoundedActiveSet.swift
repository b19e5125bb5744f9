import FolioLinearAlgebra

/// The lean primal-dual active-set iteration for programs with equalities and bounds only
/// (no rows of G): every long-only budget problem (minimum variance, maximum utility,
/// maximum Sharpe after homogenization).
///
/// Each iteration gathers Q_FF once, factors it once (Cholesky), solves for the free
/// variables and the equality multipliers through the Schur complement A_F Q_FF⁻¹ A_Fᵀ
/// (mₑ x mₑ), and refines once with the same factor (Hintermüller, Ito & Kunisch, SIAM J.
/// Optim. 13, 2003; Nocedal & Wright, *Numerical Optimization*, §16.2 for the range-space
/// solve). Returns nil when Q_FF is not numerically positive definite or the iteration
/// cycles, so that the general engine takes over. (`QPMethod.boundedActiveSet`.)
struct BoundedActiveSet {
    let workspace: QPWorkspace

    /// Runs the iteration from `start`.
    ///
    /// - Complexity: per iteration n_F³/3 + O(n² + n_F²·mₑ).
    func run(from start: QPActiveSet, maximumIterations: Int, iterations: inout Int) -> QPSolution? {
        let problem = workspace.problem, tolerance = workspace.tolerance, n = workspace.n, me = workspace.me, fixed = workspace.fixed
        let l = problem.lowerBounds, u = problem.upperBounds
        var lower = [Bool](repeating: false, count: n)
        var upper = [Bool](repeating: false, count: n)
        for i in start.atLower where i < n && l[i].isFinite { lower[i] = true }
        for i in start.atUpper where i < n && u[i].isFinite && !lower[i] { upper[i] = true }
        for i in 0..<n where fixed[i] { lower[i] = true; upper[i] = false }
        var seen = Set<Int>()
        let primalTolerance = tolerance * QPTolerances.classificationFraction
        let a = problem.equalityMatrix
        let qe = problem.quadratic.elements, ae = a.elements
        let linear = problem.linear, b = problem.equalityBounds

        for _ in 0..<maximumIterations {
            iterations += 1
            var hasher = Hasher()
            hasher.combine(lower); hasher.combine(upper)
            guard seen.insert(hasher.finalize()).inserted else { return nil }

            var free: [Int] = []
            free.reserveCapacity(n)
            var x = [Double](repeating: 0, count: n)
            for i in 0..<n {
                if lower[i] { x[i] = l[i] } else if upper[i] { x[i] = u[i] } else { free.append(i) }
            }
            let nf = free.count
            // Q x_B over the bound variables that are not zero.
            let qxb = sparseProduct(qe, x)  // x is zero on the free variables
            // r₂ = b − A x_B.
            var r2 = b
            for j in 0..<n where (lower[j] || upper[j]) && x[j] != 0 {
                for r in 0..<me { r2[r] -= ae[r + j * me] * x[j] }
            }
            var nu = [Double](repeating: 0, count: me)
            if nf == 0 {
                if r2.contains(where: { abs($0) > primalTolerance }) { return nil }
                if me > 0 { return nil }
            } else {
                // Q_FF, and the right-hand sides [r₁ | A_Fᵀ].
                var h = [Double](repeating: 0, count: nf * nf)
                var rhs = [Double](repeating: 0, count: nf * (1 + me))
                qe.withUnsafeBufferPointer { qp in
                    h.withUnsafeMutableBufferPointer { hp in
                        for (jj, j) in free.enumerated() {
                            let src = j * n, dst = jj * nf
                            for (ii, i) in free.enumerated() { hp[dst + ii] = qp[src + i] }
                        }
                    }
                }
                for (jj, j) in free.enumerated() {
                    rhs[jj] = -(linear[j] + qxb[j])
                    for r in 0..<me { rhs[jj + (1 + r) * nf] = ae[r + j * me] }
                }
                guard let chol = try? Cholesky(Matrix(rows: nf, columns: nf, columnMajor: h)),
                      chol.reciprocalConditionNumber() > QPTolerances.hessianReciprocalCondition else { return nil }
                let solved = chol.solve(Matrix(rows: nf, columns: 1 + me, columnMajor: rhs)).elements
                // Schur complement S = A_F Q_FF⁻¹ A_Fᵀ.
                var s = [Double](repeating: 0, count: me * me)
                var sr = [Double](repeating: 0, count: me)
                for r in 0..<me {
                    for c in 0..<me {
                        var acc = 0.0
                        for ff in 0..<nf { acc += rhs[ff + (1 + r) * nf] * solved[ff + (1 + c) * nf] }
                        s[r + c * me] = acc
                    }
                    var acc = 0.0
                    for ff in 0..<nf { acc += rhs[ff + (1 + r) * nf] * solved[ff] }
                    sr[r] = acc - r2[r]
                }
                guard let eta = solveSmall(s, sr, me) else { return nil }
                var xf = [Double](repeating: 0, count: nf)
                for ff in 0..<nf {
                    var v = solved[ff]
                    for r in 0..<me { v -= solved[ff + (1 + r) * nf] * eta[r] }
                    xf[ff] = v
                }
                nu = eta
                // One step of iterative refinement with the same factor.
                var res1 = [Double](repeating: 0, count: nf)
                var res2 = r2
                h.withUnsafeBufferPointer { hp in
                    for ff in 0..<nf {
                        var v = rhs[ff]
                        for r in 0..<me { v -= rhs[ff + (1 + r) * nf] * nu[r] }
                        res1[ff] = v
                    }
                    for jj in 0..<nf {
                        let v = xf[jj], base = jj * nf
                        for ii in 0..<nf { res1[ii] -= hp[base + ii] * v }
                        for r in 0..<me { res2[r] -= rhs[jj + (1 + r) * nf] * v }
                    }
                }
                let d1 = chol.solve(res1)
                var dr = [Double](repeating: 0, count: me)
                for r in 0..<me {
                    var acc = 0.0
                    for ff in 0..<nf { acc += rhs[ff + (1 + r) * nf] * d1[ff] }
                    dr[r] = acc - res2[r]
                }
                if let de = solveSmall(s, dr, me) {
                    for ff in 0..<nf {
                        var v = d1[ff]
                        for r in 0..<me { v -= solved[ff + (1 + r) * nf] * de[r] }
                        xf[ff] += v
                    }
                    for r in 0..<me { nu[r] += de[r] }
                }
                for (jj, j) in free.enumerated() { x[j] = xf[jj] }
            }
            guard x.allSatisfy(\.isFinite), nu.allSatisfy(\.isFinite) else { return nil }

            let qx = sparseProduct(qe, x)
            var gradient = qx
            gradient.addScaled(linear, by: 1)
            if me > 0 { gradient.addScaled(a.multiplied(by: nu, transposingSelf: true), by: 1) }
            var xMax = 0.0
            for v in x { xMax = Swift.max(xMax, abs(v)) }
            let dualTolerance = workspace.dualTolerance(xMax: xMax)

            let changed = updateBoundWorkingSet(x: x, gradient: gradient, lowerBounds: l, upperBounds: u, fixed: fixed,
                                               lower: &lower, upper: &upper,
                                               primalTolerance: primalTolerance, dualTolerance: dualTolerance)
            if changed { continue }

            let (zl, zu) = boundMultipliers(gradient: gradient, fixed: fixed, lower: lower, upper: upper)
            let residuals = problem.kktResiduals(
                x: x, equalityMultipliers: nu, inequalityMultipliers: [],
                lowerBoundMultipliers: zl, upperBoundMultipliers: zu, quadraticTimesX: qx)
            let set = QPActiveSet(atLower: Set((0..<n).filter { lower[$0] }), atUpper: Set((0..<n).filter { upper[$0] }))
            return QPSolution(
                status: .optimal, iterations: iterations, objective: 0.5 * x.dot(qx) + linear.dot(x) + problem.constant, x: x,
                equalityMultipliers: nu, inequalityMultipliers: [],
                lowerBoundMultipliers: zl, upperBoundMultipliers: zu,
                residuals: residuals, activeSet: set, infeasibility: nil)
        }
        return nil
    }
}

/// Solves the small symmetric system S x = r (m x m): Cholesky when positive definite,
/// else Bunch-Kaufman; nil when singular.
private func solveSmall(_ s: [Double], _ r: [Double], _ m: Int) -> [Double]? {
    if m == 0 { return [] }
    if m == 1 {
        guard s[0] > 0, s[0].isFinite else { return nil }
        return [r[0] / s[0]]
    }
    let matrix = Matrix(rows: m, columns: m, columnMajor: s)
    if let chol = try? Cholesky(matrix), chol.reciprocalConditionNumber() > QPTolerances.schurReciprocalCondition { return chol.solve(r) }
    guard let x = try? matrix.solveSymmetricIndefinite(Matrix(rows: m, columns: 1, columnMajor: r)), x.isFinite else { return nil }
    return x.elements
}

/// The primal active-set engine (`QPMethod.freeSetPrimal`).
struct FreeSetPrimal {
    let workspace: QPWorkspace

    /// A primal active-set method for one equality aᵀx = b and bounds with finite lower
    /// bounds (Nocedal & Wright, *Numerical Optimization*, Algorithm 16.3), started from a
    /// feasible vertex filled greedily in increasing order of Q_ii/aᵢ²; one index enters or
    /// leaves per iteration and the inverse of Q_FF is updated, not refactored. Returns the
    /// active set it ends with, which `BoundedActiveSet` then certifies (or nil when it cannot
    /// start, meets a singular Q_FF or runs out of iterations).
    ///
    /// - Complexity: per iteration O(n·n_F + n_F²); about twice as many iterations as
    ///   variables off their bounds at the solution.
    func run(maximumIterations: Int, iterations: inout Int) -> QPActiveSet? {
        let problem = workspace.problem, tolerance = workspace.tolerance, scale = workspace.scale, n = workspace.n, me = workspace.me, mi = workspace.mi, fixed = workspace.fixed
        guard me == 1, mi == 0, n > 0 else { return nil }
        let l = problem.lowerBounds, u = problem.upperBounds
        guard l.allSatisfy(\.isFinite) else { return nil }
        let qe = problem.quadratic.elements
        var a = [Double](repeating: 0, count: n)
        for i in 0..<n { a[i] = problem.equalityMatrix.elements[i] }
        let b = problem.equalityBounds[0]
        // −1 lower, +1 upper, 0 free.
        var state = [Int8](repeating: -1, count: n)
        var x = l
        var residual = b
        for i in 0..<n { residual -= a[i] * l[i] }
        let candidates = (0..<n).filter { !fixed[$0] && (residual >= 0 ? a[$0] > 0 : a[$0] < 0) }
            .sorted { qe[$0 + $0 * n] / (a[$0] * a[$0]) < qe[$1 + $1 * n] / (a[$1] * a[$1]) }
        var firstFree = -1
        if residual == 0 {
            firstFree = (0..<n).filter { !fixed[$0] && a[$0] != 0 }.min { qe[$0 + $0 * n] / (a[$0] * a[$0]) < qe[$1 + $1 * n] / (a[$1] * a[$1]) } ?? -1
        } else {
            for i in candidates {
                let room = (u[i] - l[i]) * abs(a[i])
                if abs(residual) <= room {
                    x[i] = l[i] + residual / a[i]
                    residual = 0
                    firstFree = i
                    break
                }
                x[i] = u[i]
                state[i] = 1
                residual -= (u[i] - l[i]) * a[i]
            }
        }
        guard firstFree >= 0, residual == 0 else { return nil }
        state[firstFree] = 0
        var factor = FreeSetInverse(q: qe, n: n)
        guard factor.enter(firstFree) else { return nil }
        // g = Qx + c over the nonzero entries of x.
        var g = problem.linear
        g.addScaledColumns(of: qe, scaledBy: x)
        let dualTolerance = tolerance * QPTolerances.classificationFraction * scale
        for _ in 0..<maximumIterations {
            iterations += 1
            let free = factor.free, nf = free.count
            var rhs = [Double](repeating: 0, count: 2 * nf)
            for f in 0..<nf { rhs[f] = g[free[f]]; rhs[nf + f] = a[free[f]] }
            let solved = factor.solve(rhs, columns: 2)
            var ag = 0.0, aa = 0.0
            for f in 0..<nf { ag += rhs[nf + f] * solved[f]; aa += rhs[nf + f] * solved[nf + f] }
            guard aa > 0, aa.isFinite else { return nil }
            let nu = -ag / aa
            var p = [Double](repeating: 0, count: nf)
            var stepSize = 0.0, size = 0.0
            for f in 0..<nf {
                p[f] = -(solved[f] + nu * solved[nf + f])
                stepSize = Swift.max(stepSize, abs(p[f]))
                size = Swift.max(size, abs(x[free[f]]))
            }
            if stepSize <= QPTolerances.stationaryStep * (1 + size) {
                // Stationary on this face: the bound with the most negative multiplier leaves.
                var worst = -dualTolerance, entering = -1
                for j in 0..<n where state[j] != 0 && !fixed[j] {
                    let z = g[j] + nu * a[j]
                    let violation = state[j] < 0 ? z : -z
                    if violation < worst { worst = violation; entering = j }
                }
                if entering < 0 {
                    return QPActiveSet(atLower: Set((0..<n).filter { state[$0] < 0 }),
                                       atUpper: Set((0..<n).filter { state[$0] > 0 }))
                }
                guard factor.enter(entering) else { return nil }
                state[entering] = 0
                continue
            }
            // Step towards the face's minimizer, stopping at the first bound.
            var alpha = 1.0, blocking = -1, blockingUpper = false
            for f in 0..<nf {
                let i = free[f]
                if p[f] < 0 {
                    let t = (l[i] - x[i]) / p[f]
                    if t < alpha { alpha = Swift.max(t, 0); blocking = i; blockingUpper = false }
                } else if p[f] > 0 && u[i].isFinite {
                    let t = (u[i] - x[i]) / p[f]
                    if t < alpha { alpha = Swift.max(t, 0); blocking = i; blockingUpper = true }
                }
            }
            let step = p.map { alpha * $0 }
            for f in 0..<nf { x[free[f]] += step[f] }
            g.addScaledColumns(of: qe, columns: free, scaledBy: step)
            if blocking >= 0 {
                x[blocking] = blockingUpper ? u[blocking] : l[blocking]
                state[blocking] = blockingUpper ? 1 : -1
                factor.leave(blocking)
                if factor.count == 0 { return nil }
            }
        }
        return nil
    }
}
