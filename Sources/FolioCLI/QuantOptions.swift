import ArgumentParser
import Folio
import Foundation

/// Covariance estimators the command line offers.
enum CovarianceChoice: String, ExpressibleByArgument, CaseIterable {
    case sample, ewma, semicovariance
    case ledoitWolf = "ledoit-wolf", constantCorrelation = "constant-correlation", singleIndex = "single-index"
    case oas, denoised, detoned

    func estimate(_ returns: ReturnSeries) throws(RiskModelError) -> CovarianceEstimate {
        try estimator.estimate(returns)
    }

    /// The estimator with the command line's defaults.
    var estimator: any CovarianceEstimator {
        switch self {
        case .sample: return SampleCovariance()
        case .ewma: return ExponentiallyWeightedCovariance()
        case .semicovariance: return Semicovariance()
        case .ledoitWolf: return LedoitWolfShrinkage()
        case .constantCorrelation: return LedoitWolfShrinkage(target: .constantCorrelation)
        case .singleIndex: return LedoitWolfShrinkage(target: .singleIndex)
        case .oas: return OracleApproximatingShrinkage()
        case .denoised: return MarcenkoPasturDenoising(base: SampleCovariance())
        case .detoned: return Detoning(base: SampleCovariance())
        }
    }
}

/// Expected-return estimators the command line offers.
enum ReturnsChoice: String, ExpressibleByArgument, CaseIterable {
    case mean, ema, capm

    func estimate(_ returns: ReturnSeries, riskFreeRate: Double) throws(RiskModelError) -> [Double] {
        switch self {
        case .mean: return ExpectedReturns.meanHistorical(returns).values
        case .ema: return try ExpectedReturns.exponentiallyWeighted(returns).values
        case .capm: return try ExpectedReturns.capm(returns, riskFreeRate: riskFreeRate).values
        }
    }
}

/// The price history and how to turn it into returns, shared by the quant subcommands.
struct PriceOptions: ParsableArguments {
    @Option(help: "Prices file (CSV, wide or long).")
    var prices: String

    @Option(parsing: .unconditional, help: "Periods per year for annualization: 252 daily (default), 52 weekly, 12 monthly.")
    var frequency: Double = 252

    @Flag(help: "Drop dates where any price is missing (default: a gap is an error).")
    var dropIncomplete = false

    func validate() throws {
        guard frequency.isFinite, frequency > 0 else { throw ValidationError("--frequency must be a positive number of periods per year") }
    }

    func returns(_ selection: PriceSelection = .all) throws -> ReturnSeries {
        do {
            let table = try PricesReader.read(contentsOf: URL(fileURLWithPath: prices)).selecting(selection, file: prices)
            return try table.priceHistory().returns(.simple, missingData: dropIncomplete ? .dropIncompleteRows : .throwOnGaps,
                                                    periodsPerYear: frequency)
        } catch {
            throw DataFailure(error)
        }
    }
}

/// Writes a document to stdout.
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Sorted-key pretty JSON of an encodable value.
func jsonText<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}

func percent(_ x: Double) -> String { String(format: "%.2f%%", x * 100) }
