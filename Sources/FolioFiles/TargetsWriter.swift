import Foundation
import FolioRebalancing

/// Writes weights as a targets file by security (the form ``TargetsReader`` reads and
/// `folio rebalance --targets` takes).
///
/// Weights are written with 10 decimals; weights below 5e-11 in size are left out; the
/// rounding remainder goes to the largest weight so the written weights sum to exactly 1 in
/// decimal. When the weights sum to less than 1 (a budget below 1), the rest is `CASH`.
/// Keys are quoted, so a symbol such as `1E5` or `BRK/B` stays text.
public enum TargetsWriter: Sendable {
    /// Why weights cannot be a targets file.
    public enum WriteError: Error, Equatable, CustomStringConvertible {
        /// A short position: targets are long-only fractions.
        case shortPosition(symbol: String, weight: Double)
        /// The weights sum to more than 1 (leverage) or are not finite.
        case weightsExceedOne(sum: Double)

        /// One line naming the problem.
        public var description: String {
            switch self {
            case .shortPosition(let symbol, let weight):
                "\(symbol) has weight \(weight): a targets file holds long-only weights (no shorts)"
            case .weightsExceedOne(let sum):
                "the weights sum to \(sum): a targets file's weights sum to 1 (no leverage)"
            }
        }
    }

    /// The targets YAML for `weights` (symbol, weight), in the given order.
    ///
    /// - Parameters:
    ///   - weights: symbols and fractions; `CASH` allowed.
    ///   - name: an optional `name:` line (a household or portfolio name).
    ///   - comment: optional comment lines written first (`# ` is added).
    /// - Throws: ``WriteError`` for a short weight or a sum above 1 (beyond 1e-6).
    /// - Complexity: O(n).
    public static func text(weights: [(symbol: String, weight: Double)], name: String? = nil, comment: [String] = []) throws(WriteError) -> String {
        var lines: [(String, Decimal)] = []
        for (symbol, weight) in weights {
            guard weight.isFinite else { throw .weightsExceedOne(sum: weight) }
            if weight < -TargetsReader.sumTolerance { throw .shortPosition(symbol: symbol, weight: weight) }
            let rounded = Decimal(string: String(format: "%.10f", Swift.max(weight, 0)))!
            guard rounded > 0 else { continue }
            if let k = lines.firstIndex(where: { $0.0 == symbol }) { lines[k].1 += rounded } else { lines.append((symbol, rounded)) }
        }
        let sum = lines.reduce(Decimal(0)) { $0 + $1.1 }
        let tolerance = Decimal(string: "0.000001")!
        if sum > 1 + tolerance { throw .weightsExceedOne(sum: NSDecimalNumber(decimal: sum).doubleValue) }
        if sum < 1 - tolerance {
            if let k = lines.firstIndex(where: { $0.0 == "CASH" }) { lines[k].1 += 1 - sum } else { lines.append(("CASH", 1 - sum)) }
        } else if sum != 1, let k = lines.indices.max(by: { lines[$0].1 < lines[$1].1 }) {
            lines[k].1 += 1 - sum
        }
        var out = comment.map { "# " + $0.replacingOccurrences(of: "\n", with: " ") + "\n" }.joined()
        if let name { out += "name: \(quoted(name))\n" }
        out += "targets:\n"
        for (symbol, weight) in lines { out += "  \(quoted(symbol)): \(NSDecimalNumber(decimal: weight).stringValue)\n" }
        return out
    }

    /// `text` as a double-quoted YAML (JSON) string.
    static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes ``text(weights:name:comment:)`` to `url` atomically (a temporary file renamed).
    ///
    /// - Throws: `FileError` when the weights cannot be a targets file or the file cannot be written.
    /// - Complexity: O(n).
    public static func write(weights: [(symbol: String, weight: Double)], name: String? = nil, comment: [String] = [],
                             to url: URL) throws(FileError) {
        let document: String
        do { document = try text(weights: weights, name: name, comment: comment) } catch {
            throw FileError(file: url.path, issues: [FileIssue(FileLocation(file: url.path), found: "", expected: error.description)])
        }
        do { try AtomicFile.write(document, to: url) } catch {
            throw FileError.unreadable(url.path, reason: "cannot write: \(error)")
        }
    }
}

/// Whole allocations (asset-class sleeves or security weights), as `folio profile
/// --write-targets` writes a category's model portfolio.
extension TargetsWriter {
    /// The targets file text.
    /// - Parameters:
    ///   - target: The allocation.
    ///   - name: The file's `name:` (a household or client name), or `nil`.
    ///   - comment: Lines written as `# ` comments at the top (e.g. where the target came from).
    /// - Returns: YAML text.
    /// - Complexity: O(number of classes or securities).
    public static func text(_ target: TargetAllocation, name: String? = nil, comment: [String] = []) -> String {
        var out = comment.map { "# " + $0.replacingOccurrences(of: "\n", with: " ") + "\n" }.joined()
        if let name { out += "name: \(quoted(name))\n" }
        if target.sleeves.isEmpty {
            out += "targets:\n"
            for w in target.securityWeights { out += "  \(quoted(w.symbol)): \(w.weight)\n" }
        } else {
            out += "asset_classes:\n"
            for s in target.sleeves {
                out += "  \(quoted(s.assetClass)):\n    weight: \(s.weight)\n    primary: \(quoted(s.primary))\n"
                if !s.alternates.isEmpty { out += "    alternates: [\(s.alternates.map(quoted).joined(separator: ", "))]\n" }
            }
        }
        return out
    }

    /// Writes the targets file to `url` atomically (a temporary file renamed into place).
    /// - Parameters:
    ///   - target: The allocation.
    ///   - url: The destination.
    ///   - name: The file's `name:`, or `nil`.
    ///   - comment: Comment lines for the top of the file.
    /// - Throws: `AtomicFile.WriteError` naming the file and the reason.
    /// - Complexity: O(number of classes or securities), plus one `fsync`.
    public static func write(_ target: TargetAllocation, to url: URL, name: String? = nil, comment: [String] = []) throws(AtomicFile.WriteError) {
        try AtomicFile.write(text(target, name: name, comment: comment), to: url)
    }
}
