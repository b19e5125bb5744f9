import Foundation

/// Turns target weights into whole shares (or whole lots, or fractional steps) that a
/// broker can execute, with the cash left over. Money is exact: prices, the portfolio value,
/// spending and leftover are `Decimal`; weights are `Double`.
///
/// Each security trades in multiples of an increment: 1 share (the default), a lot size such
/// as 100, or a fraction such as 0.001 for fractional shares. The leftover cash is never
/// negative.
///
/// Two methods:
/// - ``greedy()``: PyPortfolioOpt's `greedy_portfolio` (buy the floor of every target, then
///   one unit at a time of the most underweight affordable security); same share counts.
/// - ``minimizingDeviation(nodeLimit:)``: minimises the total absolute deviation
///   `Σᵢ|wᵢV − qᵢpᵢ| + leftover` by branch and bound over unit counts with an exact
///   continuous-relaxation bound; exact (``DiscreteAllocationResult/isProvenOptimal``) when
///   the search finishes within the node limit, which it does for small N, and otherwise
///   the best allocation found (greedy, improved by one-unit additions and swaps, then by the
///   search), never worse than the greedy one. This is the objective of
///   PyPortfolioOpt's `lp_portfolio`.
///
/// ```swift
/// let plan = DiscreteAllocation(weights: w, prices: prices, portfolioValue: 250_000)
/// let result = try plan.minimizingDeviation()
/// ```
///
/// Reference: R. A. Martin (2021), "PyPortfolioOpt: portfolio optimization in Python",
/// Journal of Open Source Software 6(61), 3066 (discrete allocation).
public struct DiscreteAllocation: Sendable, Equatable {
    /// Target weights, one per security; non-negative. Whatever they leave unallocated
    /// (`1 − Σwᵢ`) is a cash target.
    public var weights: [Double]
    /// Latest price per share, one per security (positive).
    public var prices: [Decimal]
    /// The money to allocate (positive), in the prices' currency.
    public var portfolioValue: Decimal
    /// Trading increment per security in shares: 1 for whole shares, a lot size, or a
    /// fractional step such as 0.001.
    public var increments: [Decimal]

    /// An allocation problem.
    ///
    /// - Parameters:
    ///   - weights: target weights (non-negative).
    ///   - prices: price per share.
    ///   - portfolioValue: money to allocate.
    ///   - increments: shares per tradable unit for each security; `nil` (default) for whole shares.
    /// - Precondition: `weights`, `prices` and `increments` have equal lengths.
    public init(weights: [Double], prices: [Decimal], portfolioValue: Decimal, increments: [Decimal]? = nil) {
        precondition(weights.count == prices.count, "One price per weight")
        precondition(increments == nil || increments!.count == weights.count, "One increment per weight")
        self.weights = weights
        self.prices = prices
        self.portfolioValue = portfolioValue
        self.increments = increments ?? [Decimal](repeating: 1, count: weights.count)
    }

    /// PyPortfolioOpt's greedy method, on units of each security's increment.
    ///
    /// Buys `⌊wᵢV/unit priceᵢ⌋` units of every security in descending weight order, then
    /// repeatedly one unit of the security whose weight falls furthest below target, skipping
    /// those it cannot afford, until nothing is underweight or affordable.
    ///
    /// - Throws: ``AllocationError/invalidWeight(asset:weight:)``,
    ///   ``AllocationError/invalidPrice(asset:price:)``,
    ///   ``AllocationError/invalidIncrement(asset:increment:)``,
    ///   ``AllocationError/invalidPortfolioValue(_:)`` or ``AllocationError/weightsSumToZero``.
    /// - Complexity: O(N log N + N·U) for U units bought after the floors (at most about N).
    public func greedy() throws(AllocationError) -> DiscreteAllocationResult {
        let problem = try Problem(self)
        let units = problem.greedyUnits()
        return problem.result(units: units, provenOptimal: false)
    }

    /// The allocation minimising `Σᵢ|wᵢV − qᵢpᵢ| + leftover`, by branch and bound.
    ///
    /// - Parameter nodeLimit: the most search nodes; when reached the best allocation so far
    ///   is returned with ``DiscreteAllocationResult/isProvenOptimal`` false.
    /// - Throws: the input errors of ``greedy()``.
    /// - Complexity: exponential in N in the worst case, bounded by `nodeLimit` nodes of O(1).
    public func minimizingDeviation(nodeLimit: Int = 2_000_000) throws(AllocationError) -> DiscreteAllocationResult {
        let problem = try Problem(self)
        let (units, optimal) = problem.branchAndBound(nodeLimit: nodeLimit)
        return problem.result(units: units, provenOptimal: optimal)
    }

