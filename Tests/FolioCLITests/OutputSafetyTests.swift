import Foundation
import Testing
import Folio

/// The output-safety functions on their own: exact prices, CSV neutralizing, terminal escapes.
@Suite struct OutputSafetyTests {
    @Test(arguments: [
        ("0.0001", "$0.0001", "0.0001"), ("251.41", "$251.41", "251.41"), ("12.5", "$12.50", "12.50"),
        ("0.999", "$0.999", "0.999"), ("999.9999", "$999.9999", "999.9999"), ("1234567.123456", "$1,234,567.123456", "1234567.123456"),
        ("7", "$7.00", "7.00"), ("0.00000001", "$0.00000001", "0.00000001"),
    ])
    func pricesAreWrittenExactly(text: String, shown: String, csv: String) {
        let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
        #expect(ReportFormat.price(value) == shown)
        #expect(ReportFormat.exact(value) == csv)
        #expect(Decimal(string: csv) == value, "the CSV price reads back as the same number")
    }

    @Test func moneyStillRoundsToCents() {
        #expect(ReportFormat.money(Decimal(string: "0.999")!) == "$1.00")
        #expect(ReportFormat.money(Decimal(string: "-1234.565")!) == "-$1,234.57")
    }

    @Test(arguments: [
        ("=1+2", "\"'=1+2\""), ("@SUM(A1)", "\"'@SUM(A1)\""), ("+cmd", "\"'+cmd\""), ("-2+3", "\"'-2+3\""),
        ("\tx", "\"'\tx\""), ("\rx", "\"'\rx\""), ("=\"a\",b", "\"'=\"\"a\"\",b\""), ("-", "\"'-\""), ("-.", "\"'-.\""), ("1e", "1e"),
        ("-12.50", "-12.50"), ("+3", "+3"), ("-1e-4", "-1e-4"), ("0.0001", "0.0001"), ("a,b", "\"a,b\""), ("FUSLC", "FUSLC"),
        // "\r\n" is one Swift Character, equal to neither "\r" nor "\n": it must still be quoted.
        ("line one\r\nline two", "\"line one\r\nline two\""), ("a\rb", "\"a\rb\""), ("a\nb", "\"a\nb\""),
        ("Café, 東京", "\"Café, 東京\""), ("e\u{301}", "e\u{301}"),
    ])
    func csvFieldsAreNeutralizedUnlessNumbers(text: String, written: String) {
        #expect(CSVWriter.field(text) == written)
    }

    @Test func terminalTextEscapesControlsAndBidi() {
        #expect(TerminalText.escaped("a\u{1B}[31mb\u{9B}c\u{202E}d\u{2066}e\u{7F}") == "a\\u{1B}[31mb\\u{9B}c\\u{202E}d\\u{2066}e\\u{7F}")
        #expect(TerminalText.escaped("line\nnext") == "line\nnext")
        #expect(TerminalText.escaped("line\nnext", keepingNewlines: false) == "line\\u{A}next")
        #expect(TerminalText.escaped("Café — 東京") == "Café — 東京")
        var table = TextTable(columns: [.init("Id")])
        table.append(["x\u{1B}]0;owned\u{07}"])
        #expect(!table.render().unicodeScalars.contains("\u{1B}"))
        #expect(table.render().contains("x\\u{1B}]0;owned\\u{7}"))
    }
}
