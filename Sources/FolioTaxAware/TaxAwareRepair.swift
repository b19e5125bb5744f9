import Foundation

/// The tax-aware objective of whole-share trades, kept incrementally: the class-weight gap
/// `Σ·(w − w*)` and the running parts, so that the objective change of one trade (one share, or
/// one whole trade of a plan) is O(1) after an O(K²) start, instead of a full re-evaluation.
///
/// With `d` the class-weight change of a trade in class `k` (its value over T, signed), the
/// tracking variance changes by `2·d·(Σ(w − w*))_k + d²·Σ_kk`; tax, drag and cost are linear
/// or separable per variable.
struct TaxAwareObjectiveState {
    let problem: TaxAwareProblem
    /// The household value T.
    let value: Double
    /// Σ·(w − w*) at the current trades.
    var gradient: [Double]
    /// The tracking variance (w − w*)ᵀΣ(w − w*) at the current trades.
    var variance: Double

    /// The state at the given trades.
    /// - Complexity: O(K² + accounts·securities + lots).
    init(_ problem: TaxAwareProblem, sharesBought: [[Double]], sharesSold: [Double]) {
        self.problem = problem
        value = problem.householdValue
        let w = problem.weightsAfter(sharesBought: sharesBought, sharesSold: sharesSold)
        let k = problem.classes.count
        var g = [Double](repeating: 0, count: k)
        var v = 0.0
        for i in 0..<k {
            for j in 0..<k { g[i] += problem.covariance[i][j] * (w[j] - problem.targetWeights[j]) }
            v += (w[i] - problem.targetWeights[i]) * g[i]
        }
        gradient = g
        variance = v
    }

    /// The variance change of moving class `k`'s weight by `d`.
    /// - Complexity: O(1).
    func varianceChange(class k: Int, by d: Double) -> Double {
        2 * d * gradient[k] + d * d * problem.covariance[k][k]
    }

    /// Moves class `k`'s weight by `d`.
    /// - Complexity: O(K).
    mutating func move(class k: Int, by d: Double) {
        variance += varianceChange(class: k, by: d)
        for i in gradient.indices { gradient[i] += problem.covariance[i][k] * d }
    }

    /// The cost of a trade of `v` currency on one variable: spread plus impact.
    func cost(_ v: Double) -> Double { problem.costRate * v + 0.5 * problem.impact * v * v / value }
}

/// The bounded local search that repairs a whole-share plan after rounding: ±1 share moves on
/// the lines whose whole-share trade is furthest from the relaxation's, each accepted only when
/// it lowers the optimizer's objective and every constraint still holds (cash and reserve per
/// account, lot sizes, restrictions, the minimum trade, household wash sales, the gain budget,
/// turnover and class bands). The best move of each pass is taken; the search stops when no
/// move improves or after `maximumMoves`.
///
/// Sales fill an account's lots of a security in `lotOrder` (the order handed to the engine),
/// so the repaired shares can be given back to the rebalancing layer and planned again exactly.
struct TaxAwareRepair {
    /// The problem solved (with the wash-sale keys its rounds blocked).
    let problem: TaxAwareProblem
    /// The smallest gross trade, in currency (the policy's minimum trade, at least a cent).
    let minimumTrade: Double
    /// The commission per trade, in currency.
    let commission: Double
    /// Lot indices per account, in the order the engine sells them.
    let lotOrder: [[Int]]
    /// Shares bought per [account][security].
    var bought: [[Double]]
    /// Shares sold per lot.
    var sold: [Double]
    /// The objective's state at the current trades.
    var state: TaxAwareObjectiveState
    /// Cash after trading per account, in currency (costs and commissions paid).
    var cashAfter: [Double]
    /// Net realized gain of the taxable accounts, in currency.
    var netGain: Double
    /// Value bought plus sold, in currency.
    var traded: Double
    /// Moves accepted.
    var moves = 0
    /// Shares sold per [account][security].
    var lineSold: [[Double]]
    /// Lot indices per [account][security], in sale order.
    let lineLots: [[[Int]]]
    /// Lines bought, per wash-sale key (household-wide).
    var boughtLines: [String: Int] = [:]
    /// Loss lots with shares sold in a taxable account, per wash-sale key.
    var lossLotsSold: [String: Int] = [:]

    /// One ±1 share move on an (account, security) line.
    enum Move: Equatable {
        case buy(account: Int, security: Int, shares: Double)
        case sell(lot: Int, shares: Double)
    }

