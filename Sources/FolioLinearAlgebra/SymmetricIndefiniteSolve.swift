extension Matrix {
    /// Solves `self · X = B` for a symmetric, possibly indefinite matrix (a saddle-point or
    /// KKT matrix of an optimization problem), reading the lower triangle of `self` only.
    ///
    /// Uses the Bunch-Kaufman factorization `P·A·Pᵀ = L·D·Lᵀ` with 1x1 and 2x2 pivots, which
    /// is backward stable for symmetric indefinite matrices (Bunch & Kaufman, "Some stable
    /// methods for calculating inertia and solving symmetric linear systems", Math. Comp. 31,
    /// 1977).
    ///
    /// - Throws: `LinearAlgebraError.singular` when a diagonal block of `D` is exactly zero;
    ///   `.nonFiniteInput` when the lower triangle or `B` holds NaN or infinity.
    /// - Precondition: `self` is square and `rightHandSides.rows == rows`.
    /// - Complexity: n³/3 + 2n²k flops for k right-hand sides. Calls LAPACK `dsysv`.
    public func solveSymmetricIndefinite(_ rightHandSides: Matrix) throws(LinearAlgebraError) -> Matrix {
        precondition(isSquare, "solveSymmetricIndefinite needs a square matrix")
        precondition(rightHandSides.rows == rows, "Right-hand side has the wrong number of rows")
        let n = rows
        for j in 0..<n {
            for i in j..<n where !elements[i + j * n].isFinite { throw .nonFiniteInput(routine: "dsysv") }
        }
        guard rightHandSides.isFinite else { throw .nonFiniteInput(routine: "dsysv") }
        var a = elements
        var b = rightHandSides.elements
        if n > 0 && rightHandSides.columns > 0 {
            let info = LAPACK.dsysv(n: n, nrhs: rightHandSides.columns, a: &a, b: &b)
            if info > 0 { throw .singular(pivot: info, routine: "dsysv", info: info) }
        }
        return Matrix(rows: n, columns: rightHandSides.columns, columnMajor: b)
    }
}
