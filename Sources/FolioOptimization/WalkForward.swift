/// One fit-then-hold step of an out-of-sample backtest: the observations a portfolio is fitted
/// on and the observations it is then held over.
///
/// Observation indices are zero-based rows of the `ReturnSeries` being evaluated. The train
/// set is a union of disjoint, increasing ranges (one range for a walk-forward window; several
/// for a combinatorial purged split).
public struct BacktestWindow: Sendable, Equatable {
    /// The train observations, as disjoint increasing ranges.
    public var train: [Range<Int>]
    /// The test observations the fitted weights are held over.
    public var test: Range<Int>

    /// Creates a window.
    ///
    /// - Complexity: O(1).
    public init(train: [Range<Int>], test: Range<Int>) {
        self.train = train
        self.test = test
    }

    /// The number of train observations.
    ///
    /// - Complexity: O(number of ranges).
    public var trainCount: Int { train.reduce(0) { $0 + $1.count } }
}

/// Walk-forward splitting: fit on a train window, hold for the next test window, step forward
/// by the test window, as skfolio's `WalkForward(test_size, train_size, expand_train,
/// purged_size, reduce_test)` with sizes in observations.
///
/// Window k tests observations `[s, s + test)` with `s = train + purge + k·test`, and trains on
/// `[s − purge − train, s − purge)` (rolling) or `[0, s − purge)` (expanding). The last window
/// is dropped when it would be shorter than `test`, unless `keepsPartialLastWindow`.
///
/// ```swift
/// let windows = try WalkForward(train: 504, test: 63).windows(observations: 2519)
/// ```
public struct WalkForward: Sendable, Equatable {
    /// Observations in each train window (the first one, when expanding).
    public var trainSize: Int
    /// Observations in each test window; also the step between rebalances.
    public var testSize: Int
    /// Whether each train window starts at the first observation (expanding) instead of
    /// rolling at a fixed length.
    public var expanding: Bool
    /// Observations skipped between the end of a train window and its test window (the time
    /// to observe, compute and trade; 0 trades on the close the train window ends with).
    public var purgeSize: Int
    /// Whether a final test window shorter than `testSize` is kept (skfolio `reduce_test`).
    public var keepsPartialLastWindow: Bool

    /// A walk-forward scheme.
    ///
    /// - Complexity: O(1).
    public init(train: Int, test: Int, expanding: Bool = false, purge: Int = 0, keepsPartialLastWindow: Bool = false) {
        trainSize = train
        testSize = test
        self.expanding = expanding
        purgeSize = purge
        self.keepsPartialLastWindow = keepsPartialLastWindow
    }

    /// The windows over `observations` return observations, in time order.
    ///
    /// - Throws: `OutOfSampleError.invalidParameter` for a train or test size below 1 or a
    ///   negative purge; `.windowLongerThanData` when no full test window fits (or, with
    ///   `keepsPartialLastWindow`, no test observation at all).
    /// - Complexity: O(observations / test).
    public func windows(observations: Int) throws(OutOfSampleError) -> [BacktestWindow] {
        try checkSize("train window", trainSize, minimum: 1)
        try checkSize("test window", testSize, minimum: 1)
        try checkSize("purge", purgeSize, minimum: 0)
        var result: [BacktestWindow] = []
        var start = trainSize + purgeSize
        while start < observations {
            let end = start + testSize
            if end > observations && !keepsPartialLastWindow { break }
            let trainEnd = start - purgeSize
            result.append(BacktestWindow(train: [(expanding ? 0 : trainEnd - trainSize)..<trainEnd],
                                         test: start..<Swift.min(end, observations)))
            start = end
        }
        guard !result.isEmpty else {
            throw .windowLongerThanData(train: trainSize, purge: purgeSize, test: keepsPartialLastWindow ? 1 : testSize,
                                        observations: observations)
        }
        return result
    }
}

func checkSize(_ name: String, _ value: Int, minimum: Int) throws(OutOfSampleError) {
    guard value >= minimum else {
        throw .invalidParameter(name: name, value: Double(value), expected: "at least \(minimum) observations")
    }
}
