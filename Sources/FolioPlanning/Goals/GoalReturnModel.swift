import Foundation
import FolioLinearAlgebra
import FolioRebalancing

/// The law of monthly returns a goal simulation draws from.
///
/// - ``lognormal``: each month's portfolio log return is normal with the allocation's
///   lognormal parameters (``LognormalReturnModel``).
/// - ``studentT(degreesOfFreedom:)``: fat tails. Asset-class monthly log returns are
///   multivariate Student-t with ν degrees of freedom, scaled so their covariance is the
///   assumptions' covariance (`X = μ + √((ν−2)/W) · L·Z`, `W ~ χ²ᵥ`, `L·Lᵀ = Σ`; Kotz & Nadarajah,
///   *Multivariate t Distributions and Their Applications*, 2004, ch. 1). A portfolio `wᵀX` is
///   then univariate t with the same ν and variance `wᵀΣw`, so the simulation draws the
///   portfolio's shock `√((ν−2)/W) · Z` directly: the same law at a fraction of the cost.
///   Excess kurtosis is `6/(ν−4)` for ν > 4. ``MultivariateStudentT`` draws the class vectors.
/// - ``bootstrap(_:blockMonths:)``: months of a returns history, resampled in circular blocks
///   (Politis & Romano, "A circular block-resampling procedure for stationary data", 1992) so
///   that runs of bad months stay together; each block starts at a uniformly drawn month.
public enum GoalReturnModel: Sendable, Hashable {
    /// Lognormal monthly returns.
    case lognormal
    /// Multivariate Student-t log returns with ν > 2 degrees of freedom, same covariance.
    case studentT(degreesOfFreedom: Double)
    /// Circular block bootstrap over a history, blocks of `blockMonths` ≥ 1 months.
    case bootstrap(ReturnHistory, blockMonths: Int)

    /// A short name for reports: `lognormal`, `student-t (ν = 5)`, `bootstrap (12-month blocks, 124 months)`.
    public var label: String {
        switch self {
        case .lognormal: "lognormal"
        case .studentT(let nu): "student-t (\(nu.formatted(.number.precision(.fractionLength(0...2)))) degrees of freedom)"
        case .bootstrap(let h, let b): "bootstrap (\(b)-month blocks over \(h.months) months of history)"
        }
    }

    /// Checks the parameters.
    /// - Throws: ``GoalError/invalidReturnModel(detail:)`` for ν ≤ 2 or not finite, a block
    ///   length below 1 or an empty history.
    public func validate() throws(GoalError) {
        switch self {
        case .lognormal: return
        case .studentT(let nu):
            guard nu.isFinite, nu > 2 else {
                throw .invalidReturnModel(detail: "Student-t degrees of freedom \(nu) must be finite and above 2 (the variance must exist)")
            }
        case .bootstrap(let h, let b):
            guard b >= 1 else { throw .invalidReturnModel(detail: "bootstrap block length \(b) must be at least 1 month") }
            guard h.months >= 1 else { throw .invalidReturnModel(detail: "the returns history has no months") }
        }
    }
}

/// Monthly simple returns of asset classes: the history a bootstrap resamples.
public struct ReturnHistory: Sendable, Hashable, Codable {
    /// Asset-class ids, the columns.
    public var assetClasses: [String]
    /// `returns[t][j]`: the simple return (fraction) of class `j` in month `t`, oldest first.
    public var returns: [[Double]]

    /// Creates a history.
    /// - Parameters:
    ///   - assetClasses: Class ids.
    ///   - returns: One row per month, one column per class, simple returns > −1.
    /// - Throws: ``GoalError/invalidReturnModel(detail:)`` for a ragged row or a return that
    ///   is not finite or ≤ −100%.
    public init(assetClasses: [String], returns: [[Double]]) throws(GoalError) {
        for (t, row) in returns.enumerated() {
            guard row.count == assetClasses.count else {
                throw .invalidReturnModel(detail: "history month \(t + 1) has \(row.count) returns for \(assetClasses.count) classes")
            }
            for (j, r) in row.enumerated() where !(r.isFinite && r > -1) {
                throw .invalidReturnModel(detail: "history month \(t + 1), class \(assetClasses[j]): return \(r) must be finite and above -100%")
            }
        }
        self.assetClasses = assetClasses
        self.returns = returns
    }

    /// Months of history.
    public var months: Int { returns.count }

    /// Monthly returns from daily (or any) closing prices: the last price of each calendar
    /// month, and the return from one month-end to the next. Classes map to price columns by
    /// `columns` (class id → column index); a class whose column has no price at a month end
    /// makes that month unusable and it is dropped from the start (histories must be complete).
    /// - Parameters:
    ///   - dates: Dates of the rows, ascending.
    ///   - prices: `prices[row][column]`, positive or `nil` when missing.
    ///   - columns: Class id → column index.
    /// - Returns: The history, one row per month after the first complete month end.
    /// - Throws: ``GoalError/invalidReturnModel(detail:)`` when fewer than 2 month ends are complete.
    /// - Complexity: O(*rows* · *classes*).
    public static func monthly(dates: [Date], prices: [[Double?]], columns: [(assetClass: String, column: Int)]) throws(GoalError) -> ReturnHistory {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        var monthEnds: [[Double]] = []
        var lastKey = -1
        var current: [Double]? = nil
        for (i, d) in dates.enumerated() {
            let c = cal.dateComponents([.year, .month], from: d)
            let key = (c.year ?? 0) * 12 + (c.month ?? 0)
            if key != lastKey, lastKey >= 0, let row = current { monthEnds.append(row) }
            if key != lastKey { current = nil; lastKey = key }
            let row = columns.map { prices[i][$0.column] }
            if row.allSatisfy({ ($0 ?? 0) > 0 }) { current = row.map { $0! } }
        }
        if let row = current { monthEnds.append(row) }
        guard monthEnds.count >= 2 else {
            throw .invalidReturnModel(detail: "the price history has \(monthEnds.count) complete month ends; a bootstrap needs at least 2")
        }
        var returns: [[Double]] = []
        for t in 1..<monthEnds.count {
            returns.append(zip(monthEnds[t], monthEnds[t - 1]).map { $0 / $1 - 1 })
        }
        return try ReturnHistory(assetClasses: columns.map(\.assetClass), returns: returns)
    }

