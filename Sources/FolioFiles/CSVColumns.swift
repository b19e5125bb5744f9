/// Normalizes a CSV header cell by the header-matching rule of
/// `Documentation/FileFormats.md`: lower-case; `_ - . /`, spaces and tabs become one space;
/// other punctuation is dropped; trimmed. Every reader that matches header names uses it.
/// - Complexity: O(*text length*).
func normalizedHeader(_ text: String) -> String {
    var out = ""
    for scalar in text.lowercased().unicodeScalars {
        if "_-./".unicodeScalars.contains(scalar) || scalar == " " || scalar == "\t" {
            if !out.isEmpty && out.last != " " { out.append(" ") }
        } else if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
            out.unicodeScalars.append(scalar)
        }
    }
    while out.last == " " { out.removeLast() }
    return out
}

/// Finds a CSV file's header row and maps Folio's field names to its columns, by the
/// header-matching rule of `Documentation/FileFormats.md`: lower-case; `_ - . /` become
/// spaces; other punctuation is dropped; runs of spaces collapse; trimmed.
struct CSVColumns<Field: Hashable & CaseIterable & RawRepresentable> where Field.RawValue == String {
    /// The header record.
    let header: CSVTable.Record
    /// Index of the header record in the table.
    let headerIndex: Int
    /// Field -> zero-based column index.
    let index: [Field: Int]

    /// Normalizes a header cell: ``normalizedHeader(_:)``, kept for the readers that call it here.
    static func normalize(_ text: String) -> String { normalizedHeader(text) }

    /// Looks for the header among the first 10 records: the first that has every `required`
    /// field. `mapping` overrides aliases (field raw value -> header text).
    init(table: CSVTable, aliases: [Field: [String]], required: [Field], mapping: [String: String],
         issues: inout IssueCollector) throws(FileError) {
        var found: (Int, [Field: Int])? = nil
        var firstProblems: [(line: Int, column: Int, name: String, found: String, expected: String)] = []
        for (r, record) in table.records.prefix(10).enumerated() {
            var index: [Field: Int] = [:]
            var problems: [(Int, Int, String, String, String)] = []
            let names = record.fields.map { normalizedHeader($0.text) }
            for field in Field.allCases {
                let candidates: [String]
                if let custom = mapping[field.rawValue] { candidates = [normalizedHeader(custom)] } else { candidates = aliases[field] ?? [] }
                let matches = names.indices.filter { candidates.contains(names[$0]) }
                if matches.count > 1 {
                    problems.append((record.line, matches[1] + 1, record.fields[matches[1]].text, record.fields[matches[1]].text,
                                     "one column for \(field.rawValue) (also column \(matches[0] + 1))"))
                }
                if let first = matches.first { index[field] = first }
            }
            if required.allSatisfy({ index[$0] != nil }) {
                found = (r, index)
                firstProblems = problems
                break
            }
        }
        guard let (headerIndex, index) = found else {
            // The row most like a header (the most required columns; the first on a tie) is
            // the one the error quotes: what it lacks, by every accepted name, and which of
            // its columns look meant for that but are not read.
            let candidates = table.records.prefix(10).map { record in
                (record, required.filter { field in
                    let names = mapping[field.rawValue].map { [normalizedHeader($0)] } ?? aliases[field] ?? []
                    return record.fields.contains { names.contains(normalizedHeader($0.text)) }
                })
            }
            let best = candidates.max { $0.1.count < $1.1.count }
            let record = best?.0
            let missing = required.filter { !(best?.1 ?? []).contains($0) }
            let text = record.map { $0.fields.map(\.text).joined(separator: ",") } ?? ""
            let names = required.map { field in mapping[field.rawValue] ?? aliases[field]?.first ?? field.rawValue }
            let lacking = missing.map { field in
                Self.missingColumn(field, aliases: aliases, mapping: mapping, header: record?.fields ?? [], used: [])
            }
            throw FileError(file: issues.file, issues: [FileIssue(FileLocation(file: issues.file, line: record?.line ?? 1, column: 1),
                found: text, expected: "a header row (within the first 10 rows) with columns " + names.joined(separator: ", ")
                    + (lacking.isEmpty ? "" : "; " + lacking.joined(separator: "; ")))])
        }
        for p in firstProblems { issues.add(line: p.line, column: p.column, columnName: p.name, found: p.found, expected: p.expected) }
        self.header = table.records[headerIndex]
        self.headerIndex = headerIndex
        self.index = index
    }

