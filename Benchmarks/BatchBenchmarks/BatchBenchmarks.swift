// The batch (issue 22): the plan writer against JSONEncoder on the same reports, the engine
// alone on the accounts of a generated book, and the whole pipeline (`BatchRebalance.run`:
// read, plan, write plans, summary and blotter) on that book, one job. The book is
// Scripts/batch/generate_book.py's, made here with the same shape: ACCOUNTS accounts x 20
// positions x 3 lots (default 1,000; FOLIO_BATCH_ACCOUNTS=10000 for the issue's book).
//
//     cd Benchmarks && swift package --disable-sandbox benchmark --target BatchBenchmarks --no-progress
import Benchmark
import BenchmarkInputs
import Folio
import Foundation

/// Writes the book (holdings.csv, targets.yaml, policy.yaml) into a new temporary folder.
func makeBook(accounts: Int, positions: Int = 20, lots: Int = 3) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-batch-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var rng = SplitMix64(state: 20_261_129)
    let universe = (0..<(positions + 10)).map { String(format: "S%03d", $0) }
    let price = universe.map { _ in rng.int(1_500...40_000) }
    var targets = "targets:\n"
    for s in universe.prefix(16) { targets += "  \(s): 0.0625\n" }
    try targets.write(to: folder.appendingPathComponent("targets.yaml"), atomically: true, encoding: .utf8)
    try "trigger: always\nbands: {absolute: 0.05, relative: 0.25}\ncash: {reserve_percent: 0.005}\ntrading: {min_trade: 50.00}\ntaxes: {lot_method: tax-minimizing, short_term_rate: 0.37, long_term_rate: 0.20}\n"
        .write(to: folder.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
    var csv = "Account Number,Account Type,Symbol,Quantity,Price,Cost Basis Total,Date Acquired,Asset Class\n"
    for n in 0..<accounts {
        let id = String(format: "B%06d", n)
        let kind = n % 3 == 0 ? "Traditional IRA" : "Taxable"
        var held: [Int] = []
        while held.count < positions {
            let s = rng.int(0...(universe.count - 1))
            if !held.contains(s) { held.append(s) }
        }
        for s in held {
            for _ in 0..<lots {
                let q = rng.int(1...60)
                let basis = q * price[s] * rng.int(60...130) / 100
                let year = [2018, 2020, 2022, 2024, 2025][rng.int(0...4)]
                csv += "\(id),\(kind),\(universe[s]),\(q),\(price[s] / 100).\(String(format: "%02d", price[s] % 100)),"
                    + "\(basis / 100).\(String(format: "%02d", basis % 100)),\(String(format: "%02d/%02d/%d", rng.int(1...11), rng.int(1...28), year)),equity\n"
            }
        }
        csv += "\(id),\(kind),CASH,\(rng.int(100...20_000)).00,1.00,--,--,cash\n"
    }
    csv += "Total,,,,,,,\n"
    try csv.write(to: folder.appendingPathComponent("holdings.csv"), atomically: true, encoding: .utf8)
    return folder
}

let accounts = Int(ProcessInfo.processInfo.environment["FOLIO_BATCH_ACCOUNTS"] ?? "") ?? 1_000
let asOf = Date(timeIntervalSince1970: 1_767_139_200)  // 2025-12-31

@_optimize(none) func blackHole<T>(_ value: T) {}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.cpuTotal, .wallClock, .peakMemoryResident, .mallocCountTotal],
                                           maxDuration: .seconds(20), maxIterations: 5)
    let folder = try! makeBook(accounts: accounts)
    let context = try! RebalanceContext.load(targets: folder.appendingPathComponent("targets.yaml"),
                                             policy: folder.appendingPathComponent("policy.yaml"), asOf: asOf)
    let holdingsURL = folder.appendingPathComponent("holdings.csv")
    // The accounts read once, each assembled as the batch assembles it.
    let all = try! HoldingsReader.read(contentsOf: holdingsURL, isolatingAccountErrors: true, asOf: asOf)
    var shared = all
    shared.accounts = []
    let inputs: [RebalanceInputs] = all.accounts.map { account in
        var one = shared
        one.accounts = [account]
        return try! RebalanceInputs.assemble(holdings: one, file: holdingsURL.path, context: context, partOfBook: true)
    }
    let reports: [PlanReport] = inputs.prefix(1_000).map { i in
        let run = try! i.rebalance()
        return PlanReport(title: i.accounts[0].id, plans: run.plans, target: i.target, notes: i.notes + run.notes)
    }

    Benchmark("Batch.Engine.\(accounts)x20x3") { benchmark in
        for i in inputs { blackHole(try i.rebalance()) }
    }
    Benchmark("Batch.PlanWriter.\(reports.count)") { benchmark in
        for r in reports { blackHole(try r.planJSON()) }
    }
    Benchmark("Batch.JSONEncoder.\(reports.count)") { benchmark in
        for r in reports { blackHole(try r.json()) }
    }
    // The same pipeline on one and on two worker threads (what `folio batch --jobs N` runs):
    // wall clock shows the scaling, CPU what the second thread costs.
    for jobs in [1, 2] {
        Benchmark("Batch.Pipeline.\(accounts)x20x3.jobs\(jobs)") { benchmark in
            let output = folder.appendingPathComponent("out-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: output) }
            let batch = try BatchRebalance(holdings: holdingsURL, context: context, output: output)
            blackHole(try batch.run(jobs: jobs, keepingOutcomes: false))
        }
    }
}
