import Foundation
import Testing
import Folio

@Suite("Optimized target: the efficient portfolio in the client's risk band (Folio umbrella)")
struct OptimizedTargetTests {
    @Test("Each category: efficient portfolio inside its band, weights sum to 1, beats the model's return at no more risk",
          arguments: RiskCategory.allCases)
    func inBand(category: RiskCategory) throws {
        let t = try OptimizedTarget().target(for: category)
        let band = ModelPortfolios.standard.riskBands[category]!
        #expect(band.contains(t.statistics!.volatility))
        #expect(abs(t.weights.map(\.weight).reduce(0, +) - 1) < 1e-9)
        try Rebalancer.validate(t.allocation)
        let model = try CapitalMarketAssumptions.illustrative.statistics(of: ModelPortfolios.standard.models[category]!)
        if model.volatility <= band.midpoint { #expect(t.statistics!.expectedReturn >= model.expectedReturn - 1e-9) }
    }

    @Test("Client constraints: excluded class absent, bounds hold, excluded fund replaced")
    func constrained() throws {
        let c = ClientConstraints(excludedSymbols: ["FUSLC"], excludedAssetClasses: ["commodities"],
                                  assetClassBounds: ["emerging-markets": .init(maximum: 0.03), "us-aggregate-bond": .init(minimum: 0.2)],
                                  maxSecurityWeight: 0.4)
        let t = try OptimizedTarget().target(for: .moderate, constraints: c)
        let w = t.weightsByAssetClass
        #expect(w["commodities"] == nil)
        #expect((w["emerging-markets"] ?? 0) <= 0.03 + 1e-7)
        #expect(w["us-aggregate-bond"]! >= 0.2 - 1e-7)
        #expect(w.values.allSatisfy { $0 <= 0.4 + 1e-7 })
        if let s = t.allocation.sleeves.first(where: { $0.assetClass == "us-large-cap" }) { #expect(s.primary == "FUSTM") }
        let profile = ClientProfile(client: .init(name: "x", birthYear: 1972), constraints: c,
                                    answers: QuestionnaireAnswers(["reaction-to-decline": "c", "range-of-outcomes": "c", "describe-yourself": "c", "coin-flip": "b",
                                                                   "checking-habit": "c", "investing-experience": "d", "time-until-withdrawals": "d", "income-security": "c",
                                                                   "emergency-savings": "d", "annual-withdrawal-rate": "d"]))
        let viaProfile = try profile.target(from: OptimizedTarget())
        #expect(viaProfile.category == .moderatelyAggressive)
        for r in viaProfile.reasoning { print(r) }
    }
}
