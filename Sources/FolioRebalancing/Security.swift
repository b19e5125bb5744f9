import Foundation

/// A tradable instrument: a stock, an ETF, a mutual fund or a bond issue.
///
/// The rebalancer looks a security up by its ``symbol``; every symbol that an account holds or
/// a target names must be described by exactly one `Security` given to ``Rebalancer``.
public struct Security: Sendable, Hashable, Codable {
    /// The ticker or identifier, e.g. `"VTI"` or a CUSIP. Compared exactly (case-sensitive).
    public var symbol: String
    /// The asset class the security implements, e.g. `"US Equity"` or `"US Bonds"`.
    public var assetClass: String
    /// Whether the broker accepts fractional quantities. When `true`, trades are sized in steps
    /// of 10 to the power −``RebalancePolicy/fractionalShareDecimals`` and ``lotSize`` is ignored.
    public var allowsFractionalShares: Bool
    /// The smallest tradable increment for whole-share trading, in units of quantity: `1` for a
    /// share, `1000` for a bond quoted per 1,000 face. Must be positive.
    public var lotSize: Decimal
    /// Whether the security may be traded at all. A non-tradable holding is kept as it is and
    /// the rest of the target is scaled around it.
    public var isTradable: Bool
    /// The group of securities the wash-sale rule treats as one: two index funds that track the
    /// same index, a share class and its ETF. `nil` (the default) groups a security with itself
    /// only. A loss sale of any member blocks buys of every member within the window.
    public var substantiallyIdenticalGroup: String?

    /// The key the wash-sale rule compares: the group, else the symbol.
    public var washSaleKey: String { substantiallyIdenticalGroup.map { "group:" + $0 } ?? symbol }

    /// Creates a security.
    /// - Parameters:
    ///   - symbol: The ticker or identifier.
    ///   - assetClass: The asset class it implements.
    ///   - allowsFractionalShares: Whether fractional quantities may be traded (default `false`).
    ///   - lotSize: The whole-share trading increment (default `1`).
    ///   - isTradable: Whether it may be traded (default `true`).
    ///   - substantiallyIdenticalGroup: Its wash-sale group, or `nil` (default).
    public init(
        symbol: String, assetClass: String, allowsFractionalShares: Bool = false,
        lotSize: Decimal = 1, isTradable: Bool = true, substantiallyIdenticalGroup: String? = nil
    ) {
        self.symbol = symbol
        self.assetClass = assetClass
        self.allowsFractionalShares = allowsFractionalShares
        self.lotSize = lotSize
        self.isTradable = isTradable
        self.substantiallyIdenticalGroup = substantiallyIdenticalGroup
    }
}

/// Closing prices of securities on one date, in currency units per unit of quantity.
public struct Prices: Sendable, Hashable, Codable {
    /// The date the prices are as of. It is also the trade date of every plan built from them,
    /// used for holding periods, wash-sale windows and the calendar trigger.
    public var asOf: Date
    /// The price of each symbol, in currency per unit of quantity. Must be positive.
    public var bySymbol: [String: Decimal]

    /// Creates a price table.
    /// - Parameters:
    ///   - asOf: The pricing (and trade) date.
    ///   - bySymbol: Price per unit of quantity for each symbol.
    public init(asOf: Date, _ bySymbol: [String: Decimal]) {
        self.asOf = asOf
        self.bySymbol = bySymbol
    }

    /// The price of `symbol`, or `nil` when it is not priced.
    public subscript(symbol: String) -> Decimal? { bySymbol[symbol] }
}
