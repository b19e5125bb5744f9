import FolioLinearAlgebra

/// Turns a mean-variance objective plus `PortfolioConstraints` into one `QuadraticProgram`.
///
/// Variables: w (n weights, or y = κw when homogenized), then κ when it must stay a
/// variable, then t_lev (n, tᵢ ≥ |wᵢ|) for a leverage cap, then t_trade (n,
/// tᵢ ≥ |wᵢ − currentᵢ|) for turnover or transaction costs.
///
/// Homogenization (for ratio objectives such as the Sharpe ratio) replaces every constant
/// b of a constraint by bκ and adds the normalization aᵀy = 1 (Cornuéjols & Tütüncü,
/// *Optimization Methods in Finance*, 2007, §8.2). With a nonzero budget B, κ = Σy/B is
/// eliminated so that Q stays positive definite.
struct MeanVarianceProgram {
    var program: QuadraticProgram
    var equalityNames: [String]
    var inequalityNames: [String]
    let assetCount: Int
    let homogeneous: Bool
    let kappaIndex: Int?
    let budget: Double?
    /// Each asset's weight bounds, which the returned weights satisfy exactly.
    let assetBounds: [ClosedRange<Double>]

    /// The weights from a solution vector, clipped to each asset's bounds: rescaling y/κ (and
    /// the engine's last step) can leave a weight an ulp or a few 1e-13 outside a bound it
    /// sits on, and a caller checking `lo <= w <= hi` must see it hold.
    func weights(from x: [Double]) -> [Double] {
        var w = Array(x[0..<assetCount])
        if homogeneous {
            let kappa: Double
            if let k = kappaIndex { kappa = x[k] } else { kappa = w.reduce(0, +) / budget! }
            if kappa > 0, kappa.isFinite { w = w.map { $0 / kappa } }
        }
        for i in w.indices where w[i].isFinite {
            w[i] = Swift.min(Swift.max(w[i], assetBounds[i].lowerBound), assetBounds[i].upperBound)
        }
        return w
    }

    static func checkInputs(covariance: Matrix, expectedReturns: [Double]?, constraints: PortfolioConstraints) throws(OptimizationError) {
        let n = covariance.rows
        precondition(covariance.isSquare, "Covariance must be square")
        guard covariance.isFinite else { throw .invalidInput(what: "covariance has NaN or infinite entries") }
        if let mu = expectedReturns {
            precondition(mu.count == n, "One expected return per asset")
            guard mu.allSatisfy(\.isFinite) else { throw .invalidInput(what: "expected returns have NaN or infinite entries") }
        }
        if let ab = constraints.assetBounds { precondition(ab.count == n, "One bound range per asset") }
        if let budget = constraints.budget {
            var lo = 0.0, hi = 0.0
            for i in 0..<n {
                let b = constraints.bounds(ofAsset: i)
                lo += b.lowerBound
                hi += b.upperBound
            }
            if budget < lo - 1e-12 || budget > hi + 1e-12 {
                throw .boundsCannotMeetBudget(budget: budget, minimumTotal: lo, maximumTotal: hi)
            }
        }
        if let current = constraints.currentWeights { precondition(current.count == n, "One current weight per asset") }
        if constraints.turnoverLimit != nil || constraints.transactionCosts != nil {
            precondition(constraints.currentWeights != nil, "Turnover and transaction costs need current weights")
        }
        if let costs = constraints.transactionCosts { precondition(costs.count == n, "One cost rate per asset") }
    }

