import Foundation
import FolioRebalancing

/// The broad group of an asset class. A glide path moves weight between the `equity` group
/// and all the others.
public enum AssetGroup: String, Sendable, Hashable, Codable, CaseIterable {
    /// Stocks and equity-like classes (REITs count here in Folio's defaults).
    case equity
    /// Bonds.
    case fixedIncome = "fixed-income"
    /// Commodities, gold.
    case realAssets = "real-assets"
    /// Cash and money market.
    case cash
}

/// The equity share of a portfolio as a function of the years left until a goal date: a
/// target-date glide path (see e.g. Bodie, Detemple & Rindisbacher, "Life-cycle finance and the
/// design of pension plans", *Annual Review of Financial Economics* 1 (2009)).
///
/// The path is given by points `(years to goal, equity share)`; between points it is linear or a
/// step (the value of the nearest point at or below), and flat before the first point and after
/// the last. Years must strictly increase and the shares must not decrease with the years, so
/// the equity share never rises as the goal approaches.
public struct GlidePath: Sendable, Hashable, Codable {
    /// One point of the path.
    public struct Point: Sendable, Hashable, Codable {
        /// Years before the goal date, ≥ 0.
        public var yearsToGoal: Double
        /// The equity share at that distance, a fraction in [0, 1].
        public var equityShare: Double

        /// Creates a point.
        /// - Parameters:
        ///   - yearsToGoal: Years before the goal date.
        ///   - equityShare: Equity share (fraction).
        public init(yearsToGoal: Double, equityShare: Double) {
            self.yearsToGoal = yearsToGoal
            self.equityShare = equityShare
        }
    }

    /// How the path is read between points.
    public enum Interpolation: String, Sendable, Hashable, Codable, CaseIterable {
        /// Straight lines between points.
        case linear
        /// The value of the nearest point at or below the given years.
        case step
    }

    /// How the path changes a model portfolio.
    public enum Application: String, Sendable, Hashable, Codable, CaseIterable {
        /// Lower the model's equity share to the path's when it is higher; never raise it.
        case cap
        /// Set the model's equity share to the path's, up or down.
        case replace
    }

    /// The points, years strictly increasing.
    public var points: [Point]
    /// Reading between points.
    public var interpolation: Interpolation
    /// Effect on a model.
    public var application: Application

    /// Creates a glide path (check it with ``validate()``).
    /// - Parameters:
    ///   - points: The points, years strictly increasing, shares non-decreasing.
    ///   - interpolation: Linear (default) or step.
    ///   - application: Cap (default) or replace.
    public init(points: [Point], interpolation: Interpolation = .linear, application: Application = .cap) {
        self.points = points
        self.interpolation = interpolation
        self.application = application
    }

    /// A straight-line path from `share` at `years` (and earlier) down to `shareAtGoal` at the
    /// goal date.
    /// - Parameters:
    ///   - shareAtGoal: Equity share at the goal date.
    ///   - share: Equity share at `years` before the goal and earlier.
    ///   - years: Years before the goal where the path starts descending; > 0.
    ///   - application: Cap (default) or replace.
    /// - Returns: A two-point linear path.
    public static func linear(
        shareAtGoal: Double, share: Double, yearsBefore years: Double, application: Application = .cap
    ) -> GlidePath {
        GlidePath(
            points: [Point(yearsToGoal: 0, equityShare: shareAtGoal), Point(yearsToGoal: years, equityShare: share)],
            interpolation: .linear, application: application)
    }

    /// Checks the path: at least one point, years finite, ≥ 0 and strictly increasing, shares in
    /// [0, 1] and non-decreasing with the years (monotone).
    /// - Throws: ``GlidePathError`` naming the point.
    /// - Complexity: O(*p*).
    public func validate() throws(GlidePathError) {
        if points.isEmpty { throw .empty }
        for (k, p) in points.enumerated() {
            if !(p.yearsToGoal.isFinite && p.yearsToGoal >= 0) { throw .invalidPoint(index: k, reason: "years must be finite and >= 0") }
            if !(p.equityShare.isFinite && p.equityShare >= 0 && p.equityShare <= 1) {
                throw .invalidPoint(index: k, reason: "equity share must be in [0, 1]")
            }
            if k > 0 {
                if !(p.yearsToGoal > points[k - 1].yearsToGoal) { throw .invalidPoint(index: k, reason: "years must strictly increase") }
                if p.equityShare < points[k - 1].equityShare {
                    throw .invalidPoint(index: k, reason: "equity share must not decrease with years to goal")
                }
            }
        }
    }

