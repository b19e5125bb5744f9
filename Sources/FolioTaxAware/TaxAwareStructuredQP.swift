import FolioLinearAlgebra
import FolioOptimization

/// The tax-aware program in the structure it has, for a solver that uses it:
///
///     minimize    ½ xᵀ(α·I + P·Pᵀ)x + cᵀx
///     subject to  C x ≤ h,   0 ≤ x ≤ u,
///
/// with x the n trade values (fractions of the household value), α the impact coefficient,
/// P (n x r) a square-root factor of the tracking Hessian 2λ·JᵀΣJ (r ≤ K classes: row v of P is
/// ±L[class(v), ·] with 2λΣ = L·Lᵀ), and C a few dense rows (cash per account, the gain
/// budget, turnover, class bands). Upper bounds `u` are the lot values of sales and infinite
/// for buys.
///
/// The Newton system of an interior-point iteration on this program is a diagonal plus a
/// matrix of rank r + rows(C); ``LowRankPlusDiagonal`` solves it with the Woodbury identity in
/// O(n·(r + m)²), against O(n³) for a dense factorization.
struct TaxAwareStructuredQP: Sendable {
    /// The number of variables n.
    let n: Int
    /// The diagonal part α of the Hessian (> 0).
    let alpha: Double
    /// The columns of P, each n values: the Hessian is α·I + Σ_j p_j·p_jᵀ.
    let factor: [[Double]]
    /// The linear term c.
    let linear: [Double]
    /// Upper bounds (`.infinity` for none); every lower bound is 0.
    let upper: [Double]
    /// The inequality rows C, each n values.
    let rows: [[Double]]
    /// The right-hand sides h.
    let rhs: [Double]

    /// H·v.
    /// - Complexity: O(n·r).
    func hessian(times v: [Double]) -> [Double] {
        var out = v.map { alpha * $0 }
        for p in factor { out.axpy(p.dot(v), p) }
        return out
    }

    /// ½ xᵀHx + cᵀx.
    /// - Complexity: O(n·r).
    func objective(_ x: [Double]) -> Double {
        var value = 0.5 * alpha * x.dot(x) + linear.dot(x)
        for p in factor { let d = p.dot(x); value += 0.5 * d * d }
        return value
    }
}

/// A symmetric positive-definite matrix D + Σ_k u_k·u_kᵀ (D diagonal positive, a few vectors
/// u_k), factored for solves by the Woodbury identity:
/// (D + UᵀU)⁻¹ = D⁻¹ − D⁻¹Uᵀ(I + U·D⁻¹·Uᵀ)⁻¹U·D⁻¹, with the small capacitance matrix
/// I + U·D⁻¹·Uᵀ (eigenvalues ≥ 1) factored by Cholesky.
///
/// Reference: Nocedal & Wright, *Numerical Optimization* (2nd ed., 2006), §16.6 and (A.28).
struct LowRankPlusDiagonal {
    let diagonal: [Double]
    let vectors: [[Double]]
    private let scaled: [[Double]]   // D⁻¹u_k
    private let capacitance: Cholesky?

    /// Factors D + Σ u_k·u_kᵀ.
    /// - Throws: ``LinearAlgebraError`` when the capacitance matrix is not positive definite
    ///   (only with non-finite data).
    /// - Complexity: O(n·k²) plus k³/3.
    init(diagonal: [Double], vectors: [[Double]]) throws(LinearAlgebraError) {
        self.diagonal = diagonal
        self.vectors = vectors
        let scaled = vectors.map { u in zip(u, diagonal).map { $0 / $1 } }
        self.scaled = scaled
        let k = vectors.count
        guard k > 0 else { capacitance = nil; return }
        var m = [Double](repeating: 0, count: k * k)
        for i in 0..<k {
            for j in 0...i {
                let v = vectors[i].dot(scaled[j]) + (i == j ? 1 : 0)
                m[i + j * k] = v
                m[j + i * k] = v
            }
        }
        capacitance = try Cholesky(Matrix(rows: k, columns: k, columnMajor: m))
    }

    /// (D + UᵀU)·x.
    /// - Complexity: O(n·k).
    func times(_ x: [Double]) -> [Double] {
        var out = zip(diagonal, x).map(*)
        for u in vectors { out.axpy(u.dot(x), u) }
        return out
    }

