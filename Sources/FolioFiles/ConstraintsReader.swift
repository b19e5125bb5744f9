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
/// ```
/// Unknown keys, unknown symbols and `min > max` are errors naming their line and column.
public enum ConstraintsReader {
    /// Reads the constraints file at `url` for assets in the order `assets`.
    ///
    /// - Throws: `FileError` listing every problem with its line and column.
    public static func read(contentsOf url: URL, assets: [String]) throws(FileError) -> PortfolioConstraints {
        try parse(HoldingsReader.readText(url), file: url.path, assets: assets)
    }

    /// Parses constraints text; `file` names it in errors.
    public static func parse(_ text: String, file: String, assets: [String]) throws(FileError) -> PortfolioConstraints {
        var doc = try YAMLDocument(parsing: text, file: file)
        var constraints = PortfolioConstraints.longOnly
        guard let root = doc.root, !root.isNull else { return constraints }
        let top = doc.fields(root, "a mapping of constraints", allowed: ["budget", "bounds", "assets", "groups",
                                                                         "max_gross_leverage", "l2_regularization"])
        // An asset named twice (the price readers refuse it) is found at its first column rather than trap.
        let index = Dictionary(assets.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
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
                guard let i = index[pair.key.uppercased()] else {
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
                if let i = index[s.uppercased()] { members.append(i) } else { doc.report(symbol, expected: "a symbol of the prices file") }
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
        try doc.check()
        return constraints
    }
}
