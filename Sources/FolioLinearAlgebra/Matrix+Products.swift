extension Matrix {
    /// The matrix product `lhs · rhs`.
    ///
    /// - Precondition: `lhs.columns == rhs.rows`.
    /// - Complexity: O(m·n·k) flops, 2·m·n·k of them. Calls BLAS `dgemm`.
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        lhs.multiplied(by: rhs)
    }

    /// `scale · op(self) · op(other)`, where `op` transposes when asked, without forming the
    /// transposes.
    ///
    /// - Precondition: the inner dimensions agree.
    /// - Complexity: 2·m·n·k flops. Calls BLAS `dgemm`.
    public func multiplied(
        by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false, scale: Double = 1
    ) -> Matrix {
        let m = transposingSelf ? columns : rows
        let k = transposingSelf ? rows : columns
        let otherRows = transposingOther ? other.columns : other.rows
        let n = transposingOther ? other.rows : other.columns
        precondition(k == otherRows, "Inner dimensions do not agree")
        var result = [Double](repeating: 0, count: m * n)
        if m > 0 && n > 0 && k > 0 {
            LAPACK.dgemm(
                transposeA: transposingSelf, transposeB: transposingOther, m: m, n: n, k: k, alpha: scale,
                a: checkedElements, lda: rows, b: other.checkedElements, ldb: other.rows, beta: 0, c: &result, ldc: m)
        }
        return Matrix(rows: m, columns: n, columnMajor: result)
    }

    /// The matrix-vector product `lhs · rhs`.
    ///
    /// - Precondition: `rhs.count == lhs.columns`.
    /// - Complexity: 2·m·n flops. Calls BLAS `dgemv`.
    public static func * (lhs: Matrix, rhs: [Double]) -> [Double] {
        lhs.multiplied(by: rhs)
    }

    /// `scale · op(self) · vector`, where `op` transposes when `transposingSelf` is true.
    ///
    /// - Precondition: `vector.count` equals the columns of `op(self)`.
    /// - Complexity: 2·m·n flops. Calls BLAS `dgemv`.
    public func multiplied(by vector: [Double], transposingSelf: Bool = false, scale: Double = 1) -> [Double] {
        let inner = transposingSelf ? rows : columns
        let outer = transposingSelf ? columns : rows
        precondition(vector.count == inner, "Vector length does not match the matrix")
        var result = [Double](repeating: 0, count: outer)
        if outer > 0 && inner > 0 {
            LAPACK.dgemv(transpose: transposingSelf, m: rows, n: columns, alpha: scale, a: checkedElements,
                         x: vector, beta: 0, y: &result)
        }
        return result
    }

    /// The Gram matrix `scale · selfᵀ · self` (columns x columns), full and exactly symmetric.
    ///
    /// For a T x N matrix of demeaned returns, `gramian(scale: 1 / (T - 1))` is the sample
    /// covariance. Half the flops of a general product: only the lower triangle is computed,
    /// then mirrored.
    ///
    /// - Complexity: N²·T flops. Calls BLAS `dsyrk`.
    public func gramian(scale: Double = 1) -> Matrix {
        var result = lowerGramian(scale: scale)
        result.mirrorLowerTriangle()
        return result
    }

    /// `scale · selfᵀ · self` with only the lower triangle (diagonal included) computed; the
    /// strictly upper triangle is zero. For callers in this package that post-process the
    /// triangle before mirroring it, saving one pass over the matrix.
    ///
    /// Wide matrices (more than 1024 columns) split the product recursively: diagonal blocks
    /// by `dsyrk`, off-diagonal blocks by `dgemm`, which OpenBLAS threads better.
    ///
    /// - Complexity: N²·T flops. Calls BLAS `dsyrk` and `dgemm`.
    package func lowerGramian(scale: Double = 1) -> Matrix {
        let n = columns, k = rows
        var c = [Double](repeating: 0, count: n * n)
        if n > 0 && k > 0 {
            LAPACK.dsyrkLowerRecursive(n: n, k: k, alpha: scale, a: checkedElements, lda: rows, c: &c)
        }
        return Matrix(rows: n, columns: n, columnMajor: c)
    }

    /// The outer Gram matrix `scale · self · selfᵀ` (rows x rows), full and exactly symmetric.
    ///
    /// - Complexity: rows²·columns flops. Calls BLAS `dsyrk`.
    public func outerGramian(scale: Double = 1) -> Matrix {
        let n = rows, k = columns
        var c = [Double](repeating: 0, count: n * n)
        if n > 0 && k > 0 {
            LAPACK.dsyrk(transpose: false, n: n, k: k, alpha: scale, a: checkedElements, lda: rows, beta: 0, c: &c)
        }
        var result = Matrix(rows: n, columns: n, columnMajor: c)
        result.mirrorLowerTriangle()
        return result
    }

    /// Copies the strictly lower triangle onto the strictly upper one, making the matrix
    /// exactly symmetric.
    ///
    /// - Precondition: the matrix is square.
    /// - Complexity: O(n²).
    public mutating func mirrorLowerTriangle() {
        mapLowerTriangleAndMirror { _, _, value in value }
    }

    /// Replaces each lower-triangle element (diagonal included) `aᵢⱼ` by `transform(i, j, aᵢⱼ)`
    /// and copies the result to `aⱼᵢ`, in one cache-blocked pass (64 x 64 tiles, so the strided
    /// writes of the upper triangle stay in cache).
    ///
    /// - Precondition: the matrix is square.
    /// - Complexity: O(n²).
    @inlinable
    package mutating func mapLowerTriangleAndMirror(_ transform: (_ i: Int, _ j: Int, _ value: Double) -> Double) {
        precondition(isSquare, "Matrix must be square")
        let n = rows, tile = 64
        storage.withUnsafeMutableBufferPointer { a in
            for jb in stride(from: 0, to: n, by: tile) {
                let jEnd = Swift.min(jb + tile, n)
                for ib in stride(from: jb, to: n, by: tile) {
                    let iEnd = Swift.min(ib + tile, n)
                    for j in jb..<jEnd {
                        for i in Swift.max(ib, j)..<Swift.max(Swift.max(ib, j), iEnd) {
                            let v = transform(i, j, a[i + j * n])
                            a[i + j * n] = v
                            a[j + i * n] = v
                        }
                    }
                }
            }
        }
    }

    /// Element-wise sum.
    ///
    /// - Precondition: equal shapes.
    /// - Complexity: O(rows × columns).
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "Shapes do not agree")
        var result = lhs
        result.elements.addScaled(rhs.elements, by: 1)
        return result
    }

    /// Element-wise difference.
    ///
    /// - Precondition: equal shapes.
    /// - Complexity: O(rows × columns).
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "Shapes do not agree")
        var result = lhs
        result.elements.addScaled(rhs.elements, by: -1)
        return result
    }

    /// Every element multiplied by `scalar`.
    ///
    /// - Complexity: O(rows × columns).
    public static func * (scalar: Double, matrix: Matrix) -> Matrix {
        matrix.map { scalar * $0 }
    }

    /// The quadratic form `xᵀ · self · x`.
    ///
    /// - Precondition: square, and `x.count == rows`.
    /// - Complexity: 2·n² flops. Calls BLAS `dgemv` and `ddot`.
    public func quadraticForm(_ x: [Double]) -> Double {
        precondition(isSquare && x.count == rows, "Vector length does not match the matrix")
        return x.dot(self * x)
    }
}

extension Array where Element == Double {
    /// The dot product `Σ selfᵢ · otherᵢ`. Package plumbing, not public API.
    ///
    /// - Precondition: equal lengths.
    /// - Complexity: O(n). Calls BLAS `ddot`.
    package func dot(_ other: [Double]) -> Double {
        precondition(count == other.count, "Vectors have different lengths")
        return isEmpty ? 0 : LAPACK.ddot(self, other)
    }

    /// Adds `scale · other` to this vector in place (`axpy`). Package plumbing, not public API.
    ///
    /// - Precondition: equal lengths.
    /// - Complexity: O(n). Calls BLAS `daxpy`.
    package mutating func addScaled(_ other: [Double], by scale: Double) {
        precondition(count == other.count, "Vectors have different lengths")
        if !isEmpty { LAPACK.daxpy(alpha: scale, x: other, y: &self) }
    }
}
