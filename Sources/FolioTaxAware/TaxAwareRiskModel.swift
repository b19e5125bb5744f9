import Foundation
import FolioLinearAlgebra
import FolioRebalancing
import FolioRisk

/// The estimators a policy's `risk_model` can name for a class covariance from a price history.
public enum TaxAwareCovarianceEstimator: String, Sendable, Hashable, CaseIterable {
    /// The sample covariance (unbiased, annualized): ``FolioRisk/SampleCovariance``.
    case sample
    /// Ledoit–Wolf shrinkage toward a scaled identity (Ledoit and Wolf, "A well-conditioned
    /// estimator for large-dimensional covariance matrices", J. Multivariate Anal. 88 (2004)):
    /// ``FolioRisk/LedoitWolfShrinkage``.
    case ledoitWolf = "ledoit-wolf"
    /// Exponentially weighted covariance, span 180 periods (RiskMetrics):
    /// ``FolioRisk/ExponentiallyWeightedCovariance``.
    case ewma

    /// The FolioRisk estimator (annualized by the series' periods per year).
    var estimator: any CovarianceEstimator {
        switch self {
        case .sample: SampleCovariance()
        case .ledoitWolf: LedoitWolfShrinkage()
        case .ewma: ExponentiallyWeightedCovariance()
        }
    }
}

extension TaxAwareSettings.RiskModel {
    /// The fewest return observations (dates with a price of every security used, less one)
    /// an estimated class covariance accepts: twice the classes, and at least 20.
    /// - Complexity: O(1).
    public static func minimumObservations(classes: Int) -> Int { Swift.max(20, 2 * classes) }

