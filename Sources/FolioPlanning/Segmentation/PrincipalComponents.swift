import FolioLinearAlgebra

/// The two directions along which clients differ most (principal components of the scaled
/// features; Pearson 1901, Hotelling 1933), used to draw a book's segments on a page.
public struct PrincipalComponents: Sendable, Hashable, Codable {
    /// The feature means that were subtracted.
    public let means: [Double]
    /// The components, each `d` loadings of unit length, largest variance first. The sign
    /// makes each component's largest loading positive, so a re-run draws the same picture.
    public let components: [[Double]]
    /// The share of the total variance each component explains.
    public let explainedVarianceRatio: [Double]

    /// The leading `count` components of `data`'s covariance.
    ///
    /// - Throws: `LinearAlgebraError` when the eigensolver fails (never for finite data).
    /// - Complexity: O(n·d²) for the covariance, O(d³) for its eigendecomposition.
    public init(_ data: ClientFeatures, count: Int = 2) throws(LinearAlgebraError) {
        let n = data.clientCount, d = data.featureCount
        precondition(count >= 1 && count <= d && n >= 2, "Need at least two clients and count ≤ features")
        var means = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { means[j] += data.values[i * d + j] } }
        for j in 0..<d { means[j] /= Double(n) }
        var centred = data.values
        for i in 0..<n { for j in 0..<d { centred[i * d + j] -= means[j] } }
        let covariance = Matrix(rows: d, columns: n, columnMajor: centred).outerGramian(scale: 1 / Double(n - 1))
        let eigen = try SymmetricEigendecomposition(covariance)
        let total = eigen.eigenvalues.reduce(0) { $0 + Swift.max($1, 0) }
        var components = [[Double]]()
        var ratios = [Double]()
        for r in 0..<count {
            let index = d - 1 - r
            var vector = eigen.eigenvectors.column(index)
            let largest = vector.indices.max { abs(vector[$0]) < abs(vector[$1]) }!
            if vector[largest] < 0 { vector = vector.map { -$0 } }
            components.append(vector)
            ratios.append(total > 0 ? Swift.max(eigen.eigenvalues[index], 0) / total : 0)
        }
        self.means = means
        self.components = components
        self.explainedVarianceRatio = ratios
    }

    /// Each client's coordinates on the components (n arrays of `count` values).
    /// - Complexity: O(n·d·count).
    public func project(_ data: ClientFeatures) -> [[Double]] {
        (0..<data.clientCount).map { i in
            let x = data.client(i)
            return components.map { component in
                var s = 0.0
                var j = 0
                for v in x { s += (v - means[j]) * component[j]; j += 1 }
                return s
            }
        }
    }
}
