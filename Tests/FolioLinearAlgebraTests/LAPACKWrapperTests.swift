import Testing
@testable import FolioLinearAlgebra

/// Every BLAS/LAPACK wrapper on valid sizes (checked against a plain-Swift reference), and
/// every wrapper's buffer check: a buffer one element too short traps (in a child process)
/// before the C routine can read or write past a Swift array.
@Suite("LAPACK and BLAS wrappers: results and buffer checks")
struct LAPACKWrapperTests {
    /// A symmetric positive-definite 3 x 3 matrix and a right-hand side.
    static let spd: [Double] = [4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]
    static let rhs: [Double] = [1, -2, 0.5]

    static func residual(_ a: [Double], _ x: [Double], _ b: [Double], n: Int) -> Double {
        var worst = 0.0
        for i in 0..<n {
            var s = 0.0
            for j in 0..<n { s += a[i + j * n] * x[j] }
            worst = Swift.max(worst, abs(s - b[i]))
        }
        return worst
    }

    @Test func blasOnValidSizes() {
        // dgemm: C (2 x 2) = Aᵀ (2 x 3) B (3 x 2), A stored 3 x 2.
        let a: [Double] = [1, 2, 3, 4, 5, 6], b: [Double] = [1, 0, -1, 2, 1, 0]
        var c = [Double](repeating: 0, count: 4)
        LAPACK.dgemm(transposeA: true, transposeB: false, m: 2, n: 2, k: 3, alpha: 1, a: a, lda: 3, b: b, ldb: 3, beta: 0, c: &c, ldc: 2)
        let expected: [Double] = [-2, -2, 4, 13]  // columns of Aᵀ B: (1·1 − 3, 4 − 6), (1·2 + 2, 4·2 + 5)
        #expect(c == expected)
        // dgemv: y = A x for A 3 x 2.
        var y = [Double](repeating: 0, count: 3)
        LAPACK.dgemv(transpose: false, m: 3, n: 2, alpha: 1, a: a, x: [1, -1], beta: 0, y: &y)
        #expect(y == [-3, -3, -3])
        // dsyrk: lower triangle of Aᵀ A (2 x 2) for A 3 x 2.
        var g = [Double](repeating: 0, count: 4)
        LAPACK.dsyrk(transpose: true, n: 2, k: 3, alpha: 1, a: a, lda: 3, beta: 0, c: &g)
        #expect(g[0] == 14 && g[1] == 32 && g[3] == 77)
        var r = [Double](repeating: 0, count: 4)
        LAPACK.dsyrkLowerRecursive(n: 2, k: 3, alpha: 1, a: a, lda: 3, c: &r, leaf: 1)
        #expect(r[0] == 14 && r[1] == 32 && r[3] == 77)
        #expect(LAPACK.ddot([1, 2, 3], [4, 5, 6]) == 32)
        var v: [Double] = [1, 1, 1]
        LAPACK.daxpy(alpha: 2, x: [1, 2, 3], y: &v)
        #expect(v == [3, 5, 7])
    }

