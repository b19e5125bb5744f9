import Foundation
import FolioLinearAlgebra
import FolioOptimization

/// The relaxed (continuous) optimum of a ``TaxAwareProblem``, with the evidence to check it.
public struct TaxAwareSolution: Sendable {
    /// The objective at the optimum (λ·tracking variance + taxWeight·(tax + drag)/T + costs/T).
    public var objective: Double
    /// The parts of the objective at the optimum.
    public var parts: TaxAwareObjectiveParts
    /// Shares bought, indexed `[account][security]`.
    public var sharesBought: [[Double]]
    /// Shares sold per lot, in the order of ``TaxAwareProblem/lots``.
    public var sharesSold: [Double]
    /// Household class weights after trading, in the order of ``TaxAwareProblem/classes``.
    public var weightsAfter: [Double]
    /// The QP engine's KKT residuals at the optimum (infinity norms; dual and complementarity
    /// in objective units, primal in fractions of the household value).
    public var residuals: KKTResiduals
    /// QP iterations, summed over the wash-sale rounds.
    public var iterations: Int
    /// The wash-sale rounds solved (1 when the first answer had no conflict).
    public var rounds: Int
    /// The problem finally solved: the input plus any wash-sale keys blocked by the rounds.
    public var solvedProblem: TaxAwareProblem
    /// The active set of the final solve (a warm start for a nearby tax weight).
    public var activeSet: QPActiveSet
}

/// The parts of the tax-aware objective for one set of trades.
public struct TaxAwareObjectiveParts: Sendable, Hashable, Codable {
    /// The tracking variance (w − w*)ᵀΣ(w − w*) after trading (annual variance).
    public var trackingVariance: Double
    /// The tax realized by the sales, in currency (negative: a net benefit from losses).
    public var tax: Double
    /// The net realized gain of the taxable accounts, in currency.
    public var netGain: Double
    /// The transaction costs (linear and quadratic), in currency.
    public var cost: Double
    /// The yearly location drag of the holdings and uninvested cash after trading, in currency.
    public var drag: Double
    /// The value bought plus the value sold, in currency.
    public var traded: Double

    /// The tracking error (square root of the tracking variance), annual.
    public var trackingError: Double { trackingVariance.squareRoot() }
}

/// Tax-aware rebalancing of a household as one convex quadratic program, solved by Folio's
/// own QP engine (``FolioOptimization/QPSolver``).
///
/// Constraints, with every value in fractions of the household value `T`:
/// - **Cash per account:** (1 + costRate)·Σ_s b[a,s] − (1 − costRate)·Σ_{l∈a} x[l] ≤
///   (cash + flow − reserve)/T: each account finances its own buys, costs and reserve.
/// - **No shorting, lot sizes:** 0 ≤ x[l] ≤ shares·price/T, b ≥ 0.
/// - **Restrictions:** untradable securities, `doNotBuy`, `doNotSell` fix their variables at 0.
/// - **Wash sales (household-wide):** keys in `blockedBuyKeys` are not bought in any account;
///   loss lots of keys in `blockedLossSaleKeys` are not sold in taxable accounts. A solution that
///   both buys a key and sells one of its loss lots is solved again with the smaller side fixed
///   at zero (``optimize(_:warmStart:)``), so the exclusion is a fixing of variables, never a
///   non-convex constraint.
/// - **Optional:** net realized gain ≤ budget; one-way turnover ≤ limit; class bands.
///
/// The tracking term is kept in the class space: K extra variables d = J·x (J, K x n, maps a
/// trade to the class weight it moves), so the Hessian is block diagonal, impact·I on the
/// trades and 2λΣ on d, instead of the dense rank-K-plus-diagonal 2λ·JᵀΣJ + impact·I.
///
/// Reference: Moehle, Kochenderfer, Boyd, Ang, "Tax-Aware Portfolio Construction via Convex
/// Optimization", J. Optim. Theory Appl. 189 (2021) 364–383.
public struct TaxAwareOptimizer: Sendable {
    /// The QP engine.
    public var solver: QPSolver
    /// The largest wash-sale rounds (re-solves after fixing a conflict).
    public var maximumRounds: Int
    /// The structured interior point tried first (the dense ``solver`` decides when it does
    /// not converge).
    var structuredSolver = TaxAwareStructuredSolver()