    /// A class covariance estimated from a price history of the household's securities.
    ///
    /// The tracking term is over asset classes, so each class gets one return series: the
    /// value-weighted return of the household's holdings in it (values at `prices`, the trade
    /// date's), or, for a class the household does not hold, the equal-weighted return of the
    /// target sleeve's members. Only dates on or before the trade date (`prices.asOf`) with a
    /// price for every security used count; the periods per year (252, 52 or 12) follow the
    /// median spacing of those dates. The classes are those ``TaxAwareHouseholdProblem`` builds
    /// (the target's sleeves, then any other class held), so the result plugs into
    /// ``TaxAwareSettings/riskModel`` as ``classCovariance(classes:covariance:)``.
    ///
    /// - Parameters:
    ///   - history: Prices of the securities, dates ascending (e.g. a prices file's table).
    ///   - estimator: The covariance estimator.
    ///   - household: The household (its holdings weight each class's securities).
    ///   - target: The target by asset class.
    ///   - securities: The security master (class of each symbol).
    ///   - prices: Prices on the trade date; their date bounds the history used.
    /// - Throws: ``TaxAwareError/riskModel(_:)`` naming a security without a price history, the
    ///   number of dates when there are too few (``minimumObservations(classes:)``), or the
    ///   estimator's failure.
    /// - Complexity: O(T·S + T·K² ) for T dates, S securities used and K classes, plus the
    ///   estimator's.
    public static func estimated(
        from history: PriceHistory, estimator: TaxAwareCovarianceEstimator, household: Household, target: TargetAllocation,
        securities: [FolioRebalancing.Security], prices: Prices
    ) throws(TaxAwareError) -> TaxAwareSettings.RiskModel {
        let name = estimator.rawValue
        guard target.isByAssetClass else { throw .riskModel("the target is by security; the \(name) risk model is over asset classes") }
        let master = Dictionary(securities.map { ($0.symbol, $0) }, uniquingKeysWith: { first, _ in first })
        var classes = target.sleeves.map(\.assetClass)
        var members: [String: [String]] = [:]
        for sleeve in target.sleeves { members[sleeve.assetClass] = sleeve.members.filter { $0 != TargetAllocation.cashSymbol } }
        // Value held per symbol, household-wide.
        var held: [String: Double] = [:]
        for account in household.accounts {
            for position in account.positions {
                guard let security = master[position.symbol] else {
                    throw .riskModel("security \(position.symbol) is not in the securities list")
                }
                if !classes.contains(security.assetClass) { classes.append(security.assetClass) }
                let price = prices[position.symbol].map { NSDecimalNumber(decimal: $0).doubleValue } ?? 0
                held[position.symbol, default: 0] += NSDecimalNumber(decimal: position.quantity).doubleValue * price
            }
        }
        // Weights of each class's securities.
        var weights: [[(column: Int, weight: Double)]] = []
        var columnOf: [String: Int] = [:]
        for (j, asset) in history.assets.enumerated() { columnOf[asset] = j }
        for assetClass in classes {
            var symbols = held.keys.filter { master[$0]?.assetClass == assetClass && held[$0]! > 0 }.sorted()
            var values = symbols.map { held[$0]! }
            if symbols.isEmpty {
                symbols = members[assetClass] ?? []
                values = symbols.map { _ in 1 }
            }
            let total = values.reduce(0, +)
            guard total > 0 else { throw .riskModel("asset class \(assetClass) has no security to estimate its returns from") }
            var row: [(Int, Double)] = []
            for (symbol, value) in zip(symbols, values) {
                guard let j = columnOf[symbol] else {
                    throw .riskModel("security \(symbol) (asset class \(assetClass)) has no price history; the \(name) risk model needs one for every security held and, for a class not held, every member of its sleeve")
                }
                row.append((j, value / total))
            }
            weights.append(row)
        }
        // Dates on or before the trade date with every price used.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let day = calendar.dateComponents([.year, .month, .day], from: prices.asOf)
        let tradeDay = MarketDate(year: day.year!, month: day.month!, day: day.day!)!
        let used = Set(weights.flatMap { $0.map(\.column) })
        let t = history.dates.count
        let rows = (0..<t).filter { i in
            history.dates[i] <= tradeDay && used.allSatisfy { history.prices.elements[i + $0 * t].isFinite && history.prices.elements[i + $0 * t] > 0 }
        }
        let k = classes.count
        let needed = minimumObservations(classes: k)
        guard rows.count - 1 >= needed else {
            throw .riskModel("the price history has \(Swift.max(0, rows.count - 1)) returns on or before \(tradeDay) with a price for every security used; the \(name) risk model over \(k) asset classes needs at least \(needed)")
        }
        let m = rows.count - 1
        var values = [Double](repeating: 0, count: m * k)
        for (c, row) in weights.enumerated() {
            for r in 0..<m {
                var x = 0.0
                for (j, w) in row {
                    x += w * (history.prices.elements[rows[r + 1] + j * t] / history.prices.elements[rows[r] + j * t] - 1)
                }
                values[r + c * m] = x
            }
        }
        // Periods per year from the median spacing of the dates used.
        var gaps = (0..<m).map { Self.days(history.dates[rows[$0]], history.dates[rows[$0 + 1]]) }
        gaps.sort()
        let spacing = gaps[gaps.count / 2]
        let periods: Double = spacing <= 4 ? 252 : (spacing <= 10 ? 52 : 12)
        let estimate: CovarianceEstimate
        do {
            let series = try ReturnSeries(values: Matrix(rows: m, columns: k, columnMajor: values), assets: classes,
                                          dates: rows.dropFirst().map { history.dates[$0] }, periodsPerYear: periods)
            estimate = try estimator.estimator.estimate(series)
        } catch {
            throw .riskModel("the \(name) estimator failed: \(error)")
        }
        let covariance = (0..<k).map { i in (0..<k).map { j in 0.5 * (estimate.matrix[i, j] + estimate.matrix[j, i]) } }
        return .classCovariance(classes: classes, covariance: covariance)
    }

    /// Calendar days between two market dates.
    static func days(_ a: MarketDate, _ b: MarketDate) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let da = calendar.date(from: DateComponents(year: a.year, month: a.month, day: a.day))!
        let db = calendar.date(from: DateComponents(year: b.year, month: b.month, day: b.day))!
        return calendar.dateComponents([.day], from: da, to: db).day!
    }
}
