/// The numeric data of one household's tax-aware rebalancing problem: accounts, securities,
/// tax lots, the class risk model and the target, in plain numbers (currency units, shares,
/// annual variances), so the same problem can be written to JSON, solved by an independent
/// implementation (`Scripts/golden/tax_aware.py`) and read back.
///
/// The model is the one of Moehle, Kochenderfer, Boyd and Ang, "Tax-Aware Portfolio
/// Construction via Convex Optimization", J. Optim. Theory Appl. 189 (2021): shares bought per
/// account and security, shares sold per lot, tax linear and exact per lot. With `T` the
/// household value before trading (holdings at `price` plus cash), every variable is a value
/// in fractions of `T`: `b[a,s]` the value bought of security `s` in account `a`, `x[l]` the
/// value sold from lot `l`. The objective is
///
///     λ · (w − w*)ᵀ Σ (w − w*)                   tracking error over asset classes (λ = trackingWeight)
///   + taxWeight · Σ_l rate_l · g_l · x[l]          tax of the sales (losses negative), g_l = 1 − basis_l/price
///   + costRate · (Σ b + Σ x) + ½ impact · (Σ b² + Σ x²)    transaction costs
///   + taxWeight · Σ_a Σ_s drag[a, class(s)] · value after[a, s]   yearly asset-location drag (a tax)
///   + taxWeight · Σ_a cashDrag[a] · cash after[a]                  yearly tax on uninvested cash
///
/// with `w` the household's class weights after trading. See ``TaxAwareOptimizer`` for the
/// constraints.
public struct TaxAwareProblem: Sendable, Hashable, Codable {
    /// One security: its price, asset class and wash-sale key.
    public struct Security: Sendable, Hashable, Codable {
        /// The ticker.
        public var symbol: String
        /// Index into ``TaxAwareProblem/classes``.
        public var classIndex: Int
        /// The price per share, in currency (> 0).
        public var price: Double
        /// Securities sharing a key are substantially identical for the wash-sale rule.
        public var washSaleKey: String
        /// Whether the security can be traded at all (false: every variable of it is fixed at 0).
        public var tradable: Bool

        /// A security from its parts.
        /// - Complexity: O(1).
        public init(symbol: String, classIndex: Int, price: Double, washSaleKey: String, tradable: Bool = true) {
            self.symbol = symbol
            self.classIndex = classIndex
            self.price = price
            self.washSaleKey = washSaleKey
            self.tradable = tradable
        }
    }

    /// One account: its tax treatment, cash and restrictions.
    public struct Account: Sendable, Hashable, Codable {
        /// The account id.
        public var id: String
        /// Whether sales realize taxable gains (taxable brokerage account).
        public var taxable: Bool
        /// Cash on hand, in currency.
        public var cash: Double
        /// A pending deposit (positive) or withdrawal (negative), in currency.
        public var flow: Double
        /// Cash that must stay in the account after trading, in currency.
        public var reserve: Double
        /// Indices of securities the account must not buy.
        public var doNotBuy: [Int]
        /// Indices of securities the account must not sell.
        public var doNotSell: [Int]
        /// Yearly tax drag of holding each asset class in this account, as a fraction of the
        /// value held (one value per class; 0 for none).
        public var locationDrag: [Double]
        /// Yearly tax drag of the cash left uninvested after trading, as a fraction of it
        /// (interest taxed as income in a taxable account; 0 elsewhere).
        public var cashDrag: Double

        /// An account from its parts.
        /// - Complexity: O(1).
        public init(id: String, taxable: Bool, cash: Double, flow: Double = 0, reserve: Double = 0,
                    doNotBuy: [Int] = [], doNotSell: [Int] = [], locationDrag: [Double], cashDrag: Double = 0) {
            self.id = id
            self.taxable = taxable
            self.cash = cash
            self.flow = flow
            self.reserve = reserve
            self.doNotBuy = doNotBuy
            self.doNotSell = doNotSell
            self.locationDrag = locationDrag
            self.cashDrag = cashDrag
        }
    }

    /// One tax lot.
    public struct Lot: Sendable, Hashable, Codable {
        /// The lot id (unique within its account).
        public var id: String
        /// Index into ``TaxAwareProblem/accounts``.
        public var account: Int
        /// Index into ``TaxAwareProblem/securities``.
        public var security: Int
        /// Shares held (> 0).
        public var shares: Double
        /// Cost basis per share, in currency (≥ 0).
        public var basisPerShare: Double
        /// Whether a sale today is long-term (held more than a year).
        public var longTerm: Bool

        /// A lot from its parts.
        /// - Complexity: O(1).
        public init(id: String, account: Int, security: Int, shares: Double, basisPerShare: Double, longTerm: Bool) {
            self.id = id
            self.account = account
            self.security = security
            self.shares = shares
            self.basisPerShare = basisPerShare
            self.longTerm = longTerm
        }
    }

