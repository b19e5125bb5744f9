import Foundation

extension PlanReport {
    /// What the summary's turnover means, printed under it: the smaller of buys and sells
    /// over the value before trading.
    public static let turnoverDefinition = "Turnover is the smaller of sells and buys as a share of the value before trading: a sale that only raises cash for a withdrawal (or a buy that only invests a deposit) moves cash, not the mix, and is not turnover."

    /// Sells (gross, before costs) over the household's value before trading, as a fraction;
    /// 0 when the value is not positive.
    ///
    /// - Complexity: O(accounts).
    public var sellsFraction: Double { fractionOfValue(total(\.totalSells)) }

    /// Buys (gross, before costs) over the household's value before trading, as a fraction;
    /// 0 when the value is not positive.
    ///
    /// - Complexity: O(accounts).
    public var buysFraction: Double { fractionOfValue(total(\.totalBuys)) }

    func fractionOfValue(_ amount: Decimal) -> Double {
        let value = valueBefore
        guard value > 0 else { return 0 }
        return NSDecimalNumber(decimal: amount / value).doubleValue
    }
}
