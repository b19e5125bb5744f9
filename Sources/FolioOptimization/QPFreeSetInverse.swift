import FolioLinearAlgebra

/// The inverse of the principal submatrix Q_FF of a symmetric matrix Q over a free set F
/// that changes one index at a time: bordering when an index enters, a rank-one downdate
/// when one leaves (both O(n_F²)), rebuilt from a Cholesky factor every few dozen changes
/// to bound the drift (Niedermayer & Niedermayer 2007; Nocedal & Wright, *Numerical
/// Optimization*, §16.3 on updating factorizations in active-set methods). Solves take one
/// step of iterative refinement against Q_FF itself, so they are accurate to the condition
/// of Q_FF even after many updates.
struct FreeSetInverse {
    /// Q, column-major n x n.
    let q: [Double]
    let n: Int
    /// The free indices, in the order of the rows of Q_FF.
    private(set) var free: [Int] = []
    /// Q_FF and its inverse, leading dimension `capacity`.
    private var qFF: [Double]
    private var inverse: [Double]
    private var capacity: Int
    private var changesSinceRebuild = 0

    init(q: [Double], n: Int) {
        self.q = q
        self.n = n
        capacity = Swift.min(n, 64)
        qFF = Array(repeating: 0, count: capacity * capacity)
        inverse = Array(repeating: 0, count: capacity * capacity)
    }

    var count: Int { free.count }

    private mutating func grow() {
        let newCapacity = Swift.min(n, 2 * capacity)
        var a = [Double](repeating: 0, count: newCapacity * newCapacity)
        var b = [Double](repeating: 0, count: newCapacity * newCapacity)
        let nf = free.count
        for c in 0..<nf {
            for r in 0..<nf {
                a[r + c * newCapacity] = qFF[r + c * capacity]
                b[r + c * newCapacity] = inverse[r + c * capacity]
            }
        }
        qFF = a
        inverse = b
        capacity = newCapacity
    }

    /// Adds index j; false (and no change) when Q_FF would be numerically singular.
    mutating func enter(_ j: Int) -> Bool {
        let nf = free.count
        if nf == capacity { grow() }
        let ld = capacity
        var v = [Double](repeating: 0, count: nf)
        for f in 0..<nf { v[f] = q[free[f] + j * n] }
        let diagonal = q[j + j * n]
        var u = [Double](repeating: 0, count: nf)
        inverse.withUnsafeBufferPointer { m in
            for f in 0..<nf {
                let vf = v[f], base = f * ld
                for g in 0..<nf { u[g] += m[base + g] * vf }
            }
        }
        var s = diagonal
        for f in 0..<nf { s -= v[f] * u[f] }
        guard s > QPTolerances.borderingPivot * Swift.max(abs(diagonal), 1e-300), s.isFinite else { return false }
        for f in 0..<nf { qFF[f + nf * ld] = v[f]; qFF[nf + f * ld] = v[f] }
        qFF[nf + nf * ld] = diagonal
        inverse.withUnsafeMutableBufferPointer { m in
            for f in 0..<nf {
                let scale = u[f] / s, base = f * ld
                for g in 0..<nf { m[base + g] += u[g] * scale }
                m[nf + base] = -scale
                m[f + nf * ld] = -scale
            }
            m[nf + nf * ld] = 1 / s
        }
        free.append(j)
        changesSinceRebuild += 1
        if changesSinceRebuild >= 40 { return rebuild() }
        return true
    }

    /// Removes index j (swapping it with the last free index first).
    mutating func leave(_ j: Int) {
        let nf = free.count
        guard let p = free.firstIndex(of: j) else { return }
        let last = nf - 1, ld = capacity
        if p != last {
            Self.swapIndex(p, last, in: &qFF, size: nf, ld: ld)
            Self.swapIndex(p, last, in: &inverse, size: nf, ld: ld)
            free.swapAt(p, last)
        }
        inverse.withUnsafeMutableBufferPointer { m in
            let d = m[last + last * ld]
            for f in 0..<last {
                let scale = m[last + f * ld] / d, base = f * ld
                for g in 0..<last { m[base + g] -= m[g + last * ld] * scale }
            }
        }
        free.removeLast()
        changesSinceRebuild += 1
        if changesSinceRebuild >= 40 { _ = rebuild() }
    }

    private static func swapIndex(_ a: Int, _ b: Int, in m: inout [Double], size: Int, ld: Int) {
        m.withUnsafeMutableBufferPointer { p in
            for r in 0..<size { p.swapAt(r + a * ld, r + b * ld) }
            for c in 0..<size { p.swapAt(a + c * ld, b + c * ld) }
        }
    }

    /// Recomputes the inverse from a Cholesky factor of Q_FF; false when Q_FF is not
    /// positive definite.
    mutating func rebuild() -> Bool {
        changesSinceRebuild = 0
        let nf = free.count, ld = capacity
        if nf == 0 { return true }
        var packed = [Double](repeating: 0, count: nf * nf)
        for c in 0..<nf { for r in 0..<nf { packed[r + c * nf] = qFF[r + c * ld] } }
        guard let inv = Cholesky.inverse(ofPositiveDefinite: packed, order: nf) else { return false }
        for c in 0..<nf { for r in 0..<nf { inverse[r + c * ld] = inv[r + c * nf] } }
        return true
    }

    /// Solves Q_FF X = B for `columns` right-hand sides packed in `b` (n_F values each),
    /// with one step of iterative refinement.
    ///
    /// - Complexity: 6·n_F² flops per right-hand side.
    func solve(_ b: [Double], columns: Int) -> [Double] {
        let nf = free.count, ld = capacity
        var x = [Double](repeating: 0, count: nf * columns)
        var residual = [Double](repeating: 0, count: nf)
        inverse.withUnsafeBufferPointer { m in
            qFF.withUnsafeBufferPointer { s in
                x.withUnsafeMutableBufferPointer { xo in
                    b.withUnsafeBufferPointer { bi in
                        residual.withUnsafeMutableBufferPointer { res in
                            for c in 0..<columns {
                                let off = c * nf
                                for f in 0..<nf {
                                    let v = bi[off + f], base = f * ld
                                    if v == 0 { continue }
                                    for g in 0..<nf { xo[off + g] += m[base + g] * v }
                                }
                                for g in 0..<nf { res[g] = bi[off + g] }
                                for f in 0..<nf {
                                    let v = xo[off + f], base = f * ld
                                    for g in 0..<nf { res[g] -= s[base + g] * v }
                                }
                                for f in 0..<nf {
                                    let v = res[f], base = f * ld
                                    for g in 0..<nf { xo[off + g] += m[base + g] * v }
                                }
                            }
                        }
                    }
                }
            }
        }
        return x
    }
}
