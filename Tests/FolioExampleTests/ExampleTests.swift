import Foundation
import Testing

/// Every example builds (it is a dependency of this test target) and runs on the bundled
/// data, printing its key lines — so no example can rot silently.
@Suite(.serialized) struct ExampleTests {
    static func run(_ example: String, _ arguments: [String] = []) throws -> (status: Int32, output: String) {
        try Repository.run(Repository.productsDirectory.appendingPathComponent(example), arguments)
    }

    /// Each example with lines its output must contain.
    static let expectations: [(example: String, arguments: [String], lines: [String])] = [
        ("RebalanceAccount", [], ["Rebalance to target, tax-minimizing", "SELL", "invariants hold: true", "estimated tax"]),
        ("RebalanceHousehold", ["couple"], ["couple: 3 accounts", "all invariants hold", "Estimated tax"]),
        ("RebalanceHousehold", ["retiree"], ["retiree: 2 accounts", "Withdrawals"]),
        ("PolicyBacktest", [], ["2 accounts, 2608 dates, 4 policies", "wealth identity true", "Tax alpha vs never", "2025 (owed)"]),
        ("TaxAwareRebalance", ["couple"], ["couple: 3 accounts", "rules (to-target)", "optimized, tax weight 1.0", "why each trade", "of the improvement kept"]),
        ("CovarianceEstimation", [], ["Ledoit-Wolf, scaled identity", "Oracle approximating (OAS)", "EW vol"]),
        ("BlackLitterman", [], ["Black-Litterman", "FEMKT", "implied wt"]),
        ("Tour", [], ["max Sharpe", "us-aggregate-bond underweight", "true"]),
        ("MeanVariance", [], ["Maximum Sharpe", "Efficient frontier (20 points)"]),
        ("WalkForward", [], ["Walk-forward comparison over 44 assets, 33 rebalances", "equal weight (1/N)", "Highest out-of-sample Sharpe"]),
        ("RiskParity", [], ["Equal risk contribution", "risk share"]),
        ("HierarchicalRiskParity", [], ["Dendrogram (single linkage", "optimal leaf order: ", "NCO"]),
        ("DiscreteAllocation", [], ["Greedy:", "leftover cash"]),
        ("ClientRiskProfile", [], ["Questionnaire 'Folio default risk-tolerance questionnaire'"]),
        ("GoalPlanning", [], ["ILLUSTRATIVE", "glide path", "What would it take", "you asked for", "student-t"]),
        ("SegmentBook", [], ["Book of 3000 clients", "highest silhouette", "clients to review", "Gaussian mixture with"]),
    ]

    @Test(arguments: expectations.indices)
    func exampleRuns(index: Int) throws {
        let (example, arguments, lines) = Self.expectations[index]
        let result = try Self.run(example, arguments)
        #expect(result.status == 0, "\(example) failed:\n\(result.output)")
        for line in lines { #expect(result.output.contains(line), "\(example) output lacks \"\(line)\"") }
    }

    /// The README's "A tour of the API" block is `Examples/Tour/main.swift` below its header
    /// comment, so the README's code is compiled and run by the test above.
    @Test func readmeTourIsTheTourExample() throws {
        let root = Repository.root
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let tour = try String(contentsOf: root.appendingPathComponent("Examples/Tour/main.swift"), encoding: .utf8)
        let section = try #require(readme.range(of: "## A tour of the API"), "README has no API tour")
        let rest = readme[section.upperBound...]
        let open = try #require(rest.range(of: "```swift\n"))
        let close = try #require(rest[open.upperBound...].range(of: "\n```"))
        let block = String(rest[open.upperBound..<close.lowerBound])
        let code = tour.split(separator: "\n", omittingEmptySubsequences: false)
            .drop(while: { $0.hasPrefix("//") }).joined(separator: "\n")
        #expect(code.trimmingCharacters(in: .whitespacesAndNewlines) == block.trimmingCharacters(in: .whitespacesAndNewlines),
                "README's API tour and Examples/Tour/main.swift differ: copy one onto the other")
    }
}
