import Foundation

// The words an advisor reads for Folio's enums: what reaches a terminal, a report, a JSON
// message or an error is a phrase ("tax-deferred", "not enough cash"), never a Swift case
// name (`taxDeferred`, `insufficientCash`), and money is written as money ("$5,000.00").

extension AccountKind {
    /// The kind in words: "taxable", "tax-deferred" or "tax-exempt".
    ///
    /// - Complexity: O(1).
    public var displayName: String {
        switch self {
        case .taxable: "taxable"
        case .taxDeferred: "tax-deferred"
        case .taxExempt: "tax-exempt"
        }
    }
}

extension RebalancePolicy.Frequency {
    /// The frequency in words: "monthly", "quarterly", "semi-annual" or "annual".
    ///
    /// - Complexity: O(1).
    public var displayName: String {
        switch self {
        case .monthly: "monthly"
        case .quarterly: "quarterly"
        case .semiAnnual: "semi-annual"
        case .annual: "annual"
        }
    }
}

extension SkippedTrade.Reason {
    /// Why a trade on `side` was skipped, in words, e.g. "not enough cash once costs and
    /// rounding are counted".
    ///
    /// - Complexity: O(1).
    public func explanation(_ side: TradeSide) -> String {
        if self == .washSale && side == .sell {
            return "its lots at a loss are kept: selling them would be a wash sale against a buy of the same security"
        }
        return explanation
    }

    /// Why the trade was skipped, in words (for a buy where the side matters).
    ///
    /// - Complexity: O(1).
    public var explanation: String {
        switch self {
        case .belowMinimumTradeValue: "below the policy's minimum trade value"
        case .belowOneLot: "less than one tradable lot"
        case .doNotSell: "on the account's do-not-sell list"
        case .doNotBuy: "on the account's do-not-buy list"
        case .notTradable: "not tradable"
        case .washSale: "buying would be a wash sale (sold at a loss within the wash-sale window)"
        case .taxBudget: "selling more would exceed the cap on net realized gains"
        case .insufficientCash: "not enough cash once costs and rounding are counted"
        case .noReplacement: "no eligible replacement for the harvested security"
        case .costExceedsValue: "its commission and spread would be at least its value"
        }
    }
}

/// `value` rounded half-up to the cent, as money: `$5,000.00`, `-$72.13`.
///
/// - Complexity: O(digits).
func advisorMoney(_ value: Decimal) -> String {
    var input = value, rounded = Decimal()
    NSDecimalRound(&rounded, &input, 2, .plain)
    let negative = rounded < 0
    let digits = NSDecimalNumber(decimal: negative ? -rounded : rounded).stringValue
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    var whole = String(parts[0]), grouped = ""
    while whole.count > 3 {
        grouped = "," + whole.suffix(3) + grouped
        whole.removeLast(3)
    }
    var cents = parts.count > 1 ? String(parts[1]) : ""
    while cents.count < 2 { cents += "0" }
    return (negative ? "-$" : "$") + whole + grouped + "." + cents
}
