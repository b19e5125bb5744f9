import Foundation
import Testing

/// `trades.csv` and `lot-relief.csv` end to end through `folio`: every cell recomputed from
/// `plan.json` and the holdings file, the tax-advantaged gains convention across CSV, JSON,
/// terminal and HTML, and hostile ids (Documentation/FileFormats.md, "trades.csv").
@Suite(.serialized) struct TradeFileTests {
    typealias Table = (header: [String], rows: [[String: String]])

    /// Reads CSV text into a header and rows keyed by column, checking each row's width.
    static func table(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Table {
        let parsed = TrustOutputsTests.parseCSV(text).map { $0.map(\.text) }
        let header = parsed.first ?? []
        var rows: [[String: String]] = []
        for row in parsed.dropFirst() where !row.allSatisfy(\.isEmpty) {
            #expect(row.count == header.count, "\(row)", sourceLocation: sourceLocation)
            rows.append(Dictionary(zip(header, row).map { ($0, $1) }, uniquingKeysWith: { a, _ in a }))
        }
        return (header, rows)
    }

    static func decimal(_ text: String?, sourceLocation: SourceLocation = #_sourceLocation) -> Decimal {
        guard let text, let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            Issue.record("not a number: \(text ?? "nil")", sourceLocation: sourceLocation)
            return 0
        }
        return value
    }

    static func decimal(_ any: Any?) -> Decimal {
        if let number = any as? NSNumber { return Decimal(string: number.stringValue)! }
        return decimal(any as? String)
    }

    /// `value` rounded half away from zero to cents.
    static func cents(_ value: Decimal) -> Decimal {
        var input = value, rounded = Decimal()
        NSDecimalRound(&rounded, &input, 2, .plain)
        return rounded
    }

    /// `$32,441.06`: a positive amount as the terminal and the report write money.
    static func dollars(_ value: Decimal) -> String {
        let text = NSDecimalNumber(decimal: cents(value)).stringValue
        let parts = text.split(separator: ".")
        var whole = String(parts[0]), grouped = ""
        while whole.count > 3 { grouped = "," + whole.suffix(3) + grouped; whole.removeLast(3) }
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        return "$" + whole + grouped + "." + fraction + String(repeating: "0", count: 2 - fraction.count)
    }

    static let kindWords = ["taxable": "taxable", "taxDeferred": "tax-deferred", "taxExempt": "tax-exempt"]

    /// The README's first command (the couple), written to a fresh folder.
    struct Run {
        let folder = FolioProcess.temporaryDirectory()
        let result: FolioProcess.Result
        let trades: Table
        let lots: Table
        let plan: [String: Any]
        let html: String