    /// Words for a field the header lacks: every name accepted for it and, when the header
    /// has columns that no field reads and that share a word with those names (`basis` for
    /// `cost basis`), those columns by number and text, e.g. `no cost_basis column (accepted:
    /// cost basis total, cost basis, total cost); column 5 (Basis) is present but not read`.
    ///
    /// - Complexity: O(header cells × accepted names).
    static func missingColumn(_ field: Field, aliases: [Field: [String]], mapping: [String: String],
                              header: [CSVTable.Field], used: Set<Int>) -> String {
        let accepted = mapping[field.rawValue].map { [normalizedHeader($0)] } ?? aliases[field] ?? [field.rawValue]
        // Words too common to suggest a column on their own.
        let common: Set<String> = ["total", "per", "unit", "no", "id", "name", "number", "of", "the", "account"]
        let words = Set(accepted.flatMap { $0.split(separator: " ").map(String.init) }).subtracting(common)
        let unread = header.enumerated().filter { i, cell in
            !used.contains(i) && !Set(normalizedHeader(cell.text).split(separator: " ").map(String.init)).isDisjoint(with: words)
        }
        var text = "no \(field.rawValue) column (accepted names: \(accepted.joined(separator: ", ")))"
        if !unread.isEmpty {
            text += "; " + unread.map { "column \($0.offset + 1) (\($0.element.text))" }.joined(separator: ", ")
                + (unread.count == 1 ? " is" : " are") + " present but not read"
        }
        return text
    }

    /// ``missingColumn(_:aliases:mapping:header:used:)`` for this file's header: `field`'s
    /// accepted names and the header's unread columns that look meant for it.
    func missingColumn(_ field: Field, aliases: [Field: [String]], mapping: [String: String] = [:]) -> String {
        Self.missingColumn(field, aliases: aliases, mapping: mapping, header: header.fields, used: Set(index.values))
    }

    /// The header text of a column.
    func name(_ field: Field) -> String? {
        index[field].map { header.fields[$0].text }
    }

    /// The field of `record` for `field`, or nil when the file has no such column
    /// (a short row is padded with empty fields).
    func cell(_ field: Field, in record: CSVTable.Record) -> CSVTable.Field? {
        guard let i = index[field] else { return nil }
        if i < record.fields.count { return record.fields[i] }
        return CSVTable.Field(text: "", line: record.line, column: 0, number: i + 1, wasQuoted: false)
    }

    /// Reports a problem in `record`'s `field`.
    func report(_ field: Field, in record: CSVTable.Record, found: String? = nil, expected: String, to issues: inout IssueCollector) {
        let cell = cell(field, in: record)
        issues.add(line: cell?.line ?? record.line, column: cell?.number ?? 0, columnName: name(field),
                   found: found ?? cell?.text ?? "", expected: expected)
    }

    /// Reports a row with more non-empty fields than the header; returns whether it did.
    func checkWidth(_ record: CSVTable.Record, issues: inout IssueCollector) -> Bool {
        guard record.fields.count > header.fields.count,
              let extra = record.fields[header.fields.count...].first(where: { !$0.text.isEmpty }) else { return false }
        issues.add(line: extra.line, column: extra.number, found: extra.text,
                   expected: "at most \(header.fields.count) fields, as in the header")
        return true
    }
}

/// Whether a record is a totals row: its first field or symbol field matches
/// `^(account |grand )?totals?\b`, case-insensitively.
func isTotalsRow(_ texts: [String]) -> Bool {
    // Every totals cell holds "tot" in ASCII letters of any case (no non-ASCII letter
    // lower-cases to t or o): most cells are ruled out on their bytes, without a copy.
    texts.contains { mayHoldTotal($0) && isTotalsCell($0) }
}

/// Whether one cell matches `^(account |grand )?totals?\b`, case-insensitively.
func isTotalsCell(_ text: String) -> Bool {
    var t = text.trimmed.lowercased()
    for prefix in ["account ", "grand "] where t.hasPrefix(prefix) { t.removeFirst(prefix.count) }
    guard t.hasPrefix("total") else { return false }
    t.removeFirst(5)
    if t.hasPrefix("s") { t.removeFirst() }
    guard let next = t.unicodeScalars.first else { return true }
    return !(next.properties.isAlphabetic || ("0"..."9").contains(next) || next == "_")
}

import Foundation

/// Whether `text` holds `tot` in any case of ASCII letters (a cheap test before
/// ``isTotalsRow(_:)`` reads a cell).
func mayHoldTotal(_ text: String) -> Bool {
    var matched = 0
    for byte in text.utf8 {
        let lower = byte | 0x20
        switch matched {
        case 0: matched = lower == UInt8(ascii: "t") ? 1 : 0
        case 1: matched = lower == UInt8(ascii: "o") ? 2 : (lower == UInt8(ascii: "t") ? 1 : 0)
        default:
            if lower == UInt8(ascii: "t") { return true }
            matched = 0
        }
    }
    return false
}
