import Foundation
import FolioRebalancing

/// A rebalancing policy as a policy file states it: the `RebalancePolicy` shared by every
/// account, plus what applies per account (pending cash flows, restrictions, specific lots)
/// and the household's asset-location rules.
public struct PolicyFile: Sendable, Equatable {
    /// A deposit (positive) or withdrawal (negative) to carry out now.
    public struct CashFlow: Sendable, Equatable {
        /// The account, or nil when the holdings have a single account.
        public var account: String?
        /// The amount in currency; positive deposits, negative withdrawals.
        public var amount: Decimal
        /// A note for the advisor.
        public var note: String?
    }

    /// Symbols an account (or every account) may not sell or buy.
    public struct Restriction: Sendable, Equatable {
        /// The account, or nil for every account.
        public var account: String?
        /// Symbols never sold.
        public var doNotSell: [String]
        /// Symbols never bought.
        public var doNotBuy: [String]
    }

    /// The policy for every account, with no cash flow.
    public var policy: RebalancePolicy
    /// Pending flows, in file order.
    public var pendingFlows: [CashFlow]
    /// Restrictions, in file order.
    public var restrictions: [Restriction]
    /// Lot order for `specific` lot selection: account -> symbol -> lot ids.
    public var specificLots: [String: [String: [String]]]
    /// Asset classes placed first in each kind of account, in priority order.
    public var assetLocation: [AccountKind: [String]]
    /// `asset_location.scope`: whether a holdings file with several accounts is rebalanced as
    /// one household (asset location across the accounts, the default) or account by account.
    public var assetLocationScope: AssetLocationScope
    /// `mode: optimized`: the tax-aware optimizer's settings (section `optimizer`); nil for the
    /// rules modes. The engine still runs `to-target` on the optimizer's per-account targets.
    public var optimizer: OptimizerSettings?
    /// Whether the file set a tax rate (`taxes.short_term_rate` or `taxes.long_term_rate`);
    /// a rate the file does not set is taken from the client profile, when one is given.
    public var setsTaxRates: Bool { policy.shortTermTaxRate != nil || policy.longTermTaxRate != nil }
    /// `trading.invest_leftover_cash` (default `true`), the same as
    /// `policy.investLeftoverCash`.
    public var investLeftoverCash: Bool {
        get { policy.investLeftoverCash }
        set { policy.investLeftoverCash = newValue }
    }

    /// The default asset location of `Documentation/FileFormats.md`.
    public static let defaultAssetLocation: [AccountKind: [String]] = [
        .taxDeferred: ["us-aggregate-bond", "high-yield", "tips", "reits", "short-treasury", "commodities"],
        .taxExempt: ["us-small-cap", "emerging-markets"],
        .taxable: ["us-large-cap", "intl-developed", "gold", "cash"],
    ]

    /// The file's defaults: trigger always, to target, tax-minimizing lots in taxable accounts
    /// (other accounts always sell FIFO), no reserve, no costs, no tax rates (a client
    /// profile's apply; without them the tax is reported as not estimated), wash-sale window
    /// 30 days, no harvesting, leftover cash invested.
    public init() {
        policy = RebalancePolicy(trigger: .always, lotMethod: .taxMinimizing, shortTermTaxRate: nil, longTermTaxRate: nil)
        pendingFlows = []
        restrictions = []
        specificLots = [:]
        assetLocation = Self.defaultAssetLocation
        assetLocationScope = .household
    }

    /// The asset-location rules of `asset_location`, for `HouseholdPlanner`.
    public var assetLocationRules: AssetLocationRules {
        AssetLocationRules(taxDeferred: assetLocation[.taxDeferred] ?? [], taxExempt: assetLocation[.taxExempt] ?? [],
                           taxable: assetLocation[.taxable] ?? [])
    }

