/// How client features are put on one scale before clustering, so that income in dollars
/// does not outweigh a risk score out of 100.
public enum FeatureScaling: String, Sendable, Hashable, Codable, CaseIterable {
    /// Subtract the mean and divide by the population standard deviation (scikit-learn's
    /// `StandardScaler`).
    case standard
    /// Subtract the median and divide by the interquartile range (scikit-learn's
    /// `RobustScaler` with quantiles 25-75): one billionaire does not squeeze everyone else
    /// into one point.
    case robust
    /// Use the features as they are.
    case none
}

/// A fitted per-feature affine map `z = (x - centre) / scale`.
public struct FeatureScaler: Sendable, Hashable, Codable {
    /// The method the scaler was fitted with.
    public let method: FeatureScaling
    /// Per feature: the mean (standard), the median (robust) or 0 (none).
    public let centres: [Double]
    /// Per feature: the standard deviation, the interquartile range, or 1.
    public let scales: [Double]

    /// Fits the scaler to the columns of `data` (clients x features).
    ///
    /// - Throws: `SegmentationError.nonFiniteValue` naming the first bad cell;
    ///   `.constantFeature` when a feature's scale is zero.
    /// - Complexity: O(n·d) for `standard`, O(n·d·log n) for `robust` (a sort per feature).
    public init(fitting data: ClientFeatures, method: FeatureScaling) throws(SegmentationError) {
        self.method = method
        let n = data.clientCount
        var centres = [Double](repeating: 0, count: data.featureCount)
        var scales = [Double](repeating: 1, count: data.featureCount)
        for j in 0..<data.featureCount {
            let column = data.feature(j)
            if let bad = column.firstIndex(where: { !$0.isFinite }) {
                throw .nonFiniteValue(client: bad, feature: j)
            }
            switch method {
            case .none:
                continue
            case .standard:
                var mean = 0.0
                for v in column { mean += v }
                mean /= Double(n)
                var sum = 0.0
                for v in column { sum += (v - mean) * (v - mean) }
                centres[j] = mean
                scales[j] = (sum / Double(n)).squareRoot()
            case .robust:
                let sorted = column.sorted()
                centres[j] = Self.quantile(sorted, 0.5)
                scales[j] = Self.quantile(sorted, 0.75) - Self.quantile(sorted, 0.25)
            }
            if !(scales[j] > 0) { throw .constantFeature(feature: j) }
        }
        self.centres = centres
        self.scales = scales
    }

    /// The scaled features, same shape.
    /// - Complexity: O(n·d).
    public func transform(_ data: ClientFeatures) -> ClientFeatures {
        precondition(data.featureCount == centres.count, "Feature count differs from the fitted scaler")
        var values = data.values
        let d = data.featureCount
        for i in 0..<data.clientCount {
            for j in 0..<d { values[i * d + j] = (values[i * d + j] - centres[j]) / scales[j] }
        }
        return ClientFeatures(clientCount: data.clientCount, featureCount: d, rowMajor: values)
    }

    /// Linear interpolation between order statistics (numpy's default, `method="linear"`).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
