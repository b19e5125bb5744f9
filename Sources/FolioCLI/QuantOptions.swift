import ArgumentParser
import Folio
import Foundation

/// Covariance estimators the command line offers.
enum CovarianceChoice: String, ExpressibleByArgument, CaseIterable {
    case sample, ewma, semicovariance
    case ledoitWolf = "ledoit-wolf", constantCorrelation = "constant-correlation", singleIndex = "single-index"
    case oas, shrunk, denoised, detoned

    func estimate(_ returns: ReturnSeries) throws(RiskModelError) -> CovarianceEstimate {
        try estimator.estimate(returns)
    }

    /// The estimator with the command line's defaults.
    var estimator: any CovarianceEstimator { RiskModelOptions.estimator(self) }

    /// Why this estimator gave a singular matrix and what to use instead.
    func singularReason(observations: Int, assets: Int) -> String {
        switch self {
        case .detoned:
            return "detoned removes the market component, so it has rank N-1 and a portfolio close to the market shows no risk; use it to cluster (--objective hrp or herc), or choose another --covariance"
        case .sample, .semicovariance, .ewma, .denoised:
            return "\(rawValue) from \(observations) observations of \(assets) assets cannot be inverted; use a shrinkage estimator (--covariance ledoit-wolf or oas) or a longer history"
        default:
            return "choose another --covariance"
        }
    }
}

/// Expected-return estimators the command line offers.
enum ReturnsChoice: String, ExpressibleByArgument, CaseIterable {
    case mean, ema, capm

    /// The estimate with the default mean (compounded) and spans, on complete returns.
    func estimate(_ returns: ReturnSeries, riskFreeRate: Double) throws(RiskModelError) -> [Double] {
        try estimate(returns, ragged: nil, riskFreeRate: riskFreeRate, compounding: true, emaSpan: 500)
    }

    /// The estimate over each asset's own history when `ragged` is given, else on `returns`.
    func estimate(_ returns: ReturnSeries?, ragged: RaggedReturns?, riskFreeRate: Double, compounding: Bool,
                  emaSpan: Double) throws(RiskModelError) -> [Double] {
        if let ragged {
            switch self {
            case .mean: return ExpectedReturns.meanHistorical(ragged, compounding: compounding).values
            case .ema: return try ExpectedReturns.exponentiallyWeighted(ragged, decay: .span(emaSpan), compounding: compounding).values
            case .capm: return try ExpectedReturns.capm(ragged, riskFreeRate: riskFreeRate, compounding: compounding).values
            }
        }
        let returns = returns!
        switch self {
        case .mean: return ExpectedReturns.meanHistorical(returns, compounding: compounding).values
        case .ema: return try ExpectedReturns.exponentiallyWeighted(returns, decay: .span(emaSpan), compounding: compounding).values
        case .capm: return try ExpectedReturns.capm(returns, riskFreeRate: riskFreeRate, compounding: compounding).values
        }
    }
}

/// How a historical mean return is formed.
enum MeanKind: String, ExpressibleByArgument, CaseIterable {
    /// The geometric mean (CAGR) of simple returns: PyPortfolioOpt's default.
    case compounded
    /// The arithmetic mean of simple returns, times the frequency.
    case arithmetic
    /// The arithmetic mean of log returns, times the frequency (a continuously compounded rate).
    case log
}

/// What to do with missing prices.
enum MissingPrices: String, ExpressibleByArgument, CaseIterable {
    /// A missing price is an error naming the assets and dates.
    case error
    /// Drop every date on which any asset lacks a price.
    case drop
    /// Each asset over its own history; covariance over the dates each pair shares.
    case pairwise
}

/// The price history and how to turn it into returns, shared by the quant subcommands.
struct PriceOptions: ParsableArguments {
    @Option(help: "Prices file (CSV, wide or long).")
    var prices: String

    @Option(parsing: .unconditional, help: "Periods per year for annualization: 252 daily (default), 52 weekly, 12 monthly.")
    var frequency: Double = 252

