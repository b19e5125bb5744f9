import Foundation
import Testing
@testable import FolioCLI

/// What an advisor reads in the terminal: the width used, words instead of internal names,
/// money formatted as money, and turnover said for what it is (issue 20, "Words in the
/// terminal"). Every test runs the built `folio`.
@Suite struct AdvisorWordsTests {
    /// A taxable account far from its target under a semi-annual calendar and a $1,000 cap on
    /// net realized gains: the plan has a capped sell, a skipped sell (the cap), a skipped buy
    /// (no cash left) and a warning; each used to print an internal name or a raw number.
    static func cappedHousehold(in folder: URL) throws -> [String] {
        let files: [(String, String)] = [
            ("holdings.csv", """
             Account,Account Type,Symbol,Quantity,Price,Cost Basis,Acquired
             T-1,Taxable,AAA,100,$100.00,"$2,000.00",2015-01-02
             T-1,Taxable,BBB,10,$50.00,$400.00,2015-01-02
             T-1,Taxable,CASH,10.00,,,
             """),
            ("targets.yaml", "targets:\n  AAA: 0.5\n  BBB: 0.5\n"),
            ("policy.yaml", """
             trigger: calendar
             calendar:
               frequency: semi-annual
               last_rebalance: "2024-01-01"
             taxes:
               short_term_rate: 0.37
               long_term_rate: 0.2
               max_net_gain: 1000.00
             """),
        ]
        for (name, text) in files { try (text + "\n").write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return ["rebalance", "--holdings", folder.appendingPathComponent("holdings.csv").path,
                "--targets", folder.appendingPathComponent("targets.yaml").path,
                "--policy", folder.appendingPathComponent("policy.yaml").path, "--as-of", "2025-06-30"]
    }

    /// Internal names that must never reach an advisor: Swift case names of the account kinds,
    /// frequencies and skip reasons, and the engine's old wording.
    static let internalNames = ["taxDeferred", "taxExempt", "semiAnnual", "insufficientCash", "taxBudget", "belowMinimumTradeValue",
                                "belowOneLot", "doNotSell", "doNotBuy", "notTradable", "washSale", "noReplacement",
                                "costExceedsValue", "tax budget of"]

    /// Every place in `text` where an internal name or an approximate raw amount (`~72.13`) appears.
    static func leaks(in text: String) -> [String] {
        var found = internalNames.filter { text.contains($0) }
        if let range = text.range(of: #"~[0-9]"#, options: .regularExpression) { found.append(String(text[range])) }
        // A bare number where money is meant ("left 21302.01 of", "the reserve (1000)").
        if let range = text.range(of: #"(left|reserve|gains) \(?[0-9]"#, options: .regularExpression) {
            found.append(String(text[range]))
        }
        return found
    }

    @Test func noInternalNamesInTheTableTheJSONOrTheReport() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let capped = try Self.cappedHousehold(in: folder)
        for arguments in [capped, FolioProcess.household("couple"), FolioProcess.household("retiree")] {
            let output = folder.appendingPathComponent("out-\(UUID().uuidString)")
            let table = try FolioProcess.run(arguments + ["--output", output.path], environment: ["COLUMNS": "300"])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(Self.leaks(in: table.stdout).isEmpty, "terminal: \(Self.leaks(in: table.stdout))\n\(table.stdout)")
            let html = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
            #expect(Self.leaks(in: html).isEmpty, "report.html: \(Self.leaks(in: html))")
            // plan.json: keys are camelCase by design; the sentences in it are not.
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("plan.json"))) as? [String: Any])
            let sentences = (json["warnings"] as? [String] ?? []) + (json["skippedTrades"] as? [String] ?? [])
                + (json["trades"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
            for sentence in sentences { #expect(Self.leaks(in: sentence).isEmpty, "plan.json: \(sentence)") }
        }
        // The capped household says each thing in words, with money as money.
        let result = try FolioProcess.run(capped, environment: ["COLUMNS": "300"])
        for words in ["(taxable): semi-annual rebalance due", "the cap on net realized gains ($1,000.00) limited sells",
                      "sell AAA (about $3,600.00) skipped: selling more would exceed the cap on net realized gains",
                      "skipped: not enough cash once costs and rounding are counted"] {
            #expect(result.stdout.contains(words), "missing \"\(words)\" in\n\(result.stdout)")
        }
        // Kinds of the couple's accounts in words.
        let couple = try FolioProcess.run(FolioProcess.household("couple"), environment: ["COLUMNS": "300"])
        #expect(couple.stdout.contains("(tax-deferred)") && couple.stdout.contains("(tax-exempt)"), "\(couple.stdout)")
    }

    @Test func anErrorSaysMoneyAsMoney() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = try Self.cappedHousehold(in: folder)
        let withdrawal = try FolioProcess.run(arguments + ["--cash-flow", "-1000000"])
        #expect(withdrawal.status == 1)
        #expect(withdrawal.stderr.contains("withdrawal of $1,000,000.00 exceeds the $10,510.00 available"), "\(withdrawal.stderr)")
    }

