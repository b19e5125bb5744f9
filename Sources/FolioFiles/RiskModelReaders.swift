import Foundation
import FolioLinearAlgebra
import FolioRisk

/// Reads the files that replace or adjust an estimated risk model: expected returns, a
/// covariance matrix and Black-Litterman views, each a small CSV file whose symbols must be
/// those of the price history (`assets`). The formats are in Documentation/FileFormats.md
/// ("Expected returns", "Covariance", "Views").
///
/// Numbers are plain decimals or scientific notation (`0.08`, `-1.5e-4`), as `folio covariance
/// --format csv` writes them. Every problem is reported with its line and column.
public enum RiskModelReaders: Sendable {
    /// The expected annual return of every asset, in the order of `assets`, from a CSV file
    /// with columns `symbol,expected_return`.
    ///
    /// - Throws: `FileError` for a symbol outside `assets` or listed twice, a value that is not
    ///   a finite number, or an asset of `assets` the file does not give.
    /// - Complexity: O(rows + assets).
    public static func expectedReturns(contentsOf url: URL, assets: [String]) throws(FileError) -> [Double] {
        try expectedReturns(HoldingsReader.readText(url), file: url.path, assets: assets)
    }

    /// Parses expected-returns CSV text; `file` names it in errors.
    public static func expectedReturns(_ text: String, file: String, assets: [String]) throws(FileError) -> [Double] {
        let table = try CSVTable(parsing: text, file: file)
        var issues = IssueCollector(file: file)
        let header = try header(table, file: file, expected: ["symbol", "expected_return"])
        var values = [Double?](repeating: nil, count: assets.count)
        var lines = [Int](repeating: 0, count: assets.count)
        let index = Dictionary(uniqueKeysWithValues: assets.enumerated().map { ($1, $0) })
        for record in table.records.dropFirst() where !record.isBlank {
            guard record.fields.count == 2 else {
                issues.add(line: record.line, column: 1, found: "\(record.fields.count) fields", expected: "2 fields: symbol,expected_return"); continue
            }
            guard let j = assetIndex(record.fields[0], index: index, header: header[0], issues: &issues) else { continue }
            if lines[j] != 0 {
                issues.add(line: record.line, column: 1, columnName: header[0], found: assets[j],
                           expected: "each symbol once (\(assets[j]) is also on line \(lines[j]))"); continue
            }
            lines[j] = record.line
            values[j] = number(record.fields[1], header: header[1], expected: "an annual return such as 0.07", issues: &issues)
        }
        let left = assets.indices.filter { lines[$0] == 0 }.map { assets[$0] }
        if !left.isEmpty {
            let shown = left.prefix(10).joined(separator: ", ") + (left.count > 10 ? " and \(left.count - 10) more" : "")
            issues.add(line: 0, column: 0, found: "", expected: "an expected return for \(shown) (in the prices file)")
        }
        try issues.check()
        return values.map { $0! }
    }

    /// A covariance matrix in the order of `assets`, from a CSV file whose header is
    /// `symbol,S1,S2,…` and whose rows are `Si,Σi1,Σi2,…` (the layout `folio covariance
    /// --format csv` writes). The file may list more symbols than `assets` and in another
    /// order; the matrix is read in the units the file has (annual, for Folio's commands).
    ///
    /// - Throws: `FileError` for a row or column symbol that is unknown, repeated or missing,
    ///   a value that is not a finite number, a non-positive variance, an asymmetric pair
    ///   (|Σij − Σji| above 1e-10 of the largest element, reported at Σij) or a matrix that is
    ///   not positive semidefinite (reported for the whole file, with its smallest eigenvalue).
    /// - Complexity: O(K²) for K symbols in the file, plus O(N³) for the definiteness check.
    public static func covariance(contentsOf url: URL, assets: [String]) throws(FileError) -> Matrix {
        try covariance(HoldingsReader.readText(url), file: url.path, assets: assets)
    }

