import Foundation

/// The risk figures of one portfolio for the terminal, JSON and CSV.
///
/// Units: volatility, tracking error and expected return are annual fractions; VaR and CVaR
/// are one-period losses (fractions, positive for a loss) at `confidence`; the drawdown is a
/// fraction of the peak.
public struct RiskReport: Sendable, Encodable {
    /// Annual volatility √(wᵀΣw) from the covariance estimator.
    public var volatility: Double
    /// Historical value at risk.
    public var historicalVaR: Double
    /// Historical conditional value at risk (expected shortfall).
    public var historicalCVaR: Double
    /// Gaussian value at risk.
    public var gaussianVaR: Double
    /// Gaussian conditional value at risk.
    public var gaussianCVaR: Double
    /// The largest peak-to-trough loss of the constant-weight path.
    public var maximumDrawdown: Double
    /// The historical Sharpe ratio (``SharpeConvention/historical``).
    public var sharpeRatio: Double
    /// The historical Sortino ratio.
    public var sortinoRatio: Double
    /// μᵀw from the expected-return estimator.
    public var expectedReturn: Double
    /// (μᵀw − r_f)/√(wᵀΣw) (``SharpeConvention/exAnte``): `optimize`'s `sharpeRatio` for the same weights.
    public var expectedSharpeRatio: Double
    /// The risk-free rate both ratios use (annual fraction).
    public var riskFreeRate: Double
    /// The VaR and CVaR confidence level.
    public var confidence: Double
    /// √((w − b)ᵀΣ(w − b)) against the benchmark, when one was given.
    public var trackingError: Double?
    /// The historical tracking error: the sample standard deviation of the period return
    /// differences with the benchmark, annualized by √f, when a benchmark was given.
    public var historicalTrackingError: Double?
    /// Each held asset's share of the volatility (symbol → fraction).
    public var riskContributions: [String: Double]
    /// Which Sharpe ratio is which.
    public var sharpeConventions: [String: SharpeConvention] {
        ["sharpeRatio": .historical, "expectedSharpeRatio": .exAnte]
    }

    /// A report from its figures; see the properties.
    ///
    /// - Complexity: O(1).
    public init(volatility: Double, historicalVaR: Double, historicalCVaR: Double, gaussianVaR: Double, gaussianCVaR: Double,
                maximumDrawdown: Double, sharpeRatio: Double, sortinoRatio: Double, expectedReturn: Double, expectedSharpeRatio: Double,
                riskFreeRate: Double, confidence: Double, trackingError: Double? = nil, historicalTrackingError: Double? = nil,
                riskContributions: [String: Double]) {
        self.volatility = volatility
        self.historicalVaR = historicalVaR
        self.historicalCVaR = historicalCVaR
        self.gaussianVaR = gaussianVaR
        self.gaussianCVaR = gaussianCVaR
        self.maximumDrawdown = maximumDrawdown
        self.sharpeRatio = sharpeRatio
        self.sortinoRatio = sortinoRatio
        self.expectedReturn = expectedReturn
        self.expectedSharpeRatio = expectedSharpeRatio
        self.riskFreeRate = riskFreeRate
        self.confidence = confidence
        self.trackingError = trackingError
        self.historicalTrackingError = historicalTrackingError
        self.riskContributions = riskContributions
    }

    enum CodingKeys: String, CodingKey {
        case volatility, historicalVaR, historicalCVaR, gaussianVaR, gaussianCVaR, maximumDrawdown, sharpeRatio, sortinoRatio
        case expectedReturn, expectedSharpeRatio, riskFreeRate, confidence, trackingError, historicalTrackingError, riskContributions
        case sharpeConventions
    }

    /// Encodes every figure and `sharpeConventions` (figure → how it is computed).
    ///
    /// - Complexity: O(n).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        for (key, value) in [(CodingKeys.volatility, volatility), (.historicalVaR, historicalVaR), (.historicalCVaR, historicalCVaR),
                             (.gaussianVaR, gaussianVaR), (.gaussianCVaR, gaussianCVaR), (.maximumDrawdown, maximumDrawdown),
                             (.sharpeRatio, sharpeRatio), (.sortinoRatio, sortinoRatio), (.expectedReturn, expectedReturn),
                             (.expectedSharpeRatio, expectedSharpeRatio), (.riskFreeRate, riskFreeRate), (.confidence, confidence)] {
            try c.encode(value, forKey: key)
        }
        try c.encodeIfPresent(trackingError, forKey: .trackingError)
        try c.encodeIfPresent(historicalTrackingError, forKey: .historicalTrackingError)
        try c.encode(riskContributions, forKey: .riskContributions)
        try c.encode(sharpeConventions, forKey: .sharpeConventions)
    }

    /// The terminal text: one row per measure, then the risk contributions largest first.
    ///
    /// - Complexity: O(n log n).
    public func table(width: Int = 100) -> String {
        let pct = { (x: Double) in ReportFormat.percent(x) }
        var table = TextTable(columns: [.init("Measure"), .init("Value", .right)])
        table.append(["Volatility (annual)", pct(volatility)])
        if let trackingError { table.append(["Tracking error (annual, covariance)", pct(trackingError)]) }
        if let historicalTrackingError { table.append(["Tracking error (annual, historical)", pct(historicalTrackingError)]) }
        table.append(["VaR \(pct(confidence)) historical (1 period)", pct(historicalVaR)])
        table.append(["CVaR \(pct(confidence)) historical (1 period)", pct(historicalCVaR)])
        table.append(["VaR \(pct(confidence)) Gaussian (1 period)", pct(gaussianVaR)])
        table.append(["CVaR \(pct(confidence)) Gaussian (1 period)", pct(gaussianCVaR)])
        table.append(["Maximum drawdown", pct(maximumDrawdown)])
        table.append(["Sharpe ratio (historical)", String(format: "%.3f", sharpeRatio)])
        table.append(["Sortino ratio (historical)", String(format: "%.3f", sortinoRatio)])
        table.append(["Expected return (annual)", pct(expectedReturn)])
        table.append(["Sharpe ratio (ex-ante, as optimize)", String(format: "%.3f", expectedSharpeRatio)])
        var contributions = TextTable(columns: [.init("Asset"), .init("Risk contribution", .right)])
        let sorted = riskContributions.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) })
        // Shares that print as 0.00% are counted, not listed (the JSON has them all).
        let shown = sorted.filter { abs($0.value) >= 5e-5 }
        for (asset, share) in shown { contributions.append([asset, pct(share)]) }
        let hidden = sorted.count - shown.count
        return table.render(maxWidth: width) + "\n" + contributions.render(maxWidth: width)
            + (hidden > 0 ? "\(hidden) more held asset\(hidden == 1 ? "" : "s") below 0.005% of the risk each\n" : "")
    }

    /// The JSON document (every property, `sharpeConventions` included).
    ///
    /// - Complexity: O(n log n).
    public func json() throws -> Data { try QuantJSON.encode(self) }

    /// CSV: `asset,risk_contribution`, by symbol.
    ///
    /// - Complexity: O(n log n).
    public func csv() -> String {
        CSVWriter.document(header: ["asset", "risk_contribution"],
                           rows: riskContributions.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
    }
}