    /// An optimizer with the given engine.
    /// - Complexity: O(1).
    public init(solver: QPSolver = QPSolver(maximumActiveSetIterations: 400, maximumInteriorPointIterations: 400), maximumRounds: Int = 8) {
        self.solver = solver
        self.maximumRounds = maximumRounds
    }

    /// Solves the continuous relaxation with household wash-sale conflicts resolved by fixing
    /// variables: after each solve, a wash-sale key both bought and sold at a loss keeps the
    /// larger side and fixes the other at zero, then the program is solved again (warm start).
    /// - Parameters:
    ///   - problem: The problem.
    ///   - warmStart: An active set from a nearby solve (e.g. the previous tax weight).
    /// - Returns: The optimum of the last round.
    /// - Throws: ``TaxAwareError`` when the data are invalid, the constraints infeasible or the
    ///   engine fails.
    /// - Complexity: per round one QP of n = accounts·securities + lots variables
    ///   (O(n²) to build, O(n_F³) per active-set iteration).
    public func optimize(_ problem: TaxAwareProblem, warmStart: QPActiveSet? = nil) throws(TaxAwareError) -> TaxAwareSolution {
        var current = problem
        var start = warmStart
        var iterations = 0
        for round in 1...Swift.max(1, maximumRounds) {
            var solution = try solveRelaxation(current, warmStart: start)
            iterations += solution.iterations
            let conflicts = Self.washSaleConflicts(current, solution)
            if conflicts.isEmpty || round == maximumRounds {
                solution.iterations = iterations
                solution.rounds = round
                if !conflicts.isEmpty {
                    throw .notSolved("wash-sale conflicts remain after \(round) rounds: \(conflicts.map(\.key).sorted().joined(separator: ", "))")
                }
                return solution
            }
            for conflict in conflicts {
                if conflict.bought >= conflict.lossSold {
                    current.blockedLossSaleKeys.append(conflict.key)
                } else {
                    current.blockedBuyKeys.append(conflict.key)
                }
            }
            start = solution.activeSet
        }
        throw .notSolved("no round ran")
    }

    /// Wash-sale keys bought in some account and sold at a loss in a taxable one, with the
    /// value of each side (currency).
    static func washSaleConflicts(_ problem: TaxAwareProblem, _ solution: TaxAwareSolution) -> [(key: String, bought: Double, lossSold: Double)] {
        let tolerance = 1e-7 * problem.householdValue
        var bought: [String: Double] = [:], lossSold: [String: Double] = [:]
        for a in problem.accounts.indices {
            for (s, security) in problem.securities.enumerated() where solution.sharesBought[a][s] * security.price > tolerance {
                bought[security.washSaleKey, default: 0] += solution.sharesBought[a][s] * security.price
            }
        }
        for (i, lot) in problem.lots.enumerated() where problem.accounts[lot.account].taxable {
            let security = problem.securities[lot.security]
            guard problem.isLossLot(i), solution.sharesSold[i] * security.price > tolerance else { continue }
            lossSold[security.washSaleKey, default: 0] += solution.sharesSold[i] * security.price
        }
        return bought.keys.sorted().compactMap { key in
            guard let sold = lossSold[key] else { return nil }
            return (key, bought[key]!, sold)
        }
    }

    /// Solves the continuous relaxation once, with the wash-sale fixings as given (no rounds):
    /// the program the golden tests compare with cvxpy + Clarabel.
    /// - Throws: ``TaxAwareError``.
    /// - Complexity: one QP, see ``optimize(_:warmStart:)``.
    public func solveRelaxation(_ problem: TaxAwareProblem, warmStart: QPActiveSet? = nil) throws(TaxAwareError) -> TaxAwareSolution {
        try problem.validate()
        let layout = TaxAwareLayout(problem)
        let x: [Double], residuals: KKTResiduals, iterations: Int, activeSet: QPActiveSet
        if let fast = solveStructured(layout, warmStart: warmStart) {
            (x, residuals, iterations, activeSet) = fast
        } else {
            (x, residuals, iterations, activeSet) = try solveDense(layout)
        }
        let (bought, sold) = layout.shares(x)
        let parts = problem.parts(sharesBought: bought, sharesSold: sold)
        return TaxAwareSolution(
            objective: problem.objective(parts), parts: parts, sharesBought: bought, sharesSold: sold,
            weightsAfter: problem.weightsAfter(sharesBought: bought, sharesSold: sold),
            residuals: residuals, iterations: iterations, rounds: 1,
            solvedProblem: problem, activeSet: activeSet)
    }

