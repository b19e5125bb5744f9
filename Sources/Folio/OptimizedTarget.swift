import Foundation
import FolioLinearAlgebra
import FolioOptimization
import FolioPlanning
import FolioRebalancing

/// A client's target from the efficient frontier: the mean-variance efficient asset-class mix
/// whose volatility sits at the middle of the client's risk-category band, under the client's
/// exclusions and bounds, implemented by the model portfolios' funds.
///
/// The portfolio maximizes expected return subject to volatility ≤ the band's midpoint
/// (`EfficientRisk` of FolioOptimization; Markowitz, "Portfolio Selection", *Journal of Finance* 7
/// (1952)), long-only, fully invested, with each class bounded by the client's class bounds and
/// by `ClientConstraints.maxSecurityWeight` (each class is one fund). Expected returns and
/// covariances come from the capital market assumptions. The midpoint, not the band's top, is
/// aimed at so that ordinary drift keeps the portfolio inside the band.
public struct OptimizedTarget: Sendable, RiskBandTargetProvider {
    /// Expected returns, volatilities and correlations per asset class.
    public var assumptions: CapitalMarketAssumptions
    /// The funds implementing each class and the volatility band of each category.
    public var models: ModelPortfolios

    /// Creates the provider.
    /// - Parameters:
    ///   - assumptions: Capital market assumptions (default `CapitalMarketAssumptions.illustrative`).
    ///   - models: Funds and bands (default `ModelPortfolios.standard`).
    public init(assumptions: CapitalMarketAssumptions = .illustrative, models: ModelPortfolios = .standard) {
        self.assumptions = assumptions
        self.models = models
    }

