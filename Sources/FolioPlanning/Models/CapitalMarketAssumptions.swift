import Foundation
import FolioLinearAlgebra
import FolioRebalancing

/// Expected return, volatility and correlations per asset class: the inputs used to judge an
/// asset-class mix (its expected return and volatility, hence goal probabilities and
/// suitability) when no price history is given.
///
/// Returns are **annual arithmetic** expected returns and volatilities are annual standard
/// deviations, both fractions (`0.07` = 7%). The portfolio statistics follow Markowitz,
/// "Portfolio Selection", *Journal of Finance* 7 (1952): `μₚ = Σ wᵢ μᵢ` and
/// `σₚ² = Σᵢ Σⱼ wᵢ wⱼ σᵢ σⱼ ρᵢⱼ`.
///
/// Folio bundles ``illustrative``: invented numbers, **not a forecast**.
public struct CapitalMarketAssumptions: Sendable, Hashable, Codable {
    /// The assumptions for one asset class.
    public struct AssetClass: Sendable, Hashable, Codable {
        /// The asset class id, e.g. `"us-large-cap"`.
        public var id: String
        /// Annual arithmetic expected return (fraction).
        public var expectedReturn: Double
        /// Annual volatility (standard deviation, fraction); not negative.
        public var volatility: Double

        /// Creates the assumptions for one class.
        /// - Parameters:
        ///   - id: Asset class id.
        ///   - expectedReturn: Annual arithmetic expected return (fraction).
        ///   - volatility: Annual volatility (fraction).
        public init(id: String, expectedReturn: Double, volatility: Double) {
            self.id = id
            self.expectedReturn = expectedReturn
            self.volatility = volatility
        }
    }

    /// Expected return and volatility of a mix.
    public struct PortfolioStatistics: Sendable, Hashable, Codable {
        /// Annual arithmetic expected return (fraction).
        public var expectedReturn: Double
        /// Annual volatility (fraction).
        public var volatility: Double

        /// Creates statistics.
        /// - Parameters:
        ///   - expectedReturn: Annual expected return.
        ///   - volatility: Annual volatility.
        public init(expectedReturn: Double, volatility: Double) {
            self.expectedReturn = expectedReturn
            self.volatility = volatility
        }
    }

    /// `true` when the numbers are made up (examples, tests); reports print a notice.
    public var isIllustrative: Bool
    /// A name for the set.
    public var name: String
    /// The date the assumptions are as of, if stated.
    public var asOf: Date?
    /// The currency of the returns, e.g. `"USD"`.
    public var currency: String
    /// The horizon the assumptions are meant for, in years, if stated.
    public var horizonYears: Int?
    /// The asset classes, in the order of the correlation matrix.
    public var assetClasses: [AssetClass]
    /// Correlations, `n × n` in the order of ``assetClasses``: symmetric, unit diagonal,
    /// entries in [−1, 1], positive semi-definite.
    public var correlations: [[Double]]

    /// Creates a set of assumptions.
    /// - Parameters:
    ///   - isIllustrative: Whether the numbers are invented.
    ///   - name: Name.
    ///   - asOf: As-of date.
    ///   - currency: Currency.
    ///   - horizonYears: Horizon in years.
    ///   - assetClasses: Per-class return and volatility.
    ///   - correlations: Correlation matrix in the same order.
    public init(
        isIllustrative: Bool, name: String = "", asOf: Date? = nil, currency: String = "USD",
        horizonYears: Int? = nil, assetClasses: [AssetClass], correlations: [[Double]]
    ) {
        self.isIllustrative = isIllustrative
        self.name = name
        self.asOf = asOf
        self.currency = currency
        self.horizonYears = horizonYears
        self.assetClasses = assetClasses
        self.correlations = correlations
    }

    /// The index of an asset class in ``assetClasses``, or `nil`.
    /// - Complexity: O(*n*).
    public func index(of assetClass: String) -> Int? { assetClasses.firstIndex { $0.id == assetClass } }

