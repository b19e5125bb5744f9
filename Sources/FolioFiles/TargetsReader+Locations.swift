import Foundation

extension TargetsReader {
    /// Where each entry of a targets file is written: the line and column of every key under
    /// `targets:` (by symbol, as the reader spells it: NFC, upper-cased) and `asset_classes:`
    /// (by class id, NFC), so that a later check can name the line of a class or symbol it
    /// does not know.
    /// - Parameter url: The targets file (already read successfully by ``read(contentsOf:)``).
    /// - Returns: Location per symbol or class id; the first occurrence when a key repeats.
    /// - Throws: `FileError` when the file cannot be read or parsed.
    /// - Complexity: O(file size).
    public static func entryLocations(contentsOf url: URL) throws(FileError) -> [String: FileLocation] {
        var doc = try YAMLDocument(parsing: HoldingsReader.readText(url), file: url.path)
        var result: [String: FileLocation] = [:]
        for entry in doc.mapping(doc.root, "a mapping") ?? [] {
            let bySymbol: Bool
            switch entry.key {
            case "targets": bySymbol = true
            case "asset_classes", "assetClasses": bySymbol = false
            default: continue
            }
            for pair in doc.mapping(entry.value, "a mapping") ?? [] {
                let key = bySymbol ? (IdentifierText.symbol(pair.key) ?? pair.key) : pair.key.precomposedStringWithCanonicalMapping
                if result[key] == nil { result[key] = pair.keyValue.location }
            }
        }
        return result
    }
}
