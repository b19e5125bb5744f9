import Foundation

/// A problem with the data given to ``Rebalancer``: what was wrong and where.
///
/// `context` strings name the place, e.g. `"account A-1"`, `"target"` or `"policy"`.
public enum RebalanceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Two ``Security`` values share a symbol.
    case duplicateSecurity(symbol: String)
    /// A symbol is held or targeted but no ``Security`` describes it.
    case unknownSecurity(symbol: String, context: String)
    /// A held or targeted symbol has no price.
    case missingPrice(symbol: String, context: String)
    /// A price is zero, negative or not a number.
    case invalidPrice(symbol: String, price: Decimal)
    /// A security's lot size is not positive.
    case invalidLotSize(symbol: String, lotSize: Decimal)
    /// Target weights do not sum to 1 within `1e-6`.
    case targetWeightsDoNotSumToOne(sum: Double)
    /// A target weight is negative or not finite.
    case invalidTargetWeight(name: String, weight: Double)
    /// A symbol or asset class appears twice in the target.
    case duplicateTargetEntry(name: String)
    /// A target is empty.
    case emptyTarget
    /// A lot's quantity is negative.
    case negativeQuantity(account: String, symbol: String, lotID: String, quantity: Decimal)
    /// A lot's cost basis is negative.
    case negativeCostBasis(account: String, symbol: String, lotID: String, costBasis: Decimal)
    /// Two lots in one account share an id.
    case duplicateLotID(account: String, lotID: String)
    /// An account's cash is negative.
    case negativeCash(account: String, cash: Decimal)
    /// A lot id named by ``RebalancePolicy/LotMethod/specificLots(_:)`` is not in the account.
    case specificLotNotFound(lotID: String, account: String)
    /// A number has more than 8 decimal places (the engine's fixed-point precision).
    case precisionExceeded(field: String, context: String, value: Decimal)
    /// An amount is too large for the engine: about 23 billion currency units (or units of
    /// quantity) per value and per account.
    case amountOutOfRange(field: String, context: String, value: Decimal)
    /// A withdrawal is larger than the cash plus everything that may be sold.
    case withdrawalExceedsAvailableValue(account: String, requested: Decimal, available: Decimal)
    /// A policy field is out of range.
    case invalidPolicy(field: String, reason: String)

    /// A one-line explanation for people.
    public var description: String {
        switch self {
        case .duplicateSecurity(let s): "security \(s) is described twice"
        case .unknownSecurity(let s, let c): "\(c): unknown security \(s)"
        case .missingPrice(let s, let c): "\(c): no price for \(s)"
        case .invalidPrice(let s, let p): "price of \(s) must be positive, got \(p)"
        case .invalidLotSize(let s, let l): "lot size of \(s) must be positive, got \(l)"
        case .targetWeightsDoNotSumToOne(let sum): "target weights sum to \(sum), not 1"
        case .invalidTargetWeight(let n, let w): "target weight of \(n) must be in [0, 1], got \(w)"
        case .duplicateTargetEntry(let n): "target lists \(n) twice"
        case .emptyTarget: "target is empty"
        case .negativeQuantity(let a, let s, let l, let q):
            "account \(a): lot \(l) of \(s) has negative quantity \(q)"
        case .negativeCostBasis(let a, let s, let l, let c):
            "account \(a): lot \(l) of \(s) has negative cost basis \(c)"
        case .duplicateLotID(let a, let l): "account \(a): lot id \(l) appears twice"
        case .negativeCash(let a, let c): "account \(a): cash is negative (\(advisorMoney(c)))"
        case .specificLotNotFound(let l, let a): "account \(a): specific lot \(l) not found"
        case .precisionExceeded(let f, let c, let v): "\(c): \(f) \(v) has more than 8 decimal places"
        case .amountOutOfRange(let f, let c, let v): "\(c): \(f) \(v) is out of range"
        case .withdrawalExceedsAvailableValue(let a, let r, let v):
            "account \(a): withdrawal of \(advisorMoney(r)) exceeds the \(advisorMoney(v)) available"
        case .invalidPolicy(let f, let r): "policy: \(f) \(r)"
        }
    }
}