    @Test func lapackOnValidSizes() {
        let n = 3
        // dpotrf + dpotrs + dpocon + dpotri.
        var factor = Self.spd
        #expect(LAPACK.dpotrf(n: n, a: &factor) == 0)
        var x = Self.rhs
        LAPACK.dpotrs(n: n, nrhs: 1, factor: factor, b: &x)
        #expect(Self.residual(Self.spd, x, Self.rhs, n: n) < 1e-14)
        let rcond = LAPACK.dpocon(n: n, factor: factor, anorm: 8.6)
        #expect(rcond > 0.05 && rcond <= 1)
        var inverse = factor
        #expect(LAPACK.dpotri(n: n, a: &inverse) == 0)
        // A · (first column of A⁻¹, from the lower triangle) = e₁.
        #expect(Self.residual(Self.spd, [inverse[0], inverse[1], inverse[2]], [1, 0, 0], n: n) < 1e-14)
        // dsyevr: A v = λ v for every pair.
        var a = Self.spd, w = [Double](repeating: 0, count: n), z = [Double](repeating: 0, count: n * n)
        #expect(LAPACK.dsyevr(n: n, a: &a, eigenvalues: &w, eigenvectors: &z) == 0)
        for k in 0..<n {
            let vector = Array(z[(k * n)..<((k + 1) * n)])
            #expect(Self.residual(Self.spd, vector, vector.map { $0 * w[k] }, n: n) < 1e-13)
        }
        #expect(w == w.sorted())
        // dgesv and dsysv on the same system, two right-hand sides.
        for solver in ["dgesv", "dsysv"] {
            var m = Self.spd, b = Self.rhs + [0, 1, 0]
            let info = solver == "dgesv" ? LAPACK.dgesv(n: n, nrhs: 2, a: &m, b: &b) : LAPACK.dsysv(n: n, nrhs: 2, a: &m, b: &b)
            #expect(info == 0)
            #expect(Self.residual(Self.spd, Array(b[0..<3]), Self.rhs, n: n) < 1e-14, "\(solver)")
            #expect(Self.residual(Self.spd, Array(b[3..<6]), [0, 1, 0], n: n) < 1e-14, "\(solver)")
        }
        // dgels: least squares of a 3 x 2 system (b has max(m, n) = 3 rows).
        var ls: [Double] = [1, 1, 1, 0, 1, 2], lb: [Double] = [1, 2, 4]
        #expect(LAPACK.dgels(m: 3, n: 2, nrhs: 1, a: &ls, b: &lb) == 0)
        #expect(abs(lb[0] - 5.0 / 6.0) < 1e-14 && abs(lb[1] - 1.5) < 1e-14)
    }

    /// The wrappers whose buffer check a too-short buffer trips.
    enum ShortBuffer: String, CaseIterable, Codable, Sendable {
        case dgemmC, dgemvY, dsyrkA, dsyrkRecursiveC, ddot, daxpy, dpotrf, dpotrsB, dpotri, dpocon,
             dsyevrZ, dgesvB, dgelsB, dsysvB
    }

    @Test("a buffer one element short traps before the C call", arguments: ShortBuffer.allCases)
    func shortBufferTraps(_ wrapper: ShortBuffer) async {
        await #expect(processExitsWith: .failure) { [wrapper] in
            let three = [Double](repeating: 1, count: 3), eight = [Double](repeating: 1, count: 8)
            var short3 = [Double](repeating: 0, count: 3 * 3 - 1), two = [Double](repeating: 0, count: 2)
            var spd = LAPACKWrapperTests.spd, w = three
            switch wrapper {
            case .dgemmC: LAPACK.dgemm(transposeA: false, transposeB: false, m: 3, n: 3, k: 3, alpha: 1, a: spd, lda: 3, b: spd, ldb: 3, beta: 0, c: &short3, ldc: 3)
            case .dgemvY: LAPACK.dgemv(transpose: false, m: 3, n: 3, alpha: 1, a: spd, x: three, beta: 0, y: &two)
            case .dsyrkA: LAPACK.dsyrk(transpose: true, n: 3, k: 3, alpha: 1, a: eight, lda: 3, beta: 0, c: &spd)
            case .dsyrkRecursiveC: LAPACK.dsyrkLowerRecursive(n: 3, k: 3, alpha: 1, a: spd, lda: 3, c: &short3)
            case .ddot: _ = LAPACK.ddot(three, [1, 2])
            case .daxpy: LAPACK.daxpy(alpha: 1, x: three, y: &two)
            case .dpotrf: _ = LAPACK.dpotrf(n: 3, a: &short3)
            case .dpotrsB: LAPACK.dpotrs(n: 3, nrhs: 2, factor: spd, b: &w)
            case .dpotri: _ = LAPACK.dpotri(n: 3, a: &short3)
            case .dpocon: _ = LAPACK.dpocon(n: 3, factor: eight, anorm: 1)
            case .dsyevrZ: _ = LAPACK.dsyevr(n: 3, a: &spd, eigenvalues: &w, eigenvectors: &short3)
            case .dgesvB: _ = LAPACK.dgesv(n: 3, nrhs: 2, a: &spd, b: &w)
            case .dgelsB: _ = LAPACK.dgels(m: 2, n: 3, nrhs: 1, a: &spd, b: &two)
            case .dsysvB: _ = LAPACK.dsysv(n: 3, nrhs: 2, a: &spd, b: &w)
            }
        }
    }
}
