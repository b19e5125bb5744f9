import Foundation
import FolioRebalancing

/// Segmentation features derived from one household's holdings: how much it holds, how it is
/// invested and how concentrated, how much sits in cash and in taxable accounts, and how much
/// of it is unrealized gain.
///
/// All shares are fractions of the household's total value (securities at their prices plus
/// cash). A security counts as equity, cash or other by the group of its asset class
/// (``AssetGroup``); a class in the `cash` group counts as cash.
public struct HoldingsFeatures: Sendable, Hashable, Codable {
    /// The feature names, in the order of ``values``.
    public static let names = [
        "total_value", "equity_share", "cash_share", "largest_position_share", "hhi", "position_count",
        "account_count", "taxable_share", "unrealized_gain_share",
    ]

    /// Total value: securities at their prices plus cash, in dollars.
    public var totalValue: Double
    /// Share in classes of the equity group.
    public var equityShare: Double
    /// Share in cash (account cash and classes of the cash group).
    public var cashShare: Double
    /// Share of the largest single security (summed over accounts; cash excluded).
    public var largestPositionShare: Double
    /// Herfindahl–Hirschman index of the security shares, `Σ sᵢ²` over securities (cash
    /// excluded), 0 to 1: 1 is one security, `1/n` is `n` equal ones.
    public var herfindahl: Double
    /// Number of distinct securities held.
    public var positionCount: Int
    /// Number of accounts.
    public var accountCount: Int
    /// Share held in taxable accounts.
    public var taxableShare: Double
    /// Unrealized gain (value less cost basis of the securities) as a share of the total value;
    /// negative for a loss.
    public var unrealizedGainShare: Double

    /// The values in the order of ``names``.
    public var values: [Double] {
        [totalValue, equityShare, cashShare, largestPositionShare, herfindahl, Double(positionCount), Double(accountCount),
         taxableShare, unrealizedGainShare]
    }

    /// Derives the features of a household.
    /// - Parameters:
    ///   - accounts: The household's accounts.
    ///   - prices: Price per symbol, dollars per share.
    ///   - group: The asset group of each symbol (from its asset class).
    /// - Throws: ``HoldingsFeaturesError`` for a symbol without a finite positive price or
    ///   without a group, or a household with no value.
    /// - Complexity: O(lots).
    public init(accounts: [Account], prices: [String: Double], group: [String: AssetGroup]) throws(HoldingsFeaturesError) {
        var bySymbol: [String: Double] = [:]
        var total = 0.0, cash = 0.0, equity = 0.0, taxable = 0.0, gain = 0.0
        var missingPrice: [String] = [], missingGroup: [String] = []
        for account in accounts {
            let accountCash = NSDecimalNumber(decimal: account.cash).doubleValue
            var accountValue = accountCash
            cash += accountCash
            for position in account.positions {
                guard let price = prices[position.symbol], price.isFinite, price > 0 else {
                    missingPrice.append(position.symbol); continue
                }
                guard let g = group[position.symbol] else { missingGroup.append(position.symbol); continue }
                let quantity = NSDecimalNumber(decimal: position.quantity).doubleValue
                let basis = NSDecimalNumber(decimal: position.lots.reduce(Decimal(0)) { $0 + $1.costBasis }).doubleValue
                let value = quantity * price
                accountValue += value
                gain += value - basis
                switch g {
                case .equity: equity += value
                case .cash: cash += value
                default: break
                }
                if g != .cash { bySymbol[position.symbol, default: 0] += value }
            }
            total += accountValue
            if account.kind.isTaxable { taxable += accountValue }
        }
        if !missingPrice.isEmpty || !missingGroup.isEmpty {
            throw .unpriced(symbols: Array(Set(missingPrice)).sorted(), unclassified: Array(Set(missingGroup)).sorted())
        }
        guard total.isFinite, total > 0 else { throw .noValue }
        totalValue = total
        equityShare = equity / total
        cashShare = cash / total
        let shares = bySymbol.values.map { $0 / total }
        largestPositionShare = shares.max() ?? 0
        herfindahl = shares.reduce(0) { $0 + $1 * $1 }
        positionCount = bySymbol.count
        accountCount = accounts.count
        taxableShare = taxable / total
        unrealizedGainShare = gain / total
    }
}

/// Why a household's features cannot be derived.
public enum HoldingsFeaturesError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Symbols without a usable price, and symbols whose asset class or group is unknown.
    case unpriced(symbols: [String], unclassified: [String])
    /// The household holds nothing of value.
    case noValue

    /// A readable description naming the symbols.
    public var description: String {
        switch self {
        case .unpriced(let symbols, let unclassified):
            [symbols.isEmpty ? nil : "no price for \(symbols.joined(separator: ", ")) (give --prices, or a price column)",
             unclassified.isEmpty ? nil : "no asset class for \(unclassified.joined(separator: ", ")) (an asset class column naming a class of the models, or a model fund)"]
                .compactMap { $0 }.joined(separator: "; ")
        case .noValue: "the household holds no value (no priced securities and no cash)"
        }
    }
}
