import Foundation
import Testing
import FolioRisk
@testable import FolioFiles

/// The expected-returns, covariance and views readers on hostile text.
@Suite struct RiskModelReaderTests {
    let assets = ["AAA", "BRK.B", "CAFÉ"]

    @Test func symbolsAreMatchedAsTheyAreWritten() throws {
        // NFD "CAFÉ" in the file, NFC in the universe; lower case; any order.
        let nfd = "CAFE\u{301}"
        let mu = try RiskModelReaders.expectedReturns("symbol,expected_return\n\(nfd),0.03\nbrk.b,0.02\nAAA,1e-2\n", file: "mu.csv", assets: assets)
        #expect(mu == [0.01, 0.02, 0.03])
        let views = try RiskModelReaders.views("symbol,versus,return\n\(nfd),AAA,0.01\n", file: "v.csv", assets: assets)
        #expect(views == [.relative("CAFÉ", over: "AAA", by: 0.01)])
    }

    @Test func hostileCellsAreErrorsWithTheirPlace() throws {
        let long = String(repeating: "A", count: 300)
        let text = "symbol,versus,return,confidence\n=AAA,,0.1,0.5\n<b>AAA</b>,,0.1,0.5\n\(long),,0.1,0.5\nAAA,AAA,0.1,0.5\nAAA,,NaN,0.5\nAAA,,0.1,1.5\n"
        let error = #expect(throws: FileError.self) { try RiskModelReaders.views(text, file: "v.csv", assets: assets) }
        let places = error?.issues.map { "\($0.location)" } ?? []
        #expect(places == ["v.csv:2:1", "v.csv:3:1", "v.csv:4:1", "v.csv:5:2", "v.csv:6:3", "v.csv:7:4"])
    }

    @Test func covarianceFileChecks() throws {
        let good = "symbol,CAFÉ,AAA,BRK.B,EXTRA\nAAA,0.03,0.04,0.01,0\nCAFÉ,0.09,0.03,0.02,0\nBRK.B,0.02,0.01,0.05,0\nEXTRA,0,0,0,1\n"
        let m = try RiskModelReaders.covariance(good, file: "c.csv", assets: assets)
        #expect(m.row(0) == [0.04, 0.01, 0.03] && m.row(2) == [0.03, 0.02, 0.09])
        let missing = #expect(throws: FileError.self) {
            try RiskModelReaders.covariance("symbol,AAA\nAAA,0.04\n", file: "c.csv", assets: assets)
        }
        #expect(missing?.issues.first?.expected.contains("BRK.B, CAFÉ") == true)
        let zeroVariance = #expect(throws: FileError.self) {
            try RiskModelReaders.covariance("symbol,AAA,BRK.B,CAFÉ\nAAA,0,0,0\nBRK.B,0,0.04,0\nCAFÉ,0,0,0.04\n", file: "c.csv", assets: assets)
        }
        #expect(zeroVariance?.issues.map { "\($0.location)" } == ["c.csv:2:2"])
    }
}