    @Test(arguments: [80, 120, 200])
    func theTableUsesTheTerminalsWidth(columns: Int) throws {
        let arguments = FolioProcess.household("couple")
        let table = try FolioProcess.run(arguments, environment: ["COLUMNS": "\(columns)"])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let widest = lines.map(\.count).max() ?? 0
        // No line wider than the terminal, and the width is used: at 200 columns nothing is cut.
        #expect(widest <= columns, "a line of \(widest) characters at COLUMNS=\(columns)")
        let json = try FolioProcess.run(arguments + ["--format", "json"])
        let plan = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        let reasons = try #require(plan["trades"] as? [[String: Any]]).compactMap { $0["reason"] as? String }
        #expect(!reasons.isEmpty)
        let longest = reasons.map(\.count).max() ?? 0
        let tradeRows = lines.filter { $0.contains(" sell ") || $0.contains(" buy ") }
        if columns >= 200 {
            #expect(!tradeRows.contains { $0.contains("…") }, "a trade row cut at 200 columns")
            for reason in reasons { #expect(tradeRows.contains { $0.hasSuffix(reason) }, "reason cut: \(reason)") }
        }
        // The reason column grows with the terminal: its widest cell is min(longest, what fits).
        let header = try #require(lines.first { $0.hasPrefix("Account ") && $0.contains("Reason") })
        let rule = try #require(lines[lines.firstIndex(of: header)! + 1].split(separator: " ").last)
        #expect(rule.count == min(longest, columns - (header.count - "Reason".count)), "Reason column \(rule.count) wide at \(columns)")
    }

    @Test func turnoverIsDefinedAndSellsAndBuysAreSharesOfValue() throws {
        let arguments = FolioProcess.household("couple")
        let table = try FolioProcess.run(arguments, environment: ["COLUMNS": "100"])
        let json = try FolioProcess.run(arguments + ["--format", "json"])
        #expect(table.status == 0 && json.status == 0)
        let plan = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        let accounts = try #require(plan["accounts"] as? [[String: Any]])
        let value = accounts.compactMap { ($0["accountValueBefore"] as? NSNumber)?.doubleValue }.reduce(0, +)
        let sells = try #require((plan["totalSells"] as? NSNumber)?.doubleValue)
        let buys = try #require((plan["totalBuys"] as? NSNumber)?.doubleValue)
        #expect(value > 0 && accounts.count == 3)
        let flat = table.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(flat.contains("Turnover is the smaller of sells and buys as a share of the value before trading"), "\(table.stdout)")
        // Recomputed from the JSON: each side as a share of the value before, two decimals.
        for (label, amount) in [("Sells", sells), ("Buys", buys)] {
            let share = String(format: "%.2f%% of value", amount / value * 100)
            #expect(table.stdout.split(separator: "\n").contains { $0.hasPrefix(label) && $0.contains(share) }, "\(label): \(share)\n\(table.stdout)")
        }
        let turnover = try #require((plan["turnover"] as? NSNumber)?.doubleValue)
        #expect(abs(turnover - min(sells, buys) / value) < 1e-12)
    }
}

/// The command line (issue 20, "The command line"): negative numbers, help examples that
/// paste, absolute paths in files, and errors that say what to write.
@Suite struct CommandLineWordsTests {
    static let subcommands: [(name: String, required: [String])] = [
        ("rebalance", ["--holdings", "/nonexistent/h.csv", "--targets", "/nonexistent/t.yaml"]),
        ("batch run", ["--holdings", "/nonexistent/book", "--output", "/nonexistent/out"]),
        ("backtest", ["--prices", "/nonexistent/p.csv"]),
        ("optimize", ["--prices", "/nonexistent/p.csv", "--objective", "min-variance"]),
        ("covariance", ["--prices", "/nonexistent/p.csv"]),
        ("frontier", ["--prices", "/nonexistent/p.csv"]),
        ("risk", ["--prices", "/nonexistent/p.csv", "--weights", "/nonexistent/w.yaml"]),
        ("allocate", ["--prices", "/nonexistent/p.csv", "--weights", "/nonexistent/w.yaml", "--budget", "100"]),
        ("profile", ["--answers", "/nonexistent/a.yaml"]),
        ("check", ["--targets", "/nonexistent/t.yaml", "--category", "moderate"]),
        ("goals", ["--profile", "/nonexistent/p.yaml"]),
    ]
    /// Numeric options without a default value (the dump lists the others' defaults).
    static let numericWithoutDefault: [String: [String]] = [
        "rebalance": ["--cash-flow"], "optimize": ["--target-return", "--target-volatility"], "backtest": ["--cash-flow"], "allocate": ["--budget"],
    ]

