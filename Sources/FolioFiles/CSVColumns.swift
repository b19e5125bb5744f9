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

    /// Normalizes a header cell.
    static func normalize(_ text: String) -> String {
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

    /// Looks for the header among the first 10 records: the first that has every `required`
    /// field. `mapping` overrides aliases (field raw value -> header text).
    init(table: CSVTable, aliases: [Field: [String]], required: [Field], mapping: [String: String],
         issues: inout IssueCollector) throws(FileError) {
        var found: (Int, [Field: Int])? = nil
        var firstProblems: [(line: Int, column: Int, name: String, found: String, expected: String)] = []
        for (r, record) in table.records.prefix(10).enumerated() {
            var index: [Field: Int] = [:]
            var problems: [(Int, Int, String, String, String)] = []
            let names = record.fields.map { Self.normalize($0.text) }
            for field in Field.allCases {
                let candidates: [String]
                if let custom = mapping[field.rawValue] { candidates = [Self.normalize(custom)] } else { candidates = aliases[field] ?? [] }
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
            let line = table.records.first?.line ?? 1
            let text = table.records.first.map { $0.fields.map(\.text).joined(separator: ",") } ?? ""
            let names = required.map { field in mapping[field.rawValue] ?? aliases[field]?.first ?? field.rawValue }
            throw FileError(file: issues.file, issues: [FileIssue(FileLocation(file: issues.file, line: line, column: 1),
                found: text, expected: "a header row (within the first 10 rows) with columns " + names.joined(separator: ", "))])
        }
        for p in firstProblems { issues.add(line: p.line, column: p.column, columnName: p.name, found: p.found, expected: p.expected) }
        self.header = table.records[headerIndex]
        self.headerIndex = headerIndex
        self.index = index
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
    texts.contains { text in
        var t = text.trimmingCharacters(in: .whitespaces).lowercased()
        for prefix in ["account ", "grand "] where t.hasPrefix(prefix) { t.removeFirst(prefix.count) }
        guard t.hasPrefix("total") else { return false }
        t.removeFirst(5)
        if t.hasPrefix("s") { t.removeFirst() }
        guard let next = t.unicodeScalars.first else { return true }
        return !(next.properties.isAlphabetic || ("0"..."9").contains(next) || next == "_")
    }
}

import Foundation
