import Testing
import FolioLinearAlgebra
@testable import FolioRisk

/// Every data error names what was wrong and where.
@Suite struct ErrorTests {
    let d = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"].map { MarketDate(iso: $0)! }

    func prices(_ rows: [[Double]]) -> Matrix { Matrix(rows: rows) }

    @Test func duplicateAssetIsNamed() {
        #expect(throws: RiskModelError.duplicateAsset("BBB")) {
            try PriceHistory(dates: d, assets: ["AAA", "BBB", "BBB"], prices: prices(Array(repeating: [1, 2, 3], count: 4)))
        }
        #expect(throws: RiskModelError.duplicateAsset("X")) {
            try ReturnSeries(values: Matrix(rows: 3, columns: 2), assets: ["X", "X"])
        }
    }

    @Test func unsortedAndDuplicateDatesAreNamed() {
        let swapped = [d[0], d[2], d[1], d[3]]
        #expect(throws: RiskModelError.unsortedDates(previous: d[2], next: d[1])) {
            try PriceHistory(dates: swapped, assets: ["A"], prices: prices([[1], [2], [3], [4]]))
        }
        let repeated = [d[0], d[1], d[1], d[3]]
        #expect(throws: RiskModelError.duplicateDate(d[1])) {
            try PriceHistory(dates: repeated, assets: ["A"], prices: prices([[1], [2], [3], [4]]))
        }
    }

    @Test func invalidPricesNameAssetAndDate() {
        #expect(throws: RiskModelError.invalidPrice(asset: "BBB", date: d[2], value: 0)) {
            try PriceHistory(dates: d, assets: ["AAA", "BBB"], prices: prices([[1, 1], [1, 1], [1, 0], [1, 1]]))
        }
        #expect(throws: RiskModelError.invalidPrice(asset: "AAA", date: d[1], value: -5)) {
            try PriceHistory(dates: d, assets: ["AAA", "BBB"], prices: prices([[1, 1], [-5, 1], [1, 1], [1, 1]]))
        }
        #expect(throws: RiskModelError.invalidPrice(asset: "AAA", date: d[3], value: .infinity)) {
            try PriceHistory(dates: d, assets: ["AAA", "BBB"], prices: prices([[1, 1], [1, 1], [1, 1], [.infinity, 1]]))
        }
        let error = RiskModelError.invalidPrice(asset: "AAA", date: d[3], value: -1)
        #expect(error.description.contains("AAA") && error.description.contains("2024-01-05"))
    }

    @Test func tooFewRows() {
        #expect(throws: RiskModelError.tooFewObservations(found: 1, required: 2)) {
            try PriceHistory(dates: [d[0]], assets: ["A"], prices: prices([[1]]))
        }
        #expect(throws: RiskModelError.tooFewObservations(found: 1, required: 2)) {
            try ReturnSeries(values: Matrix(rows: 1, columns: 2), assets: ["A", "B"])
        }
        // Two dates but one of them incomplete: one row left after dropping.
        let h = try! PriceHistory(dates: Array(d[0..<2]), assets: ["A", "B"], prices: prices([[1, .nan], [2, 3]]))
        #expect(throws: RiskModelError.tooFewObservations(found: 1, required: 2)) {
            try h.returns(missingData: .dropIncompleteRows)
        }
    }

    @Test func gapsThrowNamingAssetsAndDates() throws {
        let h = try PriceHistory(dates: d, assets: ["AAA", "BBB", "CCC"],
                                 prices: prices([[1, 1, 1], [1, .nan, 1], [1, .nan, 1], [.nan, 1, 1]]))
        let expected = [PriceGap(asset: "BBB", dates: [d[1], d[2]]), PriceGap(asset: "AAA", dates: [d[3]])]
        #expect(throws: RiskModelError.missingPrices([PriceGap(asset: "AAA", dates: [d[3]]),
                                                      PriceGap(asset: "BBB", dates: [d[1], d[2]])])) {
            try h.returns()
        }
        #expect(Set(h.gaps.map(\.asset)) == Set(expected.map(\.asset)))
        let text = RiskModelError.missingPrices(h.gaps).description
        #expect(text.contains("BBB") && text.contains("2024-01-03") && text.contains("2024-01-04"))
    }

    @Test func dropIncompleteRowsReportsDroppedDates() throws {
        let h = try PriceHistory(dates: d, assets: ["AAA", "BBB"],
                                 prices: prices([[1, 10], [2, .nan], [4, 20], [8, 40]]))
        let r = try h.returns(missingData: .dropIncompleteRows)
        #expect(r.droppedDates == [d[1]])
        #expect(r.observations == 2)
        #expect(r.dates == [d[2], d[3]])
        #expect(r.values == Matrix(rows: [[3, 1], [1, 1]]))
    }

    @Test func nonFiniteReturnsNameAssetAndObservation() {
        var m = Matrix(rows: 3, columns: 2)
        m[2, 1] = .nan
        #expect(throws: RiskModelError.nonFiniteReturn(asset: "B", observation: 2, date: d[2])) {
            try ReturnSeries(values: m, assets: ["A", "B"], dates: Array(d[0..<3]))
        }
    }

    @Test func viewsOnUnknownAssetsThrow() throws {
        let sigma = Matrix(rows: [[0.04, 0.01], [0.01, 0.09]])
        #expect(throws: RiskModelError.unknownAsset("ZZZ")) {
            try BlackLitterman(assets: ["A", "B"], covariance: sigma, prior: [0.05, 0.07], views: [.absolute("ZZZ", 0.1)])
        }
        #expect(throws: RiskModelError.unknownAsset("Q")) {
            try BlackLitterman(assets: ["A", "B"], covariance: sigma, prior: [0.05, 0.07], views: [.relative("A", over: "Q", by: 0.01)])
        }
        #expect(throws: RiskModelError.invalidParameter(name: "tau", value: 0, expected: "a number in (0, 1]")) {
            try BlackLitterman(assets: ["A", "B"], covariance: sigma, prior: [0.05, 0.07], views: [.absolute("A", 0.1)], tau: 0)
        }
        #expect(throws: RiskModelError.self) {
            try BlackLitterman(assets: ["A", "B"], covariance: sigma, prior: [0.05, 0.07],
                               views: [.absolute("A", 0.1, confidence: 1.5)], uncertainty: .idzorek(confidences: []))
        }
    }

    @Test func invalidEstimatorParameters() throws {
        let r = try ReturnSeries(values: randomReturns(t: 30, n: 3, seed: 1), assets: ["A", "B", "C"])
        #expect(throws: RiskModelError.self) { try ExponentiallyWeightedCovariance(decay: .span(0.5)).estimate(r) }
        #expect(throws: RiskModelError.self) { try ExponentiallyWeightedCovariance(decay: .lambda(1)).estimate(r) }
        #expect(throws: RiskModelError.self) { try FixedShrinkage(intensity: 1.2).estimate(r) }
        #expect(throws: RiskModelError.self) { try Detoning(marketComponents: 3).estimate(r) }
        #expect(throws: RiskModelError.self) { try MarcenkoPasturDenoising(noiseVariance: .fixed(0)).estimate(r) }
        #expect(throws: RiskModelError.self) { try PortfolioRisk.historicalValueAtRisk(returns: [0.1], confidence: 0) }
        #expect(throws: RiskModelError.self) { try PortfolioRisk.gaussianValueAtRisk(returns: [0.1, 0.2], confidence: 1) }
        #expect(throws: RiskModelError.self) { try ReturnSeries(values: Matrix(rows: 3, columns: 1), assets: ["A"], periodsPerYear: 0) }
        #expect(throws: RiskModelError.self) {
            try BlackLitterman.marketImpliedRiskAversion(marketPrices: [100, 101, -1])
        }
        #expect(throws: RiskModelError.self) {
            try NearestPositiveDefinite.repair(Matrix(rows: [[1, 2], [2, 0]]))
        }
        // Market weights need capitalizations that are finite, non-negative and not all zero.
        let sigma2 = Matrix(rows: [[0.04, 0.01], [0.01, 0.09]])
        for caps in [[0.0, 0.0], [1.0, -1.0], [1.0, .nan], [1.0, .infinity]] {
            #expect(throws: RiskModelError.self) {
                try BlackLitterman.marketImpliedPriorReturns(marketCaps: caps, riskAversion: 2.5, covariance: sigma2)
            }
        }
    }
}