    /// The structured interior point (``TaxAwareStructuredSolver``) on the trades alone; nil
    /// when it does not converge (the dense engine then decides, and names an infeasibility).
    func solveStructured(_ layout: TaxAwareLayout, warmStart: QPActiveSet?) -> (x: [Double], residuals: KKTResiduals, iterations: Int, activeSet: QPActiveSet)? {
        guard let (program, scale) = layout.structuredProgram() else { return nil }
        let start = warmStart.map { set in
            QPActiveSet(atLower: set.atLower.filter { $0 < program.n }, atUpper: set.atUpper.filter { $0 < program.n && program.upper[$0].isFinite },
                        activeInequalities: set.activeInequalities.filter { $0 < program.rows.count })
        }
        let outcome = structuredSolver.solve(program, warmStart: start)
        guard outcome.converged else { return nil }
        var residuals = outcome.residuals
        residuals.dualFeasibility *= scale
        residuals.complementarity *= scale
        return (outcome.point.x, residuals, outcome.iterations, outcome.point.activeSet(program))
    }

    /// The dense QP engine on the program with explicit class-weight variables.
    func solveDense(_ layout: TaxAwareLayout) throws(TaxAwareError) -> (x: [Double], residuals: KKTResiduals, iterations: Int, activeSet: QPActiveSet) {
        // The objective scaled to unit size (the solution does not change; the engine's
        // tolerances then mean the same for any tracking or tax weight).
        var qp = layout.program()
        var scale = 0.0
        for v in qp.quadratic.elements { scale = Swift.max(scale, abs(v)) }
        for v in qp.linear { scale = Swift.max(scale, abs(v)) }
        if scale > 0 && scale.isFinite {
            qp.quadratic = Matrix(rows: qp.variableCount, columns: qp.variableCount, columnMajor: qp.quadratic.elements.map { $0 / scale })
            qp.linear = qp.linear.map { $0 / scale }
            qp.constant /= scale
        } else {
            scale = 1
        }
        // A structured warm start names trade variables only; the dense engine starts cold.
        var answer = solver.solve(qp, warmStart: nil)
        answer.residuals.dualFeasibility *= scale
        answer.residuals.complementarity *= scale
        switch answer.status {
        case .optimal:
            break
        case .infeasible:
            throw .infeasible(layout.describe(answer.infeasibility))
        case .unbounded, .iterationLimit:
            throw .notSolved("QP engine stopped with status \(answer.status.rawValue) after \(answer.iterations) iterations; largest KKT residual \(answer.residuals.maximum)")
        }
        return (Array(answer.x.prefix(layout.count)), answer.residuals, answer.iterations, answer.activeSet)
    }
}

// MARK: - Objective of any trades

extension TaxAwareProblem {
    /// The household class weights after the given trades (fractions of T; T held fixed,
    /// costs leave as cash).
    /// - Complexity: O(accounts·securities + lots).
    public func weightsAfter(sharesBought: [[Double]], sharesSold: [Double]) -> [Double] {
        let t = householdValue
        var w = [Double](repeating: 0, count: classes.count)
        for lot in lots {
            let s = securities[lot.security]
            w[s.classIndex] += lot.shares * s.price / t
        }
        for a in accounts.indices {
            for (s, security) in securities.enumerated() { w[security.classIndex] += sharesBought[a][s] * security.price / t }
        }
        for (i, lot) in lots.enumerated() {
            let s = securities[lot.security]
            w[s.classIndex] -= sharesSold[i] * s.price / t
        }
        return w
    }

