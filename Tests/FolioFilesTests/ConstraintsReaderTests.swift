import Foundation
import Testing
import FolioFiles
import FolioOptimization

/// The constraints file's turnover, transaction costs and linear rows; the targets writer;
/// the price selection behind `--symbols`/`--exclude`.
@Suite struct ConstraintsReaderTests {
    static let assets = ["FUSLC", "FUSSC", "FINTL", "FAGGB", "BRK/B"]
    static let current = [0.4, 0.1, 0.2, 0.3, 0]

    @Test func turnoverCostsAndLinearRows() throws {
        let text = """
        groups:
          equities: {assets: [FUSLC, FUSSC, FINTL], min: 0.5}
        turnover: 0.25
        transaction_costs: {default: 10, FINTL: 40, brk/b: 0}
        linear:
          - {name: floor, terms: {equities: 1, FAGGB: -0.5}, min: 0.2, max: 0.9}
          - {terms: {FUSLC: 1}, equals: 0.1}
        """
        let c = try ConstraintsReader.parse(text, file: "c.yaml", assets: Self.assets, currentWeights: Self.current)
        #expect(c.turnoverLimit == 0.25)
        #expect(c.transactionCosts == [0.001, 0.001, 0.004, 0.001, 0])
        #expect(c.linear.count == 3)
        #expect(c.linear[0] == LinearConstraint(name: "floor (min)", coefficients: [1, 1, 1, -0.5, 0], relation: .greaterThanOrEqual, bound: 0.2))
        #expect(c.linear[1] == LinearConstraint(name: "floor (max)", coefficients: [1, 1, 1, -0.5, 0], relation: .lessThanOrEqual, bound: 0.9))
        #expect(c.linear[2].relation == .equal && c.linear[2].name == "linear row 2")
        // The reader leaves current weights to the caller; flat costs apply to every asset.
        let flat = try ConstraintsReader.parse("transaction_costs: 25\n", file: "c.yaml", assets: Self.assets, currentWeights: Self.current)
        #expect(flat.transactionCosts == Array(repeating: 0.0025, count: 5))
    }

    @Test func problemsNameTheirLine() {
        let cases: [(String, String)] = [
            ("turnover: 0.2\n", "--current"),
            ("linear:\n  - {terms: {XYZ: 1}, max: 1}\n", "a symbol of the prices file or a group"),
            ("linear:\n  - {terms: {}, max: 1}\n", "at least one term"),
            ("transaction_costs: {FUSLC: -1}\n", "basis points ≥ 0"),
            ("linear:\n  - {terms: {FUSLC: 1}, max: 1, extra: 2}\n", "extra"),
        ]
        for (text, expected) in cases {
            let withCurrent = !text.hasPrefix("turnover")
            do {
                _ = try ConstraintsReader.parse(text, file: "c.yaml", assets: Self.assets, currentWeights: withCurrent ? Self.current : nil)
                Issue.record("\(text) was accepted")
            } catch {
                #expect(error.description.contains("c.yaml:") && error.description.contains(expected), "\(error)")
            }
        }
    }

    @Test func targetsWriterRoundTrips() throws {
        let weights: [(symbol: String, weight: Double)] = [("BRK/B", 0.3333333333333), ("1E5", 0.3333333333333), ("NO", 0.3333333333334), ("Y", 1e-13)]
        let text = try TargetsWriter.text(weights: weights, name: "A \"quoted\" <name>", comment: ["line\none"])
        #expect(!text.contains("\"Y\""))
        let document = try TargetsReader.parseDocument(text, file: "t.yaml")
        #expect(document.name == "A \"quoted\" <name>")
        let read = document.target.securityWeights
        #expect(Set(read.map(\.symbol)) == ["BRK/B", "1E5", "NO"])
        #expect(read.reduce(Decimal(0)) { $0 + Decimal(string: String($1.weight))! } == 1)
        // A budget below 1 leaves the rest in cash; shorts and leverage are refused.
        let partial = try TargetsReader.parse(try TargetsWriter.text(weights: [("A", 0.6)]), file: "t.yaml").securityWeights
        #expect(partial.first { $0.symbol == "CASH" }?.weight == 0.4)
        #expect(throws: TargetsWriter.WriteError.shortPosition(symbol: "B", weight: -0.1)) { try TargetsWriter.text(weights: [("A", 1.1), ("B", -0.1)]) }
        #expect(throws: TargetsWriter.WriteError.weightsExceedOne(sum: 1.5)) { try TargetsWriter.text(weights: [("A", 1), ("B", 0.5)]) }
    }

    @Test func priceSelection() throws {
        let day = { (d: Int) in Date(timeIntervalSince1970: Double(d) * 86_400) }
        let table = PriceTable(dates: [day(0), day(1), day(2)], symbols: ["A", "B", "C"],
                               prices: [[1, 2, 3], [nil, nil, 5], [7, 8, 9]], latest: ["A": 3, "B": 5, "C": 9])
        let noB = try table.selecting(PriceSelection(excluding: ["b"]), file: "p.csv")
        #expect(noB.symbols == ["A", "C"] && noB.prices == [[1, 2, 3], [7, 8, 9]] && noB.latest == ["A": 3, "C": 9])
        let onlyB = try table.selecting(PriceSelection(symbols: ["B"]), file: "p.csv")
        #expect(onlyB.dates == [day(2)] && onlyB.prices == [[5]])
        #expect(throws: PriceSelection.Failure.unknownSymbols(["Z"], file: "p.csv")) { try table.selecting(PriceSelection(symbols: ["A", "Z", "z"]), file: "p.csv") }
        #expect(throws: PriceSelection.Failure.nothingSelected(file: "p.csv")) { try table.selecting(PriceSelection(symbols: ["A"], excluding: ["A"]), file: "p.csv") }
        #expect(try table.selecting(.all, file: "p.csv") == table)
    }
}