    /// Validated inputs in the forms the two methods need.
    struct Problem {
        let allocation: DiscreteAllocation
        let n: Int
        /// Price of one tradable unit (price × increment), exact and as Double.
        let unitPrice: [Decimal]
        let unitPriceDouble: [Double]
        /// Target money per security, `wᵢ·V`, as Double.
        let target: [Double]
        let value: Double

        init(_ a: DiscreteAllocation) throws(AllocationError) {
            guard a.portfolioValue > 0 else { throw .invalidPortfolioValue(a.portfolioValue) }
            var total = 0.0
            for (i, w) in a.weights.enumerated() {
                guard w.isFinite, w >= 0 else { throw .invalidWeight(asset: i, weight: w) }
                total += w
            }
            guard total > 0 else { throw .weightsSumToZero }
            for (i, p) in a.prices.enumerated() where !(p > 0) { throw .invalidPrice(asset: i, price: p) }
            for (i, q) in a.increments.enumerated() where !(q > 0) { throw .invalidIncrement(asset: i, increment: q) }
            allocation = a
            n = a.weights.count
            unitPrice = (0..<n).map { a.prices[$0] * a.increments[$0] }
            unitPriceDouble = unitPrice.map(Self.double)
            value = Self.double(a.portfolioValue)
            target = a.weights.map { $0 * Self.double(a.portfolioValue) }
        }

        static func double(_ d: Decimal) -> Double { NSDecimalNumber(decimal: d).doubleValue }

        func cost(_ units: [Int]) -> Decimal {
            var spent = Decimal(0)
            for i in 0..<n where units[i] != 0 { spent += Decimal(units[i]) * unitPrice[i] }
            return spent
        }

        func greedyUnits() -> [Int] {
            let w = allocation.weights
            // Descending weight; ties keep input order (Python's stable sort).
            let order = (0..<n).sorted { w[$0] > w[$1] || (w[$0] == w[$1] && $0 < $1) }
            var funds = allocation.portfolioValue
            var units = [Int](repeating: 0, count: n)
            for i in order {
                var count = Int((w[i] * value / unitPriceDouble[i]).rounded(.towardZero))
                while count > 0 && Decimal(count) * unitPrice[i] > funds { count -= 1 }
                units[i] = count
                funds -= Decimal(count) * unitPrice[i]
            }
            while funds > 0 {
                var held = [Double](repeating: 0, count: n)
                var sum = 0.0
                for (k, i) in order.enumerated() {
                    held[k] = unitPriceDouble[i] * Double(units[i])
                    sum += held[k]
                }
                var deficit = [Double](repeating: 0, count: n)
                for (k, i) in order.enumerated() { deficit[k] = w[i] - (sum > 0 ? held[k] / sum : 0) }
                func argmax() -> Int {
                    var best = 0
                    for k in 1..<n where deficit[k] > deficit[best] { best = k }
                    return best
                }
                var k = argmax()
                var counter = 0
                while unitPrice[order[k]] > funds {
                    deficit[k] = 0
                    k = argmax()
                    if deficit[k] < 0 || counter == 10 { break }
                    counter += 1
                }
                if deficit[k] <= 0 || counter == 10 || unitPrice[order[k]] > funds { break }
                units[order[k]] += 1
                funds -= unitPrice[order[k]]
            }
            return units
        }

        /// Deviation in money, `Σ|tᵢ − xᵢuᵢ| + (V − Σxᵢuᵢ)`, computed in Double for the search.
        func deviation(_ units: [Int]) -> Double {
            var d = 0.0, spent = 0.0
            for i in 0..<n {
                let held = Double(units[i]) * unitPriceDouble[i]
                d += abs(target[i] - held)
                spent += held
            }
            return d + value - spent
        }

        /// Local search: buy one more unit, or swap one unit of j for one of i, while either
        /// lowers the deviation and stays affordable. O(N²) per pass.
        func improved(_ start: [Int]) -> [Int] {
            var units = start
            var spent = 0.0
            for i in 0..<n { spent += Double(units[i]) * unitPriceDouble[i] }
            let slack = 1e-12 * value
            // Change in deviation (leftover included) when asset i moves by `step` units.
            func delta(_ i: Int, _ step: Int) -> Double {
                let u = unitPriceDouble[i], t = target[i]
                let before = Double(units[i]) * u, after = Double(units[i] + step) * u
                return abs(t - after) - abs(t - before) - (after - before)
            }
            var better = true
            var passes = 0
            while better && passes < 100 {
                better = false
                passes += 1
                for i in 0..<n where spent + unitPriceDouble[i] <= value && delta(i, 1) < -slack {
                    units[i] += 1
                    spent += unitPriceDouble[i]
                    better = true
                }
                for i in 0..<n {
                    let gain = delta(i, 1)
                    if gain >= 0 { continue }
                    for j in 0..<n where j != i && units[j] > 0 {
                        let cost = spent - unitPriceDouble[j] + unitPriceDouble[i]
                        if cost <= value && gain + delta(j, -1) < -slack {
                            units[j] -= 1
                            units[i] += 1
                            spent = cost
                            better = true
                            break
                        }
                    }
                }
            }
            return units
        }

