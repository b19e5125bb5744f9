import Foundation

/// How files write identifiers, and how Folio compares them (`Documentation/FileFormats.md`,
/// "Identifiers").
///
/// - Account ids and symbols are read in Unicode normalization form C (NFC), so `Café`
///   written precomposed (U+00E9) and decomposed (`e` + U+0301) is one id, merged exactly
///   once and written back in NFC.
/// - A symbol is 1 to 32 letters, digits, `.`, `-` or `/`, starting with a letter or a digit,
///   upper-cased. So a symbol can never start a spreadsheet formula (`=`, `+`, `-`, `@`) nor
///   hold a control character.
enum IdentifierText {
    /// What a symbol may be, for error messages.
    static let symbolSyntax = "a symbol: 1 to 32 letters, digits, '.', '-' or '/', starting with a letter or digit"

    /// `text` in NFC; ASCII text is returned as it is without a copy through Foundation.
    static func normalized(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
    }

    /// The symbol `text` names (trimmed, NFC, upper-cased), or nil when it breaks the syntax.
    ///
    /// - Complexity: O(characters).
    static func symbol(_ text: String) -> String? {
        // Most symbols are ASCII: checked byte by byte, upper-cased only when needed.
        let trimmed = text.trimmed
        var count = 0, isASCII = true, valid = true, hasLower = false
        for byte in trimmed.utf8 {
            count += 1
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): continue
            case UInt8(ascii: "a")...UInt8(ascii: "z"): hasLower = true
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"): if count == 1 { valid = false }
            case 0x80...: isASCII = false
            default: valid = false
            }
            if !isASCII { break }
        }
        if isASCII {
            guard valid, (1...32).contains(count) else { return nil }
            return hasLower ? trimmed.uppercased() : trimmed
        }
        let t = normalized(trimmed)
        guard let first = t.first, first.isLetter || first.isNumber, t.count <= 32,
              t.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "/" }),
              !t.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format })
        else { return nil }
        return t.uppercased()
    }
}