    /// Solves (D + UᵀU)·x = b, with up to four steps of iterative refinement (the capacitance
    /// matrix grows ill-conditioned as constraints become active late in an interior-point solve).
    /// - Complexity: O(n·k + k²).
    func solve(_ b: [Double]) -> [Double] {
        var x = once(b)
        let size = b.reduce(0) { Swift.max($0, abs($1)) }
        for _ in 0..<4 {
            let residual = zip(b, times(x)).map(-)
            guard residual.reduce(0, { Swift.max($0, abs($1)) }) > 1e-15 * size else { break }
            let correction = once(residual)
            for i in x.indices { x[i] += correction[i] }
        }
        return x
    }

    private func once(_ b: [Double]) -> [Double] {
        var x = zip(b, diagonal).map { $0 / $1 }
        guard let capacitance else { return x }
        let t = capacitance.solve(vectors.map { $0.dot(x) })
        for (k, s) in scaled.enumerated() { x.axpy(-t[k], s) }
        return x
    }
}

/// A point of the structured program with its multipliers: z ≥ 0 of x ≥ 0, y ≥ 0 of x ≤ u
/// (zero where u is infinite), λ ≥ 0 of C x ≤ h.
struct TaxAwarePrimalDual: Sendable {
    var x: [Double]
    var z: [Double]
    var y: [Double]
    var lambda: [Double]

    /// The active set this point identifies (a bound or row is active when its slack is
    /// below its multiplier).
    func activeSet(_ program: TaxAwareStructuredQP) -> QPActiveSet {
        var set = QPActiveSet()
        for i in 0..<program.n {
            if x[i] <= z[i] { set.atLower.insert(i) } else if program.upper[i].isFinite && program.upper[i] - x[i] <= y[i] { set.atUpper.insert(i) }
        }
        for (r, row) in program.rows.enumerated() where program.rhs[r] - row.dot(x) <= lambda[r] {
            set.activeInequalities.insert(r)
        }
        return set
    }

    /// The KKT residuals of this point (infinity norms, in the program's units).
    /// - Complexity: O(n·(r + m)).
    func residuals(_ program: TaxAwareStructuredQP) -> KKTResiduals {
        var stationarity = program.hessian(times: x)
        for i in 0..<program.n { stationarity[i] += program.linear[i] - z[i] + y[i] }
        var primal = 0.0, complementarity = 0.0, wrongSign = 0.0
        for (r, row) in program.rows.enumerated() {
            stationarity.axpy(lambda[r], row)
            let slack = program.rhs[r] - row.dot(x)
            primal = Swift.max(primal, -slack)
            complementarity = Swift.max(complementarity, abs(lambda[r] * slack))
            wrongSign = Swift.max(wrongSign, -lambda[r])
        }
        for i in 0..<program.n {
            primal = Swift.max(primal, -x[i], x[i] - program.upper[i])
            complementarity = Swift.max(complementarity, abs(z[i] * x[i]))
            if program.upper[i].isFinite { complementarity = Swift.max(complementarity, abs(y[i] * (program.upper[i] - x[i]))) }
            wrongSign = Swift.max(wrongSign, -z[i], -y[i])
        }
        let dual = stationarity.reduce(0) { Swift.max($0, abs($1)) }
        return KKTResiduals(primalFeasibility: primal, dualFeasibility: Swift.max(dual, wrongSign), complementarity: complementarity)
    }
}

/// How a structured solve ended.
struct TaxAwareStructuredOutcome: Sendable {
    var point: TaxAwarePrimalDual
    var residuals: KKTResiduals
    var iterations: Int
    var converged: Bool
}

