import Foundation

/// A tax lot: a quantity of one security bought at one time for one total cost.
public struct Lot: Sendable, Hashable, Codable {
    /// The lot's identifier, unique within its account. Used by
    /// ``RebalancePolicy/LotMethod/specificLots(_:)`` and reported in ``LotSale``. Duplicates
    /// within a position are always an error; across positions they are detected when
    /// specific lots are named (checking every account costs a hash per lot).
    public var id: String
    /// The quantity held (shares, or face for bonds). Must not be negative.
    public var quantity: Decimal
    /// The total cost basis of the lot, in currency (not per share). Must not be negative.
    public var costBasis: Decimal
    /// The acquisition (trade) date. A sale more than one year later is long-term.
    public var acquired: Date

    /// Creates a tax lot.
    /// - Parameters:
    ///   - id: Identifier unique within the account.
    ///   - quantity: Units held.
    ///   - costBasis: Total cost, in currency.
    ///   - acquired: Acquisition date.
    public init(id: String, quantity: Decimal, costBasis: Decimal, acquired: Date) {
        self.id = id
        self.quantity = quantity
        self.costBasis = costBasis
        self.acquired = acquired
    }

    /// The cost per unit of quantity, `costBasis / quantity` (zero for an empty lot).
    public var costPerShare: Decimal { quantity == 0 ? 0 : costBasis / quantity }
}

/// The lots of one security held in one account.
public struct Position: Sendable, Hashable, Codable {
    /// The security's symbol.
    public var symbol: String
    /// The tax lots, in any order.
    public var lots: [Lot]

    /// Creates a position.
    /// - Parameters:
    ///   - symbol: The security's symbol.
    ///   - lots: The tax lots.
    public init(symbol: String, lots: [Lot]) {
        self.symbol = symbol
        self.lots = lots
    }

    /// The total quantity over all lots.
    /// - Complexity: O(*n*) Decimal additions in the number of lots.
    public var quantity: Decimal { lots.reduce(0) { $0 + $1.quantity } }
}

/// How an account is taxed.
public enum AccountKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A brokerage account: gains are taxed when realized; lot selection and wash sales matter.
    case taxable
    /// A traditional IRA or 401(k): no tax on trades.
    case taxDeferred
    /// A Roth IRA or similar: no tax on trades.
    case taxExempt

    /// Whether realized gains are taxed.
    public var isTaxable: Bool { self == .taxable }
}

/// One account: cash, positions and trading restrictions.
public struct Account: Sendable, Hashable, Codable {
    /// The account's identifier, e.g. an account number.
    public var id: String
    /// How the account is taxed.
    public var kind: AccountKind
    /// Settled cash, in currency. Must not be negative.
    public var cash: Decimal
    /// Positions; several positions with the same symbol are merged.
    public var positions: [Position]
    /// Symbols that must not be sold (e.g. concentrated stock the client wants kept).
    public var doNotSell: Set<String>
    /// Symbols that must not be bought (e.g. an employer's stock, or an ESG screen).
    public var doNotBuy: Set<String>

    /// Creates an account.
    /// - Parameters:
    ///   - id: Account identifier.
    ///   - kind: Tax treatment.
    ///   - cash: Settled cash, in currency.
    ///   - positions: Holdings.
    ///   - doNotSell: Symbols never to sell.
    ///   - doNotBuy: Symbols never to buy.
    public init(
        id: String, kind: AccountKind, cash: Decimal, positions: [Position],
        doNotSell: Set<String> = [], doNotBuy: Set<String> = []
    ) {
        self.id = id
        self.kind = kind
        self.cash = cash
        self.positions = positions
        self.doNotSell = doNotSell
        self.doNotBuy = doNotBuy
    }
}

/// The accounts of one client household.
public struct Household: Sendable, Hashable, Codable {
    /// The household's identifier.
    public var id: String
    /// Its accounts, rebalanced one by one in this order.
    public var accounts: [Account]

    /// Creates a household.
    /// - Parameters:
    ///   - id: Household identifier.
    ///   - accounts: Its accounts.
    public init(id: String, accounts: [Account]) {
        self.id = id
        self.accounts = accounts
    }
}

/// A past trade, used for the wash-sale rule.
public struct Transaction: Sendable, Hashable, Codable {
    /// Trade date.
    public var date: Date
    /// The account it happened in (informational: the wash-sale rule spans all the taxpayer's
    /// accounts, so every transaction given applies to every account rebalanced).
    public var accountID: String
    /// The security traded.
    public var symbol: String
    /// Buy or sell.
    public var side: TradeSide
    /// Units traded.
    public var quantity: Decimal
    /// Realized gain (negative for a loss) of a sell, in currency; `nil` for buys or unknown.
    public var realizedGain: Decimal?

    /// Creates a transaction record.
    /// - Parameters:
    ///   - date: Trade date.
    ///   - accountID: Account of the trade.
    ///   - symbol: Security traded.
    ///   - side: Buy or sell.
    ///   - quantity: Units traded.
    ///   - realizedGain: For a sell, its realized gain (negative = loss).
    public init(
        date: Date, accountID: String, symbol: String, side: TradeSide, quantity: Decimal,
        realizedGain: Decimal? = nil
    ) {
        self.date = date
        self.accountID = accountID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.realizedGain = realizedGain
    }
}

/// The direction of a trade.
public enum TradeSide: String, Sendable, Hashable, Codable, Comparable {
    /// Sell: reduce a position, raise cash.
    case sell
    /// Buy: spend cash, add to a position.
    case buy

    /// Sells order before buys.
    public static func < (lhs: TradeSide, rhs: TradeSide) -> Bool { lhs == .sell && rhs == .buy }
}
