// Rebalance a whole household from the files an advisor has: a custodian's holdings export,
// the household target, the policy, the security master and a price history.
//
//   swift run RebalanceHousehold [household]      (young-accumulator, couple or retiree)
//
// The data in Examples/Data is synthetic, with fictional tickers.
import Folio
import Foundation

let data = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Data")
let name = CommandLine.arguments.dropFirst().first ?? "couple"
let folder = data.appendingPathComponent("households/\(name)")

do {
    // 1. Read and cross-check the files (every problem names file:line:column).
    let inputs = try RebalanceInputs.load(
        holdings: folder.appendingPathComponent("holdings.csv"),
        targets: folder.appendingPathComponent("targets.yaml"),
        policy: folder.appendingPathComponent("policy.yaml"),
        securities: data.appendingPathComponent("securities.csv"),
        prices: data.appendingPathComponent("prices.csv"))
    print("\(name): \(inputs.accounts.count) accounts, \(inputs.accounts.flatMap(\.positions).flatMap(\.lots).count) lots, as of \(ReportFormat.date(inputs.prices.asOf))")

    // 2. The household as one: asset location spreads the target over the accounts (bonds to
    //    the IRA first, growth to the Roth), then one plan per account: tax lots, wash sales,
    //    restrictions, cash flows, costs.
    let run = try inputs.rebalance()
    let plans = run.plans
    for plan in plans {
        let check = plan.invariants.allHold ? "all invariants hold" : "INVARIANT FAILED"
        print("  \(plan.accountID) (\(plan.accountKind.rawValue)): \(plan.trades.count) trades, tax \(ReportFormat.tax(plan.estimatedTax)), \(check)")
    }

    // 3. The household view: the same table `folio rebalance` prints.
    let report = PlanReport(title: name, plans: plans, target: inputs.target, notes: inputs.notes + run.notes, names: inputs.names)
    print()
    print(report.table(), terminator: "")
} catch {
    print("error: \(error)")
    exit(1)
}