    @Option(help: "Missing prices: error (the default: a gap names the assets and dates), drop (every date where any price is missing), pairwise (each asset over its own history; covariance over the dates each pair shares, repaired to positive definite; see Documentation/Algorithms.md).")
    var missing: MissingPrices?

    @Flag(help: "Same as --missing drop.")
    var dropIncomplete = false

    /// The policy asked for: `--missing`, or `--drop-incomplete`, or error.
    var missingPrices: MissingPrices { missing ?? (dropIncomplete ? .drop : .error) }

    func validate() throws {
        guard frequency.isFinite, frequency > 0 else { throw ValidationError("--frequency must be a positive number of periods per year") }
        if dropIncomplete, let missing, missing != .drop {
            throw ValidationError("--drop-incomplete is --missing drop; it cannot go with --missing \(missing.rawValue)")
        }
    }

    /// The returns on the dates every asset has (for a portfolio's return path).
    func returns(_ selection: PriceSelection = .all) throws -> ReturnSeries { try load(selection).commonReturns() }

    /// The prices read, narrowed to `--symbols`/`--exclude`, and turned into returns as
    /// `--missing` asks.
    func load(_ selection: PriceSelection = .all) throws -> QuantData {
        do {
            let table = try PricesReader.read(contentsOf: URL(fileURLWithPath: prices)).selecting(selection, file: prices)
            let history = try table.priceHistory()
            return try QuantData(history: history, missing: missingPrices, frequency: frequency)
        } catch let error as RiskModelError {
            if case .missingPrices = error {
                throw DataFailure(lines: DataFailure(error).lines + ["(--missing pairwise uses each asset's own history; --missing drop drops every date with a gap)"])
            }
            throw DataFailure(error)
        } catch {
            throw DataFailure(error)
        }
    }
}

/// A price history turned into returns as `--missing` asks.
struct QuantData {
    /// The prices as read.
    let history: PriceHistory
    /// How missing prices are treated.
    let missing: MissingPrices
    /// Periods per year.
    let frequency: Double
    /// The simple returns: complete (error, drop) or the common dates (pairwise, when some
    /// dates have every asset).
    private let complete: Result<ReturnSeries, RiskModelError>
    /// The ragged simple returns (pairwise only).
    let ragged: RaggedReturns?

    init(history: PriceHistory, missing: MissingPrices, frequency: Double) throws(RiskModelError) {
        self.history = history
        self.missing = missing
        self.frequency = frequency
        switch missing {
        case .error, .drop:
            complete = .success(try history.returns(.simple, missingData: missing == .drop ? .dropIncompleteRows : .throwOnGaps,
                                                    periodsPerYear: frequency))
            ragged = nil
        case .pairwise:
            let ragged = try history.raggedReturns(.simple, periodsPerYear: frequency)
            self.ragged = ragged
            complete = Result { () throws(RiskModelError) in try ragged.completeRows() }
        }
    }

    /// The asset names, in the file's order.
    var assets: [String] { history.assets }

    /// The returns on the dates every asset has a return (under pairwise, with a note saying
    /// which dates those are).
    func commonReturns() throws -> ReturnSeries {
        do {
            let series = try complete.get()
            if missing == .pairwise, !series.droppedDates.isEmpty, let first = series.dates?.first, let last = series.dates?.last {
                note("a portfolio's return path uses the \(series.observations) returns every asset has (\(first) to \(last)); the risk model uses each asset's own history")
            }
            return series
        } catch {
            throw DataFailure(lines: ["the assets share no two consecutive dates with prices, so a portfolio has no return path: \(error)"])
        }
    }

    /// The returns of `kind`: the complete series, or the ragged one under pairwise.
    func returns(_ kind: ReturnKind) throws(RiskModelError) -> (series: ReturnSeries?, ragged: RaggedReturns?) {
        switch missing {
        case .pairwise:
            return (nil, kind == .simple ? ragged : try history.raggedReturns(kind, periodsPerYear: frequency))
        case .error, .drop:
            return (try history.returns(kind, missingData: missing == .drop ? .dropIncompleteRows : .throwOnGaps,
                                        periodsPerYear: frequency), nil)
        }
    }

