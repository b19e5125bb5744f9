// The one file that calls BLAS and LAPACK. Everything else in Folio reaches them through the
// typed wrappers below; no C type leaves this file.
//
// Conventions: all matrices are column-major with leading dimension = rows. Sizes are checked
// against Int32.max (lapack_int and blasint are 32-bit in Debian's OpenBLAS). LAPACK's `info`
// is returned as an `Int`; `info < 0` (an illegal argument) is a bug in Folio and traps here.
internal import CFolioLAPACK

enum LAPACK {
    /// Converts a dimension to the 32-bit integer LAPACK and BLAS take.
    @inline(__always)
    static func int32(_ value: Int) -> Int32 {
        precondition(value >= 0 && value <= Int(Int32.max), "Dimension exceeds the 32-bit LAPACK interface")
        return Int32(value)
    }

    /// The elements a column-major `rows` x `columns` matrix with leading dimension `ld`
    /// occupies: ld·(columns − 1) + rows (zero when empty).
    @inline(__always)
    static func extent(rows: Int, columns: Int, ld: Int) -> Int {
        rows == 0 || columns == 0 ? 0 : ld * (columns - 1) + rows
    }

    /// Traps unless a buffer of `count` elements holds a `rows` x `columns` matrix with leading
    /// dimension `ld` ≥ max(1, rows): the check that keeps BLAS and LAPACK from reading or
    /// writing past a Swift array.
    @inline(__always)
    static func checkMatrix(_ count: Int, rows: Int, columns: Int, ld: Int, _ what: @autoclosure () -> String) {
        precondition(rows >= 0 && columns >= 0 && ld >= Swift.max(rows, 1), what())
        precondition(count >= extent(rows: rows, columns: columns, ld: ld), what())
    }

    @inline(__always)
    static func checkArgument(_ info: Int32, _ routine: String) {
        precondition(info >= 0, "\(routine): illegal value in argument \(-info)")
    }

    // MARK: BLAS

