import Foundation

/// An amount the audit cannot represent exactly in the arithmetic it is running in (NaN, or
/// too many decimals or too large for ``ExactAmount``).
struct AuditRangeError: Error {}

/// The arithmetic ``PlanAudit`` runs in: exact, never floating point.
protocol AuditNumber: Comparable {
    /// The amount exactly, or a throw when this arithmetic cannot hold it.
    init(auditing value: Decimal) throws(AuditRangeError)
    static var zero: Self { get }
    /// 0.005.
    static var halfCent: Self { get }
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    /// Rounded half-up (away from zero) to the cent.
    var roundedToCent: Self { get }
}

extension Decimal: AuditNumber {
    init(auditing value: Decimal) throws(AuditRangeError) {
        if value.isNaN { throw AuditRangeError() }
        self = value
    }

    static let halfCent = Decimal(sign: .plus, exponent: -3, significand: 5)

    var roundedToCent: Decimal {
        var input = self
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 2, .plain)
        return rounded
    }
}

/// An exact decimal amount as an integer count of 10^-`scale` units: the audit's fast path
/// (`Decimal` arithmetic costs about a microsecond per operation on Linux).
///
/// Inputs have at most 8 decimals and magnitude below 10^11, so a product of two inputs is
/// below 10^38 at scale 16 and nothing the audit computes overflows `Int128`.
struct ExactAmount: AuditNumber {
    var units: Int128
    var scale: Int

    static let zero = ExactAmount(units: 0, scale: 0)
    static let halfCent = ExactAmount(units: 5, scale: 3)
    static let powersOfTen: [Int128] = (0...20).reduce(into: []) { p, k in p.append(k == 0 ? 1 : p[k - 1] * 10) }
    /// 10^11: inputs must be smaller in magnitude.
    static let inputLimit: UInt64 = 100_000_000_000

    init(units: Int128, scale: Int) {
        self.units = units
        self.scale = scale
    }

    /// The storage of a `Decimal` as ten 16-bit words (the `NSDecimal` layout: exponent byte,
    /// length and flag bits, eight mantissa words).
    ///
    /// Why read the storage: the public route (`significand` through `NSDecimalNumber`, as
    /// `Fixed.from` does) costs about 50 ns per amount, and the audit converts about 1,500
    /// amounts per 50-position account; measured on the engine benchmark (10,000 accounts, one
    /// core) that is 3.03 s against 2.23 s with this read and 1.86 s with no audit. The read is
    /// checked on known values once per process (``isAvailable``); where it does not hold, the
    /// audit runs in `Decimal`, so a different layout costs speed, never a wrong answer.
    typealias Words = (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16)

    /// Reads the `Decimal` from its storage (exponent byte, length and sign bits, 16-bit
    /// mantissa words); ``isAvailable`` confirms the layout once per process.
    @inline(__always) init(auditing value: Decimal) throws(AuditRangeError) {
        let w = unsafeBitCast(value, to: Words.self)
        let exponent = Int(Int8(truncatingIfNeeded: w.0)), flags = UInt8(truncatingIfNeeded: w.0 >> 8)
        let length = Int(flags >> 4), negative = flags & 0x08 != 0
        if length == 0 {
            if negative { throw AuditRangeError() }  // NaN
            self = .zero
            return
        }
        guard length <= 4 else { throw AuditRangeError() }
        var m = UInt64(w.2) | UInt64(w.3) << 16 | UInt64(w.4) << 32 | UInt64(w.5) << 48
        var e = exponent
        while e < -8 && m % 10 == 0 { m /= 10; e += 1 }
        guard e >= -8, e <= 11 else { throw AuditRangeError() }
        let magnitude = e > 0 ? Int128(m) * Self.powersOfTen[e] : Int128(m)
        let scale = max(-e, 0)
        guard magnitude < Self.limits[scale] else { throw AuditRangeError() }
        self.init(units: negative ? -magnitude : magnitude, scale: scale)
    }

    /// 10^11 at each scale 0...8: inputs must be smaller in magnitude.
    static let limits: [Int128] = (0...8).map { Int128(inputLimit) * powersOfTen[$0] }

    /// Whether ``init(auditing:)`` reads this platform's `Decimal` correctly, checked once on
    /// known values; when not, the audit runs in `Decimal`.
    static let isAvailable: Bool = {
        guard MemoryLayout<Decimal>.size == MemoryLayout<Words>.size else { return false }
        let cases: [(String, Int128, Int)] = [
            ("12345", 12_345, 0), ("-123.45678", -12_345_678, 5), ("0.00000001", 1, 8), ("70000", 70_000, 0),
            ("12345678901.12345678", 1_234_567_890_112_345_678, 8), ("-0.5", -5, 1), ("0", 0, 0),
        ]
        for (text, units, scale) in cases {
            guard let d = Decimal(string: text), let x = try? ExactAmount(auditing: d),
                  x.units == units, x.scale == scale else { return false }
        }
        return (try? ExactAmount(auditing: Decimal.nan)) == nil
            && (try? ExactAmount(auditing: Decimal(string: "100000000000")!)) == nil
            && (try? ExactAmount(auditing: Decimal(string: "0.000000001")!)) == nil
    }()

    /// Both amounts at the larger scale.
    @inline(__always) static func aligned(_ a: ExactAmount, _ b: ExactAmount) -> (Int128, Int128, Int) {
        if a.scale == b.scale { return (a.units, b.units, a.scale) }
        if a.scale < b.scale { return (a.units * powersOfTen[b.scale - a.scale], b.units, b.scale) }
        return (a.units, b.units * powersOfTen[a.scale - b.scale], a.scale)
    }

    static func + (lhs: ExactAmount, rhs: ExactAmount) -> ExactAmount {
        let (a, b, s) = aligned(lhs, rhs)
        return ExactAmount(units: a + b, scale: s)
    }

    static func - (lhs: ExactAmount, rhs: ExactAmount) -> ExactAmount {
        let (a, b, s) = aligned(lhs, rhs)
        return ExactAmount(units: a - b, scale: s)
    }

    static func * (lhs: ExactAmount, rhs: ExactAmount) -> ExactAmount {
        ExactAmount(units: lhs.units * rhs.units, scale: lhs.scale + rhs.scale)
    }

    static func == (lhs: ExactAmount, rhs: ExactAmount) -> Bool {
        let (a, b, _) = aligned(lhs, rhs)
        return a == b
    }

    static func < (lhs: ExactAmount, rhs: ExactAmount) -> Bool {
        let (a, b, _) = aligned(lhs, rhs)
        return a < b
    }

    var roundedToCent: ExactAmount {
        guard scale > 2 else { return self }
        let d = Self.powersOfTen[scale - 2]
        let q = units / d, r = units % d
        let away = 2 * r.magnitude >= d.magnitude
        return ExactAmount(units: r == 0 || !away ? q : (units < 0 ? q - 1 : q + 1), scale: 2)
    }
}