    /// The mean monthly return of each class over the history.
    /// - Complexity: O(*months* · *classes*).
    public var meanReturns: [Double] {
        guard !returns.isEmpty else { return [] }
        var m = [Double](repeating: 0, count: assetClasses.count)
        for row in returns { for j in row.indices { m[j] += row[j] } }
        return m.map { $0 / Double(returns.count) }
    }

    /// The portfolio's monthly simple return in each history month, `Σ wⱼ rₜⱼ`, for a mix that
    /// is rebalanced monthly. A class of the mix missing from the history counts as cash
    /// earning 0 and is named in the error only when it carries weight.
    /// - Throws: ``GoalError/invalidReturnModel(detail:)`` for a weighted class the history lacks.
    /// - Complexity: O(*months* · *classes*).
    public func portfolioReturns(_ weights: [String: Double]) throws(GoalError) -> [Double] {
        var w = [Double](repeating: 0, count: assetClasses.count)
        for (id, x) in weights.sorted(by: { $0.key < $1.key }) where x != 0 {
            guard let j = assetClasses.firstIndex(of: id) else {
                throw .invalidReturnModel(detail: "the returns history has no class '\(id)' (weight \(x))")
            }
            w[j] += x
        }
        return returns.map { row in zip(row, w).reduce(0) { $0 + $1.0 * $1.1 } }
    }
}

/// A multivariate Student-t generator of asset-class log returns with a given mean and
/// covariance: `X = μ + √((ν−2)/W) · L·Z` with `Z` standard normal, `W ~ χ²ᵥ` and `L` the
/// Cholesky factor of the covariance Σ, so `Cov(X) = Σ` for ν > 2 and each margin has
/// kurtosis `3 + 6/(ν−4)` (ν > 4).
public struct MultivariateStudentT: Sendable {
    /// Means, one per class.
    public let mean: [Double]
    /// The lower Cholesky factor of the covariance, column-major `n × n`.
    let lower: Matrix
    /// Degrees of freedom ν > 2.
    public let degreesOfFreedom: Double

    /// Creates the generator.
    /// - Parameters:
    ///   - mean: Means.
    ///   - covariance: Covariance `n × n`, positive definite.
    ///   - degreesOfFreedom: ν > 2.
    /// - Throws: ``GoalError/invalidReturnModel(detail:)`` for ν ≤ 2, a shape mismatch or a
    ///   covariance that is not positive definite (LAPACK `dpotrf`).
    /// - Complexity: O(*n*³).
    public init(mean: [Double], covariance: [[Double]], degreesOfFreedom: Double) throws(GoalError) {
        try GoalReturnModel.studentT(degreesOfFreedom: degreesOfFreedom).validate()
        guard covariance.count == mean.count, covariance.allSatisfy({ $0.count == mean.count }) else {
            throw .invalidReturnModel(detail: "covariance is not \(mean.count) x \(mean.count)")
        }
        do { lower = try Cholesky(Matrix(rows: covariance)).lower } catch {
            throw .invalidReturnModel(detail: "covariance is not positive definite: \(error)")
        }
        self.mean = mean
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// One draw.
    /// - Parameter rng: The generator.
    /// - Returns: A vector of `n` log returns.
    /// - Complexity: O(*n*²).
    public func next(_ rng: inout Xoshiro256StarStar) -> [Double] {
        let n = mean.count
        let z = (0..<n).map { _ in rng.nextStandardNormal() }
        let scale = StudentTShock.scale(&rng, degreesOfFreedom: degreesOfFreedom)
        var x = mean
        for i in 0..<n {
            var s = 0.0
            for j in 0...i { s += lower[i, j] * z[j] }
            x[i] += scale * s
        }
        return x
    }
}

/// The scale of a unit-variance Student-t shock, `√((ν−2)/W)` with `W ~ χ²ᵥ = 2·Gamma(ν/2)`.
enum StudentTShock {
    /// One scale factor; Gamma(a) by Marsaglia & Tsang, "A simple method for generating gamma
    /// variables", *ACM TOMS* 26 (2000), with the `a < 1` boost `G(a+1)·U^(1/a)`.
    @inline(__always)
    static func scale(_ rng: inout Xoshiro256StarStar, degreesOfFreedom nu: Double) -> Double {
        let w = 2 * gamma(&rng, shape: nu / 2)
        return ((nu - 2) / w).squareRoot()
    }

    static func gamma(_ rng: inout Xoshiro256StarStar, shape a: Double) -> Double {
        if a < 1 { return gamma(&rng, shape: a + 1) * Foundation.pow(rng.nextOpenUnit(), 1 / a) }
        let d = a - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = rng.nextStandardNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = rng.nextOpenUnit()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if Foundation.log(u) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) { return d * v }
        }
    }
}
