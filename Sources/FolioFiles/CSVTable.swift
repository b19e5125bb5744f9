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
    /// `firstLine` is the line number of the text's first line (a part of a larger file).
    init(parsing text: String, file: String, firstLine: Int = 1) throws(FileError) {
        if let records = Self.plainRecords(text, firstLine: firstLine) {
            self.init(records: records)
        } else {
            try self.init(tokenizing: text, file: file, firstLine: firstLine)
        }
    }

    /// A table of records already split.
    init(records: [Record]) { self.records = records }

    /// ``init(parsing:file:firstLine:)`` scalar by scalar, for any text (the reference the
    /// plain-text fast path ``plainRecords(_:firstLine:)`` is tested against).
    init(tokenizing text: String, file: String, firstLine: Int = 1) throws(FileError) {
        var records: [Record] = []
        var fields: [Field] = []
        var current = ""
        var line = firstLine, column = 1
        var recordLine = firstLine
        var fieldLine = firstLine, fieldColumn = 1
        var inQuotes = false, wasQuoted = false, afterQuote = false
        var quoteLine = 0, quoteColumn = 0

        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }

        // Memory stays proportional to the useful content: a blank record is dropped as soon as
        // it ends, and the empty unquoted fields that open a record are kept as runs (line,
        // first column, step, count) until a non-empty field follows them, so that a line of a
        // million commas costs one run.
        var empties: [(line: Int, column: Int, step: Int, count: Int)] = []
        func flushEmpties() {
            for run in empties {
                for k in 0..<run.count {
                    fields.append(Field(text: "", line: run.line, column: run.column + k * run.step, number: fields.count + 1, wasQuoted: false))
                }
            }
            empties.removeAll(keepingCapacity: true)
        }
        func finishField() {
            let value = wasQuoted ? current : current.trimmed
            if value.isEmpty && !wasQuoted && fields.isEmpty {
                if let last = empties.last, last.line == fieldLine,
                   last.count == 1 ? fieldColumn > last.column : fieldColumn == last.column + last.step * last.count {
                    empties[empties.count - 1].step = last.count == 1 ? fieldColumn - last.column : last.step
                    empties[empties.count - 1].count += 1
                } else {
                    empties.append((fieldLine, fieldColumn, 1, 1))
                }
            } else {
                flushEmpties()
                fields.append(Field(text: value, line: fieldLine, column: fieldColumn, number: fields.count + 1, wasQuoted: wasQuoted))
            }
            current = ""
            wasQuoted = false
            afterQuote = false
        }
        /// Ends a record: kept (with its trailing empty fields) only when it has a non-empty
        /// field; a blank record is dropped at once.
        func finishRecord() {
            if fields.contains(where: { !$0.text.isEmpty }) {
                flushEmpties()
                records.append(Record(fields: fields, line: recordLine))
            }
            empties.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: fields.count < 4096)
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
            case "\"" where current.trimmed.isEmpty && !afterQuote:
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
                finishRecord()
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
            finishRecord()
        }
        self.records = records
    }

    /// The records of a text that is printable ASCII, tabs and line ends only, without a
    /// quote (most custodian exports, every generated book), read straight from the bytes:
    /// the same records, fields, lines and columns the scalar tokenizer makes, or nil for
    /// any other text (which the tokenizer then reads). Line ends are LF, CR LF or a lone CR;
    /// a field's column is where its text starts after leading spaces and tabs; trailing
    /// spaces and tabs are trimmed; blank records are dropped.
    ///
    /// - Complexity: O(n) in the text's length, one pass over its bytes (issue 22).
    static func plainRecords(_ text: String, firstLine: Int) -> [Record]? {
        var text = text
        return text.withUTF8 { bytes -> [Record]? in
            // First check every byte, so that nothing is built for a text the tokenizer must read.
            for byte in bytes where !(byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"")) && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                return nil
            }
            var records: [Record] = []
            var fields: [Field] = []
            var line = firstLine
            var start = 0
            let n = bytes.count
            while start < n {
                // One line: [start, end), then its line end.
                var end = start
                while end < n, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
                fields.removeAll(keepingCapacity: true)
                // Until a line shows a non-empty field its empty ones are kept as columns only,
                // so a line of 400,000 commas builds no 400,000 fields to drop (blank lines cost
                // no memory, as in the tokenizer).
                var emptyColumns: [Int] = []
                var nonEmpty = false
                var fieldStart = start
                while true {
                    var fieldEnd = fieldStart
                    while fieldEnd < end, bytes[fieldEnd] != UInt8(ascii: ",") { fieldEnd += 1 }
                    var first = fieldStart, last = fieldEnd
                    while first < last, bytes[first] == 0x20 || bytes[first] == 0x09 { first += 1 }
                    while last > first, bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 { last -= 1 }
                    let value = first == last ? "" : String(decoding: UnsafeBufferPointer(rebasing: bytes[first..<last]), as: UTF8.self)
                    if !nonEmpty && first == last {
                        emptyColumns.append(first - start + 1)
                    } else {
                        if !nonEmpty {
                            for column in emptyColumns {
                                fields.append(Field(text: "", line: line, column: column, number: fields.count + 1, wasQuoted: false))
                            }
                            nonEmpty = true
                        }
                        fields.append(Field(text: value, line: line, column: first - start + 1, number: fields.count + 1, wasQuoted: false))
                    }
                    guard fieldEnd < end else { break }
                    fieldStart = fieldEnd + 1
                }
                if nonEmpty { records.append(Record(fields: fields, line: line)) }
                start = end
                if end < n {
                    // LF, CR LF or a lone CR ends the line.
                    start = end + (bytes[end] == 0x0D && end + 1 < n && bytes[end + 1] == 0x0A ? 2 : 1)
                }
                line += 1
            }
            return records
        }
    }
}

import Foundation
