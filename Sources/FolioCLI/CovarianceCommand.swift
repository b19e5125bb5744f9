import ArgumentParser
import Folio
import Foundation

/// `folio covariance`: a covariance estimate from a price history.
struct CovarianceCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "covariance",
        abstract: "Estimate an annualized covariance matrix from prices.",
        discussion: """
        Simple daily returns, annualized by --frequency (252), as PyPortfolioOpt does. Estimators: sample (unbiased), ewma (span --ewma-span, 180), semicovariance (below --semicovariance-benchmark, 0.000079 per period), ledoit-wolf (toward the scaled identity, scikit-learn's), constant-correlation and single-index (Ledoit & Wolf 2004, 2003, PyPortfolioOpt's), oas (Chen et al. 2010), shrunk (a fixed --shrinkage toward the average variance), denoised (Marcenko-Pastur, constant residual eigenvalue) and detoned (market component removed), López de Prado 2020.

        Assets with different histories: --missing pairwise estimates each pair over the dates both have returns (pandas' convention; the shrinkage estimators follow PyPortfolioOpt's, see Documentation/Algorithms.md) and repairs a matrix that is not positive definite, with a note saying how far it moved. The report lists each asset's first and last price and the returns it has.

        JSON: estimator, missing, assets, matrix (rows in asset order), shrinkage (when the estimator has one), conditionNumber, observations, periodsPerYear; with --missing pairwise also coverage (per asset: asset, firstPrice, lastPrice, observations, lostReturns) and repair (when applied: smallestEigenvalueBefore, frobeniusDistance, relativeDistance, largestChange). CSV: the matrix with a header row of assets (what --covariance-file reads).

        Examples:
          folio covariance --prices Examples/Data/prices.csv \\
            --covariance ledoit-wolf --format json
          folio covariance --prices Examples/Data/prices-ragged.csv \\
            --frequency 52 --missing pairwise
        """)

    @OptionGroup var priceOptions: PriceOptions

    @OptionGroup var riskModel: RiskModelOptions

    @OptionGroup var formatOptions: FormatOptions

    @OptionGroup var common: CommonOptions

    func run() throws {
        let data = try priceOptions.load()
        let estimate = try riskModel.estimate(data, invertible: false)
        let condition = try? estimate.conditionNumber()
        let covariance = riskModel.name
        let n = estimate.assets.count
        let rows = (0..<n).map { estimate.matrix.row($0) }
        switch formatOptions.format {
        case .json:
            struct Document: Encodable {
                var estimator: String, missing: String, assets: [String], matrix: [[Double]], shrinkage: Double?
                var conditionNumber: Double?, observations: Int, periodsPerYear: Double
                var coverage: [CoverageRow]?, repair: RepairRow?
            }
            emit(try jsonText(Document(estimator: covariance, missing: priceOptions.missingPrices.rawValue, assets: estimate.assets,
                                       matrix: rows, shrinkage: estimate.shrinkage, conditionNumber: condition,
                                       observations: estimate.observations, periodsPerYear: priceOptions.frequency,
                                       coverage: data.coverage?.map(CoverageRow.init), repair: estimate.repair.map(RepairRow.init))))
        case .csv:
            emit(CSVWriter.document(header: ["asset"] + estimate.assets,
                                    rows: (0..<n).map { i in [estimate.assets[i]] + rows[i].map { String($0) } }))
        case .table:
            var out = "\(covariance) covariance of \(n) assets over \(estimate.observations) periods, annualized by \(priceOptions.frequency)\n"
            if let coverage = data.coverage {
                out += "missing prices: pairwise (each asset over its own history, each pair over the dates both have returns)\n"
                if let repair = estimate.repair { out += "note: \(repair)\n" }
                out += "\n" + CoverageRow.table(coverage) + "\n"
            }
            if let s = estimate.shrinkage { out += String(format: "shrinkage intensity %.6f\n", s) }
            if let condition { out += String(format: "condition number %.4g\n", condition) }
            let correlation = estimate.correlation
            var table = TextTable(columns: [.init("Asset"), .init("Volatility", .right), .init("Mean corr.", .right),
                                            .init("Most correlated"), .init("Corr.", .right)])
            for i in 0..<n {
                let others = (0..<n).filter { $0 != i }
                let mean = others.isEmpty ? 0 : others.reduce(0.0) { $0 + correlation[i, $1] } / Double(others.count)
                let best = others.max { correlation[i, $0] < correlation[i, $1] }
                table.append([estimate.assets[i], percent(estimate.volatilities[i]), String(format: "%.3f", mean),
                              best.map { estimate.assets[$0] } ?? "", best.map { String(format: "%.3f", correlation[i, $0]) } ?? ""])
            }
            emit(out + "\n" + table.render())
        }
    }
}

/// One asset's history in the covariance report (`--missing pairwise`).
struct CoverageRow: Encodable {
    var asset: String, firstPrice: String?, lastPrice: String?, observations: Int, lostReturns: Int

    init(_ c: AssetCoverage) {
        asset = c.asset
        firstPrice = c.firstPrice?.description
        lastPrice = c.lastPrice?.description
        observations = c.observations
        lostReturns = c.lostReturns
    }

    /// The per-asset table of a terminal report.
    static func table(_ coverage: [AssetCoverage]) -> String {
        var table = TextTable(columns: [.init("Asset"), .init("First price"), .init("Last price"), .init("Returns", .right),
                                        .init("Lost to gaps", .right)])
        for c in coverage.map(CoverageRow.init) {
            table.append([c.asset, c.firstPrice ?? "", c.lastPrice ?? "", "\(c.observations)", "\(c.lostReturns)"])
        }
        return table.render()
    }
}

/// The positive-definite repair in the covariance report.
struct RepairRow: Encodable {
    var smallestEigenvalueBefore, frobeniusDistance, relativeDistance, largestChange: Double

    init(_ r: CovarianceRepairNote) {
        smallestEigenvalueBefore = r.smallestEigenvalueBefore
        frobeniusDistance = r.frobeniusDistance
        relativeDistance = r.relativeDistance
        largestChange = r.largestChange
    }
}
