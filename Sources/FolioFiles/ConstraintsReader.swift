import Foundation
import FolioOptimization

/// Reads an optimizer constraints file (YAML or JSON) into `PortfolioConstraints` for a given
/// asset order. Every key is optional:
///
/// ```yaml
/// budget: 1.0                 # net exposure; null for none (default 1, fully invested)
/// bounds: {min: 0, max: 0.25} # every asset (default 0..1, long-only)
/// assets:                     # per-asset bounds, replacing `bounds` for those assets
///   FUSLC: {min: 0.05, max: 0.40}
/// groups:                     # sector / asset-class limits on the sum of weights
///   equities: {assets: [FUSLC, FUSSC, FINTL], min: 0.3, max: 0.7}
/// max_gross_leverage: 1.5     # Σ|w| cap (with shorts)
/// l2_regularization: 0.01     # γ‖w‖² added to the objective
/// turnover: 0.30              # Σ|wᵢ − currentᵢ| ≤ 0.30 (needs current weights)
/// transaction_costs: 10       # bps of traded weight, flat; or per asset:
///                             # {default: 10, FEMKT: 25} (needs current weights)
/// linear:                     # rows a·w ≤ / = / ≥ b over symbols or group names
///   - {name: tilt, terms: {FUSLC: 1, FUSSC: -1}, max: 0.2}
///   - {terms: {equities: 1}, equals: 0.6}   # a group name spreads its coefficient over its members
/// ```
/// Unknown keys, unknown symbols and `min > max` are errors naming their line and column;
/// so are `turnover` and `transaction_costs` when no current weights are given.
///
/// Transaction costs enter the objective in its own units (Σ rateᵢ·|wᵢ − currentᵢ| with
/// rate = bps / 10,000): a return for maximum utility, a variance for minimum variance,
/// PyPortfolioOpt's `objective_functions.transaction_cost` convention.
public enum ConstraintsReader {
    /// Reads the constraints file at `url` for assets in the order `assets`.
    ///
    /// - Parameters:
    ///   - url: the YAML or JSON file.
    ///   - assets: the symbols, in the order of the weights.
    ///   - currentWeights: the current weights (one per asset), the reference of `turnover`
    ///     and `transaction_costs`; nil when the caller has none.
    /// - Throws: `FileError` listing every problem with its line and column.
    /// - Complexity: O(file size + assets × linear rows).
    public static func read(contentsOf url: URL, assets: [String], currentWeights: [Double]? = nil) throws(FileError) -> PortfolioConstraints {
        try parse(HoldingsReader.readText(url), file: url.path, assets: assets, currentWeights: currentWeights)
    }

