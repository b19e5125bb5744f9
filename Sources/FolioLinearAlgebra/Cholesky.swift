import Foundation

/// The Cholesky factorization `A = L·Lᵀ` of a symmetric positive-definite matrix.
///
/// Reads the lower triangle of `A` only. Use it to test positive definiteness, to solve
/// `A·x = b` in O(n²) per right-hand side, to invert `A`, and to estimate its condition.
///
/// ```swift
/// let chol = try Cholesky(covariance)
/// let x = chol.solve(b)
/// ```
public struct Cholesky: Sendable {
    /// The lower-triangular factor `L` (strictly upper triangle zero), with positive diagonal.
    public let lower: Matrix
    /// The 1-norm of the factored matrix, kept for the condition estimate.
    public let oneNorm: Double

    /// Factors `matrix` (its lower triangle).
    ///
    /// - Throws: `LinearAlgebraError.notPositiveDefinite` naming the first leading minor
    ///   that is not positive; `.nonFiniteInput` if the lower triangle has NaN or infinity.
    /// - Precondition: `matrix` is square.
    /// - Complexity: n³/3 flops. Calls LAPACK `dpotrf`.
    public init(_ matrix: Matrix) throws(LinearAlgebraError) {
        precondition(matrix.isSquare, "Cholesky needs a square matrix")
        let n = matrix.rows
        var a = matrix.checkedElements
        var norm = 0.0
        for j in 0..<n {
            var columnSum = 0.0
            for i in 0..<n {
                let v = i >= j ? a[i + j * n] : a[j + i * n]
                guard v.isFinite else { throw .nonFiniteInput(routine: "dpotrf") }
                columnSum += abs(v)
            }
            norm = Swift.max(norm, columnSum)
        }
        let info = LAPACK.dpotrf(n: n, a: &a)
        if info > 0 { throw .notPositiveDefinite(minor: info, routine: "dpotrf", info: info) }
        for j in 0..<n { for i in 0..<j { a[i + j * n] = 0 } }
        lower = Matrix(rows: n, columns: n, columnMajor: a)
        oneNorm = norm
    }

    /// The order `n` of the factored matrix.
    public var dimension: Int { lower.rows }

    /// Solves `A·X = B` for every column of `B`.
    ///
    /// - Precondition: `rightHandSides.rows == n`.
    /// - Complexity: 2·n²·k flops for k right-hand sides. Calls LAPACK `dpotrs`.
    public func solve(_ rightHandSides: Matrix) -> Matrix {
        precondition(rightHandSides.rows == dimension, "Right-hand side has the wrong number of rows")
        var b = rightHandSides.checkedElements
        if dimension > 0 && rightHandSides.columns > 0 {
            LAPACK.dpotrs(n: dimension, nrhs: rightHandSides.columns, factor: lower.elements, b: &b)
        }
        return Matrix(rows: rightHandSides.rows, columns: rightHandSides.columns, columnMajor: b)
    }

    /// Solves `A·x = b`.
    ///
    /// - Precondition: `b.count == n`.
    /// - Complexity: 2·n² flops. Calls LAPACK `dpotrs`.
    public func solve(_ b: [Double]) -> [Double] {
        solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).elements
    }

    /// The inverse `A⁻¹`, full and exactly symmetric.
    ///
    /// - Complexity: 2n³/3 flops. Calls LAPACK `dpotri`.
    public func inverse() -> Matrix {
        var a = lower.elements
        let info = LAPACK.dpotri(n: dimension, a: &a)
        // A factor with a positive diagonal is never singular, so info is 0 here.
        precondition(info == 0, "dpotri failed on a valid Cholesky factor")
        var result = Matrix(rows: dimension, columns: dimension, columnMajor: a)
        result.mirrorLowerTriangle()
        return result
    }

    /// An estimate of `1 / κ₁(A)`, the reciprocal of the 1-norm condition number: near 1 for
    /// a well-conditioned matrix, near machine epsilon (2.2e-16) for a numerically singular one.
    ///
    /// - Complexity: O(n²). Calls LAPACK `dpocon`.
    public func reciprocalConditionNumber() -> Double {
        dimension == 0 ? 1 : LAPACK.dpocon(n: dimension, factor: lower.elements, anorm: oneNorm)
    }

    /// `log det A = 2 Σ log Lᵢᵢ`.
    ///
    /// - Complexity: O(n).
    public var logDeterminant: Double {
        2 * lower.diagonal.reduce(0) { $0 + log($1) }
    }
}
