import ArgumentParser
import Folio
import Foundation

/// `folio covariance`: a covariance estimate from a price history.
struct CovarianceCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "covariance",
        abstract: "Estimate an annualized covariance matrix from prices.",
        discussion: """
        Simple daily returns, annualized by --frequency (252), as PyPortfolioOpt does. Estimators: sample (unbiased), ewma (span 180), semicovariance (below 0.000079 per period), ledoit-wolf (toward the scaled identity, scikit-learn's), constant-correlation and single-index (Ledoit & Wolf 2004, 2003, PyPortfolioOpt's), oas (Chen et al. 2010), denoised (Marcenko-Pastur, constant residual eigenvalue) and detoned (market component removed), López de Prado 2020.

        JSON: assets, matrix (rows in asset order), shrinkage (when the estimator has one), conditionNumber. CSV: the matrix with a header row of assets.

        Example:
          folio covariance --prices Examples/Data/prices.csv \\
            --covariance ledoit-wolf --format json
        """)

    @OptionGroup var priceOptions: PriceOptions

    @Option(help: "Estimator: \(CovarianceChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var covariance: CovarianceChoice = .sample

    @OptionGroup var formatOptions: FormatOptions

    @OptionGroup var common: CommonOptions

    func run() throws {
        let returns = try priceOptions.returns()
        let estimate: CovarianceEstimate
        let condition: Double?
        do {
            estimate = try covariance.estimate(returns)
            condition = try? estimate.conditionNumber()
        } catch {
            throw DataFailure(error)
        }
        let n = estimate.assets.count
        let rows = (0..<n).map { estimate.matrix.row($0) }
        switch formatOptions.format {
        case .json:
            struct Document: Encodable {
                var estimator: String, assets: [String], matrix: [[Double]], shrinkage: Double?
                var conditionNumber: Double?, observations: Int, periodsPerYear: Double
            }
            emit(try jsonText(Document(estimator: covariance.rawValue, assets: estimate.assets, matrix: rows,
                                       shrinkage: estimate.shrinkage, conditionNumber: condition,
                                       observations: estimate.observations, periodsPerYear: priceOptions.frequency)))
        case .csv:
            emit(CSVWriter.document(header: ["asset"] + estimate.assets,
                                    rows: (0..<n).map { i in [estimate.assets[i]] + rows[i].map { String($0) } }))
        case .table:
            var out = "\(covariance.rawValue) covariance of \(n) assets over \(estimate.observations) periods, annualized by \(priceOptions.frequency)\n"
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
