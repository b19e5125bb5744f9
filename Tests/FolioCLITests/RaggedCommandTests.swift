import Folio
import Foundation
import Testing

/// Ragged price histories, singular covariances and the risk-model flags, end to end through
/// the built `folio` binary, checked against the golden values of `Scripts/golden/ragged.py`
/// (the same file as `Examples/Data/prices-ragged.csv`) and against the library.
@Suite(.serialized) struct RaggedCommandTests {
    static let prices = FolioProcess.data.appendingPathComponent("prices-ragged.csv").path
    static let weekly = ["--prices", prices, "--frequency", "52", "--missing", "pairwise"]

    /// The FolioRisk golden fixture (null = missing).
    static func golden(_ name: String) throws -> [String: Any] {
        let url = FolioProcess.repository.appendingPathComponent("Tests/FolioRiskTests/Fixtures/ragged_\(name).json")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    static func packed(_ values: [Double]) -> [[Double]] {
        let n = Int(((8 * Double(values.count) + 1).squareRoot() - 1) / 2)
        var m = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var k = 0
        for j in 0..<n { for i in j..<n { m[i][j] = values[k]; m[j][i] = values[k]; k += 1 } }
        return m
    }

    static func maxRelative(_ a: [[Double]], _ b: [[Double]]) -> Double {
        let scale = b.joined().map(abs).max()!
        return zip(a.joined(), b.joined()).map { abs($0 - $1) }.max()! / scale
    }

    static func run(_ arguments: [String]) throws -> FolioProcess.Result { try FolioProcess.run(arguments) }

    static func json(_ arguments: [String]) throws -> [String: Any] {
        try QuantCommandTests.json(arguments)
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func pairwiseCovarianceReportsEachAssetsHistory() throws {
        let json = try Self.json(["covariance"] + Self.weekly)
        let g = try Self.golden("universe")
        #expect(json["missing"] as? String == "pairwise" && json["estimator"] as? String == "sample")
        let matrix = try #require(json["matrix"] as? [[Double]])
        #expect(Self.maxRelative(matrix, Self.packed(g["pypfoptSampleCov"] as! [Double])) < 1e-10)
        let coverage = try #require(json["coverage"] as? [[String: Any]])
        #expect(coverage.map { $0["asset"] as! String } == ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG"])
        #expect(coverage.map { $0["observations"] as! Int } == (g["observations"] as! [Int]))
        #expect(coverage.map { $0["firstPrice"] as! String } == (g["firstPrice"] as! [String]))
        #expect(coverage.map { $0["lastPrice"] as! String } == (g["lastPrice"] as! [String]))
        #expect(coverage[5]["lostReturns"] as? Int == 13)
        #expect(json["repair"] == nil)   // positive definite as estimated
        let table = try Self.run(["covariance"] + Self.weekly)
        #expect(table.status == 0 && table.stdout.contains("First price") && table.stdout.contains("2014-06-06"))
    }

    @Test func missingPricesFlags() throws {
        let strict = try Self.run(["covariance", "--prices", Self.prices, "--frequency", "52"])
        #expect(strict.status == 1 && strict.stderr.contains("missing prices") && strict.stderr.contains("--missing pairwise"))
        let drop = try Self.json(["covariance", "--prices", Self.prices, "--frequency", "52", "--missing", "drop"])
        let alias = try Self.json(["covariance", "--prices", Self.prices, "--frequency", "52", "--drop-incomplete"])
        #expect(drop["matrix"] as! [[Double]] == alias["matrix"] as! [[Double]])
        #expect(drop["observations"] as? Int == 20)   // the 21 weeks every asset trades (2016-02-05 to 2016-06-24)
        let both = try Self.run(["covariance", "--prices", Self.prices, "--drop-incomplete", "--missing", "pairwise"])
        #expect(both.status == 2 && both.stderr.contains("--drop-incomplete"))
        let denoised = try Self.run(["covariance", "--covariance", "denoised"] + Self.weekly)
        #expect(denoised.status == 1 && denoised.stderr.contains("needs complete histories"))
    }

    @Test func riskAndFrontierOnARaggedFile() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let weights = try Self.write("targets:\n  AAA: 0.5\n  DDD: 0.3\n  GGG: 0.2\n", "w.yaml", in: folder)
        let risk = try Self.run(["risk", "--weights", weights, "--format", "json"] + Self.weekly)
        #expect(risk.status == 0 && risk.stderr.contains("uses the 20 returns every asset has (2016-02-12 to 2016-06-24)"))
        let json = try #require(try JSONSerialization.jsonObject(with: risk.stdoutData) as? [String: Any])
        // The volatility is the pairwise risk model's: √(wᵀΣw) with Σ from the golden file.
        let sigma = Self.packed(try Self.golden("universe")["pypfoptSampleCov"] as! [Double])
        let w = [0.5, 0, 0, 0.3, 0, 0, 0.2]
        let variance = (0..<7).reduce(0.0) { s, i in s + (0..<7).reduce(0.0) { $0 + w[i] * sigma[i][$1] * w[$1] } }
        #expect(abs((json["volatility"] as! Double) - variance.squareRoot()) < 1e-9)
        let frontier = try Self.json(["frontier", "--points", "5"] + Self.weekly)
        #expect((frontier["points"] as? [[String: Any]])?.count == 5)
    }

    @Test func indefinitePairwiseMatrixIsRepairedWithANote() throws {
        let g = try Self.golden("indefinite")
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dates = g["dates"] as! [String], rows = g["prices"] as! [[Any]]
        var csv = "date,AAA,BBB,CCC\n"
        for (d, row) in zip(dates, rows) {
            csv += d + "," + row.map { ($0 as? NSNumber).map { String($0.doubleValue) } ?? "" }.joined(separator: ",") + "\n"
        }
        let path = try Self.write(csv, "p.csv", in: folder)
        let result = try Self.run(["covariance", "--prices", path, "--frequency", "52", "--missing", "pairwise", "--format", "json"])
        #expect(result.status == 0 && result.stderr.contains("note: the pairwise covariance was not positive definite"))
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let repair = try #require(json["repair"] as? [String: Double])
        #expect(abs(repair["smallestEigenvalueBefore"]! - (g["smallestEigenvalue"] as! Double)) < 1e-6)
        let matrix = json["matrix"] as! [[Double]]
        #expect(Self.maxRelative(matrix, Self.packed(g["nearestClipping"] as! [Double])) < 1e-6)
        let raw = Self.packed(g["pairwiseAnnual"] as! [Double])
        let distance = zip(matrix.joined(), raw.joined()).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        #expect(abs(repair["frobeniusDistance"]! - distance) < 1e-6 * distance)
    }

    @Test func singularCovarianceIsAnErrorNotASharpeOfMillions() throws {
        let sample = FolioProcess.data.appendingPathComponent("prices.csv").path
        let detoned = try Self.run(["optimize", "--prices", sample, "--objective", "max-sharpe", "--covariance", "detoned"])
        #expect(detoned.status == 1 && detoned.stderr.contains("the covariance is singular") && detoned.stderr.contains("detoned removes the market"))
        #expect(!detoned.stdout.contains("Sharpe"))
        let risk = try Self.run(["risk", "--prices", sample, "--covariance", "detoned",
                                 "--weights", FolioProcess.data.appendingPathComponent("households/young-accumulator/targets.yaml").path])
        #expect(risk.status == 1 && risk.stderr.contains("singular"))
        // Clustering on the detoned matrix is what it is for.
        #expect(try Self.run(["optimize", "--prices", sample, "--objective", "hrp", "--covariance", "detoned"]).status == 0)
        // Fewer dates than assets: the sample covariance has no inverse; shrinkage does.
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var csv = "date," + (0..<12).map { "S\($0)" }.joined(separator: ",") + "\n"
        for d in 0..<8 {
            csv += "2025-01-\(String(format: "%02d", d + 2))," + (0..<12).map { j in String(100 + Double((d * 7 + j * 13) % 11) - Double(j) / 3) }.joined(separator: ",") + "\n"
        }
        let short = try Self.write(csv, "short.csv", in: folder)
        let few = try Self.run(["optimize", "--prices", short, "--objective", "min-variance"])
        #expect(few.status == 1 && few.stderr.contains("from 7 observations of 12 assets") && few.stderr.contains("ledoit-wolf"))
        #expect(try Self.run(["optimize", "--prices", short, "--objective", "min-variance", "--covariance", "ledoit-wolf"]).status == 0)
    }

    @Test(arguments: [("compounded", "meanCompounded"), ("arithmetic", "meanArithmetic"), ("log", "meanLog")])
    func meanKindsOverEachAssetsHistory(kind: String, key: String) throws {
        let json = try Self.json(["optimize", "--objective", "equal-weight", "--mean", kind] + Self.weekly)
        let expected = try Self.golden("universe")[key] as! [Double]
        // Equal weights: the portfolio's expected return is the average of the assets'.
        #expect(abs((json["expectedReturn"] as! Double) - expected.reduce(0, +) / 7) < 1e-10)
    }

    @Test func spansBenchmarkAndFixedShrinkage() throws {
        let g = try Self.golden("universe")
        let ema = try Self.json(["optimize", "--objective", "equal-weight", "--returns", "ema", "--ema-span", "100"] + Self.weekly)
        #expect(abs((ema["expectedReturn"] as! Double) - (g["emaCompounded100"] as! [Double]).reduce(0, +) / 7) < 1e-10)
        for (arguments, key) in [(["--covariance", "ewma", "--ewma-span", "60"], "expCov60"),
                                 (["--covariance", "semicovariance", "--semicovariance-benchmark", "0.0005"], "semicovariance"),
                                 (["--covariance", "shrunk", "--shrinkage", "0.2"], "shrunk02")] {
            let json = try Self.json(["covariance"] + arguments + Self.weekly)
            #expect(Self.maxRelative(json["matrix"] as! [[Double]], Self.packed(g[key] as! [Double])) < 1e-10, "\(key)")
        }
        let bad = try Self.run(["covariance", "--covariance", "shrunk", "--shrinkage", "1.5"] + Self.weekly)
        #expect(bad.status == 2 && bad.stderr.contains("--shrinkage"))
    }

    @Test func expectedReturnsAndCovarianceFiles() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mu = [0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11]
        let assets = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG"]
        let returnsFile = try Self.write("symbol,expected_return\n" + zip(assets, mu).reversed().map { "\($0),\($1)\n" }.joined(),
                                         "mu.csv", in: folder)
        let given = try Self.json(["optimize", "--objective", "equal-weight", "--expected-returns", returnsFile] + Self.weekly)
        #expect(abs((given["expectedReturn"] as! Double) - 0.08) < 1e-12)
        // The covariance command's CSV is a covariance file; the volatility follows from it.
        let csv = try Self.run(["covariance", "--format", "csv", "--covariance", "ledoit-wolf"] + Self.weekly)
        let covarianceFile = try Self.write(csv.stdout, "cov.csv", in: folder)
        let sigma = try Self.json(["covariance", "--covariance", "ledoit-wolf"] + Self.weekly)["matrix"] as! [[Double]]
        let fromFile = try Self.json(["optimize", "--objective", "equal-weight", "--covariance-file", covarianceFile,
                                      "--expected-returns", returnsFile] + Self.weekly)
        let variance = sigma.joined().reduce(0, +) / 49
        #expect(abs((fromFile["volatility"] as! Double) - variance.squareRoot()) < 1e-12)
        let minimum = try Self.json(["optimize", "--objective", "min-variance", "--covariance-file", covarianceFile] + Self.weekly)
        #expect(abs((minimum["weights"] as! [String: Double]).values.reduce(0, +) - 1) < 1e-9)

        // Bad input: a missing file, an unknown symbol, an asymmetric or indefinite matrix.
        let missing = try Self.run(["optimize", "--objective", "min-variance", "--covariance-file", folder.appendingPathComponent("nope.csv").path] + Self.weekly)
        #expect(missing.status == 1 && missing.stderr.contains("nope.csv"))
        let unknown = try Self.write("symbol,expected_return\nAAA,0.1\nNOPE,0.2\n", "u.csv", in: folder)
        let unknownRun = try Self.run(["optimize", "--objective", "equal-weight", "--expected-returns", unknown] + Self.weekly)
        #expect(unknownRun.status == 1 && unknownRun.stderr.contains("u.csv:3:1 (symbol): found \"NOPE\", expected a symbol of the prices file"))
        #expect(unknownRun.stderr.contains("an expected return for BBB"))
        var lines = csv.stdout.split(separator: "\n").map(String.init)
        var cells = lines[2].split(separator: ",").map(String.init)      // BBB's row
        cells[1] = "0.5"                                                   // Σ(BBB, AAA) ≠ Σ(AAA, BBB)
        lines[2] = cells.joined(separator: ",")
        let asymmetric = try Self.write(lines.joined(separator: "\n") + "\n", "asym.csv", in: folder)
        let asymmetricRun = try Self.run(["optimize", "--objective", "min-variance", "--covariance-file", asymmetric] + Self.weekly)
        #expect(asymmetricRun.status == 1 && asymmetricRun.stderr.contains("asym.csv:2:3") && asymmetricRun.stderr.contains("symmetric"))
        let indefinite = try Self.write("symbol,AAA,BBB,CCC,DDD,EEE,FFF,GGG\n" + assets.enumerated().map { i, a in
            a + "," + (0..<7).map { j in i == j ? "0.04" : "0.039" }.joined(separator: ",") + "\n"
        }.joined().replacingOccurrences(of: "AAA,0.04,0.039", with: "AAA,0.04,-0.039").replacingOccurrences(of: "BBB,0.039", with: "BBB,-0.039"),
            "indef.csv", in: folder)
        let indefiniteRun = try Self.run(["optimize", "--objective", "min-variance", "--covariance-file", indefinite] + Self.weekly)
        #expect(indefiniteRun.status == 1 && indefiniteRun.stderr.contains("positive semidefinite"))
    }