/// A primal-dual interior-point method for ``TaxAwareStructuredQP`` (Mehrotra's
/// predictor-corrector, one step length for primal and dual), each Newton system solved by
/// ``LowRankPlusDiagonal`` in O(n·(r + m)²); then an active-set polish that solves the
/// equality-constrained program of the identified active set exactly (primal-dual active-set
/// iterations, Hintermüller, Ito & Kunisch, SIAM J. Optim. 13, 2003), so the answer is the KKT
/// point of its active set to machine precision. A warm start skips the interior point and
/// runs the polish from a nearby program's active set; when that does not settle it starts cold.
///
/// References: Mehrotra, "On the implementation of a primal-dual interior point method",
/// SIAM J. Optim. 2 (1992); Nocedal & Wright, *Numerical Optimization* (2nd ed., 2006),
/// §16.6 (interior-point methods for QP) and Algorithm 16.3.
struct TaxAwareStructuredSolver {
    var maximumIterations = 200
    var tolerance = 1e-13
    var maximumPolishRounds = 12
    /// The residual level below which the interior point starts trying the polish.
    var polishFrom = 1e-9

    /// Solves `program`, from `warmStart`'s active set when given.
    /// - Complexity: per interior-point iteration O(n·(r + m)²); per polish round
    ///   O(n·(r + a)²) with a the active rows.
    func solve(_ program: TaxAwareStructuredQP, warmStart: QPActiveSet? = nil) -> TaxAwareStructuredOutcome {
        var iterations = 0
        if let warmStart, let polished = polish(program, from: warmStart, iterations: &iterations) {
            return TaxAwareStructuredOutcome(point: polished, residuals: polished.residuals(program), iterations: iterations, converged: true)
        }
        var outcome = interiorPoint(program)
        outcome.iterations += iterations
        return outcome
    }

