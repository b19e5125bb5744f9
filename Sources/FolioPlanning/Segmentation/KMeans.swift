import Foundation
import FolioLinearAlgebra
import FolioRebalancing

/// k-means clustering of clients: `k` centres chosen to minimise the total squared distance
/// from each client to its nearest centre (the inertia).
///
/// Lloyd's iterations (Lloyd, "Least squares quantization in PCM", IEEE Trans. Inf. Theory
/// 28(2), 1982) from k-means++ starts (Arthur & Vassilvitskii, "k-means++: the advantages of
/// careful seeding", SODA 2007, with the greedy variant's `2 + ⌊ln k⌋` local trials that
/// scikit-learn uses), best of `restarts` runs. Distances to centres come from one BLAS
/// product per iteration, `‖c‖² − 2·cᵀx`. Empty clusters are reseeded with the clients
/// farthest from their centres, as scikit-learn does.
///
/// ```swift
/// let result = try KMeans(clusterCount: 6, seed: 7).fit(features)
/// result.labels    // each client's group
/// ```
public struct KMeans: Sendable, Hashable {
    /// The number of groups `k`.
    public var clusterCount: Int
    /// Independent k-means++ starts; the lowest inertia wins.
    public var restarts: Int
    /// The most Lloyd iterations per start.
    public var maximumIterations: Int
    /// Stop when the squared centre movement, summed, is at most this fraction of the mean
    /// feature variance (scikit-learn's `tol`); labels that stop changing also stop the run.
    public var tolerance: Double
    /// Seed of the k-means++ draws: equal seeds give equal groups.
    public var seed: UInt64

    /// A k-means configuration.
    /// - Precondition: `clusterCount ≥ 1`, `restarts ≥ 1`, `maximumIterations ≥ 1`, `tolerance ≥ 0`.
    public init(clusterCount: Int, restarts: Int = 4, maximumIterations: Int = 300, tolerance: Double = 1e-4,
                seed: UInt64 = 0) {
        precondition(clusterCount >= 1 && restarts >= 1 && maximumIterations >= 1 && tolerance >= 0,
                     "Invalid k-means configuration")
        self.clusterCount = clusterCount
        self.restarts = restarts
        self.maximumIterations = maximumIterations
        self.tolerance = tolerance
        self.seed = seed
    }

    /// Clusters `data` from k-means++ starts.
    ///
    /// - Throws: `SegmentationError.tooFewClients` when there are fewer clients than groups,
    ///   `.nonFiniteValue` naming the first NaN or infinite cell.
    /// - Complexity: O(restarts · iterations · n·d·k), the products in BLAS.
    public func fit(_ data: ClientFeatures) throws(SegmentationError) -> KMeansResult {
        try Self.validate(data, groups: clusterCount)
        var generator = Xoshiro256StarStar(seed: seed)
        var best: KMeansResult?
        for _ in 0..<restarts {
            let start = Self.plusPlusCentres(data, k: clusterCount, generator: &generator)
            let result = lloyd(data, from: start)
            if best == nil || result.inertia < best!.inertia { best = result }
        }
        return best!
    }

    /// Clusters `data` from the given centres (one per group), without restarts: the
    /// comparison with scikit-learn's `KMeans(init=centres, n_init=1)`.
    ///
    /// - Parameter initialCentres: `k` arrays of `d` features, already scaled like `data`.
    /// - Throws: as `fit(_:)`, and `.invalidInitialization` when the centres do not match.
    /// - Complexity: O(iterations · n·d·k).
    public func fit(_ data: ClientFeatures, initialCentres: [[Double]]) throws(SegmentationError) -> KMeansResult {
        try Self.validate(data, groups: clusterCount)
        guard initialCentres.count == clusterCount,
              initialCentres.allSatisfy({ $0.count == data.featureCount && $0.allSatisfy(\.isFinite) }) else {
            throw .invalidInitialization(detail: "expected \(clusterCount) finite centres of \(data.featureCount) features")
        }
        return lloyd(data, from: initialCentres.flatMap { $0 })
    }