    /// Parses constraints text; `file` names it in errors.
    ///
    /// - Precondition: `currentWeights`, when given, has one weight per asset.
    /// - Complexity: O(text length + assets × linear rows).
    public static func parse(_ text: String, file: String, assets: [String], currentWeights: [Double]? = nil) throws(FileError) -> PortfolioConstraints {
        precondition(currentWeights == nil || currentWeights!.count == assets.count, "One current weight per asset")
        var doc = try YAMLDocument(parsing: text, file: file)
        var constraints = PortfolioConstraints.longOnly
        guard let root = doc.root, !root.isNull else { return constraints }
        let top = doc.fields(root, "a mapping of constraints", allowed: ["budget", "bounds", "assets", "groups",
                                                                         "max_gross_leverage", "l2_regularization",
                                                                         "turnover", "transaction_costs", "linear"])
        // An asset named twice (the price readers refuse it) is found at its first column rather than trap.
        let index = Dictionary(assets.enumerated().map { (IdentifierText.symbol($1) ?? $1, $0) }, uniquingKeysWith: { first, _ in first })
        func range(_ value: YAMLValue, default fallback: ClosedRange<Double>) -> ClosedRange<Double>? {
            let f = doc.fields(value, "{min, max}", allowed: ["min", "max"])
            let low = f["min"].flatMap { doc.double($0, "a lower bound such as 0") } ?? fallback.lowerBound
            let high = f["max"].flatMap { doc.double($0, "an upper bound such as 0.25") } ?? fallback.upperBound
            guard low <= high else { doc.report(value, found: "min \(low) > max \(high)", expected: "min ≤ max"); return nil }
            return low...high
        }
        if let b = top["budget"] { constraints.budget = b.isNull ? nil : doc.double(b, "a net exposure such as 1 or 0") }
        if let b = top["bounds"], let r = range(b, default: 0...1) { constraints.bounds = r }
        if let a = top["assets"] {
            var perAsset = Array(repeating: constraints.bounds, count: assets.count)
            for pair in doc.mapping(a, "symbol -> {min, max}") ?? [] {
                guard let i = lookup(pair.key, index) else {
                    doc.report(pair.keyValue, expected: "a symbol of the prices file"); continue
                }
                if let r = range(pair.value, default: constraints.bounds) { perAsset[i] = r }
            }
            constraints.assetBounds = perAsset
        }
        for pair in top["groups"].flatMap({ doc.mapping($0, "group name -> {assets, min, max}") }) ?? [] {
            let f = doc.fields(pair.value, "{assets, min, max}", allowed: ["assets", "min", "max"])
            var members: [Int] = []
            for symbol in doc.sequence(f["assets"], "a list of symbols") ?? [] {
                guard let s = doc.string(symbol, "a symbol") else { continue }
                if let i = lookup(s, index) { members.append(i) } else { doc.report(symbol, expected: "a symbol of the prices file") }
            }
            // A side left out is the sum of the members' own bounds: never binding, and of the
            // problem's scale (a huge stand-in such as 1e6 upsets the solver's scaling).
            let memberBounds = members.map { constraints.assetBounds?[$0] ?? constraints.bounds }
            let low = f["min"].flatMap { doc.double($0, "a lower bound") } ?? memberBounds.reduce(0) { $0 + $1.lowerBound }
            let high = f["max"].flatMap { doc.double($0, "an upper bound") } ?? memberBounds.reduce(0) { $0 + $1.upperBound }
            guard low <= high else { doc.report(pair.value, found: "min \(low) > max \(high)", expected: "min ≤ max"); continue }
            if !members.isEmpty { constraints.groups.append(GroupConstraint(name: pair.key, assets: members, bounds: low...high)) }
        }
        if let g = top["max_gross_leverage"] { constraints.grossLeverage = doc.double(g, "a leverage cap such as 1.5") }
        if let l = top["l2_regularization"] { constraints.l2Regularization = doc.double(l, "γ ≥ 0") ?? 0 }
        readTrading(top, into: &constraints, doc: &doc, index: index, assetCount: assets.count, currentWeights: currentWeights)
        readLinear(top["linear"], into: &constraints, doc: &doc, index: index, assetCount: assets.count)
        try doc.check()
        return constraints
    }
}

extension ConstraintsReader {
    /// The column of the symbol `text` names (trimmed, NFC, upper-cased as the price readers do).
    static func lookup(_ text: String, _ index: [String: Int]) -> Int? {
        index[IdentifierText.symbol(text) ?? text] ?? index[text.uppercased()]
    }

