import FolioLinearAlgebra

/// Silhouette of a grouping (Rousseeuw, "Silhouettes: a graphical aid to the interpretation
/// and validation of cluster analysis", J. Comput. Appl. Math. 20, 1987): for each client,
/// `(b − a) / max(a, b)` with `a` its mean distance to the rest of its group and `b` its
/// mean distance to the nearest other group; 0 for a client alone in its group. Near 1:
/// tight, separate groups; near 0: overlapping ones.
public enum Silhouette {
    /// The mean silhouette over all clients (scikit-learn's `silhouette_score`, Euclidean).
    ///
    /// Distances come in blocks of rows from BLAS products, `‖x‖² + ‖y‖² − 2xᵀy` (clipped at
    /// zero, as scikit-learn computes them), so memory stays O(block · n).
    /// - Precondition: labels in `0..<groups`, one per client, at least two groups used.
    /// - Complexity: O(n²·d) flops, O(n·k) extra memory.
    public static func score(_ data: ClientFeatures, labels: [Int]) -> Double {
        let values = samples(data, labels: labels)
        return values.reduce(0, +) / Double(values.count)
    }

    /// Each client's silhouette value.
    /// - Complexity: O(n²·d).
    public static func samples(_ data: ClientFeatures, labels: [Int]) -> [Double] {
        let n = data.clientCount, d = data.featureCount
        precondition(labels.count == n, "One label per client")
        let k = (labels.max() ?? 0) + 1
        var sizes = [Int](repeating: 0, count: k)
        for l in labels { sizes[l] += 1 }
        precondition(sizes.filter { $0 > 0 }.count >= 2, "The silhouette needs at least two groups")
        var norms = [Double](repeating: 0, count: n)
        for i in 0..<n { norms[i] = data.client(i).reduce(0) { $0 + $1 * $1 } }
        let points = Matrix(rows: d, columns: n, columnMajor: data.values)
        let block = Swift.max(1, Swift.min(n, 1 << 22 / Swift.max(n, 1)))
        var result = [Double](repeating: 0, count: n)
        var start = 0
        while start < n {
            let count = Swift.min(block, n - start)
            let rows = Matrix(rows: d, columns: count,
                              columnMajor: Array(data.values[(start * d)..<((start + count) * d)]))
            let products = points.multiplied(by: rows, transposingSelf: true)  // n x count
            products.elements.withUnsafeBufferPointer { g in
                var sums = [Double](repeating: 0, count: k)
                for r in 0..<count {
                    let i = start + r
                    for c in 0..<k { sums[c] = 0 }
                    for p in 0..<n where p != i {
                        let squared = Swift.max(norms[i] + norms[p] - 2 * g[r * n + p], 0)
                        sums[labels[p]] += squared.squareRoot()
                    }
                    let own = labels[i]
                    guard sizes[own] > 1 else { result[i] = 0; continue }
                    let a = sums[own] / Double(sizes[own] - 1)
                    var b = Double.infinity
                    for c in 0..<k where c != own && sizes[c] > 0 { b = Swift.min(b, sums[c] / Double(sizes[c])) }
                    let denominator = Swift.max(a, b)
                    result[i] = denominator > 0 ? (b - a) / denominator : 0
                }
            }
            start += count
        }
        return result
    }
}
