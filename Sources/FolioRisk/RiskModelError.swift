import FolioLinearAlgebra

/// A problem with the data handed to a risk model, naming the asset, date or parameter at fault.
///
/// Shape mismatches between arguments are programming errors and trap with a precondition
/// instead; everything that can come from a file or a feed (prices, dates, names, views) throws
/// one of these cases.
public enum RiskModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer observations than the computation needs (`found` rows; at least `required`).
    case tooFewObservations(found: Int, required: Int)
    /// The same asset name appears twice among the columns.
    case duplicateAsset(String)
    /// A date is not strictly after the one before it.
    case unsortedDates(previous: MarketDate, next: MarketDate)
    /// The same date appears on two rows.
    case duplicateDate(MarketDate)
    /// A price that is zero, negative or infinite, for `asset` on `date`.
    case invalidPrice(asset: String, date: MarketDate, value: Double)
    /// Missing prices (NaN) under `MissingDataPolicy.throwOnGaps`: every asset with gaps and
    /// the dates of its gaps, in column order.
    case missingPrices([PriceGap])
    /// A return that is NaN or infinite, for `asset` in observation `observation` (zero-based),
    /// with its date when the series has dates.
    case nonFiniteReturn(asset: String, observation: Int, date: MarketDate?)
    /// An asset name that is not in the universe (for example in a Black-Litterman view).
    case unknownAsset(String)
    /// A parameter outside its domain: `name`, the value given, and what was expected.
    case invalidParameter(name: String, value: Double, expected: String)
    /// A covariance (or a system built from it) that cannot be factored or solved.
    case linearAlgebra(LinearAlgebraError)
    /// A matrix that should be positive definite is not, after repair attempts.
    case notPositiveDefinite(smallestEigenvalue: Double)
    /// The market's excess return is not positive, so no positive risk aversion is implied.
    case nonPositiveRiskAversion(Double)
    /// An asset of a ragged history with fewer returns than an estimate needs.
    case insufficientHistory(asset: String, observations: Int, required: Int)
    /// Two assets of a ragged history that share fewer return dates than a pairwise estimate
    /// needs (`shared` of at least `required`).
    case insufficientOverlap(first: String, second: String, shared: Int, required: Int)
    /// A covariance too close to singular to be used as a risk model: its smallest eigenvalue
    /// is below 1e-12 of its largest. `reason` says why the estimator produced it and what to use.
    case singularCovariance(smallestEigenvalue: Double, largestEigenvalue: Double, reason: String)

    /// A one-line explanation naming what was wrong and where.
    public var description: String {
        switch self {
        case let .tooFewObservations(found, required):
            return "too few observations: \(found) rows, at least \(required) needed"
        case let .duplicateAsset(name):
            return "asset '\(name)' appears more than once"
        case let .unsortedDates(previous, next):
            return "dates are not in increasing order: \(next) follows \(previous)"
        case let .duplicateDate(date):
            return "date \(date) appears more than once"
        case let .invalidPrice(asset, date, value):
            return "invalid price \(value) for '\(asset)' on \(date): prices must be positive and finite"
        case let .missingPrices(gaps):
            let shown = gaps.prefix(5).map(\.description).joined(separator: "; ")
            return "missing prices: \(shown)\(gaps.count > 5 ? "; and \(gaps.count - 5) more assets" : "")"
        case let .nonFiniteReturn(asset, observation, date):
            return "non-finite return for '\(asset)' in observation \(observation)\(date.map { " (\($0))" } ?? "")"
        case let .unknownAsset(name):
            return "unknown asset '\(name)'"
        case let .invalidParameter(name, value, expected):
            return "invalid \(name) \(value): expected \(expected)"
        case let .linearAlgebra(error):
            return error.description
        case let .notPositiveDefinite(smallest):
            return "matrix is not positive definite (smallest eigenvalue \(smallest))"
        case let .nonPositiveRiskAversion(value):
            return "implied risk aversion \(value) is not positive: the market did not beat the risk-free rate"
        case let .insufficientHistory(asset, observations, required):
            return "'\(asset)' has \(observations) return\(observations == 1 ? "" : "s") (a price on two consecutive dates), at least \(required) needed"
        case let .insufficientOverlap(first, second, shared, required):
            return "'\(first)' and '\(second)' share \(shared) return date\(shared == 1 ? "" : "s"), at least \(required) needed for their covariance"
        case let .singularCovariance(smallest, largest, reason):
            return "the covariance is singular (smallest eigenvalue \(shortNumber(smallest)), largest \(shortNumber(largest))): \(reason)"
        }
    }
}

/// The dates on which one asset has no price.
public struct PriceGap: Sendable, Equatable, CustomStringConvertible {
    /// The asset's name.
    public let asset: String
    /// The dates with a missing (NaN) price, in order.
    public let dates: [MarketDate]

    /// Creates a gap record.
    public init(asset: String, dates: [MarketDate]) {
        self.asset = asset
        self.dates = dates
    }

    /// `asset: date, date, …` (at most five dates shown).
    public var description: String {
        let shown = dates.prefix(5).map(\.description).joined(separator: ", ")
        return "'\(asset)' on \(shown)\(dates.count > 5 ? " and \(dates.count - 5) more dates" : "")"
    }
}
