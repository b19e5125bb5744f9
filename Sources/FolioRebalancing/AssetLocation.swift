import Foundation

/// Which asset classes go to which kind of account first: the asset-location rules.
///
/// Tax-inefficient classes (bonds and REITs, whose income is taxed as ordinary income each
/// year) go to tax-deferred accounts first; the classes with the highest expected growth go to
/// tax-exempt accounts, where growth is never taxed; tax-efficient equity (qualified dividends,
/// deferred gains, harvestable losses) goes to taxable accounts (Dammon, Spatt & Zhang, "Optimal
/// asset location and allocation with taxable and tax-deferred investing", *Journal of Finance*
/// 59 (2004); Shoven & Sialm, "Asset location in tax-deferred and conventional savings
/// accounts", *Journal of Public Economics* 88 (2004)).
///
/// Each list is in priority order. Classes not listed go wherever room is left.
public struct AssetLocationRules: Sendable, Hashable, Codable {
    /// Classes placed in tax-deferred accounts first, in priority order.
    public var taxDeferred: [String]
    /// Classes placed in tax-exempt accounts first.
    public var taxExempt: [String]
    /// Classes placed in taxable accounts first.
    public var taxable: [String]

    /// Creates rules.
    /// - Parameters:
    ///   - taxDeferred: Classes for tax-deferred accounts, by priority.
    ///   - taxExempt: Classes for tax-exempt accounts, by priority.
    ///   - taxable: Classes for taxable accounts, by priority.
    public init(taxDeferred: [String], taxExempt: [String], taxable: [String]) {
        self.taxDeferred = taxDeferred
        self.taxExempt = taxExempt
        self.taxable = taxable
    }

    /// Folio's default (the `asset_location` default of `policy.yaml`): bonds, high yield, TIPS,
    /// REITs, short Treasuries and commodities to tax-deferred; small caps and emerging markets to
    /// tax-exempt; large caps, international developed, gold and cash to taxable.
    public static let standard = AssetLocationRules(
        taxDeferred: ["us-aggregate-bond", "high-yield", "tips", "reits", "short-treasury", "commodities"],
        taxExempt: ["us-small-cap", "emerging-markets"],
        taxable: ["us-large-cap", "intl-developed", "gold", "cash"])

    /// The classes preferred by a kind of account.
    /// - Parameter kind: The account kind.
    public func preferred(for kind: AccountKind) -> [String] {
        switch kind {
        case .taxDeferred: taxDeferred
        case .taxExempt: taxExempt
        case .taxable: taxable
        }
    }
}

/// A household-level asset-class target spread over accounts.
public struct AssetLocationPlan: Sendable, Hashable, Codable {
    /// An amount of one class placed in one account.
    public struct Placement: Sendable, Hashable, Codable {
        /// The account.
        public var accountID: String
        /// The class.
        public var assetClass: String
        /// The amount placed, in currency (exact).
        public var amount: Decimal
        /// Whether the class was placed by a rule for the account's kind (`true`) or went where
        /// room was left (`false`).
        public var byRule: Bool
        /// Whether the amount was kept where it is held because moving it would cost (a
        /// short-term gain, the tax budget, a wash sale) or is not allowed (a restriction).
        public var isKept: Bool = false
    }

    /// An amount of a class that the rules would move out of an account but that stays there
    /// for now, because moving it would realize tax or is not allowed.
    public struct Deferral: Sendable, Hashable, Codable {
        /// The account that keeps it.
        public var accountID: String
        /// The class.
        public var assetClass: String
        /// The amount kept beyond what the rules alone would place there, in currency (exact).
        public var amount: Decimal
    }

    /// One account's room.
    public struct AccountRoom: Sendable, Hashable, Codable {
        /// The account.
        public var accountID: String
        /// Its kind.
        public var kind: AccountKind
        /// Its investable value (capacity), in currency (exact).
        public var capacity: Decimal
        /// Value of each class that stays in this account whatever the rules say, in currency:
        /// holdings that cannot be sold, or whose sale would realize a short-term gain, exceed
        /// the tax budget or be a wash sale. Placed first (up to the class's household need).
        public var kept: [String: Decimal]

        /// Creates an account's room.
        /// - Parameters:
        ///   - accountID: The account.
        ///   - kind: Its tax treatment.
        ///   - capacity: Its investable value, in currency (≥ 0).
        ///   - kept: Value of each class that stays in the account, in currency (default none).
        public init(accountID: String, kind: AccountKind, capacity: Decimal, kept: [String: Decimal] = [:]) {
            self.accountID = accountID
            self.kind = kind
            self.capacity = capacity
            self.kept = kept
        }
    }

