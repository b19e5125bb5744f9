/// The eigendecomposition `A = Q·Λ·Qᵀ` of a real symmetric matrix.
///
/// Eigenvalues are in ascending order; the columns of `eigenvectors` are orthonormal and
/// `eigenvectors.column(i)` belongs to `eigenvalues[i]`. Reads the lower triangle of `A` only.
/// This is the workhorse of covariance denoising, nearest-PSD repair and PSD checks.
public struct SymmetricEigendecomposition: Sendable {
    /// The eigenvalues λ₁ ≤ λ₂ ≤ … ≤ λₙ.
    public let eigenvalues: [Double]
    /// The orthonormal eigenvectors, one per column, in the order of `eigenvalues`.
    public let eigenvectors: Matrix

    /// Decomposes the symmetric matrix `matrix` (its lower triangle).
    ///
    /// - Throws: `LinearAlgebraError.didNotConverge` if the eigensolver fails;
    ///   `.nonFiniteInput` if the lower triangle holds NaN or infinity.
    /// - Precondition: `matrix` is square.
    /// - Complexity: O(n³). Calls LAPACK `dsyevr` (relatively robust representations),
    ///   after a workspace query.
    public init(_ matrix: Matrix) throws(LinearAlgebraError) {
        precondition(matrix.isSquare, "Eigendecomposition needs a square matrix")
        let n = matrix.rows
        var a = matrix.checkedElements
        for j in 0..<n {
            for i in j..<n where !a[i + j * n].isFinite { throw .nonFiniteInput(routine: "dsyevr") }
        }
        var w = [Double](repeating: 0, count: n)
        var z = [Double](repeating: 0, count: n * n)
        if n > 0 {
            let info = LAPACK.dsyevr(n: n, a: &a, eigenvalues: &w, eigenvectors: &z)
            if info > 0 { throw .didNotConverge(routine: "dsyevr", info: info) }
        }
        eigenvalues = w
        eigenvectors = Matrix(rows: n, columns: n, columnMajor: z)
    }

    /// `Q·diag(values)·Qᵀ`: the matrix with the same eigenvectors and the given eigenvalues.
    ///
    /// Pass `eigenvalues` to rebuild `A`; pass clipped or denoised values to repair it.
    /// The result is exactly symmetric.
    ///
    /// - Precondition: `values.count == n`.
    /// - Complexity: n³ flops. Calls BLAS `dsyrk`.
    public func recomposed(withEigenvalues values: [Double]) -> Matrix {
        let n = eigenvalues.count
        precondition(values.count == n, "One eigenvalue per eigenvector")
        // Q diag(v) Qᵀ = Σ vᵢ qᵢ qᵢᵀ. Split by sign so each part is a symmetric rank-k update
        // of scaled vectors: B₊B₊ᵀ − B₋B₋ᵀ with B± columns √|vᵢ| qᵢ.
        var positive: [Double] = []
        var negative: [Double] = []
        for i in 0..<n where values[i] != 0 {
            let scale = abs(values[i]).squareRoot()
            let column = eigenvectors.elements[(i * n)..<((i + 1) * n)].map { $0 * scale }
            if values[i] > 0 { positive.append(contentsOf: column) } else { negative.append(contentsOf: column) }
        }
        var result = Matrix(rows: n, columns: positive.count / Swift.max(n, 1), columnMajor: positive).outerGramian()
        if !negative.isEmpty {
            result = result - Matrix(rows: n, columns: negative.count / n, columnMajor: negative).outerGramian()
        }
        if result.rows != n { return Matrix(rows: n, columns: n) }
        return result
    }

    /// The original matrix rebuilt as `Q·Λ·Qᵀ`.
    ///
    /// - Complexity: n³ flops.
    public var recomposed: Matrix { recomposed(withEigenvalues: eigenvalues) }
}
