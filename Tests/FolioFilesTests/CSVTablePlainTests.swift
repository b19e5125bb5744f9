import Foundation
import Testing
@testable import FolioFiles
import FolioPlanning

/// Issue 22: `CSVTable`'s byte path for plain ASCII text without quotes gives exactly the
/// records, texts, lines, columns and field numbers of the scalar tokenizer, on every
/// committed CSV file and on seeded random texts full of what trips a tokenizer (empty
/// fields, spaces and tabs, CR, CR LF, blank lines, leading empty runs, a missing last line
/// end); texts it must not take (a quote, non-ASCII, a BOM, other control bytes) go to the
/// tokenizer.
@Suite struct CSVTablePlainTests {
    /// Every field of every record, as one comparable list.
    static func shape(_ table: CSVTable) -> [[String]] {
        table.records.map { record in
            ["@\(record.line)"] + record.fields.map { "\($0.text)|\($0.line):\($0.column)#\($0.number)\($0.wasQuoted ? "q" : "")" }
        }
    }

    /// The table's shape, or the error the text gives (an unterminated quote).
    static func outcome(_ read: () throws(FileError) -> CSVTable) -> [[String]] {
        do { return shape(try read()) } catch { return [["error: \(error)"]] }
    }

    static func expectSame(_ text: String, firstLine: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) {
        let reference = outcome { () throws(FileError) in try CSVTable(tokenizing: text, file: "t.csv", firstLine: firstLine) }
        let parsed = outcome { () throws(FileError) in try CSVTable(parsing: text, file: "t.csv", firstLine: firstLine) }
        #expect(parsed == reference, "\(text.debugDescription)", sourceLocation: sourceLocation)
        if let plain = CSVTable.plainRecords(text, firstLine: firstLine) {
            #expect(shape(CSVTable(records: plain)) == reference, "\(text.debugDescription)", sourceLocation: sourceLocation)
        }
    }

    @Test("every committed CSV file reads the same on both paths, most of them on the byte path")
    func committedFiles() throws {
        var plain = 0
        for url in FastParsingTests.csvFiles {
            let text = try String(contentsOf: url, encoding: .utf8)
            Self.expectSame(text)
            Self.expectSame(text, firstLine: 41)
            if CSVTable.plainRecords(text, firstLine: 1) != nil { plain += 1 }
        }
        #expect(FastParsingTests.csvFiles.count > 10)
        #expect(plain > FastParsingTests.csvFiles.count / 2, "the byte path read \(plain) of \(FastParsingTests.csvFiles.count) files")
    }

    @Test("seeded random texts: empty fields, spaces, tabs, CR, CR LF, blank lines; quotes and non-ASCII fall back")
    func randomTexts() throws {
        var rng = Xoshiro256StarStar(seed: 2_022)
        let alphabet: [String] = ["a", "7", ",", ",", ",", " ", " ", "\t", "\n", "\n", "\r", "\r\n", ".", "$", "-", "Total", "=x", "<b>"]
        let rare: [String] = ["\"", "é", "\u{FEFF}", "\u{0B}", "\u{0C}", "\u{00A0}", "e\u{301}", "\u{1F600}", "\u{0}"]
        var plain = 0
        for round in 0..<3_000 {
            var text = ""
            for _ in 0..<Int(rng.next() % 60) {
                text += alphabet[Int(rng.next() % UInt64(alphabet.count))]
                if rng.next() % 97 == 0 { text += rare[Int(rng.next() % UInt64(rare.count))] }
            }
            Self.expectSame(text, firstLine: 1 + round % 5)
            if CSVTable.plainRecords(text, firstLine: 1) != nil { plain += 1 }
        }
        #expect(plain > 1_500, "the byte path read \(plain) of 3,000 texts")
        // What the byte path must leave to the tokenizer.
        for text in ["a,\"b\"\n", "caf\u{E9},1\n", "\u{FEFF}a,b\n", "a\u{0B},b\n", "a,b\u{0}\n"] {
            #expect(CSVTable.plainRecords(text, firstLine: 1) == nil, "\(text.debugDescription)")
            Self.expectSame(text)
        }
    }

    @Test("the totals pre-check rules out only cells that are not totals")
    func totalsPreCheck() {
        var texts = ["Total", "TOTAL", "Totals", "tOtAlS:", " Grand Total", "Account Totals", "total_x", "Total1", "totally",
                     "Subtotal", "\u{FF34}\u{FF2F}\u{FF34}\u{FF21}\u{FF2C}", "Tot", "toot", "ttot", "TOTal ", "\u{130}total", "total\u{301}", "", "--"]
        var rng = Xoshiro256StarStar(seed: 7)
        let pieces = ["t", "T", "o", "O", "a", "l", "s", " ", "grand ", "account ", "_", "1", "é", "\u{212A}", ":", "tot", "Total", "TOTAL"]
        for _ in 0..<5_000 {
            texts.append((0..<Int(rng.next() % 9)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined())
        }
        var totals = 0
        for text in texts {
            #expect(isTotalsRow([text]) == isTotalsCell(text), "\(text.debugDescription)")
            if isTotalsCell(text) { totals += 1 }
        }
        #expect(totals > 50, "the texts hold totals cells (\(totals))")
    }
}