    /// The parts of the objective for the given trades (any trades, feasible or not).
    /// - Complexity: O(K² + accounts·securities + lots).
    public func parts(sharesBought: [[Double]], sharesSold: [Double]) -> TaxAwareObjectiveParts {
        let t = householdValue
        let w = weightsAfter(sharesBought: sharesBought, sharesSold: sharesSold)
        let k = classes.count
        var variance = 0.0
        for i in 0..<k {
            let di = w[i] - targetWeights[i]
            for j in 0..<k { variance += di * covariance[i][j] * (w[j] - targetWeights[j]) }
        }
        var tax = 0.0, gain = 0.0, cost = 0.0, drag = 0.0, traded = 0.0
        func trade(_ value: Double) {
            traded += value
            cost += costRate * value + 0.5 * impact * (value / t) * (value / t) * t
        }
        // Drag of the holdings after trading, per account and security.
        for (i, lot) in lots.enumerated() {
            let s = securities[lot.security]
            let value = sharesSold[i] * s.price
            trade(value)
            drag += accounts[lot.account].locationDrag[s.classIndex] * (lot.shares * s.price - value)
            if accounts[lot.account].taxable {
                let g = value - sharesSold[i] * lot.basisPerShare
                gain += g
                tax += (lot.longTerm ? longTermRate : shortTermRate) * g
            }
        }
        var cashAfter = accounts.map { $0.cash + $0.flow }
        for (i, lot) in lots.enumerated() { cashAfter[lot.account] += sharesSold[i] * securities[lot.security].price * (1 - costRate) }
        for (a, account) in accounts.enumerated() {
            for (s, security) in securities.enumerated() {
                let value = sharesBought[a][s] * security.price
                trade(value)
                drag += account.locationDrag[security.classIndex] * value
                cashAfter[a] -= value * (1 + costRate)
            }
            drag += account.cashDrag * cashAfter[a]
        }
        return TaxAwareObjectiveParts(trackingVariance: variance, tax: tax, netGain: gain, cost: cost, drag: drag, traded: traded)
    }

    /// The objective for the given parts: λ·trackingVariance + (taxWeight·(tax + drag) + cost)/T.
    /// The location drag is a yearly tax, so it carries the tax weight.
    /// - Complexity: O(1) plus ``householdValue``.
    public func objective(_ parts: TaxAwareObjectiveParts) -> Double {
        trackingWeight * parts.trackingVariance + (taxWeight * (parts.tax + parts.drag) + parts.cost) / householdValue
    }
}

// MARK: - The program

/// Variables of the program: one per allowed buy (account, security), then one per allowed lot
/// sale; disallowed trades have no variable (fixed at zero).
struct TaxAwareLayout {
    let problem: TaxAwareProblem
    let value: Double
    /// (account, security) of each buy variable.
    var buys: [(account: Int, security: Int)] = []
    /// Lot index of each sell variable.
    var sells: [Int] = []

    init(_ problem: TaxAwareProblem) {
        self.problem = problem
        value = problem.householdValue
        let blockedBuy = Set(problem.blockedBuyKeys), blockedLoss = Set(problem.blockedLossSaleKeys)
        for (a, account) in problem.accounts.enumerated() {
            let noBuy = Set(account.doNotBuy)
            for (s, security) in problem.securities.enumerated()
            where security.tradable && !noBuy.contains(s) && !blockedBuy.contains(security.washSaleKey) {
                buys.append((a, s))
            }
        }
        for (i, lot) in problem.lots.enumerated() {
            let security = problem.securities[lot.security]
            let account = problem.accounts[lot.account]
            guard security.tradable, !account.doNotSell.contains(lot.security) else { continue }
            if account.taxable && problem.isLossLot(i) && blockedLoss.contains(security.washSaleKey) { continue }
            sells.append(i)
        }
    }

    var count: Int { buys.count + sells.count }

    /// Class and sign (+1 buy, −1 sell) of variable v.
    func classAndSign(_ v: Int) -> (Int, Double) {
        if v < buys.count { return (problem.securities[buys[v].security].classIndex, 1) }
        return (problem.securities[problem.lots[sells[v - buys.count]].security].classIndex, -1)
    }

    /// The parts of the program over the trade variables alone: the linear term (costs, tax,
    /// drag, and the tracking gradient at zero trades), the lot bounds, the inequality rows
    /// (cash per account, gain budget, turnover; sparse), the class bands as bounds on the
    /// class-weight changes d = J·x, and the objective's constant.
    struct Pieces {
        var classOf: [(classIndex: Int, sign: Double)]
        var classGradient: [Double]
        var linear: [Double]
        var upper: [Double]
        var rows: [[(Int, Double)]]
        var rhs: [Double]
        var bandLower: [Double]
        var bandUpper: [Double]
        var constant: Double
    }

