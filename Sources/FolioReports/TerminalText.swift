/// Text made safe to print on a terminal: an id or a value read from a file can hold escape
/// sequences (ESC `[2J` clears the screen, OSC sets the window title or a hyperlink) and
/// bidirectional overrides (Trojan Source, CVE-2021-42574) that make a terminal show text
/// other than what is there. Those characters are written as visible escapes instead.
public enum TerminalText {
    /// `text` with every C0 control except line feed, DEL, every C1 control, and every
    /// bidirectional control (U+061C, U+200E, U+200F, U+202A…U+202E, U+2066…U+2069) written
    /// as `\u{XX}` (hexadecimal); with `keepingNewlines` false, line feeds too.
    ///
    /// - Complexity: O(characters); text with nothing to escape is returned as it is.
    public static func escaped(_ text: String, keepingNewlines: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingNewlines: keepingNewlines) }) else { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar, keepingNewlines: keepingNewlines) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether `scalar` must not reach a terminal raw.
    static func needsEscape(_ scalar: Unicode.Scalar, keepingNewlines: Bool) -> Bool {
        switch scalar.value {
        case 0x0A: return !keepingNewlines
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
