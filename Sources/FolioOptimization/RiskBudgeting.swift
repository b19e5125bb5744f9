import Foundation
import FolioLinearAlgebra

/// Long-only risk budgeting: weights whose shares of portfolio risk equal given budgets;
/// equal risk contribution (ERC, "risk parity") when every budget is `1/N`.
///
/// Asset `i`'s risk contribution is `RCᵢ = wᵢ(Σw)ᵢ/σ` with `σ = √(wᵀΣw)`; the contributions
/// add up to `σ` (Euler). The allocator finds `w ≥ 0`, `Σwᵢ = 1` with `RCᵢ/σ = bᵢ`.
///
/// It solves Spinu's strictly convex problem `min ½xᵀΣx − Σ bᵢ log xᵢ` (whose unique
/// minimizer has `xᵢ(Σx)ᵢ = bᵢ`) and normalizes `w = x/Σxᵢ`:
/// - ``Method/coordinateDescent`` (default): cyclical coordinate descent in closed form
///   (Griveau-Billion, Richard & Roncalli 2013), each sweep followed by the exact rescaling
///   `xᵀΣx = 1`, which makes it converge in about ten sweeps on market data; O(N²) per sweep.
/// - ``Method/newton``: Newton's method with a backtracking line search on the same
///   objective (Spinu 2013); O(N³) per step, a handful of steps, for hard problems.
///
/// Both stop when `max |RCᵢ/σ − bᵢ| ≤ tolerance` (coordinate descent keeps `Σx` up to date
/// incrementally, with rounding drift of order `√(sweeps·N)·ε`; the tests recompute it).
///
/// ```swift
/// let erc = try RiskBudgeting().allocate(covariance: sigma)
/// let custom = try RiskBudgeting(budgets: [0.5, 0.3, 0.2]).allocate(covariance: sigma3)
/// ```
///
/// References: F. Spinu (2013), "An algorithm for computing risk parity weights", SSRN
/// 2297383. T. Griveau-Billion, J.-C. Richard, T. Roncalli (2013), "A fast algorithm for
/// computing high-dimensional risk parity portfolios", arXiv:1311.4057. J. Choi, R. Chen
/// (2022), "Improved iterative methods for solving risk parity portfolio", arXiv:2203.00148.
public struct RiskBudgeting: Sendable, Equatable {
    /// The algorithm used to solve Spinu's problem.
    public enum Method: Sendable, Equatable {
        /// Cyclical coordinate descent with per-sweep rescaling. O(N²) per sweep.
        case coordinateDescent
        /// Damped Newton with a backtracking line search. O(N³) per step.
        case newton
    }

    /// Risk budgets, one per asset, positive and summing to 1; `nil` for equal risk
    /// contribution (`1/N` each).
    public var budgets: [Double]?
    /// Convergence threshold on `max |RCᵢ/σ − bᵢ|` (dimensionless). Default 1e-10.
    public var tolerance: Double
    /// The most sweeps (or Newton steps) before throwing ``AllocationError/didNotConverge(iterations:error:)``.
    public var maximumIterations: Int
    /// The algorithm; coordinate descent by default.
    public var method: Method
    /// Whether to prove the covariance positive definite with a Cholesky factorization
    /// before solving (O(N³/3), which at large N costs several times the solve itself).
    ///
    /// Off by default: the solve reports a covariance that is not positive definite itself,
    /// when it makes `xᵀΣx ≤ 0` or stops converging, and a Cholesky factorization run only
    /// then names the failing minor (``AllocationError/notPositiveDefinite(minor:)``). An
    /// indefinite matrix on which the iteration happens to converge is caught only with the
    /// check on; covariances from ``FolioRisk`` estimators are positive semidefinite by
    /// construction.
    public var checksPositiveDefiniteness: Bool

