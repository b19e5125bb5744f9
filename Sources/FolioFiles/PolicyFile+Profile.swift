import Foundation
import FolioPlanning
import FolioRebalancing

extension PolicyFile {
    /// The tax rates a client profile gives a rebalance, as exact decimals: short-term gains
    /// at `tax_rates.short_term_gains` (else `ordinary_income`), long-term gains at
    /// `tax_rates.long_term_gains`; nil where the profile has no rate.
    ///
    /// - Parameter profile: the client profile as read by `ClientReader.profile(contentsOf:)`.
    public static func taxRates(of profile: ClientProfile) -> (shortTerm: Decimal?, longTerm: Decimal?) {
        let exact = { (rate: Double?) in rate.flatMap { Decimal(string: String($0)) } }
        return (exact(profile.taxRates.shortTermGains ?? profile.taxRates.ordinaryIncome), exact(profile.taxRates.longTermGains))
    }

    /// This policy with a client profile's terms added: each tax rate the file does not set is
    /// the profile's (the file's own rates win), and the profile's `constraints.exclude_symbols`
    /// are do-not-buy restrictions for every account.
    ///
    /// The profile's other constraints (sectors, asset-class bounds, largest security weight)
    /// shape a target (`folio profile`), not the trades, and are not applied here.
    ///
    /// - Parameter profile: the client profile.
    /// - Complexity: O(*r* + *s*) for *r* restrictions and *s* excluded symbols.
    public func applying(_ profile: ClientProfile) -> PolicyFile {
        var result = self
        let rates = Self.taxRates(of: profile)
        result.policy.shortTermTaxRate = policy.shortTermTaxRate ?? rates.shortTerm
        result.policy.longTermTaxRate = policy.longTermTaxRate ?? rates.longTerm
        let excluded = profile.constraints.excludedSymbols.sorted()
        if !excluded.isEmpty {
            result.restrictions.append(Restriction(account: nil, doNotSell: [], doNotBuy: excluded))
        }
        return result
    }
}