    /// Parses covariance CSV text; `file` names it in errors.
    public static func covariance(_ text: String, file: String, assets: [String]) throws(FileError) -> Matrix {
        let table = try CSVTable(parsing: text, file: file)
        var issues = IssueCollector(file: file)
        guard let header = table.records.first, header.fields.count >= 2 else {
            throw FileError(file: file, issues: [FileIssue(FileLocation(file: file, line: 1, column: 1), found: "",
                                                           expected: "a header: symbol followed by one column per symbol")])
        }
        let columns = header.fields.dropFirst().map { IdentifierText.symbol($0.text) ?? $0.text }
        var columnIndex: [String: Int] = [:]
        for (k, field) in header.fields.dropFirst().enumerated() {
            if IdentifierText.symbol(field.text) == nil || columnIndex[columns[k]] != nil {
                issues.add(line: header.line, column: field.number, found: field.text,
                           expected: columnIndex[columns[k]] != nil ? "each symbol once" : IdentifierText.symbolSyntax)
            }
            columnIndex[columns[k]] = k
        }
        let k = columns.count
        var full = [[Double]](repeating: [Double](repeating: .nan, count: k), count: k)
        var rowLine = [Int](repeating: 0, count: k)
        for record in table.records.dropFirst() where !record.isBlank {
            guard record.fields.count == k + 1 else {
                issues.add(line: record.line, column: 1, found: "\(record.fields.count) fields",
                           expected: "\(k + 1) fields, as in the header"); continue
            }
            let symbol = IdentifierText.symbol(record.fields[0].text) ?? record.fields[0].text
            guard let i = columnIndex[symbol] else {
                issues.add(line: record.line, column: 1, columnName: header.fields[0].text, found: record.fields[0].text,
                           expected: "a symbol of the header row"); continue
            }
            if rowLine[i] != 0 {
                issues.add(line: record.line, column: 1, columnName: header.fields[0].text, found: symbol,
                           expected: "each row once (\(symbol) is also on line \(rowLine[i]))"); continue
            }
            rowLine[i] = record.line
            for (c, field) in record.fields.dropFirst().enumerated() {
                full[i][c] = number(field, header: columns[c], expected: "a covariance such as 0.0123", issues: &issues) ?? .nan
            }
        }
        for (i, line) in rowLine.enumerated() where line == 0 && columnIndex[columns[i]] == i {
            issues.add(line: 0, column: 0, found: "", expected: "a row for \(columns[i]) (it is a column of the header)")
        }
        let position = assets.map { columnIndex[$0] ?? -1 }
        let left = assets.indices.filter { position[$0] < 0 }.map { assets[$0] }
        if !left.isEmpty {
            let shown = left.prefix(10).joined(separator: ", ") + (left.count > 10 ? " and \(left.count - 10) more" : "")
            issues.add(line: header.line, column: 0, found: "", expected: "a row and column for \(shown) (in the prices file)")
        }
        try issues.check()
        let largest = full.joined().reduce(0) { Swift.max($0, Swift.abs($1)) }
        for (j, c) in position.enumerated() {
            if !(full[c][c] > 0) {
                issues.add(line: rowLine[c], column: c + 2, columnName: assets[j], found: String(full[c][c]),
                           expected: "a positive variance for \(assets[j])")
            }
            for c2 in position where c2 > c && Swift.abs(full[c][c2] - full[c2][c]) > 1e-10 * largest {
                issues.add(line: rowLine[c], column: c2 + 2, columnName: columns[c2], found: String(full[c][c2]),
                           expected: "a symmetric matrix: \(columns[c2]),\(columns[c]) on line \(rowLine[c2]) is \(full[c2][c])")
            }
        }
        try issues.check()
        let n = assets.count
        var matrix = Matrix(rows: n, columns: n)
        for j in 0..<n { for i in 0..<n { matrix[i, j] = 0.5 * (full[position[i]][position[j]] + full[position[j]][position[i]]) } }
        let definiteness: Definiteness
        do { definiteness = try CovarianceDiagnostics.definiteness(matrix) } catch {
            throw FileError(file: file, issues: [FileIssue(FileLocation(file: file), found: "", expected: "a covariance matrix (\(error))")])
        }
        if case .indefinite(let smallest) = definiteness {
            throw FileError(file: file, issues: [FileIssue(FileLocation(file: file), found: "smallest eigenvalue \(smallest)",
                                                           expected: "a positive semidefinite covariance matrix")])
        }
        return matrix
    }

    /// Black-Litterman views from a CSV file with columns `symbol,versus,return,confidence`:
    /// an absolute view when `versus` is empty ("symbol returns `return`"), a relative one
    /// otherwise ("symbol beats versus by `return`"); `confidence` in [0, 1] (Idzorek) is
    /// given on every view or on none. `versus` and `confidence` may be left out.
    ///
    /// - Throws: `FileError` for a symbol outside `assets` (naming its line and column), a
    ///   view of a symbol against itself, a return that is not a finite number, a confidence
    ///   outside [0, 1], or confidences on some views only.
    /// - Complexity: O(rows).
    public static func views(contentsOf url: URL, assets: [String]) throws(FileError) -> [BlackLittermanView] {
        try views(HoldingsReader.readText(url), file: url.path, assets: assets)
    }

