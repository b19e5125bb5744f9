import Foundation
import Testing
@testable import FolioFiles

@Suite struct CSVTableTests {
    @Test func quotedFieldsCRLFBlankLinesAndBOM() throws {
        let text = "\u{FEFF}Account,Symbol,Value\r\n\"A-1\",\"VTI\",\"$1,234.56\"\r\n\r\n  A-2 , \"BN\"\"D\" ,\"multi\nline\"\n"
        let table = try CSVTable(parsing: text, file: "h.csv")
        #expect(table.records.count == 3)
        #expect(table.records[0].fields.map(\.text) == ["Account", "Symbol", "Value"])
        #expect(table.records[1].fields.map(\.text) == ["A-1", "VTI", "$1,234.56"])
        #expect(table.records[2].fields.map(\.text) == ["A-2", "BN\"D", "multi\nline"])
        #expect(table.records[2].line == 4)
        #expect(table.records[2].fields[0].column == 3)
        #expect(table.records[2].fields[1].column == 9)
        #expect(table.records[1].fields[2].column == 13)
    }

    @Test func lastLineWithoutNewlineAndEmptyTrailingField() throws {
        let table = try CSVTable(parsing: "a,b,\n1,2,", file: "x.csv")
        #expect(table.records.map { $0.fields.map(\.text) } == [["a", "b", ""], ["1", "2", ""]])
    }

    @Test func unterminatedQuoteNamesWhereItOpened() {
        #expect(throws: FileError.self) { try CSVTable(parsing: "a,b\n1,\"oops\n2,3\n", file: "x.csv") }
        do {
            _ = try CSVTable(parsing: "a,b\n1,\"oops\n2,3\n", file: "x.csv")
        } catch {
            #expect(error.issues.first?.location == FileLocation(file: "x.csv", line: 2, column: 3))
            #expect(error.description.hasPrefix("x.csv:2:3:"))
        }
    }
}

@Suite struct NumberTextTests {
    @Test(arguments: [
        ("1234.56", "1234.56"), ("1,234.56", "1234.56"), ("$1,234.56", "1234.56"), ("(1,234.56)", "-1234.56"),
        ("-$12.00", "-12"), ("$(12.50)", "-12.5"), ("  42 ", "42"), ("1,000,000", "1000000"), ("+3", "3"), ("$-12.00", "-12"), ("$120.4617", "120.4617"),
    ])
    func acceptsCustodianSpellings(text: String, expected: String) {
        #expect(NumberText.decimal(text) == Decimal(string: expected))
    }

    @Test(arguments: ["1.2.3", "12abc", "1,23", "$", "", "12,34,567", "--", "1e3", "12 USD", "1,23.4"])
    func rejectsNonNumbers(text: String) {
        #expect(NumberText.decimal(text) == nil)
    }

    @Test func missingValues() {
        #expect(NumberText.isMissing("--") && NumberText.isMissing("") && NumberText.isMissing("N/A"))
        #expect(!NumberText.isMissing("0"))
    }

    @Test func isoAndUSDates() {
        #expect(ISODate.parse("2025-12-31").map(ISODate.format) == "2025-12-31")
        #expect(ISODate.parse("03/15/2024").map(ISODate.format) == "2024-03-15")
        #expect(ISODate.parse("2025-02-30") == nil)
        #expect(ISODate.parse("yesterday") == nil)
    }
}

@Suite struct AtomicFileTests {
    @Test func writesAndReplacesWithoutLeftovers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("plan.json")
        try AtomicFile.write("first", to: url)
        try AtomicFile.write("second", to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["plan.json"])
    }

    @Test func unwritableFolderGivesAClearError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-ro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer {
            chmod(folder.path, 0o755)
            try? FileManager.default.removeItem(at: folder)
        }
        chmod(folder.path, 0o555)
        // root ignores permission bits; only check the error when the folder really is read-only
        guard access(folder.path, W_OK) != 0 else { return }
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write("x", to: folder.appendingPathComponent("a.csv")) }
    }
}

@Suite struct YAMLDocumentTests {
    @Test func positionsAndTypedValues() throws {
        var doc = try YAMLDocument(parsing: "targets:\n  VTI: 0.45\n  BND: abc\n", file: "t.yaml")
        let pairs = doc.mapping(doc.mapping(doc.root, "a mapping")?.first?.value, "targets")!
        #expect(doc.double(pairs[0].value, "a weight") == 0.45)
        #expect(doc.double(pairs[1].value, "a weight") == nil)
        #expect(throws: FileError.self) { try doc.check() }
        #expect(doc.issues.issues.first?.location == FileLocation(file: "t.yaml", line: 3, column: 8))
    }

    @Test func syntaxErrorsCarryAPosition() {
        do {
            _ = try YAMLDocument(parsing: "a: [1, 2\nb: 3\n", file: "bad.yaml")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.issues.first!.location.line > 0)
        }
    }
}