    func pieces() -> Pieces {
        let p = problem
        let n = count, k = p.classes.count
        // Weights before trading and the class of each variable.
        let w0 = p.weightsAfter(sharesBought: Array(repeating: Array(repeating: 0, count: p.securities.count), count: p.accounts.count),
                                sharesSold: Array(repeating: 0, count: p.lots.count))
        let classes = (0..<n).map(classAndSign)
        // Gradient of the tracking variance at zero trades: 2Σ(w0 − w*), per class.
        var classGradient = [Double](repeating: 0, count: k)
        var constant = 0.0
        for i in 0..<k {
            for j in 0..<k {
                classGradient[i] += 2 * p.trackingWeight * p.covariance[i][j] * (w0[j] - p.targetWeights[j])
                constant += p.trackingWeight * (w0[i] - p.targetWeights[i]) * p.covariance[i][j] * (w0[j] - p.targetWeights[j])
            }
        }
        var linear = [Double](repeating: 0, count: n)
        var upper = [Double](repeating: .infinity, count: n)
        for lot in p.lots {
            let s = p.securities[lot.security]
            constant += p.taxWeight * p.accounts[lot.account].locationDrag[s.classIndex] * lot.shares * s.price / value
        }
        for account in p.accounts { constant += p.taxWeight * account.cashDrag * (account.cash + account.flow) / value }
        for (v, buy) in buys.enumerated() {
            let s = p.securities[buy.security]
            let account = p.accounts[buy.account]
            linear[v] = p.costRate
                + p.taxWeight * (account.locationDrag[s.classIndex] - account.cashDrag * (1 + p.costRate))
        }
        for (j, i) in sells.enumerated() {
            let v = buys.count + j
            let lot = p.lots[i]
            let s = p.securities[lot.security]
            let account = p.accounts[lot.account]
            var c = p.costRate
                - p.taxWeight * (account.locationDrag[s.classIndex] - account.cashDrag * (1 - p.costRate))
            if account.taxable {
                let rate = lot.longTerm ? p.longTermRate : p.shortTermRate
                c += p.taxWeight * rate * (1 - lot.basisPerShare / s.price)
            }
            linear[v] = c
            upper[v] = lot.shares * s.price / value
        }
        // Inequalities: cash per account, then the gain budget, turnover.
        var rows: [[(Int, Double)]] = [], rhs: [Double] = []
        var cashRows = [[(Int, Double)]](repeating: [], count: p.accounts.count)
        for (v, buy) in buys.enumerated() { cashRows[buy.account].append((v, 1 + p.costRate)) }
        for (j, i) in sells.enumerated() { cashRows[p.lots[i].account].append((buys.count + j, -(1 - p.costRate))) }
        for (a, account) in p.accounts.enumerated() {
            rows.append(cashRows[a])
            rhs.append((account.cash + account.flow - account.reserve) / value)
        }
        if let budget = p.netGainBudget {
            var row: [(Int, Double)] = []
            for (j, i) in sells.enumerated() where p.accounts[p.lots[i].account].taxable {
                let lot = p.lots[i]
                row.append((buys.count + j, 1 - lot.basisPerShare / p.securities[lot.security].price))
            }
            rows.append(row)
            rhs.append(budget / value)
        }
        if let limit = p.turnoverLimit {
            rows.append((0..<n).map { ($0, 1) })
            rhs.append(2 * limit)
        }
        var bandLower = [Double](repeating: -.infinity, count: k), bandUpper = [Double](repeating: .infinity, count: k)
        if let bands = p.classBands {
            for c in 0..<k {
                bandLower[c] = bands[c][0] - w0[c]
                bandUpper[c] = bands[c][1] - w0[c]
            }
        }
        return Pieces(classOf: classes, classGradient: classGradient, linear: linear, upper: upper, rows: rows, rhs: rhs,
                      bandLower: bandLower, bandUpper: bandUpper, constant: constant)
    }

