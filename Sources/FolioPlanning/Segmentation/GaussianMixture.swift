import Foundation
import FolioLinearAlgebra

/// A Gaussian mixture model of clients: each group is a multivariate normal with its own
/// mean and full covariance, and each client belongs to every group with a probability (the
/// responsibility). Softer than k-means: elongated or overlapping groups are found, and a
/// client between two groups says so.
///
/// Expectation-maximisation (Dempster, Laird & Rubin, "Maximum likelihood from incomplete data
/// via the EM algorithm", JRSS B 39(1), 1977) with full covariances, each regularised by
/// `covarianceRegularization` on the diagonal and factored by Cholesky for the densities; the
/// same updates and stopping rule as scikit-learn's `GaussianMixture(covariance_type="full")`.
/// Started from k-means groups unless initial parameters are given.
public struct GaussianMixture: Sendable, Hashable {
    /// The number of components (groups).
    public var componentCount: Int
    /// The most EM iterations.
    public var maximumIterations: Int
    /// Stop when the mean log-likelihood per client changes by less than this.
    public var tolerance: Double
    /// Added to every covariance's diagonal, so no component collapses onto a point.
    public var covarianceRegularization: Double
    /// Seed of the k-means start.
    public var seed: UInt64

    /// A mixture configuration (scikit-learn's defaults: 100 iterations, tolerance 1e-3,
    /// regularisation 1e-6).
    /// - Precondition: `componentCount ≥ 1`, `maximumIterations ≥ 1`, non-negative tolerance and regularisation.
    public init(componentCount: Int, maximumIterations: Int = 100, tolerance: Double = 1e-3,
                covarianceRegularization: Double = 1e-6, seed: UInt64 = 0) {
        precondition(componentCount >= 1 && maximumIterations >= 1 && tolerance >= 0 && covarianceRegularization >= 0,
                     "Invalid mixture configuration")
        self.componentCount = componentCount
        self.maximumIterations = maximumIterations
        self.tolerance = tolerance
        self.covarianceRegularization = covarianceRegularization
        self.seed = seed
    }

    /// Fits the mixture from a k-means start (one k-means++ run, as scikit-learn's
    /// `init_params="kmeans"`).
    ///
    /// - Throws: `SegmentationError` for too few clients, a non-finite value or a collapsed component.
    /// - Complexity: O(iterations · k · n·d²), in BLAS.
    public func fit(_ data: ClientFeatures) throws(SegmentationError) -> GaussianMixtureResult {
        let kmeans = try KMeans(clusterCount: componentCount, restarts: 1, seed: seed).fit(data)
        let n = data.clientCount
        var responsibilities = [Double](repeating: 0, count: n * componentCount)
        for (i, c) in kmeans.labels.enumerated() { responsibilities[c * n + i] = 1 }
        let start = try maximisation(data, responsibilities: responsibilities)
        return try run(data, from: start)
    }

    /// Fits the mixture from given parameters: the comparison with scikit-learn's
    /// `GaussianMixture(weights_init=, means_init=, precisions_init=)`.
    ///
    /// - Throws: as `fit(_:)`, and `.invalidInitialization` when the shapes do not match.
    /// - Complexity: O(iterations · k · n·d²).
    public func fit(_ data: ClientFeatures, initial: GaussianMixtureParameters) throws(SegmentationError) -> GaussianMixtureResult {
        try KMeans.validate(data, groups: componentCount)
        let d = data.featureCount
        guard initial.weights.count == componentCount, initial.means.count == componentCount,
              initial.covariances.count == componentCount,
              initial.means.allSatisfy({ $0.count == d }),
              initial.covariances.allSatisfy({ $0.rows == d && $0.columns == d }) else {
            throw .invalidInitialization(detail: "expected \(componentCount) weights, means of \(d) and \(d)x\(d) covariances")
        }
        return try run(data, from: initial)
    }