    /// The accounts and their capacities, in household order.
    public var accounts: [AccountRoom]
    /// The placements, in the order made.
    public var placements: [Placement]
    /// The target of each account with positive capacity, by account id (asset-class form, the
    /// household's sleeves with the account's weights).
    public var accountTargets: [String: TargetAllocation]
    /// The household's investable value, the sum of the capacities.
    public var householdValue: Decimal
    /// One sentence per placement decision.
    public var reasoning: [String]
    /// What the rules wanted to move but that stays where it is for now (kept holdings), by
    /// account and class; empty when the rules were followed everywhere.
    public var deferred: [Deferral] = []
}

/// Spreads a household's asset-class target over its accounts by the asset-location rules.
public enum AssetLocation {
    /// Places the household target in the accounts.
    ///
    /// Each class needs `weight × V` where `V` is the sum of the capacities. First, what each
    /// account keeps of a class (``AssetLocationPlan/AccountRoom/kept``) is placed there, up to
    /// the class's need. Then, for the kinds tax-deferred, tax-exempt and taxable in turn, each
    /// class the rules list for that kind (in priority order) fills that kind's accounts
    /// (household order) as far as their room allows. Then what is left of every class (in the
    /// target's order) fills the accounts with room left, in household order. Every account
    /// ends exactly full, so each account's weights sum to 1 and the household's class totals
    /// equal the target. What was kept beyond the rules' own placement is reported in
    /// ``AssetLocationPlan/deferred``.
    /// - Parameters:
    ///   - target: An asset-class target (``TargetAllocation/assetClasses(_:)``).
    ///   - accounts: Each account's id, kind, investable value (currency, ≥ 0) and kept value.
    ///   - rules: The location rules.
    /// - Returns: The placements and one target per account with positive capacity.
    /// - Throws: ``AssetLocationError`` for a security-level target or bad capacities.
    /// - Complexity: O(*c* · *a*) for *c* classes and *a* accounts.
    public static func locate(
        _ target: TargetAllocation, accounts: [AssetLocationPlan.AccountRoom], rules: AssetLocationRules = .standard
    ) throws(AssetLocationError) -> AssetLocationPlan {
        guard target.isByAssetClass else { throw .targetNotByAssetClass }
        var seen = Set<String>()
        for a in accounts {
            if !seen.insert(a.accountID).inserted { throw .duplicateAccount(a.accountID) }
            if a.capacity.isNaN || a.capacity < 0 { throw .invalidCapacity(accountID: a.accountID, capacity: a.capacity) }
            for (_, v) in a.kept where v.isNaN || v < 0 { throw .invalidCapacity(accountID: a.accountID, capacity: v) }
        }
        let weightSum = target.sleeves.reduce(0) { $0 + $1.weight }
        guard weightSum > 0 else { throw .targetNotByAssetClass }
        var filling = Filling(target: target, accounts: accounts)
        let hasKept = accounts.contains { !$0.kept.isEmpty }
        var byRules = filling
        if hasKept {
            byRules.placeByRules(rules)
            filling.placeKept()
        }
        filling.placeByRules(rules)
        var plan = filling.plan()
        if hasKept {
            for (i, a) in accounts.enumerated() {
                for s in target.sleeves {
                    let extra = (filling.placed[i][s.assetClass] ?? 0) - (byRules.placed[i][s.assetClass] ?? 0)
                    if extra > filling.dust && (a.kept[s.assetClass] ?? 0) > filling.dust {
                        plan.deferred.append(.init(accountID: a.accountID, assetClass: s.assetClass, amount: extra))
                    }
                }
            }
        }
        return plan
    }
}

/// The running state of one location: what each class still needs and each account's room.
private struct Filling {
    let target: TargetAllocation
    let accounts: [AssetLocationPlan.AccountRoom]
    let total: Decimal
    let dust: Decimal
    var need: [String: Decimal]
    var room: [Decimal]
    var placed: [[String: Decimal]]
    var placements: [AssetLocationPlan.Placement] = []
    var reasoning: [String] = []

    init(target: TargetAllocation, accounts: [AssetLocationPlan.AccountRoom]) {
        self.target = target
        self.accounts = accounts
        let total = accounts.reduce(Decimal(0)) { $0 + $1.capacity }
        self.total = total
        dust = Decimal(string: "0.000001")!
        let weightSum = target.sleeves.reduce(0) { $0 + $1.weight }
        // A class listed twice (a target built in code; the readers refuse it) adds up rather than traps.
        var need = Dictionary(target.sleeves.map { ($0.assetClass, Self.cents(Decimal($0.weight / weightSum) * total)) }, uniquingKeysWith: +)
        // Cent rounding may leave the needs a few cents off the total: the largest class takes
        // the difference, so the accounts end exactly full.
        if let largest = target.sleeves.max(by: { $0.weight < $1.weight })?.assetClass {
            need[largest]! += total - target.sleeves.reduce(Decimal(0)) { $0 + need[$1.assetClass]! }
        }
        self.need = need
        room = accounts.map(\.capacity)
        placed = Array(repeating: [:], count: accounts.count)
    }

