import Foundation

/// What one policy did over one price path: wealth before and after tax, taxes by year, gains
/// by term, drift, turnover, trades and costs.
///
/// Money is exact `Decimal` where it was settled (cash, trades, taxes); returns, drift,
/// tracking error and turnover are `Double` fractions.
public struct BacktestResult: Sendable, Hashable, Codable {
    /// One sampled point of the path: the last trading date of each month, and the last date.
    public struct PathPoint: Sendable, Hashable, Codable {
        /// The date.
        public var date: Date
        /// Household value (securities at the close plus cash), in currency.
        public var value: Double
        /// Value less the taxes paid from outside so far, in currency.
        public var valueAfterTax: Double
        /// The largest absolute drift of a target line that day before trading (fraction).
        public var maxDrift: Double
    }

    /// The policy's name.
    public var policy: String
    /// First date of the path.
    public var startDate: Date
    /// Last date of the path.
    public var endDate: Date
    /// Length of the path in years (days / 365.25).
    public var years: Double
    /// Household value on the first date, in currency.
    public var startingValue: Decimal
    /// Household value on the last date, before any tax still owed ("before tax"), in currency.
    public var endingValue: Decimal
    /// ``endingValue`` less the tax of the last (unsettled) year and the taxes paid from
    /// outside the household.
    public var endingValueAfterTax: Decimal
    /// ``endingValueAfterTax`` less the tax of selling every taxable holding on the last date
    /// (netted with that year's gains and the carried losses) and the tax on withdrawing the
    /// tax-deferred accounts (``BacktestSettings/taxDeferredLiquidationRate``).
    public var endingValueAfterLiquidation: Decimal
    /// Scheduled deposits made, in currency.
    public var deposits: Decimal
    /// Scheduled withdrawals made, in currency (taxes excluded).
    public var withdrawals: Decimal
    /// Scheduled withdrawals that could not be made (the account was empty), in currency.
    public var withdrawalShortfall: Decimal
    /// Dividends received in all accounts, in currency.
    public var dividends: Decimal
    /// Each settled calendar year (every year of the path but the last).
    public var taxYears: [TaxYear]
    /// The tax of the last year, owed but not settled on the path (the year had not ended).
    public var finalYear: TaxYear
    /// Tax paid from outside the household (``TaxPayment/fromOutside``, or what the taxable
    /// account could not pay), in currency.
    public var taxesPaidFromOutside: Decimal
    /// The liquidation tax on the last date, in currency.
    public var liquidationTax: Decimal
    /// Net realized short-term gain over the path, after wash-sale adjustments, in currency.
    public var realizedShortTermGain: Decimal
    /// Net realized long-term gain over the path, after wash-sale adjustments, in currency.
    public var realizedLongTermGain: Decimal
    /// Losses disallowed because a substantially identical security had been bought within the
    /// wash-sale window before the sale (added to the replacement's basis when it is held in a
    /// taxable account, lost when it is held in an IRA), in currency.
    public var washSaleLossDisallowed: Decimal
    /// Annualized time-weighted return before tax (flows and tax payments are external), a fraction.
    public var returnBeforeTax: Double
    /// Annualized time-weighted return with every tax (paid, owed and on liquidation) counted
    /// as a cost, a fraction.
    public var returnAfterTax: Double
    /// Annualized standard deviation of the daily return less the target's (each target line
    /// earning its primary security's total return, rebalanced daily), a fraction.
    public var trackingError: Double
    /// The largest absolute drift of any target line on any date, before trading (fraction).
    public var maxDrift: Double
    /// The mean over dates of the day's largest absolute drift (fraction).
    public var meanMaxDrift: Double
    /// Annual one-way turnover: Σ over plans of (buys + sells) / 2 / household value, per year.
    public var turnover: Double
    /// Number of trades sent.
    public var trades: Int
    /// Number of dates the policy's rule triggered a rebalance.
    public var rebalances: Int
    /// Number of household plans made (rebalances, flows, taxes, sweeps).
    public var plans: Int
    /// Commissions and spread paid, in currency.
    public var costs: Decimal
    /// Tax alpha against the comparison's baseline: the baseline's tax drag less this policy's
    /// (tax drag = ``returnBeforeTax`` − ``returnAfterTax``), a fraction per year; `nil`
    /// outside a comparison.
    public var taxAlpha: Double?
    /// The path, sampled at month ends.
    public var path: [PathPoint]
    /// The holdings on the last date, after its trades: the lots the policy built, for review
    /// or to chain another run.
    public var endingHousehold: Household

    /// Every settled year's tax plus the last year's, in currency.
    public var totalTax: Decimal { taxYears.reduce(finalYear.tax) { $0 + $1.tax } }
}

/// Several policies run on the same household and path.
public struct BacktestComparison: Sendable, Hashable, Codable {
    /// The policy tax alpha is measured against.
    public var baseline: String
    /// One result per policy, in the order given.
    public var results: [BacktestResult]
}
