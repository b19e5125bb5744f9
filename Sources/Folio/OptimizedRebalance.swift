import Foundation
import FolioFiles
import FolioRebalancing
import FolioRisk
import FolioTaxAware

/// A rebalance made by the tax-aware optimizer (policy `mode: optimized`): the whole-share
/// plans from the household planner, the optimizer's plan, and notes for the advisor.
public struct OptimizedRebalanceRun: Sendable {
    /// The account plans, in the household's order.
    public var plans: [RebalancePlan]
    /// The optimizer's result: relaxed optimum, KKT residuals, gap, trade explanations.
    public var taxAware: TaxAwarePlan
    /// How the run was planned and why each trade is made (one sentence each).
    public var notes: [String]
}

extension RebalanceInputs {
    /// The household's tax-aware problem under a policy file's optimizer settings: Σ from the
    /// illustrative capital-market assumptions, or estimated from a prices history
    /// (``taxAwareRiskModel(_:)``); the policy's asset-location rules for the drag.
    /// - Throws: ``TaxAwareError/invalidHousehold(_:)`` naming the symbol or class;
    ///   ``TaxAwareError/riskModel(_:)`` when the risk model cannot be estimated.
    /// - Complexity: O(lots + accounts·securities + K²), plus the risk model's estimate.
    public func taxAwareProblem(_ settings: OptimizerSettings) throws(TaxAwareError) -> TaxAwareHouseholdProblem {
        let household = Household(id: "household", accounts: accounts)
        return try TaxAwareHouseholdProblem(
            household: household, target: investedTarget, securities: securities,
            prices: prices, policy: policy, assumptions: .illustrative, rules: policyFile.assetLocationRules,
            settings: TaxAwareSettings(taxWeight: settings.taxWeight, trackingWeight: settings.trackingWeight,
                                       riskModel: try taxAwareRiskModel(settings, household: household),
                                       turnoverLimit: settings.turnoverLimit),
            context: context)
    }

    /// The risk model a policy's `optimizer.risk_model` names: the capital-market assumptions,
    /// or a class covariance estimated (`sample`, `ledoit-wolf`, `ewma`) from the prices history
    /// of `optimizer.prices`, else of the run's prices file, up to the trade date (see
    /// ``TaxAwareSettings/RiskModel/estimated(from:estimator:household:target:securities:prices:)``).
    /// - Throws: ``TaxAwareError/riskModel(_:)`` naming the file and the security without a
    ///   history, too few dates, or a missing prices file.
    /// - Complexity: O(dates · securities + dates · K²) plus the estimator's.
    func taxAwareRiskModel(_ settings: OptimizerSettings, household: Household) throws(TaxAwareError) -> TaxAwareSettings.RiskModel {
        guard let estimator = TaxAwareCovarianceEstimator(rawValue: settings.riskModel) else { return .capitalMarketAssumptions }
        let table: PriceTable, file: String
        if let url = settings.pricesHistory {
            do { table = try PricesReader.read(contentsOf: url) } catch { throw .riskModel("optimizer.prices: \(error)") }
            file = url.path
        } else if let priceTable {
            table = priceTable
            file = pricesFile ?? "the prices file"
        } else {
            throw .riskModel("risk_model \(settings.riskModel) needs a prices history: give optimizer.prices in the policy or --prices")
        }
        let history: PriceHistory
        do { history = try table.priceHistory() } catch { throw .riskModel("\(file): \(error)") }
        do {
            return try .estimated(from: history, estimator: estimator, household: household, target: investedTarget,
                                  securities: securities, prices: prices)
        } catch {
            guard case .riskModel(let message) = error else { throw error }
            throw .riskModel("\(file): \(message)")
        }
    }

    /// Rebalances the holdings as one household with the tax-aware optimizer: the policy's
    /// `optimizer` settings, Σ from the illustrative capital-market assumptions or estimated
    /// from a prices history (`risk_model`), the policy's asset-location rules for the location
    /// drag; the household planner then makes the whole-share trades, repaired by a bounded
    /// local search (``TaxAwarePlanner``). The first note gives the relaxed and whole-share
    /// objectives, their gap and the local search's moves.
    /// - Parameter settings: The policy file's optimizer section.
    /// - Throws: ``TaxAwareError`` naming the problem.
    /// - Complexity: one QP of accounts·securities + lots variables plus one household plan.
    public func optimizedRebalance(_ settings: OptimizerSettings) throws(TaxAwareError) -> OptimizedRebalanceRun {
        let built = try taxAwareProblem(settings)
        let result = try TaxAwarePlanner().plan(built, securities: securities, prices: prices, policy: policy, context: context)
        let relaxed = result.relaxed
        var notes = [
            String(format: "optimized (tax weight %g, tracking weight %g, risk model %@): relaxed optimum %.6g, whole-share plan %.6g (gap %.3g, %.1f%% of the improvement kept; %@); KKT residuals primal %.1e, dual %.1e, complementarity %.1e",
                   settings.taxWeight, settings.trackingWeight, settings.riskModel, relaxed.objective, result.roundedObjective, result.gap,
                   result.improvementKept * 100,
                   result.repairMoves > 0
                       ? String(format: "local search after rounding: %d one-share moves, from %.6g", result.repairMoves, result.objectiveBeforeRepair)
                       : "local search after rounding: no improving move",
                   relaxed.residuals.primalFeasibility, relaxed.residuals.dualFeasibility, relaxed.residuals.complementarity),
            String(format: "optimized: tracking error %.2f pts to %.2f pts (relaxed %.2f), tax $%.0f (relaxed $%.0f)",
                   result.noTradeTrackingError * 100, result.rounded.trackingError * 100, relaxed.parts.trackingError * 100,
                   result.rounded.tax, relaxed.parts.tax),
        ]
        notes += result.explanations
        notes += result.plan.notes
        return OptimizedRebalanceRun(plans: result.plan.plans, taxAware: result, notes: notes)
    }
}

extension RebalanceInputs {
    /// The household's tax-versus-drift frontier: the relaxed optimum at each tax weight
    /// (warm-started from the previous), with its tax and tracking error.
    /// - Parameters:
    ///   - settings: The optimizer settings (their tax weight is replaced by each of `taxWeights`).
    ///   - taxWeights: The weights, ascending (default: 20 points from 0.01 to 100, log-spaced).
    /// - Returns: One point per weight: the weight, tracking error (annual fraction), tax (currency),
    ///   value traded (currency).
    /// - Throws: ``TaxAwareError``.
    /// - Complexity: `taxWeights.count` optimizations.
    public func taxSweep(
        _ settings: OptimizerSettings,
        taxWeights: [Double] = (0..<20).map { pow(10, -2 + 4 * Double($0) / 19) }
    ) throws(TaxAwareError) -> [(taxWeight: Double, trackingError: Double, tax: Double, traded: Double)] {
        let built = try taxAwareProblem(settings)
        let frontier = try TaxAwareOptimizer().sweep(built.problem, taxWeights: taxWeights)
        return zip(taxWeights, frontier).map { ($0, $1.parts.trackingError, $1.parts.tax, $1.parts.traded) }
    }
}
