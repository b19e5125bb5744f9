import Foundation

/// A number in the spellings most files use, `[-+]?$?digits[.digits]` with at least one
/// digit and at most 18 significant digits, the integer digits optionally grouped by commas
/// (`1,234,567.89`: a first group of one to three digits, then groups of three), read
/// straight from UTF-8 bytes as an exact scaled integer: the value is `±significand / 10^scale`.
///
/// This is the fast path of `NumberText`: every other spelling (accounting parentheses, a sign
/// after the `$`, spaces, more digits, anything malformed) is left to the strict parser, so
/// the two accept and reject exactly the same texts. Money built from it is exact (an integer
/// significand and a power-of-ten exponent, as the strict parser builds it); a `Double` from
/// it is correctly rounded.
///
/// - Complexity: O(bytes), one pass, no allocation.
struct PlainDecimal: Sendable, Equatable {
    /// Whether a minus sign was written.
    var negative: Bool
    /// The digits without the point and without leading zeros (at most 18 of them).
    var significand: UInt64
    /// The number of digits after the point, trailing zeros included.
    var scale: Int

    /// Reads `bytes`, or returns nil when they are not a plain decimal (or have more than 18
    /// significant digits): the caller then asks the strict parser.
    @inline(__always)
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = bytes.count
        guard n > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if bytes[0] == UInt8(ascii: "+") { i = 1 }
        if i < n, bytes[i] == UInt8(ascii: "$") { i += 1 }
        var significand: UInt64 = 0, digits = 0, scale = 0
        var sawDigit = false, sawDot = false
        // Thousands separators: the length of the current integer group, and whether a comma
        // was seen (then every later group has exactly three digits).
        var group = 0, grouped = false
        while i < n {
            let byte = bytes[i]
            let d = byte &- UInt8(ascii: "0")
            if d < 10 {
                sawDigit = true
                if sawDot { scale += 1 } else { group += 1 }
                if significand != 0 || d != 0 {
                    digits += 1
                    guard digits <= 18 else { return nil }
                    significand = significand &* 10 &+ UInt64(d)
                }
            } else if byte == UInt8(ascii: "."), !sawDot {
                guard !grouped || group == 3 else { return nil }
                sawDot = true
            } else if byte == UInt8(ascii: ","), !sawDot, grouped ? group == 3 : (1...3).contains(group) {
                grouped = true
                group = 0
            } else {
                return nil
            }
            i += 1
        }
        guard sawDigit, !grouped || sawDot || group == 3 else { return nil }
        self.negative = negative
        self.significand = significand
        self.scale = scale
    }

    /// The exact value, built as the strict parser builds it.
    var decimal: Decimal {
        let value = Decimal(sign: .plus, exponent: -scale, significand: Decimal(significand))
        return negative ? -value : value
    }

    /// Exact powers of ten as doubles: `10^k` for `k` in 0...22 is representable exactly.
    private static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { a, _ in a * 10 } }

    /// The correctly rounded `Double`, when Clinger's fast path gives it: a significand of at
    /// most 2^53 and at most 22 digits after the point are both exact doubles, and one IEEE
    /// division of exact operands is correctly rounded. Nil otherwise (ask `Double(String)`).
    ///
    /// A zero is `+0.0` whatever its sign, as the strict parser gives it.
    ///
    /// Reference: W. D. Clinger (1990), "How to read floating point numbers accurately",
    /// PLDI '90.
    @inline(__always)
    var double: Double? {
        guard significand <= 1 << 53, scale <= 22 else { return nil }
        if significand == 0 { return 0 }
        let magnitude = Double(significand) / Self.powersOfTen[scale]
        return negative ? -magnitude : magnitude
    }
}

extension PlainDecimal {
    /// Reads the UTF-8 of `text` (nil as for the byte initializer).
    @inline(__always)
    init?(_ text: some StringProtocol) {
        guard let parsed = text.utf8.withContiguousStorageIfAvailable({ PlainDecimal($0) }) else { return nil }
        guard let parsed else { return nil }
        self = parsed
    }
}
