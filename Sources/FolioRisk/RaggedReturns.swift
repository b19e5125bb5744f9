import FolioLinearAlgebra

/// What one asset of a ragged history contributed: the span of its prices and how many
/// returns it has.
///
/// An asset listed in 2014 beside one from 2004 has its first price in 2014; its returns start
/// on the next date. A return exists only where the asset has a price on both consecutive
/// dates, so a missing price inside the history removes the returns on either side of it
/// (`lostReturns` counts them).
public struct AssetCoverage: Sendable, Equatable {
    /// The asset's name.
    public let asset: String
    /// The first date with a price (`nil` when the series was built from returns).
    public let firstPrice: MarketDate?
    /// The last date with a price (`nil` when the series was built from returns).
    public let lastPrice: MarketDate?
    /// The end date of the asset's first return.
    public let firstReturn: MarketDate
    /// The end date of the asset's last return.
    public let lastReturn: MarketDate
    /// The number of returns the asset has: every estimate uses these for the asset.
    public let observations: Int
    /// Returns between the first and the last one that are missing because a price inside the
    /// asset's history is missing.
    public let lostReturns: Int

    /// Creates a coverage record.
    public init(asset: String, firstPrice: MarketDate?, lastPrice: MarketDate?, firstReturn: MarketDate,
                lastReturn: MarketDate, observations: Int, lostReturns: Int) {
        self.asset = asset
        self.firstPrice = firstPrice
        self.lastPrice = lastPrice
        self.firstReturn = firstReturn
        self.lastReturn = lastReturn
        self.observations = observations
        self.lostReturns = lostReturns
    }
}

/// Returns of assets with different histories: a T x N matrix where NaN marks a return that
/// does not exist (the asset had no price on one of the two dates).
///
/// This is what pandas holds after `prices.pct_change(fill_method=None).dropna(how="all")`,
/// the input of PyPortfolioOpt's estimators: dates on which no asset has a return are gone,
/// every other date keeps its row. Estimators that conform to `RaggedCovarianceEstimator`
/// and the ragged forms of `ExpectedReturns` read it; `completeRows()` and `zeroFilled()`
/// turn it into a `ReturnSeries` for everything else.
///
/// ```swift
/// let ragged = try history.raggedReturns()
/// let sigma = try SampleCovariance().estimate(ragged)     // pairwise-complete, repaired
/// let mu = ExpectedReturns.meanHistorical(ragged)         // each asset over its own history
/// ```
public struct RaggedReturns: Sendable {
    /// Returns, T x N (observations x assets); NaN where an asset has no return.
    public let values: Matrix
    /// Asset names, one per column, unique.
    public let assets: [String]
    /// The end date of each observation.
    public let dates: [MarketDate]
    /// Simple or log returns.
    public let kind: ReturnKind
    /// Observations per year: 252 for daily data, 52 weekly, 12 monthly.
    public let periodsPerYear: Double
    /// Per asset, in column order: the span of its history and the returns it has.
    public let coverage: [AssetCoverage]

    /// Wraps a T x N matrix of returns with NaN for the missing ones.
    ///
    /// Rows in which no asset has a return are kept (an estimator weighting by position, such
    /// as the exponentially weighted ones, counts them).
    ///
    /// - Throws: `RiskModelError.duplicateAsset`; `.nonFiniteReturn` for an infinite return;
    ///   `.invalidParameter` for a simple return below −1 or a non-positive `periodsPerYear`;
    ///   `.insufficientHistory` for an asset with fewer than two returns.
    /// - Precondition: one asset per column and one date per row.
    /// - Complexity: O(T·N).
    public init(values: Matrix, assets: [String], dates: [MarketDate], kind: ReturnKind = .simple,
                periodsPerYear: Double = 252) throws(RiskModelError) {
        try self.init(values: values, assets: assets, dates: dates, kind: kind, periodsPerYear: periodsPerYear,
                      priceSpans: nil)
    }

