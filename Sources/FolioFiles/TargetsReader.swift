import Foundation
import FolioRebalancing

/// Reads a targets file (YAML or JSON), in one of two forms.
///
/// By security, weights as fractions (`0.45`; a `%` sign is an error), `CASH` allowed:
/// ```yaml
/// targets:
///   VTI: 0.45
///   VXUS: 0.15
///   BND: 0.35
///   CASH: 0.05
/// ```
/// By asset class, each with the security that implements it and alternates:
/// ```yaml
/// asset_classes:
///   us-equity: {weight: 0.60, primary: VTI, alternates: [ITOT]}
///   bonds:     {weight: 0.40, primary: BND}
/// ```
/// Weights must sum to 1 within 1e-6; they are never rescaled. An optional top-level
/// `name: Whitcombe-Ferris household` names the household (reports use it as their title).
public enum TargetsReader {
    /// A targets file as read: the target and the household's name when the file gives one.
    public struct Document: Sendable, Hashable {
        /// The target allocation.
        public var target: TargetAllocation
        /// The file's `name:` (a household or client name, as written), or nil.
        public var name: String?
    }

    /// The tolerance on the sum of weights.
    public static let sumTolerance = 1e-6

    /// Reads the targets file at `url`.
    ///
    /// - Throws: `FileError` naming every bad weight, unknown key, and a sum that is not 1.
    public static func read(contentsOf url: URL) throws(FileError) -> TargetAllocation {
        try parse(HoldingsReader.readText(url), file: url.path)
    }

    /// Reads the targets file at `url` with its `name:`.
    ///
    /// - Throws: `FileError` naming every bad weight, unknown key, an empty or non-text name,
    ///   and a sum that is not 1.
    /// - Complexity: O(file size).
    public static func readDocument(contentsOf url: URL) throws(FileError) -> Document {
        try parseDocument(HoldingsReader.readText(url), file: url.path)
    }

    /// Parses targets YAML or JSON text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(FileError) -> TargetAllocation {
        try parseDocument(text, file: file).target
    }

    /// Parses targets YAML or JSON text with its `name:`; `file` names it in errors.
    ///
    /// - Complexity: O(text length).
    public static func parseDocument(_ text: String, file: String) throws(FileError) -> Document {
        var name: String? = nil
        var doc = try YAMLDocument(parsing: text, file: file)
        guard let top = doc.mapping(doc.root, "a mapping with \"targets\" or \"asset_classes\"") else {
            try doc.check(); throw FileError(file: file, issues: [])
        }
        var result: TargetAllocation? = nil
        var sum = 0.0
        var sumLocation: YAMLValue? = nil
        // Weights outside [0, 1], reported after the loop: when every weight read sums to
        // 100 they were written as percentages, and one hint says so.
        var outOfRange: [YAMLValue?] = []
        var writtenSum = 0.0
        for entry in top {
            switch entry.key {
            case "targets":
                sumLocation = entry.keyValue
                var weights: [String: Double] = [:]
                for pair in doc.mapping(entry.value, "a mapping of symbol to weight") ?? [] {
                    guard let symbol = doc.symbol(pair.keyValue, IdentifierText.symbolSyntax) else { continue }
                    guard let weight = doc.double(pair.value, "a weight for \(symbol) as a fraction such as 0.45") else { continue }
                    writtenSum += weight
                    if weight < 0 || weight > 1 { outOfRange.append(pair.value); continue }
                    if weights[symbol] != nil { doc.report(pair.keyValue, expected: "each symbol once"); continue }
                    weights[symbol] = weight
                    sum += weight
                }
                result = .securities(weights)
            case "asset_classes", "assetClasses":
                sumLocation = entry.keyValue
                var sleeves: [TargetAllocation.Sleeve] = []
                for pair in doc.mapping(entry.value, "a mapping of asset class to {weight, primary, alternates}") ?? [] {
                    guard let fields = doc.mapping(pair.value, "weight and primary for \(pair.key)") else { continue }
                    let field = { (name: String) in fields.first(where: { $0.key == name })?.value }
                    for unknown in fields where !["weight", "primary", "alternates"].contains(unknown.key) {
                        doc.report(unknown.keyValue, expected: "weight, primary or alternates")
                    }
                    let weight = doc.double(field("weight"), "a weight for \(pair.key) as a fraction such as 0.45")
                    let primary = doc.symbol(field("primary") ?? pair.value, "a primary security for \(pair.key)")
                    var alternates: [String] = []
                    if let list = field("alternates") {
                        alternates = (doc.sequence(list, "a list of alternate symbols") ?? []).compactMap { doc.symbol($0, "a symbol") }
                    }
                    if let weight { writtenSum += weight }
                    guard let weight, let primary else { continue }
                    if weight < 0 || weight > 1 { outOfRange.append(field("weight")); continue }
                    sleeves.append(.init(assetClass: pair.key, weight: weight, primary: primary.uppercased(),
                                         alternates: alternates.map { $0.uppercased() }))
                    sum += weight
                }
                result = .assetClasses(sleeves)
            case "name":
                name = doc.string(entry.value, "a household or client name (text)")
            default:
                doc.report(entry.keyValue, expected: "\"name\", \"targets\" or \"asset_classes\"")
            }
        }
        let percentages = abs(writtenSum - 100) <= 100 * sumTolerance
        let percentHint = "; did you mean percentages? Write them as fractions (45% as 0.45)"
        for value in outOfRange {
            doc.report(value, expected: "a weight between 0 and 1" + (percentages ? percentHint : ""))
        }
        if result == nil { doc.report(doc.root, found: "", expected: "a \"targets\" or \"asset_classes\" mapping") }
        try doc.check()
        if abs(sum - 1) > sumTolerance {
            doc.report(sumLocation, found: String(format: "weights summing to %.6f", sum),
                       expected: "weights summing to 1 (within 1e-6); Folio does not rescale them" + (percentages ? percentHint : ""))
            try doc.check()
        }
        return Document(target: result!, name: name)
    }
}
