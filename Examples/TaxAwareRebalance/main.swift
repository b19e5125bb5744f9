// The couple's household rebalanced two ways, side by side: by the rules (each line to its
// located target, tax-minimizing lots) and by the tax-aware optimizer (one convex program over
// the three accounts and every lot, at several tax weights), with tax and drift.
//
//   swift run TaxAwareRebalance [household]      (young-accumulator, couple or retiree)
//
// The data in Examples/Data is synthetic, with fictional tickers.
import Folio
import Foundation

let data = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Data")
let name = CommandLine.arguments.dropFirst().first ?? "couple"
let folder = data.appendingPathComponent("households/\(name)")

do {
    var inputs = try RebalanceInputs.load(
        holdings: folder.appendingPathComponent("holdings.csv"),
        targets: folder.appendingPathComponent("targets.yaml"),
        policy: folder.appendingPathComponent("policy.yaml"),
        securities: data.appendingPathComponent("securities.csv"),
        prices: data.appendingPathComponent("prices.csv"))
    inputs.policyFile.policy.trigger = .always
    // Both plans are scored in the optimizer's model: realized tax and household tracking error.
    let built = try TaxAwareHouseholdProblem(
        household: Household(id: name, accounts: inputs.accounts), target: inputs.investedTarget,
        securities: inputs.securities, prices: inputs.prices, policy: inputs.policy, assumptions: .illustrative,
        rules: inputs.policyFile.assetLocationRules, settings: TaxAwareSettings(), context: inputs.context)
    let rules = try inputs.rebalance()
    let (bought, sold) = built.variables(of: rules.household)
    let rulesParts = built.problem.parts(sharesBought: bought, sharesSold: sold)
    func row(_ label: String, _ parts: TaxAwareObjectiveParts, trades: Int, invariants: Bool) -> String {
        label.padding(toLength: 26, withPad: " ", startingAt: 0)
            + String(format: "%10.0f %10.2f %12.0f %8d  %@", parts.tax, parts.trackingError * 100, parts.traded, trades, invariants ? "yes" : "NO")
    }
    let noTrade = built.problem.parts(
        sharesBought: Array(repeating: Array(repeating: 0, count: built.problem.securities.count), count: built.problem.accounts.count),
        sharesSold: Array(repeating: 0, count: built.problem.lots.count))
    print("\(name): \(inputs.accounts.count) accounts, \(built.problem.lots.count) lots, household $\(Int(built.problem.householdValue))")
    print("plan                         tax ($)  TE (pts)  traded ($)   trades  invariants")
    print(row("no trade", noTrade, trades: 0, invariants: true))
    print(row("rules (to-target)", rulesParts, trades: rules.plans.flatMap(\.trades).count,
              invariants: rules.plans.allSatisfy(\.invariants.allHold)))
    for weight in [0.25, 1, 4] {
        var settings = OptimizerSettings()
        settings.taxWeight = weight
        let optimized = try inputs.optimizedRebalance(settings)
        print(row("optimized, tax weight \(weight)", optimized.taxAware.rounded, trades: optimized.plans.flatMap(\.trades).count,
                  invariants: optimized.plans.allSatisfy(\.invariants.allHold)))
    }
    let optimized = try inputs.optimizedRebalance(OptimizerSettings())
    print("\nwhy each trade (tax weight 1):")
    for line in optimized.taxAware.explanations { print("  " + line) }
    print(String(format: "\nrelaxed optimum %.6g, whole-share plan %.6g: %.1f%% of the improvement kept; KKT residual %.1e",
                 optimized.taxAware.relaxed.objective, optimized.taxAware.roundedObjective,
                 optimized.taxAware.improvementKept * 100, optimized.taxAware.relaxed.residuals.maximum))
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
