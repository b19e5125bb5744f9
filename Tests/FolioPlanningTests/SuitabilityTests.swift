import Foundation
import Testing
@testable import FolioPlanning
import FolioRebalancing

@Suite("Suitability warnings")
struct SuitabilityTests {
    @Test("Volatility outside the client's band warns; inside does not")
    func volatility() throws {
        let models = ModelPortfolios.standard
        let band = models.riskBands[.moderatelyConservative]!
        let check = Suitability()
        let aggressive = try CapitalMarketAssumptions.illustrative.statistics(of: models.models[.aggressive]!)
        let w = check.check(volatility: aggressive.volatility, category: .moderatelyConservative, band: band)
        #expect(w.map(\.kind) == [.volatilityAboveBand])
        #expect(w[0].limit == band.maximum)
        #expect(check.check(volatility: 0.02, category: .moderatelyConservative, band: band).map(\.kind) == [.volatilityBelowBand])
        #expect(check.check(volatility: 0.06, category: .moderatelyConservative, band: band).isEmpty)
    }

    @Test("Goals below their priority's threshold warn")
    func goals() throws {
        let asOf = GoalsTestSupport.date(2025, 12, 31)
        let set = GoalSet(goals: [
            Goal(name: "Easy", targetAmount: 1_000, amountBasis: .nominal, targetDate: GoalsTestSupport.date(2030, 1, 1),
                 priority: .need, setAside: 10_000),
            Goal(name: "Hard", targetAmount: 1_000_000, amountBasis: .nominal, targetDate: GoalsTestSupport.date(2030, 1, 1),
                 priority: .wish, setAside: 10_000),
        ])
        let results = try set.analyze(asOf: asOf, model: LognormalReturnModel(expectedReturn: 0.06, volatility: 0.1),
                                      simulation: MonteCarloSimulation(paths: 1_000))
        let warnings = Suitability().check(goals: results)
        #expect(warnings.map(\.subject) == ["Hard"])
        #expect(warnings[0].kind == .goalProbabilityBelowThreshold && warnings[0].limit == 0.5)
    }
}
