import Foundation
import Testing

@Suite(.serialized) struct QuantCommandTests {
    static let prices = FolioProcess.data.appendingPathComponent("prices.csv").path

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try FolioProcess.run(arguments + ["--format", "json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
    }

    @Test(arguments: ["min-variance", "max-sharpe", "max-utility", "max-diversification", "risk-parity", "hrp", "herc",
                      "inverse-volatility", "equal-weight"])
    func optimizeEveryObjective(objective: String) throws {
        let json = try Self.json(["optimize", "--prices", Self.prices, "--objective", objective, "--covariance", "ledoit-wolf"])
        let weights = try #require(json["weights"] as? [String: Double])
        #expect(weights.count == 45)
        #expect(abs(weights.values.reduce(0, +) - 1) < 1e-6)
        #expect(weights.values.allSatisfy { $0 >= -1e-9 && $0.isFinite })
        let contributions = try #require(json["riskContributions"] as? [String: Double])
        #expect(abs(contributions.values.reduce(0, +) - 1) < 1e-6)
        for key in ["expectedReturn", "volatility", "sharpeRatio"] { #expect((json[key] as? Double)?.isFinite == true) }
    }

    @Test func efficientTargetsAndBounds() throws {
        let ret = try Self.json(["optimize", "--prices", Self.prices, "--objective", "efficient-return", "--target-return", "0.08"])
        #expect(abs((ret["expectedReturn"] as! Double) - 0.08) < 1e-6)
        let risk = try Self.json(["optimize", "--prices", Self.prices, "--objective", "efficient-risk", "--target-volatility", "0.10"])
        #expect(abs((risk["volatility"] as! Double) - 0.10) < 1e-5)
        let capped = try Self.json(["optimize", "--prices", Self.prices, "--objective", "max-sharpe", "--bounds", "0,0.1"])
        #expect((capped["weights"] as! [String: Double]).values.allSatisfy { $0 <= 0.1 + 1e-9 })
    }

    @Test func infeasibleTargetIsADataError() throws {
        let result = try FolioProcess.run(["optimize", "--prices", Self.prices, "--objective", "efficient-return", "--target-return", "0.9"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: ") && !result.stderr.isEmpty)
        let usage = try FolioProcess.run(["optimize", "--prices", Self.prices, "--objective", "efficient-return"])
        #expect(usage.status == 2 && usage.stderr.contains("--target-return"))
    }

    @Test(arguments: ["sample", "ewma", "semicovariance", "ledoit-wolf", "constant-correlation", "single-index", "oas", "denoised", "detoned"])
    func covarianceEveryEstimator(estimator: String) throws {
        let json = try Self.json(["covariance", "--prices", Self.prices, "--covariance", estimator])
        let assets = try #require(json["assets"] as? [String])
        let matrix = try #require(json["matrix"] as? [[Double]])
        #expect(assets.count == 45 && matrix.count == 45 && matrix.allSatisfy { $0.count == 45 })
        for i in 0..<45 { for j in 0..<i { #expect(abs(matrix[i][j] - matrix[j][i]) <= 1e-15 * max(1, abs(matrix[i][j]))) } }
        if ["ledoit-wolf", "oas", "constant-correlation", "single-index"].contains(estimator) { #expect(json["shrinkage"] as? Double != nil) }
    }

    @Test func covarianceCSVAndTable() throws {
        let csv = try FolioProcess.run(["covariance", "--prices", Self.prices, "--format", "csv"])
        #expect(csv.status == 0 && csv.stdout.split(separator: "\n").count == 46)
        let table = try FolioProcess.run(["covariance", "--prices", Self.prices, "--covariance", "oas"])
        #expect(table.stdout.contains("shrinkage intensity") && table.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }

    @Test func frontierPointsAndSVG() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let svg = folder.appendingPathComponent("frontier.svg")
        let json = try Self.json(["frontier", "--prices", Self.prices, "--points", "20", "--svg", svg.path])
        let points = try #require(json["points"] as? [[String: Any]])
        #expect(points.count == 20)
        let returns = points.map { $0["expectedReturn"] as! Double }, vols = points.map { $0["volatility"] as! Double }
        #expect(zip(returns, returns.dropFirst()).allSatisfy { $0 < $1 })
        #expect(zip(vols, vols.dropFirst()).allSatisfy { $0 <= $1 + 1e-12 })
        let drawing = try String(contentsOf: svg, encoding: .utf8)
        #expect(drawing.hasPrefix("<svg") && drawing.contains("polyline") && drawing.contains("Tangency"))
        let csv = try FolioProcess.run(["frontier", "--prices", Self.prices, "--points", "5", "--format", "csv"])
        #expect(csv.status == 0 && csv.stdout.split(separator: "\n").count == 6)
    }

    @Test func riskOfAPortfolio() throws {
        let weights = FolioProcess.data.appendingPathComponent("households/young-accumulator/targets.yaml").path
        let json = try Self.json(["risk", "--prices", Self.prices, "--weights", weights])
        for key in ["volatility", "historicalVaR", "historicalCVaR", "gaussianVaR", "gaussianCVaR", "maximumDrawdown", "sharpeRatio", "sortinoRatio"] {
            #expect((json[key] as? Double)?.isFinite == true, "\(key)")
        }
        #expect((json["historicalCVaR"] as! Double) >= (json["historicalVaR"] as! Double))
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let unknown = folder.appendingPathComponent("w.yaml")
        try "targets:\n  NOPE: 1.0\n".write(to: unknown, atomically: true, encoding: .utf8)
        let bad = try FolioProcess.run(["risk", "--prices", Self.prices, "--weights", unknown.path])
        #expect(bad.status == 1 && bad.stderr.contains("NOPE is not in"))
    }

    @Test func malformedPricesNameTheirPlace() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let prices = folder.appendingPathComponent("p.csv")
        try "date,A,B\n2025-01-02,10,20\n2025-01-03,-1,20\n2025-01-06,11,x\n".write(to: prices, atomically: true, encoding: .utf8)
        let result = try FolioProcess.run(["covariance", "--prices", prices.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("p.csv:3:2 (A)") && result.stderr.contains("p.csv:4:3 (B)"))
    }
}

@Suite struct ClientCommandTests {
    @Test func profileScoresTheAnswers() throws {
        let answers = FolioProcess.data.appendingPathComponent("households/retiree/answers.yaml").path
        let result = try FolioProcess.run(["profile", "--answers", answers])
        #expect(result.status == 0 && result.stdout.contains("moderately-conservative") && result.stdout.contains("Capacity governs"))
        let json = try #require(try JSONSerialization.jsonObject(with: try FolioProcess.run(["profile", "--answers", answers, "--format", "json"]).stdoutData) as? [String: Any])
        #expect(json["score"] as? Double == 37.5)
    }

    @Test func goalsGiveProbabilities() throws {
        let profile = FolioProcess.data.appendingPathComponent("households/retiree/profile.yaml").path
        let result = try FolioProcess.run(["goals", "--profile", profile, "--as-of", "2025-12-31", "--paths", "2000", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let goals = try #require(json["goals"] as? [[String: Any]])
        #expect(goals.count >= 2 && goals.allSatisfy { (0...1).contains($0["probabilityOfSuccess"] as! Double) })
        #expect(json["illustrativeAssumptions"] as? Bool == true)
    }
}

@Suite struct ConstraintsFileTests {
    @Test func constraintsFileShapesThePortfolio() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("c.yaml")
        try "bounds: {min: 0, max: 0.3}\nassets:\n  FMMKT: {max: 0.05}\ngroups:\n  equities: {assets: [FUSLC, FUSSC, FINTL, FEMKT], min: 0.4}\n"
            .write(to: file, atomically: true, encoding: .utf8)
        for objective in ["min-variance", "max-sharpe"] {
            let result = try FolioProcess.run(["optimize", "--prices", QuantCommandTests.prices, "--objective", objective,
                                               "--constraints", file.path, "--format", "json"])
            #expect(result.status == 0, "\(objective): \(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
            let w = try #require(json["weights"] as? [String: Double])
            #expect(w.values.allSatisfy { $0 <= 0.3 + 1e-8 } && w["FMMKT"]! <= 0.05 + 1e-8)
            #expect(["FUSLC", "FUSSC", "FINTL", "FEMKT"].reduce(0) { $0 + w[$1]! } >= 0.4 - 1e-8)
        }
        let bad = folder.appendingPathComponent("bad.yaml")
        try "bounds: {min: 0.5, max: 0.1}\nassets:\n  NOPE: {max: 1}\ncolour: red\n".write(to: bad, atomically: true, encoding: .utf8)
        let result = try FolioProcess.run(["optimize", "--prices", QuantCommandTests.prices, "--objective", "max-sharpe", "--constraints", bad.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.yaml:1:9") && result.stderr.contains("bad.yaml:3:3") && result.stderr.contains("bad.yaml:4:1"))
    }
}

@Suite struct NumericFlagTests {
    @Test(arguments: [["optimize", "--objective", "max-sharpe", "--bounds", "0,inf"],
                      ["optimize", "--objective", "max-sharpe", "--risk-free-rate", "nan"],
                      ["optimize", "--objective", "efficient-risk", "--target-volatility=-0.1"],
                      ["risk", "--weights", "w.yaml", "--confidence", "1.5"],
                      ["covariance", "--frequency", "0"],
                      ["frontier", "--points", "1"]])
    func nonsenseNumbersAreUsageErrors(arguments: [String]) throws {
        let result = try FolioProcess.run(arguments + ["--prices", QuantCommandTests.prices])
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        // A typed argument's own message (`The value '0,inf' is invalid for '--bounds <bounds>'`) names the flag too.
        #expect(result.stderr.hasPrefix("Error: --") || result.stderr.hasPrefix("Error: The value '\(arguments.last!)' is invalid for '--"))
    }
}