    /// C = alpha * op(A) * op(B) + beta * C, `cblas_dgemm`.
    static func dgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: [Double], lda: Int, b: [Double], ldb: Int, beta: Double, c: inout [Double], ldc: Int
    ) {
        checkMatrix(a.count, rows: transposeA ? k : m, columns: transposeA ? m : k, ld: Swift.max(lda, 1), "dgemm: A too small")
        checkMatrix(b.count, rows: transposeB ? n : k, columns: transposeB ? k : n, ld: Swift.max(ldb, 1), "dgemm: B too small")
        checkMatrix(c.count, rows: m, columns: n, ld: Swift.max(ldc, 1), "dgemm: C too small")
        cblas_dgemm(
            CblasColMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            int32(m), int32(n), int32(k), alpha, a, int32(Swift.max(lda, 1)), b, int32(Swift.max(ldb, 1)),
            beta, &c, int32(Swift.max(ldc, 1)))
    }

    /// y = alpha * op(A) * x + beta * y, `cblas_dgemv`.
    static func dgemv(
        transpose: Bool, m: Int, n: Int, alpha: Double, a: [Double], x: [Double], beta: Double, y: inout [Double]
    ) {
        checkMatrix(a.count, rows: m, columns: n, ld: Swift.max(m, 1), "dgemv: A too small")
        precondition(x.count >= (transpose ? m : n) && y.count >= (transpose ? n : m), "dgemv: x or y too short")
        cblas_dgemv(
            CblasColMajor, transpose ? CblasTrans : CblasNoTrans, int32(m), int32(n), alpha, a,
            int32(Swift.max(m, 1)), x, 1, beta, &y, 1)
    }

    /// C (n x n, lower triangle) = alpha * Aᵀ A + beta * C for A (k x n) when `transpose`,
    /// or alpha * A Aᵀ + beta * C for A (n x k) otherwise; `cblas_dsyrk`.
    static func dsyrk(transpose: Bool, n: Int, k: Int, alpha: Double, a: [Double], lda: Int, beta: Double, c: inout [Double]) {
        checkMatrix(a.count, rows: transpose ? k : n, columns: transpose ? n : k, ld: Swift.max(lda, 1), "dsyrk: A too small")
        checkMatrix(c.count, rows: n, columns: n, ld: Swift.max(n, 1), "dsyrk: C too small")
        cblas_dsyrk(
            CblasColMajor, CblasLower, transpose ? CblasTrans : CblasNoTrans, int32(n), int32(k), alpha,
            a, int32(Swift.max(lda, 1)), beta, &c, int32(Swift.max(n, 1)))
    }

    /// The lower triangle of C (n x n, leading dimension n) = alpha * Aᵀ A for A (k x n,
    /// leading dimension lda), by recursive halving of the columns: while a block is wider than
    /// `leaf`, its off-diagonal quarter is one `cblas_dgemm` and the two diagonal blocks recurse;
    /// the leaves are `cblas_dsyrk`. Same flops as one dsyrk (N²·k), but most of them run in
    /// dgemm, which OpenBLAS threads better: measured here at N = 2000, k = 2520, about 72–75
    /// GFLOP/s against 62–67 for one dsyrk.
    static func dsyrkLowerRecursive(n: Int, k: Int, alpha: Double, a: [Double], lda: Int, c: inout [Double], leaf: Int = 1024) {
        checkMatrix(a.count, rows: k, columns: n, ld: Swift.max(lda, 1), "dsyrk (recursive): A too small")
        checkMatrix(c.count, rows: n, columns: n, ld: Swift.max(n, 1), "dsyrk (recursive): C too small")
        let kk = int32(k), la = int32(Swift.max(lda, 1)), lc = int32(Swift.max(n, 1))
        a.withUnsafeBufferPointer { ab in
            c.withUnsafeMutableBufferPointer { cb in
                guard let a0 = ab.baseAddress, let c0 = cb.baseAddress else { return }
                func block(_ first: Int, _ width: Int) {
                    let aj = a0 + first * lda, cjj = c0 + first + first * n
                    if width <= leaf {
                        cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, int32(width), kk, alpha, aj, la, 0, cjj, lc)
                        return
                    }
                    let left = width / 2, right = width - left
                    // C[first+left ..< first+width, first ..< first+left] = alpha · A₂ᵀ A₁
                    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, int32(right), int32(left), kk, alpha,
                                aj + left * lda, la, aj, la, 0, cjj + left, lc)
                    block(first, left)
                    block(first + left, right)
                }
                block(0, n)
            }
        }
    }

    /// Σ xᵢ yᵢ, `cblas_ddot`.
    static func ddot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "ddot: lengths differ")
        return cblas_ddot(int32(x.count), x, 1, y, 1)
    }

    /// y += alpha x, `cblas_daxpy`.
    static func daxpy(alpha: Double, x: [Double], y: inout [Double]) {
        precondition(x.count == y.count, "daxpy: lengths differ")
        cblas_daxpy(int32(x.count), alpha, x, 1, &y, 1)
    }

    // MARK: LAPACK

    /// Cholesky factorization of the lower triangle, `dpotrf`. Returns info.
    static func dpotrf(n: Int, a: inout [Double]) -> Int {
        checkMatrix(a.count, rows: n, columns: n, ld: Swift.max(n, 1), "dpotrf: A too small")
        var uplo = CChar(UInt8(ascii: "L")), nn = int32(n), lda = int32(Swift.max(n, 1)), info: Int32 = 0
        dpotrf_(&uplo, &nn, &a, &lda, &info, 1)
        checkArgument(info, "dpotrf")
        return Int(info)
    }

    /// Solves A X = B from the lower Cholesky factor, `dpotrs`.
    static func dpotrs(n: Int, nrhs: Int, factor: [Double], b: inout [Double]) {
        checkMatrix(factor.count, rows: n, columns: n, ld: Swift.max(n, 1), "dpotrs: factor too small")
        checkMatrix(b.count, rows: n, columns: nrhs, ld: Swift.max(n, 1), "dpotrs: B too small")
        var uplo = CChar(UInt8(ascii: "L")), nn = int32(n), nr = int32(nrhs)
        var lda = int32(Swift.max(n, 1)), ldb = int32(Swift.max(n, 1)), info: Int32 = 0
        dpotrs_(&uplo, &nn, &nr, factor, &lda, &b, &ldb, &info, 1)
        checkArgument(info, "dpotrs")
    }

    /// Inverse from the lower Cholesky factor (lower triangle written), `dpotri`. Returns info.
    static func dpotri(n: Int, a: inout [Double]) -> Int {
        checkMatrix(a.count, rows: n, columns: n, ld: Swift.max(n, 1), "dpotri: A too small")
        var uplo = CChar(UInt8(ascii: "L")), nn = int32(n), lda = int32(Swift.max(n, 1)), info: Int32 = 0
        dpotri_(&uplo, &nn, &a, &lda, &info, 1)
        checkArgument(info, "dpotri")
        return Int(info)
    }

    /// Reciprocal 1-norm condition estimate from the lower Cholesky factor, `dpocon`.
    static func dpocon(n: Int, factor: [Double], anorm: Double) -> Double {
        checkMatrix(factor.count, rows: n, columns: n, ld: Swift.max(n, 1), "dpocon: factor too small")
        var uplo = CChar(UInt8(ascii: "L")), nn = int32(n), lda = int32(Swift.max(n, 1)), info: Int32 = 0
        var anorm = anorm, rcond = 0.0
        var work = [Double](repeating: 0, count: Swift.max(3 * n, 1))
        var iwork = [Int32](repeating: 0, count: Swift.max(n, 1))
        dpocon_(&uplo, &nn, factor, &lda, &anorm, &rcond, &work, &iwork, &info, 1)
        checkArgument(info, "dpocon")
        return rcond
    }

    /// All eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix from its
    /// lower triangle, `dsyevr` (MRRR), with a workspace query first. Returns info.
    static func dsyevr(n: Int, a: inout [Double], eigenvalues w: inout [Double], eigenvectors z: inout [Double]) -> Int {
        checkMatrix(a.count, rows: n, columns: n, ld: Swift.max(n, 1), "dsyevr: A too small")
        checkMatrix(z.count, rows: n, columns: n, ld: Swift.max(n, 1), "dsyevr: Z too small")
        precondition(w.count >= n, "dsyevr: W too short")
        var jobz = CChar(UInt8(ascii: "V")), range = CChar(UInt8(ascii: "A")), uplo = CChar(UInt8(ascii: "L"))
        var nn = int32(n), lda = int32(Swift.max(n, 1)), ldz = int32(Swift.max(n, 1))
        var vl = 0.0, vu = 0.0, il: Int32 = 0, iu: Int32 = 0
        var abstol = 0.0  // let LAPACK choose; with MRRR this gives full accuracy
        var m: Int32 = 0, info: Int32 = 0
        var isuppz = [Int32](repeating: 0, count: Swift.max(2 * n, 2))
        var workQuery = 0.0, iworkQuery: Int32 = 0, lwork: Int32 = -1, liwork: Int32 = -1
        dsyevr_(&jobz, &range, &uplo, &nn, &a, &lda, &vl, &vu, &il, &iu, &abstol, &m, &w, &z, &ldz,
                &isuppz, &workQuery, &lwork, &iworkQuery, &liwork, &info, 1, 1, 1)
        checkArgument(info, "dsyevr")
        lwork = int32(Int(workQuery.rounded(.up)))
        liwork = iworkQuery
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevr_(&jobz, &range, &uplo, &nn, &a, &lda, &vl, &vu, &il, &iu, &abstol, &m, &w, &z, &ldz,
                &isuppz, &work, &lwork, &iwork, &liwork, &info, 1, 1, 1)
        checkArgument(info, "dsyevr")
        return Int(info)
    }

    /// Solves A X = B by LU with partial pivoting, `dgesv`. Returns info.
    static func dgesv(n: Int, nrhs: Int, a: inout [Double], b: inout [Double]) -> Int {
        checkMatrix(a.count, rows: n, columns: n, ld: Swift.max(n, 1), "dgesv: A too small")
        checkMatrix(b.count, rows: n, columns: nrhs, ld: Swift.max(n, 1), "dgesv: B too small")
        var nn = int32(n), nr = int32(nrhs), lda = int32(Swift.max(n, 1)), ldb = int32(Swift.max(n, 1))
        var ipiv = [Int32](repeating: 0, count: Swift.max(n, 1)), info: Int32 = 0
        dgesv_(&nn, &nr, &a, &lda, &ipiv, &b, &ldb, &info)
        checkArgument(info, "dgesv")
        return Int(info)
    }

    /// Least-squares or minimum-norm solution of A X = B for full-rank A (m x n), `dgels`,
    /// with a workspace query first. `b` has max(m, n) rows on entry. Returns info.
    static func dgels(m: Int, n: Int, nrhs: Int, a: inout [Double], b: inout [Double]) -> Int {
        checkMatrix(a.count, rows: m, columns: n, ld: Swift.max(m, 1), "dgels: A too small")
        checkMatrix(b.count, rows: Swift.max(m, n), columns: nrhs, ld: Swift.max(Swift.max(m, n), 1), "dgels: B too small")
        var trans = CChar(UInt8(ascii: "N"))
        var mm = int32(m), nn = int32(n), nr = int32(nrhs)
        var lda = int32(Swift.max(m, 1)), ldb = int32(Swift.max(Swift.max(m, n), 1))
        var info: Int32 = 0, lwork: Int32 = -1, workQuery = 0.0
        dgels_(&trans, &mm, &nn, &nr, &a, &lda, &b, &ldb, &workQuery, &lwork, &info, 1)
        checkArgument(info, "dgels")
        lwork = int32(Swift.max(Int(workQuery.rounded(.up)), 1))
        var work = [Double](repeating: 0, count: Int(lwork))
        dgels_(&trans, &mm, &nn, &nr, &a, &lda, &b, &ldb, &work, &lwork, &info, 1)
        checkArgument(info, "dgels")
        return Int(info)
    }

    // MARK: OpenBLAS threading

    static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(int32(count))
    }

    static func threadCount() -> Int {
        Int(openblas_get_num_threads())
    }

    static func coreName() -> String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    // MARK: Symmetric indefinite solve (optimization KKT systems)

    /// Solves A X = B for symmetric (possibly indefinite) A from its lower triangle by
    /// Bunch-Kaufman pivoting, `dsysv`, with a workspace query first. Returns info
    /// (> 0: the block diagonal factor is exactly singular).
    static func dsysv(n: Int, nrhs: Int, a: inout [Double], b: inout [Double]) -> Int {
        checkMatrix(a.count, rows: n, columns: n, ld: Swift.max(n, 1), "dsysv: A too small")
        checkMatrix(b.count, rows: n, columns: nrhs, ld: Swift.max(n, 1), "dsysv: B too small")
        var uplo = CChar(UInt8(ascii: "L")), nn = int32(n), nr = int32(nrhs)
        var lda = int32(Swift.max(n, 1)), ldb = int32(Swift.max(n, 1)), info: Int32 = 0
        var ipiv = [Int32](repeating: 0, count: Swift.max(n, 1))
        var workQuery = 0.0, lwork: Int32 = -1
        dsysv_(&uplo, &nn, &nr, &a, &lda, &ipiv, &b, &ldb, &workQuery, &lwork, &info, 1)
        checkArgument(info, "dsysv")
        lwork = int32(Swift.max(Int(workQuery.rounded(.up)), 1))
        var work = [Double](repeating: 0, count: Int(lwork))
        dsysv_(&uplo, &nn, &nr, &a, &lda, &ipiv, &b, &ldb, &work, &lwork, &info, 1)
        checkArgument(info, "dsysv")
        return Int(info)
    }
}
