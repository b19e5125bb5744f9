import Foundation
import FolioRebalancing

/// Writes a targets file that ``TargetsReader`` reads back to the same allocation: YAML with a
/// comment header, an optional `name:`, and the `asset_classes:` or `targets:` form of the
/// allocation. Keys and names are double-quoted with JSON escapes (valid YAML), so any class id,
/// symbol or name survives; weights are written in Swift's shortest round-trip form, so they
/// read back bit for bit and still sum to 1 within ``TargetsReader/sumTolerance``.
public enum TargetsWriter {
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

    /// A YAML double-quoted scalar: JSON string escaping is a subset of YAML's.
    static func quoted(_ s: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = (try? encoder.encode(s)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