    /// What was done per asset, for the reports (pairwise only).
    var coverage: [AssetCoverage]? { ragged?.coverage }
}

/// The risk model shared by the quant subcommands (covariance, optimize, frontier, risk).
struct RiskModelOptions: ParsableArguments {
    @Option(help: "Covariance estimator: \(CovarianceChoice.allCases.map(\.rawValue).joined(separator: ", ")) (see `folio covariance --help`).")
    var covariance: CovarianceChoice = .sample

    @Option(name: .customLong("covariance-file"),
            help: "Use this covariance matrix (CSV: symbol,S1,S2,... as `folio covariance --format csv` writes, annual) instead of estimating one.")
    var covarianceFile: String?

    @Option(name: .customLong("ewma-span"), parsing: .unconditional, help: "Span in periods of --covariance ewma (default 180).")
    var ewmaSpan: Double = 180

    @Option(name: .customLong("semicovariance-benchmark"), parsing: .unconditional,
            help: "Benchmark return per period of --covariance semicovariance (default 0.000079, about 2% a year on daily data).")
    var semicovarianceBenchmark: Double = 0.000079

    @Option(parsing: .unconditional, help: "Fixed shrinkage intensity of --covariance shrunk, in [0, 1] (default 0.2, toward the average variance).")
    var shrinkage: Double = 0.2

    @Option(name: .customLong("risk-free-rate"), parsing: .unconditional, help: "Annual risk-free rate, a fraction (default 0).")
    var riskFreeRate: Double = 0

    func validate() throws {
        guard riskFreeRate.isFinite else { throw ValidationError("--risk-free-rate must be a finite number") }
        guard ewmaSpan >= 1, ewmaSpan.isFinite else { throw ValidationError("--ewma-span must be at least 1 period") }
        guard semicovarianceBenchmark.isFinite else { throw ValidationError("--semicovariance-benchmark must be a finite return per period") }
        guard shrinkage >= 0, shrinkage <= 1 else { throw ValidationError("--shrinkage must be between 0 and 1") }
    }

    /// The name of the risk model for reports: the estimator, or `file`.
    var name: String { covarianceFile == nil ? covariance.rawValue : "file" }

    /// The estimator `choice` with the command line's defaults.
    static func estimator(_ choice: CovarianceChoice, ewmaSpan: Double = 180, benchmark: Double = 0.000079,
                          shrinkage: Double = 0.2) -> any CovarianceEstimator {
        switch choice {
        case .sample: return SampleCovariance()
        case .ewma: return ExponentiallyWeightedCovariance(decay: .span(ewmaSpan))
        case .semicovariance: return Semicovariance(benchmark: benchmark)
        case .ledoitWolf: return LedoitWolfShrinkage()
        case .constantCorrelation: return LedoitWolfShrinkage(target: .constantCorrelation)
        case .singleIndex: return LedoitWolfShrinkage(target: .singleIndex)
        case .oas: return OracleApproximatingShrinkage()
        case .shrunk: return FixedShrinkage(intensity: shrinkage, normalization: .unbiased)
        case .denoised: return MarcenkoPasturDenoising(base: SampleCovariance())
        case .detoned: return Detoning(base: SampleCovariance())
        }
    }

    /// The estimator with these options.
    var estimator: any CovarianceEstimator {
        Self.estimator(covariance, ewmaSpan: ewmaSpan, benchmark: semicovarianceBenchmark, shrinkage: shrinkage)
    }

