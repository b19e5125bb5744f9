extension Matrix {
    /// Solves the square system `self · X = B` by LU factorization with partial pivoting.
    ///
    /// - Throws: `LinearAlgebraError.singular` naming the zero pivot; `.nonFiniteInput`.
    /// - Precondition: `self` is square and `rightHandSides.rows == rows`.
    /// - Complexity: 2n³/3 + 2n²k flops. Calls LAPACK `dgesv`.
    public func solve(_ rightHandSides: Matrix) throws(LinearAlgebraError) -> Matrix {
        precondition(isSquare, "solve needs a square matrix; use leastSquares for rectangular systems")
        precondition(rightHandSides.rows == rows, "Right-hand side has the wrong number of rows")
        guard isFinite && rightHandSides.isFinite else { throw .nonFiniteInput(routine: "dgesv") }
        var a = checkedElements
        var b = rightHandSides.checkedElements
        if rows > 0 && rightHandSides.columns > 0 {
            let info = LAPACK.dgesv(n: rows, nrhs: rightHandSides.columns, a: &a, b: &b)
            if info > 0 { throw .singular(pivot: info, routine: "dgesv", info: info) }
        }
        return Matrix(rows: rows, columns: rightHandSides.columns, columnMajor: b)
    }

    /// Solves the square system `self · x = b`.
    ///
    /// - Throws: `LinearAlgebraError.singular`; `.nonFiniteInput`.
    /// - Complexity: 2n³/3 flops. Calls LAPACK `dgesv`.
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).elements
    }

    /// The least-squares solution of an overdetermined system (rows ≥ columns), minimizing
    /// ‖self·X − B‖₂, or the minimum-norm solution of an underdetermined one.
    ///
    /// - Throws: `LinearAlgebraError.singular` when `self` does not have full numerical rank:
    ///   `pivot` is the (one-based) diagonal element of the triangular factor that is zero or
    ///   below max(m, n)·ε times the largest; `.nonFiniteInput`.
    /// - Precondition: `rightHandSides.rows == rows`.
    /// - Complexity: O(m·n² + m·n·k) flops by QR or LQ. Calls LAPACK `dgels`.
    public func leastSquares(_ rightHandSides: Matrix) throws(LinearAlgebraError) -> Matrix {
        precondition(rightHandSides.rows == rows, "Right-hand side has the wrong number of rows")
        guard isFinite && rightHandSides.isFinite else { throw .nonFiniteInput(routine: "dgels") }
        let m = rows, n = columns, k = rightHandSides.columns
        let ldb = Swift.max(m, n)
        var a = checkedElements
        var b = [Double](repeating: 0, count: ldb * k)
        for j in 0..<k {
            for i in 0..<m { b[i + j * ldb] = rightHandSides.elements[i + j * m] }
        }
        if m > 0 && n > 0 && k > 0 {
            let info = LAPACK.dgels(m: m, n: n, nrhs: k, a: &a, b: &b)
            if info > 0 { throw .singular(pivot: info, routine: "dgels", info: info) }
            // dgels reports only exact zeros on the diagonal of its triangular factor; treat a
            // diagonal element below max(m, n)·ε of the largest as rank deficiency too.
            let diagonal = (0..<Swift.min(m, n)).map { abs(a[$0 + $0 * m]) }
            let threshold = (diagonal.max() ?? 0) * Double(Swift.max(m, n)) * Double.ulpOfOne
            if let pivot = diagonal.firstIndex(where: { $0 <= threshold }) {
                throw .singular(pivot: pivot + 1, routine: "dgels", info: 0)
            }
        }
        var x = [Double](repeating: 0, count: n * k)
        for j in 0..<k {
            for i in 0..<n { x[i + j * n] = b[i + j * ldb] }
        }
        return Matrix(rows: n, columns: k, columnMajor: x)
    }

    /// The least-squares (or minimum-norm) solution of `self · x ≈ b`.
    ///
    /// - Throws: `LinearAlgebraError.singular` when rank deficient; `.nonFiniteInput`.
    /// - Complexity: O(m·n²). Calls LAPACK `dgels`.
    public func leastSquares(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try leastSquares(Matrix(rows: b.count, columns: 1, columnMajor: b)).elements
    }
}
