import Foundation
import Testing
import FolioFiles
import FolioPlanning
import FolioRebalancing

/// capital-market-assumptions.yaml and models.yaml: the bundled files read back equal to the
/// built-ins, JSON reads the same, and every invalid value is an error at its line and column.
@Suite struct PlanningReaderTests {
    static let assumptionsURL = SampleDataTests.data.appendingPathComponent("capital-market-assumptions.yaml")
    static let modelsURL = SampleDataTests.data.appendingPathComponent("models.yaml")

    /// `file:line:column` of the first occurrence of `needle` in `text` (plus `offset` characters).
    static func place(of needle: String, in text: String, file: String, offset: Int = 0) -> String {
        let range = text.range(of: needle)!
        let before = text[..<range.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
        return "\(file):\(line):\(column + offset)"
    }

    static func error(_ body: () throws(FileError) -> Void) -> FileError? {
        do { try body(); return nil } catch { return error }
    }

    @Test func bundledAssumptionsEqualTheBuiltIn() throws {
        let read = try PlanningReader.capitalMarketAssumptions(contentsOf: Self.assumptionsURL)
        #expect(read == CapitalMarketAssumptions.illustrative)
        #expect(read.isIllustrative)
    }

    @Test func bundledModelsEqualTheBuiltIn() throws {
        let read = try PlanningReader.models(contentsOf: Self.modelsURL)
        #expect(read == ModelPortfolios.standard)
    }

    @Test func jsonReadsTheSame() throws {
        let cma = CapitalMarketAssumptions.illustrative
        let cmaJSON: [String: Any] = [
            "illustrative": true, "name": cma.name, "as_of": "2025-12-31", "currency": cma.currency, "horizon_years": cma.horizonYears!,
            "asset_classes": cma.assetClasses.map { ["id": $0.id, "expected_return": $0.expectedReturn, "volatility": $0.volatility] },
            "correlations": cma.correlations,
        ]
        let cmaText = String(decoding: try JSONSerialization.data(withJSONObject: cmaJSON, options: [.sortedKeys]), as: UTF8.self)
        #expect(try PlanningReader.parseCapitalMarketAssumptions(cmaText, file: "cma.json") == cma)

        let models = ModelPortfolios.standard
        let glide = try #require(models.glidePath)
        let modelsJSON: [String: Any] = [
            "asset_classes": Dictionary(uniqueKeysWithValues: models.assetClasses.map {
                ($0.id, ["name": $0.name, "group": $0.group.rawValue, "fund": $0.fund, "alternates": $0.alternates] as [String: Any])
            }),
            "risk_categories": Dictionary(uniqueKeysWithValues: models.riskBands.map {
                ($0.key.rawValue, ["min_volatility": $0.value.minimum, "max_volatility": $0.value.maximum])
            }),
            "models": Dictionary(uniqueKeysWithValues: models.models.map { ($0.key.rawValue, $0.value) }),
            "glide_path": ["apply": glide.application.rawValue, "interpolation": glide.interpolation.rawValue,
                           "points": glide.points.map { ["years_to_goal": $0.yearsToGoal, "equity_share": $0.equityShare] }] as [String: Any],
        ]
        let modelsText = String(decoding: try JSONSerialization.data(withJSONObject: modelsJSON, options: [.sortedKeys]), as: UTF8.self)
        var read = try PlanningReader.parseModels(modelsText, file: "models.json")
        // JSON objects have no order: compare the classes as a set, then in the built-in's order.
        #expect(Set(read.assetClasses) == Set(models.assetClasses))
        read.assetClasses = models.assetClasses
        #expect(read == models)
    }

    @Test func weightsThatDoNotSumToOneAreNamedAtTheirModel() throws {
        let text = try String(contentsOf: Self.modelsURL, encoding: .utf8)
            .replacingOccurrences(of: "  aggressive:\n    us-large-cap: 0.44", with: "  aggressive:\n    us-large-cap: 0.47")
        let error = try #require(Self.error { () throws(FileError) in _ = try PlanningReader.parseModels(text, file: "m.yaml") })
        #expect(error.issues.count == 1, "\(error)")
        let line = text[..<text.range(of: "  aggressive:\n    us-large-cap: 0.47")!.lowerBound].filter { $0 == "\n" }.count + 1
        #expect(error.description.contains("m.yaml:\(line):3"), "\(error)")
        #expect(error.description.contains("sum to 1.03"), "\(error)")
    }

    @Test func anUnknownAssetClassIsNamedAtItsKey() throws {
        let text = try String(contentsOf: Self.modelsURL, encoding: .utf8)
            .replacingOccurrences(of: "    us-small-cap: 0.1\n    intl-developed: 0.19", with: "    us-smallcap: 0.1\n    intl-developed: 0.19")
        let error = try #require(Self.error { () throws(FileError) in _ = try PlanningReader.parseModels(text, file: "m.yaml") })
        #expect(error.description.contains(Self.place(of: "us-smallcap", in: text, file: "m.yaml") + ": found \"us-smallcap\", expected an asset class listed in asset_classes"), "\(error)")
    }

    @Test func aNegativeVolatilityIsNamedAtTheNumber() throws {
        let text = try String(contentsOf: Self.assumptionsURL, encoding: .utf8)
            .replacingOccurrences(of: "{id: gold, expected_return: 0.050, volatility: 0.144}", with: "{id: gold, expected_return: 0.050, volatility: -0.144}")
        let error = try #require(Self.error { () throws(FileError) in _ = try PlanningReader.parseCapitalMarketAssumptions(text, file: "c.yaml") })
        #expect(error.issues.count == 1)
        #expect(error.description.contains(Self.place(of: "-0.144", in: text, file: "c.yaml") + ": found \"-0.144\", expected an annual volatility ≥ 0"), "\(error)")
    }

    @Test func aCorrelationMatrixThatIsNotPositiveSemidefiniteIsNamed() throws {
        let text = """
        illustrative: true
        asset_classes:
          - {id: a, expected_return: 0.05, volatility: 0.1}
          - {id: b, expected_return: 0.05, volatility: 0.1}
          - {id: c, expected_return: 0.05, volatility: 0.1}
        correlations:
          - [ 1.0,  0.9, -0.9]
          - [ 0.9,  1.0,  0.9]
          - [-0.9,  0.9,  1.0]
        """
        let error = try #require(Self.error { () throws(FileError) in _ = try PlanningReader.parseCapitalMarketAssumptions(text, file: "c.yaml") })
        #expect(error.description.contains("c.yaml:7:3"), "\(error)")
        #expect(error.description.contains("positive semi-definite"), "\(error)")
        // An asymmetric entry and a wrong diagonal are named at the entry itself.
        let bad = text.replacingOccurrences(of: "[ 0.9,  1.0,  0.9]", with: "[ 0.8,  1.1,  0.9]")
        let second = try #require(Self.error { () throws(FileError) in _ = try PlanningReader.parseCapitalMarketAssumptions(bad, file: "c.yaml") })
        #expect(second.description.contains("c.yaml:8:7"), "\(second)")   // 0.8 vs 0.9: not symmetric
        #expect(second.description.contains("c.yaml:8:13"), "\(second)")  // 1.1: outside [-1, 1] and off the unit diagonal
    }

    @Test func aMissingCategoryAndAShortRowAreNamed() throws {
        let models = try String(contentsOf: Self.modelsURL, encoding: .utf8)
            .replacingOccurrences(of: "  aggressive: {min_volatility: 0.125, max_volatility: 0.3}\n", with: "")
        let error = try #require(Self.error { () throws(FileError) in _ = try PlanningReader.parseModels(models, file: "m.yaml") })
        #expect(error.description.contains("expected a band for aggressive"), "\(error)")
        let cma = "illustrative: true\nasset_classes:\n  - {id: a, expected_return: 0.05, volatility: 0.1}\n  - {id: b, expected_return: 0.05, volatility: 0.1}\ncorrelations:\n  - [1.0, 0.2]\n  - [0.2]\n"
        let short = try #require(Self.error { () throws(FileError) in _ = try PlanningReader.parseCapitalMarketAssumptions(cma, file: "c.yaml") })
        #expect(short.description.contains("c.yaml:7:5: found \"1 entries\", expected 2 entries"), "\(short)")
    }
}