    /// The annual covariance of `data`: read from `--covariance-file`, or estimated (over each
    /// pair's shared dates under `--missing pairwise`). A repair is noted on stderr.
    ///
    /// - Parameter invertible: whether the matrix must be invertible (optimizing against it,
    ///   measuring risk with it); a singular one is then an error naming why.
    func estimate(_ data: QuantData, invertible: Bool = true) throws -> CovarianceEstimate {
        do {
            let estimate: CovarianceEstimate
            if let covarianceFile {
                let matrix = try RiskModelReaders.covariance(contentsOf: URL(fileURLWithPath: covarianceFile), assets: data.assets)
                estimate = CovarianceEstimate(assets: data.assets, matrix: matrix, units: .annualized(periodsPerYear: data.frequency),
                                              observations: 0)
            } else if let ragged = data.ragged {
                guard let pairwise = estimator as? any RaggedCovarianceEstimator else {
                    throw DataFailure(lines: ["--covariance \(covariance.rawValue) needs complete histories: use --missing drop, or with --missing pairwise one of sample, ewma, semicovariance, ledoit-wolf, constant-correlation, single-index, oas, shrunk"])
                }
                estimate = try pairwise.estimate(ragged)
            } else {
                estimate = try estimator.estimate(data.commonReturns())
            }
            if invertible {
                let reason = covarianceFile.map { "the matrix in \($0) cannot be inverted; give a positive-definite one" }
                    ?? covariance.singularReason(observations: estimate.observations, assets: estimate.assets.count)
                try estimate.checkInvertible(reason: reason)
            }
            if let repair = estimate.repair { note(repair.description) }
            return estimate
        } catch let failure as DataFailure {
            throw failure
        } catch {
            throw DataFailure(error)
        }
    }
}

/// How expected returns are estimated (optimize, frontier).
struct ExpectedReturnOptions: ParsableArguments {
    @Option(help: "Expected returns: \(ReturnsChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var returns: ReturnsChoice = .mean

    @Option(help: "How a mean return is formed: compounded (the default, CAGR), arithmetic, or log (mean log return times the frequency); for --returns mean, ema and capm.")
    var mean: MeanKind = .compounded

    @Option(name: .customLong("ema-span"), parsing: .unconditional, help: "Span in periods of --returns ema (default 500).")
    var emaSpan: Double = 500

    @Option(name: .customLong("expected-returns"),
            help: "Use these annual expected returns (CSV: symbol,expected_return) instead of estimating them.")
    var expectedReturnsFile: String?

    @Option(help: "Black-Litterman views (CSV: symbol,versus,return,confidence) blended into the expected returns, which serve as the prior.")
    var views: String?

    @Option(parsing: .unconditional, help: "Black-Litterman tau, the prior's uncertainty scale, in (0, 1] (default 0.05).")
    var tau: Double = 0.05

    func validate() throws {
        guard emaSpan >= 1, emaSpan.isFinite else { throw ValidationError("--ema-span must be at least 1 period") }
        guard tau > 0, tau <= 1 else { throw ValidationError("--tau must be in (0, 1]") }
    }

    /// The name of the return model for reports.
    var name: String {
        let base = expectedReturnsFile == nil ? "\(returns.rawValue) (\(mean.rawValue))" : "file"
        return views == nil ? base : base + " with Black-Litterman views"
    }

    /// The annual expected returns of `data`: read from `--expected-returns` or estimated,
    /// then blended with `--views` against `covariance` (Black-Litterman posterior).
    func estimate(_ data: QuantData, riskFreeRate: Double, covariance: CovarianceEstimate) throws -> [Double] {
        do {
            var mu: [Double]
            if let expectedReturnsFile {
                mu = try RiskModelReaders.expectedReturns(contentsOf: URL(fileURLWithPath: expectedReturnsFile), assets: data.assets)
            } else {
                let (series, ragged) = try data.returns(mean == .log ? .log : .simple)
                mu = try returns.estimate(series, ragged: ragged, riskFreeRate: riskFreeRate, compounding: mean == .compounded,
                                          emaSpan: emaSpan)
            }
            if let views {
                let parsed = try RiskModelReaders.views(contentsOf: URL(fileURLWithPath: views), assets: data.assets)
                let idzorek = parsed.allSatisfy { $0.confidence != nil }
                mu = try BlackLitterman(assets: data.assets, covariance: covariance.matrix, prior: mu, views: parsed, tau: tau,
                                        uncertainty: idzorek ? .idzorek(confidences: []) : .heLitterman).posteriorReturns
            }
            return mu
        } catch {
            throw DataFailure(error)
        }
    }
}

/// Writes a note to stderr (what was done to the data), never to the document on stdout.
func note(_ text: String) {
    FileHandle.standardError.write(Data("note: \(text)\n".utf8))
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
