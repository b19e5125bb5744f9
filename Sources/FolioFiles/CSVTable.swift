/// A CSV file split into records and fields, each field remembering its line and column.
///
/// Follows RFC 4180 (quoted fields, doubled quotes, commas and newlines inside quotes) and
/// what custodian exports add: a UTF-8 byte-order mark, CRLF or LF line ends, blank lines
/// (skipped), surrounding spaces around fields (trimmed), and ragged rows (kept as they are,
/// for the reader to judge).
///
/// No CSV library in the package set reports the line and column of a field, which every
/// Folio error message names, so this small tokenizer is our own.
///
/// - Complexity: O(n) in the file's length.
struct CSVTable: Sendable {
    struct Field: Sendable, Hashable {
        var text: String
        var line: Int
        var column: Int
        /// The field's number in its record, one-based (what error messages call the column).
        var number: Int
        /// Whether the field was quoted in the file (a quoted field is never trimmed).
        var wasQuoted: Bool
    }

    struct Record: Sendable {
        var fields: [Field]
        var line: Int
        /// Whether every field is empty.
        var isBlank: Bool { fields.allSatisfy { $0.text.isEmpty } }
    }

    var records: [Record]

    /// Parses `text`; an unterminated quote is reported at the line and column where it opened.
    init(parsing text: String, file: String) throws(FileError) {
        var records: [Record] = []
        var fields: [Field] = []
        var current = ""
        var line = 1, column = 1
        var recordLine = 1
        var fieldLine = 1, fieldColumn = 1
        var inQuotes = false, wasQuoted = false, afterQuote = false
        var quoteLine = 0, quoteColumn = 0

        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }

        func finishField() {
            let value = wasQuoted ? current : current.trimmingCharacters(in: .whitespaces)
            fields.append(Field(text: value, line: fieldLine, column: fieldColumn, number: fields.count + 1, wasQuoted: wasQuoted))
            current = ""
            wasQuoted = false
            afterQuote = false
        }

        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.unicodeScalars.append("\""); column += 2; continue }
                        pending = next
                    }
                    inQuotes = false
                    afterQuote = true
                    column += 1
                    continue
                }
                current.unicodeScalars.append(scalar)
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
                continue
            }
            switch scalar {
            case "\"" where current.trimmingCharacters(in: .whitespaces).isEmpty && !afterQuote:
                inQuotes = true
                wasQuoted = true
                current = ""
                fieldColumn = column
                quoteLine = line
                quoteColumn = column
                column += 1
            case ",":
                finishField()
                column += 1
                fieldLine = line
                fieldColumn = column
            case "\r", "\n":
                if scalar == "\r" {
                    if let next = iterator.next(), next != "\n" { pending = next }
                }
                finishField()
                records.append(Record(fields: fields, line: recordLine))
                fields = []
                line += 1
                column = 1
                recordLine = line
                fieldLine = line
                fieldColumn = 1
            default:
                if current.isEmpty && !afterQuote && scalar.properties.isWhitespace {
                    fieldColumn = column + 1  // a field's column is where its text starts
                } else if !afterQuote || !scalar.properties.isWhitespace {
                    current.unicodeScalars.append(scalar)
                }
                column += 1
            }
        }
        if inQuotes {
            throw FileError(file: file, issues: [FileIssue(
                FileLocation(file: file, line: quoteLine, column: quoteColumn),
                found: "\"" + String(current.prefix(20)), expected: "a closing quote for this field")])
        }
        if !current.isEmpty || !fields.isEmpty || wasQuoted {
            finishField()
            records.append(Record(fields: fields, line: recordLine))
        }
        self.records = records.filter { !$0.isBlank }
    }
}

import Foundation
