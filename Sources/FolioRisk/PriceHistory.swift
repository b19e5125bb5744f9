import FolioLinearAlgebra

/// How returns are computed from consecutive prices.
public enum ReturnKind: Sendable, Equatable {
    /// Simple (arithmetic) returns `pₜ / pₜ₋₁ − 1`, as pandas `pct_change` computes them.
    case simple
    /// Log (continuously compounded) returns `ln(pₜ / pₜ₋₁)`.
    case log
}

/// What to do with missing prices (NaN entries) in a `PriceHistory`.
///
/// Folio never imputes silently: either the incomplete rows go (and the returns say which),
/// or the computation stops with an error naming every asset and date with a gap.
public enum MissingDataPolicy: Sendable, Equatable {
    /// Throw `RiskModelError.missingPrices`, naming each asset and the dates of its gaps.
    case throwOnGaps
    /// Drop every date on which any asset lacks a price; `ReturnSeries.droppedDates` lists them.
    case dropIncompleteRows
}

/// Closing prices of N assets on T dates: the raw material of every risk model.
///
/// Prices are a T x N `Matrix` (row = date, column = asset), in any currency unit; only their
/// ratios matter. A missing price is NaN; `returns(_:missingData:periodsPerYear:)` decides
/// what happens to it.
///
/// ```swift
/// let history = try PriceHistory(dates: dates, assets: ["AAA", "BBB"], prices: prices)
/// let returns = try history.returns(.simple, missingData: .dropIncompleteRows)
/// ```
public struct PriceHistory: Sendable {
    /// The dates of the rows, strictly increasing.
    public let dates: [MarketDate]
    /// The asset names of the columns, unique.
    public let assets: [String]
    /// Prices, T x N (dates x assets). NaN marks a missing price.
    public let prices: Matrix

    /// Validates and stores a price history.
    ///
    /// - Throws: `RiskModelError.duplicateAsset`, `.unsortedDates`, `.duplicateDate`,
    ///   `.invalidPrice` (zero, negative or infinite; naming asset and date), or
    ///   `.tooFewObservations` when there are fewer than two dates.
    /// - Precondition: `prices` is `dates.count` x `assets.count`.
    /// - Complexity: O(T·N).
    public init(dates: [MarketDate], assets: [String], prices: Matrix) throws(RiskModelError) {
        precondition(prices.rows == dates.count && prices.columns == assets.count,
                     "Prices must be dates.count x assets.count")
        try checkUniqueAssets(assets)
        for i in dates.indices.dropFirst() {
            if dates[i] == dates[i - 1] { throw .duplicateDate(dates[i]) }
            if dates[i] < dates[i - 1] { throw .unsortedDates(previous: dates[i - 1], next: dates[i]) }
        }
        guard dates.count >= 2 else { throw .tooFewObservations(found: dates.count, required: 2) }
        let t = dates.count
        for j in assets.indices {
            for i in 0..<t {
                let p = prices.elements[i + j * t]
                if p.isNaN { continue }
                if !(p > 0) || p.isInfinite { throw .invalidPrice(asset: assets[j], date: dates[i], value: p) }
            }
        }
        self.dates = dates
        self.assets = assets
        self.prices = prices
    }

    /// Every asset with missing prices and the dates of the gaps (empty when complete).
    ///
    /// - Complexity: O(T·N).
    public var gaps: [PriceGap] {
        let t = dates.count
        return assets.indices.compactMap { j in
            let missing = (0..<t).filter { prices.elements[$0 + j * t].isNaN }.map { dates[$0] }
            return missing.isEmpty ? nil : PriceGap(asset: assets[j], dates: missing)
        }
    }

    /// The returns between consecutive dates.
    ///
    /// Row `t` of the result is the return from date `t` to date `t + 1`, dated `dates[t + 1]`.
    ///
    /// - Parameters:
    ///   - kind: simple (default) or log returns.
    ///   - missingData: throw on gaps (default) or drop incomplete dates first.
    ///   - periodsPerYear: the annualization frequency carried by the result: 252 for daily
    ///     prices (default), 52 weekly, 12 monthly.
    /// - Throws: `RiskModelError.missingPrices` (policy `.throwOnGaps`) naming assets and dates;
    ///   `.tooFewObservations` when fewer than two complete dates remain.
    /// - Complexity: O(T·N).
    public func returns(
        _ kind: ReturnKind = .simple, missingData: MissingDataPolicy = .throwOnGaps, periodsPerYear: Double = 252
    ) throws(RiskModelError) -> ReturnSeries {
        let t = dates.count, n = assets.count
        var keep = [Bool](repeating: true, count: t)
        for j in 0..<n { for i in 0..<t where prices.elements[i + j * t].isNaN { keep[i] = false } }
        var dropped: [MarketDate] = []
        if keep.contains(false) {
            switch missingData {
            case .throwOnGaps: throw .missingPrices(gaps)
            case .dropIncompleteRows: dropped = (0..<t).filter { !keep[$0] }.map { dates[$0] }
            }
        }
        let rowsKept = (0..<t).filter { keep[$0] }
        guard rowsKept.count >= 2 else { throw .tooFewObservations(found: rowsKept.count, required: 2) }
        let m = rowsKept.count - 1
        var values = [Double](repeating: 0, count: m * n)
        prices.elements.withUnsafeBufferPointer { p in
            values.withUnsafeMutableBufferPointer { r in
                for j in 0..<n {
                    for k in 0..<m {
                        let previous = p[rowsKept[k] + j * t], current = p[rowsKept[k + 1] + j * t]
                        r[k + j * m] = kind == .simple ? current / previous - 1 : _log(current / previous)
                    }
                }
            }
        }
        guard periodsPerYear > 0 && periodsPerYear.isFinite else {
            throw .invalidParameter(name: "periodsPerYear", value: periodsPerYear, expected: "a positive number")
        }
        let matrix = Matrix(rows: m, columns: n, columnMajor: values)
        let returnDates = rowsKept.dropFirst().map { dates[$0] }
        try validateReturns(matrix, assets: assets, dates: returnDates, kind: kind, periodsPerYear: periodsPerYear)
        return ReturnSeries(
            validated: matrix, assets: assets, dates: returnDates, kind: kind, periodsPerYear: periodsPerYear,
            droppedDates: dropped)
    }
}