    /// The equity share for a distance to the goal date.
    /// - Parameter years: Years until the goal date; negative (past the date) reads as 0.
    /// - Returns: A fraction in [0, 1].
    /// - Complexity: O(*p*).
    public func equityShare(yearsToGoal years: Double) -> Double {
        precondition(!points.isEmpty, "Glide path has no points")
        let y = max(0, years.isFinite ? years : 0)
        if y <= points[0].yearsToGoal { return points[0].equityShare }
        guard let last = points.last, y < last.yearsToGoal else { return points.last!.equityShare }
        var k = 0
        while points[k + 1].yearsToGoal <= y { k += 1 }
        let a = points[k], b = points[k + 1]
        switch interpolation {
        case .step: return a.equityShare
        case .linear:
            let t = (y - a.yearsToGoal) / (b.yearsToGoal - a.yearsToGoal)
            return a.equityShare + t * (b.equityShare - a.equityShare)
        }
    }

    /// The result of applying the path to a mix.
    public struct Adjustment: Sendable, Hashable, Codable {
        /// The adjusted mix, weights per asset class summing to the original total.
        public var weights: [String: Double]
        /// The mix's equity share before.
        public var equityShareBefore: Double
        /// The equity share after.
        public var equityShareAfter: Double
        /// The path's equity share at the distance given.
        public var glidePathShare: Double
        /// Whether the mix changed.
        public var changed: Bool
    }

    /// Applies the path to an asset-class mix: when the rule calls for it, equity classes are
    /// scaled proportionally to the path's share and the other classes scaled proportionally to
    /// make up the difference. A mix with no non-equity class (or no equity class, when equity
    /// must rise) is left unchanged.
    /// - Parameters:
    ///   - weights: Weight per asset class (summing to 1).
    ///   - groups: The group of each class; a class without a group counts as non-equity.
    ///   - years: Years until the goal date.
    /// - Returns: The adjusted mix and the shares before and after.
    /// - Complexity: O(*n*) in the number of classes.
    public func apply(to weights: [String: Double], groups: [String: AssetGroup], yearsToGoal years: Double) -> Adjustment {
        let glide = equityShare(yearsToGoal: years)
        // Sums in key order: a dictionary's order changes from run to run, and so would the last bits.
        let ordered = weights.sorted { $0.key < $1.key }
        let total = ordered.reduce(0.0) { $0 + $1.value }
        let equity = ordered.reduce(0.0) { $0 + (groups[$1.key] == .equity ? $1.value : 0) }
        let other = total - equity
        let wanted = glide * total
        let shouldMove: Bool
        switch application {
        case .cap: shouldMove = equity > wanted + 1e-12
        case .replace: shouldMove = abs(equity - wanted) > 1e-12
        }
        guard shouldMove, other > 0, equity > 0 || wanted <= 0 else {
            return Adjustment(weights: weights, equityShareBefore: equity / max(total, 1e-300),
                              equityShareAfter: equity / max(total, 1e-300), glidePathShare: glide, changed: false)
        }
        let eScale = equity > 0 ? wanted / equity : 0
        let oScale = (total - wanted) / other
        var out: [String: Double] = [:]
        for (k, w) in weights { out[k] = w * (groups[k] == .equity ? eScale : oScale) }
        return Adjustment(weights: out, equityShareBefore: equity / total, equityShareAfter: glide,
                          glidePathShare: glide, changed: true)
    }
}

/// A malformed glide path.
public enum GlidePathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path has no points.
    case empty
    /// Point `index` (0-based) is invalid.
    case invalidPoint(index: Int, reason: String)

    /// A readable description naming the point.
    public var description: String {
        switch self {
        case .empty: "glide path has no points"
        case .invalidPoint(let i, let r): "glide path point \(i + 1): \(r)"
        }
    }
}
