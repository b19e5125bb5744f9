import FolioLinearAlgebra

/// A corner (turning-point) portfolio of the efficient frontier: a point where an asset
/// leaves or reaches one of its bounds. Between two adjacent corners the efficient weights
/// are an exact linear interpolation of the two.
public struct CornerPortfolio: Sendable {
    /// The risk tolerance λ at the corner: the weights minimize ½wᵀΣw − λμᵀw under the
    /// budget and the bounds (λ = 0 is the minimum-variance portfolio). Units of μ⁻¹·Σ.
    public var riskTolerance: Double
    /// The weights, fractions of capital.
    public var weights: [Double]
    /// μᵀw (units of μ).
    public var expectedReturn: Double
    /// √(wᵀΣw) (units of √Σ).
    public var volatility: Double
    /// The assets free (off their bounds) on the segment that ends at this corner, coming
    /// from higher risk tolerance.
    public var freeAssets: [Int]
}

/// The exact efficient frontier under a budget and per-asset bounds by Markowitz's critical
/// line algorithm: every corner portfolio from the maximum-return portfolio down to the
/// minimum-variance portfolio, from which any frontier portfolio and the tangency
/// (maximum-Sharpe) portfolio follow exactly by interpolation.
///
/// The problem family is min ½wᵀΣw − λμᵀw subject to Σwᵢ = budget and lᵢ ≤ wᵢ ≤ uᵢ for
/// λ from +∞ down to 0. On each segment the free assets F solve
/// `Σ_FF w_F + γ1 = λμ_F − Σ_FB w_B`, `1ᵀw_F = budget − 1ᵀw_B`, so w is linear in λ; the
/// segment ends where a free asset reaches a bound or a bound asset's multiplier reaches
/// zero. The inverse of Σ_FF is updated by bordering (rank-one) as one asset enters or
/// leaves, as in Niedermayer & Niedermayer, "Applying Markowitz's critical line algorithm"
/// (Handbook of Portfolio Construction, Springer 2010 / working paper 2007), and each solve
/// takes one step of iterative refinement against Σ_FF itself (Bailey & López de Prado,
/// "An open-source implementation of the critical-line algorithm for portfolio
/// optimization", Algorithms 6, 2013, describe the algorithm's steps).
///
/// - Complexity: per corner O(n·n_F + n_F²) for n assets and n_F free assets; the number of
///   corners is at least the number of assets held at minimum variance.
public struct CriticalLine: Sendable {
    /// The covariance Σ (n x n, positive definite on every free set the path meets).
    public var covariance: Matrix
    /// Expected returns μ (n values, units of μ).
    public var expectedReturns: [Double]
    /// The budget Σwᵢ (1 for fully invested).
    public var budget: Double
    /// Lower bounds lᵢ (finite).
    public var lowerBounds: [Double]
    /// Upper bounds uᵢ (finite).
    public var upperBounds: [Double]

    /// A critical-line problem from `PortfolioConstraints` that hold only a budget and
    /// per-asset bounds (`constraints.isBudgetAndBoundsOnly`).
    ///
    /// - Throws: `OptimizationError.invalidInput` when other constraints are set, a bound
    ///   is infinite, or the inputs are not finite; `.boundsCannotMeetBudget` when the
    ///   bounds cannot sum to the budget.
    /// - Complexity: O(n²) for the input checks.
    public init(covariance: Matrix, expectedReturns: [Double], constraints: PortfolioConstraints = .longOnly) throws(OptimizationError) {
        try MeanVarianceProgram.checkInputs(covariance: covariance, expectedReturns: expectedReturns, constraints: constraints)
        guard constraints.isBudgetAndBoundsOnly, let budget = constraints.budget else {
            throw .invalidInput(what: "the critical line algorithm handles a budget and per-asset bounds only")
        }
        let n = covariance.rows
        let lower = (0..<n).map { constraints.bounds(ofAsset: $0).lowerBound }
        let upper = (0..<n).map { constraints.bounds(ofAsset: $0).upperBound }
        guard lower.allSatisfy(\.isFinite), upper.allSatisfy(\.isFinite) else {
            throw .invalidInput(what: "the critical line algorithm needs finite bounds on every asset")
        }
        self.covariance = covariance
        self.expectedReturns = expectedReturns
        self.budget = budget
        lowerBounds = lower
        upperBounds = upper
    }

