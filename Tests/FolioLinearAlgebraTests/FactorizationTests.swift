import Testing
import FolioLinearAlgebra

@Suite struct FactorizationTests {
    static let sizes = [1, 2, 7, 100, 500]

    @Test(arguments: sizes)
    func choleskyReproducesTheMatrix(n: Int) throws {
        var g = SeededGenerator(seed: UInt64(n))
        let a = Matrix.randomSPD(n, using: &g)
        let chol = try Cholesky(a)
        let l = chol.lower
        for j in 0..<n { for i in 0..<j { #expect(l[i, j] == 0) } }
        #expect(l.diagonal.allSatisfy { $0 > 0 })
        #expect(relativeError(l.multiplied(by: l, transposingOther: true), a) < 1e-12)
    }

    @Test(arguments: sizes)
    func choleskySolvesAndInverts(n: Int) throws {
        var g = SeededGenerator(seed: 100 + UInt64(n))
        let a = Matrix.randomSPD(n, using: &g)
        let chol = try Cholesky(a)
        let b = Matrix.random(rows: n, columns: 3, using: &g)
        #expect(relativeError(a * chol.solve(b), b) < 1e-12)
        let v = b.column(0)
        #expect(relativeError(a * chol.solve(v), v) < 1e-12)
        let inverse = chol.inverse()
        #expect(inverse.asymmetry == 0)
        #expect(relativeError(a * inverse, .identity(n)) < 1e-12)
        // A = BᵀB/n + I has eigenvalues in [1, ~5], so κ₁ is small.
        let rcond = chol.reciprocalConditionNumber()
        #expect(rcond > 1e-3 && rcond <= 1)
    }

    @Test func conditionEstimateSeesNearSingularity() throws {
        let nearlySingular = Matrix(rows: [[1, 1 - 1e-12], [1 - 1e-12, 1]])
        #expect(try Cholesky(nearlySingular).reciprocalConditionNumber() < 1e-11)
        #expect(try Cholesky(.identity(4)).reciprocalConditionNumber() == 1)
        #expect(abs(try Cholesky(.diagonal([2, 8])).logDeterminant - 2.772588722239781) < 1e-14)  // log 16
    }

    @Test(arguments: sizes)
    func eigendecompositionReproducesTheMatrix(n: Int) throws {
        var g = SeededGenerator(seed: 200 + UInt64(n))
        let b = Matrix.random(rows: n, columns: n, using: &g)
        let a = b + b.transposed  // symmetric, indefinite
        let eigen = try SymmetricEigendecomposition(a)
        #expect(zip(eigen.eigenvalues, eigen.eigenvalues.dropFirst()).allSatisfy { $0 <= $1 })
        let q = eigen.eigenvectors
        #expect(relativeError(q.multiplied(by: q, transposingSelf: true), .identity(n)) < 1e-12)
        #expect(relativeError(eigen.recomposed, a) < 1e-12)
        let lambdaQ = q * .diagonal(eigen.eigenvalues)
        #expect(relativeError(a * q, lambdaQ) < 1e-12)
    }

    @Test func eigenvaluesOfAKnownMatrix() throws {
        let eigen = try SymmetricEigendecomposition(Matrix(rows: [[2, 1], [1, 2]]))
        #expect(abs(eigen.eigenvalues[0] - 1) < 1e-15 && abs(eigen.eigenvalues[1] - 3) < 1e-15)
        let clipped = eigen.recomposed(withEigenvalues: [0, 3])
        #expect(relativeError(clipped, Matrix(rows: [[1.5, 1.5], [1.5, 1.5]])) < 1e-15)
    }

    @Test(arguments: sizes)
    func generalSolveReproducesRightHandSides(n: Int) throws {
        var g = SeededGenerator(seed: 300 + UInt64(n))
        let a = Matrix.random(rows: n, columns: n, using: &g) + Double(n).squareRoot() * .identity(n)
        let b = Matrix.random(rows: n, columns: 2, using: &g)
        #expect(relativeError(a * (try a.solve(b)), b) < 1e-12)
        let v = b.column(1)
        #expect(relativeError(a * (try a.solve(v)), v) < 1e-12)
    }

    @Test(arguments: [(5, 3), (100, 7), (500, 100)])
    func leastSquaresSatisfiesNormalEquations(m: Int, n: Int) throws {
        var g = SeededGenerator(seed: 400 + UInt64(m))
        let a = Matrix.random(rows: m, columns: n, using: &g)
        let b = (0..<m).map { _ in Double.random(in: -1...1, using: &g) }
        let x = try a.leastSquares(b)
        // Aᵀ(Ax − b) = 0
        var residual = a * x
        residual.addScaled(b, by: -1)
        let normal = a.multiplied(by: residual, transposingSelf: true)
        #expect(normal.map(abs).max()! < 1e-12 * Double(m))
        // underdetermined: the minimum-norm solution reproduces the right-hand side
        let wide = a.transposed
        let c = (0..<n).map { _ in Double.random(in: -1...1, using: &g) }
        #expect(relativeError(wide * (try wide.leastSquares(c)), c) < 1e-12)
    }

    @Test func nonPositiveDefiniteThrowsWithTheMinor() {
        let a = Matrix(rows: [[4, 2, 0], [2, 1, 0], [0, 0, 1]])  // minor of order 2 is zero
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 2, routine: "dpotrf", info: 2)) {
            try Cholesky(a)
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 1, routine: "dpotrf", info: 1)) {
            try Cholesky(Matrix(rows: [[-1]]))
        }
    }

    @Test func singularSystemsThrow() {
        let singular = Matrix(rows: [[1, 2], [2, 4]])
        #expect(throws: LinearAlgebraError.singular(pivot: 2, routine: "dgesv", info: 2)) {
            try singular.solve([1, 1])
        }
        let rankDeficient = Matrix(rows: [[1, 2], [2, 4], [3, 6]])
        #expect(throws: LinearAlgebraError.self) { try rankDeficient.leastSquares([1, 2, 3]) }
    }

    @Test func nonFiniteInputThrowsBeforeLAPACK() {
        let bad = Matrix(rows: [[1, 0], [.nan, 1]])
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dpotrf")) { try Cholesky(bad) }
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dsyevr")) { try SymmetricEigendecomposition(bad) }
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dgesv")) { try bad.solve([1, 1]) }
    }

    @Test func errorsDescribeThemselves() {
        let e = LinearAlgebraError.notPositiveDefinite(minor: 3, routine: "dpotrf", info: 3)
        #expect(e.description.contains("order 3") && e.description.contains("dpotrf") && e.routine == "dpotrf")
    }

    /// Reads only: setting the thread count is process-global, so tests in this process never
    /// do it; `folio batch` (run as a child process by the CLI tests) is what sets it.
    @Test func threadCountIsReadable() {
        #expect(BLASConfiguration.threadCount >= 1)
        #expect(!BLASConfiguration.coreName.isEmpty)
    }
}
