/// Approximate comparisons of computed doubles, as swift-numerics'
/// `isApproximatelyEqual(to:absoluteTolerance:relativeTolerance:)` defines them: |a − b| ≤
/// max(absolute, relative · max(|a|, |b|)). Tests compare computed values this way, never
/// with `==`.
extension Double {
    /// Whether `self` and `other` agree within `absoluteTolerance` or `relativeTolerance`
    /// relative to the larger magnitude. NaN agrees with nothing; equal infinities agree.
    ///
    /// - Complexity: O(1).
    public func isApproximatelyEqual(to other: Double, absoluteTolerance: Double = 0,
                                     relativeTolerance: Double = Double.ulpOfOne.squareRoot()) -> Bool {
        if self == other { return true }
        guard isFinite, other.isFinite else { return false }
        let difference = abs(self - other)
        return difference <= absoluteTolerance || difference <= relativeTolerance * Swift.max(abs(self), abs(other))
    }
}

extension Array where Element == Double {
    /// Whether both arrays have the same length and agree element by element (see
    /// `Double.isApproximatelyEqual(to:absoluteTolerance:relativeTolerance:)`).
    ///
    /// - Complexity: O(n).
    public func isApproximatelyEqual(to other: [Double], absoluteTolerance: Double = 0,
                                     relativeTolerance: Double = Double.ulpOfOne.squareRoot()) -> Bool {
        count == other.count && zip(self, other).allSatisfy {
            $0.isApproximatelyEqual(to: $1, absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance)
        }
    }

    /// max |aᵢ − bᵢ|: the largest absolute difference (zero for empty arrays).
    ///
    /// - Precondition: equal lengths.
    /// - Complexity: O(n).
    public func largestDifference(from other: [Double]) -> Double {
        precondition(count == other.count, "largestDifference: lengths differ")
        return zip(self, other).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
    }
}

/// |a − b| / max(|b|, tiny): the relative error of a computed `a` against a reference `b`.
///
/// - Complexity: O(1).
public func relativeError(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / Swift.max(abs(b), .leastNormalMagnitude)
}