    /// A risk-budgeting allocator.
    ///
    /// - Parameters:
    ///   - budgets: one positive budget per asset, summing to 1; `nil` (default) for ERC.
    ///   - tolerance: stop when `max |RCᵢ/σ − bᵢ| ≤ tolerance`; default 1e-10.
    ///   - maximumIterations: sweeps or Newton steps allowed; default 10,000.
    ///   - method: coordinate descent (default) or Newton.
    ///   - checksPositiveDefiniteness: run a Cholesky test first; default `false` (a failed
    ///     solve is diagnosed with one instead).
    public init(
        budgets: [Double]? = nil, tolerance: Double = 1e-10, maximumIterations: Int = 10_000,
        method: Method = .coordinateDescent, checksPositiveDefiniteness: Bool = false
    ) {
        precondition(tolerance > 0, "Tolerance must be positive")
        precondition(maximumIterations > 0, "Maximum iterations must be positive")
        self.budgets = budgets
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
        self.method = method
        self.checksPositiveDefiniteness = checksPositiveDefiniteness
    }

    /// The risk-budgeting weights for `covariance`.
    ///
    /// - Parameter covariance: an N x N symmetric positive-definite covariance of asset
    ///   returns (any consistent unit, e.g. daily); only ratios matter for the weights.
    /// - Returns: weights, risk contributions, iterations and the final error.
    /// - Throws: ``AllocationError/invalidBudget(asset:budget:)`` or
    ///   ``AllocationError/budgetsDoNotSumToOne(sum:)`` for bad budgets;
    ///   ``AllocationError/nonFiniteInput(what:row:column:)``,
    ///   ``AllocationError/asymmetricCovariance(row:column:difference:)``,
    ///   ``AllocationError/nonPositiveVariance(asset:variance:)`` or
    ///   ``AllocationError/notPositiveDefinite(minor:)`` for a bad covariance;
    ///   ``AllocationError/didNotConverge(iterations:error:)`` if the tolerance is not met.
    /// - Precondition: `covariance` is square and `budgets` (when given) has N entries.
    /// - Complexity: coordinate descent O(N²) per sweep, typically 8–12 sweeps at 1e-10;
    ///   Newton O(N³) per step; plus O(N³/3) for the optional positive-definiteness check
    ///   (and for the diagnosis of a failed solve).
    public func allocate(covariance: Matrix) throws(AllocationError) -> AllocationResult {
        precondition(covariance.isSquare, "Covariance must be square")
        let n = covariance.rows
        let b = budgets ?? [Double](repeating: 1 / Double(n), count: n)
        precondition(b.count == n, "One budget per asset")
        try Self.validateBudgets(b)
        let startProduct = try validateCovariance(covariance, inverseVolatilityProduct: method == .coordinateDescent)
        if n == 0 {
            return AllocationResult(weights: [], covariance: covariance, budgets: [], iterations: 0)
        }
        if checksPositiveDefiniteness { try Self.requirePositiveDefinite(covariance) }
        do {
            switch method {
            case .coordinateDescent:
                return try coordinateDescent(covariance, budgets: b, startProduct: startProduct)
            case .newton:
                return try newton(covariance, budgets: b)
            }
        } catch {
            // A failed solve: name the failing minor when the matrix is not positive definite.
            if !checksPositiveDefiniteness { try Self.requirePositiveDefinite(covariance) }
            throw error
        }
    }

    /// Throws ``AllocationError/notPositiveDefinite(minor:)`` unless a Cholesky factorization
    /// of `covariance` succeeds. O(N³/3).
    private static func requirePositiveDefinite(_ covariance: Matrix) throws(AllocationError) {
        do { _ = try Cholesky(covariance) } catch {
            if case .notPositiveDefinite(let minor, _, _) = error { throw .notPositiveDefinite(minor: minor) }
            throw .nonFiniteInput(what: "covariance", row: 0, column: 0)
        }
    }

