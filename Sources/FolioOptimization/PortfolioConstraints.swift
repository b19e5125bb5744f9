/// A sector or group limit: the summed weight of `assets` must lie within `bounds`.
public struct GroupConstraint: Sendable, Equatable {
    /// The group's name, used in error messages (for example `"Technology"`).
    public var name: String
    /// Indices of the member assets.
    public var assets: [Int]
    /// The allowed total weight of the group (fractions of capital, e.g. `0...0.3`).
    public var bounds: ClosedRange<Double>

    /// A group limit.
    ///
    /// - Complexity: O(1).
    public init(name: String, assets: [Int], bounds: ClosedRange<Double>) {
        self.name = name
        self.assets = assets
        self.bounds = bounds
    }

    /// Group limits from a mapping asset -> group name (one name per asset) and the limits
    /// per group name; groups without a limit are left free.
    ///
    /// - Complexity: O(n + groups).
    public static func groups(assetGroups: [String], limits: [String: ClosedRange<Double>]) -> [GroupConstraint] {
        var members: [String: [Int]] = [:]
        for (i, g) in assetGroups.enumerated() { members[g, default: []].append(i) }
        return limits.keys.sorted().map { GroupConstraint(name: $0, assets: members[$0] ?? [], bounds: limits[$0]!) }
    }
}

/// A general linear constraint on the weights, `coefficientsᵀ w (≤, =, ≥) bound`.
public struct LinearConstraint: Sendable, Equatable {
    /// The comparison.
    public enum Relation: String, Sendable, Equatable {
        /// `aᵀw ≤ b`.
        case lessThanOrEqual
        /// `aᵀw = b`.
        case equal
        /// `aᵀw ≥ b`.
        case greaterThanOrEqual
    }
    /// A name for error messages (for example `"beta <= 1.1"`).
    public var name: String
    /// One coefficient per asset.
    public var coefficients: [Double]
    /// The comparison.
    public var relation: Relation
    /// The right-hand side.
    public var bound: Double

    /// A linear constraint.
    ///
    /// - Complexity: O(1).
    public init(name: String, coefficients: [Double], relation: Relation, bound: Double) {
        self.name = name
        self.coefficients = coefficients
        self.relation = relation
        self.bound = bound
    }
}

/// The constraints every mean-variance problem accepts, composable freely.
///
/// Weights are fractions of capital. By default: fully invested (Σw = 1), long-only with
/// each weight in [0, 1]. Absolute values (leverage, turnover, transaction costs) are
/// modelled exactly with auxiliary variables tᵢ ≥ |wᵢ − cᵢ| (one block per centre c), so
/// every problem stays a convex QP.
public struct PortfolioConstraints: Sendable, Equatable {
    /// Net exposure Σwᵢ: 1 for fully invested, 0 for market neutral, nil for no budget.
    public var budget: Double?
    /// The same bounds for every asset (default long-only `0...1`); `-.infinity...` allows any short.
    public var bounds: ClosedRange<Double>
    /// Per-asset bounds overriding `bounds` when set (one range per asset).
    public var assetBounds: [ClosedRange<Double>]?
    /// Group (sector) limits.
    public var groups: [GroupConstraint]
    /// General linear equalities and inequalities on the weights.
    public var linear: [LinearConstraint]
    /// Gross leverage cap Σ|wᵢ| ≤ L.
    public var grossLeverage: Double?
    /// The current weights, the reference for turnover and transaction costs.
    public var currentWeights: [Double]?
    /// Turnover cap Σ|wᵢ − currentᵢ| ≤ T (one-way traded fraction counted on both sides).
    public var turnoverLimit: Double?
    /// Proportional transaction cost rates per asset: Σ rateᵢ |wᵢ − currentᵢ| is added to
    /// the objective in the objective's units (variance for minimum variance, return for
    /// maximum utility).
    public var transactionCosts: [Double]?
    /// L2 regularization γ: adds γ‖w‖² to a minimized objective (subtracts from a maximized one).
    public var l2Regularization: Double

    /// Constraints with the given parts; the defaults are fully invested and long-only.
    ///
    /// - Complexity: O(1).
    public init(
        budget: Double? = 1, bounds: ClosedRange<Double> = 0...1, assetBounds: [ClosedRange<Double>]? = nil,
        groups: [GroupConstraint] = [], linear: [LinearConstraint] = [], grossLeverage: Double? = nil,
        currentWeights: [Double]? = nil, turnoverLimit: Double? = nil, transactionCosts: [Double]? = nil,
        l2Regularization: Double = 0
    ) {
        self.budget = budget
        self.bounds = bounds
        self.assetBounds = assetBounds
        self.groups = groups
        self.linear = linear
        self.grossLeverage = grossLeverage
        self.currentWeights = currentWeights
        self.turnoverLimit = turnoverLimit
        self.transactionCosts = transactionCosts
        self.l2Regularization = l2Regularization
    }

    /// Fully invested, long-only, each weight in [0, 1].
    public static var longOnly: PortfolioConstraints { PortfolioConstraints() }

    /// Lower and upper bound of asset `i`.
    ///
    /// - Complexity: O(1).
    public func bounds(ofAsset i: Int) -> ClosedRange<Double> { assetBounds?[i] ?? bounds }

    /// Whether only a budget and per-asset bounds are set (the critical-line case).
    public var isBudgetAndBoundsOnly: Bool {
        budget != nil && groups.isEmpty && linear.isEmpty && grossLeverage == nil && turnoverLimit == nil
            && transactionCosts == nil && l2Regularization == 0
    }
}