    /// Traces the frontier: all corner portfolios, from maximum return to minimum variance.
    ///
    /// - Throws: `OptimizationError.invalidInput` when Σ is singular on a free set the path
    ///   meets (for example a sample covariance with more assets than observations) or
    ///   expected returns tie at the top (the maximum-return portfolio is then not unique);
    ///   use the QP sweep of `EfficientFrontier` for those.
    /// - Complexity: O(K·(n·n_F + n_F²)) for K corners.
    public func solve() throws(OptimizationError) -> CriticalLineFrontier {
        var engine = CriticalLineEngine(covariance: covariance, mu: expectedReturns, budget: budget,
                                        lower: lowerBounds, upper: upperBounds)
        try engine.run()
        return CriticalLineFrontier(covariance: covariance, expectedReturns: expectedReturns, corners: engine.corners,
                                    crossTerms: engine.crossTerms, lowerBounds: lowerBounds, upperBounds: upperBounds)
    }
}

/// The frontier traced by `CriticalLine`: its corners and exact interpolation between them.
public struct CriticalLineFrontier: Sendable {
    /// The covariance Σ the frontier was traced for.
    public let covariance: Matrix
    /// The expected returns μ.
    public let expectedReturns: [Double]
    /// The corner portfolios in decreasing order of risk tolerance (maximum return first,
    /// minimum variance last). Adjacent corners may coincide at degenerate points.
    public let corners: [CornerPortfolio]
    /// w_kᵀΣw_{k+1} for each adjacent pair, so variance along a segment is exact.
    let crossTerms: [Double]
    /// The per-asset bounds the frontier was traced under.
    let lowerBounds: [Double]
    let upperBounds: [Double]

    /// The minimum-variance portfolio (the last corner).
    public var minimumVariance: CornerPortfolio { corners[corners.count - 1] }
    /// The maximum-return portfolio (the first corner).
    public var maximumReturn: CornerPortfolio { corners[0] }

    /// The efficient weights whose expected return is `target`, interpolated exactly
    /// between the two corners that bracket it (the efficient-return QP's solution).
    ///
    /// - Precondition: `target` lies within the returns of the minimum-variance and
    ///   maximum-return corners (a small rounding excess is clamped).
    /// - Complexity: O(K + n) for K corners.
    public func weights(expectedReturn target: Double) -> [Double] {
        let top = corners[0].expectedReturn, bottom = minimumVariance.expectedReturn
        let slack = 1e-12 * Swift.max(1, abs(top), abs(bottom))
        precondition(target <= top + slack && target >= bottom - slack, "Target return outside the frontier")
        let (k, theta) = locate(target)
        return interpolate(k, theta)
    }

    /// The expected return of the frontier portfolio whose volatility is `volatility`, exact
    /// on its segment (variance along a segment is a convex quadratic in the interpolation
    /// weight); nil when `volatility` lies outside the frontier's range.
    ///
    /// - Complexity: O(K) for K corners.
    public func expectedReturn(volatility: Double) -> Double? {
        let target = volatility * volatility
        let top = corners[0].volatility, bottom = minimumVariance.volatility
        guard volatility >= bottom * (1 - 1e-12), volatility <= top * (1 + 1e-12) else { return nil }
        if corners.count == 1 { return corners[0].expectedReturn }
        for k in 0..<(corners.count - 1) where corners[k + 1].volatility <= volatility {
            // v(θ) = v₀ + 2v₁θ + v₂θ², decreasing on [0, 1]: the smaller root of v(θ) = σ²,
            // written as c/(−b + √D) to avoid cancellation.
            let (v0, v1, v2) = varianceCoefficients(k)
            let c = v0 - target
            let discriminant = Swift.max(v1 * v1 - v2 * c, 0)
            let denominator = -v1 + discriminant.squareRoot()
            let theta = denominator > 0 ? Swift.min(Swift.max(c / denominator, 0), 1) : 0
            let r0 = corners[k].expectedReturn
            return r0 + theta * (corners[k + 1].expectedReturn - r0)
        }
        return minimumVariance.expectedReturn
    }

