import Folio
import Foundation
import Testing

/// Issue 17's command-line reach: tracking error, the constraints file's turnover, costs and
/// linear rows (golden against cvxpy), `allocate`, `--symbols`/`--exclude`, `--write-targets`,
/// solver evidence, the Sharpe conventions and the cash-like warning, end to end.
@Suite(.serialized) struct QuantReachTests {
    static let prices = FolioProcess.data.appendingPathComponent("prices.csv").path
    static let young = FolioProcess.data.appendingPathComponent("households/young-accumulator/targets.yaml").path

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try FolioProcess.run(arguments + ["--format", "json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    // MARK: Tracking error

    @Test func minimumTrackingErrorAgainstABenchmark() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = folder.appendingPathComponent("te.yaml").path
        let base = ["optimize", "--prices", Self.prices, "--benchmark", Self.young]
        let te = try Self.json(base + ["--objective", "min-tracking-error", "--write-targets", written])
        let weights = try #require(te["weights"] as? [String: Double])
        #expect(abs(weights.values.reduce(0, +) - 1) < 1e-9 && weights.values.allSatisfy { $0 >= -1e-12 })
        let minimum = try #require(te["trackingError"] as? Double)
        // The benchmark holds 2% cash (zero risk), which a fully invested portfolio cannot: small, not zero.
        #expect(minimum > 0 && minimum < 0.01)
        let solver = try #require(te["solver"] as? [String: Any])
        #expect(solver["status"] as? String == "optimal")
        let kkt = try #require(solver["kkt"] as? [String: Double])
        #expect(kkt.count == 3 && kkt.values.allSatisfy { $0 < 1e-7 })
        // Every other portfolio tracks worse.
        for objective in ["equal-weight", "min-variance", "hrp"] {
            let other = try Self.json(base + ["--objective", objective])
            #expect(try #require(other["trackingError"] as? Double) > minimum)
        }
        // `risk` against the same benchmark agrees on the written weights.
        let risk = try Self.json(["risk", "--prices", Self.prices, "--weights", written, "--benchmark", Self.young])
        #expect(abs(try #require(risk["trackingError"] as? Double) - minimum) < 1e-8)
        #expect(try #require(risk["historicalTrackingError"] as? Double) > 0)
        // The table lists the contributions that print as a number and counts the rest (the JSON has all).
        let table = try FolioProcess.run(["risk", "--prices", Self.prices, "--weights", written, "--benchmark", Self.young])
        let tiny = (risk["riskContributions"] as! [String: Double]).values.filter { abs($0) < 5e-5 }.count
        #expect(table.status == 0 && table.stdout.contains("Tracking error (annual, covariance)") && !table.stdout.contains(" 0.00%\n"))
        #expect(tiny == 0 || table.stdout.contains("\(tiny) more held asset"))
        // A portfolio against itself tracks perfectly.
        let own = try Self.json(["risk", "--prices", Self.prices, "--weights", Self.young, "--benchmark", Self.young])
        #expect(own["trackingError"] as? Double == 0 && own["historicalTrackingError"] as? Double == 0)
    }

    @Test func trackingErrorInputsAreChecked() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let usage = try FolioProcess.run(["optimize", "--prices", Self.prices, "--objective", "min-tracking-error"])
        #expect(usage.status == 2 && usage.stderr.contains("--benchmark"))
        let unknown = try Self.write("targets:\n  FUSLC: 0.5\n  NOPE: 0.5\n", "bench.yaml", in: folder)
        for command in [["optimize", "--objective", "min-tracking-error"], ["risk", "--weights", Self.young]] {
            let result = try FolioProcess.run([command[0], "--prices", Self.prices, "--benchmark", unknown] + command.dropFirst())
            #expect(result.status == 1 && result.stderr.contains("NOPE") && result.stderr.contains("--benchmark"), "\(result.stderr)")
        }
        let html = try Self.write("targets:\n  \"<b>X</b>\": 1\n", "html.yaml", in: folder)
        let bad = try FolioProcess.run(["optimize", "--prices", Self.prices, "--objective", "min-tracking-error", "--benchmark", html])
        #expect(bad.status == 1 && bad.stderr.contains("html.yaml"))
        let classes = try Self.write("asset_classes:\n  eq: {weight: 1, primary: FUSLC}\n", "classes.yaml", in: folder)
        let byClass = try FolioProcess.run(["risk", "--prices", Self.prices, "--weights", Self.young, "--benchmark", classes])
        #expect(byClass.status == 1 && byClass.stderr.contains("by symbol"))
    }

