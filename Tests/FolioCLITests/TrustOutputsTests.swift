import Foundation
import Testing

/// Issue 21, part B: no attack through the outputs (HTML, CSV, terminal), no guessed numbers,
/// no amplification. Every test runs the built `folio` as an advisor would.
@Suite struct TrustOutputsTests {
    /// A scratch folder with a prices file (AAA at $10, PENNY at $0.0001 on 2025-12-31) and a
    /// target of half each.
    struct Scratch {
        let root = FolioProcess.temporaryDirectory()
        var prices: URL { root.appendingPathComponent("prices.csv") }
        var targets: URL { root.appendingPathComponent("targets.yaml") }

        init() throws {
            try "date,symbol,close\n2025-12-31,AAA,10\n2025-12-31,PENNY,0.0001\n".write(to: prices, atomically: true, encoding: .utf8)
            try "targets:\n  AAA: 0.5\n  PENNY: 0.5\n".write(to: targets, atomically: true, encoding: .utf8)
        }

        func file(_ name: String, _ text: String, in folder: String? = nil) throws -> URL {
            var dir = root
            if let folder { dir = root.appendingPathComponent(folder, isDirectory: true) }
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let url = dir.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url
        }

        func rebalance(_ holdings: URL, targets: URL? = nil, _ extra: [String] = []) throws -> FolioProcess.Result {
            try FolioProcess.run(["rebalance", "--holdings", holdings.path, "--targets", (targets ?? self.targets).path,
                                  "--prices", prices.path] + extra)
        }
    }