    /// The asset classes, in the order of ``covariance`` and ``targetWeights``.
    public var classes: [String]
    /// The class covariance Σ (annual, K x K, symmetric positive semidefinite).
    public var covariance: [[Double]]
    /// The target class weights w* (fractions of the household; their sum may be below 1,
    /// the rest being cash).
    public var targetWeights: [Double]
    /// The securities.
    public var securities: [Security]
    /// The accounts.
    public var accounts: [Account]
    /// The tax lots of every account.
    public var lots: [Lot]
    /// The tax rate on short-term gains (fraction).
    public var shortTermRate: Double
    /// The tax rate on long-term gains (fraction).
    public var longTermRate: Double
    /// The weight λ of the tracking variance (risk aversion): λ·(w − w*)ᵀΣ(w − w*) is in the
    /// same units as costs and tax, fractions of the household value.
    public var trackingWeight: Double
    /// The weight of one unit of tax (as a fraction of the household value) against one unit
    /// of tracking variance.
    public var taxWeight: Double
    /// Linear transaction cost, as a fraction of the value traded (spread and commission).
    public var costRate: Double
    /// Quadratic trading cost coefficient (market impact; > 0, it also makes the program
    /// strictly convex): ½ · impact · (value traded / T)² per trade.
    public var impact: Double
    /// The largest net realized gain of the taxable accounts, in currency; nil for no budget.
    public var netGainBudget: Double?
    /// The largest one-way turnover (Σ bought + Σ sold) / (2T); nil for no limit.
    public var turnoverLimit: Double?
    /// Lower and upper bounds on each class weight after trading; nil for none.
    public var classBands: [[Double]]?
    /// Wash-sale keys the household must not buy today (a loss was sold within the window).
    public var blockedBuyKeys: [String]
    /// Wash-sale keys whose loss lots must not be sold today (bought within the window, or
    /// bought by this plan).
    public var blockedLossSaleKeys: [String]

    /// A problem from its parts; see the properties for the units.
    /// - Complexity: O(1).
    public init(
        classes: [String], covariance: [[Double]], targetWeights: [Double],
        securities: [Security], accounts: [Account], lots: [Lot],
        shortTermRate: Double, longTermRate: Double, trackingWeight: Double = 100, taxWeight: Double,
        costRate: Double = 0.0005, impact: Double = 0.01,
        netGainBudget: Double? = nil, turnoverLimit: Double? = nil, classBands: [[Double]]? = nil,
        blockedBuyKeys: [String] = [], blockedLossSaleKeys: [String] = []
    ) {
        self.classes = classes
        self.covariance = covariance
        self.targetWeights = targetWeights
        self.securities = securities
        self.accounts = accounts
        self.lots = lots
        self.shortTermRate = shortTermRate
        self.longTermRate = longTermRate
        self.trackingWeight = trackingWeight
        self.taxWeight = taxWeight
        self.costRate = costRate
        self.impact = impact
        self.netGainBudget = netGainBudget
        self.turnoverLimit = turnoverLimit
        self.classBands = classBands
        self.blockedBuyKeys = blockedBuyKeys
        self.blockedLossSaleKeys = blockedLossSaleKeys
    }

    /// The household value T before trading: every lot at its price plus every account's cash,
    /// in currency.
    /// - Complexity: O(lots + accounts).
    public var householdValue: Double {
        var total = accounts.reduce(0) { $0 + $1.cash }
        for lot in lots { total += lot.shares * securities[lot.security].price }
        return total
    }

    /// Whether a sale of lot `l` realizes a loss net of the spread: its basis per share above
    /// the price less the spread (`costRate`). The rebalancing engine's rule for the wash-sale
    /// exclusions, so a lot with a gain smaller than the spread is a loss lot on both sides.
    /// - Complexity: O(1).
    public func isLossLot(_ l: Int) -> Bool {
        let lot = lots[l]
        return lot.basisPerShare > securities[lot.security].price * (1 - costRate)
    }

