import Foundation
import FolioLinearAlgebra

/// The outcome of a risk-based allocator: long-only weights plus the evidence that they do
/// what was asked (each asset's share of portfolio risk, the iterations used and the
/// remaining error).
///
/// Shared by ``RiskBudgeting`` and the ``SimpleAllocator`` baselines so that they can be
/// compared side by side.
public struct AllocationResult: Sendable, Equatable {
    /// Portfolio weights, one per asset in the covariance's order; non-negative, summing to 1.
    public let weights: [Double]
    /// Each asset's share of portfolio variance, `wᵢ(Σw)ᵢ / wᵀΣw` (dimensionless, summing
    /// to 1). Multiply by ``volatility`` for the Euler contribution to volatility.
    public let riskContributions: [Double]
    /// The risk budgets the weights were measured against (equal budgets `1/N` for the
    /// simple allocators, which have no budget of their own).
    public let budgets: [Double]
    /// Portfolio volatility `√(wᵀΣw)`, in the units of the covariance's square root
    /// (daily if the covariance is daily).
    public let volatility: Double
    /// Iterations the solver used: coordinate-descent sweeps or Newton steps; 0 for the
    /// closed-form allocators.
    public let iterations: Int
    /// `max |RCᵢ/σ − bᵢ|`: the largest gap between an asset's share of risk and its budget.
    public let error: Double

    /// Builds a result from weights, computing risk contributions against `budgets`.
    ///
    /// - Complexity: O(N²) (one matrix-vector product).
    init(weights: [Double], covariance: Matrix, budgets: [Double], iterations: Int) {
        self.init(weights: weights, product: weights.isEmpty ? [] : covariance * weights, budgets: budgets, iterations: iterations)
    }

    /// Builds a result from weights and the product `Σw` already at hand.
    ///
    /// - Complexity: O(N).
    init(weights: [Double], product: [Double], budgets: [Double], iterations: Int) {
        var variance = 0.0
        for i in weights.indices { variance += weights[i] * product[i] }
        var contributions = [Double](repeating: 0, count: weights.count)
        var worst = 0.0
        for i in weights.indices {
            contributions[i] = variance > 0 ? weights[i] * product[i] / variance : 0
            worst = Swift.max(worst, abs(contributions[i] - budgets[i]))
        }
        self.weights = weights
        self.riskContributions = contributions
        self.budgets = budgets
        self.volatility = Swift.max(variance, 0).squareRoot()
        self.iterations = iterations
        self.error = worst
    }
}

/// Bad input to an allocator: what was wrong and where (asset indices are zero-based, in the
/// order of the covariance matrix or weight vector).
public enum AllocationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A covariance, correlation or distance entry is NaN or infinite.
    case nonFiniteInput(what: String, row: Int, column: Int)
    /// The covariance is not symmetric: `|Σᵢⱼ − Σⱼᵢ|` exceeds the tolerance.
    case asymmetricCovariance(row: Int, column: Int, difference: Double)
    /// An asset's variance is zero or negative.
    case nonPositiveVariance(asset: Int, variance: Double)
    /// The covariance is not positive definite: the leading minor of order `minor`
    /// (one-based) is not positive.
    case notPositiveDefinite(minor: Int)
    /// A risk budget is zero, negative or not finite.
    case invalidBudget(asset: Int, budget: Double)
    /// The risk budgets do not sum to 1 (within 1e-8).
    case budgetsDoNotSumToOne(sum: Double)
    /// The iteration stopped before reaching the tolerance.
    case didNotConverge(iterations: Int, error: Double)
    /// A target weight is negative or not finite.
    case invalidWeight(asset: Int, weight: Double)
    /// The target weights sum to zero (nothing to allocate).
    case weightsSumToZero
    /// A price is zero or negative.
    case invalidPrice(asset: Int, price: Decimal)
    /// A trading increment (lot size or fractional step) is zero or negative.
    case invalidIncrement(asset: Int, increment: Decimal)
    /// The portfolio value is zero or negative.
    case invalidPortfolioValue(Decimal)
    /// A requested number of clusters is outside `1...N`.
    case invalidClusterCount(Int)
    /// A minimum-variance problem of nested clustered optimization failed: inside cluster
    /// `cluster` (zero-based), or between the clusters when `cluster` is `nil`.
    case clusterOptimizationFailed(cluster: Int?, reason: String)

    /// A one-line explanation naming the offending input.
    public var description: String {
        switch self {
        case .nonFiniteInput(let what, let row, let column):
            return "\(what) has a NaN or infinite entry at (\(row), \(column))"
        case .asymmetricCovariance(let row, let column, let difference):
            return "covariance is not symmetric at (\(row), \(column)): entries differ by \(difference)"
        case .nonPositiveVariance(let asset, let variance):
            return "asset \(asset) has non-positive variance \(variance)"
        case .notPositiveDefinite(let minor):
            return "covariance is not positive definite (leading minor of order \(minor) is not positive)"
        case .invalidBudget(let asset, let budget):
            return "risk budget of asset \(asset) is \(budget); budgets must be positive and finite"
        case .budgetsDoNotSumToOne(let sum):
            return "risk budgets sum to \(sum), not 1"
        case .didNotConverge(let iterations, let error):
            return "did not converge in \(iterations) iterations (risk-contribution error \(error))"
        case .invalidWeight(let asset, let weight):
            return "target weight of asset \(asset) is \(weight); weights must be non-negative and finite"
        case .weightsSumToZero:
            return "target weights sum to zero"
        case .invalidPrice(let asset, let price):
            return "price of asset \(asset) is \(price); prices must be positive"
        case .invalidIncrement(let asset, let increment):
            return "trading increment of asset \(asset) is \(increment); it must be positive"
        case .invalidPortfolioValue(let value):
            return "portfolio value is \(value); it must be positive"
        case .invalidClusterCount(let count):
            return "cluster count \(count) is outside 1...N"
        case .clusterOptimizationFailed(let cluster, let reason):
            return "the minimum-variance problem \(cluster.map { "inside cluster \($0)" } ?? "between the clusters") failed: \(reason)"
        }
    }
}