    /// Expects `result` to be a data error (exit status 1) whose message holds every part.
    static func expectDataError(_ result: FolioProcess.Result, mentioning parts: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        for part in parts { #expect(result.stderr.contains(part), "\(part) not in \(result.stderr)", sourceLocation: sourceLocation) }
    }

    /// Splits CSV text (RFC 4180) into rows of fields, remembering which fields were quoted.
    static func parseCSV(_ text: String) -> [[(text: String, quoted: Bool)]] {
        var rows: [[(String, Bool)]] = [], row: [(String, Bool)] = [], field = "", quoted = false, inQuotes = false
        var chars = Array(text), i = 0
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" { if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { inQuotes = false } } else { field.append(c) }
            } else if c == "\"" { inQuotes = true; quoted = true } else if c == "," { row.append((field, quoted)); field = ""; quoted = false } else if c == "\n" {
                row.append((field, quoted)); rows.append(row); row = []; field = ""; quoted = false
            } else { field.append(c) }
            i += 1
        }
        chars = []
        return rows
    }

    // MARK: 6. HTML injection

    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Payloads in the folder name (no longer the report's title), an account id, a security name and an
    /// asset class; each would set `document.title` if it ran.
    func hostileReport() throws -> (html: String, url: URL) {
        let s = try Scratch()
        let folder = "\"><img src=x onerror=\"document.title='PWNED1'\">"
        let holdings = try s.file("holdings.csv", """
            Account,Account Type,Symbol,Description,Quantity,Price,Asset Class
            "<script>document.title='PWNED2'</script>",IRA,AAA,"<img src=x onerror=document.title='PWNED3'>",10,$10,"<svg onload=document.title='PWNED4'>"
            "<script>document.title='PWNED2'</script>",IRA,CASH,,1000,,

            """, in: folder)
        let output = s.root.appendingPathComponent("out")
        // Account numbers in full: masked, the hostile id would not reach the page at all.
        let result = try s.rebalance(holdings, ["--output", output.path, "--show-account-numbers"])
        #expect(result.status == 0, "\(result.stderr)")
        let url = output.appendingPathComponent("report.html")
        return (try String(contentsOf: url, encoding: .utf8), url)
    }

    @Test func htmlReportEscapesEveryNameAndAttribute() throws {
        let (html, _) = try hostileReport()
        for raw in ["<img src=x", "<script>document", "<svg onload", "\"><img"] {
            #expect(!html.contains(raw), "unescaped payload \(raw)")
        }
        #expect(html.contains("&lt;script&gt;document.title=&#39;PWNED2&#39;&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=document.title=&#39;PWNED3&#39;&gt;"))
        // Plot's .title would have put the title in og:title/twitter:title attributes.
        #expect(!html.contains("og:title") && !html.contains("twitter:title"))
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"))
        #expect(html.contains("script-src 'none'"))
    }

    @Test(.enabled(if: chromium != nil, "headless Chromium not installed (/usr/bin/chromium; apt-get install -y chromium): the browser check is skipped"))
    func htmlPayloadDoesNotRunInChromium() throws {
        let (_, url) = try hostileReport()
        let result = try FolioProcess.launch(URL(fileURLWithPath: Self.chromium!),
                                             ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=2000",
                                              "--dump-dom", url.absoluteString])
        let dom = result.stdout
        #expect(dom.contains("<title>"), "Chromium dumped no DOM: \(result.stderr.suffix(500))")
        #expect(!dom.contains("PWNED1</title>") && !dom.contains("PWNED2</title>") && !dom.contains("PWNED3</title>") && !dom.contains("PWNED4</title>"))
        #expect(!dom.contains("<img") && !dom.contains("<script") && !dom.contains("<svg onload"))
        #expect(dom.contains("— rebalance plan</title>"))
    }

    // MARK: 7. CSV formula injection

    @Test func csvTextCellsAreNeutralizedNumbersStayNumbers() throws {
        let s = try Scratch()
        let ids = ["=1+2", "@SUM(A1)", "+cmd", "-2+3", "\tx", "=HYPERLINK(\"http://x\")"]
        var book = "Account,Account Type,Symbol,Quantity,Price,Cost Basis Total,Date Acquired,Lot\n"
        for id in ids {
            let quoted = "\"" + id.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            // A lot bought at $20 sells at $10: a realized loss, a negative number.
            book += "\(quoted),Taxable,AAA,100,$10,$2000,2025-06-02,=cmd|' /C calc'!A0\n\(quoted),Taxable,CASH,100,,,,\n"
        }
        let holdings = try s.file("book.csv", book)
        let output = s.root.appendingPathComponent("out")
        let csv = try s.rebalance(holdings, ["--format", "csv", "--output", output.path])
        #expect(csv.status == 0, "\(csv.stderr)")
        let trades = try String(contentsOf: output.appendingPathComponent("trades.csv"), encoding: .utf8)
        #expect(trades == csv.stdout)
        let batchOut = s.root.appendingPathComponent("batch")
        let batch = try FolioProcess.run(["batch", "--holdings", holdings.path, "--targets", s.targets.path,
                                          "--prices", s.prices.path, "--output", batchOut.path])
        #expect(batch.status == 0, "\(batch.stderr)")
        let summary = try String(contentsOf: batchOut.appendingPathComponent("summary.csv"), encoding: .utf8)
        let lotRelief = try String(contentsOf: output.appendingPathComponent("lot-relief.csv"), encoding: .utf8)
        var negatives = 0, neutralized = 0
        for document in [trades, summary, lotRelief] {
            let rows = Self.parseCSV(document)
            #expect(rows.count > ids.count)
            for row in rows.dropFirst() {
                for cell in row {
                    if Double(cell.text) != nil {
                        #expect(!cell.text.hasPrefix("'"))
                        if cell.text.hasPrefix("-") { negatives += 1; #expect(!cell.quoted) }
                        continue
                    }
                    if let first = cell.text.unicodeScalars.first {
                        #expect(!"=+-@\t\r".unicodeScalars.contains(first), "formula cell \(cell.text)")
                    }
                    if cell.text.hasPrefix("'") { neutralized += 1; #expect(cell.quoted) }
                }
            }
        }
        #expect(negatives >= ids.count, "realized losses must stay negative numbers")
        #expect(neutralized >= 2 * ids.count)
        #expect(trades.contains("\"'=1+2\"") && summary.contains("\"'@SUM(A1)\""))
        #expect(lotRelief.contains("\"'=cmd|' /C calc'!A0\"") && lotRelief.contains("\"'=1+2\""))
    }

    @Test func symbolSyntaxIsEnforcedWithFileLineColumn() throws {
        let s = try Scratch()
        for bad in ["=HYPERLINK(1)", "@SUM", "-AAA", "AA A", "A\u{1B}[2J", String(repeating: "A", count: 33)] {
            let holdings = try s.file("h.csv", "Account,Symbol,Quantity,Price\nX,\"\(bad)\",10,$10\n")
            Self.expectDataError(try s.rebalance(holdings), mentioning: "h.csv:2:2 (Symbol)", "expected a symbol: 1 to 32 letters, digits")
        }
        let targets = try s.file("t.yaml", "targets:\n  AAA: 0.5\n  \"=1+2\": 0.5\n")
        let holdings = try s.file("ok.csv", "Account,Symbol,Quantity,Price\nX,AAA,10,$10\n")
        Self.expectDataError(try s.rebalance(holdings, targets: targets), mentioning: "t.yaml:3:3")
    }

    // MARK: 8. Terminal escape sequences

    @Test func terminalOutputShowsControlCharactersEscaped() throws {
        let s = try Scratch()
        let id = "\u{202E}evil\u{1B}]0;title\u{07}\u{1B}[31mred\u{9B}2J"
        let holdings = try s.file("h.csv", "Account,Account Type,Symbol,Quantity,Price\n\"\(id)\",IRA,AAA,10,$10\n\"\(id)\",IRA,CASH,100,\n")
        let table = try s.rebalance(holdings)
        #expect(table.status == 0, "\(table.stderr)")
        let bad: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}"]
        #expect(!table.stdout.unicodeScalars.contains(where: bad.contains))
        #expect(table.stdout.contains("\\u{202E}evil\\u{1B}]0;title\\u{7}"))
        // In error messages too: a taxable lot without basis names the account.
        let taxable = try s.file("t.csv", "Account,Symbol,Quantity,Price\n\"\(id)\",AAA,10,$10\n")
        let error = try s.rebalance(taxable)
        #expect(error.status == 1)
        #expect(error.stderr.contains("\\u{1B}[31mred"))
        #expect(!error.stderr.unicodeScalars.contains(where: bad.contains), "\(error.stderr)")
        // And in usage errors quoting the argument.
        let usage = try s.rebalance(taxable, ["--as-of", "\u{1B}[2J"])
        #expect(usage.status == 2)
        #expect(!usage.stderr.unicodeScalars.contains("\u{1B}"))
    }

    // MARK: 10. Whole-text numbers

    @Test func numericOptionsParseTheWholeTextOrFail() throws {
        let s = try Scratch()
        let holdings = try s.file("h.csv", "Account,Account Type,Symbol,Quantity,Price\nA1,IRA,AAA,1000,$10\nA1,IRA,CASH,20000,\n")
        for bad in ["500-", "1.000.000", "5-3", "1e3", "12 USD", "A1=5-3", "A1=", "--"] {
            let result = try s.rebalance(holdings, ["--cash-flow", bad])
            #expect(result.status == 2, "\(bad) was accepted")
            #expect(result.stderr.contains("--cash-flow"), "\(bad): \(result.stderr)")
        }
        for (flow, deposits, withdrawals) in [("-12000", 0, 12000), ("A1=-12,000.50", 0, 12000.5), ("$1,000", 1000, 0), ("(500)", 0, 500)] {
            let result = try s.rebalance(holdings, ["--cash-flow", flow, "--format", "json"])
            #expect(result.status == 0, "\(flow): \(result.stderr)")
            let plan = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
            #expect((plan["deposits"] as? NSNumber)?.doubleValue == Double(deposits), "\(flow)")
            #expect((plan["withdrawals"] as? NSNumber)?.doubleValue == Double(withdrawals), "\(flow)")
        }
        let bounds = try FolioProcess.run(["optimize", "--prices", FolioProcess.data.appendingPathComponent("prices.csv").path,
                                           "--objective", "min-variance", "--bounds", "0,x,0.2"])
        #expect(bounds.status == 2)
        #expect(bounds.stderr.contains("--bounds"))
        let negative = try FolioProcess.run(["optimize", "--prices", FolioProcess.data.appendingPathComponent("prices.csv").path,
                                             "--objective", "min-variance", "--bounds", "-1,1", "--risk-free-rate", "-0.01"])
        #expect(negative.status == 0, "\(negative.stderr)")
    }

    // MARK: 11 and 14. Sub-cent prices, the fixed-point range, exact prices

    @Test func subPennyPricesAreExactOrANamedRangeError() throws {
        let s = try Scratch()
        let holdings = try s.file("h.csv", "Account,Account Type,Symbol,Quantity,Price\nA1,IRA,AAA,10,$10\nA1,IRA,CASH,\"1,000,000\",\n")
        let output = s.root.appendingPathComponent("out")
        let ok = try s.rebalance(holdings, ["--output", output.path])
        #expect(ok.status == 0, "\(ok.stderr)")
        let rows = Self.parseCSV(try String(contentsOf: output.appendingPathComponent("trades.csv"), encoding: .utf8))
        let column = Dictionary(uniqueKeysWithValues: rows[0].enumerated().map { ($1.text, $0) })
        let penny = try #require(rows.first { $0[column["symbol"]!].text == "PENNY" })
        #expect(penny[column["estimated_price"]!].text == "0.0001")
        // quantity × exact price is the value written (to the cent).
        let value = try #require(Decimal(string: penny[column["quantity"]!].text)) * Decimal(string: "0.0001")!
        let written = penny[column["estimated_amount"]!].text
        #expect("\(value)" == written || Decimal(string: written)! - value < Decimal(string: "0.01")!)
        #expect(ok.stdout.contains("$0.0001"))
        let html = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("$0.0001"))
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("plan.json"))) as? [String: Any])
        #expect(plan["invariantsHold"] as? Bool == true)

        // $3M buys more than the engine's 2.3e10-share range at $0.0001: a named error, no cap.
        let big = try s.file("big.csv", "Account,Account Type,Symbol,Quantity,Price\nA1,IRA,CASH,\"3,000,000\",\n")
        Self.expectDataError(try s.rebalance(big), mentioning: "PENNY", "out of range")
    }

    @Test func negativeCashIsADocumentedError() throws {
        let s = try Scratch()
        let holdings = try s.file("h.csv", "Account,Account Type,Symbol,Quantity,Price\nA1,IRA,AAA,10,$10\nA1,IRA,CASH,(250.00),\n")
        Self.expectDataError(try s.rebalance(holdings), mentioning: "cash is negative (-$250.00)")
        let formats = try String(contentsOf: FolioProcess.repository.appendingPathComponent("Documentation/FileFormats.md"), encoding: .utf8)
        #expect(!formats.contains("may be negative (a debit balance"))
        #expect(formats.contains("An account's total cash must not"))
    }

    // MARK: 12. Lots acquired after the as-of date

    @Test func lotAcquiredAfterAsOfIsAnErrorAtItsLine() throws {
        let s = try Scratch()
        let csv = try s.file("h.csv", "Account,Symbol,Quantity,Price,Cost Basis Total,Date Acquired\nA1,AAA,10,$10,$50,2020-01-02\nA1,AAA,10,$10,$50,2200-01-02\n")
        let result = try s.rebalance(csv)
        #expect(result.status == 1)
        #expect(result.stderr.contains("h.csv:3:6 (Date Acquired): found \"2200-01-02\", expected an acquisition date on or before the as-of date 2025-12-31"),
                "\(result.stderr)")
        let json = try s.file("h.json", """
            {"accounts": [{"id": "A1", "kind": "taxable", "lots": [
              {"symbol": "AAA", "quantity": "10", "cost_basis": "50", "acquired": "2026-01-01"}]}]}
            """)
        Self.expectDataError(try s.rebalance(json), mentioning: "h.json:2:", "on or before the as-of date 2025-12-31")
        // An earlier --as-of makes a lot of 2020 too late as well.
        try "date,symbol,close\n2019-12-31,AAA,9\n2019-12-31,PENNY,0.0001\n2025-12-31,AAA,10\n2025-12-31,PENNY,0.0001\n"
            .write(to: s.prices, atomically: true, encoding: .utf8)
        let early = try s.rebalance(csv, ["--as-of", "2019-12-31"])
        #expect(early.stderr.contains("h.csv:2:6"))
    }

    // MARK: 13. Unicode forms of ids

    @Test func idsInNFCAndNFDAreOneIdMergedOnce() throws {
        let s = try Scratch()
        let nfd = "Cafe\u{301}", nfc = "Caf\u{E9}"
        let symbolNFD = "E\u{301}TF", symbolNFC = "\u{C9}TF"
        try "date,symbol,close\n2025-12-31,AAA,10\n2025-12-31,\(symbolNFC),20\n".write(to: s.prices, atomically: true, encoding: .utf8)
        try "targets:\n  AAA: 0.5\n  \(symbolNFD): 0.5\n".write(to: s.targets, atomically: true, encoding: .utf8)
        let holdings = try s.file("h.csv", """
            Account,Account Type,Symbol,Quantity,Price
            \(nfd),IRA,\(symbolNFD),10,
            \(nfc),IRA,\(symbolNFC),5,
            \(nfd),IRA,CASH,1000,
            \(nfc),IRA,CASH,1000,

            """)
        let result = try s.rebalance(holdings, ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        // Swift compares strings canonically: look at the bytes.
        #expect(!result.stdoutData.range(of: Data(nfd.utf8)).map { _ in true }.isSome)
        #expect(!result.stdoutData.range(of: Data(symbolNFD.utf8)).map { _ in true }.isSome)
        #expect(result.stdoutData.range(of: Data(nfc.utf8)) != nil)
        let plan = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let plans = try #require(plan["accounts"] as? [[String: Any]])
        #expect(plans.count == 1, "one account, not two")
        // Cash 2,000 and 15 shares at $20 = $2,300 in all: half is $1,150 of each.
        let trades = Self.parseCSV(try s.rebalance(holdings, ["--format", "csv"]).stdout).dropFirst()
        let etf = trades.filter { $0[1].text == symbolNFC }
        #expect(etf.count <= 1, "one position of ÉTF")
    }

    // MARK: Amplification

    @Test func yamlAliasesAreRefusedInEveryDataFile() throws {
        let s = try Scratch()
        // 10 lots, then lists of 10 aliases of the previous list, 7 deep: 10^7 lots from 1.5 KB.
        let lot = #"{"symbol": "AAA", "quantity": "1", "price": "10", "cost_basis": "5", "acquired": "2020-01-02"}"#
        var json = #"{"accounts": [{"id": "A", "kind": "IRA", "lots": &l0 ["# + Array(repeating: lot, count: 10).joined(separator: ",") + "]}"
        for k in 1...7 {
            json += #", {"id": "B\#(k)", "kind": "IRA", "lots": &l\#(k) ["# + Array(repeating: "*l\(k - 1)", count: 10).joined(separator: ",") + "]}"
        }
        json += "]}"
        let bomb = try s.file("bomb.json", json)
        let start = ContinuousClock.now
        Self.expectDataError(try s.rebalance(bomb), mentioning: "bomb.json:1:", "no YAML anchors (&) or aliases (*)")
        #expect(ContinuousClock.now - start < .seconds(20))

        let holdings = try s.file("h.csv", "Account,Account Type,Symbol,Quantity,Price\nA1,IRA,AAA,10,$10\n")
        let targets = try s.file("t.yaml", "targets: &t\n  AAA: 0.5\n  PENNY: 0.5\nextra: *t\n")
        Self.expectDataError(try s.rebalance(holdings, targets: targets), mentioning: "t.yaml:1:10")
        let policy = try s.file("p.yaml", "bands: &b\n  absolute: 0.05\ncosts: *b\n")
        Self.expectDataError(try s.rebalance(holdings, ["--policy", policy.path]), mentioning: "p.yaml:", "no YAML anchors")
    }

    /// Whether this process (and so the `folio` built with it) runs under AddressSanitizer, whose
    /// shadow memory and quarantine of freed blocks make peak RSS follow what was allocated, not
    /// what is kept: the memory check measures the sanitizer there, not Folio.
    static let underAddressSanitizer: Bool = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "/usr/bin/time is not installed: the memory check is skipped"),
          .disabled(if: underAddressSanitizer, "under AddressSanitizer peak RSS measures its shadow and quarantine"))
    func blankCommaRowsCostNoMemory() throws {
        let s = try Scratch()
        let head = "Account,Account Type,Symbol,Quantity,Price,Cost Basis,Acquired\nA1,IRA,AAA,10,$10,,\nA1,IRA,CASH,100,,,\n"
        let small = try s.file("small.csv", head)
        let blank = try s.file("blank.csv", head + String(repeating: ",,,,,,\n", count: 150_000) + String(repeating: ",", count: 400_000) + "\n")
        func peakKB(_ holdings: URL) throws -> Int {
            let r = try FolioProcess.launch(URL(fileURLWithPath: "/usr/bin/time"),
                                            ["-f", "peak=%M", FolioProcess.productsDirectory.appendingPathComponent("folio").path,
                                             "rebalance", "--holdings", holdings.path, "--targets", s.targets.path, "--prices", s.prices.path])
            #expect(r.status == 0, "\(r.stderr)")
            return Int(r.stderr.components(separatedBy: "peak=").last!.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .max
        }
        let base = try peakKB(small), big = try peakKB(blank)
        // 1.45 MB of blank rows: the text itself (twice: bytes and String) and nothing per row;
        // keeping a record per blank row cost over 100 MB.
        #expect(big - base < 20_000, "peak RSS \(base) KB without the blank rows, \(big) KB with them")
    }
}

extension Optional {
    var isSome: Bool { self != nil }
}