    /// Mehrotra's predictor-corrector from a centred infeasible start. Once the residuals are
    /// small (below `polishFrom`), each iteration tries the polish from the active set the
    /// point identifies and stops at the first exact KKT point: late interior-point steps lose
    /// accuracy as the barrier terms spread over many orders of magnitude, the polish does not.
    func interiorPoint(_ p: TaxAwareStructuredQP) -> TaxAwareStructuredOutcome {
        let n = p.n, m = p.rows.count
        let hasUpper = p.upper.map(\.isFinite)
        let start = 1.0 / Double(Swift.max(n, 1))
        var x = (0..<n).map { hasUpper[$0] ? Swift.min(start, 0.5 * p.upper[$0]) : start }
        var t = (0..<n).map { hasUpper[$0] ? p.upper[$0] - x[$0] : 1 }
        var s = (0..<m).map { r in Swift.max(p.rhs[r] - p.rows[r].dot(x), 1e-2 * (1 + abs(p.rhs[r]))) }
        var z = [Double](repeating: 1, count: n)
        var y = hasUpper.map { $0 ? 1.0 : 0 }
        var lambda = [Double](repeating: 1, count: m)
        let pairs = Double(n + hasUpper.filter { $0 }.count + m)
        let scaleC = 1 + p.linear.reduce(0) { Swift.max($0, abs($1)) }
        let scaleH = 1 + p.rhs.reduce(0) { Swift.max($0, abs($1)) }
        var previous: (x: [Double], z: [Double], t: [Double], y: [Double], s: [Double], lambda: [Double])?
        var iteration = 0, stalled = 0
        var converged = false
        while iteration < maximumIterations {
            // Residuals.
            var rd = p.hessian(times: x)
            for i in 0..<n { rd[i] += p.linear[i] - z[i] + y[i] }
            for r in 0..<m { rd.axpy(lambda[r], p.rows[r]) }
            let rp = (0..<m).map { p.rows[$0].dot(x) + s[$0] - p.rhs[$0] }
            let ru = (0..<n).map { hasUpper[$0] ? x[$0] + t[$0] - p.upper[$0] : 0 }
            var mu = 0.0
            for i in 0..<n { mu += x[i] * z[i] + (hasUpper[i] ? t[i] * y[i] : 0) }
            for r in 0..<m { mu += s[r] * lambda[r] }
            mu /= Swift.max(pairs, 1)
            let dualNorm = rd.reduce(0) { Swift.max($0, abs($1)) }
            let primalNorm = Swift.max(rp.reduce(0) { Swift.max($0, abs($1)) }, ru.reduce(0) { Swift.max($0, abs($1)) })
            if dualNorm <= polishFrom * scaleC && primalNorm <= polishFrom * scaleH && mu <= polishFrom, let previous {
                // Tapia's indicators (El-Bakry, Tapia & Zhang, 1994), free of the units of x and
                // of the multipliers: a constraint is active when its slack shrank by more than
                // its multiplier in the last step.
                var set = QPActiveSet()
                for i in 0..<n {
                    if x[i] / previous.x[i] < z[i] / previous.z[i] {
                        set.atLower.insert(i)
                    } else if hasUpper[i] && t[i] / previous.t[i] < y[i] / previous.y[i] {
                        set.atUpper.insert(i)
                    }
                }
                for r in 0..<m where s[r] / previous.s[r] < lambda[r] / previous.lambda[r] { set.activeInequalities.insert(r) }
                var rounds = 0
                if let polished = polish(p, from: set, iterations: &rounds) {
                    return TaxAwareStructuredOutcome(point: polished, residuals: polished.residuals(p), iterations: iteration + rounds, converged: true)
                }
            }
            if dualNorm <= tolerance * scaleC && primalNorm <= tolerance * scaleH && mu <= tolerance {
                converged = true
                break
            }
            if stalled >= 3 { break }
            iteration += 1
            // The Newton system, reduced to [M₀ Cᵀ; C −S/Λ]·[Δx; Δλ] with M₀ = D + P·Pᵀ (D the
            // impact plus the bounds' barrier terms) solved by Woodbury, then the Schur
            // complement C·M₀⁻¹·Cᵀ + S/Λ on the few rows. Keeping the rows out of the low-rank
            // part keeps the capacitance matrix bounded as rows become active (λ/s → ∞).
            var diagonal = [Double](repeating: p.alpha, count: n)
            for i in 0..<n { diagonal[i] += z[i] / x[i] + (hasUpper[i] ? y[i] / t[i] : 0) }
            guard let matrix = try? LowRankPlusDiagonal(diagonal: diagonal, vectors: p.factor) else { break }
            let w = p.rows.map { matrix.solve($0) }
            var schurElements = [Double](repeating: 0, count: m * m)
            for i in 0..<m {
                for j in 0...i {
                    let v = p.rows[i].dot(w[j]) + (i == j ? s[i] / lambda[i] : 0)
                    schurElements[i + j * m] = v
                    schurElements[j + i * m] = v
                }
            }
            let schur: Cholesky?
            if m > 0 {
                guard let factor = try? Cholesky(Matrix(rows: m, columns: m, columnMajor: schurElements)) else { break }
                schur = factor
            } else {
                schur = nil
            }

            typealias Step = (dx: [Double], dz: [Double], dt: [Double], dy: [Double], ds: [Double], dl: [Double])
            // One Newton solve for complementarity targets rxz = σμ − xz − …, and so on.
            func newton(_ rxz: [Double], _ rty: [Double], _ rsl: [Double]) -> Step {
                var b = rd.map { -$0 }
                for i in 0..<n {
                    b[i] += rxz[i] / x[i]
                    if hasUpper[i] { b[i] -= (rty[i] + y[i] * ru[i]) / t[i] }
                }
                var dx = matrix.solve(b)
                var dl = [Double](repeating: 0, count: m)
                if let schur {
                    dl = schur.solve((0..<m).map { p.rows[$0].dot(dx) + rp[$0] + rsl[$0] / lambda[$0] })
                    for r in 0..<m { dx.axpy(-dl[r], w[r]) }
                }
                var dz = [Double](repeating: 0, count: n), dt = dz, dy = dz
                for i in 0..<n {
                    dz[i] = (rxz[i] - z[i] * dx[i]) / x[i]
                    if hasUpper[i] {
                        dt[i] = -ru[i] - dx[i]
                        dy[i] = (rty[i] - y[i] * dt[i]) / t[i]
                    }
                }
                let ds = (0..<m).map { -rp[$0] - p.rows[$0].dot(dx) }
                return (dx, dz, dt, dy, ds, dl)
            }
            func longest(_ d: Step) -> Double {
                var step = 1.0
                func bound(_ v: [Double], _ dv: [Double]) {
                    for i in dv.indices where dv[i] < 0 { step = Swift.min(step, -v[i] / dv[i]) }
                }
                bound(x, d.dx); bound(z, d.dz); bound(s, d.ds); bound(lambda, d.dl)
                for i in 0..<n where hasUpper[i] {
                    if d.dt[i] < 0 { step = Swift.min(step, -t[i] / d.dt[i]) }
                    if d.dy[i] < 0 { step = Swift.min(step, -y[i] / d.dy[i]) }
                }
                return step
            }
            // Predictor (affine scaling).
            let xz = (0..<n).map { -x[$0] * z[$0] }
            let ty = (0..<n).map { hasUpper[$0] ? -t[$0] * y[$0] : 0 }
            let sl = (0..<m).map { -s[$0] * lambda[$0] }
            let affine = newton(xz, ty, sl)
            let aAff = longest(affine)
            var muAff = 0.0
            for i in 0..<n {
                muAff += (x[i] + aAff * affine.dx[i]) * (z[i] + aAff * affine.dz[i])
                if hasUpper[i] { muAff += (t[i] + aAff * affine.dt[i]) * (y[i] + aAff * affine.dy[i]) }
            }
            for r in 0..<m { muAff += (s[r] + aAff * affine.ds[r]) * (lambda[r] + aAff * affine.dl[r]) }
            muAff /= Swift.max(pairs, 1)
            let ratio = mu > 0 ? muAff / mu : 0
            let sigmaMu = Swift.min(1, ratio * ratio * ratio) * mu
            // Corrector (centring plus the second-order term).
            let step = newton(
                (0..<n).map { sigmaMu + xz[$0] - affine.dx[$0] * affine.dz[$0] },
                (0..<n).map { hasUpper[$0] ? sigmaMu + ty[$0] - affine.dt[$0] * affine.dy[$0] : 0 },
                (0..<m).map { sigmaMu + sl[$0] - affine.ds[$0] * affine.dl[$0] })
            let a = Swift.min(1, 0.99 * longest(step))
            previous = (x, z, t, y, s, lambda)
            stalled = a < 1e-8 ? stalled + 1 : 0
            x.axpy(a, step.dx); z.axpy(a, step.dz); s.axpy(a, step.ds); lambda.axpy(a, step.dl)
            for i in 0..<n where hasUpper[i] {
                t[i] += a * step.dt[i]
                y[i] += a * step.dy[i]
            }
            guard x.allSatisfy(\.isFinite), z.allSatisfy(\.isFinite), lambda.allSatisfy(\.isFinite) else { break }
        }
        // Report a point inside the bounds (the slacks t, s carry the last primal residual).
        let point = TaxAwarePrimalDual(
            x: (0..<n).map { Swift.min(Swift.max(0, x[$0]), p.upper[$0]) }, z: z, y: y, lambda: lambda)
        return TaxAwareStructuredOutcome(point: point, residuals: point.residuals(p), iterations: iteration, converged: converged)
    }