    /// The efficient target for a risk category.
    /// - Parameters:
    ///   - category: The client's risk category.
    ///   - constraints: Exclusions (classes, funds) and bounds.
    /// - Returns: The target, its statistics and reasoning.
    /// - Throws: `ClientTargetError`: `.noPortfolioInBand` when the frontier never enters the
    ///   band, `.infeasibleBounds` when the bounds cannot hold, `.assumptions` or `.models` for bad
    ///   inputs, `.noUsableFund` when every fund of a class is excluded.
    /// - Complexity: one minimum-variance solve plus a bisection of efficient-return QPs over
    ///   *n* classes (O(*n*³) each).
    public func target(for category: RiskCategory, constraints: ClientConstraints = .none) throws(ClientTargetError) -> ClientTarget {
        do { try assumptions.validate() } catch { throw .assumptions(error) }
        do { try models.validate() } catch { throw .models(error) }
        guard let band = models.riskBands[category] else { throw .models(.missingBand(category)) }
        var reasoning: [String] = []
        // Classes: in the assumptions, implemented by a usable fund, not excluded.
        var ids: [String] = []
        var sleeves: [String: (String, [String])] = [:]
        for info in models.assetClasses {
            guard assumptions.index(of: info.id) != nil, !constraints.excludedAssetClasses.contains(info.id) else { continue }
            let usable = ([info.fund] + info.alternates).filter { !constraints.excludedSymbols.contains($0) }
            guard let primary = usable.first else { throw .noUsableFund(assetClass: info.id) }
            ids.append(info.id)
            sleeves[info.id] = (primary, Array(usable.dropFirst()))
        }
        guard !ids.isEmpty else { throw .infeasibleBounds(detail: "no asset class is left after exclusions") }
        let index = ids.map { assumptions.index(of: $0)! }
        let mu = index.map { assumptions.assetClasses[$0].expectedReturn }
        let vol = index.map { assumptions.assetClasses[$0].volatility }
        let n = ids.count
        var sigma = Matrix(rows: n, columns: n)
        for i in 0..<n { for j in 0..<n { sigma[i, j] = vol[i] * vol[j] * assumptions.correlations[index[i]][index[j]] } }
        let cap = constraints.maxSecurityWeight ?? 1
        var bounds: [ClosedRange<Double>] = []
        for id in ids {
            let b = constraints.assetClassBounds[id] ?? WeightBounds()
            let hi = min(b.upper, cap)
            guard b.lower >= 0, b.lower <= hi else { throw .infeasibleBounds(detail: "bounds of '\(id)' are empty") }
            bounds.append(b.lower...hi)
        }
        let portfolioConstraints = PortfolioConstraints(budget: 1, bounds: 0...1, assetBounds: bounds)
        let aim = band.midpoint
        let result: PortfolioOptimizationResult
        do {
            result = try EfficientRisk(covariance: sigma, expectedReturns: mu, targetVolatility: aim,
                                       constraints: portfolioConstraints).solve()
        } catch {
            switch error {
            case .targetVolatilityUnattainable(_, let minimum):
                throw .noPortfolioInBand(category: category, detail: String(
                    format: "the minimum-variance portfolio has volatility %.2f%%, above the band's middle %.2f%%", minimum * 100, aim * 100))
            case .boundsCannotMeetBudget, .infeasibleConstraints:
                throw .infeasibleBounds(detail: "\(error)")
            default:
                throw .noPortfolioInBand(category: category, detail: "\(error)")
            }
        }
        guard band.contains(result.volatility) else {
            throw .noPortfolioInBand(category: category, detail: String(
                format: "the highest-return portfolio has volatility %.2f%%, below the band %.2f%%-%.2f%%",
                result.volatility * 100, band.minimum * 100, band.maximum * 100))
        }
        reasoning.append(String(
            format: "Efficient-frontier portfolio for %@: maximum expected return with volatility at most %.2f%% (middle of the %.1f%%-%.1f%% band), over %d asset classes%@.",
            category.displayName, aim * 100, band.minimum * 100, band.maximum * 100, n,
            constraints.assetClassBounds.isEmpty && constraints.maxSecurityWeight == nil ? "" : ", under the client's bounds"))
        if !constraints.excludedAssetClasses.isEmpty {
            reasoning.append("Excluded classes: \(constraints.excludedAssetClasses.sorted().joined(separator: ", ")).")
        }
        var weights: [AssetClassWeight] = []
        var targetSleeves: [TargetAllocation.Sleeve] = []
        let total = result.weights.reduce(0) { $0 + max(0, $1) }
        for (k, id) in ids.enumerated() {
            let w = max(0, result.weights[k]) / total
            guard w > 1e-9 else { continue }
            weights.append(AssetClassWeight(assetClass: id, weight: w))
            let (primary, alternates) = sleeves[id]!
            targetSleeves.append(.init(assetClass: id, weight: w, primary: primary, alternates: alternates))
        }
        // Renormalize after dropping dust so the sleeves sum to 1.
        let kept = weights.reduce(0) { $0 + $1.weight }
        weights = weights.map { AssetClassWeight(assetClass: $0.assetClass, weight: $0.weight / kept) }
        targetSleeves = targetSleeves.map { .init(assetClass: $0.assetClass, weight: $0.weight / kept, primary: $0.primary, alternates: $0.alternates) }
        let statistics: CapitalMarketAssumptions.PortfolioStatistics
        do {
            statistics = try assumptions.statistics(of: Dictionary(uniqueKeysWithValues: weights.map { ($0.assetClass, $0.weight) }))
        } catch { throw .assumptions(error) }
        reasoning.append(String(
            format: "Expected return %.2f%% and volatility %.2f%% under %@assumptions '%@': inside the band.",
            statistics.expectedReturn * 100, statistics.volatility * 100, assumptions.isIllustrative ? "ILLUSTRATIVE " : "", assumptions.name))
        return ClientTarget(
            category: category, weights: weights, allocation: .assetClasses(targetSleeves), statistics: statistics,
            volatilityInBand: band.contains(statistics.volatility), assessment: nil, reasoning: reasoning)
    }
}