    /// An amount rounded to the cent (half up), so placements add up exactly.
    static func cents(_ x: Decimal) -> Decimal {
        var value = x
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        return rounded
    }

    /// Places up to `limit` of class `c` in account `i`; returns the amount placed.
    @discardableResult
    mutating func place(_ c: String, in i: Int, byRule: Bool, kept: Bool = false, limit: Decimal? = nil) -> Decimal {
        let x = min(need[c]!, room[i], limit ?? need[c]!)
        guard x > dust else { return 0 }
        need[c]! -= x
        room[i] -= x
        placed[i][c, default: 0] += x
        placements.append(.init(accountID: accounts[i].accountID, assetClass: c, amount: x, byRule: byRule, isKept: kept))
        return x
    }

    /// What each account keeps, first, in the target's order of classes.
    mutating func placeKept() {
        for s in target.sleeves {
            for (i, a) in accounts.enumerated() {
                guard let k = a.kept[s.assetClass], k > dust else { continue }
                let x = place(s.assetClass, in: i, byRule: false, kept: true, limit: k)
                if x > 0 {
                    reasoning.append(String(
                        format: "%@ -> %@ (%@): %@ kept where it is held (moving it would realize a short-term gain, exceed the tax budget or break a restriction)",
                        s.assetClass, a.accountID, a.kind.rawValue, "\(x)"))
                }
            }
        }
    }

    /// The rules for each kind of account, then what is left wherever there is room.
    mutating func placeByRules(_ rules: AssetLocationRules) {
        for kind in [AccountKind.taxDeferred, .taxExempt, .taxable] {
            for c in rules.preferred(for: kind) where need[c] != nil {
                for i in accounts.indices where accounts[i].kind == kind && need[c]! > dust {
                    let x = place(c, in: i, byRule: true)
                    if x > 0 {
                        reasoning.append(String(
                            format: "%@ -> %@ (%@): %@ placed by the %@ rule%@", c, accounts[i].accountID, kind.rawValue,
                            "\(x)", kind.rawValue, need[c]! > dust ? "; \(need[c]!) left, account full" : ""))
                    }
                }
            }
        }
        for s in target.sleeves where need[s.assetClass]! > dust {
            for i in accounts.indices where need[s.assetClass]! > dust && room[i] > dust {
                let x = place(s.assetClass, in: i, byRule: false)
                reasoning.append(String(
                    format: "%@ -> %@ (%@): %@ placed where room was left", s.assetClass, accounts[i].accountID,
                    accounts[i].kind.rawValue, "\(x)"))
            }
        }
    }

    /// Each account's target from its placements.
    func plan() -> AssetLocationPlan {
        var targets: [String: TargetAllocation] = [:]
        for (i, a) in accounts.enumerated() where a.capacity > dust {
            // Summed in the target's order: a dictionary's order changes from run to run, and a
            // different order of additions changes the last digit (and byte-identical plans).
            let sum = target.sleeves.reduce(Decimal(0)) { $0 + (placed[i][$1.assetClass] ?? 0) }
            let sleeves = target.sleeves.compactMap { s -> TargetAllocation.Sleeve? in
                guard let x = placed[i][s.assetClass], x > 0 else { return nil }
                return .init(assetClass: s.assetClass, weight: NSDecimalNumber(decimal: x / sum).doubleValue,
                             primary: s.primary, alternates: s.alternates)
            }
            if !sleeves.isEmpty { targets[a.accountID] = .assetClasses(sleeves) }
        }
        return AssetLocationPlan(
            accounts: accounts, placements: placements, accountTargets: targets, householdValue: total, reasoning: reasoning)
    }
}

/// Why a household target could not be located or executed.
public enum AssetLocationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Asset location needs a target by asset class.
    case targetNotByAssetClass
    /// An account id appears twice.
    case duplicateAccount(String)
    /// A capacity is negative or not finite.
    case invalidCapacity(accountID: String, capacity: Decimal)
    /// A held symbol has no price.
    case missingPrice(accountID: String, symbol: String)
    /// The rebalancing engine rejected an account.
    case rebalance(accountID: String, error: RebalanceError)

    /// A readable description naming the account.
    public var description: String {
        switch self {
        case .targetNotByAssetClass: "asset location needs a target by asset class with positive weights"
        case .duplicateAccount(let id): "account '\(id)' appears twice"
        case .invalidCapacity(let id, let c): "account '\(id)': invalid capacity \(c)"
        case .missingPrice(let id, let s): "account '\(id)': no price for '\(s)'"
        case .rebalance(let id, let e): "account '\(id)': \(e)"
        }
    }
}