    static func validateBudgets(_ b: [Double]) throws(AllocationError) {
        var sum = 0.0
        for (i, v) in b.enumerated() {
            guard v.isFinite, v > 0 else { throw .invalidBudget(asset: i, budget: v) }
            sum += v
        }
        if !b.isEmpty && abs(sum - 1) > 1e-8 { throw .budgetsDoNotSumToOne(sum: sum) }
    }

    // MARK: Coordinate descent

    private func coordinateDescent(_ covariance: Matrix, budgets b: [Double], startProduct: [Double]) throws(AllocationError) -> AllocationResult {
        let n = covariance.rows
        // Start from inverse volatility (uniform in correlation space, as Choi & Chen 2022),
        // whose product Σx came out of the validation pass; then rescale to xᵀΣx = 1.
        var x = (0..<n).map { 1 / covariance.elements[$0 + $0 * n].squareRoot() }
        var sx = startProduct
        var sweeps = 0
        var error = Double.infinity
        let result: Bool = covariance.elements.withUnsafeBufferPointer { sBuffer in
            let s = sBuffer.baseAddress!
            return x.withUnsafeMutableBufferPointer { xb in
                b.withUnsafeBufferPointer { bb in
                    var diagonal = [Double](repeating: 0, count: n)
                    for i in 0..<n { diagonal[i] = s[i + i * n] }
                    return diagonal.withUnsafeBufferPointer { db in
                        let xp = xb.baseAddress!, bp = bb.baseAddress!, d = db.baseAddress!
                        guard Self.rescale(xp, sx: &sx, n: n) else { return false }
                        while sweeps < maximumIterations {
                            sweeps += 1
                            sx.withUnsafeMutableBufferPointer { sxb in
                                let sxp = sxb.baseAddress!
                                for i in 0..<n {
                                    let dii = d[i]
                                    let c = sxp[i] - dii * xp[i]
                                    let root = (c * c + 4 * dii * bp[i]).squareRoot()
                                    // Stable root of dii·x² + c·x − bᵢ = 0 for either sign of c.
                                    let updated = c > 0 ? 2 * bp[i] / (root + c) : (root - c) / (2 * dii)
                                    let delta = updated - xp[i]
                                    xp[i] = updated
                                    if delta != 0 { axpy(sxp, s + i * n, delta, n) }
                                }
                            }
                            guard Self.rescale(xp, sx: &sx, n: n) else { return false }
                            error = Self.budgetError(xp, sx, bp, n)
                            // Σx is updated incrementally; its rounding drift, about
                            // √(sweeps·N)·ε relative, stays far below any useful tolerance.
                            if error <= tolerance { return true }
                        }
                        return true
                    }
                }
            }
        }
        guard result else { throw .notPositiveDefinite(minor: n) }
        guard error <= tolerance else { throw .didNotConverge(iterations: sweeps, error: error) }
        return Self.result(x: x, product: sx, budgets: b, iterations: sweeps)
    }

    /// Scales x (and Σx) so that xᵀΣx = 1, the optimal scale for Spinu's objective.
    private static func rescale(_ x: UnsafeMutablePointer<Double>, sx: inout [Double], n: Int) -> Bool {
        var v = 0.0
        for i in 0..<n { v += x[i] * sx[i] }
        guard v > 0, v.isFinite else { return false }
        let f = 1 / v.squareRoot()
        for i in 0..<n { x[i] *= f; sx[i] *= f }
        return true
    }

    private static func budgetError(_ x: UnsafePointer<Double>, _ sx: [Double], _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var v = 0.0
        for i in 0..<n { v += x[i] * sx[i] }
        var worst = 0.0
        for i in 0..<n { worst = Swift.max(worst, abs(x[i] * sx[i] / v - b[i])) }
        return worst.isNaN ? .infinity : worst
    }

    private static func result(x: [Double], product sx: [Double], budgets b: [Double], iterations: Int) -> AllocationResult {
        var total = 0.0
        for v in x { total += v }
        let weights = x.map { $0 / total }
        let product = sx.map { $0 / total }
        return AllocationResult(weights: weights, product: product, budgets: b, iterations: iterations)
    }