    /// What this file says a run knows: each account's pending flows (flows without an
    /// account go to the only account) and, with `lot_method: specific`, its lots in order.
    ///
    /// - Parameters:
    ///   - accountIDs: the holdings' accounts.
    ///   - extraFlows: flows from the command line, by account id, added to the file's.
    public func context(for accountIDs: [String], extraFlows: [String: Decimal] = [:]) -> PlanContext {
        var flows: [String: Decimal] = [:]
        var lots: [String: [String]] = [:]
        for id in accountIDs {
            flows[id] = pendingFlows.filter { $0.account == id || ($0.account == nil && accountIDs.count == 1) }
                .reduce(extraFlows[id] ?? 0) { $0 + $1.amount }
            if case .specificLots = policy.lotMethod {
                lots[id] = specificLots[id]?.sorted { $0.key < $1.key }.flatMap(\.value) ?? []
            }
        }
        return PlanContext(lastRebalanceDate: policy.lastRebalanceDate, cashFlows: flows,
                           recentTransactions: policy.recentTransactions, specificLots: lots)
    }

    /// The standing rules shared by every account: the file's policy without the facts of the
    /// run (``context(for:extraFlows:)`` carries those).
    public var standingPolicy: RebalancePolicy {
        var result = policy
        result.pendingCashFlow = 0
        result.lastRebalanceDate = nil
        result.recentTransactions = []
        if case .specificLots = result.lotMethod { result.lotMethod = .specificLots([]) }
        return result
    }

    /// The accounts with this file's restrictions added to their own.
    public func applyingRestrictions(to accounts: [Account]) -> [Account] {
        accounts.map { account in
            var account = account
            for r in restrictions where r.account == nil || r.account == account.id {
                account.doNotSell.formUnion(r.doNotSell)
                account.doNotBuy.formUnion(r.doNotBuy)
            }
            return account
        }
    }
}

/// The `optimizer` section of a policy with `mode: optimized` (Documentation/FileFormats.md).
public struct OptimizerSettings: Sendable, Equatable {
    /// `tax_weight`: a dollar of tax (and of yearly location drag) against a dollar of
    /// trading cost (default 1).
    public var taxWeight: Double = 1
    /// `tracking_weight`: the weight λ of the tracking variance (default 100).
    public var trackingWeight: Double = 100
    /// `risk_model`: where the class covariance comes from: `capital-market-assumptions`
    /// (the default), or an estimator over a prices history: `sample`, `ledoit-wolf`, `ewma`.
    public var riskModel: String = "capital-market-assumptions"
    /// `prices`: the prices history an estimated risk model reads (a path relative to the
    /// policy file's folder); nil: the run's prices file (`folio rebalance --prices`).
    public var pricesHistory: URL?
    /// The risk models a policy can name.
    public static let riskModels = ["capital-market-assumptions", "sample", "ledoit-wolf", "ewma"]
    /// `turnover_limit`: the largest one-way turnover as a fraction of the household; nil for none.
    public var turnoverLimit: Double?

    /// The defaults.
    /// - Complexity: O(1).
    public init() {}
}

/// How a holdings file with several accounts is rebalanced (`asset_location.scope`).
public enum AssetLocationScope: String, Sendable, Equatable {
    /// The accounts are one household: the target is spread over them by the asset-location
    /// rules (`HouseholdPlanner`) and each account trades to its share.
    case household
    /// Every account is rebalanced to the whole target on its own.
    case perAccount = "per-account"
}

/// Reads a policy file (YAML or JSON); every key is optional and an unknown key is an error.
/// The format is specified in `Documentation/FileFormats.md` ("policy.yaml").
public enum PolicyReader {
    /// Reads the policy file at `url`.
    ///
    /// - Throws: `FileError` listing every problem with its line and column.
    public static func read(contentsOf url: URL) throws(FileError) -> PolicyFile {
        try parse(HoldingsReader.readText(url), file: url.path)
    }

    /// Parses policy YAML or JSON text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(FileError) -> PolicyFile {
        var doc = try YAMLDocument(parsing: text, file: file)
        var result = PolicyFile()
        guard let root = doc.root, !root.isNull else { return result }
        let top = doc.fields(root, "a mapping of policy sections", allowed: [
            "trigger", "calendar", "bands", "mode", "cash", "trading", "costs", "taxes", "wash_sale",
            "tax_loss_harvesting", "restrictions", "asset_location", "optimizer"])
        var policy = result.policy

