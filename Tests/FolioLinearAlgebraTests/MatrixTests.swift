import Testing
import FolioLinearAlgebra

@Suite struct MatrixTests {
    @Test func storageIsColumnMajor() {
        let m = Matrix(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.columns == 3)
        #expect(m.elements == [1, 4, 2, 5, 3, 6])
        #expect(m[1, 2] == 6)
        #expect(m.row(1) == [4, 5, 6])
        #expect(m.column(2) == [3, 6])
        #expect(Matrix(columns: [[1, 4], [2, 5], [3, 6]]) == m)
    }

    @Test func transposeIdentityAndDiagonal() {
        let m = Matrix(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(m.transposed == Matrix(rows: [[1, 4], [2, 5], [3, 6]]))
        #expect(m.transposed.transposed == m)
        #expect(Matrix.identity(3) == Matrix.diagonal([1, 1, 1]))
        #expect(Matrix.diagonal([2, 3]).diagonal == [2, 3])
        var s = Matrix(rows: [[1, 0], [7, 1]])
        #expect(s.asymmetry == 7)
        s.mirrorLowerTriangle()
        #expect(s == Matrix(rows: [[1, 7], [7, 1]]))
    }

    @Test func descriptionIsReadable() {
        let text = Matrix(rows: [[1, 2.5], [-3, 4]]).description
        #expect(text.hasPrefix("2×2 Matrix"))
        #expect(text.contains("2.5") && text.contains("-3"))
        let big = Matrix(rows: 100, columns: 100, repeating: 1).description
        #expect(big.contains("⋮") && big.split(separator: "\n").count == 12)
    }

    @Test(arguments: [1, 2, 7, 23])
    func productsAgreeWithNaiveLoops(n: Int) {
        var g = SeededGenerator(seed: 42 + UInt64(n))
        let a = Matrix.random(rows: n, columns: n + 3, using: &g)
        let b = Matrix.random(rows: n + 3, columns: n + 1, using: &g)
        #expect(relativeError(a * b, naiveProduct(a, b)) < 1e-14)
        #expect(relativeError(a.multiplied(by: a, transposingOther: true), naiveProduct(a, a.transposed)) < 1e-14)
        #expect(relativeError(a.multiplied(by: a, transposingSelf: true, scale: 2),
                              2 * naiveProduct(a.transposed, a)) < 1e-14)
        // syrk: full and exactly symmetric, equal to the naive AᵀA
        let gram = a.gramian(scale: 0.5)
        #expect(gram.asymmetry == 0)
        #expect(relativeError(gram, 0.5 * naiveProduct(a.transposed, a)) < 1e-14)
        #expect(relativeError(a.outerGramian(), naiveProduct(a, a.transposed)) < 1e-14)
        // gemv both ways
        let x = (0..<(n + 3)).map { _ in Double.random(in: -1...1, using: &g) }
        let y = (0..<n).map { _ in Double.random(in: -1...1, using: &g) }
        #expect(relativeError(a * x, naiveProduct(a, Matrix(columns: [x])).elements) < 1e-14)
        #expect(relativeError(a.multiplied(by: y, transposingSelf: true),
                              naiveProduct(a.transposed, Matrix(columns: [y])).elements) < 1e-14)
        // dot and axpy
        let naiveDot = zip(x, x).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(x.dot(x) - naiveDot) <= 1e-14 * naiveDot)
        var z = x
        z.addScaled(x, by: -3)
        #expect(relativeError(z, x.map { -2 * $0 }) < 1e-15)
    }

    /// Wider than 1024 columns the Gram matrix is built recursively (dsyrk on diagonal blocks,
    /// dgemm off the diagonal): it must equal the general product, be exactly symmetric, and
    /// survive odd widths at every level (1100 → 550 + 550; 2051 → 1025 → 512 + 513).
    @Test(arguments: [1100, 2051])
    func wideGramianMatchesGeneralProduct(columns: Int) {
        var g = SeededGenerator(seed: UInt64(columns))
        let a = Matrix.random(rows: 9, columns: columns, using: &g)
        let gram = a.gramian(scale: 0.25)
        #expect(gram.asymmetry == 0)
        #expect(relativeError(gram, a.multiplied(by: a, transposingSelf: true, scale: 0.25)) < 1e-14)
        var mapped = a.lowerGramian()
        mapped.mapLowerTriangleAndMirror { i, j, value in value - Double(i) + Double(j) }
        #expect(mapped.asymmetry == 0)
        #expect(mapped[columns - 1, 0] == gram[columns - 1, 0] * 4 - Double(columns - 1))
        #expect(mapped[0, columns - 1] == mapped[columns - 1, 0])
    }

    @Test func emptyShapesAreFine() {
        let a = Matrix(rows: 0, columns: 3)
        #expect((a * Matrix(rows: 3, columns: 2)).rows == 0)
        #expect(a.gramian() == Matrix(rows: 3, columns: 3))
        #expect([Double]().dot([]) == 0)
    }
}
