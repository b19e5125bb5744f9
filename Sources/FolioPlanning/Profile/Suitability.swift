import Foundation
import FolioRebalancing

/// A suitability concern an advisor must review before acting.
public struct SuitabilityWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What kind of concern.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The portfolio's volatility is above the client's band.
        case volatilityAboveBand
        /// The portfolio's volatility is below the client's band.
        case volatilityBelowBand
        /// A goal's probability of success is below the threshold for its priority.
        case goalProbabilityBelowThreshold
    }

    /// The kind.
    public var kind: Kind
    /// What it is about: `"portfolio"` or the goal's name.
    public var subject: String
    /// The measured value (volatility or probability).
    public var value: Double
    /// The limit crossed (band edge or threshold).
    public var limit: Double
    /// A sentence for the advisor.
    public var message: String

    /// The message.
    public var description: String { message }
}

/// Suitability checks: is a portfolio's risk within the client's band, and are the client's
/// goals likely enough to be met? (FINRA Rule 2111 asks that a recommendation fit the
/// customer's risk tolerance and objectives; these checks flag the measurable part.)
public struct Suitability: Sendable, Hashable, Codable {
    /// The smallest acceptable probability of success for a need (default 0.85).
    public var needThreshold: Double
    /// For a want (default 0.70).
    public var wantThreshold: Double
    /// For a wish (default 0.50).
    public var wishThreshold: Double

    /// Creates the checks with thresholds per priority.
    /// - Parameters:
    ///   - needThreshold: Minimum probability for needs.
    ///   - wantThreshold: Minimum probability for wants.
    ///   - wishThreshold: Minimum probability for wishes.
    public init(needThreshold: Double = 0.85, wantThreshold: Double = 0.70, wishThreshold: Double = 0.50) {
        self.needThreshold = needThreshold
        self.wantThreshold = wantThreshold
        self.wishThreshold = wishThreshold
    }

    /// The threshold for a priority.
    /// - Parameter priority: Need, want or wish.
    public func threshold(for priority: Goal.Priority) -> Double {
        switch priority {
        case .need: needThreshold
        case .want: wantThreshold
        case .wish: wishThreshold
        }
    }

    /// Warns when a portfolio's annual volatility lies outside the band `[min, max)`.
    /// - Parameters:
    ///   - volatility: The portfolio's annual volatility (fraction).
    ///   - category: The client's risk category.
    ///   - band: The category's band.
    /// - Returns: No warning, or one.
    /// - Complexity: O(1).
    public func check(volatility: Double, category: RiskCategory, band: VolatilityBand) -> [SuitabilityWarning] {
        let v = ModelPortfolios.pct(volatility)
        let range = "\(ModelPortfolios.pct(band.minimum))-\(ModelPortfolios.pct(band.maximum))"
        if volatility >= band.maximum {
            return [SuitabilityWarning(
                kind: .volatilityAboveBand, subject: "portfolio", value: volatility, limit: band.maximum,
                message: "Portfolio volatility \(v) is above the \(category.displayName) band (\(range)): more risk than the client can bear.")]
        }
        if volatility < band.minimum {
            return [SuitabilityWarning(
                kind: .volatilityBelowBand, subject: "portfolio", value: volatility, limit: band.minimum,
                message: "Portfolio volatility \(v) is below the \(category.displayName) band (\(range)): less risk, and likely less growth, than the profile supports.")]
        }
        return []
    }

    /// Warns for each goal whose probability of success is below its priority's threshold.
    /// - Parameter analyses: Goal analyses.
    /// - Returns: One warning per goal below its threshold, in order.
    /// - Complexity: O(*goals*).
    public func check(goals analyses: [GoalAnalysis]) -> [SuitabilityWarning] {
        analyses.compactMap { a in
            let p = a.simulation.probabilityOfSuccess
            let t = threshold(for: a.schedule.priority)
            guard p < t else { return nil }
            return SuitabilityWarning(
                kind: .goalProbabilityBelowThreshold, subject: a.schedule.goalName, value: p, limit: t,
                message: "Goal '\(a.schedule.goalName)' (\(a.schedule.priority.rawValue)) has a \(ModelPortfolios.pct(p)) probability of success, below the \(ModelPortfolios.pct(t)) threshold.")
        }
    }
}