    /// Checks the assumptions: unique ids, finite returns, volatilities ≥ 0, an `n × n`
    /// symmetric correlation matrix with unit diagonal, entries in [−1, 1] and smallest
    /// eigenvalue ≥ −1e-8 (LAPACK `dsyevr`).
    /// - Throws: ``CapitalMarketAssumptionsError`` naming the class or entry.
    /// - Complexity: O(*n*³) for the eigenvalue check.
    public func validate() throws(CapitalMarketAssumptionsError) {
        var ids = Set<String>()
        for a in assetClasses {
            if !ids.insert(a.id).inserted { throw .duplicateAssetClass(a.id) }
            if !a.expectedReturn.isFinite { throw .invalidValue(assetClass: a.id, field: "expectedReturn", value: a.expectedReturn) }
            if !(a.volatility.isFinite && a.volatility >= 0) {
                throw .invalidValue(assetClass: a.id, field: "volatility", value: a.volatility)
            }
        }
        let n = assetClasses.count
        guard correlations.count == n, correlations.allSatisfy({ $0.count == n }) else {
            throw .correlationShape(expected: n, rows: correlations.count)
        }
        for i in 0..<n {
            for j in 0..<n {
                let c = correlations[i][j]
                if !(c.isFinite && c >= -1 && c <= 1) || (i == j && c != 1) || c != correlations[j][i] {
                    throw .invalidCorrelation(row: assetClasses[i].id, column: assetClasses[j].id, value: c)
                }
            }
        }
        let smallest = Self.smallestEigenvalue(correlations)
        if smallest < -1e-8 { throw .notPositiveSemidefinite(smallestEigenvalue: smallest) }
    }

    /// The annual covariance matrix `σᵢ σⱼ ρᵢⱼ`, in the order of ``assetClasses``.
    /// - Complexity: O(*n*²).
    public var covariance: [[Double]] {
        let v = assetClasses.map(\.volatility)
        return correlations.indices.map { i in correlations[i].indices.map { j in v[i] * v[j] * correlations[i][j] } }
    }

    /// Expected return and volatility of a mix of asset classes.
    /// - Parameter weights: Weight (fraction) per asset class id; classes absent count 0.
    ///   Weights need not sum to 1.
    /// - Returns: `μₚ = Σ wᵢ μᵢ` and `σₚ = √(wᵀ Σ w)`.
    /// - Throws: ``CapitalMarketAssumptionsError/unknownAssetClass(_:)`` for a weighted class
    ///   the assumptions do not cover.
    /// - Complexity: O(*n*²) for *n* classes.
    public func statistics(of weights: [String: Double]) throws(CapitalMarketAssumptionsError) -> PortfolioStatistics {
        var w = [Double](repeating: 0, count: assetClasses.count)
        for (id, x) in weights.sorted(by: { $0.key < $1.key }) where x != 0 {
            guard let i = index(of: id) else { throw .unknownAssetClass(id) }
            w[i] += x
        }
        var mu = 0.0
        var variance = 0.0
        for i in w.indices where w[i] != 0 {
            mu += w[i] * assetClasses[i].expectedReturn
            let si = w[i] * assetClasses[i].volatility
            for j in w.indices where w[j] != 0 {
                variance += si * w[j] * assetClasses[j].volatility * correlations[i][j]
            }
        }
        return PortfolioStatistics(expectedReturn: mu, volatility: max(0, variance).squareRoot())
    }

    /// The smallest eigenvalue of a small symmetric matrix (LAPACK `dsyevr` through
    /// FolioLinearAlgebra); a matrix LAPACK cannot decompose counts as not positive
    /// semi-definite (−∞).
    static func smallestEigenvalue(_ m: [[Double]]) -> Double {
        guard !m.isEmpty else { return 0 }
        guard let eigen = try? SymmetricEigendecomposition(Matrix(rows: m)) else { return -.infinity }
        return eigen.eigenvalues.first ?? 0
    }
}

/// Bad capital market assumptions or a mix they do not cover.
public enum CapitalMarketAssumptionsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A mix weights an asset class the assumptions do not list.
    case unknownAssetClass(String)
    /// An asset class id appears twice.
    case duplicateAssetClass(String)
    /// A non-finite return, or a negative or non-finite volatility.
    case invalidValue(assetClass: String, field: String, value: Double)
    /// The correlation matrix is not `n × n`.
    case correlationShape(expected: Int, rows: Int)
    /// A correlation entry is outside [−1, 1], off the unit diagonal, or asymmetric.
    case invalidCorrelation(row: String, column: String, value: Double)
    /// The correlation matrix has a negative eigenvalue below −1e-8.
    case notPositiveSemidefinite(smallestEigenvalue: Double)

    /// A readable description naming the class or entry.
    public var description: String {
        switch self {
        case .unknownAssetClass(let id): "no capital market assumptions for asset class '\(id)'"
        case .duplicateAssetClass(let id): "asset class '\(id)' appears twice"
        case .invalidValue(let id, let f, let v): "asset class '\(id)': invalid \(f) \(v)"
        case .correlationShape(let n, let r): "correlation matrix must be \(n) x \(n) (has \(r) rows or ragged rows)"
        case .invalidCorrelation(let r, let c, let v): "correlation (\(r), \(c)) = \(v) is invalid"
        case .notPositiveSemidefinite(let e): "correlation matrix is not positive semi-definite (smallest eigenvalue \(e))"
        }
    }
}