    /// Checks shapes, indices and signs.
    /// - Throws: ``TaxAwareError/invalidProblem(_:)`` naming the first problem and where.
    /// - Complexity: O(K² + securities + accounts·K + lots).
    public func validate() throws(TaxAwareError) {
        let k = classes.count
        func fail(_ message: String) -> TaxAwareError { .invalidProblem(message) }
        guard k > 0 else { throw fail("no asset classes") }
        guard covariance.count == k, covariance.allSatisfy({ $0.count == k }) else {
            throw fail("covariance must be \(k) x \(k) (one row and column per class)")
        }
        for i in 0..<k {
            for j in 0..<k where !covariance[i][j].isFinite || abs(covariance[i][j] - covariance[j][i]) > 1e-12 * (1 + abs(covariance[i][j])) {
                throw fail("covariance[\(i)][\(j)] is not finite or not symmetric (class \(classes[i]) / \(classes[j]))")
            }
            if covariance[i][i] < 0 { throw fail("covariance[\(i)][\(i)] is negative (class \(classes[i]))") }
        }
        guard targetWeights.count == k else { throw fail("targetWeights has \(targetWeights.count) values for \(k) classes") }
        for (i, w) in targetWeights.enumerated() where !(w >= 0 && w <= 1) {
            throw fail("targetWeights[\(i)] = \(w) is outside [0, 1] (class \(classes[i]))")
        }
        for (i, s) in securities.enumerated() {
            guard s.classIndex >= 0 && s.classIndex < k else { throw fail("security \(s.symbol) (index \(i)) has class index \(s.classIndex) outside 0..<\(k)") }
            guard s.price.isFinite && s.price > 0 else { throw fail("security \(s.symbol) (index \(i)) has price \(s.price); it must be positive") }
        }
        for (a, account) in accounts.enumerated() {
            guard account.locationDrag.count == k else { throw fail("account \(account.id) (index \(a)) has \(account.locationDrag.count) location drags for \(k) classes") }
            for v in [account.cash, account.flow, account.reserve] where !v.isFinite {
                throw fail("account \(account.id) (index \(a)) has a non-finite cash, flow or reserve")
            }
            guard account.cashDrag.isFinite, account.locationDrag.allSatisfy(\.isFinite) else { throw fail("account \(account.id) (index \(a)) has a non-finite drag") }
            guard account.cash >= 0, account.reserve >= 0 else { throw fail("account \(account.id) (index \(a)) has negative cash or reserve") }
            for s in account.doNotBuy + account.doNotSell where s < 0 || s >= securities.count {
                throw fail("account \(account.id) (index \(a)) restricts security index \(s) outside 0..<\(securities.count)")
            }
        }
        for (i, lot) in lots.enumerated() {
            guard lot.account >= 0 && lot.account < accounts.count else { throw fail("lot \(lot.id) (index \(i)) names account index \(lot.account)") }
            guard lot.security >= 0 && lot.security < securities.count else { throw fail("lot \(lot.id) (index \(i)) names security index \(lot.security)") }
            guard lot.shares.isFinite && lot.shares > 0 else { throw fail("lot \(lot.id) (index \(i)) has \(lot.shares) shares; it must be positive") }
            guard lot.basisPerShare.isFinite && lot.basisPerShare >= 0 else { throw fail("lot \(lot.id) (index \(i)) has basis per share \(lot.basisPerShare)") }
        }
        for (name, rate) in [("shortTermRate", shortTermRate), ("longTermRate", longTermRate)] where !(rate >= 0 && rate < 1) {
            throw fail("\(name) = \(rate) is outside [0, 1)")
        }
        guard trackingWeight.isFinite && trackingWeight > 0 else { throw fail("trackingWeight = \(trackingWeight); it must be finite and positive") }
        guard taxWeight.isFinite && taxWeight >= 0 else { throw fail("taxWeight = \(taxWeight); it must be finite and non-negative") }
        guard costRate.isFinite && costRate >= 0 && costRate < 1 else { throw fail("costRate = \(costRate) is outside [0, 1)") }
        guard impact.isFinite && impact > 0 else { throw fail("impact = \(impact); it must be positive (it makes the program strictly convex)") }
        if let limit = turnoverLimit, !(limit >= 0) { throw fail("turnoverLimit = \(limit) is negative") }
        if let budget = netGainBudget, !budget.isFinite { throw fail("netGainBudget is not finite") }
        if let bands = classBands {
            guard bands.count == k, bands.allSatisfy({ $0.count == 2 && $0[0] <= $0[1] }) else {
                throw fail("classBands must hold one [lower, upper] pair per class with lower ≤ upper")
            }
        }
        guard householdValue > 0 else { throw fail("the household has no value (no cash and no lots)") }
    }
}

/// Why a tax-aware optimization could not be made.
public enum TaxAwareError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problem data are malformed (message names the field and index).
    case invalidProblem(String)
    /// The constraints cannot all hold (message names the constraint set and the rows).
    case infeasible(String)
    /// The QP engine stopped without meeting its tolerances (status and residuals).
    case notSolved(String)
    /// The household, prices or securities cannot be turned into a problem (message names
    /// the account, symbol or class).
    case invalidHousehold(String)
    /// A risk model cannot be estimated from the price history (message names the security
    /// without a history, or the number of dates against the number needed).
    case riskModel(String)

    /// One line naming the problem and where.
    public var description: String {
        switch self {
        case .invalidProblem(let m): "tax-aware problem: \(m)"
        case .infeasible(let m): "tax-aware problem is infeasible: \(m)"
        case .notSolved(let m): "tax-aware problem not solved: \(m)"
        case .invalidHousehold(let m): "tax-aware household: \(m)"
        case .riskModel(let m): "tax-aware risk model: \(m)"
        }
    }
}
