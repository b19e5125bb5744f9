import Foundation
import Testing
@testable import FolioFiles
import FolioPlanning
import FolioRebalancing

@Suite struct TargetsWriterTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("folio-targets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func everyModelReadsBackExactly() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for category in RiskCategory.allCases {
            let target = try ModelPortfolios.standard.target(for: category).allocation
            let url = folder.appendingPathComponent("\(category.rawValue).yaml")
            try TargetsWriter.write(target, to: url, name: "Model \(category.rawValue)", comment: ["line one", "line\ntwo"])
            let document = try TargetsReader.readDocument(contentsOf: url)
            #expect(document.target == target, "\(category)")
            #expect(document.name == "Model \(category.rawValue)")
        }
        // Nothing but the five files: no temporary left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == RiskCategory.allCases.map { "\($0.rawValue).yaml" }.sorted())
    }

    @Test func hostileNamesSurviveTheRoundTrip() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ids = ["a: b # c", "=HYPERLINK(\"x\")", "<b>html</b>", "caf\u{e9}", "'quoted' \"twice\"", String(repeating: "x", count: 300), "- dash", "a/b\\c"]
        let weight = 1.0 / Double(ids.count)
        var sleeves = ids.enumerated().map { TargetAllocation.Sleeve(assetClass: $1, weight: weight, primary: "F\($0)", alternates: ["ALT\($0)"]) }
        sleeves[0].weight = 1 - weight * Double(ids.count - 1)
        let target = TargetAllocation.assetClasses(sleeves)
        let url = folder.appendingPathComponent("t.yaml")
        try TargetsWriter.write(target, to: url, name: "name: with # and \"quotes\"")
        let document = try TargetsReader.readDocument(contentsOf: url)
        #expect(document.target == target)
        #expect(document.name == "name: with # and \"quotes\"")
        let securities = TargetAllocation.securities(["VTI": 0.1, "BRK.B": 0.2, "CASH": 0.7])
        try TargetsWriter.write(securities, to: url)
        #expect(try TargetsReader.read(contentsOf: url) == securities)
    }
}

@Suite struct HouseholdBookTests {
    static let header = "Account Number,Account Type,Symbol,Quantity,Price,Cost Basis Total,Date Acquired,Asset Class\n"
    // Two accounts: taxable A (FUSLC 10 @ 100 cost 800, FAGGB 20 @ 50 cost 1100, cash 200) and
    // IRA B (FUSLC 5 @ 100 cost 400, FMMKT 100 @ 1 cost 100, a cash-group fund with no class column).
    static let holdings = header + """
        A,Taxable,FUSLC,10,100,800,2020-01-02,us-large-cap
        A,Taxable,FAGGB,20,50,1100,2020-01-02,us-aggregate-bond
        A,Taxable,CASH,200,1,--,--,cash
        B,Traditional IRA,FUSLC,5,100,400,2021-03-04,us-large-cap
        B,Traditional IRA,FMMKT,100,1,100,2021-03-04,

        """

