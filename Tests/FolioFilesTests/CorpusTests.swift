import Foundation
import Testing
import FolioFiles
import FolioRebalancing

/// Awkward and malformed inputs (custodian-style exports among them) in Fixtures/Corpus:
/// each loads, or fails at exactly the documented places, as Documentation/FileFormats.md says.
@Suite struct CorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/Corpus")

    /// Where a failing file's problems must be reported: "line:column" for each issue.
    static let failures: [String: [String]] = [
        "e01-bad-quantity.csv": ["2:3"], "e02-negative-quantity.csv": ["2:3"], "e03-bad-money-grouping.csv": ["2:5"],
        "e04-bad-date.csv": ["2:6"], "e05-missing-basis-taxable.csv": ["2:6"], "e06-missing-date-taxable.csv": ["2:7"],
        "e07-unknown-account-type.csv": ["2:2"], "e08-conflicting-prices.csv": ["3:4"], "e09-no-header.csv": ["1:1"],
        "e10-unterminated-quote.csv": ["2:4"], "e11-extra-fields.csv": ["2:5"], "e12-cash-price-not-one.csv": ["2:4"],
        "e13-duplicate-columns.csv": ["1:5"], "e14-zero-quantity.csv": ["2:3"],
        "e15-many-errors.csv": ["2:3", "3:4", "4:6", "5:1"],
        "p03-out-of-order.csv": ["3:1"], "p04-negative-price.csv": ["2:3", "3:2"], "p05-duplicate-symbol.csv": ["1:3"],
        "p06-bad-date.csv": ["2:1"],
        "t02-percent-sign.yaml": ["2:8", "3:8"], "t03-not-summing.yaml": ["1:1"], "t05-unknown-key.yaml": ["3:1"],
        "t06-yaml-syntax.yaml": ["3:6"],
        "y01-policy-typo.yaml": ["3:3"], "y02-policy-bad-values.yaml": ["1:7", "3:13", "5:25"],
        "s02-securities-bad.csv": ["2:3", "3:1", "4:1"],
    ]

    static func read(_ name: String) throws(FileError) {
        let url = folder.appendingPathComponent(name)
        switch name.prefix(1) {
        case "h", "e": _ = try HoldingsReader.read(contentsOf: url)
        case "p": _ = try PricesReader.read(contentsOf: url)
        case "t": _ = try TargetsReader.read(contentsOf: url)
        case "y": _ = try PolicyReader.read(contentsOf: url)
        case "s": _ = try SecuritiesReader.read(contentsOf: url)
        default: Issue.record("unknown corpus file \(name)")
        }
    }

    @Test func corpusHasAtLeastThirtyFiles() throws {
        #expect(try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).count >= 30)
    }

    @Test(arguments: try! FileManager.default.contentsOfDirectory(atPath: folder.path).sorted())
    func eachFileLoadsOrFailsAsDocumented(name: String) {
        do {
            try Self.read(name)
            #expect(Self.failures[name] == nil, "\(name) should have failed")
        } catch {
            guard let expected = Self.failures[name] else {
                Issue.record("\(name) should load: \(error)"); return
            }
            let found = error.issues.map { "\($0.location.line):\($0.location.column)" }
            #expect(found == expected, "\(name): \(error)")
            #expect(error.issues.allSatisfy { $0.location.file.hasSuffix(name) && !$0.expected.isEmpty })
        }
    }

    func holdings(_ name: String) throws -> Holdings {
        try HoldingsReader.read(contentsOf: Self.folder.appendingPathComponent(name))
    }

    @Test func custodianQuirksReadAsIntended() throws {
        let bom = try holdings("h01-bom-crlf.csv")
        #expect(bom.accounts[0].cash == Decimal(string: "1000.50"))
        #expect(bom.accounts[0].positions[0].lots[0].costBasis == 2000)
        #expect(try holdings("h02-title-lines.csv").accounts[0].positions[0].quantity == 10)
        let totals = try holdings("h03-totals-and-disclaimer.csv")
        #expect(totals.accounts.count == 1 && totals.skippedLines == [4, 5, 6], "\(totals.skippedLines)")
        #expect(try holdings("h04-parenthesized-cash.csv").accounts[0].cash == -250)
        let roth = try holdings("h05-dashes-missing-ira.csv").accounts[0]
        #expect(roth.kind == .taxExempt && roth.positions.count == 2)
        #expect(try holdings("h06-unit-cost.csv").accounts[0].positions[0].lots[0].costBasis == Decimal(string: "2005"))
        #expect(try holdings("h07-no-account-column.csv").accounts.map(\.id) == ["h07-no-account-column"])
        let spaced = try holdings("h08-blank-lines-and-spaces.csv").accounts[0]
        #expect(spaced.positions[0].symbol == "VTI" && spaced.cash == 50)
        let quoted = try holdings("h09-quoted-comma-description.csv")
        #expect(quoted.descriptions["ACME"] == "Acme Corp, Class \"A\"" && quoted.prices["ACME"] == Decimal(string: "1185.29"))
        #expect(try holdings("h10-ragged-short-row.csv").assetClasses.isEmpty)
    }

    @Test func pricesLayouts() throws {
        let wide = try PricesReader.read(contentsOf: Self.folder.appendingPathComponent("p01-wide.csv"))
        #expect(wide.prices[1] == [70.0, nil] && wide.latest["BND"] == 70)
        let long = try PricesReader.read(contentsOf: Self.folder.appendingPathComponent("p02-long-any-order.csv"))
        #expect(long.symbols == ["BND", "VTI"] && long.prices[0] == [70.0, 70.1] && long.latest["VTI"] == 251)
    }

    @Test func targetsAndSecurities() throws {
        let simple = try TargetsReader.read(contentsOf: Self.folder.appendingPathComponent("t01-simple.yaml"))
        #expect(simple.separatingCash().cashWeight == 0.05)
        let classes = try TargetsReader.read(contentsOf: Self.folder.appendingPathComponent("t04-asset-classes.json"))
        #expect(classes.sleeves.map(\.primary) == ["VTI", "BND"])
        let securities = try SecuritiesReader.read(contentsOf: Self.folder.appendingPathComponent("s01-securities.csv"))
        #expect(securities[0].security.allowsFractionalShares && securities[1].security.lotSize == 1000)
    }
}