    /// `count` frontier portfolios with expected returns evenly spaced from the
    /// minimum-variance portfolio's to the maximum return, in increasing order.
    ///
    /// - Precondition: `count >= 2`.
    /// - Complexity: O(count·n + K).
    public func points(count: Int, riskFreeRate: Double = 0) -> [FrontierPoint] {
        precondition(count >= 2, "A frontier needs at least two points")
        let low = minimumVariance.expectedReturn, high = Swift.max(corners[0].expectedReturn, low)
        var result: [FrontierPoint] = []
        result.reserveCapacity(count)
        for k in 0..<count {
            let target: Double
            if k == 0 { target = low } else if k == count - 1 { target = high } else {
                target = low + (high - low) * Double(k) / Double(count - 1)
            }
            let (segment, theta) = locate(target)
            let w = interpolate(segment, theta)
            let variance = segmentVariance(segment, theta)
            result.append(point(w, segment: segment, variance: variance, riskFreeRate: riskFreeRate))
        }
        return result
    }

    /// The tangency portfolio: the frontier portfolio of largest Sharpe ratio
    /// (μᵀw − r_f)/√(wᵀΣw), found exactly on its segment (the Sharpe ratio along a
    /// segment has one stationary point, a ratio of linear to quadratic terms).
    ///
    /// - Throws: `OptimizationError.noAssetBeatsRiskFreeRate` when no frontier portfolio
    ///   has an expected return above r_f.
    /// - Complexity: O(K + n).
    public func tangency(riskFreeRate: Double = 0) throws(OptimizationError) -> FrontierPoint {
        let top = corners[0].expectedReturn
        guard top > riskFreeRate else {
            throw .noAssetBeatsRiskFreeRate(riskFreeRate: riskFreeRate, maximumAttainableReturn: top)
        }
        var best = -Double.infinity, bestSegment = 0, bestTheta = 0.0
        func consider(_ k: Int, _ theta: Double) {
            let a = excess(k, theta, riskFreeRate), v = segmentVariance(k, theta)
            guard v > 0 else { return }
            let s = a / v.squareRoot()
            if s > best { best = s; bestSegment = k; bestTheta = theta }
        }
        if corners.count == 1 { consider(0, 0) }
        for k in 0..<Swift.max(corners.count - 1, 0) {
            consider(k, 0)
            consider(k, 1)
            // Along w(θ) = w_k + θ(w_{k+1} − w_k): excess a₀ + a₁θ, variance v₀ + 2v₁θ + v₂θ².
            let a0 = corners[k].expectedReturn - riskFreeRate
            let a1 = corners[k + 1].expectedReturn - corners[k].expectedReturn
            let (v0, v1, v2) = varianceCoefficients(k)
            let denominator = a1 * v1 - a0 * v2
            guard denominator != 0 else { continue }
            let theta = (a0 * v1 - a1 * v0) / denominator
            if theta > 0 && theta < 1 { consider(k, theta) }
        }
        let w = interpolate(bestSegment, bestTheta)
        return point(w, segment: bestSegment, variance: segmentVariance(bestSegment, bestTheta), riskFreeRate: riskFreeRate)
    }

    // MARK: - Segments

    /// The segment k (between corners k and k+1) and θ ∈ [0, 1] with return `target`.
    private func locate(_ target: Double) -> (Int, Double) {
        if corners.count == 1 { return (0, 0) }
        if target >= corners[0].expectedReturn { return (0, 0) }
        for k in 0..<(corners.count - 1) {
            let hi = corners[k].expectedReturn, lo = corners[k + 1].expectedReturn
            if target >= lo {
                let span = hi - lo
                let theta = span > 0 ? Swift.min(Swift.max((hi - target) / span, 0), 1) : 0
                return (k, theta)
            }
        }
        return (corners.count - 2, 1)
    }

