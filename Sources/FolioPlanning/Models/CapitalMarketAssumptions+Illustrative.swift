// Generated from Examples/Data/capital-market-assumptions.yaml (branch data); keep the two equal.
import Foundation
import FolioRebalancing

extension CapitalMarketAssumptions {
    /// Folio's bundled capital market assumptions. **ILLUSTRATIVE: invented numbers for
    /// examples and tests (the parameters of the synthetic sample data). NOT a forecast and NOT
    /// investment advice.** ``isIllustrative`` is `true` so reports print a notice.
    ///
    /// Twelve asset classes with annual arithmetic expected returns, volatilities and a
    /// correlation matrix; the content equals `Examples/Data/capital-market-assumptions.yaml`.
    public static let illustrative = CapitalMarketAssumptions(
        isIllustrative: true, name: "Folio sample assumptions (illustrative)",
        asOf: Date(timeIntervalSince1970: 1767139200), // 2025-12-31 UTC
        currency: "USD", horizonYears: 10,
        assetClasses: [
            AssetClass(id: "us-large-cap", expectedReturn: 0.085, volatility: 0.156),
            AssetClass(id: "us-small-cap", expectedReturn: 0.095, volatility: 0.195),
            AssetClass(id: "intl-developed", expectedReturn: 0.072, volatility: 0.158),
            AssetClass(id: "emerging-markets", expectedReturn: 0.08, volatility: 0.193),
            AssetClass(id: "us-aggregate-bond", expectedReturn: 0.035, volatility: 0.051),
            AssetClass(id: "short-treasury", expectedReturn: 0.025, volatility: 0.018),
            AssetClass(id: "tips", expectedReturn: 0.033, volatility: 0.055),
            AssetClass(id: "high-yield", expectedReturn: 0.055, volatility: 0.085),
            AssetClass(id: "reits", expectedReturn: 0.072, volatility: 0.185),
            AssetClass(id: "commodities", expectedReturn: 0.04, volatility: 0.172),
            AssetClass(id: "gold", expectedReturn: 0.05, volatility: 0.144),
            AssetClass(id: "cash", expectedReturn: 0.018, volatility: 0.003),
        ],
        correlations: [
            [1, 0.87, 0.78, 0.68, 0.08, 0.08, 0.07, 0.61, 0.6, 0.25, 0.09, 0],  // us-large-cap
            [0.87, 1, 0.69, 0.59, 0.05, 0.05, 0.04, 0.53, 0.53, 0.22, 0.08, 0],  // us-small-cap
            [0.78, 0.69, 1, 0.73, 0.08, 0.08, 0.06, 0.51, 0.51, 0.21, 0.08, 0],  // intl-developed
            [0.68, 0.59, 0.73, 1, 0.05, 0.05, 0.04, 0.44, 0.44, 0.18, 0.06, 0],  // emerging-markets
            [0.08, 0.05, 0.08, 0.05, 1, 0.94, 0.8, 0.28, 0.21, 0, 0.1, 0],  // us-aggregate-bond
            [0.08, 0.05, 0.08, 0.05, 0.94, 1, 0.79, 0.17, 0.21, 0, 0.1, 0],  // short-treasury
            [0.07, 0.04, 0.06, 0.04, 0.8, 0.79, 1, 0.14, 0.18, 0.1, 0.14, 0],  // tips
            [0.61, 0.53, 0.51, 0.44, 0.28, 0.17, 0.14, 1, 0.41, 0.16, 0.07, 0],  // high-yield
            [0.6, 0.53, 0.51, 0.44, 0.21, 0.21, 0.18, 0.41, 1, 0.16, 0.07, 0],  // reits
            [0.25, 0.22, 0.21, 0.18, 0, 0, 0.1, 0.16, 0.16, 1, 0.04, 0],  // commodities
            [0.09, 0.08, 0.08, 0.06, 0.1, 0.1, 0.14, 0.07, 0.07, 0.04, 1, 0],  // gold
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],  // cash
        ])
}