    static func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func featuresAreDerivedFromTheHoldings() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-households-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Hostile ids: NFD, a formula, HTML, 200 bytes (a name cannot hold "/"); one household is a bare file.
        let ids = ["cafe\u{301}", "=SUM(A1)", "<em>x&y", String(repeating: "h", count: 200)]
        for id in ids.dropLast() { try Self.write(Self.holdings, folder.appendingPathComponent(id).appendingPathComponent("holdings.csv")) }
        try Self.write(Self.holdings, folder.appendingPathComponent(ids.last! + ".csv"))
        try Self.write("answers:\n" + GoalsAnswers.couple, folder.appendingPathComponent("=SUM(A1)/answers.yaml"))
        try Self.write("not a household", folder.appendingPathComponent("notes.txt"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let book = try HouseholdBookReader.read(folder: folder)
        #expect(book.featureNames == HoldingsFeatures.names)
        #expect(Set(book.clients.map(\.id)) == Set(["caf\u{e9}", "=SUM(A1)", "<em>x&y", String(repeating: "h", count: 200)]))
        let total = 2800.0
        let expected = [total, 1500 / total, 300 / total, 1500 / total, (1500 * 1500 + 1000 * 1000) / (total * total), 2, 2,
                        2200 / total, 200 / total]
        for client in book.clients {
            for (name, (got, want)) in zip(book.featureNames, zip(client.features, expected)) {
                #expect(abs(got - want) < 1e-12, "\(client.id) \(name): \(got) vs \(want)")
            }
        }
        #expect(book.clients.first { $0.id == "=SUM(A1)" }?.riskCategory == .moderatelyAggressive)
        #expect(book.clients.first { $0.id == "<em>x&y" }?.riskCategory == nil)
        // --prices replaces the file's prices.
        let repriced = try HouseholdBookReader.read(folder: folder, prices: ["FUSLC": 200])
        #expect(repriced.clients[0].features[0] == 4300)
    }

    @Test func aClientsFileIsJoinedByID() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-households-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for id in ["cafe\u{301}", "b"] { try Self.write(Self.holdings, folder.appendingPathComponent("h/\(id)/holdings.csv")) }
        let clients = try ClientBookReader.parse("client_id,age,risk_category,model\ncaf\u{e9},61,conservative,M1\nb,40,,\n", file: "clients.csv")
        let book = try HouseholdBookReader.read(folder: folder.appendingPathComponent("h"), clients: (clients, "clients.csv"))
        #expect(book.featureNames == ["age"] + HoldingsFeatures.names)
        let cafe = try #require(book.clients.first { $0.id == "caf\u{e9}" })
        #expect(cafe.features.count == 10 && cafe.features[0] == 61 && cafe.riskCategory == .conservative && cafe.model == "M1")
        // A client without a household, a household without a client, a derived column given twice: all named.
        let other = try ClientBookReader.parse("client_id,equity_share\ncaf\u{e9},0.5\nzed,0.1\n", file: "clients.csv")
        do {
            _ = try HouseholdBookReader.read(folder: folder.appendingPathComponent("h"), clients: (other, "clients.csv"))
            Issue.record("expected a failure")
        } catch {
            #expect(error.problems.count == 3)
            #expect(error.description.contains("\"equity_share\" is derived") && error.description.contains("client \"zed\" has no household")
                    && error.description.contains("household \"b\" is not in clients.csv"))
        }
        // Features chosen by name, in the order given.
        let chosen = try HouseholdBookReader.selecting(["Cash Share", "age"], from: book, file: "x")
        #expect(chosen.featureNames == ["cash_share", "age"] && chosen.clients[0].features[1] == 61)
        #expect(throws: HouseholdBookReader.Failure.self) { try HouseholdBookReader.selecting(["nope"], from: book, file: "x") }
    }

    @Test func badHouseholdsAreAllListed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-households-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.write(Self.header + "A,Taxable,NOPRICE,10,--,100,2020-01-02,us-large-cap\n", folder.appendingPathComponent("one/holdings.csv"))
        try Self.write(Self.header + "A,Taxable,ODD,10,5,100,2020-01-02,\n", folder.appendingPathComponent("two/holdings.csv"))
        try Self.write(Self.holdings, folder.appendingPathComponent("caf\u{e9}/holdings.csv"))
        try Self.write(Self.holdings, folder.appendingPathComponent("cafe\u{301}.csv"))
        do {
            _ = try HouseholdBookReader.read(folder: folder)
            Issue.record("expected a failure")
        } catch {
            // Two ids equal after NFC stop before any file is read.
            #expect(error.problems.count == 1 && error.description.contains("household id \"caf\u{e9}\" is also"))
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("cafe\u{301}.csv"))
        do {
            _ = try HouseholdBookReader.read(folder: folder)
            Issue.record("expected a failure")
        } catch {
            #expect(error.problems.count == 2)
            #expect(error.description.contains("one/holdings.csv: no price for NOPRICE"))
            #expect(error.description.contains("two/holdings.csv: no asset class for ODD"))
        }
        #expect(throws: HouseholdBookReader.Failure.self) { try HouseholdBookReader.read(folder: folder.appendingPathComponent("missing")) }
    }
}

/// The couple's answers as YAML lines (Examples/Data/households/couple/answers.yaml).
enum GoalsAnswers {
    static let couple = """
          reaction-to-decline: c
          range-of-outcomes: c
          describe-yourself: c
          coin-flip: b
          checking-habit: c
          investing-experience: d
          time-until-withdrawals: d
          income-security: c
          emergency-savings: d
          annual-withdrawal-rate: d

        """
}