    init(values: Matrix, assets: [String], dates: [MarketDate], kind: ReturnKind, periodsPerYear: Double,
         priceSpans: [(first: MarketDate, last: MarketDate)?]?) throws(RiskModelError) {
        precondition(assets.count == values.columns, "One asset name per column")
        precondition(dates.count == values.rows, "One date per row")
        try checkUniqueAssets(assets)
        guard periodsPerYear > 0 && periodsPerYear.isFinite else {
            throw .invalidParameter(name: "periodsPerYear", value: periodsPerYear, expected: "a positive number")
        }
        let t = values.rows
        var coverage: [AssetCoverage] = []
        coverage.reserveCapacity(assets.count)
        for j in assets.indices {
            var first = -1, last = -1, count = 0
            for i in 0..<t {
                let r = values.elements[i + j * t]
                if r.isNaN { continue }
                guard r.isFinite else { throw .nonFiniteReturn(asset: assets[j], observation: i, date: dates[i]) }
                if kind == .simple && r < -1 {
                    throw .invalidParameter(name: "simple return of '\(assets[j])' on \(dates[i])", value: r,
                                            expected: "at least -1 (a loss beyond 100% needs a negative price)")
                }
                if first < 0 { first = i }
                last = i
                count += 1
            }
            guard count >= 2 else { throw .insufficientHistory(asset: assets[j], observations: count, required: 2) }
            let span = priceSpans?[j]
            coverage.append(AssetCoverage(asset: assets[j], firstPrice: span?.first, lastPrice: span?.last,
                                          firstReturn: dates[first], lastReturn: dates[last], observations: count,
                                          lostReturns: last - first + 1 - count))
        }
        self.values = values
        self.assets = assets
        self.dates = dates
        self.kind = kind
        self.periodsPerYear = periodsPerYear
        self.coverage = coverage
    }

    /// The number of rows T (dates on which at least one asset has a return).
    public var observations: Int { values.rows }

    /// The number of assets N.
    public var assetCount: Int { values.columns }

    /// True when every asset has a return on every row: the estimators then give exactly what
    /// they give on the `ReturnSeries` of `completeRows()`.
    ///
    /// - Complexity: O(T·N).
    public var isComplete: Bool { !values.elements.contains { $0.isNaN } }

    /// The rows on which every asset has a return, as a `ReturnSeries` (its `droppedDates` are
    /// the others): the common window in which a portfolio's return path exists.
    ///
    /// - Throws: `RiskModelError.tooFewObservations` when fewer than two rows are complete.
    /// - Complexity: O(T·N).
    public func completeRows() throws(RiskModelError) -> ReturnSeries {
        let t = observations, n = assetCount
        let keep = (0..<t).filter { i in (0..<n).allSatisfy { !values.elements[i + $0 * t].isNaN } }
        guard keep.count >= 2 else { throw .tooFewObservations(found: keep.count, required: 2) }
        var out = [Double](repeating: 0, count: keep.count * n)
        for j in 0..<n { for (k, i) in keep.enumerated() { out[k + j * keep.count] = values.elements[i + j * t] } }
        let kept = Set(keep)
        return ReturnSeries(validated: Matrix(rows: keep.count, columns: n, columnMajor: out), assets: assets,
                            dates: keep.map { dates[$0] }, kind: kind, periodsPerYear: periodsPerYear,
                            droppedDates: (0..<t).filter { !kept.contains($0) }.map { dates[$0] })
    }

    /// Every row, with each missing return replaced by zero: the input PyPortfolioOpt's
    /// `CovarianceShrinkage` hands to its Ledoit-Wolf and OAS estimators (`np.nan_to_num`).
    ///
    /// - Complexity: O(T·N).
    public func zeroFilled() -> ReturnSeries {
        ReturnSeries(validated: values.map { $0.isNaN ? 0 : $0 }, assets: assets, dates: dates, kind: kind,
                     periodsPerYear: periodsPerYear, droppedDates: [])
    }

