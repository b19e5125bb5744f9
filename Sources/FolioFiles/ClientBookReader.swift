import Foundation
import FolioPlanning
import FolioRebalancing

/// Reads a clients file (CSV) for segmenting a book: one row per client, a `client_id`
/// column, optional `risk_category` and `model` columns, and numeric feature columns (age,
/// horizon, income, net worth, risk scores, equity share, concentration, cash share...).
/// The format is specified in `Documentation/FileFormats.md` ("clients").
public enum ClientBookReader {
    /// Column names (after the header-matching rule) Folio refuses as features: segments
    /// inform service and outreach, and must not be drawn along protected characteristics.
    public static let protectedAttributes: Set<String> = [
        "sex", "gender", "race", "ethnicity", "ethnic origin", "religion", "national origin", "nationality",
        "disability", "marital status", "pregnancy", "sexual orientation", "color", "colour", "zip", "zip code",
        "postcode", "postal code",
    ]

    static let idNames: Set<String> = ["client id", "client", "id", "household id", "household"]
    static let categoryNames: Set<String> = ["risk category", "category", "risk profile"]
    static let modelNames: Set<String> = ["model", "model portfolio", "model id"]
    static let ignoredNames: Set<String> = ["name", "client name", "advisor", "notes"]

    /// Reads the clients file at `url`.
    ///
    /// - Parameter features: the feature columns to cluster on, by header name; nil takes
    ///   every numeric column other than the id, category, model and name columns.
    /// - Throws: `FileError` listing every problem with its line and column (at most 100).
    /// - Complexity: O(file size).
    public static func read(contentsOf url: URL, features: [String]? = nil) throws(FileError) -> ClientBook {
        try parse(HoldingsReader.readText(url), file: url.path, features: features)
    }

    /// Parses clients CSV text; `file` names it in errors.
    public static func parse(_ text: String, file: String, features wanted: [String]? = nil) throws(FileError) -> ClientBook {
        let table = try CSVTable(parsing: text, file: file)
        var issues = IssueCollector(file: file)
        guard let header = table.records.first(where: { !$0.isBlank }) else {
            throw FileError(file: file, issues: [FileIssue(FileLocation(file: file, line: 1, column: 1), found: "",
                                                            expected: "a header row with client_id and feature columns")])
        }
        let names = header.fields.map { normalizedHeader($0.text) }
        func column(_ accepted: Set<String>) -> Int? { names.firstIndex { accepted.contains($0) } }
        guard let idColumn = column(idNames) else {
            throw FileError(file: file, issues: [FileIssue(FileLocation(file: file, line: header.line, column: 1),
                found: header.fields.map(\.text).joined(separator: ","),
                expected: "a header row with a client id column (client_id, client, id, household_id)")])
        }
        let categoryColumn = column(categoryNames), modelColumn = column(modelNames)
        var featureColumns: [Int]
        if let wanted {
            featureColumns = []
            for name in wanted {
                let key = normalizedHeader(name)
                guard let j = names.firstIndex(of: key) else {
                    issues.add(line: header.line, column: 0, found: name,
                               expected: "a column of the file (it has " + header.fields.map(\.text).joined(separator: ", ") + ")")
                    continue
                }
                featureColumns.append(j)
            }
        } else {
            featureColumns = names.indices.filter {
                $0 != idColumn && $0 != categoryColumn && $0 != modelColumn && !ignoredNames.contains(names[$0])
                    && !protectedAttributes.contains(names[$0]) && !names[$0].isEmpty
            }
        }
        for j in featureColumns where protectedAttributes.contains(names[j]) {
            issues.add(line: header.line, column: j + 1, columnName: header.fields[j].text, found: header.fields[j].text,
                       expected: "a feature that is not a protected characteristic (segments must not be drawn along \(names[j]))")
        }
        try issues.check()
        guard !featureColumns.isEmpty else {
            throw FileError(file: file, issues: [FileIssue(FileLocation(file: file, line: header.line, column: 1),
                found: header.fields.map(\.text).joined(separator: ","), expected: "at least one numeric feature column")])
        }
        var clients: [BookClient] = []
        var seen: [String: Int] = [:]
        let headerPosition = table.records.firstIndex { $0.line == header.line }!
        for record in table.records[(headerPosition + 1)...] where !record.isBlank {
            func field(_ j: Int) -> CSVTable.Field {
                j < record.fields.count ? record.fields[j]
                    : CSVTable.Field(text: "", line: record.line, column: 0, number: j + 1, wasQuoted: false)
            }
            if record.fields.count > header.fields.count,
               let extra = record.fields[header.fields.count...].first(where: { !$0.text.isEmpty }) {
                issues.add(line: extra.line, column: extra.number, found: extra.text,
                           expected: "at most \(header.fields.count) fields, as in the header")
                continue
            }
            let idField = field(idColumn)
            let id = IdentifierText.normalized(idField.text.trimmed)
            guard !id.isEmpty else {
                issues.add(line: record.line, column: idColumn + 1, columnName: header.fields[idColumn].text, found: "",
                           expected: "a client id")
                continue
            }
            if let line = seen[id] {
                issues.add(line: idField.line, column: idField.number, columnName: header.fields[idColumn].text,
                           found: idField.text, expected: "each client once (\(id) is on line \(line))")
                continue
            }
            seen[id] = record.line
            var values: [Double] = []
            values.reserveCapacity(featureColumns.count)
            var bad = false
            for j in featureColumns {
                let cell = field(j)
                let text = cell.text.trimmed
                if let value = Double(text) ?? NumberText.decimal(text).map({ Double($0.description) ?? .nan }), value.isFinite {
                    values.append(value)
                } else {
                    issues.add(line: cell.line, column: cell.number, columnName: header.fields[j].text, found: cell.text,
                               expected: "a number (every feature is needed for every client)")
                    bad = true
                }
            }
            var category: RiskCategory?
            if let c = categoryColumn, !field(c).text.trimmed.isEmpty {
                let key = field(c).text.trimmed.lowercased().replacingOccurrences(of: " ", with: "-")
                    .replacingOccurrences(of: "_", with: "-")
                guard let parsed = RiskCategory(rawValue: key) else {
                    issues.add(line: field(c).line, column: field(c).number, columnName: header.fields[c].text,
                               found: field(c).text, expected: "a risk category: " + RiskCategory.allCases.map(\.rawValue).joined(separator: ", "))
                    continue
                }
                category = parsed
            }
            let model = modelColumn.map { field($0).text.trimmed }.flatMap { $0.isEmpty ? nil : $0 }
            if !bad { clients.append(BookClient(id: id, features: values, riskCategory: category, model: model)) }
        }
        try issues.check()
        return ClientBook(featureNames: featureColumns.map { header.fields[$0].text.trimmed }, clients: clients)
    }
}