    private func interpolate(_ k: Int, _ theta: Double) -> [Double] {
        let a = corners[k].weights
        if theta == 0 || corners.count == 1 { return a }
        let b = corners[k + 1].weights
        if theta == 1 { return b }
        var w = a
        for i in 0..<w.count { w[i] = a[i] + theta * (b[i] - a[i]) }
        return w
    }

    private func varianceCoefficients(_ k: Int) -> (Double, Double, Double) {
        let v0 = corners[k].volatility * corners[k].volatility
        guard k + 1 < corners.count else { return (v0, 0, 0) }
        let v1End = corners[k + 1].volatility * corners[k + 1].volatility
        let cross = crossTerms[k]
        // (w_k + θd)ᵀΣ(w_k + θd) with d = w_{k+1} − w_k.
        return (v0, cross - v0, v0 - 2 * cross + v1End)
    }

    private func segmentVariance(_ k: Int, _ theta: Double) -> Double {
        let (v0, v1, v2) = varianceCoefficients(k)
        return Swift.max(v0 + 2 * v1 * theta + v2 * theta * theta, 0)
    }

    private func excess(_ k: Int, _ theta: Double, _ rate: Double) -> Double {
        let r0 = corners[k].expectedReturn
        guard k + 1 < corners.count else { return r0 - rate }
        return r0 + theta * (corners[k + 1].expectedReturn - r0) - rate
    }

    private func point(_ w: [Double], segment: Int, variance: Double, riskFreeRate: Double) -> FrontierPoint {
        let ret = expectedReturns.dot(w)
        let vol = Swift.max(variance, 0).squareRoot()
        // The assets free on the segment are corner k+1's free set; the rest sit at a bound.
        var free = [Bool](repeating: false, count: w.count)
        for i in corners[Swift.min(segment + 1, corners.count - 1)].freeAssets { free[i] = true }
        var atLower = Set<Int>(minimumCapacity: w.count), atUpper = Set<Int>()
        for i in 0..<w.count where !free[i] {
            if abs(w[i] - lowerBounds[i]) <= abs(w[i] - upperBounds[i]) { atLower.insert(i) } else { atUpper.insert(i) }
        }
        return FrontierPoint(expectedReturn: ret, volatility: vol, sharpeRatio: vol > 0 ? (ret - riskFreeRate) / vol : 0,
                             weights: w, activeSet: QPActiveSet(atLower: atLower, atUpper: atUpper))
    }
}

// MARK: - The engine

/// The critical line iteration: state of the free set, the inverse of Σ_FF and Σ_{:,B}w_B.
struct CriticalLineEngine {
    let n: Int
    let sigma: [Double]
    let mu: [Double]
    let budget: Double
    let lower: [Double]
    let upper: [Double]
    /// −1 at lower bound, +1 at upper bound, 0 free.
    var state: [Int8]
    var weights: [Double]
    /// Σ_{:,B} w_B for the assets at a bound.
    var boundProduct: [Double]
    /// The free set and the inverse of Σ_FF.
    var factor: FreeSetInverse
    var free: [Int] { factor.free }
    var corners: [CornerPortfolio] = []
    var crossTerms: [Double] = []

    init(covariance: Matrix, mu: [Double], budget: Double, lower: [Double], upper: [Double]) {
        n = mu.count
        sigma = covariance.elements
        self.mu = mu
        self.budget = budget
        self.lower = lower
        self.upper = upper
        state = Array(repeating: -1, count: n)
        weights = lower
        boundProduct = Array(repeating: 0, count: n)
        factor = FreeSetInverse(q: covariance.elements, n: mu.count)
    }