    private func run(_ data: ClientFeatures, from start: GaussianMixtureParameters) throws(SegmentationError) -> GaussianMixtureResult {
        var parameters = start
        var lowerBound = -Double.infinity
        var converged = false
        var iterations = 0
        while iterations < maximumIterations {
            iterations += 1
            let previous = lowerBound
            let expectation = try Self.expectation(data, parameters)
            parameters = try maximisation(data, responsibilities: expectation.responsibilities)
            lowerBound = expectation.meanLogLikelihood
            if abs(lowerBound - previous) < tolerance { converged = true; break }
        }
        let final = try Self.expectation(data, parameters)
        let n = data.clientCount, k = componentCount
        var labels = [Int](repeating: 0, count: n)
        var membership = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var best = 0
            for c in 1..<k where final.responsibilities[c * n + i] > final.responsibilities[best * n + i] { best = c }
            labels[i] = best
            membership[i] = final.responsibilities[best * n + i]
        }
        return GaussianMixtureResult(parameters: parameters, labels: labels, membership: membership,
                                     meanLogLikelihood: final.meanLogLikelihood, clientCount: n,
                                     iterations: iterations, converged: converged)
    }

    /// The E step: log densities through each component's Cholesky factor, responsibilities
    /// (component-major: component `c`, client `i` at `c * n + i`) and the mean log-likelihood.
    /// Every component's `L⁻¹` is stacked into one `(k·d) x d` matrix, so each block of 2,048
    /// clients costs one BLAS product for all components, and the product stays in cache.
    static func expectation(_ data: ClientFeatures, _ parameters: GaussianMixtureParameters)
        throws(SegmentationError) -> (responsibilities: [Double], meanLogLikelihood: Double) {
        let n = data.clientCount, d = data.featureCount, k = parameters.weights.count
        var logDensity = [Double](repeating: 0, count: n * k)
        let constant = Double(d) * log(2 * Double.pi)
        // Every component's L⁻¹ stacked, (k·d) x d: one product per block of clients gives
        // y = L⁻¹x for all components at once; then y − L⁻¹μ.
        let kd = k * d
        var stacked = [Double](repeating: 0, count: kd * d)
        var shifts = [Double](repeating: 0, count: kd)
        var logDeterminants = [Double](repeating: 0, count: k)
        for c in 0..<k {
            let factor: Cholesky
            do { factor = try Cholesky(parameters.covariances[c]) } catch { throw .degenerateComponent(component: c) }
            let inverse = lowerTriangularInverse(factor.lower)
            for j in 0..<d {
                logDeterminants[c] += log(factor.lower[j, j])
                for r in 0..<d { stacked[j * kd + c * d + r] = inverse[r, j] }
            }
            let shift = inverse.multiplied(by: parameters.means[c])
            for r in 0..<d { shifts[c * d + r] = shift[r] }
        }
        let inverses = Matrix(rows: kd, columns: d, columnMajor: stacked)
        let logWeights = parameters.weights.map { log($0) }
        let block = Swift.min(n, 2048)
        var start = 0
        while start < n {
            let m = Swift.min(block, n - start)
            let points = Matrix(rows: d, columns: m, columnMajor: Array(data.values[(start * d)..<((start + m) * d)]))
            let projected = inverses.multiplied(by: points)  // (k·d) x m
            projected.elements.withUnsafeBufferPointer { y in
                logDensity.withUnsafeMutableBufferPointer { out in
                    for i in 0..<m {
                        for c in 0..<k {
                            var sum = 0.0
                            let base = i * kd + c * d
                            for j in 0..<d { let e = y[base + j] - shifts[c * d + j]; sum += e * e }
                            out[c * n + start + i] = -0.5 * (constant + sum) - logDeterminants[c] + logWeights[c]
                        }
                    }
                }
            }
            start += m
        }
        var total = 0.0
        for i in 0..<n {
            var peak = -Double.infinity
            for c in 0..<k { peak = Swift.max(peak, logDensity[c * n + i]) }
            var sum = 0.0
            for c in 0..<k { sum += exp(logDensity[c * n + i] - peak) }
            let normaliser = peak + log(sum)
            total += normaliser
            for c in 0..<k { logDensity[c * n + i] = exp(logDensity[c * n + i] - normaliser) }
        }
        return (logDensity, total / Double(n))
    }

    /// The M step: weights, means and regularised covariances from responsibilities, every
    /// component at once through two BLAS products per block of clients.
    ///
    /// With `x̃ = x − m` (`m` the mean client, against cancellation), `R` the `n x k`
    /// responsibilities and `Q` the `n x d(d+1)/2` products `x̃ⱼx̃ₗ` (`j ≤ l`) of each client,
    /// `X̃ᵀR` gives every component's weighted sum and `QᵀR` every component's weighted second
    /// moments; then `μ = m + X̃ᵀr/N` and `Σ = Qᵀr/N − (μ − m)(μ − m)ᵀ`, as scikit-learn's
    /// `_estimate_gaussian_covariances_full` (which centres each component) computes it.
    /// - Complexity: O(n · d² · k) in BLAS, O(n · d²) memory-bound work building `Q`, in blocks
    ///   of 4,096 clients.
    func maximisation(_ data: ClientFeatures, responsibilities: [Double]) throws(SegmentationError) -> GaussianMixtureParameters {
        let n = data.clientCount, d = data.featureCount, k = componentCount
        let pairs = d * (d + 1) / 2
        var centre = [Double](repeating: 0, count: d)
        data.values.withUnsafeBufferPointer { x in
            for i in 0..<n { for j in 0..<d { centre[j] += x[i * d + j] } }
        }
        for j in 0..<d { centre[j] /= Double(n) }
        var sizes = [Double](repeating: 0, count: k)
        for c in 0..<k {
            var size = 0.0
            for i in 0..<n { size += responsibilities[c * n + i] }
            sizes[c] = size + 10 * Double.ulpOfOne
        }
        var first = [Double](repeating: 0, count: d * k)       // d x k
        var second = [Double](repeating: 0, count: pairs * k)  // d(d+1)/2 x k
        let block = Swift.min(n, 4096)
        var shifted = [Double](repeating: 0, count: d * block)
        var products = [Double](repeating: 0, count: pairs * block)
        var weights = [Double](repeating: 0, count: block * k)
        var start = 0
        while start < n {
            let m = Swift.min(block, n - start)
            data.values.withUnsafeBufferPointer { x in
                shifted.withUnsafeMutableBufferPointer { y in
                    products.withUnsafeMutableBufferPointer { q in
                        for i in 0..<m {
                            let row = (start + i) * d
                            for j in 0..<d { y[i * d + j] = x[row + j] - centre[j] }
                            var t = i * pairs
                            for j in 0..<d {
                                let yj = y[i * d + j]
                                for l in j..<d { q[t] = yj * y[i * d + l]; t += 1 }
                            }
                        }
                    }
                }
            }
            for c in 0..<k { for i in 0..<m { weights[c * m + i] = responsibilities[c * n + start + i] } }
            let r = Matrix(rows: m, columns: k, columnMajor: Array(weights[0..<(m * k)]))
            let f = Matrix(rows: d, columns: m, columnMajor: Array(shifted[0..<(d * m)])).multiplied(by: r)
            let q = Matrix(rows: pairs, columns: m, columnMajor: Array(products[0..<(pairs * m)])).multiplied(by: r)
            for t in 0..<(d * k) { first[t] += f.elements[t] }
            for t in 0..<(pairs * k) { second[t] += q.elements[t] }
            start += m
        }
        var means = [[Double]]()
        var covariances = [Matrix]()
        for c in 0..<k {
            let size = sizes[c]
            let offset = (0..<d).map { first[c * d + $0] / size }
            means.append((0..<d).map { centre[$0] + offset[$0] })
            var covariance = Matrix(rows: d, columns: d)
            var t = c * pairs
            for j in 0..<d {
                for l in j..<d {
                    let value = second[t] / size - offset[j] * offset[l]
                    covariance[j, l] = value
                    covariance[l, j] = value
                    t += 1
                }
                covariance[j, j] += covarianceRegularization
            }
            guard covariance.isFinite else { throw .degenerateComponent(component: c) }
            covariances.append(covariance)
        }
        let totalSize = sizes.reduce(0, +)
        return GaussianMixtureParameters(weights: sizes.map { $0 / totalSize }, means: means, covariances: covariances)
    }

    /// `L⁻¹` of a lower-triangular matrix by forward substitution.
    /// - Complexity: d³/3 flops.
    static func lowerTriangularInverse(_ lower: Matrix) -> Matrix {
        let d = lower.rows
        var inverse = Matrix(rows: d, columns: d)
        for column in 0..<d {
            inverse[column, column] = 1 / lower[column, column]
            for row in (column + 1)..<d {
                var sum = 0.0
                for t in column..<row { sum += lower[row, t] * inverse[t, column] }
                inverse[row, column] = -sum / lower[row, row]
            }
        }
        return inverse
    }
}

