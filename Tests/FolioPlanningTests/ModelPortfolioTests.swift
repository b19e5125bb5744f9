import Foundation
import Testing
@testable import FolioPlanning
import FolioRebalancing

@Suite("Model portfolios, capital market assumptions and client targets")
struct ModelPortfolioTests {
    let models = ModelPortfolios.standard
    let cma = CapitalMarketAssumptions.illustrative

    @Test("Bundled data is valid; assumptions are marked illustrative")
    func valid() throws {
        try models.validate()
        try cma.validate()
        #expect(cma.isIllustrative)
        #expect(cma.assetClasses.count == 12 && models.assetClasses.count == 12)
        #expect(Set(cma.assetClasses.map(\.id)) == Set(models.assetClasses.map(\.id)))
    }

    @Test("Each bundled model's volatility lies in its category's band, and risk rises with the category")
    func modelsInBand() throws {
        var last = 0.0
        for c in RiskCategory.allCases {
            let s = try cma.statistics(of: models.models[c]!)
            #expect(models.riskBands[c]!.contains(s.volatility), "\(c): \(s.volatility)")
            #expect(s.volatility > last)
            last = s.volatility
        }
    }

    @Test("Portfolio statistics: a single class has its own return and volatility; two classes by hand")
    func statistics() throws {
        let one = try cma.statistics(of: ["us-large-cap": 1])
        #expect(one.expectedReturn == 0.085 && abs(one.volatility - 0.156) < 1e-15)
        let two = try cma.statistics(of: ["us-large-cap": 0.6, "us-aggregate-bond": 0.4])
        let v = 0.36 * 0.156 * 0.156 + 0.16 * 0.051 * 0.051 + 2 * 0.24 * 0.156 * 0.051 * 0.08
        #expect(abs(two.volatility - v.squareRoot()) < 1e-15)
        #expect(abs(two.expectedReturn - (0.6 * 0.085 + 0.4 * 0.035)) < 1e-15)
        #expect(throws: CapitalMarketAssumptionsError.unknownAssetClass("crypto")) { try cma.statistics(of: ["crypto": 1]) }
    }

    @Test("A non-PSD correlation matrix is rejected")
    func rejectsBadCorrelation() {
        let bad = CapitalMarketAssumptions(
            isIllustrative: true,
            assetClasses: [.init(id: "a", expectedReturn: 0.05, volatility: 0.1), .init(id: "b", expectedReturn: 0.05, volatility: 0.1),
                           .init(id: "c", expectedReturn: 0.05, volatility: 0.1)],
            correlations: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])
        #expect(throws: CapitalMarketAssumptionsError.self) { try bad.validate() }
    }

    @Test("Moderate target: the model implemented by its funds, statistics in band, reasoning attached")
    func moderateTarget() throws {
        let t = try models.target(for: .moderate, assumptions: cma)
        #expect(t.allocation.isByAssetClass)
        #expect(abs(t.allocation.sleeves.map(\.weight).reduce(0, +) - 1) < 1e-12)
        try Rebalancer.validate(t.allocation)
        let large = t.allocation.sleeves.first { $0.assetClass == "us-large-cap" }!
        #expect(large.primary == "FUSLC" && large.alternates == ["FUSTM"] && large.weight == 0.3)
        #expect(t.volatilityInBand == true)
        #expect(t.reasoning.count >= 2)
    }

    @Test("Glide path, exclusions, bounds and excluded funds shape the target")
    func constrainedTarget() throws {
        let constraints = ClientConstraints(
            excludedSymbols: ["FUSLC"], excludedAssetClasses: ["commodities"],
            assetClassBounds: ["emerging-markets": .init(maximum: 0.02), "us-aggregate-bond": .init(minimum: 0.15)])
        let t = try models.target(for: .aggressive, yearsToGoal: 10, constraints: constraints, assumptions: cma)
        let w = t.weightsByAssetClass
        #expect(abs(w.values.reduce(0, +) - 1) < 1e-12)
        #expect(w["commodities"] == nil)
        #expect(w["emerging-markets"]! <= 0.02 + 1e-12)
        #expect(w["us-aggregate-bond"]! >= 0.15 - 1e-12)
        #expect(t.allocation.sleeves.first { $0.assetClass == "us-large-cap" }!.primary == "FUSTM")
        #expect(t.reasoning.contains { $0.hasPrefix("Glide path (cap) at 10.0 years") })
        #expect(t.reasoning.contains { $0.contains("fund FUSLC is excluded") })
        let infeasible = ClientConstraints(assetClassBounds: ["cash": .init(minimum: 0.7), "tips": .init(minimum: 0.4)])
        #expect(throws: ClientTargetError.self) { try models.target(for: .moderate, constraints: infeasible) }
    }

    @Test("From a client to a target: the couple's profile")
    func clientProfileTarget() throws {
        let profile = ClientProfile(
            client: .init(name: "Dana Whitcombe-Ferris", birthYear: 1972), retirementAge: 63, horizonYears: 30,
            constraints: ClientConstraints(excludedSymbols: ["TOYBX"], assetClassBounds: [
                "emerging-markets": .init(maximum: 0.08), "us-aggregate-bond": .init(minimum: 0.15)]),
            answers: QuestionnaireAnswers(GoalsTestSupport.coupleAnswers, questionnaireID: "folio-default"))
        let t = try profile.target(asOfYear: 2025)
        #expect(t.category == .moderatelyAggressive)
        #expect(t.assessment?.governing == .willingness)
        #expect(t.reasoning.first!.hasPrefix("Risk score 65.0 of 100"))
        // 30 years out the glide path (90%) does not bind the 72% equity model.
        #expect(t.weightsByAssetClass == models.models[.moderatelyAggressive]!)
        #expect(throws: ClientTargetError.noAnswers) { try ClientProfile(client: .init(name: "x", birthYear: 1990)).target(asOfYear: 2025) }
    }
}