    /// The program for the dense QP engine. Variables: the n trades, then one class-weight
    /// change d_k per class with d = J·x (K equalities). The Hessian is block diagonal,
    /// impact·I on the trades and 2λΣ on d: the low rank of JᵀΣJ is kept in the class space,
    /// and the trades' Hessian is well conditioned whatever the tracking weight.
    func program() -> QuadraticProgram {
        let p = problem
        let n = count, k = p.classes.count
        let parts = pieces()
        let total = n + k
        var q = [Double](repeating: 0, count: total * total)
        for c in 0..<n { q[c + c * total] = p.impact }
        for i in 0..<k { for j in 0..<k { q[(n + i) + (n + j) * total] = 2 * p.trackingWeight * p.covariance[i][j] } }
        var a = [Double](repeating: 0, count: k * total)
        for v in 0..<n { let (kv, sv) = parts.classOf[v]; a[kv + v * k] = sv }
        for i in 0..<k { a[i + (n + i) * k] = -1 }
        let linear = parts.linear + parts.classGradient
        let upper = parts.upper + parts.bandUpper
        let lower = [Double](repeating: 0, count: n) + parts.bandLower
        let m = parts.rows.count
        var g = [Double](repeating: 0, count: m * total)
        for (r, row) in parts.rows.enumerated() { for (v, coefficient) in row { g[r + v * m] += coefficient } }
        return QuadraticProgram(
            quadratic: Matrix(rows: total, columns: total, columnMajor: q), linear: linear, constant: parts.constant,
            equalityMatrix: Matrix(rows: k, columns: total, columnMajor: a), equalityBounds: Array(repeating: 0, count: k),
            inequalityMatrix: Matrix(rows: m, columns: total, columnMajor: g), inequalityBounds: parts.rhs,
            lowerBounds: lower, upperBounds: upper)
    }

    /// The program in its structure for ``TaxAwareStructuredSolver``, over the trades alone,
    /// with the objective divided by `scale`: Hessian impact·I + Jᵀ(2λΣ)J with 2λΣ = L·Lᵀ
    /// (eigenvalues clipped at 0), the tracking gradient folded into the linear term, class
    /// bands as two rows each (±J_c·x).
    /// The scale is the largest Hessian or linear coefficient (so the solver's tolerances
    /// mean the same for any tracking or tax weight).
    /// - Returns: the program and its scale; nil when the covariance cannot be factored.
    /// - Complexity: O(K³ + n·K + rows·n).
    func structuredProgram() -> (program: TaxAwareStructuredQP, scale: Double)? {
        let p = problem
        let n = count, k = p.classes.count
        let parts = pieces()
        var scale = p.impact
        for row in p.covariance { for v in row { scale = Swift.max(scale, abs(2 * p.trackingWeight * v)) } }
        for v in parts.linear + parts.classGradient { scale = Swift.max(scale, abs(v)) }
        guard scale.isFinite && scale > 0 else { return nil }
        var sigma = [Double](repeating: 0, count: k * k)
        for i in 0..<k { for j in 0..<k { sigma[i + j * k] = 2 * p.trackingWeight * p.covariance[i][j] / scale } }
        guard let eigen = try? SymmetricEigendecomposition(Matrix(rows: k, columns: k, columnMajor: sigma)) else { return nil }
        let largest = eigen.eigenvalues.last ?? 0
        var factor: [[Double]] = []
        for (j, e) in eigen.eigenvalues.enumerated() where e > 1e-14 * largest && e > 0 {
            let root = e.squareRoot()
            factor.append((0..<n).map { v in parts.classOf[v].sign * root * eigen.eigenvectors[parts.classOf[v].classIndex, j] })
        }
        var linear = parts.linear
        for v in 0..<n { linear[v] += parts.classOf[v].sign * parts.classGradient[parts.classOf[v].classIndex] }
        var rows: [[Double]] = [], rhs: [Double] = []
        for (r, sparse) in parts.rows.enumerated() {
            var row = [Double](repeating: 0, count: n)
            for (v, coefficient) in sparse { row[v] += coefficient }
            rows.append(row)
            rhs.append(parts.rhs[r])
        }
        for c in 0..<k where parts.bandUpper[c].isFinite || parts.bandLower[c].isFinite {
            let row = (0..<n).map { parts.classOf[$0].classIndex == c ? parts.classOf[$0].sign : 0 }
            if parts.bandUpper[c].isFinite { rows.append(row); rhs.append(parts.bandUpper[c]) }
            if parts.bandLower[c].isFinite { rows.append(row.map { -$0 }); rhs.append(-parts.bandLower[c]) }
        }
        let program = TaxAwareStructuredQP(n: n, alpha: p.impact / scale, factor: factor, linear: linear.map { $0 / scale },
                                           upper: parts.upper, rows: rows, rhs: rhs)
        return (program, scale)
    }