    // MARK: Constraints file: golden against cvxpy

    struct Golden: Decodable {
        struct Case: Decodable {
            var name, objective, constraints: String
            var current: Bool
            var riskAversion: Double?
            var weights: [String: Double]
            var objectiveValue: Double
        }
        var symbols: [String]
        var current: String
        var cases: [Case]
    }

    @Test func constraintsFileMatchesCvxpy() throws {
        let url = FolioProcess.repository.appendingPathComponent("Tests/FolioOptimizationTests/Fixtures/cli_constraints_golden.json")
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        #expect(golden.cases.count == 3)
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let current = try Self.write(golden.current, "current.yaml", in: folder)
        let currentWeights = try TargetsReader.read(contentsOf: URL(fileURLWithPath: current)).securityWeights
        for c in golden.cases {
            let constraints = try Self.write(c.constraints, "\(c.name).yaml", in: folder)
            var arguments = ["optimize", "--prices", Self.prices, "--symbols", golden.symbols.joined(separator: ","),
                             "--objective", c.objective, "--constraints", constraints]
            if c.current { arguments += ["--current", current] }
            if let delta = c.riskAversion { arguments += ["--risk-aversion", String(delta)] }
            let json = try Self.json(arguments)
            let weights = try #require(json["weights"] as? [String: Double])
            #expect(Set(weights.keys) == Set(golden.symbols))
            for (symbol, expected) in c.weights {
                #expect(abs(weights[symbol]! - expected) < 1e-8, "\(c.name) \(symbol): \(weights[symbol]!) vs cvxpy \(expected)")
            }
            let value = try #require(json["objectiveValue"] as? Double)
            #expect(abs(value - c.objectiveValue) < 1e-10 * max(1, abs(c.objectiveValue)), "\(c.name): \(value) vs \(c.objectiveValue)")
            if c.current {
                // Recomputed from the output: the turnover reported is Σ|w − current| and respects the cap.
                let turnover = weights.reduce(0.0) { sum, pair in
                    sum + abs(pair.value - (currentWeights.first { $0.symbol == pair.key }?.weight ?? 0))
                }
                #expect(abs(try #require(json["turnover"] as? Double) - turnover) < 1e-12)
                if c.constraints.contains("turnover: 0.25") { #expect(turnover <= 0.25 + 1e-8) }
            }
            #expect((json["solver"] as? [String: Any])?["status"] as? String == "optimal")
        }
    }

    @Test(arguments: [
        ("turnover: 0.2\n", "--current"),
        ("transaction_costs: 10\n", "--current"),
        ("turnover: -1\n", "turnover cap"),
        ("linear:\n  - {terms: {NOPE: 1}, max: 0.1}\n", "NOPE"),
        ("linear:\n  - {terms: {FUSLC: 1}, max: 0.1, equals: 0.1}\n", "equals alone"),
        ("linear:\n  - {terms: {FUSLC: 1}}\n", "a limit"),
        ("linear:\n  - {terms: {FUSLC: 1}, min: 0.3, max: 0.1}\n", "min ≤ max"),
        ("transaction_costs: {default: 10, FUSLC: -5}\n", "basis points"),
        ("transaction_costs: 10%\n", "basis points"),
        ("linear: {terms: {FUSLC: 1}}\n", "a list of rows"),
    ])
    func badConstraintsAreDataErrorsWithTheirLine(text: String, expected: String) throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let constraints = try Self.write("# constraints\n" + text, "c.yaml", in: folder)
        let result = try FolioProcess.run(["optimize", "--prices", Self.prices, "--objective", "min-variance", "--constraints", constraints])
        #expect(result.status == 1, "\(text): \(result.stderr)")
        // The problem is on the text's last line (the file's first line is a comment).
        let line = 1 + text.split(separator: "\n").count
        #expect(result.stderr.contains("c.yaml:\(line):") && result.stderr.contains(expected), "\(text): \(result.stderr)")
    }

