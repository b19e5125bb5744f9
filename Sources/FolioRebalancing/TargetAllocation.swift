/// The desired weights of an account, either by security or by asset class.
///
/// Weights are fractions of the account's *investable value* (securities plus cash, after the
/// pending cash flow, less the cash reserve) and must sum to 1 within `1e-6`.
public struct TargetAllocation: Sendable, Hashable, Codable {
    /// One asset class of a class-level target and the securities that implement it.
    public struct Sleeve: Sendable, Hashable, Codable {
        /// The asset class, e.g. `"US Equity"`.
        public var assetClass: String
        /// Its target weight, a fraction in `[0, 1]`.
        public var weight: Double
        /// The symbol bought by default to fill the class.
        public var primary: String
        /// Other symbols that implement the class, in order of preference. They are bought when
        /// the primary cannot be (restricted, wash-sale window) and receive the proceeds of
        /// tax-loss harvesting. An alternate without a price is ignored.
        public var alternates: [String]

        /// Creates a sleeve.
        /// - Parameters:
        ///   - assetClass: The asset class.
        ///   - weight: Target weight (fraction).
        ///   - primary: Default symbol.
        ///   - alternates: Substitutes, in order of preference.
        public init(assetClass: String, weight: Double, primary: String, alternates: [String] = []) {
            self.assetClass = assetClass
            self.weight = weight
            self.primary = primary
            self.alternates = alternates
        }

        /// The primary followed by the alternates.
        public var members: [String] { [primary] + alternates }
    }

    /// A target weight for one security.
    public struct SecurityWeight: Sendable, Hashable, Codable {
        /// The security's symbol.
        public var symbol: String
        /// Target weight, a fraction in `[0, 1]`.
        public var weight: Double

        /// Creates a security weight.
        /// - Parameters:
        ///   - symbol: The security's symbol.
        ///   - weight: Target weight (fraction).
        public init(symbol: String, weight: Double) {
            self.symbol = symbol
            self.weight = weight
        }
    }

    /// Weights by security (empty for a class-level target), sorted by symbol.
    public private(set) var securityWeights: [SecurityWeight]
    /// Sleeves by asset class (empty for a security-level target), in the order given.
    public private(set) var sleeves: [Sleeve]

    /// A target that gives each security its own weight.
    /// - Parameter weights: Fraction of investable value per symbol.
    public static func securities(_ weights: [String: Double]) -> TargetAllocation {
        TargetAllocation(
            securityWeights: weights.map { SecurityWeight(symbol: $0.key, weight: $0.value) }
                .sorted { $0.symbol < $1.symbol },
            sleeves: [])
    }

    /// A target by asset class, each implemented by a primary security and alternates.
    /// - Parameter sleeves: One sleeve per asset class.
    public static func assetClasses(_ sleeves: [Sleeve]) -> TargetAllocation {
        TargetAllocation(securityWeights: [], sleeves: sleeves)
    }

    /// Whether the target is by asset class.
    public var isByAssetClass: Bool { !sleeves.isEmpty }

    /// Every symbol the target names (primaries, alternates and security weights).
    public var symbols: [String] {
        isByAssetClass ? sleeves.flatMap(\.members) : securityWeights.map(\.symbol)
    }
}