    static func validate(_ data: ClientFeatures, groups: Int) throws(SegmentationError) {
        guard data.clientCount >= groups else { throw .tooFewClients(clients: data.clientCount, groups: groups) }
        if let bad = data.values.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(client: bad / data.featureCount, feature: bad % data.featureCount)
        }
    }

    /// Lloyd's iterations from `centres` (k x d, row-major).
    private func lloyd(_ data: ClientFeatures, from initial: [Double]) -> KMeansResult {
        let n = data.clientCount, d = data.featureCount, k = clusterCount
        let points = Matrix(rows: d, columns: n, columnMajor: data.values)
        var variance = 0.0
        for j in 0..<d {
            var mean = 0.0
            for i in 0..<n { mean += data.values[i * d + j] }
            mean /= Double(n)
            var sum = 0.0
            for i in 0..<n { let e = data.values[i * d + j] - mean; sum += e * e }
            variance += sum / Double(n)
        }
        let absoluteTolerance = tolerance * variance / Double(d)
        var centres = initial
        var labels = [Int](repeating: -1, count: n)
        var iterations = 0
        var converged = false
        var labelsStable = false
        while iterations < maximumIterations {
            iterations += 1
            let step = Self.assign(points, centres: centres, k: k)
            var next = Self.means(data, labels: step.labels, k: k)
            Self.reseedEmpty(&next, data: data, step: step, k: k)
            if step.labels == labels {
                labelsStable = true
                converged = true
                centres = next.centres
                break
            }
            var shift = 0.0
            for t in 0..<(k * d) { shift += (next.centres[t] - centres[t]) * (next.centres[t] - centres[t]) }
            centres = next.centres
            labels = step.labels
            if shift <= absoluteTolerance { converged = true; break }
        }
        if !labelsStable { labels = Self.assign(points, centres: centres, k: k).labels }
        var distances = [Double](repeating: 0, count: n)
        var inertia = 0.0
        data.values.withUnsafeBufferPointer { x in
            centres.withUnsafeBufferPointer { m in
                for i in 0..<n {
                    var sum = 0.0
                    let c = labels[i] * d, row = i * d
                    for j in 0..<d { let e = x[row + j] - m[c + j]; sum += e * e }
                    distances[i] = sum.squareRoot()
                    inertia += sum
                }
            }
        }
        return KMeansResult(featureCount: d, centres: centres, labels: labels, distances: distances,
                            inertia: inertia, iterations: iterations, converged: converged)
    }

    /// Each client's nearest centre (ties to the lower index) and the proxy distance
    /// `‖c‖² − 2·cᵀx` to it.
    static func assign(_ points: Matrix, centres: [Double], k: Int) -> (labels: [Int], proxy: [Double]) {
        let d = points.rows, n = points.columns
        let centreMatrix = Matrix(rows: d, columns: k, columnMajor: centres)
        let products = centreMatrix.multiplied(by: points, transposingSelf: true)  // k x n
        var norms = [Double](repeating: 0, count: k)
        for c in 0..<k { for j in 0..<d { norms[c] += centres[c * d + j] * centres[c * d + j] } }
        var labels = [Int](repeating: 0, count: n)
        var proxy = [Double](repeating: 0, count: n)
        products.elements.withUnsafeBufferPointer { g in
            for i in 0..<n {
                var best = 0
                var bestValue = norms[0] - 2 * g[i * k]
                for c in 1..<k {
                    let value = norms[c] - 2 * g[i * k + c]
                    if value < bestValue { bestValue = value; best = c }
                }
                labels[i] = best
                proxy[i] = bestValue
            }
        }
        return (labels, proxy)
    }

    /// Centres as the means of their clients (k x d row-major) and the group sizes.
    static func means(_ data: ClientFeatures, labels: [Int], k: Int) -> (centres: [Double], counts: [Int]) {
        let d = data.featureCount
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        data.values.withUnsafeBufferPointer { x in
            sums.withUnsafeMutableBufferPointer { s in
                for (i, c) in labels.enumerated() {
                    counts[c] += 1
                    let row = i * d, centre = c * d
                    for j in 0..<d { s[centre + j] += x[row + j] }
                }
            }
        }
        for c in 0..<k where counts[c] > 0 {
            for j in 0..<d { sums[c * d + j] /= Double(counts[c]) }
        }
        return (sums, counts)
    }

    /// Gives each empty group the client farthest from its own centre, taking it out of its
    /// old group's mean.
    static func reseedEmpty(_ next: inout (centres: [Double], counts: [Int]), data: ClientFeatures,
                            step: (labels: [Int], proxy: [Double]), k: Int) {
        let empty = (0..<k).filter { next.counts[$0] == 0 }
        guard !empty.isEmpty else { return }
        let d = data.featureCount
        // Squared distance = ‖x‖² + proxy; the farthest first (ties to the lower index).
        let distance = (0..<data.clientCount).map { i in
            step.proxy[i] + data.client(i).reduce(0) { $0 + $1 * $1 }
        }
        let farthest = distance.indices.sorted { distance[$0] != distance[$1] ? distance[$0] > distance[$1] : $0 < $1 }
        for (slot, c) in empty.enumerated() {
            let i = farthest[slot]
            let old = step.labels[i]
            let x = Array(data.client(i))
            if next.counts[old] > 1 {
                let m = Double(next.counts[old])
                for j in 0..<d { next.centres[old * d + j] = (next.centres[old * d + j] * m - x[j]) / (m - 1) }
                next.counts[old] -= 1
            }
            for j in 0..<d { next.centres[c * d + j] = x[j] }
            next.counts[c] = 1
        }
    }

    /// Greedy k-means++ starting centres (k x d row-major).
    ///
    /// Each round draws `2 + ⌊ln k⌋` candidates in proportion to the squared distance to the
    /// nearest centre so far and keeps the one that lowers the total most. The candidates'
    /// squared distances to every client come from one BLAS product per round,
    /// `‖x‖² + ‖c‖² − 2·cᵀx` (clamped at 0), as scikit-learn's `euclidean_distances` computes them.
    /// - Complexity: O(k · trials · n·d), the products in BLAS.
    static func plusPlusCentres(_ data: ClientFeatures, k: Int, generator: inout Xoshiro256StarStar) -> [Double] {
        let n = data.clientCount, d = data.featureCount
        let trials = 2 + Int(log(Double(k)))
        let points = Matrix(rows: d, columns: n, columnMajor: data.values)
        var norms = [Double](repeating: 0, count: n)
        data.values.withUnsafeBufferPointer { x in
            for i in 0..<n {
                var s = 0.0
                for j in 0..<d { s += x[i * d + j] * x[i * d + j] }
                norms[i] = s
            }
        }
        /// Squared distances of `candidates` to every client: candidate `t`, client `i` at `i * count + t`.
        func squaredDistances(to candidates: [Int]) -> [Double] {
            let t = candidates.count
            var centres = [Double]()
            centres.reserveCapacity(t * d)
            for c in candidates { centres.append(contentsOf: data.client(c)) }
            var out = Matrix(rows: d, columns: t, columnMajor: centres).multiplied(by: points, transposingSelf: true).elements  // t x n
            out.withUnsafeMutableBufferPointer { g in
                for i in 0..<n {
                    for (slot, c) in candidates.enumerated() {
                        g[i * t + slot] = Swift.max(0, norms[i] + norms[c] - 2 * g[i * t + slot])
                    }
                }
            }
            return out
        }
        var chosen = [Int(generator.next() % UInt64(n))]
        var closest = squaredDistances(to: chosen)
        var potential = closest.reduce(0, +)
        var prefix = [Double](repeating: 0, count: n)
        while chosen.count < k {
            var running = 0.0
            for i in 0..<n { running += closest[i]; prefix[i] = running }
            var candidates: [Int] = []
            for _ in 0..<trials {
                let target = generator.nextOpenUnit() * potential
                var lo = 0, hi = n - 1
                while lo < hi { let mid = (lo + hi) / 2; if prefix[mid] < target { lo = mid + 1 } else { hi = mid } }
                candidates.append(lo)
            }
            let distances = squaredDistances(to: candidates)
            var potentials = [Double](repeating: 0, count: trials)
            distances.withUnsafeBufferPointer { g in
                for i in 0..<n {
                    let current = closest[i]
                    for slot in 0..<trials { potentials[slot] += Swift.min(current, g[i * trials + slot]) }
                }
            }
            var best = 0
            for slot in 1..<trials where potentials[slot] < potentials[best] { best = slot }
            let bestPotential = potentials[best]
            chosen.append(candidates[best])
            for i in 0..<n { closest[i] = Swift.min(closest[i], distances[i * trials + best]) }
            potential = bestPotential
        }
        return chosen.flatMap { data.client($0) }
    }
}

/// The groups k-means found.
public struct KMeansResult: Sendable, Hashable, Codable {
    /// The number of features of each centre.
    public let featureCount: Int
    /// The centres, k x d row-major, in the scaled feature space.
    public let centres: [Double]
    /// Each client's group, 0..<k.
    public let labels: [Int]
    /// Each client's Euclidean distance to its group's centre.
    public let distances: [Double]
    /// The sum of squared distances to the centres (lower is tighter).
    public let inertia: Double
    /// Lloyd iterations of the winning start.
    public let iterations: Int
    /// Whether the winning start stopped by tolerance or stable labels, not the iteration limit.
    public let converged: Bool

    /// Centre `c`'s features.
    public func centre(_ c: Int) -> ArraySlice<Double> { centres[(c * featureCount)..<((c + 1) * featureCount)] }
}
