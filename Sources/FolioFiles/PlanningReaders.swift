import Foundation
import FolioPlanning
import FolioRebalancing

/// Reads the planning files (`Documentation/FileFormats.md`: capital-market-assumptions.yaml,
/// models.yaml), YAML or JSON. The bundled files equal `CapitalMarketAssumptions.illustrative`
/// and `ModelPortfolios.standard`.
///
/// Every check of the library types' `validate()` is made here too, each reported at the
/// place in the file that breaks it: a model whose weights do not sum to 1 at its category, an
/// unknown asset class at its key, a negative volatility at the number, a correlation matrix
/// that is not positive semi-definite at `correlations`.
public enum PlanningReader {
    /// Reads capital market assumptions.
    ///
    /// - Throws: `FileError` naming every problem with its line and column.
    /// - Complexity: O(*n*³) for *n* asset classes (the eigenvalue check of the correlations).
    public static func capitalMarketAssumptions(contentsOf url: URL) throws(FileError) -> CapitalMarketAssumptions {
        try parseCapitalMarketAssumptions(HoldingsReader.readText(url), file: url.path)
    }

    /// Parses capital market assumptions from YAML or JSON text; `file` names it in errors.
    ///
    /// - Throws: `FileError` naming every problem with its line and column.
    /// - Complexity: O(*n*³) for *n* asset classes.
    public static func parseCapitalMarketAssumptions(_ text: String, file: String) throws(FileError) -> CapitalMarketAssumptions {
        var doc = try YAMLDocument(parsing: text, file: file)
        let top = doc.fields(doc.root, "capital market assumptions: illustrative, asset_classes, correlations", allowed: [
            "illustrative", "name", "as_of", "currency", "horizon_years", "asset_classes", "correlations"])
        let illustrative = doc.bool(top["illustrative"], "illustrative: true or false (true for invented numbers)") ?? false
        let name = top["name"].flatMap { doc.string($0, "a name") } ?? ""
        let asOf = top["as_of"].flatMap { doc.date($0, "a date such as \"2025-12-31\"") }
        let currency = top["currency"].flatMap { doc.string($0, "a currency such as USD") } ?? "USD"
        var horizon: Int? = nil
        if let value = top["horizon_years"], let years = doc.int(value, "a number of years > 0") {
            if years > 0 { horizon = years } else { doc.report(value, expected: "a number of years > 0") }
        }
        var classes: [CapitalMarketAssumptions.AssetClass] = []
        var ids = Set<String>()
        for item in doc.sequence(top["asset_classes"], "a list of {id, expected_return, volatility}") ?? [] {
            let f = doc.fields(item, "an asset class: id, expected_return, volatility", allowed: ["id", "expected_return", "volatility"])
            let id = doc.string(f["id"], "an asset class id")
            if let id, !ids.insert(id).inserted { doc.report(f["id"], expected: "an asset class id used once") }
            let mean = doc.double(f["expected_return"], "an annual expected return such as 0.07")
            var volatility = doc.double(f["volatility"], "an annual volatility ≥ 0 such as 0.15")
            if let v = volatility, !(v >= 0) { doc.report(f["volatility"], expected: "an annual volatility ≥ 0 such as 0.15"); volatility = nil }
            if let id, let mean, let volatility { classes.append(.init(id: id, expectedReturn: mean, volatility: volatility)) }
        }
        let n = ids.count
        var rows: [[Double]] = []
        var entries: [[YAMLValue]] = []
        if let matrix = top["correlations"] ?? { doc.report(nil, expected: "correlations: one row per asset class"); return nil }(),
           let list = doc.sequence(matrix, "correlations: a list of rows, one per asset class") {
            if list.count != n { doc.report(matrix, found: "\(list.count) rows", expected: "\(n) rows, one per asset class") }
            for rowValue in list {
                guard let items = doc.sequence(rowValue, "a row of \(n) correlations") else { continue }
                if items.count != n { doc.report(rowValue, found: "\(items.count) entries", expected: "\(n) entries, one per asset class") }
                var row: [Double] = []
                for item in items {
                    guard let c = doc.double(item, "a correlation in [-1, 1]") else { row.append(.nan); continue }
                    if !(c >= -1 && c <= 1) { doc.report(item, expected: "a correlation in [-1, 1]") }
                    row.append(c)
                }
                rows.append(row)
                entries.append(items)
            }
            if rows.count == n && rows.allSatisfy({ $0.count == n }) {
                for i in 0..<n {
                    if rows[i][i] != 1 && !rows[i][i].isNaN { doc.report(entries[i][i], expected: "1 on the diagonal") }
                    for j in (i + 1)..<max(n, i + 1) where rows[i][j] != rows[j][i] && !rows[i][j].isNaN && !rows[j][i].isNaN {
                        doc.report(entries[j][i], expected: "\(rows[i][j]), the same as row \(i + 1) column \(j + 1) (symmetric)")
                    }
                }
            }
        }
        try doc.check()
        let assumptions = CapitalMarketAssumptions(
            isIllustrative: illustrative, name: name, asOf: asOf, currency: currency, horizonYears: horizon,
            assetClasses: classes, correlations: rows)
        do { try assumptions.validate() } catch {
            // Every per-entry check was made above; what is left concerns the whole matrix.
            doc.report(top["correlations"], found: "", expected: "a positive semi-definite correlation matrix (\(error))")
        }
        try doc.check()
        return assumptions
    }