    /// Primal-dual active-set iterations from `start`: solve the equality-constrained program
    /// of the working set exactly, then add every violated bound or row and drop every
    /// wrong-signed multiplier, until the set repeats (a KKT point) or the rounds run out.
    /// - Returns: the KKT point, or nil when the rounds ran out or a system was singular.
    func polish(_ p: TaxAwareStructuredQP, from start: QPActiveSet, iterations: inout Int) -> TaxAwarePrimalDual? {
        var set = start
        let n = p.n
        // Tolerances in the program's units: values are fractions of the household, the
        // objective is scaled to unit size.
        let feasibility = 1e-12, sign = 1e-12
        for _ in 0..<maximumPolishRounds {
            iterations += 1
            guard let point = equalityPoint(p, set) else { return nil }
            var next = QPActiveSet()
            for i in 0..<n {
                if set.atLower.contains(i) {
                    if point.z[i] >= -sign { next.atLower.insert(i) }
                } else if set.atUpper.contains(i) {
                    if point.y[i] >= -sign { next.atUpper.insert(i) }
                } else if point.x[i] < -feasibility {
                    next.atLower.insert(i)
                } else if point.x[i] > p.upper[i] + feasibility {
                    next.atUpper.insert(i)
                }
            }
            for (r, row) in p.rows.enumerated() {
                if set.activeInequalities.contains(r) {
                    if point.lambda[r] >= -sign { next.activeInequalities.insert(r) }
                } else if row.dot(point.x) > p.rhs[r] + feasibility {
                    next.activeInequalities.insert(r)
                }
            }
            if next == set {
                for (r, row) in p.rows.enumerated() where row.dot(point.x) > p.rhs[r] + feasibility { return nil }
                var clean = point
                for i in 0..<n {
                    clean.x[i] = Swift.min(Swift.max(0, clean.x[i]), p.upper[i])
                    clean.z[i] = Swift.max(0, clean.z[i])
                    clean.y[i] = Swift.max(0, clean.y[i])
                }
                clean.lambda = clean.lambda.map { Swift.max(0, $0) }
                return clean
            }
            set = next
        }
        return nil
    }

