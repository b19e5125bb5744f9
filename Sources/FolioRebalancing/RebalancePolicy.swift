import Foundation

/// Every choice an advisor makes about how an account is rebalanced. Each field has a default,
/// so `RebalancePolicy()` is a reasonable to-target, tax-minimizing, 5/25-band policy.
public struct RebalancePolicy: Sendable, Hashable, Codable {
    // MARK: Trigger

    /// When a rebalance happens.
    public enum Trigger: Sendable, Hashable, Codable {
        /// Whenever asked.
        case always
        /// When the calendar period since ``RebalancePolicy/lastRebalanceDate`` has elapsed.
        case calendar(Frequency)
        /// When any target line is outside its tolerance band (``RebalancePolicy/bands``).
        case bands
        /// When either the calendar period has elapsed or a band is breached.
        case calendarOrBands(Frequency)
        /// Only when the calendar period has elapsed and a band is breached.
        case calendarAndBands(Frequency)
    }

    /// A calendar rebalancing frequency.
    public enum Frequency: String, Sendable, Hashable, Codable, CaseIterable {
        /// Every month.
        case monthly
        /// Every three months.
        case quarterly
        /// Every six months.
        case semiAnnual
        /// Every twelve months.
        case annual

        /// The period in calendar months.
        public var months: Int {
            switch self {
            case .monthly: 1
            case .quarterly: 3
            case .semiAnnual: 6
            case .annual: 12
            }
        }
    }

    /// Tolerance bands around each target weight.
    ///
    /// The half-width of the band for a target weight `w` is the smaller of the absolute and
    /// the relative band that are set: with both set (the "5/25 rule",
    /// `absolute: 0.05, relative: 0.25`) a 60% line may drift 5 points, a 10% line 2.5 points.
    public struct ToleranceBands: Sendable, Hashable, Codable {
        /// Absolute half-width as a weight fraction (0.05 = 5 percentage points), or `nil`.
        public var absolute: Double?
        /// Relative half-width as a fraction of the target weight (0.25 = 25%), or `nil`.
        public var relative: Double?

        /// Creates bands; at least one of the two should be set.
        /// - Parameters:
        ///   - absolute: Absolute half-width (fraction), or `nil`.
        ///   - relative: Relative half-width (fraction of target), or `nil`.
        public init(absolute: Double? = nil, relative: Double? = nil) {
            self.absolute = absolute
            self.relative = relative
        }

        /// The 5/25 rule: 5 percentage points or 25% of the target, whichever is smaller.
        public static let fiveTwentyFive = ToleranceBands(absolute: 0.05, relative: 0.25)

        /// The band half-width (weight fraction) for a target weight.
        /// - Parameter target: The target weight (fraction).
        public func halfWidth(target: Double) -> Double {
            switch (absolute, relative) {
            case let (a?, r?): min(a, r * target)
            case let (a?, nil): a
            case let (nil, r?): r * target
            case (nil, nil): 0
            }
        }
    }

