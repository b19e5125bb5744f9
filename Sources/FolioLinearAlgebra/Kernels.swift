// Small dense kernels the optimizers share, in plain Swift: they run on problem sizes where
// waking OpenBLAS threads costs more than the arithmetic. `package` API: for Folio's own
// modules, not a promise to library users.

extension Array where Element == Double {
    /// self += Σⱼ q[:, j]·xⱼ for a column-major matrix `q` with `count` rows and `x.count`
    /// columns, skipping the columns where xⱼ = 0: with the few nonzero weights of a
    /// long-only portfolio this is O(n·nnz(x)) instead of a dense O(n²) product.
    ///
    /// - Precondition: `q.count == count * x.count`.
    /// - Complexity: 2·count·nnz(x) flops.
    package mutating func addScaledColumns(of q: [Double], scaledBy x: [Double]) {
        let rows = count
        precondition(q.count == rows * x.count, "addScaledColumns: q is not rows x x.count")
        q.withUnsafeBufferPointer { qp in
            withUnsafeMutableBufferPointer { out in
                for j in x.indices where x[j] != 0 {
                    let v = x[j], base = j * rows
                    for r in 0..<rows { out[r] += qp[base + r] * v }
                }
            }
        }
    }

    /// self += Σₖ q[:, columns[k]]·scales[k] for a column-major `q` with `count` rows,
    /// skipping zero scales.
    ///
    /// - Precondition: `columns.count == scales.count`, every column inside `q`.
    /// - Complexity: 2·count·columns.count flops.
    package mutating func addScaledColumns(of q: [Double], columns: [Int], scaledBy scales: [Double]) {
        let rows = count
        precondition(columns.count == scales.count, "addScaledColumns: one scale per column")
        q.withUnsafeBufferPointer { qp in
            withUnsafeMutableBufferPointer { out in
                for (k, j) in columns.enumerated() where scales[k] != 0 {
                    precondition(j >= 0 && (j + 1) * rows <= qp.count, "addScaledColumns: column outside q")
                    let v = scales[k], base = j * rows
                    for r in 0..<rows { out[r] += qp[base + r] * v }
                }
            }
        }
    }
}

/// Q·x for a column-major n x n `q` (n = x.count), touching only the columns where x is not
/// zero (see `addScaledColumns(of:scaledBy:)`).
///
/// - Complexity: 2·n·nnz(x) flops.
package func sparseProduct(_ q: [Double], _ x: [Double]) -> [Double] {
    var out = [Double](repeating: 0, count: x.count)
    out.addScaledColumns(of: q, scaledBy: x)
    return out
}

extension Cholesky {
    /// The order up to which `inverse(ofPositiveDefinite:order:)` stays in Swift: below it,
    /// waking BLAS threads costs more than the m³ flops.
    package static let smallInverseLimit = 160

    /// The inverse of a symmetric positive-definite matrix (column-major m x m, both
    /// triangles read as the lower one) through its Cholesky factor L: A⁻¹ = L⁻ᵀL⁻¹, in plain
    /// Swift up to `smallInverseLimit`, else LAPACK `dpotrf` + `dpotri`. Nil when a pivot is
    /// not positive (A not numerically positive definite).
    ///
    /// - Complexity: about m³ flops.
    package static func inverse(ofPositiveDefinite a: [Double], order m: Int) -> [Double]? {
        precondition(a.count == m * m, "inverse: a is not m x m")
        if m > smallInverseLimit {
            guard let chol = try? Cholesky(Matrix(rows: m, columns: m, columnMajor: a)) else { return nil }
            return chol.inverse().elements
        }
        var l = a
        // Column-oriented Cholesky, lower triangle.
        for j in 0..<m {
            var d = l[j + j * m]
            for k in 0..<j { d -= l[j + k * m] * l[j + k * m] }
            guard d > 0, d.isFinite else { return nil }
            let pivot = d.squareRoot()
            l[j + j * m] = pivot
            for i in (j + 1)..<Swift.max(m, j + 1) {
                var v = l[i + j * m]
                for k in 0..<j { v -= l[i + k * m] * l[j + k * m] }
                l[i + j * m] = v / pivot
            }
        }
        // X = L⁻¹ (lower triangular), column by column by forward substitution.
        var x = [Double](repeating: 0, count: m * m)
        for c in 0..<m {
            x[c + c * m] = 1 / l[c + c * m]
            for i in (c + 1)..<Swift.max(m, c + 1) {
                var v = 0.0
                for k in c..<i { v -= l[i + k * m] * x[k + c * m] }
                x[i + c * m] = v / l[i + i * m]
            }
        }
        // A⁻¹ = Xᵀ X.
        var result = [Double](repeating: 0, count: m * m)
        for c in 0..<m {
            for r in c..<m {
                var v = 0.0
                for k in r..<m { v += x[k + r * m] * x[k + c * m] }
                result[r + c * m] = v
                result[c + r * m] = v
            }
        }
        return result
    }
}