    /// `turnover` and `transaction_costs`: both need the current weights.
    static func readTrading(_ top: [String: YAMLValue], into constraints: inout PortfolioConstraints, doc: inout YAMLDocument,
                            index: [String: Int], assetCount n: Int, currentWeights: [Double]?) {
        let needsCurrent = "current weights to trade from (optimize --current FILE)"
        if let t = top["turnover"], let limit = doc.double(t, "a turnover cap such as 0.3 (Σ|w − current|)") {
            if limit < 0 { doc.report(t, expected: "a turnover cap ≥ 0") } else if currentWeights == nil { doc.report(t, expected: needsCurrent) }
            else { constraints.turnoverLimit = limit }
        }
        guard let c = top["transaction_costs"] else { return }
        var bps = [Double](repeating: 0, count: n)
        func rate(_ value: YAMLValue) -> Double? {
            guard let r = doc.double(value, "a cost in basis points such as 10") else { return nil }
            guard r >= 0 else { doc.report(value, expected: "a cost in basis points ≥ 0"); return nil }
            return r
        }
        if case .scalar = c.node {
            guard let flat = rate(c) else { return }
            bps = Array(repeating: flat, count: n)
        } else {
            let pairs = doc.mapping(c, "basis points, flat (10) or per asset ({default: 10, SYMBOL: 25})") ?? []
            if let d = pairs.first(where: { $0.key == "default" }), let flat = rate(d.value) { bps = Array(repeating: flat, count: n) }
            for pair in pairs where pair.key != "default" {
                guard let i = lookup(pair.key, index) else { doc.report(pair.keyValue, expected: "a symbol of the prices file or default"); continue }
                if let r = rate(pair.value) { bps[i] = r }
            }
        }
        guard currentWeights != nil else { doc.report(c, found: "transaction_costs", expected: needsCurrent); return }
        constraints.transactionCosts = bps.map { $0 / 10_000 }
    }

    /// `linear`: a list of rows `{name, terms: {SYMBOL or group: coefficient}, min, max, equals}`.
    static func readLinear(_ value: YAMLValue?, into constraints: inout PortfolioConstraints, doc: inout YAMLDocument, index: [String: Int], assetCount n: Int) {
        guard let value else { return }
        let groups = Dictionary(constraints.groups.map { ($0.name, $0.assets) }, uniquingKeysWith: { first, _ in first })
        for (k, row) in (doc.sequence(value, "a list of rows {terms: {SYMBOL: coefficient}, max: b}") ?? []).enumerated() {
            let f = doc.fields(row, "{name, terms, min, max, equals}", allowed: ["name", "terms", "min", "max", "equals"])
            let name = f["name"].flatMap { doc.string($0, "a name for messages") } ?? "linear row \(k + 1)"
            var a = [Double](repeating: 0, count: n)
            let terms = doc.mapping(f["terms"], "terms: {SYMBOL or group: coefficient}") ?? []
            if terms.isEmpty, let t = f["terms"] { doc.report(t, expected: "at least one term") }
            for pair in terms {
                guard let coefficient = doc.double(pair.value, "a coefficient such as 1 or -0.5") else { continue }
                if let i = lookup(pair.key, index) { a[i] += coefficient }
                else if let members = groups[pair.key] { for i in members { a[i] += coefficient } }
                else { doc.report(pair.keyValue, expected: "a symbol of the prices file or a group of this file") }
            }
            let low = f["min"].flatMap { doc.double($0, "a lower limit on a·w") }
            let high = f["max"].flatMap { doc.double($0, "an upper limit on a·w") }
            let equal = f["equals"].flatMap { doc.double($0, "the value of a·w") }
            if equal != nil && (low != nil || high != nil) { doc.report(row, found: "equals with min or max", expected: "equals alone, or min and/or max"); continue }
            if equal == nil && low == nil && high == nil && f["min"] == nil && f["max"] == nil && f["equals"] == nil {
                doc.report(row, expected: "a limit: min, max or equals"); continue
            }
            if let low, let high, low > high { doc.report(row, found: "min \(low) > max \(high)", expected: "min ≤ max"); continue }
            if let equal { constraints.linear.append(LinearConstraint(name: name, coefficients: a, relation: .equal, bound: equal)) }
            if let low { constraints.linear.append(LinearConstraint(name: "\(name) (min)", coefficients: a, relation: .greaterThanOrEqual, bound: low)) }
            if let high { constraints.linear.append(LinearConstraint(name: "\(name) (max)", coefficients: a, relation: .lessThanOrEqual, bound: high)) }
        }
    }
}