    /// Parses views CSV text; `file` names it in errors.
    public static func views(_ text: String, file: String, assets: [String]) throws(FileError) -> [BlackLittermanView] {
        let table = try CSVTable(parsing: text, file: file)
        var issues = IssueCollector(file: file)
        guard let head = table.records.first else {
            throw FileError(file: file, issues: [FileIssue(FileLocation(file: file, line: 1, column: 1), found: "",
                                                           expected: "a header: symbol,versus,return,confidence")])
        }
        let names = head.fields.map { CSVColumns<HoldingsReader.Field>.normalize($0.text) }
        let symbolColumn = names.firstIndex(of: "symbol"), returnColumn = names.firstIndex(of: "return")
        let versusColumn = names.firstIndex(of: "versus"), confidenceColumn = names.firstIndex(of: "confidence")
        guard let symbolColumn, let returnColumn else {
            throw FileError(file: file, issues: [FileIssue(FileLocation(file: file, line: head.line, column: 1),
                found: head.fields.map(\.text).joined(separator: ","), expected: "a header with symbol and return columns (versus and confidence optional)")])
        }
        let index = Dictionary(uniqueKeysWithValues: assets.enumerated().map { ($1, $0) })
        var views: [BlackLittermanView] = []
        var withConfidence: [Int] = [], withoutConfidence: [Int] = []
        for record in table.records.dropFirst() where !record.isBlank {
            guard record.fields.count == head.fields.count else {
                issues.add(line: record.line, column: 1, found: "\(record.fields.count) fields", expected: "\(head.fields.count) fields, as in the header"); continue
            }
            let symbol = assetIndex(record.fields[symbolColumn], index: index, header: head.fields[symbolColumn].text, issues: &issues)
            var versus: Int? = nil
            if let versusColumn, !record.fields[versusColumn].text.isEmpty {
                versus = assetIndex(record.fields[versusColumn], index: index, header: head.fields[versusColumn].text, issues: &issues)
                if versus == nil { continue }
                if versus == symbol {
                    issues.add(line: record.line, column: versusColumn + 1, columnName: head.fields[versusColumn].text,
                               found: record.fields[versusColumn].text, expected: "another symbol than the view's own"); continue
                }
            }
            let value = number(record.fields[returnColumn], header: head.fields[returnColumn].text,
                               expected: "an annual return such as 0.05", issues: &issues)
            var confidence: Double? = nil
            if let confidenceColumn, !record.fields[confidenceColumn].text.isEmpty {
                let field = record.fields[confidenceColumn]
                confidence = number(field, header: head.fields[confidenceColumn].text, expected: "a confidence in [0, 1]", issues: &issues)
                if let c = confidence, !(c >= 0 && c <= 1) {
                    issues.add(line: record.line, column: field.number, columnName: head.fields[confidenceColumn].text,
                               found: field.text, expected: "a confidence in [0, 1]")
                    confidence = nil
                }
                if confidence == nil { continue }
                withConfidence.append(record.line)
            } else {
                withoutConfidence.append(record.line)
            }
            guard let symbol, let value else { continue }
            if let versus {
                views.append(.relative(assets[symbol], over: assets[versus], by: value, confidence: confidence))
            } else {
                views.append(.absolute(assets[symbol], value, confidence: confidence))
            }
        }
        if !withConfidence.isEmpty, let line = withoutConfidence.first {
            issues.add(line: line, column: (confidenceColumn ?? 0) + 1, found: "",
                       expected: "a confidence, as on line \(withConfidence[0]): give confidences on every view or on none")
        }
        if views.isEmpty && issues.issues.isEmpty {
            issues.add(line: 0, column: 0, found: "", expected: "at least one view")
        }
        try issues.check()
        return views
    }

    /// Checks a two-column header against the expected names.
    private static func header(_ table: CSVTable, file: String, expected: [String]) throws(FileError) -> [String] {
        guard let head = table.records.first,
              head.fields.map({ CSVColumns<HoldingsReader.Field>.normalize($0.text) }) == expected.map({ CSVColumns<HoldingsReader.Field>.normalize($0) })
        else {
            throw FileError(file: file, issues: [FileIssue(FileLocation(file: file, line: table.records.first?.line ?? 1, column: 1),
                found: table.records.first.map { $0.fields.map(\.text).joined(separator: ",") } ?? "",
                expected: "the header \(expected.joined(separator: ","))")])
        }
        return head.fields.map(\.text)
    }

    /// The index of the symbol in `field`, or nil after reporting it.
    private static func assetIndex(_ field: CSVTable.Field, index: [String: Int], header: String,
                                   issues: inout IssueCollector) -> Int? {
        guard let symbol = IdentifierText.symbol(field.text) else {
            issues.add(line: field.line, column: field.number, columnName: header, found: field.text, expected: IdentifierText.symbolSyntax)
            return nil
        }
        guard let j = index[symbol] else {
            issues.add(line: field.line, column: field.number, columnName: header, found: field.text,
                       expected: "a symbol of the prices file")
            return nil
        }
        return j
    }

    /// A finite number (plain or scientific notation), or nil after reporting it.
    private static func number(_ field: CSVTable.Field, header: String, expected: String,
                               issues: inout IssueCollector) -> Double? {
        if let value = NumberText.double(field.text), value.isFinite { return value }
        let text = field.text.trimmingCharacters(in: .whitespaces)
        if text.allSatisfy({ "0123456789+-.eE".contains($0) }), let value = Double(text), value.isFinite { return value }
        issues.add(line: field.line, column: field.number, columnName: header, found: field.text, expected: expected)
        return nil
    }
}