    /// A search starting at the given whole-share trades.
    /// - Complexity: O(K² + accounts·securities + lots).
    init(problem: TaxAwareProblem, minimumTrade: Double, commission: Double, lotOrder: [[Int]],
         bought: [[Double]], sold: [Double]) {
        self.problem = problem
        self.minimumTrade = Swift.max(0.01, minimumTrade)
        self.commission = commission
        self.lotOrder = lotOrder
        self.bought = bought
        self.sold = sold
        state = TaxAwareObjectiveState(problem, sharesBought: bought, sharesSold: sold)
        var cash = problem.accounts.map { $0.cash + $0.flow }
        var gain = 0.0, volume = 0.0
        for (i, lot) in problem.lots.enumerated() where sold[i] > 0 {
            let p = problem.securities[lot.security].price
            cash[lot.account] += sold[i] * p * (1 - problem.costRate)
            volume += sold[i] * p
            if problem.accounts[lot.account].taxable { gain += sold[i] * (p - lot.basisPerShare) }
        }
        for a in problem.accounts.indices {
            for (s, security) in problem.securities.enumerated() where bought[a][s] > 0 {
                cash[a] -= bought[a][s] * security.price * (1 + problem.costRate)
                volume += bought[a][s] * security.price
            }
        }
        var perLine = [[Double]](repeating: Array(repeating: 0, count: problem.securities.count), count: problem.accounts.count)
        var lotsOfLine = [[[Int]]](repeating: Array(repeating: [], count: problem.securities.count), count: problem.accounts.count)
        for (a, order) in lotOrder.enumerated() {
            for l in order { lotsOfLine[a][problem.lots[l].security].append(l) }
        }
        for (i, lot) in problem.lots.enumerated() { perLine[lot.account][lot.security] += sold[i] }
        // Commissions: one per traded line.
        for a in problem.accounts.indices {
            for s in problem.securities.indices where bought[a][s] > 0 || perLine[a][s] > 0 { cash[a] -= commission }
        }
        lineSold = perLine
        lineLots = lotsOfLine
        for a in problem.accounts.indices {
            for (s, security) in problem.securities.enumerated() where bought[a][s] > 0 { boughtLines[security.washSaleKey, default: 0] += 1 }
        }
        cashAfter = cash
        netGain = gain
        traded = volume
        for i in problem.lots.indices where sold[i] > 0 && isTaxableLoss(i) {
            lossLotsSold[problem.securities[problem.lots[i].security].washSaleKey, default: 0] += 1
        }
    }

    /// Whether a lot is a loss lot in a taxable account (its sale is subject to wash sales).
    func isTaxableLoss(_ l: Int) -> Bool {
        let lot = problem.lots[l]
        return problem.accounts[lot.account].taxable && problem.isLossLot(l)
    }

    /// The objective change of a move (objective units), or nil when a constraint would break.
    /// - Complexity: O(securities + lots of the account) for the wash-sale and line checks.
    func change(_ move: Move) -> Double? {
        let t = state.value
        let taxWeight = problem.taxWeight
        switch move {
        case .buy(let a, let s, let q):
            let security = problem.securities[s], account = problem.accounts[a]
            let old = bought[a][s], new = old + q
            guard new >= -1e-9 else { return nil }
            let p = security.price
            if q > 0 {
                guard security.tradable, !account.doNotBuy.contains(s), !problem.blockedBuyKeys.contains(security.washSaleKey),
                      lineSold[a][s] == 0, (lossLotsSold[security.washSaleKey] ?? 0) == 0 else { return nil }
                let extraCommission = old == 0 ? commission : 0
                guard cashAfter[a] - q * p * (1 + problem.costRate) - extraCommission >= account.reserve - 1e-6 else { return nil }
                if let limit = problem.turnoverLimit, (traded + q * p) / (2 * t) > limit + 1e-12 { return nil }
            }
            if new > 1e-9 && new * p < minimumTrade { return nil }
            let d = q * p / t
            guard bandsHold(class: security.classIndex, by: d) else { return nil }
            let cashChange = -q * p * (1 + problem.costRate) - (old == 0 ? commission : 0) + (new <= 1e-9 ? commission : 0)
            let drag = account.locationDrag[security.classIndex] * q * p + account.cashDrag * cashChange
            let cost = state.cost(new * p) - state.cost(old * p)
            return problem.trackingWeight * state.varianceChange(class: security.classIndex, by: d) + (taxWeight * drag + cost) / t
        case .sell(let l, let q):
            let lot = problem.lots[l]
            let security = problem.securities[lot.security], account = problem.accounts[lot.account]
            let old = sold[l], new = old + q
            guard new >= -1e-9, new <= lot.shares + 1e-9 else { return nil }
            let p = security.price
            let lineSold = self.lineSold[lot.account][lot.security]
            if q > 0 {
                guard security.tradable, !account.doNotSell.contains(lot.security), bought[lot.account][lot.security] == 0 else { return nil }
                if isTaxableLoss(l) {
                    guard !problem.blockedLossSaleKeys.contains(security.washSaleKey), (boughtLines[security.washSaleKey] ?? 0) == 0 else { return nil }
                }
                if let limit = problem.turnoverLimit, (traded + q * p) / (2 * t) > limit + 1e-12 { return nil }
            }
            let lineAfter = lineSold + q
            if lineAfter > 1e-9 && lineAfter * p < minimumTrade { return nil }
            let commissionChange = (lineSold <= 1e-9 && lineAfter > 1e-9 ? commission : 0) - (lineSold > 1e-9 && lineAfter <= 1e-9 ? commission : 0)
            let cashChange = q * p * (1 - problem.costRate) - commissionChange
            guard cashChange >= 0 || cashAfter[lot.account] + cashChange >= account.reserve - 1e-6 else { return nil }
            var gain = 0.0, tax = 0.0
            if account.taxable {
                gain = q * (p - lot.basisPerShare)
                tax = (lot.longTerm ? problem.longTermRate : problem.shortTermRate) * gain
                if let budget = problem.netGainBudget, gain > 0, netGain + gain > budget + 1e-6 { return nil }
            }
            let d = -q * p / t
            guard bandsHold(class: security.classIndex, by: d) else { return nil }
            let drag = -account.locationDrag[security.classIndex] * q * p + account.cashDrag * cashChange
            let cost = state.cost(new * p) - state.cost(old * p)
            return problem.trackingWeight * state.varianceChange(class: security.classIndex, by: d) + (taxWeight * (tax + drag) + cost) / t
        }
    }

