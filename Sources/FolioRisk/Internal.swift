import FolioLinearAlgebra

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always) func _log(_ x: Double) -> Double { log(x) }
@inline(__always) func _exp(_ x: Double) -> Double { exp(x) }
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) func _erfc(_ x: Double) -> Double { erfc(x) }

/// Column means of a column-major matrix, by one BLAS `dgemv` (Xᵀ·1 / T).
func columnMeans(_ x: Matrix) -> [Double] {
    guard x.rows > 0 else { return [Double](repeating: 0, count: x.columns) }
    return x.multiplied(by: [Double](repeating: 1, count: x.rows), transposingSelf: true, scale: 1 / Double(x.rows))
}

/// The returns minus their column means, in one contiguous column-major buffer.
func centered(_ x: Matrix) -> (data: Matrix, means: [Double]) {
    let t = x.rows, n = x.columns
    var means = [Double](repeating: 0, count: n)
    let data = [Double](unsafeUninitializedCapacity: t * n) { out, count in
        x.elements.withUnsafeBufferPointer { a in
            for j in 0..<n {
                let base = j * t
                var s = 0.0
                for i in 0..<t { s += a[base + i] }
                let mean = s / Double(t)
                means[j] = mean
                for i in 0..<t { out[base + i] = a[base + i] - mean }
            }
        }
        count = t * n
    }
    return (Matrix(rows: t, columns: n, columnMajor: data), means)
}

/// `scale · XcᵀXc` for the column-centered Xc of `x`, without writing Xc.
///
/// Computes `XᵀX` of the raw data in one `dsyrk` and subtracts `T·μμᵀ`. That subtraction loses
/// about log10(max Σₜxₜᵢ² / Σₜ(xₜᵢ − μᵢ)²) digits; daily returns lose none that matter (the
/// ratio is ~1.003), but when any column loses more than 3 digits (data with a large mean
/// relative to its spread) the product is recomputed from an explicitly centered copy.
func centeredGramian(_ x: Matrix, scale: Double) -> (gramian: Matrix, means: [Double]) {
    let t = x.rows, n = x.columns
    let means = columnMeans(x)
    var g = x.lowerGramian()
    let tt = Double(t)
    let accurate = (0..<n).allSatisfy { i in
        let raw = g[i, i], centeredValue = raw - tt * means[i] * means[i]
        return !(raw > 1e3 * Swift.max(centeredValue, 0) && raw > 0)
    }
    guard accurate else {
        let (xc, _) = centered(x)
        return (xc.gramian(scale: scale), means)
    }
    means.withUnsafeBufferPointer { m in
        g.mapLowerTriangleAndMirror { i, j, value in (value - tt * m[i] * m[j]) * scale }
    }
    return (g, means)
}

extension Matrix {
    /// Multiplies every element by `s` in place.
    mutating func scale(by s: Double) {
        elements.withUnsafeMutableBufferPointer { a in
            for i in a.indices { a[i] *= s }
        }
    }

    /// The sum of the diagonal.
    var trace: Double {
        var s = 0.0
        for i in 0..<Swift.min(rows, columns) { s += elements[i + i * rows] }
        return s
    }

    /// Σ aᵢⱼ² over all elements.
    var sumOfSquares: Double {
        elements.withUnsafeBufferPointer { a in
            var s = 0.0
            for v in a { s += v * v }
            return s
        }
    }
}

/// Reads a packed symmetric estimate's lower triangle into a full matrix (for internal use).
func symmetricPart(_ m: Matrix) -> Matrix {
    var r = m
    let n = m.rows
    r.elements.withUnsafeMutableBufferPointer { a in
        for j in 0..<n {
            for i in (j + 1)..<Swift.max(j + 1, n) {
                let v = 0.5 * (a[i + j * n] + a[j + i * n])
                a[i + j * n] = v
                a[j + i * n] = v
            }
        }
    }
    return r
}
