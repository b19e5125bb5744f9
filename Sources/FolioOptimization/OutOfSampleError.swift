import FolioRisk

/// Why an out-of-sample backtest cannot run, naming the parameter, window or configuration at
/// fault. Window numbers are zero-based, in the order the windows are evaluated.
public enum OutOfSampleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The windows are longer than the data: one window needs `train + purge + test`
    /// observations (`test` is 1 when a partial last test window is allowed) and the data has
    /// `observations`. For combinatorial splits `train` is the fold size and `test` 0.
    case windowLongerThanData(train: Int, purge: Int, test: Int, observations: Int)
    /// A size or rate outside its domain: its name, the value given and what was expected.
    case invalidParameter(name: String, value: Double, expected: String)
    /// The returns (or prices) cannot be estimated from: NaN prices, too few observations in a
    /// window and so on; `window` is the window being estimated, `nil` before any window.
    case riskModel(RiskModelError, window: Int?)
    /// A mean-variance problem of `configuration` failed in `window`.
    case optimization(OptimizationError, configuration: String, window: Int)
    /// A risk-parity, hierarchical or simple allocator of `configuration` failed in `window`.
    case allocation(AllocationError, configuration: String, window: Int)
    /// Two configurations share a name, so the comparison could not tell them apart.
    case duplicateConfiguration(String)

    /// One line naming what was wrong and where.
    public var description: String {
        switch self {
        case let .windowLongerThanData(train, purge, test, observations):
            return "windows longer than the data: train \(train) + purge \(purge) + test \(test) = "
                + "\(train + purge + test) observations needed, the data has \(observations)"
        case let .invalidParameter(name, value, expected):
            return "invalid \(name) \(value): expected \(expected)"
        case let .riskModel(error, window):
            return window.map { "window \($0): \(error)" } ?? error.description
        case let .optimization(error, configuration, window):
            return "configuration '\(configuration)', window \(window): \(error)"
        case let .allocation(error, configuration, window):
            return "configuration '\(configuration)', window \(window): \(error)"
        case let .duplicateConfiguration(name):
            return "configuration name '\(name)' appears more than once"
        }
    }
}
