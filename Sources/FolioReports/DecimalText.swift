import Foundation

/// A `Decimal` as the exact integers it holds: `±significand × 10^exponent`, for the values
/// whose significand fits in 64 bits (every amount, price and quantity a plan writes), read
/// from the value's storage, and the texts reports write of it made from those integers.
///
/// It exists for speed (issue 22): `folio batch` writes tens of `Decimal`s per trade, and
/// `Decimal.description`, `NSDecimalNumber.stringValue` and `NSDecimalRound` were most of
/// what was left of the plan writer's and the blotter's time. The texts are exactly
/// Foundation's: `BatchStreamTests` compares the plan writer with `JSONEncoder` and
/// `DecimalTextTests` compares every text here with Foundation's on seeded random values.
///
/// Foundation keeps `Decimal`'s fields internal; their layout (swift-corelibs-foundation's
/// `NSDecimal`: an 8-bit exponent, then 4 bits of length in 16-bit words, a sign bit and a
/// compact bit, then eight 16-bit words of significand, least significant first) is the
/// same on every platform Swift supports and has not changed since `NSDecimal`. It is
/// checked once against the public API (``layoutHolds``); should it ever differ, every
/// initializer returns nil and callers use Foundation's own text, so outputs never change.
package struct DecimalParts: Sendable, Equatable {
    /// Whether the value is negative (never for zero).
    package var negative: Bool
    /// The integer significand.
    package var significand: UInt64
    /// The power of ten the significand is scaled by (-128...127).
    package var exponent: Int

    /// The parts of `value`, or nil when its significand needs more than 64 bits, when it is
    /// NaN, or when the storage layout is not the one checked for.
    ///
    /// - Complexity: O(1).
    @inline(__always)
    package init?(_ value: Decimal) {
        guard Self.layoutHolds, let parts = Self.read(value) else { return nil }
        self = parts
    }

    /// Parts from their integers (for tests and the rounding below).
    package init(negative: Bool, significand: UInt64, exponent: Int) {
        self.negative = negative
        self.significand = significand
        self.exponent = exponent
    }

    /// Reads the storage without the layout check.
    @inline(__always)
    private static func read(_ value: Decimal) -> DecimalParts? {
        withUnsafeBytes(of: value) { bytes -> DecimalParts? in
            let flags = bytes[1]
            let length = Int(flags >> 4)
            let negative = flags & 0b1000 != 0
            guard length <= 4 else { return nil }
            // Length 0: zero, or NaN when the sign bit is set.
            guard length > 0 else { return negative ? nil : DecimalParts(negative: false, significand: 0, exponent: 0) }
            var significand: UInt64 = 0
            for word in stride(from: length - 1, through: 0, by: -1) {
                significand = significand << 16 | UInt64(bytes[4 + 2 * word]) | UInt64(bytes[5 + 2 * word]) << 8
            }
            // A non-zero length with a zero significand is not a value Foundation makes.
            guard significand != 0 else { return nil }
            return DecimalParts(negative: negative, significand: significand, exponent: Int(Int8(bitPattern: bytes[0])))
        }
    }

    /// Whether `Decimal`'s storage is laid out as ``read(_:)`` reads it: values built through
    /// the public API (sign, exponent, significand, NaN, a significand too wide) read back as
    /// they were built.
    package static let layoutHolds: Bool = {
        guard MemoryLayout<Decimal>.size == 20 else { return false }
        let cases: [(negative: Bool, significand: UInt64, exponent: Int)] = [
            (false, 1, 0), (true, 655_367, -1), (false, 15, -1), (true, 1, -4), (false, 12, 3), (false, 65_535, 0),
            (false, 65_536, 0), (true, UInt64(UInt32.max) + 7, -9), (false, UInt64.max, -20), (false, 1 << 48 | 3, 127), (true, 9, -128),
        ]
        for c in cases {
            let value = Decimal(sign: c.negative ? .minus : .plus, exponent: c.exponent, significand: Decimal(c.significand))
            guard let parts = read(value), parts == DecimalParts(negative: c.negative, significand: c.significand, exponent: c.exponent),
                  value.exponent == c.exponent, (value < 0) == c.negative else { return false }
        }
        var wide = Decimal(UInt64.max)
        wide *= 65_536
        guard read(wide) == nil, read(Decimal.nan) == nil, read(Decimal(0)) == DecimalParts(negative: false, significand: 0, exponent: 0) else {
            return false
        }
        return true
    }()

    /// Appends the decimal digits of `n` (at least one).
    @inline(__always)
    static func appendDigits(_ n: UInt64, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var n = n, k = 20
            repeat {
                k -= 1
                buffer[k] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: n % 10)
                n /= 10
            } while n != 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[k..<20]))
        }
    }

    /// The number of decimal digits of `n` (1 for zero).
    @inline(__always)
    static func digitCount(_ n: UInt64) -> Int {
        var n = n, count = 1
        while n >= 10 { n /= 10; count += 1 }
        return count
    }

    /// Appends the value written with exactly `places` digits after the point (none and no
    /// point when `places` is 0), given that it has no more than that (`-exponent <= places`):
    /// `±digits.digits`, `0.00ddd`.
    fileprivate func appendFixed(places: Int, to bytes: inout [UInt8]) {
        if negative { bytes.append(UInt8(ascii: "-")) }
        // The significand scaled to `places` decimals: its digits, then `zeros` zeros.
        let zeros = exponent + places
        let length = Self.digitCount(significand) + zeros
        if length <= places {
            bytes.append(UInt8(ascii: "0"))
            if places > 0 { bytes.append(UInt8(ascii: ".")) }
            for _ in 0..<(places - length) { bytes.append(UInt8(ascii: "0")) }
            Self.appendDigits(significand, to: &bytes)
            for _ in 0..<zeros { bytes.append(UInt8(ascii: "0")) }
            return
        }
        Self.appendDigits(significand, to: &bytes)
        for _ in 0..<zeros { bytes.append(UInt8(ascii: "0")) }
        // The point goes `places` digits from the end (moving those few bytes only).
        if places > 0 { bytes.insert(UInt8(ascii: "."), at: bytes.count - places) }
    }

    /// Appends `Decimal.description` of the value: its digits, with a point only when the
    /// exponent is negative (`12000`, `1.50`, `0.0001`, `-3`).
    package func appendDescription(to bytes: inout [UInt8]) {
        if significand == 0 { bytes.append(UInt8(ascii: "0")); return }
        if exponent >= 0 {
            if negative { bytes.append(UInt8(ascii: "-")) }
            Self.appendDigits(significand, to: &bytes)
            for _ in 0..<exponent { bytes.append(UInt8(ascii: "0")) }
        } else {
            appendFixed(places: -exponent, to: &bytes)
        }
    }

    /// The value rounded to `places` decimals, halves away from zero (`NSDecimalRound`'s
    /// `.plain`), or nil when it rounds to zero from a non-zero value (Foundation's own text
    /// decides then) or when the digits dropped do not fit in 64 bits.
    func rounded(places: Int) -> DecimalParts? {
        let drop = -exponent - places
        guard drop > 0 else { return self }
        guard drop <= 19 else { return nil }
        var divisor: UInt64 = 1
        for _ in 0..<drop { divisor &*= 10 }
        var quotient = significand / divisor
        let remainder = significand % divisor
        if remainder >= divisor - remainder { quotient += 1 }
        guard quotient != 0 else { return nil }
        return DecimalParts(negative: negative, significand: quotient, exponent: -places)
    }
}