        func branchAndBound(nodeLimit: Int) -> ([Int], Bool) {
            var best = improved(greedyUnits())
            var bestValue = deviation(best)
            // Most expensive units first: they are the hardest to place.
            let order = (0..<n).sorted { unitPriceDouble[$0] > unitPriceDouble[$1] || (unitPriceDouble[$0] == unitPriceDouble[$1] && $0 < $1) }
            let u = order.map { unitPriceDouble[$0] }
            let t = order.map { target[$0] }
            let floors = (0..<n).map { Int((t[$0] / u[$0]).rounded(.down)) }
            var restTarget = [Double](repeating: 0, count: n + 1)
            for k in stride(from: n - 1, through: 0, by: -1) { restTarget[k] = restTarget[k + 1] + t[k] }
            var current = [Int](repeating: 0, count: n)
            var nodes = 0
            var complete = true
            let slack = 1e-9 * value
            // D = V + Σ gᵢ(xᵢ) with gᵢ(x) = |tᵢ − x·uᵢ| − x·uᵢ; bound the rest by the
            // continuous relaxation: Σ_rest tⱼ − 2·min(budget, Σ_rest tⱼ).
            func search(_ k: Int, _ budget: Double, _ partial: Double) {
                if k == n {
                    let total = value + partial
                    if total < bestValue - slack {
                        bestValue = total
                        best = [Int](repeating: 0, count: n)
                        for j in 0..<n { best[order[j]] = current[j] }
                    }
                    return
                }
                nodes += 1
                if nodes > nodeLimit { complete = false; return }
                let tk = t[k], uk = u[k]
                let ceiling = floors[k] + (Double(floors[k]) * uk < tk ? 1 : 0)
                var x = Swift.min(ceiling, Int((budget / uk).rounded(.down)))
                while x >= 0 {
                    let spent = Double(x) * uk
                    let g = abs(tk - spent) - spent
                    let remaining = budget - spent
                    let bound = value + partial + g + restTarget[k + 1] - 2 * Swift.min(Swift.max(remaining, 0), restTarget[k + 1])
                    if bound >= bestValue - slack {
                        if x <= floors[k] { break }  // the bound only grows as x falls below the floor
                    } else {
                        current[k] = x
                        search(k + 1, remaining, partial + g)
                        if !complete { return }
                    }
                    x -= 1
                }
                current[k] = 0
            }
            search(0, value, 0)
            return (complete ? best : improved(best), complete)
        }

        func result(units proposed: [Int], provenOptimal: Bool) -> DiscreteAllocationResult {
            var units = proposed
            // Double rounding in the search must never overspend: trim in exact arithmetic.
            while cost(units) > allocation.portfolioValue {
                var worst = -1
                var worstExcess = -Double.infinity
                for i in 0..<n where units[i] > 0 {
                    let excess: Double = unitPriceDouble[i] * Double(units[i]) - target[i]
                    if excess > worstExcess { worstExcess = excess; worst = i }
                }
                units[worst] -= 1
            }
            let spent = cost(units)
            let leftover = allocation.portfolioValue - spent
            let quantities = (0..<n).map { Decimal(units[$0]) * allocation.increments[$0] }
            let achieved = (0..<n).map { Double(units[$0]) * unitPriceDouble[$0] / value }
            var deviation = Problem.double(leftover) / value
            for i in 0..<n { deviation += abs(allocation.weights[i] - achieved[i]) }
            return DiscreteAllocationResult(
                units: units, quantities: quantities, invested: spent, leftover: leftover,
                achievedWeights: achieved, deviation: deviation, isProvenOptimal: provenOptimal)
        }
    }
}

/// Whole-share quantities, the exact money spent and left over, and how far the result is
/// from the target weights.
public struct DiscreteAllocationResult: Sendable, Equatable {
    /// Number of tradable units bought per security (shares, lots or fractional steps).
    public let units: [Int]
    /// Shares per security: `units × increment`.
    public let quantities: [Decimal]
    /// Money spent, `Σ quantityᵢ × priceᵢ`, exact.
    public let invested: Decimal
    /// Cash left over, `value − invested`, exact and never negative.
    public let leftover: Decimal
    /// Achieved weight per security, `quantityᵢ × priceᵢ / value`.
    public let achievedWeights: [Double]
    /// Total absolute deviation `Σᵢ|wᵢ − achievedᵢ| + leftover/value` (the objective of
    /// PyPortfolioOpt's `lp_portfolio`, divided by the portfolio value).
    public let deviation: Double
    /// Whether the branch and bound finished, proving no allocation deviates less.
    public let isProvenOptimal: Bool
}
