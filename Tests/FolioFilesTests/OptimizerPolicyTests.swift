import Foundation
import Testing
import FolioFiles
import FolioRebalancing

@Suite("Policy mode: optimized")
struct OptimizerPolicyTests {
    @Test("mode: optimized with an optimizer section reads every key; the engine mode stays to-target")
    func reads() throws {
        let file = try PolicyReader.parse("""
        mode: optimized
        optimizer:
          tax_weight: 2.5
          tracking_weight: 400
          risk_model: capital-market-assumptions
          turnover_limit: 0.1
        """, file: "policy.yaml")
        let settings = try #require(file.optimizer)
        #expect(settings.taxWeight == 2.5)
        #expect(settings.trackingWeight == 400)
        #expect(settings.riskModel == "capital-market-assumptions")
        #expect(settings.turnoverLimit == 0.1)
        #expect(file.policy.mode == .toTarget)
        let defaults = try #require(try PolicyReader.parse("mode: optimized", file: "p.yaml").optimizer)
        #expect(defaults == OptimizerSettings())
        #expect(try PolicyReader.parse("mode: to-target", file: "p.yaml").optimizer == nil)
    }

    @Test("risk_model names an estimator; prices is read relative to the policy file's folder, absolute as it is")
    func estimatedRiskModel() throws {
        for model in ["sample", "ledoit-wolf", "ewma"] {
            let file = try PolicyReader.parse("mode: optimized\noptimizer:\n  risk_model: \(model)\n  prices: data/prices.csv",
                                              file: "/clients/smith/policy.yaml")
            let settings = try #require(file.optimizer)
            #expect(settings.riskModel == model)
            #expect(settings.pricesHistory?.path == "/clients/smith/data/prices.csv")
        }
        let absolute = try PolicyReader.parse("mode: optimized\noptimizer:\n  risk_model: sample\n  prices: /data/p.csv", file: "/a/policy.yaml")
        #expect(absolute.optimizer?.pricesHistory?.path == "/data/p.csv")
        #expect(try PolicyReader.parse("mode: optimized\noptimizer:\n  risk_model: sample", file: "p.yaml").optimizer?.pricesHistory == nil)
    }

    @Test("errors name the key: optimizer without mode optimized, unknown risk model, negative weight, unknown key")
    func errors() {
        for (text, expected) in [
            ("optimizer:\n  tax_weight: 1", "mode: optimized"),
            ("mode: optimized\noptimizer:\n  risk_model: garch", "capital-market-assumptions, sample, ledoit-wolf or ewma"),
            ("mode: optimized\noptimizer:\n  tax_weight: -1", "tax weight"),
            ("mode: optimized\noptimizer:\n  turnover_limit: 2", "turnover limit"),
            ("mode: optimized\noptimizer:\n  tax_wieght: 1", "tax_weight"),
        ] {
            do {
                _ = try PolicyReader.parse(text, file: "policy.yaml")
                Issue.record("accepted: \(text)")
            } catch {
                #expect("\(error)".contains(expected), "\(text): \(error)")
                #expect("\(error)".contains("policy.yaml"))
            }
        }
    }
}