        init(_ household: String = "couple") throws {
            result = try FolioProcess.run(FolioProcess.household(household) + ["--output", folder.path])
            #expect(result.status == 0, "\(result.stderr)")
            trades = TradeFileTests.table(try String(contentsOf: folder.appendingPathComponent("trades.csv"), encoding: .utf8))
            lots = TradeFileTests.table(try String(contentsOf: folder.appendingPathComponent("lot-relief.csv"), encoding: .utf8))
            plan = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("plan.json"))) as? [String: Any])
            html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        }

        /// `plan.json`'s account plans.
        var accounts: [[String: Any]] { plan["accounts"] as? [[String: Any]] ?? [] }
    }

    @Test func theTradeFileIsThePlanAsOrders() throws {
        let run = try Run()
        defer { try? FileManager.default.removeItem(at: run.folder) }
        #expect(run.trades.header == ["order", "account", "account_kind", "side", "symbol", "quantity", "order_type", "limit_price",
                                      "time_in_force", "lot_relief", "estimated_price", "estimated_amount", "estimated_cost",
                                      "taxable_short_term_gain", "taxable_long_term_gain", "economic_gain", "folio_lots", "reason"])
        // The account plans' trades, in order, each with its account's kind.
        let planTrades = run.accounts.flatMap { account in
            (account["trades"] as? [[String: Any]] ?? []).map { (trade: $0, kind: account["accountKind"] as? String ?? "") }
        }
        #expect(planTrades.count == run.trades.rows.count && planTrades.count > 10)
        var taxableSells = 0, advantagedSells = 0
        for (index, (row, (trade, kind))) in zip(run.trades.rows, planTrades).enumerated() {
            #expect(row["order"] == String(index + 1))
            #expect(row["account"] == trade["accountID"] as? String)
            #expect(row["account_kind"] == Self.kindWords[kind])
            #expect(row["side"] == trade["side"] as? String && row["symbol"] == trade["symbol"] as? String)
            #expect(row["order_type"] == "market" && row["limit_price"] == "" && row["time_in_force"] == "day")
            let quantity = Self.decimal(row["quantity"]), price = Self.decimal(row["estimated_price"])
            #expect(quantity == Self.decimal(trade["quantity"]) && quantity > 0)
            #expect(price == Self.decimal(trade["price"]))
            // The amount is quantity × price to the cent, recomputed here.
            #expect(Self.decimal(row["estimated_amount"]) == Self.cents(quantity * price), "\(row)")
            #expect(Self.decimal(row["estimated_cost"]) == Self.decimal(trade["cost"]))
            let planLots = trade["lots"] as? [[String: Any]] ?? []
            let economic = planLots.reduce(Decimal(0)) { $0 + Self.decimal($1["realizedGain"]) }
            guard row["side"] == "sell" else {
                for column in ["lot_relief", "taxable_short_term_gain", "taxable_long_term_gain", "economic_gain", "folio_lots"] {
                    #expect(row[column] == "", "a buy's \(column)")
                }
                continue
            }
            #expect(Self.decimal(row["economic_gain"]) == economic)
            #expect(row["folio_lots"] == planLots.map { "\($0["lotID"] as! String):\(Self.decimal($0["quantity"]))" }.joined(separator: ";"))
            if kind == "taxable" {
                taxableSells += 1
                #expect(row["lot_relief"] == "versus purchase")
                func term(_ name: String) -> Decimal {
                    planLots.filter { $0["term"] as? String == name }.reduce(Decimal(0)) { $0 + Self.decimal($1["realizedGain"]) }
                }
                #expect(Self.decimal(row["taxable_short_term_gain"]) == term("shortTerm"))
                #expect(Self.decimal(row["taxable_long_term_gain"]) == term("longTerm"))
            } else {
                advantagedSells += 1
                #expect(row["lot_relief"] == "")
                #expect(row["taxable_short_term_gain"] == "0.00" && row["taxable_long_term_gain"] == "0.00")
            }
        }
        #expect(taxableSells >= 5 && advantagedSells >= 3)
        // The household's taxable gains are the taxable columns' sums.
        let gains = try #require(run.plan["realizedGains"] as? [String: Any])
        #expect(run.trades.rows.reduce(Decimal(0)) { $0 + Self.decimal($1["taxable_short_term_gain"].flatMap { $0.isEmpty ? "0" : $0 }) }
                == Self.decimal(gains["shortTerm"]))
        #expect(run.trades.rows.reduce(Decimal(0)) { $0 + Self.decimal($1["taxable_long_term_gain"].flatMap { $0.isEmpty ? "0" : $0 }) }
                == Self.decimal(gains["longTerm"]))
    }

    /// One lot of the holdings file.
    struct HeldLot: Hashable { var account, symbol, acquired: String; var quantity, basis: Decimal }

    /// The couple's holdings file's lots (`MM/DD/YYYY` dates written as `YYYY-MM-DD`), in file order.
    static func heldLots() throws -> [HeldLot] {
        let url = FolioProcess.data.appendingPathComponent("households/couple/holdings.csv")
        let file = table(try String(contentsOf: url, encoding: .utf8))
        // Cash rows and the custodian's "Total" footer are not lots.
        return file.rows.filter { $0["Symbol"] != "CASH" && $0["Account Number"] != "Total" }.map { row in
            let date = (row["Date Acquired"] ?? "").split(separator: "/")
            let money = (row["Cost Basis Total"] ?? "").replacingOccurrences(of: "$", with: "").replacingOccurrences(of: ",", with: "")
            return HeldLot(account: row["Account Number"] ?? "", symbol: row["Symbol"] ?? "",
                           acquired: date.count == 3 ? "\(date[2])-\(date[0])-\(date[1])" : "",
                           quantity: decimal(row["Quantity"]), basis: decimal(money))
        }
    }

    @Test func theLotReliefFileNamesEachLotAsTheCustodianHoldsIt() throws {
        let run = try Run()
        defer { try? FileManager.default.removeItem(at: run.folder) }
        #expect(run.lots.header == ["order", "account", "symbol", "acquired", "quantity", "unit_cost", "lot_quantity", "cost_basis",
                                    "proceeds", "realized_gain", "term", "folio_lot"])
        let held = try Self.heldLots()
        let orders = Dictionary(uniqueKeysWithValues: run.trades.rows.map { ($0["order"] ?? "", $0) })
        let asOf = try #require(run.plan["asOf"] as? String)
        var relievedOrders = Set<String>()
        for lot in run.lots.rows {
            let order = try #require(orders[lot["order"] ?? ""], "order \(lot["order"] ?? "")")
            relievedOrders.insert(lot["order"] ?? "")
            #expect(order["side"] == "sell" && order["account_kind"] == "taxable" && order["lot_relief"] == "versus purchase")
            #expect(lot["account"] == order["account"] && lot["symbol"] == order["symbol"])
            // The lot as the holdings file has it: same account, symbol, date and quantity, and
            // its unit cost is the file's total basis over its quantity (to the 6th decimal).
            let matches = held.filter {
                $0.account == lot["account"] && $0.symbol == lot["symbol"] && $0.acquired == lot["acquired"]
                    && $0.quantity == Self.decimal(lot["lot_quantity"])
            }
            let source = try #require(matches.first, "no lot in holdings.csv for \(lot)")
            let unitCost = Self.decimal(lot["unit_cost"])
            #expect(abs(NSDecimalNumber(decimal: unitCost * source.quantity - source.basis).doubleValue) <= 5e-7 * NSDecimalNumber(decimal: source.quantity).doubleValue,
                    "\(lot) vs \(source)")
            // Folio's id is the symbol and the lot's place among the account's lots of it.
            let place = held.filter { $0.account == source.account && $0.symbol == source.symbol }.firstIndex(of: source)! + 1
            #expect(lot["folio_lot"] == "\(source.symbol)-\(place)")
            let quantity = Self.decimal(lot["quantity"])
            #expect(quantity > 0 && quantity <= source.quantity)
            #expect(Self.decimal(lot["cost_basis"]) == Self.cents(source.basis * quantity / source.quantity))
            #expect(Self.decimal(lot["realized_gain"]) == Self.decimal(lot["proceeds"]) - Self.decimal(lot["cost_basis"]))
            // Long-term: sold after the first anniversary of the acquisition date.
            let acquired = try #require(lot["acquired"])
            let anniversary = String(Int(acquired.prefix(4))! + 1) + acquired.dropFirst(4)
            #expect(lot["term"] == (asOf > anniversary ? "long-term" : "short-term"), "\(lot)")
        }
        // Every taxable sell's lots sum to its quantity and its taxable gains; no other order has lots.
        for order in run.trades.rows {
            let relieved = run.lots.rows.filter { $0["order"] == order["order"] }
            if order["side"] == "sell" && order["account_kind"] == "taxable" {
                #expect(relieved.reduce(Decimal(0)) { $0 + Self.decimal($1["quantity"]) } == Self.decimal(order["quantity"]), "\(order)")
                #expect(relieved.reduce(Decimal(0)) { $0 + Self.decimal($1["realized_gain"]) }
                        == Self.decimal(order["taxable_short_term_gain"]) + Self.decimal(order["taxable_long_term_gain"]))
                for (term, column) in [("short-term", "taxable_short_term_gain"), ("long-term", "taxable_long_term_gain")] {
                    #expect(relieved.filter { $0["term"] == term }.reduce(Decimal(0)) { $0 + Self.decimal($1["realized_gain"]) }
                            == Self.decimal(order[column]))
                }
                #expect(relieved.map { "\($0["folio_lot"]!):\($0["quantity"]!)" }.joined(separator: ";") == order["folio_lots"])
            } else {
                #expect(relieved.isEmpty, "\(order)")
            }
        }
        #expect(relievedOrders.count >= 5)
    }

    @Test func gainsInTaxAdvantagedAccountsAreNotTaxableEverywhere() throws {
        let run = try Run()
        defer { try? FileManager.default.removeItem(at: run.folder) }
        let advantaged = run.trades.rows.filter { $0["side"] == "sell" && $0["account_kind"] != "taxable" }
        #expect(advantaged.count >= 3)
        // The economic gain is large and shown only under its own name.
        let economic = advantaged.map { Self.decimal($0["economic_gain"]) }
        #expect(economic.contains { $0 > 10_000 })
        // JSON: the household's trade rows say the same.
        let jsonTrades = try #require(run.plan["trades"] as? [[String: Any]])
        #expect(jsonTrades.count == run.trades.rows.count)
        for (row, trade) in zip(run.trades.rows, jsonTrades) {
            #expect(trade["accountKind"] as? String == row["account_kind"])
            if row["side"] == "sell" {
                #expect(Self.decimal(trade["economicGain"]) == Self.decimal(row["economic_gain"]))
                let taxable = Self.decimal(row["taxable_short_term_gain"]) + Self.decimal(row["taxable_long_term_gain"])
                #expect(Self.decimal(trade["realizedGain"]) == taxable)
            } else {
                #expect(trade["economicGain"] == nil)
            }
        }
        for account in run.accounts where account["accountKind"] as? String != "taxable" {
            #expect(Self.decimal(account["realizedShortTermGain"]) == 0 && Self.decimal(account["realizedLongTermGain"]) == 0)
            #expect(Self.decimal(account["estimatedTax"]) == 0)
        }
        // Terminal: the gain of each tax-advantaged sell reads "not taxable", never its economic gain.
        let lines = run.result.stdout.split(separator: "\n").map(String.init)
        for row in advantaged {
            let line = try #require(lines.first {
                $0.hasPrefix(row["account"]! + " ") && $0.contains(" sell ") && $0.contains(" \(row["symbol"]!) ")
            })
            #expect(line.contains("not taxable"), "\(line)")
        }
        for gain in economic where gain > 1000 {
            let text = Self.dollars(gain)
            #expect(!run.result.stdout.contains(text) && !run.html.contains(text), "\(text) shown as a gain")
        }
        // HTML: one "not taxable" per tax-advantaged sell and two (short, long) per such account.
        let advantagedAccounts = Set(advantaged.compactMap { $0["account"] }).count
        #expect(run.html.components(separatedBy: ">not taxable<").count - 1 == advantaged.count + 2 * advantagedAccounts)
    }

    @Test func theWorkedExampleIsWhatFolioWrites() throws {
        let run = try Run()
        defer { try? FileManager.default.removeItem(at: run.folder) }
        let doc = try String(contentsOf: FolioProcess.repository.appendingPathComponent("Documentation/FileFormats.md"), encoding: .utf8)
        let section = try #require(doc.range(of: "## trades.csv and lot-relief.csv").map { doc[$0.upperBound...] })
        let blocks = section.components(separatedBy: "```csv\n").dropFirst().prefix(3)
            .map { $0.components(separatedBy: "\n```")[0].split(separator: "\n").map(String.init) }
        #expect(blocks.count == 3)
        let written = [run.folder.appendingPathComponent("trades.csv"), run.folder.appendingPathComponent("lot-relief.csv"),
                       FolioProcess.data.appendingPathComponent("households/couple/holdings.csv")]
        for (block, file) in zip(blocks, written) {
            let lines = Set(try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init))
            #expect(block.count >= 1)
            for line in block { #expect(lines.contains(line), "documented but not written: \(line)") }
        }
        #expect(blocks.first?.first == run.trades.header.joined(separator: ","))
        #expect(blocks.dropFirst().first?.first == run.lots.header.joined(separator: ","))
    }

    @Test func aPartialSaleNamesTheLotAsHeldNotThePartSold() throws {
        let s = try TrustOutputsTests.Scratch()
        defer { try? FileManager.default.removeItem(at: s.root) }
        // Unit costs that are not whole cents (1000.01 / 100, 1000 / 3); the 50/50 target sells
        // about half of the shares, so at least one lot goes in part.
        let holdings = try s.file("h.csv", """
            Account,Account Type,Symbol,Quantity,Price,Cost Basis Total,Date Acquired
            T1,Taxable,AAA,100,$10,$1000.01,2024-06-03
            T1,Taxable,AAA,3,$10,$1000,2025-06-02
            T1,Taxable,AAA,97,$10,$900,2023-01-05
            T1,Taxable,CASH,10,,,
            """)
        let output = s.root.appendingPathComponent("out")
        let result = try s.rebalance(holdings, ["--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lots = Self.table(try String(contentsOf: output.appendingPathComponent("lot-relief.csv"), encoding: .utf8))
        let trades = Self.table(try String(contentsOf: output.appendingPathComponent("trades.csv"), encoding: .utf8))
        let held: [String: (acquired: String, quantity: Decimal, basis: Decimal)] = [
            "AAA-1": ("2024-06-03", 100, Decimal(string: "1000.01")!), "AAA-2": ("2025-06-02", 3, 1000), "AAA-3": ("2023-01-05", 97, 900),
        ]
        var partial = 0
        for row in lots.rows {
            let lot = try #require(held[row["folio_lot"] ?? ""], "\(row)")
            let quantity = Self.decimal(row["quantity"])
            #expect(row["acquired"] == lot.acquired && Self.decimal(row["lot_quantity"]) == lot.quantity)
            var unit = lot.basis / lot.quantity, rounded = Decimal()
            NSDecimalRound(&rounded, &unit, 6, .plain)
            #expect(Self.decimal(row["unit_cost"]) == rounded, "\(row)")
            #expect(Self.decimal(row["cost_basis"]) == Self.cents(lot.basis * quantity / lot.quantity))
            if quantity < lot.quantity { partial += 1 }
        }
        #expect(partial >= 1, "no lot sold in part: \(lots.rows)")
        let sell = try #require(trades.rows.first { $0["side"] == "sell" })
        #expect(lots.rows.reduce(Decimal(0)) { $0 + Self.decimal($1["quantity"]) } == Self.decimal(sell["quantity"]))
    }

    @Test func hostileIdsAreNeutralizedInBothFiles() throws {
        let s = try TrustOutputsTests.Scratch()
        defer { try? FileManager.default.removeItem(at: s.root) }
        // Taxable accounts selling a loss lot (bought at $20, now $10), under hostile ids and lot ids.
        let nfd = "Cafe\u{301}/1", nfc = "Caf\u{E9}/1"
        let accounts = ["=1+2", "@SUM(A1)", "<b>x</b>", "a/b", nfd, String(repeating: "Z", count: 300)]
        let lotIDs = ["=cmd|' /C calc'!A0", "+cmd", "-x", "<i>lot</i>", "l\u{301}ot/2", String(repeating: "é", count: 150)]
        var book = "Account,Account Type,Symbol,Quantity,Price,Cost Basis Total,Date Acquired,Lot\n"
        for (account, lot) in zip(accounts, lotIDs) {
            let a = "\"" + account + "\"", l = "\"" + lot.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            book += "\(a),Taxable,AAA,100,$10,$2000,2024-06-03,\(l)\n\(a),Taxable,CASH,100,,,,\n"
        }
        let holdings = try s.file("book.csv", book)
        let output = s.root.appendingPathComponent("out")
        let result = try s.rebalance(holdings, ["--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        // Swift's `==` on strings is canonical equivalence: NFC and NFD are compared as bytes.
        var seenAccounts = Set<String>(), seenLots = Set<String>(), nfdWritten = false
        for name in ["trades.csv", "lot-relief.csv"] {
            let text = try String(contentsOf: output.appendingPathComponent(name), encoding: .utf8)
            let rows = TrustOutputsTests.parseCSV(text)
            #expect(rows.count > accounts.count, "\(name)")
            for row in rows.dropFirst() {
                for cell in row where Double(cell.text) == nil {
                    let first = cell.text.unicodeScalars.first.map(String.init) ?? ""
                    #expect(first.isEmpty || !"=+-@\t\r".contains(first), "\(name): formula cell \(cell.text)")
                    let plain = cell.text.hasPrefix("'") && cell.quoted ? String(cell.text.dropFirst()) : cell.text
                    if accounts.contains(plain) { seenAccounts.insert(plain) }
                    if Array(plain.utf8) == Array(nfd.utf8) { nfdWritten = true }
                    if name == "lot-relief.csv", lotIDs.map({ $0.precomposedStringWithCanonicalMapping }).contains(plain)
                        || lotIDs.contains(plain) { seenLots.insert(plain) }
                }
            }
        }
        // Every account is written whole (NFD read as NFC), every hostile lot id as text.
        #expect(seenAccounts.contains(nfc) && !nfdWritten)
        #expect(seenAccounts.count == accounts.count, "\(seenAccounts)")
        #expect(seenLots.count == lotIDs.count, "\(seenLots)")
        let html = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!html.contains("<b>x</b>") && !html.contains("<i>lot</i>"))
    }
}