extension DecimalText {
    /// Appends `value.description` (what `JSONEncoder` writes for a `Decimal`).
    ///
    /// - Complexity: O(digits).
    @inline(__always)
    static func appendDescription(_ value: Decimal, to bytes: inout [UInt8]) {
        if let parts = DecimalParts(value) { parts.appendDescription(to: &bytes) } else { bytes.append(contentsOf: value.description.utf8) }
    }
}

/// Foundation's texts of a `Decimal`, made from ``DecimalParts`` when it reads the value and
/// by Foundation otherwise: the same bytes either way.
package enum DecimalText {
    /// `value.description` (and `NSDecimalNumber(decimal: value).stringValue`, the same text).
    ///
    /// - Complexity: O(digits).
    package static func description(_ value: Decimal) -> String {
        guard let parts = DecimalParts(value) else { return value.description }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        parts.appendDescription(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``ReportFormat/plain(_:places:)``: `value` rounded half away from zero to `places`
    /// decimals and written with exactly that many, or nil when the fast path does not
    /// apply (a value rounding to zero, a wide significand, NaN): the caller asks Foundation.
    ///
    /// - Complexity: O(digits + places).
    package static func plain(_ value: Decimal, places: Int) -> String? {
        guard (0...38).contains(places), let parts = DecimalParts(value) else { return nil }
        if parts.significand == 0 {
            return places == 0 ? "0" : "0." + String(repeating: "0", count: places)
        }
        guard let rounded = parts.rounded(places: places), rounded.exponent + places <= 38 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        rounded.appendFixed(places: places, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``ReportFormat/decimalPlaces(_:)``: the digits after the point that are not trailing
    /// zeros (at most 38), or nil when ``DecimalParts`` does not read the value.
    ///
    /// - Complexity: O(digits).
    package static func decimalPlaces(_ value: Decimal) -> Int? {
        guard let parts = DecimalParts(value) else { return nil }
        guard parts.significand != 0 else { return 0 }
        var significand = parts.significand, exponent = parts.exponent
        while significand % 10 == 0 { significand /= 10; exponent += 1 }
        return min(38, max(0, -exponent))
    }
}
