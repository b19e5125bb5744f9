import Foundation
import Testing
@testable import FolioPlanning
import FolioRebalancing

@Suite("Glide paths")
struct GlidePathTests {
    @Test("The default glide path is valid and monotone: equity never rises as the goal nears")
    func monotone() throws {
        let g = GlidePath.standard
        try g.validate()
        var previous = -1.0
        for k in 0...450 {
            let years = Double(k) / 10
            let s = g.equityShare(yearsToGoal: years)
            #expect(s >= previous - 1e-15, "share fell at \(years) years")
            #expect(s >= 0 && s <= 1)
            previous = s
        }
        #expect(g.equityShare(yearsToGoal: 0) == 0.30)
        #expect(g.equityShare(yearsToGoal: -3) == 0.30)
        #expect(g.equityShare(yearsToGoal: 30) == 0.90)
        #expect(g.equityShare(yearsToGoal: 60) == 0.90)
        #expect(abs(g.equityShare(yearsToGoal: 2.5) - 0.35) < 1e-12)
        #expect(abs(g.equityShare(yearsToGoal: 12) - (0.55 + 0.4 * 0.13)) < 1e-12)
    }

    @Test("Step interpolation takes the point at or below")
    func step() {
        var g = GlidePath.standard
        g.interpolation = .step
        #expect(g.equityShare(yearsToGoal: 9.99) == 0.40)
        #expect(g.equityShare(yearsToGoal: 10) == 0.55)
    }

    @Test("A path whose share falls with the years is rejected")
    func rejectsNonMonotone() {
        let g = GlidePath(points: [.init(yearsToGoal: 0, equityShare: 0.5), .init(yearsToGoal: 10, equityShare: 0.4)])
        #expect(throws: GlidePathError.invalidPoint(index: 1, reason: "equity share must not decrease with years to goal")) {
            try g.validate()
        }
        #expect(throws: GlidePathError.empty) { try GlidePath(points: []).validate() }
    }

    @Test("Cap lowers an aggressive model to the path's share, scaling the groups in proportion")
    func capApplied() {
        let m = ModelPortfolios.standard
        let mix = m.models[.aggressive]!
        let adj = GlidePath.standard.apply(to: mix, groups: m.groups, yearsToGoal: 5)
        #expect(adj.changed)
        #expect(abs(adj.equityShareBefore - 0.86) < 1e-12)
        #expect(abs(adj.equityShareAfter - 0.40) < 1e-12)
        let groups = m.groups
        let equity = adj.weights.filter { groups[$0.key] == .equity }.values.reduce(0, +)
        #expect(abs(equity - 0.40) < 1e-12)
        #expect(abs(adj.weights.values.reduce(0, +) - 1) < 1e-12)
        // proportions within each group are preserved
        #expect(abs(adj.weights["us-large-cap"]! / adj.weights["intl-developed"]! - 0.44 / 0.19) < 1e-12)
        #expect(abs(adj.weights["us-aggregate-bond"]! / adj.weights["cash"]! - 0.06 / 0.02) < 1e-12)
        // far from the goal the cap does not bind
        let far = GlidePath.standard.apply(to: mix, groups: m.groups, yearsToGoal: 35)
        #expect(!far.changed && far.weights == mix)
    }

    @Test("Replace raises a conservative model to the path's share")
    func replaceRaises() {
        let m = ModelPortfolios.standard
        var g = GlidePath.linear(shareAtGoal: 0.2, share: 0.8, yearsBefore: 20, application: .replace)
        #expect(throws: Never.self) { try g.validate() }
        let adj = g.apply(to: m.models[.conservative]!, groups: m.groups, yearsToGoal: 20)
        #expect(abs(adj.equityShareAfter - 0.8) < 1e-12)
        g.application = .cap
        #expect(!g.apply(to: m.models[.conservative]!, groups: m.groups, yearsToGoal: 20).changed)
    }
}