    @Test func costsCannotJoinASharpeRatio() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let constraints = try Self.write("transaction_costs: 10\n", "c.yaml", in: folder)
        let result = try FolioProcess.run(["optimize", "--prices", Self.prices, "--objective", "max-sharpe", "--constraints", constraints,
                                           "--current", Self.young])
        #expect(result.status == 1 && result.stderr.contains("transaction costs"))
    }

    // MARK: --write-targets, Sharpe conventions, solver evidence

    @Test func writtenTargetsAreReadAndRebalanced() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = folder.appendingPathComponent("targets.yaml").path
        let json = try Self.json(["optimize", "--prices", Self.prices, "--symbols", "FUSLC,FUSSC,FINTL,FEMKT,FAGGB", "--objective", "max-sharpe",
                                  "--covariance", "ledoit-wolf", "--write-targets", written])
        let weights = try #require(json["weights"] as? [String: Double])
        let back = try TargetsReader.read(contentsOf: URL(fileURLWithPath: written))
        let read = Dictionary(uniqueKeysWithValues: back.securityWeights.map { ($0.symbol, $0.weight) })
        #expect(abs(read.values.reduce(0, +) - 1) < 1e-12)
        for (symbol, w) in weights where w > 1e-10 { #expect(abs(read[symbol]! - w) < 1e-9, "\(symbol)") }
        #expect(json["sharpeConvention"] as? String == SharpeConvention.exAnte.rawValue)
        // The same Sharpe convention in `risk` (expectedSharpeRatio) gives optimize's figure.
        let risk = try Self.json(["risk", "--prices", Self.prices, "--symbols", "FUSLC,FUSSC,FINTL,FEMKT,FAGGB", "--weights", written,
                                  "--covariance", "ledoit-wolf"])
        #expect(abs(try #require(risk["expectedSharpeRatio"] as? Double) - (json["sharpeRatio"] as! Double)) < 1e-7)
        let conventions = try #require(risk["sharpeConventions"] as? [String: String])
        #expect(conventions["sharpeRatio"] == SharpeConvention.historical.rawValue && conventions["expectedSharpeRatio"] == SharpeConvention.exAnte.rawValue)
        // `folio rebalance` runs with it.
        var arguments = FolioProcess.household("young-accumulator", policy: false)
        arguments[arguments.firstIndex(of: "--targets")! + 1] = written
        let plan = try FolioProcess.run(arguments + ["--format", "json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let trades = try #require((try JSONSerialization.jsonObject(with: plan.stdoutData) as? [String: Any])?["trades"] as? [[String: Any]])
        #expect(trades.contains { ($0["symbol"] as? String) == "FUSLC" || ($0["symbol"] as? String) == "FAGGB" })
    }

    @Test func targetsFileKeepsCashAndRefusesShorts() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let constraints = try Self.write("budget: 0.8\nbounds: {min: 0, max: 0.5}\n", "c.yaml", in: folder)
        let partial = folder.appendingPathComponent("partial.yaml")
        let json = try Self.json(["optimize", "--prices", Self.prices, "--symbols", "FUSLC,FAGGB,FINTL", "--objective", "min-variance",
                                  "--constraints", constraints, "--write-targets", partial.path])
        #expect(abs((json["weights"] as! [String: Double]).values.reduce(0, +) - 0.8) < 1e-9)
        let read = try TargetsReader.read(contentsOf: partial).securityWeights
        #expect(abs((read.first { $0.symbol == "CASH" }?.weight ?? 0) - 0.2) < 1e-9)
        let shorts = folder.appendingPathComponent("shorts.yaml")
        let result = try FolioProcess.run(["optimize", "--prices", Self.prices, "--symbols", "FUSLC,FAGGB,FINTL,FGOLD", "--objective", "max-utility",
                                           "--bounds", "-1,1", "--write-targets", shorts.path])
        let weights = try #require(try JSONSerialization.jsonObject(with: try FolioProcess.run(
            ["optimize", "--prices", Self.prices, "--symbols", "FUSLC,FAGGB,FINTL,FGOLD", "--objective", "max-utility", "--bounds", "-1,1",
             "--format", "json"]).stdoutData) as? [String: Any])["weights"] as? [String: Double]
        try #require(weights?.values.contains { $0 < -1e-6 } == true, "the case needs a short position")
        #expect(result.status == 1 && result.stderr.contains("no shorts") && !FileManager.default.fileExists(atPath: shorts.path))
    }

    @Test func hostileSymbolsSurviveTheTargetsFile() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var rng = SeededBytes(state: 17)
        var text = "date,BRK/B,1E5,A.B,NO,Y-1\n"
        var level = [100.0, 50, 20, 10, 70]
        for day in 0..<300 {
            level = level.enumerated().map { (k: Int, value: Double) -> Double in
                let draw = Double(rng.next() >> 11) / 0x1p53 - 0.5
                return value * (1 + 0.01 * draw * Double(k + 1))
            }
            let date = Calendar(identifier: .gregorian).date(byAdding: .day, value: day, to: Date(timeIntervalSince1970: 1_600_000_000))!
            text += ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
                + "," + level.map { String(format: "%.4f", $0) }.joined(separator: ",") + "\n"
        }
        let prices = try Self.write(text, "p.csv", in: folder)
        let written = folder.appendingPathComponent("t.yaml").path
        let json = try Self.json(["optimize", "--prices", prices, "--objective", "min-variance", "--write-targets", written])
        let weights = try #require(json["weights"] as? [String: Double])
        #expect(Set(weights.keys) == ["BRK/B", "1E5", "A.B", "NO", "Y-1"])
        let read = try TargetsReader.read(contentsOf: URL(fileURLWithPath: written)).securityWeights
        for line in read { #expect(abs(weights[line.symbol]! - line.weight) < 1e-9, "\(line.symbol)") }
        #expect(Set(read.map(\.symbol)).isSubset(of: Set(weights.keys)))
        // Symbols named in --symbols as written, lower case, or with spaces.
        let some = try Self.json(["optimize", "--prices", prices, "--objective", "equal-weight", "--symbols", " brk/b , 1e5", "--symbols", "no"])
        #expect(Set((some["weights"] as! [String: Double]).keys) == ["BRK/B", "1E5", "NO"])
    }

    @Test func solverEvidenceOnlyForQuadraticPrograms() throws {
        let qp = try Self.json(["optimize", "--prices", Self.prices, "--objective", "max-utility", "--exclude", "FMMKT"])
        let solver = try #require(qp["solver"] as? [String: Any])
        #expect(solver["status"] as? String == "optimal" && (solver["iterations"] as? Int ?? 0) > 0)
        #expect((solver["kkt"] as? [String: Double])?.values.allSatisfy { $0 < 1e-7 } == true)
        let hrp = try Self.json(["optimize", "--prices", Self.prices, "--objective", "hrp", "--linkage", "ward"])
        #expect(hrp["solver"] == nil)
        let table = try FolioProcess.run(["optimize", "--prices", Self.prices, "--objective", "min-variance", "--exclude", "FMMKT"])
        #expect(table.status == 0 && table.stdout.contains("solver optimal") && table.stdout.contains("ex-ante"))
    }

    @Test func cashLikeAssetDominatingIsWarned() throws {
        for objective in ["min-variance", "max-sharpe"] {
            let result = try FolioProcess.run(["optimize", "--prices", Self.prices, "--objective", objective, "--format", "json"])
            #expect(result.status == 0)
            let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
            let warnings = try #require(json["warnings"] as? [String])
            #expect(warnings.count == 1 && warnings[0].contains("FMMKT") && warnings[0].contains("--risk-free-rate"), "\(objective)")
            #expect(result.stderr.contains("warning: cash-like FMMKT"))
            #expect(try #require((json["weights"] as? [String: Double])?["FMMKT"]) >= 0.5)
        }
        let excluded = try Self.json(["optimize", "--prices", Self.prices, "--objective", "min-variance", "--exclude", "FMMKT"])
        #expect((excluded["warnings"] as? [String])?.isEmpty == true)
        let withRate = try Self.json(["optimize", "--prices", Self.prices, "--objective", "min-variance", "--risk-free-rate", "0.02"])
        #expect((withRate["warnings"] as? [String])?.isEmpty == true)
    }

    // MARK: --symbols / --exclude

    @Test func symbolsAndExclude() throws {
        let two = try Self.json(["optimize", "--prices", Self.prices, "--objective", "min-variance", "--symbols", "FUSLC,FAGGB"])
        #expect(Set((two["weights"] as! [String: Double]).keys) == ["FUSLC", "FAGGB"])
        let most = try Self.json(["optimize", "--prices", Self.prices, "--objective", "inverse-volatility", "--exclude", "FMMKT", "--exclude", "FGOLD,FREIT"])
        let keys = Set((most["weights"] as! [String: Double]).keys)
        #expect(keys.count == 42 && keys.isDisjoint(with: ["FMMKT", "FGOLD", "FREIT"]))
        let frontier = try Self.json(["frontier", "--prices", Self.prices, "--points", "3", "--symbols", "FUSLC,FAGGB,FINTL"])
        #expect(((frontier["tangency"] as? [String: Any])?["weights"] as? [String: Double])?.count == 3)
        let unknown = try FolioProcess.run(["optimize", "--prices", Self.prices, "--objective", "min-variance", "--symbols", "FUSLC,ZZZZ", "--exclude", "QQQQ"])
        #expect(unknown.status == 1 && unknown.stderr.contains("ZZZZ, QQQQ") && unknown.stderr.contains("prices.csv"))
        let nothing = try FolioProcess.run(["optimize", "--prices", Self.prices, "--objective", "min-variance", "--symbols", "FUSLC", "--exclude", "FUSLC"])
        #expect(nothing.status == 1 && nothing.stderr.contains("leave no symbol"))
        let empty = try FolioProcess.run(["optimize", "--prices", Self.prices, "--objective", "min-variance", "--symbols", ","])
        #expect(empty.status == 2)
        // risk: a weight on an excluded symbol is an error naming it, never dropped silently.
        let risk = try FolioProcess.run(["risk", "--prices", Self.prices, "--weights", Self.young, "--exclude", "FEMKT"])
        #expect(risk.status == 1 && risk.stderr.contains("FEMKT") && risk.stderr.contains("--weights"))
    }

    @Test(arguments: [["--bounds", "0,x"], ["--bounds", "0,0.2,"], ["--bounds", "0.3,0.1"], ["--linkage", "nearest"], ["--bounds", "nan,1"]])
    func typedArgumentsRejectBadValues(extra: [String]) throws {
        let result = try FolioProcess.run(["optimize", "--prices", Self.prices, "--objective", "hrp"] + extra)
        #expect(result.status == 2, "\(extra): \(result.stderr)")
    }

    // MARK: allocate

    @Test func allocateGreedyAndExact() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var deviations: [String: Double] = [:]
        for method in ["greedy", "exact"] {
            let trades = folder.appendingPathComponent("\(method).csv"), targets = folder.appendingPathComponent("\(method).yaml")
            let json = try Self.json(["allocate", "--weights", Self.young, "--prices", Self.prices, "--budget", "$25,000.00", "--method", method,
                                      "--write-trades", trades.path, "--write-targets", targets.path])
            #expect(json["method"] as? String == method)
            let lines = try #require(json["lines"] as? [[String: Any]])
            #expect(Set(lines.map { $0["symbol"] as! String }) == ["FUSLC", "FUSSC", "FINTL", "FEMKT", "FAGGB"])
            // Exact money, recomputed from the trades file: Σ quantity × price = invested; invested + leftover = budget.
            let csv = try String(contentsOf: trades, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
            var invested = Decimal(0)
            for row in csv {
                let q = Decimal(string: row[2])!, p = Decimal(string: row[3])!, v = Decimal(string: row[4])!
                #expect(q * p == v && row[1] == "buy" && q > 0)
                invested += v
            }
            let leftover = Decimal(string: "25000")! - invested
            #expect(leftover >= 0)
            #expect(abs((json["invested"] as! Double) - NSDecimalNumber(decimal: invested).doubleValue) < 1e-6)
            #expect(abs((json["leftover"] as! Double) - NSDecimalNumber(decimal: leftover).doubleValue) < 1e-6)
            // Each line's achieved weight is its value over the budget.
            for line in lines {
                #expect(abs((line["achievedWeight"] as! Double) - (line["value"] as! Double) / 25_000) < 1e-12)
            }
            let achieved = try TargetsReader.read(contentsOf: targets).securityWeights
            #expect(abs(achieved.reduce(0) { $0 + $1.weight } - 1) < 1e-12)
            deviations[method] = json["deviation"] as? Double
        }
        #expect(deviations["exact"]! <= deviations["greedy"]! + 1e-12)
        let table = try FolioProcess.run(["allocate", "--weights", Self.young, "--prices", Self.prices, "--budget", "25000"])
        #expect(table.status == 0 && table.stdout.contains("leftover cash") && table.stdout.contains("FUSLC"))
    }

    @Test func allocateFromAPriceList() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The prices file's last row, as a price list (with an extra column and money syntax): the same shares.
        let list = try Self.write("Symbol , name, Price\nFUSLC,Large,$251.41\nfussc,Small,156.41\nFINTL,,97.76\nFEMKT,,63.97\nFAGGB,,139.85\n",
                                  "list.csv", in: folder)
        let fromList = try Self.json(["allocate", "--weights", Self.young, "--prices", list, "--budget", "25000"])
        let fromHistory = try Self.json(["allocate", "--weights", Self.young, "--prices", Self.prices, "--budget", "25000"])
        let shares = { (json: [String: Any]) in (json["lines"] as! [[String: Any]]).map { "\($0["symbol"]!)=\($0["shares"]!)" } }
        #expect(shares(fromList) == shares(fromHistory) && fromList["leftover"] as? Double == fromHistory["leftover"] as? Double)
        let bad = try Self.write("symbol,price\nFUSLC,-3\nFUSLC,2\n=HYPERLINK(1),4\nFAGGB,abc\n", "bad.csv", in: folder)
        let result = try FolioProcess.run(["allocate", "--weights", Self.young, "--prices", bad, "--budget", "25000", "--verbose"])
        #expect(result.status == 1)
        for place in ["bad.csv:2:7", "bad.csv:3:1", "bad.csv:4:1", "bad.csv:5:7"] { #expect(result.stderr.contains(place), "\(place): \(result.stderr)") }
    }

    @Test func allocateRejectsBadInputs() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for budget in ["-5", "0", "1e3", "25,00.0", "abc"] {
            let result = try FolioProcess.run(["allocate", "--weights", Self.young, "--prices", Self.prices, "--budget", budget])
            #expect(result.status == 2 && result.stderr.contains("--budget"), "\(budget)")
        }
        let method = try FolioProcess.run(["allocate", "--weights", Self.young, "--prices", Self.prices, "--budget", "100", "--method", "lp"])
        #expect(method.status == 2)
        let unknown = try Self.write("targets:\n  FUSLC: 0.5\n  NOPE: 0.5\n", "w.yaml", in: folder)
        let missing = try FolioProcess.run(["allocate", "--weights", unknown, "--prices", Self.prices, "--budget", "100"])
        #expect(missing.status == 1 && missing.stderr.contains("NOPE"))
        let cash = try Self.write("targets:\n  CASH: 1\n", "cash.yaml", in: folder)
        let allCash = try FolioProcess.run(["allocate", "--weights", cash, "--prices", Self.prices, "--budget", "100"])
        #expect(allCash.status == 1 && allCash.stderr.contains("CASH"))
        // A budget below every price buys nothing and leaves it all in cash.
        let tiny = try Self.json(["allocate", "--weights", Self.young, "--prices", Self.prices, "--budget", "1.00", "--method", "greedy"])
        #expect(tiny["leftover"] as? Double == 1 && tiny["invested"] as? Double == 0)
    }
}