/// Checks that every return is finite and that no simple return is below −100% (that needs a
/// negative price, and the compounded mean would take the logarithm of a negative number).
func validateReturns(_ values: Matrix, assets: [String], dates: [MarketDate]?, kind: ReturnKind,
                     periodsPerYear f: Double) throws(RiskModelError) {
    let t = values.rows
    for j in 0..<values.columns {
        for i in 0..<t {
            let r = values.elements[i + j * t]
            guard r.isFinite else { throw .nonFiniteReturn(asset: assets[j], observation: i, date: dates?[i]) }
            if kind == .simple && r < -1 {
                throw .invalidParameter(name: "simple return of '\(assets[j])' in observation \(i)", value: r,
                                        expected: "at least -1 (a loss beyond 100% needs a negative price)")
            }
        }
    }
}

func checkUniqueAssets(_ assets: [String]) throws(RiskModelError) {
    var seen = Set<String>()
    for a in assets where !seen.insert(a).inserted { throw .duplicateAsset(a) }
}

/// Periodic returns of N assets over T observations, with the frequency that annualizes them.
///
/// Build one from a `PriceHistory`, or directly from a T x N matrix of returns. Every estimator
/// in FolioRisk reads this type.
public struct ReturnSeries: Sendable {
    /// Returns, T x N (observations x assets), every entry finite.
    public let values: Matrix
    /// Asset names, one per column, unique.
    public let assets: [String]
    /// The end date of each observation, when known.
    public let dates: [MarketDate]?
    /// Simple or log returns.
    public let kind: ReturnKind
    /// Observations per year: 252 for daily data, 52 weekly, 12 monthly.
    public let periodsPerYear: Double
    /// Dates dropped by `MissingDataPolicy.dropIncompleteRows` before the returns were taken.
    public let droppedDates: [MarketDate]

    /// Wraps a T x N matrix of returns.
    ///
    /// - Throws: `RiskModelError.nonFiniteReturn` naming the asset and observation (and date);
    ///   `.duplicateAsset`; `.tooFewObservations` for fewer than two rows;
    ///   `.invalidParameter` for a non-positive `periodsPerYear`.
    /// - Precondition: `assets.count == values.columns`, and `dates`, when given, has one
    ///   entry per row.
    /// - Complexity: O(T·N).
    public init(
        values: Matrix, assets: [String], dates: [MarketDate]? = nil, kind: ReturnKind = .simple,
        periodsPerYear: Double = 252
    ) throws(RiskModelError) {
        precondition(assets.count == values.columns, "One asset name per column")
        precondition(dates == nil || dates!.count == values.rows, "One date per row")
        try checkUniqueAssets(assets)
        guard values.rows >= 2 else { throw .tooFewObservations(found: values.rows, required: 2) }
        guard periodsPerYear > 0 && periodsPerYear.isFinite else {
            throw .invalidParameter(name: "periodsPerYear", value: periodsPerYear, expected: "a positive number")
        }
        try validateReturns(values, assets: assets, dates: dates, kind: kind, periodsPerYear: periodsPerYear)
        self.init(validated: values, assets: assets, dates: dates, kind: kind, periodsPerYear: periodsPerYear,
                  droppedDates: [])
    }

    init(validated values: Matrix, assets: [String], dates: [MarketDate]?, kind: ReturnKind, periodsPerYear: Double,
         droppedDates: [MarketDate]) {
        self.values = values
        self.assets = assets
        self.dates = dates
        self.kind = kind
        self.periodsPerYear = periodsPerYear
        self.droppedDates = droppedDates
    }

    /// The number of observations T.
    public var observations: Int { values.rows }

    /// The number of assets N.
    public var assetCount: Int { values.columns }

    /// The returns of one asset, or `nil` for an unknown name.
    ///
    /// - Complexity: O(N + T).
    public func returns(of asset: String) -> [Double]? {
        assets.firstIndex(of: asset).map { values.column($0) }
    }

    /// The returns of a portfolio held at constant `weights` (rebalanced every period): `R·w`.
    ///
    /// - Precondition: one weight per asset.
    /// - Complexity: 2·T·N flops. Calls BLAS `dgemv`.
    public func portfolioReturns(weights: [Double]) -> [Double] {
        precondition(weights.count == assetCount, "One weight per asset")
        return values * weights
    }

    /// The column means, per period.
    ///
    /// - Complexity: O(T·N).
    public var means: [Double] { columnMeans(values) }
}