    /// Applies a move (assumed allowed).
    /// - Complexity: O(K + lots of the line).
    mutating func apply(_ move: Move) {
        let t = state.value
        switch move {
        case .buy(let a, let s, let q):
            let p = problem.securities[s].price
            let old = bought[a][s]
            bought[a][s] = Swift.max(0, old + q)
            cashAfter[a] += -q * p * (1 + problem.costRate) - (old == 0 ? commission : 0) + (bought[a][s] == 0 ? commission : 0)
            let key = problem.securities[s].washSaleKey
            if old == 0 && bought[a][s] > 0 { boughtLines[key, default: 0] += 1 }
            if old > 0 && bought[a][s] == 0 { boughtLines[key, default: 0] -= 1 }
            traded += q * p
            state.move(class: problem.securities[s].classIndex, by: q * p / t)
        case .sell(let l, let q):
            let lot = problem.lots[l]
            let p = problem.securities[lot.security].price
            let lineSold = self.lineSold[lot.account][lot.security]
            let oldLot = sold[l]
            sold[l] = Swift.max(0, sold[l] + q)
            self.lineSold[lot.account][lot.security] = lineSold + q
            if isTaxableLoss(l) {
                let key = problem.securities[lot.security].washSaleKey
                if oldLot == 0 && sold[l] > 0 { lossLotsSold[key, default: 0] += 1 }
                if oldLot > 0 && sold[l] == 0 { lossLotsSold[key, default: 0] -= 1 }
            }
            let lineAfter = lineSold + q
            let commissionChange = (lineSold <= 1e-9 && lineAfter > 1e-9 ? commission : 0) - (lineSold > 1e-9 && lineAfter <= 1e-9 ? commission : 0)
            cashAfter[lot.account] += q * p * (1 - problem.costRate) - commissionChange
            traded += q * p
            if problem.accounts[lot.account].taxable { netGain += q * (p - lot.basisPerShare) }
            state.move(class: problem.securities[lot.security].classIndex, by: -q * p / t)
        }
        moves += 1
    }

    func bandsHold(class k: Int, by d: Double) -> Bool {
        guard let bands = problem.classBands else { return true }
        let w = problem.targetWeights[k] + weightGap(k) + d
        return w >= bands[k][0] - 1e-12 && w <= bands[k][1] + 1e-12
    }

    /// w_k − w*_k at the current trades.
    func weightGap(_ k: Int) -> Double {
        problem.weightsAfter(sharesBought: bought, sharesSold: sold)[k] - problem.targetWeights[k]
    }

    /// The ±1 share moves of one (account, security) line: one more or one fewer bought; one
    /// more sold from the first lot (in sale order) with a whole share left, one fewer from
    /// the last lot sold.
    func moves(account a: Int, security s: Int) -> [Move] {
        var result: [Move] = [.buy(account: a, security: s, shares: 1)]
        if bought[a][s] >= 1 { result.append(.buy(account: a, security: s, shares: -1)) }
        let lots = lineLots[a][s]
        if let next = lots.first(where: { problem.lots[$0].shares - sold[$0] >= 1 - 1e-9 && change(.sell(lot: $0, shares: 1)) != nil }) {
            result.append(.sell(lot: next, shares: 1))
        }
        if let last = lots.last(where: { sold[$0] >= 1 - 1e-9 }) { result.append(.sell(lot: last, shares: -1)) }
        return result
    }

    /// Runs the search over the given lines (most residual first) until no move improves the
    /// objective by more than `tolerance` or `maximumMoves` moves were taken.
    /// - Complexity: O(maximumMoves · lines · (securities + lots of an account)).
    mutating func run(lines: [(account: Int, security: Int)], maximumMoves: Int, tolerance: Double = 1e-13) {
        while moves < maximumMoves {
            var best: (Move, Double)?
            for line in lines {
                for move in moves(account: line.account, security: line.security) {
                    guard let delta = change(move), delta < -tolerance else { continue }
                    if best == nil || delta < best!.1 { best = (move, delta) }
                }
            }
            guard let (move, _) = best else { return }
            apply(move)
        }
    }
}