    /// The KKT point of the program with the working set's bounds and rows held as equalities
    /// (other constraints ignored): H_FF·x_F + g + C_Aᵀμ = 0, C_A·x = h_A, solved through the
    /// Woodbury form of H_FF = α·I + P_F·P_Fᵀ and the Schur complement C_A·H_FF⁻¹·C_Aᵀ.
    /// - Complexity: O(n·(r + a)²) with a the active rows.
    func equalityPoint(_ p: TaxAwareStructuredQP, _ set: QPActiveSet) -> TaxAwarePrimalDual? {
        let n = p.n
        var x = [Double](repeating: 0, count: n)
        for i in set.atUpper { x[i] = p.upper[i] }
        let free = (0..<n).filter { !set.atLower.contains($0) && !set.atUpper.contains($0) }
        // An active row with no free variable is fixed by the bounds: it takes no multiplier
        // (its feasibility is checked with the inactive rows).
        let active = set.activeInequalities.sorted().filter { r in free.contains { p.rows[r][$0] != 0 } }
        // The gradient at the fixed values, restricted to the free variables.
        let gradient = p.hessian(times: x)
        let g = free.map { gradient[$0] + p.linear[$0] }
        var mu = [Double](repeating: 0, count: active.count)
        if !free.isEmpty {
            guard let h = try? LowRankPlusDiagonal(diagonal: Array(repeating: p.alpha, count: free.count),
                                                   vectors: p.factor.map { column in free.map { column[$0] } }) else { return nil }
            var xf = h.solve(g.map { -$0 })
            if !active.isEmpty {
                let rows = active.map { r in free.map { p.rows[r][$0] } }
                let fixedPart = active.map { r in p.rhs[r] - p.rows[r].dot(x) }
                let hInverseRows = rows.map { h.solve($0) }
                let a = active.count
                var schur = [Double](repeating: 0, count: a * a)
                for i in 0..<a { for j in 0..<a { schur[i + j * a] = rows[i].dot(hInverseRows[j]) } }
                guard let factor = try? Cholesky(Matrix(rows: a, columns: a, columnMajor: schur)),
                      factor.reciprocalConditionNumber() > 1e-14 else { return nil }
                // C_A·x_F = h̃ with x_F = −H⁻¹(g + C_Aᵀμ): S·μ = C_A·(−H⁻¹g) − h̃.
                mu = factor.solve((0..<a).map { rows[$0].dot(xf) - fixedPart[$0] })
                for (k, column) in hInverseRows.enumerated() { xf.axpy(-mu[k], column) }
            }
            for (k, i) in free.enumerated() { x[i] = xf[k] }
        } else if !active.isEmpty {
            return nil
        }
        // Bound multipliers from stationarity at the fixed variables.
        var full = p.hessian(times: x)
        for i in 0..<n { full[i] += p.linear[i] }
        for (k, r) in active.enumerated() { full.axpy(mu[k], p.rows[r]) }
        var z = [Double](repeating: 0, count: n), y = z
        for i in set.atLower { z[i] = full[i] }
        for i in set.atUpper { y[i] = -full[i] }
        var lambda = [Double](repeating: 0, count: p.rows.count)
        for (k, r) in active.enumerated() { lambda[r] = mu[k] }
        guard x.allSatisfy(\.isFinite) else { return nil }
        return TaxAwarePrimalDual(x: x, z: z, y: y, lambda: lambda)
    }
}

extension Array where Element == Double {
    /// self += a·v (BLAS `daxpy` through ``Swift/Array/addScaled(_:by:)``).
    /// - Complexity: O(n).
    @inline(__always)
    mutating func axpy(_ a: Double, _ v: [Double]) { addScaled(v, by: a) }
}
