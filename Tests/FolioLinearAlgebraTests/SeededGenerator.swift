import FolioLinearAlgebra
@_exported import FolioTestSupport

/// The shared seeded generator (FolioTestSupport), under this target's old name.
typealias SeededGenerator = SplitMix64

extension Matrix {
    /// A matrix of independent uniform(-1, 1) entries.
    static func random(rows: Int, columns: Int, using generator: inout SeededGenerator) -> Matrix {
        Matrix(rows: rows, columns: columns,
               columnMajor: (0..<(rows * columns)).map { _ in Double.random(in: -1...1, using: &generator) })
    }

    /// A well-conditioned symmetric positive-definite matrix BᵀB/n + I.
    static func randomSPD(_ n: Int, using generator: inout SeededGenerator) -> Matrix {
        let b = random(rows: n, columns: n, using: &generator)
        return b.gramian(scale: 1 / Double(n)) + .identity(n)
    }
}

/// ‖a − b‖_F / max(‖b‖_F, tiny): the relative error used throughout these tests.
func relativeError(_ a: Matrix, _ b: Matrix) -> Double {
    (a - b).frobeniusNorm / max(b.frobeniusNorm, .leastNormalMagnitude)
}

func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    relativeError(Matrix(columns: [a]), Matrix(columns: [b]))
}

/// Naive triple-loop product, the independent reference for BLAS on small sizes.
func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
    var c = Matrix(rows: a.rows, columns: b.columns)
    for i in 0..<a.rows {
        for j in 0..<b.columns {
            var sum = 0.0
            for k in 0..<a.columns { sum += a[i, k] * b[k, j] }
            c[i, j] = sum
        }
    }
    return c
}