        var frequency: RebalancePolicy.Frequency? = nil
        if let calendar = top["calendar"] {
            let c = doc.fields(calendar, "calendar: frequency and last_rebalance", allowed: ["frequency", "last_rebalance"])
            if let text = doc.string(c["frequency"], "a calendar frequency (monthly, quarterly, semi-annual, annual)") {
                switch text {
                case "monthly": frequency = .monthly
                case "quarterly": frequency = .quarterly
                case "semi-annual": frequency = .semiAnnual
                case "annual": frequency = .annual
                default: doc.report(c["frequency"], expected: "monthly, quarterly, semi-annual or annual")
                }
            }
            if let last = c["last_rebalance"] { policy.lastRebalanceDate = doc.date(last, "a date such as \"2025-09-30\"") }
        }
        if let trigger = top["trigger"], let text = doc.string(trigger, "a trigger") {
            let needsCalendar = { (name: String) -> RebalancePolicy.Frequency? in
                if frequency == nil { doc.report(trigger, expected: "a calendar section (calendar.frequency) for trigger \(name)") }
                return frequency
            }
            switch text {
            case "always": policy.trigger = .always
            case "bands": policy.trigger = .bands
            case "calendar": if let f = needsCalendar(text) { policy.trigger = .calendar(f) }
            case "either": if let f = needsCalendar(text) { policy.trigger = .calendarOrBands(f) }
            case "both":
                if let f = needsCalendar(text) { policy.trigger = .calendarAndBands(f) }
            default: doc.report(trigger, expected: "always, calendar, bands, either or both")
            }
        }
        if let bands = top["bands"] {
            let b = doc.fields(bands, "bands: absolute and/or relative", allowed: ["absolute", "relative"])
            let absolute = b["absolute"].flatMap { doc.fraction($0, "an absolute band such as 0.05") }
            let relative = b["relative"].flatMap { doc.fraction($0, "a relative band such as 0.25") }
            policy.bands = .init(absolute: absolute, relative: relative)
        }
        if let mode = top["mode"], let text = doc.string(mode, "a mode") {
            switch text {
            case "to-target": policy.mode = .toTarget
            case "to-band-edge": policy.mode = .toNearestBandEdge
            case "cash-flow-only": policy.mode = .cashFlowOnly
            case "optimized": policy.mode = .toTarget; result.optimizer = OptimizerSettings()
            default: doc.report(mode, expected: "to-target, to-band-edge, cash-flow-only or optimized")
            }
        }
        if let section = top["optimizer"] {
            let o = doc.fields(section, "optimizer: tax_weight, tracking_weight, risk_model, prices, turnover_limit",
                               allowed: ["tax_weight", "tracking_weight", "risk_model", "prices", "turnover_limit"])
            if result.optimizer == nil { doc.report(section, expected: "mode: optimized for an optimizer section") }
            var settings = result.optimizer ?? OptimizerSettings()
            if let v = o["tax_weight"], let x = doc.double(v, "a tax weight such as 1") {
                if x >= 0 { settings.taxWeight = x } else { doc.report(v, expected: "a tax weight ≥ 0") }
            }
            if let v = o["tracking_weight"], let x = doc.double(v, "a tracking weight such as 100") {
                if x > 0 { settings.trackingWeight = x } else { doc.report(v, expected: "a tracking weight > 0") }
            }
            if let v = o["risk_model"], let text = doc.string(v, "a risk model") {
                if OptimizerSettings.riskModels.contains(text) { settings.riskModel = text } else {
                    doc.report(v, expected: "capital-market-assumptions, sample, ledoit-wolf or ewma")
                }
            }
            if let v = o["prices"], let path = doc.string(v, "a prices file such as prices.csv") {
                settings.pricesHistory = URL.named(path, inFileIn: URL(fileURLWithPath: file).deletingLastPathComponent())
            }
            if let v = o["turnover_limit"] { settings.turnoverLimit = doc.fraction(v, "a turnover limit such as 0.10") }
            if result.optimizer != nil { result.optimizer = settings }
        }
        if let cash = top["cash"] {
            let c = doc.fields(cash, "cash: reserve_amount, reserve_percent, pending_flows",
                               allowed: ["reserve_amount", "reserve_percent", "pending_flows"])
            let amount = c["reserve_amount"].flatMap { doc.nonNegativeMoney($0, "a reserve amount such as 1000.00") }
            let percent = c["reserve_percent"].flatMap { doc.fraction($0, "a reserve fraction such as 0.005") }
            switch (amount, percent) {
            case let (a?, p?): policy.cashReserve = .amountOrPercent(amount: a, percent: p)
            case let (a?, nil): policy.cashReserve = .amount(a)
            case let (nil, p?): policy.cashReserve = .percent(p)
            case (nil, nil): break
            }
            for flow in c["pending_flows"].flatMap({ doc.sequence($0, "a list of flows") }) ?? [] {
                let f = doc.fields(flow, "a flow: account, amount, note", allowed: ["account", "amount", "note"])
                let account = f["account"].flatMap { doc.string($0, "an account id") }
                guard let amount = doc.money(f["amount"] ?? flow, "an amount (positive deposit, negative withdrawal)") else { continue }
                result.pendingFlows.append(.init(account: account, amount: amount, note: f["note"].flatMap { doc.string($0, "a note") }))
            }
        }
        if let trading = top["trading"] {
            let t = doc.fields(trading, "trading: min_trade, invest_leftover_cash", allowed: ["min_trade", "invest_leftover_cash"])
            if let v = t["min_trade"], let m = doc.nonNegativeMoney(v, "a minimum trade value such as 250.00") { policy.minimumTradeValue = m }
            if let v = t["invest_leftover_cash"], let b = doc.bool(v, "true or false") { policy.investLeftoverCash = b }
        }
        if let costs = top["costs"] {
            let c = doc.fields(costs, "costs: commission_per_trade, spread_bps", allowed: ["commission_per_trade", "spread_bps"])
            if let v = c["commission_per_trade"], let m = doc.nonNegativeMoney(v, "a commission such as 4.95") { policy.commissionPerTrade = m }
            if let v = c["spread_bps"], let m = doc.nonNegativeMoney(v, "basis points such as 2") { policy.spreadBasisPoints = m }
        }
        if let taxes = top["taxes"] {
            let t = doc.fields(taxes, "taxes", allowed: ["lot_method", "specific_lots", "short_term_rate", "long_term_rate", "max_net_gain"])
            if let v = t["lot_method"], let text = doc.string(v, "a lot method") {
                switch text {
                case "fifo": policy.lotMethod = .fifo
                case "lifo": policy.lotMethod = .lifo
                case "highest-cost": policy.lotMethod = .highestCost
                case "tax-minimizing": policy.lotMethod = .taxMinimizing
                case "specific": policy.lotMethod = .specificLots([])
                default: doc.report(v, expected: "fifo, lifo, highest-cost, tax-minimizing or specific")
                }
            }
            for account in t["specific_lots"].flatMap({ doc.mapping($0, "account -> symbol -> lot ids") }) ?? [] {
                for symbol in doc.mapping(account.value, "symbol -> lot ids") ?? [] {
                    let ids = (doc.sequence(symbol.value, "a list of lot ids") ?? []).compactMap { doc.string($0, "a lot id") }
                    result.specificLots[account.key, default: [:]][symbol.key.uppercased()] = ids
                }
            }
            if let v = t["short_term_rate"], let r = doc.rate(v, "a rate such as 0.37") { policy.shortTermTaxRate = r }
            if let v = t["long_term_rate"], let r = doc.rate(v, "a rate such as 0.20") { policy.longTermTaxRate = r }
            if let v = t["max_net_gain"] { policy.taxBudget = doc.money(v, "a cap on net realized gains such as 15000.00") }
        }
        if let washSale = top["wash_sale"] {
            let w = doc.fields(washSale, "wash_sale", allowed: ["enabled", "window_days", "recent_transactions"])
            let enabled = w["enabled"].flatMap { doc.bool($0, "true or false") } ?? true
            if let v = w["window_days"], let days = doc.int(v, "a number of days such as 30") {
                if days < 0 { doc.report(v, expected: "a number of days ≥ 0") } else { policy.washSaleWindowDays = days }
            }
            if !enabled { policy.washSaleWindowDays = 0 }
            for item in w["recent_transactions"].flatMap({ doc.sequence($0, "a list of transactions") }) ?? [] {
                let t = doc.fields(item, "a transaction", allowed: ["account", "symbol", "side", "quantity", "price", "date", "realized_gain"])
                let account = doc.string(t["account"], "an account id")
                let symbol = doc.symbol(t["symbol"], "a symbol")
                let side: TradeSide? = doc.string(t["side"], "buy or sell").flatMap { text in
                    switch text {
                    case "buy": return .buy
                    case "sell": return .sell
                    default: doc.report(t["side"], expected: "buy or sell"); return nil
                    }
                }
                let quantity = doc.money(t["quantity"], "a quantity > 0")
                if let q = quantity, q <= 0 { doc.report(t["quantity"], expected: "a quantity > 0") }
                if let p = t["price"] { _ = doc.money(p, "a price") }
                let date = doc.date(t["date"], "a date such as \"2025-12-15\"")
                let gain = t["realized_gain"].flatMap { doc.money($0, "a realized gain (negative for a loss)") }
                if let account, let symbol, let side, let quantity, quantity > 0, let date {
                    policy.recentTransactions.append(Transaction(date: date, accountID: account, symbol: symbol, side: side,
                                                                 quantity: quantity, realizedGain: gain))
                }
            }
        }
        if let harvesting = top["tax_loss_harvesting"] {
            let h = doc.fields(harvesting, "tax_loss_harvesting", allowed: ["enabled", "min_loss", "min_loss_percent"])
            let enabled = h["enabled"].flatMap { doc.bool($0, "true or false") } ?? false
            let minimum = h["min_loss"].flatMap { doc.nonNegativeMoney($0, "a loss amount such as 1000.00") } ?? 0
            let percent = h["min_loss_percent"].flatMap { doc.fraction($0, "a fraction such as 0.05") } ?? 0
            policy.taxLossHarvesting = enabled ? .init(minimumLoss: minimum, minimumLossPercent: percent) : nil
        }
        for item in top["restrictions"].flatMap({ doc.sequence($0, "a list of restrictions") }) ?? [] {
            let r = doc.fields(item, "a restriction", allowed: ["account", "do_not_sell", "do_not_buy"])
            let symbols = { (key: String) -> [String] in
                guard let list = r[key] else { return [] }
                return (doc.sequence(list, "a list of symbols") ?? []).compactMap { doc.symbol($0, "a symbol") }
            }
            result.restrictions.append(.init(account: r["account"].flatMap { doc.string($0, "an account id") },
                                             doNotSell: symbols("do_not_sell"), doNotBuy: symbols("do_not_buy")))
        }
        if let location = top["asset_location"] {
            let l = doc.fields(location, "asset_location: scope, tax_deferred, tax_exempt, taxable",
                               allowed: ["scope", "tax_deferred", "tax_exempt", "taxable"])
            if let scope = l["scope"], let text = doc.string(scope, "household or per-account") {
                switch text {
                case "household": result.assetLocationScope = .household
                case "per-account": result.assetLocationScope = .perAccount
                default: doc.report(scope, expected: "household or per-account")
                }
            }
            // Only `scope` given: the default rules stay.
            if l["tax_deferred"] != nil || l["tax_exempt"] != nil || l["taxable"] != nil {
                var rules: [AccountKind: [String]] = [:]
                for (key, kind) in [("tax_deferred", AccountKind.taxDeferred), ("tax_exempt", .taxExempt), ("taxable", .taxable)] {
                    rules[kind] = (l[key].flatMap { doc.sequence($0, "a list of asset classes") } ?? []).compactMap { doc.string($0, "an asset class") }
                }
                result.assetLocation = rules
            }
        }
        try doc.check()
        result.policy = policy
        return result
    }
}

extension YAMLDocument {
    /// A fraction in [0, 1].
    mutating func fraction(_ value: YAMLValue, _ what: String) -> Double? {
        guard let x = double(value, what) else { return nil }
        guard (0...1).contains(x) else { report(value, expected: what + " (a fraction between 0 and 1)"); return nil }
        return x
    }

    /// A tax rate: a fraction in [0, 1] as the exact decimal written (`0.238`, not the
    /// nearest binary fraction).
    mutating func rate(_ value: YAMLValue, _ what: String) -> Decimal? {
        fraction(value, what).flatMap { Decimal(string: String($0)) }
    }

    /// Money ≥ 0.
    mutating func nonNegativeMoney(_ value: YAMLValue, _ what: String) -> Decimal? {
        guard let m = money(value, what) else { return nil }
        guard m >= 0 else { report(value, expected: what + " (not negative)"); return nil }
        return m
    }
}