    // MARK: Newton

    private func newton(_ covariance: Matrix, budgets b: [Double]) throws(AllocationError) -> AllocationResult {
        let n = covariance.rows
        var x = (0..<n).map { 1 / covariance.elements[$0 + $0 * n].squareRoot() }
        var sx = covariance * x
        var v = x.dot(sx)
        guard v > 0 else { throw .notPositiveDefinite(minor: n) }
        let f0 = 1 / v.squareRoot()
        x = x.map { $0 * f0 }
        sx = sx.map { $0 * f0 }
        func objective(_ x: [Double], _ sx: [Double]) -> Double {
            var value = 0.0
            for i in 0..<n { value += 0.5 * x[i] * sx[i] - b[i] * log(x[i]) }
            return value
        }
        var steps = 0
        var error = x.withUnsafeBufferPointer { xp in b.withUnsafeBufferPointer { bp in Self.budgetError(xp.baseAddress!, sx, bp.baseAddress!, n) } }
        while error > tolerance {
            guard steps < maximumIterations else { throw .didNotConverge(iterations: steps, error: error) }
            steps += 1
            var hessian = covariance
            var gradient = [Double](repeating: 0, count: n)
            for i in 0..<n {
                hessian.elements[i + i * n] += b[i] / (x[i] * x[i])
                gradient[i] = sx[i] - b[i] / x[i]
            }
            let factor: Cholesky
            do { factor = try Cholesky(hessian) } catch {
                if case .notPositiveDefinite(let minor, _, _) = error { throw .notPositiveDefinite(minor: minor) }
                throw .nonFiniteInput(what: "covariance", row: 0, column: 0)
            }
            let direction = factor.solve(gradient).map { -$0 }
            let decrement = -gradient.dot(direction)
            // Largest step keeping x positive, then Armijo backtracking.
            var t = 1.0
            for i in 0..<n where direction[i] < 0 { t = Swift.min(t, -0.99 * x[i] / direction[i]) }
            let f = objective(x, sx)
            var trial = x, trialProduct = sx
            while true {
                for i in 0..<n { trial[i] = x[i] + t * direction[i] }
                trialProduct = covariance * trial
                if objective(trial, trialProduct) <= f - 0.25 * t * decrement || t < 1e-12 { break }
                t *= 0.5
            }
            x = trial
            sx = trialProduct
            v = x.dot(sx)
            guard v > 0 else { throw .notPositiveDefinite(minor: n) }
            error = x.withUnsafeBufferPointer { xp in b.withUnsafeBufferPointer { bp in Self.budgetError(xp.baseAddress!, sx, bp.baseAddress!, n) } }
            if t < 1e-12 && error > tolerance { throw .didNotConverge(iterations: steps, error: error) }
        }
        return Self.result(x: x, product: sx, budgets: b, iterations: steps)
    }
}

/// y += a·x over n contiguous doubles, eight lanes at a time.
@inline(__always)
func axpy(_ y: UnsafeMutablePointer<Double>, _ x: UnsafePointer<Double>, _ a: Double, _ n: Int) {
    var k = 0
    let av = SIMD8<Double>(repeating: a)
    let yr = UnsafeMutableRawPointer(y), xr = UnsafeRawPointer(x)
    while k + 8 <= n {
        let xv = xr.loadUnaligned(fromByteOffset: k * 8, as: SIMD8<Double>.self)
        let yv = yr.loadUnaligned(fromByteOffset: k * 8, as: SIMD8<Double>.self)
        // Multiply then add: `addingProduct` would call libm `fma` per lane on baseline x86-64.
        yr.storeBytes(of: yv + av * xv, toByteOffset: k * 8, as: SIMD8<Double>.self)
        k += 8
    }
    while k < n {
        y[k] += a * x[k]
        k += 1
    }
}
