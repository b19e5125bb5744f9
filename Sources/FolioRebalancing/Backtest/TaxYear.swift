import Foundation

/// The tax rules a backtest settles each year with: rates, the yearly deduction of a net
/// capital loss against other income, and how dividends are taxed.
///
/// The netting follows the US Schedule D shape (IRS Publication 550, "Capital Losses"): short-
/// and long-term results are netted within their term, a net loss of one term offsets a net
/// gain of the other, a net capital loss is deducted against other income up to
/// ``lossDeductionLimit`` (short-term losses first) and the rest carries forward to the next
/// year keeping its term.
public struct TaxRules: Sendable, Hashable, Codable {
    /// Tax rate on net short-term gains and on other income (the deducted loss saves this
    /// rate), a fraction.
    public var shortTermRate: Decimal
    /// Tax rate on net long-term gains, a fraction.
    public var longTermRate: Decimal
    /// Tax rate on dividends received in taxable accounts, a fraction (qualified dividends:
    /// usually the long-term rate). Dividends are not netted against capital losses.
    public var dividendRate: Decimal
    /// The most net capital loss deducted against other income in one year, in currency
    /// (3,000 in the US). Zero carries every net loss forward.
    public var lossDeductionLimit: Decimal

    /// Creates tax rules.
    /// - Parameters:
    ///   - shortTermRate: Rate on net short-term gains and other income (fraction).
    ///   - longTermRate: Rate on net long-term gains (fraction).
    ///   - dividendRate: Rate on dividends in taxable accounts (fraction; default the long-term rate).
    ///   - lossDeductionLimit: Yearly deduction of a net capital loss, in currency (default 3,000).
    public init(shortTermRate: Decimal, longTermRate: Decimal, dividendRate: Decimal? = nil, lossDeductionLimit: Decimal = 3000) {
        self.shortTermRate = shortTermRate
        self.longTermRate = longTermRate
        self.dividendRate = dividendRate ?? longTermRate
        self.lossDeductionLimit = lossDeductionLimit
    }
}

/// Capital losses carried into a year, by term, in currency (non-negative amounts).
public struct LossCarryForward: Sendable, Hashable, Codable {
    /// Short-term loss carried, a non-negative amount.
    public var shortTerm: Decimal
    /// Long-term loss carried, a non-negative amount.
    public var longTerm: Decimal

    /// Creates a carry-forward.
    /// - Parameters:
    ///   - shortTerm: Short-term loss carried (non-negative).
    ///   - longTerm: Long-term loss carried (non-negative).
    public init(shortTerm: Decimal = 0, longTerm: Decimal = 0) {
        self.shortTerm = shortTerm
        self.longTerm = longTerm
    }

    /// No loss carried.
    public static let none = LossCarryForward()
}

/// One tax year settled: what was realized, how it netted, the tax and what carries on.
public struct TaxYear: Sendable, Hashable, Codable {
    /// The calendar year.
    public var year: Int
    /// Net realized short-term gain of the year (negative for a loss), in currency.
    public var shortTermGain: Decimal
    /// Net realized long-term gain of the year (negative for a loss), in currency.
    public var longTermGain: Decimal
    /// Dividends received in taxable accounts, in currency.
    public var dividends: Decimal
    /// Losses carried into the year.
    public var carriedIn: LossCarryForward
    /// Net short-term gain taxed after netting (non-negative).
    public var taxedShortTerm: Decimal
    /// Net long-term gain taxed after netting (non-negative).
    public var taxedLongTerm: Decimal
    /// Net capital loss deducted against other income (non-negative).
    public var lossDeducted: Decimal
    /// Losses carried out of the year into the next.
    public var carriedOut: LossCarryForward
    /// The tax of the year: `taxedShortTerm × st + taxedLongTerm × lt + dividends × div −
    /// lossDeducted × st`, rounded half-up to the cent. Negative when the deduction saves more
    /// than the year owes (a refund against other income).
    public var tax: Decimal

    /// Settles a year.
    ///
    /// Steps: add the carried losses to their term; a net loss of one term offsets a net gain
    /// of the other; a remaining net loss is deducted up to the limit (short-term first) and
    /// the rest carries forward keeping its term.
    ///
    /// - Parameters:
    ///   - year: The calendar year.
    ///   - shortTermGain: Net realized short-term gain (negative for a loss).
    ///   - longTermGain: Net realized long-term gain (negative for a loss).
    ///   - dividends: Dividends received in taxable accounts.
    ///   - carriedIn: Losses carried into the year.
    ///   - rules: Rates and the deduction limit.
    /// - Returns: The settled year.
    /// - Complexity: O(1).
    public static func settle(
        year: Int, shortTermGain: Decimal, longTermGain: Decimal, dividends: Decimal,
        carriedIn: LossCarryForward, rules: TaxRules
    ) -> TaxYear {
        var st = shortTermGain - carriedIn.shortTerm
        var lt = longTermGain - carriedIn.longTerm
        if st < 0 && lt > 0 {
            let used = min(-st, lt)
            st += used
            lt -= used
        } else if lt < 0 && st > 0 {
            let used = min(-lt, st)
            lt += used
            st -= used
        }
        // Now both are of one sign, or one is zero.
        let loss = max(0, -st) + max(0, -lt)
        let deducted = min(loss, max(0, rules.lossDeductionLimit))
        let fromShort = min(deducted, max(0, -st))
        let carried = LossCarryForward(shortTerm: max(0, -st) - fromShort, longTerm: max(0, -lt) - (deducted - fromShort))
        let taxedST = max(0, st), taxedLT = max(0, lt)
        let raw = taxedST * rules.shortTermRate + taxedLT * rules.longTermRate + dividends * rules.dividendRate
            - deducted * rules.shortTermRate
        return TaxYear(year: year, shortTermGain: shortTermGain, longTermGain: longTermGain, dividends: dividends,
                       carriedIn: carriedIn, taxedShortTerm: taxedST, taxedLongTerm: taxedLT, lossDeducted: deducted,
                       carriedOut: carried, tax: Money.roundCents(raw))
    }
}

/// Exact money rounding used by the backtest.
enum Money {
    /// Rounds half-up (away from zero for negatives) to the cent.
    static func roundCents(_ x: Decimal) -> Decimal {
        var value = x, result = Decimal()
        NSDecimalRound(&result, &value, 2, .plain)
        return result
    }
}