    /// What a triggered rebalance aims for.
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        /// Trade every line back to its target weight.
        case toTarget
        /// Trade only lines outside their band, and only back to the nearest band edge.
        case toNearestBandEdge
        /// Trade only with cash flows: available cash (a deposit, or cash above the reserve)
        /// buys the most underweight lines; a withdrawal (or a reserve shortfall) sells the
        /// most overweight lines. No other sells.
        case cashFlowOnly
    }

    /// Cash kept uninvested.
    public enum CashReserve: Sendable, Hashable, Codable {
        /// No reserve.
        case none
        /// A fixed amount, in currency.
        case amount(Decimal)
        /// A fraction (0.02 = 2%) of the account value after the pending cash flow,
        /// rounded up to the cent.
        case percent(Double)
        /// The larger of a fixed amount and a fraction of the account value after the
        /// pending cash flow (the fraction's amount rounded up to the cent).
        case amountOrPercent(amount: Decimal, percent: Double)
    }

    /// How lots are chosen for a sell (taxable accounts; others always use FIFO).
    public enum LotMethod: Sendable, Hashable, Codable {
        /// First in, first out: oldest lots first.
        case fifo
        /// Last in, first out: newest lots first.
        case lifo
        /// Highest cost per share first ("HIFO").
        case highestCost
        /// The listed lot ids, in the order given, then FIFO for anything more (with a warning).
        case specificLots([String])
        /// Short-term losses (largest loss per dollar first), long-term losses, long-term gains
        /// (smallest gain per dollar sold first), short-term gains last.
        case taxMinimizing
    }

    /// Opt-in tax-loss harvesting.
    ///
    /// A lot qualifies when its unrealized loss is at least ``minimumLoss`` *and* at least
    /// ``minimumLossPercent`` of its cost basis. Qualifying lots are sold and the proceeds buy
    /// an alternate of the same asset class (targets by asset class only).
    public struct TaxLossHarvesting: Sendable, Hashable, Codable {
        /// Minimum unrealized loss of a lot, in currency.
        public var minimumLoss: Decimal
        /// Minimum unrealized loss as a fraction of the lot's cost basis (0.1 = 10%).
        public var minimumLossPercent: Double

        /// Creates harvesting thresholds.
        /// - Parameters:
        ///   - minimumLoss: Minimum loss in currency (default 1,000).
        ///   - minimumLossPercent: Minimum loss as a fraction of basis (default 0.10).
        public init(minimumLoss: Decimal = 1000, minimumLossPercent: Double = 0.10) {
            self.minimumLoss = minimumLoss
            self.minimumLossPercent = minimumLossPercent
        }
    }

    /// What triggers a rebalance (default ``Trigger/bands``).
    public var trigger: Trigger
    /// Tolerance bands for the band trigger and ``Mode/toNearestBandEdge`` (default 5/25).
    public var bands: ToleranceBands
    /// The last rebalance date, for the calendar trigger; `nil` means "never" (always due).
    public var lastRebalanceDate: Date?
    /// What a triggered rebalance aims for (default ``Mode/toTarget``).
    public var mode: Mode

    // MARK: Cash

    /// Cash kept uninvested (default none).
    public var cashReserve: CashReserve
    /// A pending cash flow to apply in this rebalance, in currency: positive for a deposit,
    /// negative for a withdrawal (default 0). A non-zero flow always produces trades even when
    /// nothing triggers (then in cash-flow-only fashion).
    public var pendingCashFlow: Decimal

    // MARK: Trade sizing and costs

    /// Decimal places of quantity for securities that allow fractional shares (0...8,
    /// default 6).
    public var fractionalShareDecimals: Int
    /// Trades with a gross value below this, in currency, are skipped and reported (default 0).
    public var minimumTradeValue: Decimal
    /// Commission charged per trade, in currency (default 0).
    public var commissionPerTrade: Decimal
    /// Half-spread / market-impact cost charged on each trade's gross value, in basis points
    /// (default 0). The cost of a trade is `commission + gross × spread / 10,000`, the second
    /// term rounded half-up to the cent.
    public var spreadBasisPoints: Decimal

    // MARK: Taxes (taxable accounts only)

    /// How lots are chosen for sells (default ``LotMethod/taxMinimizing``).
    public var lotMethod: LotMethod
    /// Tax rate on net short-term gains, a fraction (default 0.37), or `nil` when the rate is
    /// not known: then a taxable account's plan still reports its realized gains but its
    /// ``RebalancePlan/estimatedTax`` is `nil` ("not estimated"), never a made-up zero.
    public var shortTermTaxRate: Decimal?
    /// Tax rate on net long-term gains, a fraction (default 0.20), or `nil` when not known
    /// (see ``shortTermTaxRate``).
    public var longTermTaxRate: Decimal?
    /// A cap on the net realized gain (short- plus long-term) of one account's plan, in
    /// currency (not negative), or `nil` for no cap. The plan sells less and reports the drift
    /// left. Zero allows only sells whose losses cover their gains.
    public var taxBudget: Decimal?
    /// The wash-sale window in days (default 30).
    public var washSaleWindowDays: Int
    /// Recent trades in any of the taxpayer's accounts, for the wash-sale rule.
    public var recentTransactions: [Transaction]
    /// Tax-loss harvesting thresholds, or `nil` (default) to not harvest. Harvesting runs in
    /// taxable accounts with targets by asset class, whether or not a rebalance triggers.
    public var taxLossHarvesting: TaxLossHarvesting?

    // MARK: Leftover cash

    /// Whether cash left over by whole-share (or lot) rounding is put into the most
    /// underweight holding that still fits (default `true`). With `false` the buys are only
    /// rounded down from their targets and the rounding remainder stays in cash.
    public var investLeftoverCash: Bool

    /// Whether both tax rates are known, so a taxable account's plan estimates its tax.
    public var taxRatesAreKnown: Bool { shortTermTaxRate != nil && longTermTaxRate != nil }

    /// Creates a policy; every parameter has a default.
    /// - Parameters:
    ///   - trigger: What triggers a rebalance.
    ///   - bands: Tolerance bands.
    ///   - lastRebalanceDate: Date of the last rebalance, for the calendar trigger.
    ///   - mode: What a rebalance aims for.
    ///   - cashReserve: Cash kept uninvested.
    ///   - pendingCashFlow: Deposit (positive) or withdrawal (negative), in currency.
    ///   - fractionalShareDecimals: Quantity decimals for fractional securities (0...8).
    ///   - minimumTradeValue: Smallest gross value traded, in currency.
    ///   - commissionPerTrade: Commission per trade, in currency.
    ///   - spreadBasisPoints: Spread cost on gross value, in basis points.
    ///   - lotMethod: Lot selection method.
    ///   - shortTermTaxRate: Tax rate on net short-term gains, or `nil` when not known.
    ///   - longTermTaxRate: Tax rate on net long-term gains, or `nil` when not known.
    ///   - taxBudget: Cap on net realized gains, in currency.
    ///   - washSaleWindowDays: Wash-sale window, in days.
    ///   - recentTransactions: Recent trades for the wash-sale rule.
    ///   - taxLossHarvesting: Harvesting thresholds, or `nil`.
    ///   - investLeftoverCash: Whether cash left by whole-share rounding is invested.
    public init(
        trigger: Trigger = .bands,
        bands: ToleranceBands = .fiveTwentyFive,
        lastRebalanceDate: Date? = nil,
        mode: Mode = .toTarget,
        cashReserve: CashReserve = .none,
        pendingCashFlow: Decimal = 0,
        fractionalShareDecimals: Int = 6,
        minimumTradeValue: Decimal = 0,
        commissionPerTrade: Decimal = 0,
        spreadBasisPoints: Decimal = 0,
        lotMethod: LotMethod = .taxMinimizing,
        shortTermTaxRate: Decimal? = Decimal(string: "0.37")!,
        longTermTaxRate: Decimal? = Decimal(string: "0.20")!,
        taxBudget: Decimal? = nil,
        washSaleWindowDays: Int = 30,
        recentTransactions: [Transaction] = [],
        taxLossHarvesting: TaxLossHarvesting? = nil,
        investLeftoverCash: Bool = true
    ) {
        self.trigger = trigger
        self.bands = bands
        self.lastRebalanceDate = lastRebalanceDate
        self.mode = mode
        self.cashReserve = cashReserve
        self.pendingCashFlow = pendingCashFlow
        self.fractionalShareDecimals = fractionalShareDecimals
        self.minimumTradeValue = minimumTradeValue
        self.commissionPerTrade = commissionPerTrade
        self.spreadBasisPoints = spreadBasisPoints
        self.lotMethod = lotMethod
        self.shortTermTaxRate = shortTermTaxRate
        self.longTermTaxRate = longTermTaxRate
        self.taxBudget = taxBudget
        self.washSaleWindowDays = washSaleWindowDays
        self.recentTransactions = recentTransactions
        self.taxLossHarvesting = taxLossHarvesting
        self.investLeftoverCash = investLeftoverCash
    }
}