    mutating func run() throws(OptimizationError) {
        // λ = +∞: the maximum-return portfolio, filling the budget in decreasing order of μ.
        let order = (0..<n).sorted { mu[$0] > mu[$1] }
        var remaining = budget - lower.reduce(0, +)
        var first = order[0]
        for i in order {
            first = i
            let room = upper[i] - lower[i]
            if remaining <= room {
                weights[i] = lower[i] + remaining
                remaining = 0
                break
            }
            weights[i] = upper[i]
            state[i] = 1
            remaining -= room
        }
        // Ties at the top make the λ = ∞ portfolio ambiguous.
        if let k = order.firstIndex(of: first) {
            if k > 0 && mu[order[k - 1]] == mu[first] || k + 1 < n && mu[order[k + 1]] == mu[first] {
                throw .invalidInput(what: "expected returns tie at the top of the frontier (asset \(first))")
            }
        }
        state[first] = 0
        for j in 0..<n where state[j] != 0 && weights[j] != 0 { Self.addColumn(j, scale: weights[j], of: sigma, n: n, into: &boundProduct) }
        try enter(first)

        var diagonalScale = 0.0, returnScale = 0.0
        for i in 0..<n {
            diagonalScale = Swift.max(diagonalScale, abs(sigma[i + i * n]))
            returnScale = Swift.max(returnScale, abs(mu[i]))
        }
        var lambda = Double.infinity
        var lastChanged = first
        let maximumCorners = 20 * n + 100
        for _ in 0..<maximumCorners {
            let nf = free.count
            // Right-hand sides 1, μ_F and (Σ_FB w_B)_F.
            var rhs = [Double](repeating: 0, count: 3 * nf)
            for f in 0..<nf {
                let i = free[f]
                rhs[f] = 1
                rhs[nf + f] = mu[i]
                rhs[2 * nf + f] = boundProduct[i]
            }
            let solved = factor.solve(rhs, columns: 3)
            var s11 = 0.0, s1mu = 0.0, s1c = 0.0
            for f in 0..<nf { s11 += solved[f]; s1mu += solved[nf + f]; s1c += solved[2 * nf + f] }
            var boundTotal = 0.0
            for j in 0..<n where state[j] != 0 { boundTotal += weights[j] }
            let freeBudget = budget - boundTotal
            var alphaF = [Double](repeating: 0, count: nf), betaF = [Double](repeating: 0, count: nf)
            for f in 0..<nf {
                alphaF[f] = -solved[2 * nf + f] + solved[f] * (s1c + freeBudget) / s11
                betaF[f] = nf == 1 ? 0 : solved[nf + f] - solved[f] * s1mu / s11
            }
            let gammaAlpha = -(s1c + freeBudget) / s11, gammaBeta = nf == 1 ? mu[free[0]] : s1mu / s11
            // Σ_{:,F}α and Σ_{:,F}β for every row.
            var tAlpha = [Double](repeating: 0, count: n), tBeta = [Double](repeating: 0, count: n)
            sigma.withUnsafeBufferPointer { s in
                tAlpha.withUnsafeMutableBufferPointer { ta in
                    tBeta.withUnsafeMutableBufferPointer { tb in
                        for f in 0..<nf {
                            let base = free[f] * n, a = alphaF[f], b = betaF[f]
                            for r in 0..<n {
                                let v = s[base + r]
                                ta[r] += v * a
                                tb[r] += v * b
                            }
                        }
                    }
                }
            }
            // The next event below λ.
            var next = -Double.infinity, event = -1
            let guardBand = 1e-12 * Swift.max(1, lambda.isFinite ? abs(lambda) : 1)
            func offer(_ candidate: Double, _ asset: Int) {
                var c = candidate
                guard c.isFinite else { return }
                if asset == lastChanged && c >= lambda - guardBand { return }
                if c > lambda { c = lambda }
                if c > next { next = c; event = asset }
            }
            for f in 0..<nf where nf > 1 {
                let i = free[f], b = betaF[f]
                if b > 0 { offer((lower[i] - alphaF[f]) / b, i) } else if b < 0 { offer((upper[i] - alphaF[f]) / b, i) }
            }
            for j in 0..<n where state[j] != 0 {
                let ga = boundProduct[j] + tAlpha[j] + gammaAlpha
                let gb = tBeta[j] - mu[j] + gammaBeta
                if state[j] < 0 && gb > 0 { offer(-ga / gb, j) } else if state[j] > 0 && gb < 0 { offer(-ga / gb, j) }
            }
            let final = next <= 0 || event < 0
            let at = final ? 0 : next
            // The corner at λ = at on this segment.
            var w = weights
            for f in 0..<nf { w[free[f]] = alphaF[f] + at * betaF[f] }
            // Certificate: free weights within their bounds and bound multipliers of the
            // right sign at this corner; otherwise (a degenerate path) refuse rather than
            // return a wrong frontier.
            let multiplierTolerance = 1e-9 * (diagonalScale + at * returnScale)
            for f in 0..<nf {
                let i = free[f], slack = 1e-9 * Swift.max(1, abs(lower[i]), abs(upper[i]))
                if !(w[i] >= lower[i] - slack && w[i] <= upper[i] + slack) {
                    throw .solverFailed(status: .iterationLimit, largestKKTResidual: Swift.max(lower[i] - w[i], w[i] - upper[i]))
                }
            }
            for j in 0..<n where state[j] != 0 {
                let g = boundProduct[j] + tAlpha[j] + gammaAlpha + at * (tBeta[j] - mu[j] + gammaBeta)
                let wrongSign = state[j] < 0 ? -g : g
                if !(wrongSign <= multiplierTolerance) {
                    throw .solverFailed(status: .iterationLimit, largestKKTResidual: wrongSign)
                }
            }
            var sAlpha = boundProduct
            for r in 0..<n { sAlpha[r] += tAlpha[r] }
            var variance = 0.0, ret = 0.0
            for r in 0..<n { variance += w[r] * (sAlpha[r] + at * tBeta[r]); ret += w[r] * mu[r] }
            // Cross term w_prevᵀΣw_at along this segment (w_prev is the previous corner).
            if let last = corners.last {
                var cross = 0.0
                for r in 0..<n { cross += last.weights[r] * (sAlpha[r] + at * tBeta[r]) }
                crossTerms.append(cross)
            }
            corners.append(CornerPortfolio(riskTolerance: at, weights: w, expectedReturn: ret,
                                           volatility: Swift.max(variance, 0).squareRoot(), freeAssets: free))
            if final { break }
            // Apply the event.
            weights = w
            if state[event] == 0 {
                let goesLower = betaF[free.firstIndex(of: event)!] > 0
                let value = goesLower ? lower[event] : upper[event]
                weights[event] = value
                state[event] = goesLower ? -1 : 1
                leave(event)
                if value != 0 { Self.addColumn(event, scale: value, of: sigma, n: n, into: &boundProduct) }
            } else {
                if weights[event] != 0 { Self.addColumn(event, scale: -weights[event], of: sigma, n: n, into: &boundProduct) }
                state[event] = 0
                try enter(event)
            }
            lastChanged = event
            lambda = at
        }
        if corners.last?.riskTolerance != 0 {
            throw .solverFailed(status: .iterationLimit, largestKKTResidual: .infinity)
        }
    }

    private static func addColumn(_ j: Int, scale: Double, of sigma: [Double], n: Int, into v: inout [Double]) {
        sigma.withUnsafeBufferPointer { s in
            v.withUnsafeMutableBufferPointer { out in
                let base = j * n
                for r in 0..<n { out[r] += s[base + r] * scale }
            }
        }
    }

    /// Adds asset j to the free set.
    private mutating func enter(_ j: Int) throws(OptimizationError) {
        guard factor.enter(j) else {
            throw .invalidInput(what: "covariance is singular on the free assets when asset \(j) enters the critical line")
        }
    }

    /// Removes asset j from the free set.
    private mutating func leave(_ j: Int) { factor.leave(j) }
}