/// Validates a covariance matrix: finite, symmetric to a relative 1e-10, positive diagonal.
///
/// - Complexity: O(N²).
func validateCovariance(_ covariance: Matrix) throws(AllocationError) {
    _ = try validateCovariance(covariance, inverseVolatilityProduct: false)
}

/// Validates a covariance matrix and, in the same pass over memory, returns `Σx` for
/// `xᵢ = 1/σᵢ` (from the lower triangle) when `inverseVolatilityProduct` is true.
///
/// - Complexity: O(N²), one blocked pass over the matrix.
func validateCovariance(_ covariance: Matrix, inverseVolatilityProduct: Bool) throws(AllocationError) -> [Double] {
    precondition(covariance.isSquare, "Covariance must be square")
    let n = covariance.rows
    var product = [Double](repeating: 0, count: inverseVolatilityProduct ? n : 0)
    try covariance.elements.withUnsafeBufferPointer { (s) throws(AllocationError) in
        var volatility = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let v = s[i + i * n]
            guard v > 0 else {
                if !v.isFinite { throw .nonFiniteInput(what: "covariance", row: i, column: i) }
                throw .nonPositiveVariance(asset: i, variance: v)
            }
            guard v.isFinite else { throw .nonFiniteInput(what: "covariance", row: i, column: i) }
            volatility[i] = v.squareRoot()
        }
        var inverse = [Double](repeating: 0, count: n)
        for i in 0..<n { inverse[i] = 1 / volatility[i] }
        // Blocked so that both triangles are read from cache.
        let block = 64
        try volatility.withUnsafeBufferPointer { (vol) throws(AllocationError) in
            try inverse.withUnsafeBufferPointer { (iv) throws(AllocationError) in
                try product.withUnsafeMutableBufferPointer { (p) throws(AllocationError) in
                    for jb in stride(from: 0, to: n, by: block) {
                        for ib in stride(from: jb, to: n, by: block) {
                            for j in jb..<Swift.min(jb + block, n) {
                                let first = Swift.max(ib, j), last = Swift.min(ib + block, n)
                                var bad = false
                                let limit = 1e-10 * vol[j]
                                for i in first..<last {
                                    let difference = abs(s[i + j * n] - s[j + i * n])
                                    bad = bad || !(difference <= limit * vol[i])
                                }
                                if bad {
                                    for i in first..<last {
                                        let a = s[i + j * n], b = s[j + i * n]
                                        guard a.isFinite, b.isFinite else {
                                            throw .nonFiniteInput(what: "covariance", row: a.isFinite ? j : i, column: a.isFinite ? i : j)
                                        }
                                        if abs(a - b) > 1e-10 * vol[i] * vol[j] {
                                            throw .asymmetricCovariance(row: i, column: j, difference: abs(a - b))
                                        }
                                    }
                                }
                                if inverseVolatilityProduct {
                                    // Lower triangle: Σᵢⱼ/σⱼ into row i, and Σᵢⱼ/σᵢ into row j.
                                    let ivj = iv[j]
                                    var column = 0.0
                                    for i in first..<last {
                                        let a = s[i + j * n]
                                        p[i] += a * ivj
                                        column += a * iv[i]
                                    }
                                    if first == j { column -= s[j + j * n] * iv[j] }
                                    p[j] += column
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return product
}