    /// Reads model portfolios.
    ///
    /// - Throws: `FileError` naming every problem with its line and column.
    /// - Complexity: O(*c* · *n*) for *c* categories and *n* classes.
    public static func models(contentsOf url: URL) throws(FileError) -> ModelPortfolios {
        try parseModels(HoldingsReader.readText(url), file: url.path)
    }

    /// Parses model portfolios from YAML or JSON text; `file` names it in errors.
    ///
    /// - Throws: `FileError` naming every problem with its line and column.
    /// - Complexity: O(*c* · *n*) for *c* categories and *n* classes.
    public static func parseModels(_ text: String, file: String) throws(FileError) -> ModelPortfolios {
        var doc = try YAMLDocument(parsing: text, file: file)
        let top = doc.fields(doc.root, "models: asset_classes, risk_categories, models, glide_path",
                             allowed: ["asset_classes", "risk_categories", "models", "glide_path"])
        let categoryNames = RiskCategory.allCases.map(\.rawValue).joined(separator: ", ")
        var classes: [ModelPortfolios.AssetClassInfo] = []
        for pair in doc.mapping(top["asset_classes"], "asset_classes: class id -> {name, group, fund, alternates}") ?? [] {
            let f = doc.fields(pair.value, "an asset class: name, group, fund, alternates", allowed: ["name", "group", "fund", "alternates"])
            let name = f["name"].flatMap { doc.string($0, "a name") } ?? pair.key
            let group = doc.string(f["group"], "a group: equity, fixed-income, real-assets or cash").flatMap { text in
                AssetGroup(rawValue: text) ?? { doc.report(f["group"], expected: "equity, fixed-income, real-assets or cash"); return nil }()
            }
            let fund = doc.string(f["fund"], "the symbol of the fund implementing the class (CASH for cash)")?.uppercased()
            let alternates = (f["alternates"].flatMap { doc.sequence($0, "a list of symbols") } ?? [])
                .compactMap { doc.string($0, "a symbol")?.uppercased() }
            guard let group, let fund else { continue }
            classes.append(.init(id: pair.key, name: name, group: group, fund: fund, alternates: alternates))
        }
        let known = Set(classes.map(\.id))
        let categoryKey = { (doc: inout YAMLDocument, key: String, at: YAMLValue) -> RiskCategory? in
            guard let c = RiskCategory(rawValue: key) else { doc.report(at, found: key, expected: "a risk category: \(categoryNames)"); return nil }
            return c
        }
        var bands: [RiskCategory: VolatilityBand] = [:]
        let bandsValue = top["risk_categories"]
        for pair in doc.mapping(bandsValue, "risk_categories: category -> {min_volatility, max_volatility}") ?? [] {
            let category = categoryKey(&doc, pair.key, pair.keyValue)
            let f = doc.fields(pair.value, "a band: min_volatility, max_volatility", allowed: ["min_volatility", "max_volatility"])
            let low = doc.double(f["min_volatility"], "an annual volatility ≥ 0")
            let high = doc.double(f["max_volatility"], "an annual volatility above min_volatility")
            guard let category, let low, let high else { continue }
            guard low >= 0, low < high, high.isFinite else {
                doc.report(pair.value, found: "[\(low), \(high))", expected: "a band with 0 ≤ min_volatility < max_volatility"); continue
            }
            bands[category] = VolatilityBand(minimum: low, maximum: high)
        }
        var models: [RiskCategory: [String: Double]] = [:]
        let modelsValue = top["models"]
        for pair in doc.mapping(modelsValue, "models: category -> (class id -> weight)") ?? [] {
            let category = categoryKey(&doc, pair.key, pair.keyValue)
            var mix: [String: Double] = [:]
            var sum = 0.0
            for weight in doc.mapping(pair.value, "class id -> weight") ?? [] {
                if !known.contains(weight.key) {
                    doc.report(weight.keyValue, found: weight.key, expected: "an asset class listed in asset_classes"); continue
                }
                guard let w = doc.double(weight.value, "a weight in [0, 1]") else { continue }
                guard w >= 0 && w <= 1 else { doc.report(weight.value, expected: "a weight in [0, 1]"); continue }
                mix[weight.key] = w
                sum += w
            }
            if abs(sum - 1) > 1e-6 {
                doc.report(pair.keyValue, found: pair.key, expected: "weights that sum to 1 (they sum to \(sum))")
            }
            if let category { models[category] = mix }
        }
        for category in RiskCategory.allCases {
            if bandsValue != nil, bands[category] == nil { doc.report(bandsValue, found: "", expected: "a band for \(category.rawValue)") }
            if modelsValue != nil, models[category] == nil { doc.report(modelsValue, found: "", expected: "a model for \(category.rawValue)") }
        }
        var glidePath: GlidePath? = nil
        if let g = top["glide_path"] {
            let f = doc.fields(g, "glide_path: apply, interpolation, points", allowed: ["apply", "interpolation", "points"])
            let apply = f["apply"].flatMap { v in
                doc.string(v, "cap or replace").flatMap { GlidePath.Application(rawValue: $0) ?? { doc.report(v, expected: "cap or replace"); return nil }() }
            } ?? .cap
            let interpolation = f["interpolation"].flatMap { v in
                doc.string(v, "linear or step").flatMap { GlidePath.Interpolation(rawValue: $0) ?? { doc.report(v, expected: "linear or step"); return nil }() }
            } ?? .linear
            let items = doc.sequence(f["points"], "a list of {years_to_goal, equity_share}") ?? []
            var points: [GlidePath.Point] = []
            for item in items {
                let p = doc.fields(item, "a point: years_to_goal, equity_share", allowed: ["years_to_goal", "equity_share"])
                guard let years = doc.double(p["years_to_goal"], "years to the goal ≥ 0"),
                      let share = doc.double(p["equity_share"], "an equity share in [0, 1]") else { continue }
                points.append(.init(yearsToGoal: years, equityShare: share))
            }
            let path = GlidePath(points: points, interpolation: interpolation, application: apply)
            if points.count == items.count {
                do { try path.validate() } catch {
                    switch error {
                    case .empty: doc.report(f["points"], expected: "at least one point")
                    case .invalidPoint(let index, let reason): doc.report(items[index], found: "point \(index + 1)", expected: "a valid point (\(reason))")
                    }
                }
            }
            glidePath = path
        }
        try doc.check()
        let result = ModelPortfolios(assetClasses: classes, riskBands: bands, models: models, glidePath: glidePath)
        do { try result.validate() } catch {
            // Each check was made above with its place; this catches what they missed.
            doc.report(doc.root, found: "", expected: "valid model portfolios (\(error))")
        }
        try doc.check()
        return result
    }
}