/// The parameters of a Gaussian mixture.
public struct GaussianMixtureParameters: Sendable, Hashable {
    /// Each component's share of clients; they sum to 1.
    public var weights: [Double]
    /// Each component's mean, `d` features.
    public var means: [[Double]]
    /// Each component's `d x d` covariance.
    public var covariances: [Matrix]

    /// Parameters from their parts.
    public init(weights: [Double], means: [[Double]], covariances: [Matrix]) {
        self.weights = weights
        self.means = means
        self.covariances = covariances
    }
}

/// A fitted Gaussian mixture and each client's most likely component.
public struct GaussianMixtureResult: Sendable, Hashable {
    /// The fitted parameters.
    public let parameters: GaussianMixtureParameters
    /// Each client's most likely component.
    public let labels: [Int]
    /// The probability of that component for each client (1 = certain).
    public let membership: [Double]
    /// The mean log-likelihood per client under the fitted parameters (scikit-learn's `score`).
    public let meanLogLikelihood: Double
    /// The number of clients the mixture was fitted to.
    public let clientCount: Int
    /// EM iterations run.
    public let iterations: Int
    /// Whether the likelihood settled before the iteration limit.
    public let converged: Bool

    /// The number of free parameters: `k−1` weights, `k·d` means, `k·d(d+1)/2` covariances.
    public var parameterCount: Int {
        let k = parameters.weights.count, d = parameters.means.first?.count ?? 0
        return (k - 1) + k * d + k * d * (d + 1) / 2
    }

    /// The Bayesian information criterion `−2·log L + p·ln n` (Schwarz 1978); lower is better.
    public var bayesianInformationCriterion: Double {
        -2 * meanLogLikelihood * Double(clientCount) + Double(parameterCount) * log(Double(clientCount))
    }
}