    /// The number of rows on which assets `i` and `j` both have a return.
    ///
    /// - Complexity: O(T).
    public func sharedObservations(_ i: Int, _ j: Int) -> Int {
        let t = observations
        return (0..<t).reduce(0) { $0 + (values.elements[$1 + i * t].isNaN || values.elements[$1 + j * t].isNaN ? 0 : 1) }
    }

    /// The returns minus each asset's own mean where present, zero where missing, and the
    /// 0/1 mask of the present ones (both T x N).
    func centeredAndMask(demean: Bool = true) -> (centered: Matrix, mask: Matrix, means: [Double]) {
        let t = observations, n = assetCount
        var x = [Double](repeating: 0, count: t * n)
        var m = [Double](repeating: 0, count: t * n)
        var means = [Double](repeating: 0, count: n)
        values.elements.withUnsafeBufferPointer { a in
            for j in 0..<n {
                let base = j * t
                var s = 0.0, c = 0
                for i in 0..<t where !a[base + i].isNaN { s += a[base + i]; c += 1 }
                let mean = demean && c > 0 ? s / Double(c) : 0
                means[j] = mean
                for i in 0..<t where !a[base + i].isNaN {
                    x[base + i] = a[base + i] - mean
                    m[base + i] = 1
                }
            }
        }
        return (Matrix(rows: t, columns: n, columnMajor: x), Matrix(rows: t, columns: n, columnMajor: m), means)
    }
}

extension PriceHistory {
    /// The returns between consecutive dates, each asset over its own history: a return exists
    /// where the asset has a price on both dates, and is NaN otherwise.
    ///
    /// Row `t` is the return to `dates[t + 1]`; dates on which no asset has a return are
    /// dropped (pandas `pct_change(fill_method=None).dropna(how="all")`, as PyPortfolioOpt's
    /// `returns_from_prices`). Nothing is imputed: a return across a gap (a price missing
    /// between two present ones) is not formed.
    ///
    /// - Parameters:
    ///   - kind: simple (default) or log returns.
    ///   - periodsPerYear: the annualization frequency carried by the result (252 daily).
    /// - Throws: `RiskModelError.insufficientHistory` naming an asset with fewer than two
    ///   returns; `.invalidParameter` for a non-positive `periodsPerYear`.
    /// - Complexity: O(T·N).
    public func raggedReturns(_ kind: ReturnKind = .simple, periodsPerYear: Double = 252) throws(RiskModelError)
        -> RaggedReturns
    {
        let t = dates.count, n = assets.count
        var rows = [Double](repeating: .nan, count: (t - 1) * n)
        var rowHasReturn = [Bool](repeating: false, count: t - 1)
        var spans: [(first: MarketDate, last: MarketDate)?] = []
        prices.elements.withUnsafeBufferPointer { p in
            for j in 0..<n {
                let base = j * t
                var first: Int?, last: Int?
                for i in 0..<t where !p[base + i].isNaN {
                    if first == nil { first = i }
                    last = i
                }
                spans.append(first.map { (dates[$0], dates[last!]) })
                for i in 1..<t {
                    let previous = p[base + i - 1], current = p[base + i]
                    if previous.isNaN || current.isNaN { continue }
                    rows[i - 1 + j * (t - 1)] = kind == .simple ? current / previous - 1 : _log(current / previous)
                    rowHasReturn[i - 1] = true
                }
            }
        }
        let keep = (0..<(t - 1)).filter { rowHasReturn[$0] }
        let m = keep.count
        var values = [Double](repeating: .nan, count: m * n)
        for j in 0..<n { for (k, i) in keep.enumerated() { values[k + j * m] = rows[i + j * (t - 1)] } }
        return try RaggedReturns(values: Matrix(rows: m, columns: n, columnMajor: values), assets: assets,
                                 dates: keep.map { dates[$0 + 1] }, kind: kind, periodsPerYear: periodsPerYear,
                                 priceSpans: spans)
    }
}
