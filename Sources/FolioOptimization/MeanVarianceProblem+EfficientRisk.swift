import FolioLinearAlgebra

extension MeanVarianceProblem {
    /// Maximize μᵀw − γ‖w‖² − costs subject to √(wᵀΣw) ≤ target.
    ///
    /// Without penalties the answer is an efficient-return portfolio: the critical line gives
    /// its target return exactly under a budget and bounds, else bisection on the (increasing)
    /// frontier volatility. With an L2 term or costs the optimum is not on the plain frontier;
    /// it is the minimizer of the Lagrangian −μᵀw + γ‖w‖² + costs + λ·wᵀΣw for the multiplier
    /// λ ≥ 0 at which the volatility equals the target (zero when the unconstrained optimum
    /// is already below it), found by bisection on λ (the volatility decreases in λ).
    func efficientRisk(_ mu: [Double], targetVolatility: Double) throws(OptimizationError) -> PortfolioOptimizationResult {
        if constraints.l2Regularization > 0 || constraints.transactionCosts != nil {
            return try penalizedEfficientRisk(mu, targetVolatility: targetVolatility)
        }
        // Under a budget and bounds the critical line gives the exact target return; one
        // efficient-return QP then certifies the portfolio (KKT residuals).
        if constraints.isBudgetAndBoundsOnly,
           let line = try? CriticalLine(covariance: covariance, expectedReturns: mu, constraints: constraints).solve() {
            let minimum = line.minimumVariance.volatility
            if targetVolatility < minimum * (1 - 1e-12) {
                throw .targetVolatilityUnattainable(target: targetVolatility, minimumAttainable: minimum)
            }
            if targetVolatility < line.maximumReturn.volatility * (1 - 1e-9),
               let r = line.expectedReturn(volatility: targetVolatility),
               var result = try? with(.efficientReturn(target: r)).solve() {
                result.objective = result.expectedReturn ?? r
                return result
            }
        }
        let minimum = try with(.minimumVariance).solve()
        if targetVolatility < minimum.volatility * (1 - 1e-12) {
            throw .targetVolatilityUnattainable(target: targetVolatility, minimumAttainable: minimum.volatility)
        }
        let maximumReturn = try maximumAttainableReturn(mu, constraints: constraints, solver: solver)
        func point(_ r: Double, _ warm: QPActiveSet?) throws(OptimizationError) -> PortfolioOptimizationResult {
            try with(.efficientReturn(target: r), warmStart: warm).solve()
        }
        // The top of the frontier is degenerate (no interior); step just below it if needed.
        var top: PortfolioOptimizationResult?
        for shrink in [0.0, 1e-12, 1e-10, 1e-8] {
            let r = maximumReturn - shrink * Swift.max(1, abs(maximumReturn))
            if let candidate = try? point(r, minimum.solution.activeSet) { top = candidate; break }
        }
        if var top, top.volatility <= targetVolatility {
            top.objective = top.expectedReturn ?? maximumReturn
            return top
        }
        var lo = minimum.expectedReturn ?? 0, hi = maximumReturn
        var best = minimum
        var warm = minimum.solution.activeSet
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            guard let candidate = try? point(mid, warm) else { hi = mid; continue }
            warm = candidate.solution.activeSet
            if candidate.volatility <= targetVolatility { lo = mid; best = candidate } else { hi = mid }
        }
        best.objective = best.expectedReturn ?? lo
        return best
    }

    /// The efficient-risk problem with an L2 term or costs, by bisection on the multiplier λ
    /// of the volatility constraint (see `efficientRisk`); `objective` is μᵀw − γ‖w‖² − costs.
    private func penalizedEfficientRisk(_ mu: [Double], targetVolatility: Double) throws(OptimizationError) -> PortfolioOptimizationResult {
        // The least attainable volatility is that of Σ alone: the penalties do not constrain.
        var plain = self
        plain.constraints.l2Regularization = 0
        plain.constraints.transactionCosts = nil
        let minimum = try plain.with(.minimumVariance).solve()
        if targetVolatility < minimum.volatility * (1 - 1e-12) {
            throw .targetVolatilityUnattainable(target: targetVolatility, minimumAttainable: minimum.volatility)
        }
        let negativeMu = mu.map { -$0 }
        var warm: QPActiveSet?
        /// The minimizer of −μᵀw + γ‖w‖² + costs + λ·wᵀΣw.
        func lagrangian(_ lambda: Double) throws(OptimizationError) -> PortfolioOptimizationResult {
            var problem = self
            problem.warmStart = warm
            let result = try problem.solveQuadratic(scale: 2 * lambda, linear: negativeMu, constant: 0)
            warm = result.solution.activeSet
            return result
        }
        var best = try lagrangian(0)
        if best.volatility > targetVolatility {
            // Bracket: volatility(lo) > target ≥ volatility(hi).
            var lo = 0.0, hi = 1.0
            var above = try lagrangian(hi)
            var doublings = 0
            while above.volatility > targetVolatility && doublings < 200 {
                lo = hi
                hi *= 2
                doublings += 1
                above = try lagrangian(hi)
            }
            best = above
            // Bisection (geometric while the bracket spans orders of magnitude).
            for _ in 0..<200 {
                let mid = lo > 0 && hi / lo > 4 ? (lo * hi).squareRoot() : 0.5 * (lo + hi)
                if mid <= lo || mid >= hi || hi - lo <= 1e-15 * hi { break }
                let candidate = try lagrangian(mid)
                if abs(candidate.volatility - targetVolatility) <= 1e-14 * targetVolatility { best = candidate; break }
                if candidate.volatility <= targetVolatility { hi = mid; best = candidate } else { lo = mid }
            }
        }
        best.objective = mu.dot(best.weights) - penalty(best.weights)
        return best
    }

    /// γ‖w‖² + Σ cᵢ|wᵢ − currentᵢ|: the penalties every objective adds.
    func penalty(_ w: [Double]) -> Double {
        var total = constraints.l2Regularization * w.dot(w)
        if let costs = constraints.transactionCosts, let current = constraints.currentWeights {
            for i in w.indices { total += costs[i] * abs(w[i] - current[i]) }
        }
        return total
    }
}