    /// Every numeric option of every subcommand, found in `--experimental-dump-help` (an option
    /// whose default is a number) plus those without a default, takes `-1` as its value:
    /// either the run goes on (status 1 on the missing file) or the option's own check refuses
    /// it by name; never "Missing value".
    @Test(arguments: subcommands.map(\.name))
    func negativeNumbersParseForEveryNumericOption(subcommand: String) throws {
        let required = try #require(Self.subcommands.first { $0.name == subcommand }).required
        let dump = try FolioProcess.run(subcommand.split(separator: " ").map(String.init) + ["--experimental-dump-help"])
        let tool = try #require(try JSONSerialization.jsonObject(with: dump.stdoutData) as? [String: Any])
        let arguments = try #require((tool["command"] as? [String: Any])?["arguments"] as? [[String: Any]])
        var numeric = arguments.compactMap { argument -> String? in
            guard argument["kind"] as? String == "option", let value = argument["defaultValue"] as? String, Double(value) != nil,
                  let name = (argument["preferredName"] as? [String: Any])?["name"] as? String else { return nil }
            return "--" + name
        }
        numeric += Self.numericWithoutDefault[subcommand] ?? []
        #expect(!numeric.isEmpty || ["profile", "covariance"].contains(subcommand))
        for option in numeric {
            let result = try FolioProcess.run(subcommand.split(separator: " ").map(String.init) + required + [option, "-1"])
            #expect(!result.stderr.contains("Missing value") && !result.stderr.contains("Unknown option"),
                    "\(subcommand) \(option) -1: \(result.stderr)")
            #expect(result.status == 1 || (result.status == 2 && result.stderr.contains(option)),
                    "\(subcommand) \(option) -1: status \(result.status) \(result.stderr)")
        }
    }

    @Test func aWithdrawalWithASpaceBeforeItsMinus() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = try AdvisorWordsTests.cappedHousehold(in: folder)
        let json = try FolioProcess.run(arguments + ["--cash-flow", "-500", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect((plan["withdrawals"] as? NSNumber)?.doubleValue == 500)
        let optimize = try FolioProcess.run(["optimize", "--prices", FolioProcess.data.appendingPathComponent("prices.csv").path,
                                             "--objective", "efficient-return", "--target-return", "-0.02", "--bounds", "-1,1",
                                             "--format", "json"])
        #expect(!optimize.stderr.contains("Missing value"), "\(optimize.stderr)")
    }

    /// Splits shell text into commands (a newline ends one unless escaped) and words, as a
    /// POSIX shell does for unquoted text, backslashes and single or double quotes.
    static func shellCommands(_ text: String) -> [[String]] {
        var commands: [[String]] = [], words: [String] = [], word = "", inWord = false
        var quote: Character? = nil
        var characters = Array(text)[...]
        func endWord() { if inWord { words.append(word); word = ""; inWord = false } }
        while let c = characters.popFirst() {
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"", let next = characters.popFirst() { word.append(next) } else { word.append(c) }
                continue
            }
            switch c {
            case "\\":
                guard let next = characters.popFirst() else { break }
                if next != "\n" { word.append(next); inWord = true }
            case "'", "\"": quote = c; inWord = true
            case " ", "\t": endWord()
            case "\n":
                endWord()
                if !words.isEmpty { commands.append(words) }
                words = []
            default: word.append(c); inWord = true
            }
        }
        endWord()
        if !words.isEmpty { commands.append(words) }
        return commands
    }

    /// The example blocks of a help text: the lines after a line `Example...:` up to a blank line.
    static func exampleBlocks(_ help: String) -> [String] {
        var blocks: [String] = [], current: [Substring]? = nil
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if var lines = current {
                if line.trimmingCharacters(in: .whitespaces).isEmpty { blocks.append(lines.joined(separator: "\n")); current = nil } else {
                    lines.append(line); current = lines
                }
            } else if line.hasPrefix("Example") && line.hasSuffix(":") {
                current = []
            }
        }
        if let current { blocks.append(current.joined(separator: "\n")) }
        return blocks
    }

    /// `folio help X` at 80 columns: every example, read by a shell, is whole commands
    /// starting with `folio` that the parser accepts (options, values and validation).
    @Test(arguments: [""] + subcommands.map(\.name))
    func helpExamplesPasteAtEightyColumns(subcommand: String) throws {
        let help = try FolioProcess.run(["help"] + subcommand.split(separator: " ").map(String.init), environment: ["COLUMNS": "80"])
        #expect(help.status == 0)
        let blocks = Self.exampleBlocks(help.stdout)
        #expect(!blocks.isEmpty, "no example in folio help \(subcommand)")
        for block in blocks {
            let commands = Self.shellCommands(block)
            #expect(!commands.isEmpty)
            for command in commands {
                #expect(command.first == "folio", "a fragment that is not a command: \(command.joined(separator: " "))\n\(block)")
                guard command.first == "folio" else { continue }
                #expect(throws: Never.self, "\(command.joined(separator: " "))") {
                    _ = try FolioCommand.parseAsRoot(Array(command.dropFirst()))
                }
            }
        }
    }

    @Test func anAbsolutePathInAProfileStaysAbsolute() throws {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let retiree = FolioProcess.data.appendingPathComponent("households/retiree")
        var text = try String(contentsOf: retiree.appendingPathComponent("profile.yaml"), encoding: .utf8)
        for name in ["answers", "goals", "questionnaire"] {
            let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("\(name):") })
            let path = retiree.appendingPathComponent(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces))
                .standardizedFileURL.path
            #expect(path.hasPrefix("/") && !path.contains(".."))
            text = text.replacingOccurrences(of: String(line), with: "\(name): \"\(path)\"")
        }
        let profile = folder.appendingPathComponent("profile.yaml")
        try text.write(to: profile, atomically: true, encoding: .utf8)
        // The holdings are named: by default they are looked for next to the profile.
        let holdings = ["--holdings", retiree.appendingPathComponent("holdings.csv").path]
        let absolute = try FolioProcess.run(["goals", "--profile", profile.path, "--as-of", "2025-12-31", "--paths", "200", "--format", "json"] + holdings)
        let relative = try FolioProcess.run(["goals", "--profile", retiree.appendingPathComponent("profile.yaml").path, "--as-of",
                                             "2025-12-31", "--paths", "200", "--format", "json"] + holdings)
        #expect(absolute.status == 0, "\(absolute.stderr)")
        #expect(absolute.stdout == relative.stdout)
    }

    /// Writes `files` into a fresh folder and runs `folio rebalance` on them (holdings with
    /// their own prices, as-of 2025-06-30) with `extra` arguments.
    static func rebalance(_ holdings: String, targets: String = "targets:\n  AAA: 0.5\n  BBB: 0.5\n", _ extra: [String] = [])
        throws -> FolioProcess.Result {
        let folder = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try holdings.write(to: folder.appendingPathComponent("holdings.csv"), atomically: true, encoding: .utf8)
        try targets.write(to: folder.appendingPathComponent("targets.yaml"), atomically: true, encoding: .utf8)
        return try FolioProcess.run(["rebalance", "--holdings", folder.appendingPathComponent("holdings.csv").path,
                                     "--targets", folder.appendingPathComponent("targets.yaml").path, "--as-of", "2025-06-30"] + extra)
    }

    @Test func aMissingColumnListsItsNamesAndAnUnreadColumnIsNamed() throws {
        // No quantity column: every accepted name, and the column that looks meant for it.
        let noQuantity = try Self.rebalance("Symbol,Qty Held,Price\nAAA,10,$100.00\nBBB,10,$50.00\n")
        #expect(noQuantity.status == 1)
        #expect(noQuantity.stderr.contains("no quantity column (accepted names: quantity, shares, units, qty)"), "\(noQuantity.stderr)")
        #expect(noQuantity.stderr.contains("column 2 (Qty Held) is present but not read"), "\(noQuantity.stderr)")
        // A taxable lot without basis because the basis column is `Basis`: the error names it.
        let basis = try Self.rebalance("""
            Account,Symbol,Quantity,Price,Basis,Acquired
            T-1,AAA,10,$100.00,$500.00,2015-01-02
            T-1,BBB,10,$50.00,$400.00,2015-01-02

            """)
        #expect(basis.status == 1)
        #expect(basis.stderr.contains("a cost basis for this lot of AAA (account T-1 is taxable)"), "\(basis.stderr)")
        #expect(basis.stderr.contains("no cost_basis column (accepted names: cost basis total, cost basis, total cost)"), "\(basis.stderr)")
        #expect(basis.stderr.contains("column 5 (Basis) is present but not read"), "\(basis.stderr)")
    }

    @Test func weightsSummingToAHundredAskAboutPercentages() throws {
        let lots = "Account,Account Type,Symbol,Quantity,Price\nI-1,IRA,AAA,10,$100.00\nI-1,IRA,BBB,10,$50.00\n"
        for targets in ["targets:\n  AAA: 60\n  BBB: 40\n",
                        "asset_classes:\n  stocks: {weight: 60, primary: AAA}\n  bonds: {weight: 40, primary: BBB}\n"] {
            let result = try Self.rebalance(lots, targets: targets)
            #expect(result.status == 1)
            #expect(result.stderr.contains("did you mean percentages? Write them as fractions (45% as 0.45)"), "\(result.stderr)")
        }
        // Weights out of range that do not sum to 100 get no such hint.
        let wrong = try Self.rebalance(lots, targets: "targets:\n  AAA: 3\n  BBB: 0.5\n")
        #expect(wrong.status == 1 && wrong.stderr.contains("a weight between 0 and 1") && !wrong.stderr.contains("percentages"), "\(wrong.stderr)")
    }

    @Test func anAmbiguousDateIsAnErrorUnlessTheOrderIsGiven() throws {
        // 01/12/2025 is January 12 month-first and 1 December day-first (after the as-of date).
        let ambiguous = "Account,Symbol,Quantity,Price,Cost Basis,Acquired\nT-1,AAA,10,$100.00,$500.00,01/12/2025\nT-1,BBB,10,$50.00,$400.00,03/04/2020\n"
        let refused = try Self.rebalance(ambiguous)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("01/12/2025 is 2025-01-12 month-first or 2025-12-01 day-first"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--date-format MM/DD/YYYY or DD/MM/YYYY"), "\(refused.stderr)")
        let monthFirst = try Self.rebalance(ambiguous, ["--date-format", "MM/DD/YYYY"])
        #expect(monthFirst.status == 0, "\(monthFirst.stderr)")
        let dayFirst = try Self.rebalance(ambiguous, ["--date-format", "DD/MM/YYYY"])
        #expect(dayFirst.status == 1 && dayFirst.stderr.contains("found \"2025-12-01\""), "\(dayFirst.stderr)")
        let bad = try Self.rebalance(ambiguous, ["--date-format", "YYYY/DD/MM"])
        #expect(bad.status == 2 && bad.stderr.contains("--date-format must be MM/DD/YYYY"), "\(bad.stderr)")
        // A date that can only be day-first decides the column, and the report says so.
        let decided = "Account,Symbol,Quantity,Price,Cost Basis,Acquired\nT-1,AAA,10,$100.00,$500.00,25/12/2024\nT-1,BBB,10,$50.00,$400.00,01/12/2025\n"
        let read = try Self.rebalance(decided, ["--format", "json"])
        #expect(read.status == 1 && read.stderr.contains("2025-12-01"), "01/12/2025 day-first is after the as-of date: \(read.stderr)")
        let fine = try Self.rebalance(decided.replacingOccurrences(of: "01/12/2025", with: "03/04/2020"), ["--format", "json"])
        #expect(fine.status == 0, "\(fine.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: fine.stdoutData) as? [String: Any])
        #expect((plan["warnings"] as? [String] ?? []).contains { $0.contains("dates read day-first (DD/MM/YYYY), as line 2's 25/12/2024 shows") },
                "\(plan["warnings"] ?? "")")
        // ISO dates need no order.
        let iso = try Self.rebalance(ambiguous.replacingOccurrences(of: "01/12/2025", with: "2025-01-12")
            .replacingOccurrences(of: "03/04/2020", with: "2020-03-04"))
        #expect(iso.status == 0, "\(iso.stderr)")
    }
}