    /// Shares bought per [account][security] and sold per lot from the program's x.
    func shares(_ x: [Double]) -> ([[Double]], [Double]) {
        let p = problem
        var bought = [[Double]](repeating: Array(repeating: 0, count: p.securities.count), count: p.accounts.count)
        var sold = [Double](repeating: 0, count: p.lots.count)
        for (v, buy) in buys.enumerated() {
            bought[buy.account][buy.security] = Swift.max(0, x[v]) * value / p.securities[buy.security].price
        }
        for (j, i) in sells.enumerated() {
            let lot = p.lots[i]
            sold[i] = Swift.min(lot.shares, Swift.max(0, x[buys.count + j]) * value / p.securities[lot.security].price)
        }
        return (bought, sold)
    }

    /// Names the constraints of an infeasibility certificate.
    func describe(_ certificate: QPInfeasibility?) -> String {
        guard let certificate else { return "no certificate" }
        let p = problem
        let names: [String] = certificate.violatedInequalities.map { r in
            if r < p.accounts.count { return "cash of account \(p.accounts[r].id)" }
            var index = r - p.accounts.count
            if p.netGainBudget != nil { if index == 0 { return "net-gain budget" }; index -= 1 }
            if p.turnoverLimit != nil { if index == 0 { return "turnover limit" }; index -= 1 }
            return "row \(r)"
        }
        return "\(names.joined(separator: "; ")) (minimum total violation \(certificate.minimumViolation))"
    }
}

// MARK: - What-ifs

extension TaxAwareOptimizer {
    /// The tax-versus-drift frontier: one optimum per tax weight, each solve warm-started from
    /// the previous one's active set (nearby weights share most of it).
    /// - Parameters:
    ///   - problem: The problem (its own tax weight is ignored).
    ///   - taxWeights: The weights, in the order to solve them (ascending is fastest).
    /// - Returns: One solution per weight, in the same order.
    /// - Throws: ``TaxAwareError`` from the first weight that fails.
    /// - Complexity: `taxWeights.count` calls of ``optimize(_:warmStart:)``.
    public func sweep(_ problem: TaxAwareProblem, taxWeights: [Double]) throws(TaxAwareError) -> [TaxAwareSolution] {
        var out: [TaxAwareSolution] = []
        var start: QPActiveSet?
        for weight in taxWeights {
            var p = problem
            p.taxWeight = weight
            let solution = try optimize(p, warmStart: start)
            start = solution.activeSet
            out.append(solution)
        }
        return out
    }

    /// The optimum whose realized tax is at most `tax` (currency) with the smallest tax weight
    /// found by bisection on a log scale: the optimizer's answer at a given tax bill.
    /// - Parameters:
    ///   - problem: The problem (its tax weight is the starting guess's scale only).
    ///   - tax: The tax bill to match, in currency.
    ///   - range: The tax weights searched.
    ///   - steps: Bisection steps.
    /// - Returns: The solution at the chosen weight and the weight; nil when even the largest
    ///   weight realizes more tax than `tax`.
    /// - Throws: ``TaxAwareError``.
    /// - Complexity: at most `steps + 2` optimizations.
    public func matchingTax(_ problem: TaxAwareProblem, tax: Double, range: ClosedRange<Double> = 1e-4...1e3, steps: Int = 30) throws(TaxAwareError) -> (solution: TaxAwareSolution, taxWeight: Double)? {
        var p = problem
        let slack = 1e-6 * Swift.max(1, problem.householdValue * 1e-6)
        p.taxWeight = range.lowerBound
        let low = try optimize(p)
        if low.parts.tax <= tax + slack { return (low, range.lowerBound) }
        p.taxWeight = range.upperBound
        var best = try optimize(p, warmStart: low.activeSet)
        guard best.parts.tax <= tax + slack else { return nil }
        var lo = log(range.lowerBound), hi = log(range.upperBound)
        var bestWeight = range.upperBound
        var start = best.activeSet
        for _ in 0..<steps {
            let mid = 0.5 * (lo + hi)
            p.taxWeight = exp(mid)
            let s = try optimize(p, warmStart: start)
            start = s.activeSet
            if s.parts.tax <= tax + slack {
                hi = mid
                best = s
                bestWeight = p.taxWeight
            } else {
                lo = mid
            }
        }
        return (best, bestWeight)
    }
}