    /// Builds the program for objective ½wᵀ(sP)w + qᵀw + constant (P is n x n, s =
    /// `hessianScale`, applied while copying P) under
    /// `constraints`, plus `extra` rows on w. With `ratioNumerator` a, builds the
    /// homogenized problem min ½yᵀPy s.t. aᵀy = 1 (q and costs must then be zero).
    static func build(
        hessian p: Matrix, hessianScale: Double = 1, linear q: [Double], constant: Double, constraints: PortfolioConstraints,
        extra: [LinearConstraint] = [], ratioNumerator: [Double]? = nil
    ) -> MeanVarianceProgram {
        let n = p.rows
        let homogeneous = ratioNumerator != nil
        let eliminateKappa = homogeneous && (constraints.budget.map { $0 != 0 } ?? false)
        var nv = n
        let kappaIndex: Int? = homogeneous && !eliminateKappa ? nv : nil
        if kappaIndex != nil { nv += 1 }
        let leverageStart: Int? = constraints.grossLeverage != nil ? nv : nil
        if leverageStart != nil { nv += n }
        let needsTrade = constraints.turnoverLimit != nil || constraints.transactionCosts != nil
        let tradeStart: Int? = needsTrade ? nv : nil
        if tradeStart != nil { nv += n }
        let budget = constraints.budget

        var eqRows: [[Double]] = [], eqRHS: [Double] = [], eqNames: [String] = []
        var inRows: [[Double]] = [], inRHS: [Double] = [], inNames: [String] = []
        var lower = [Double](repeating: -.infinity, count: nv)
        var upper = [Double](repeating: .infinity, count: nv)

        /// Adds `row·x (relation) constant`, homogenizing the constant when needed.
        func add(_ row: [Double], _ relation: LinearConstraint.Relation, _ constantTerm: Double, _ name: String) {
            var r = row
            var rhs = constantTerm
            if homogeneous && constantTerm != 0 {
                if let k = kappaIndex {
                    r[k] -= constantTerm
                } else {
                    let share = constantTerm / budget!
                    for i in 0..<n { r[i] -= share }
                }
                rhs = 0
            }
            switch relation {
            case .equal: eqRows.append(r); eqRHS.append(rhs); eqNames.append(name)
            case .lessThanOrEqual: inRows.append(r); inRHS.append(rhs); inNames.append(name)
            case .greaterThanOrEqual: inRows.append(r.map { -$0 }); inRHS.append(-rhs); inNames.append(name)
            }
        }
        func weightRow(_ coefficients: [Double]) -> [Double] {
            var r = [Double](repeating: 0, count: nv)
            for i in 0..<n { r[i] = coefficients[i] }
            return r
        }

        if let numerator = ratioNumerator {
            eqRows.append(weightRow(numerator)); eqRHS.append(1); eqNames.append("ratio normalization")
        }
        // Budget.
        if let b = budget, !eliminateKappa {
            add(weightRow(Array(repeating: 1, count: n)), .equal, b, "budget")
        }
        // Per-asset bounds.
        let allLongOnly = (0..<n).allSatisfy { constraints.bounds(ofAsset: $0).lowerBound >= 0 }
        for i in 0..<n {
            let range = constraints.bounds(ofAsset: i)
            if !homogeneous {
                lower[i] = range.lowerBound
                upper[i] = range.upperBound
                continue
            }
            if range.lowerBound == 0 { lower[i] = 0 } else if range.lowerBound.isFinite {
                var r = [Double](repeating: 0, count: nv); r[i] = 1
                add(r, .greaterThanOrEqual, range.lowerBound, "lower bound of asset \(i)")
            }
            if range.upperBound == 0 { upper[i] = 0 } else if range.upperBound.isFinite {
                let redundant = eliminateKappa && allLongOnly && budget! > 0 && range.upperBound >= budget!
                if !redundant {
                    var r = [Double](repeating: 0, count: nv); r[i] = 1
                    add(r, .lessThanOrEqual, range.upperBound, "upper bound of asset \(i)")
                }
            }
        }
        if let k = kappaIndex { lower[k] = 0 }
        if eliminateKappa && !allLongOnly {
            // κ = Σy / B ≥ 0.
            var r = [Double](repeating: 0, count: nv)
            for i in 0..<n { r[i] = 1 / budget! }
            inRows.append(r.map { -$0 }); inRHS.append(0); inNames.append("positive scale")
        }
        // Groups.
        for group in constraints.groups {
            var r = [Double](repeating: 0, count: nv)
            for i in group.assets { r[i] = 1 }
            if group.bounds.lowerBound == group.bounds.upperBound {
                add(r, .equal, group.bounds.lowerBound, "group '\(group.name)' total")
                continue
            }
            if group.bounds.lowerBound.isFinite { add(r, .greaterThanOrEqual, group.bounds.lowerBound, "group '\(group.name)' lower limit") }
            if group.bounds.upperBound.isFinite { add(r, .lessThanOrEqual, group.bounds.upperBound, "group '\(group.name)' upper limit") }
        }
        // General linear constraints.
        for c in constraints.linear + extra {
            precondition(c.coefficients.count == n, "One coefficient per asset in \(c.name)")
            add(weightRow(c.coefficients), c.relation, c.bound, c.name)
        }
        // Gross leverage: tᵢ ≥ |wᵢ|, Σt ≤ L.
        if let start = leverageStart, let cap = constraints.grossLeverage {
            for i in 0..<n {
                lower[start + i] = 0
                var r = [Double](repeating: 0, count: nv); r[i] = 1; r[start + i] = -1
                add(r, .lessThanOrEqual, 0, "gross leverage split of asset \(i)")
                r[i] = -1
                add(r, .lessThanOrEqual, 0, "gross leverage split of asset \(i)")
            }
            var r = [Double](repeating: 0, count: nv)
            for i in 0..<n { r[start + i] = 1 }
            add(r, .lessThanOrEqual, cap, "gross leverage cap")
        }
        // Trades: tᵢ ≥ |wᵢ − currentᵢ|.
        var linear = [Double](repeating: 0, count: nv)
        for i in 0..<n { linear[i] = q[i] }
        if let start = tradeStart, let current = constraints.currentWeights {
            for i in 0..<n {
                lower[start + i] = 0
                var r = [Double](repeating: 0, count: nv); r[i] = 1; r[start + i] = -1
                add(r, .lessThanOrEqual, current[i], "trade split of asset \(i)")
                r[i] = -1
                add(r, .lessThanOrEqual, -current[i], "trade split of asset \(i)")
            }
            if let limit = constraints.turnoverLimit {
                var r = [Double](repeating: 0, count: nv)
                for i in 0..<n { r[start + i] = 1 }
                add(r, .lessThanOrEqual, limit, "turnover limit")
            }
            if let costs = constraints.transactionCosts {
                for i in 0..<n { linear[start + i] = costs[i] }
            }
        }
        // Hessian.
        var hessianElements = [Double](repeating: 0, count: nv * nv)
        p.elements.withUnsafeBufferPointer { pe in
            hessianElements.withUnsafeMutableBufferPointer { he in
                for j in 0..<n { for i in 0..<n { he[i + j * nv] = hessianScale * pe[i + j * n] } }
                for i in 0..<n { he[i + i * nv] += 2 * constraints.l2Regularization }
            }
        }
        let hessian = Matrix(rows: nv, columns: nv, columnMajor: hessianElements)
        func matrix(_ rows: [[Double]]) -> Matrix {
            var m = [Double](repeating: 0, count: rows.count * nv)
            for (r, row) in rows.enumerated() { for j in 0..<nv { m[r + j * rows.count] = row[j] } }
            return Matrix(rows: rows.count, columns: nv, columnMajor: m)
        }
        let program = QuadraticProgram(
            quadratic: hessian, linear: linear, constant: constant,
            equalityMatrix: matrix(eqRows), equalityBounds: eqRHS,
            inequalityMatrix: matrix(inRows), inequalityBounds: inRHS,
            lowerBounds: lower, upperBounds: upper)
        return MeanVarianceProgram(
            program: program, equalityNames: eqNames, inequalityNames: inNames, assetCount: n,
            homogeneous: homogeneous, kappaIndex: kappaIndex, budget: budget,
            assetBounds: (0..<n).map { constraints.bounds(ofAsset: $0) })
    }

    /// Solves and maps an infeasibility certificate to constraint names.
    func solve(with solver: QPSolver, warmStart: QPActiveSet?) throws(OptimizationError) -> QPSolution {
        let solution = solver.solve(program, warmStart: warmStart)
        switch solution.status {
        case .optimal:
            return solution
        case .infeasible:
            let cert = solution.infeasibility
            var names: [String] = []
            if let cert {
                if cert.constraintSet == .bounds {
                    names = cert.violatedEqualities.map { "bounds of variable \($0)" }
                } else {
                    names = cert.violatedEqualities.map { equalityNames[$0] } + cert.violatedInequalities.map { inequalityNames[$0] }
                }
            }
            var unique: [String] = []
            for name in names where !unique.contains(name) { unique.append(name) }
            throw .infeasibleConstraints(constraints: unique, violation: cert?.minimumViolation ?? 0)
        case .unbounded, .iterationLimit:
            throw .solverFailed(status: solution.status, largestKKTResidual: solution.residuals.maximum)
        }
    }
}