extension RebalancePolicy {
    /// Decodes a policy as ``RebalancePolicy`` encodes it. A key added later
    /// (``investLeftoverCash``) takes its default when absent, so a policy encoded before it
    /// existed still decodes; an absent rate, date, budget or harvesting setting is `nil`.
    ///
    /// - Throws: `DecodingError` for a missing required key or a value of the wrong type.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            trigger: try c.decode(Trigger.self, forKey: .trigger),
            bands: try c.decode(ToleranceBands.self, forKey: .bands),
            lastRebalanceDate: try c.decodeIfPresent(Date.self, forKey: .lastRebalanceDate),
            mode: try c.decode(Mode.self, forKey: .mode),
            cashReserve: try c.decode(CashReserve.self, forKey: .cashReserve),
            pendingCashFlow: try c.decode(Decimal.self, forKey: .pendingCashFlow),
            fractionalShareDecimals: try c.decode(Int.self, forKey: .fractionalShareDecimals),
            minimumTradeValue: try c.decode(Decimal.self, forKey: .minimumTradeValue),
            commissionPerTrade: try c.decode(Decimal.self, forKey: .commissionPerTrade),
            spreadBasisPoints: try c.decode(Decimal.self, forKey: .spreadBasisPoints),
            lotMethod: try c.decode(LotMethod.self, forKey: .lotMethod),
            shortTermTaxRate: try c.decodeIfPresent(Decimal.self, forKey: .shortTermTaxRate),
            longTermTaxRate: try c.decodeIfPresent(Decimal.self, forKey: .longTermTaxRate),
            taxBudget: try c.decodeIfPresent(Decimal.self, forKey: .taxBudget),
            washSaleWindowDays: try c.decode(Int.self, forKey: .washSaleWindowDays),
            recentTransactions: try c.decode([Transaction].self, forKey: .recentTransactions),
            taxLossHarvesting: try c.decodeIfPresent(TaxLossHarvesting.self, forKey: .taxLossHarvesting),
            investLeftoverCash: try c.decodeIfPresent(Bool.self, forKey: .investLeftoverCash) ?? true)
    }
}