    @Test func blackLittermanViewsFromAFile() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let views = try Self.write("symbol,versus,return,confidence\nAAA,,0.12,0.8\nBBB,CCC,0.03,0.5\n", "views.csv", in: folder)
        let json = try Self.json(["optimize", "--objective", "equal-weight", "--views", views, "--tau", "0.1"] + Self.weekly)
        // The same model through the library: prior = per-asset compounded means, pairwise covariance.
        let ragged = try PricesReader.read(contentsOf: URL(fileURLWithPath: Self.prices)).priceHistory().raggedReturns(periodsPerYear: 52)
        let sigma = try SampleCovariance().estimate(ragged)
        let model = try BlackLitterman(assets: ragged.assets, covariance: sigma.matrix, prior: ExpectedReturns.meanHistorical(ragged).values,
                                       views: [.absolute("AAA", 0.12, confidence: 0.8), .relative("BBB", over: "CCC", by: 0.03, confidence: 0.5)],
                                       tau: 0.1, uncertainty: .idzorek(confidences: []))
        #expect(abs((json["expectedReturn"] as! Double) - model.posteriorReturns.reduce(0, +) / 7) < 1e-12)
        #expect(abs(model.posteriorReturns[0] - ExpectedReturns.meanHistorical(ragged).values[0]) > 1e-4)   // the view moved AAA

        let unknown = try Self.write("symbol,versus,return\nAAA,,0.1\nBBB,NOPE,0.02\n", "bad.csv", in: folder)
        let unknownRun = try Self.run(["optimize", "--objective", "equal-weight", "--views", unknown] + Self.weekly)
        #expect(unknownRun.status == 1 && unknownRun.stderr.contains("bad.csv:3:2 (versus): found \"NOPE\", expected a symbol of the prices file"))
        let mixed = try Self.write("symbol,versus,return,confidence\nAAA,,0.1,0.5\nBBB,,0.02,\n", "mixed.csv", in: folder)
        let mixedRun = try Self.run(["optimize", "--objective", "equal-weight", "--views", mixed] + Self.weekly)
        #expect(mixedRun.status == 1 && mixedRun.stderr.contains("mixed.csv:3:4") && mixedRun.stderr.contains("every view or on none"))
        let gone = try Self.run(["optimize", "--objective", "equal-weight", "--views", folder.appendingPathComponent("none.csv").path] + Self.weekly)
        #expect(gone.status == 1 && gone.stderr.contains("none.csv"))
    }
}
