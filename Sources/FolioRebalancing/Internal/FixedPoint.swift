import Foundation

/// Fixed-point arithmetic for the engine's hot path.
///
/// Quantities, prices and money are `Int64` counts of 10^-8 units. `Decimal` on Linux costs
/// about a microsecond per operation, so values are converted once on the way in and once on
/// the way out. Products use `Int128`. Realized money (trade values, costs, gains, tax) is
/// rounded half-up (away from zero) to the cent, i.e. to a multiple of `centUnits`.
enum Fixed {
    /// 10^8: one unit of quantity, price or currency.
    static let one: Int64 = 100_000_000
    /// One cent in fixed units.
    static let centUnits: Int64 = 1_000_000
    /// Largest magnitude of any value or account total (about 2.3e10 currency units or units
    /// of quantity), leaving headroom for sums of cash, flows and trades.
    static let limit: Int64 = Int64.max / 4

    static let powersOfTen: [Int64] = {
        var p: [Int64] = [1]
        for _ in 1...18 { p.append(p.last! * 10) }
        return p
    }()

    /// Converts a `Decimal` to fixed units exactly, or `nil` when it has more than 8 decimal
    /// places, is too large, or is NaN.
    static func from(_ x: Decimal) -> Int64? {
        if x.isNaN { return nil }
        if x.isZero { return 0 }
        let e = x.exponent
        let m = NSDecimalNumber(decimal: x.significand).doubleValue
        guard m < 9_007_199_254_740_992 else { return nil }
        var n = Int64(m)
        var k = e + 8
        while k < 0 {
            if n % 10 != 0 { return nil }
            n /= 10
            k += 1
        }
        if k > 18 { return nil }
        let (r, overflow) = n.multipliedReportingOverflow(by: powersOfTen[k])
        guard !overflow, r <= limit else { return nil }
        return x.isSignMinus ? -r : r
    }

    /// The error for a value that ``from(_:)`` rejected: too many decimals, or too large.
    static func conversionError(field: String, context: String, value: Decimal) -> RebalanceError {
        value.exponent < -8 && !value.isNaN
            ? .precisionExceeded(field: field, context: context, value: value)
            : .amountOutOfRange(field: field, context: context, value: value)
    }

    /// Converts fixed units to a normalized `Decimal` (no trailing zeros).
    static func decimal(_ v: Int64) -> Decimal {
        if v == 0 { return 0 }
        var m = v.magnitude
        var e = -8
        while m % 10 == 0 && e < 0 {
            m /= 10
            e += 1
        }
        return Decimal(sign: v < 0 ? .minus : .plus, exponent: e, significand: Decimal(m))
    }

    /// A count of units from a sizing estimate, clamped to `0...limit / unit` so that
    /// `count × unit` cannot overflow (NaN gives 0).
    @inline(__always) static func units(_ x: Double, unit: Int64) -> Int64 {
        let cap = Double(limit / unit)
        guard x > 0 else { return 0 }
        return x >= cap ? limit / unit : Int64(x)
    }

    /// `quantity × price` rounded half-up to 10^-8, or `nil` beyond ``limit``.
    static func checkedValue(_ quantity: Int64, _ price: Int64) -> Int64? {
        let v = divideRounded(Int128(quantity) * Int128(price), Int128(one))
        return v.magnitude <= UInt128(limit) ? Int64(v) : nil
    }

    /// A fixed value as a `Double` (for sizing only).
    @inline(__always) static func double(_ v: Int64) -> Double { Double(v) * 1e-8 }

    /// Divides rounding half away from zero.
    @inline(__always) static func divideRounded(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b
        let r = a % b
        if r == 0 { return q }
        if 2 * r.magnitude >= b.magnitude { return a < 0 ? q - 1 : q + 1 }
        return q
    }

    /// `quantity × price` rounded half-up to the cent, in fixed units.
    @inline(__always) static func valueInCents(_ quantity: Int64, _ price: Int64) -> Int64 {
        // q·p is in 10^-16 units; a cent is 10^-2, so divide by 10^14.
        let cents = divideRounded(Int128(quantity) * Int128(price), 100_000_000_000_000)
        return Int64(cents) * centUnits
    }

    /// `quantity × price` rounded half-up to 10^-8.
    @inline(__always) static func value(_ quantity: Int64, _ price: Int64) -> Int64 {
        Int64(divideRounded(Int128(quantity) * Int128(price), Int128(one)))
    }

    /// `a × b / c` rounded half-up to the cent, in fixed units.
    @inline(__always) static func proRataCents(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
        Int64(divideRounded(Int128(a) * Int128(b), Int128(c) * Int128(centUnits))) * centUnits
    }

    /// `amount × rate` (both fixed) rounded half-up to the cent.
    @inline(__always) static func timesRateCents(_ amount: Int64, _ rate: Int64) -> Int64 {
        Int64(divideRounded(Int128(amount) * Int128(rate), Int128(one) * Int128(centUnits))) * centUnits
    }

    /// Rounds a fixed amount half-up to the cent.
    @inline(__always) static func roundCents(_ v: Int64) -> Int64 {
        Int64(divideRounded(Int128(v), Int128(centUnits))) * centUnits
    }

    /// Rounds a fixed amount up (toward +infinity) to the cent.
    @inline(__always) static func ceilCents(_ v: Int64) -> Int64 {
        let q = v / centUnits
        return (v % centUnits > 0 ? q + 1 : q) * centUnits
    }
}

/// Days since 1970-01-01 (UTC) and civil-calendar arithmetic, without `Calendar`.
package enum CivilDay {
    /// The UTC day number of a date.
    package static func of(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// Day number of a proleptic Gregorian date (month 1...12).
    static func from(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number.
    package static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Adds calendar months, clamping the day to the end of the month (Jan 31 + 1 = Feb 28/29).
    static func adding(months: Int, to days: Int) -> Int {
        let (y, m, d) = civil(days)
        let total = y * 12 + (m - 1) + months
        let ny = total >= 0 ? total / 12 : (total - 11) / 12
        let nm = total - ny * 12 + 1
        return from(year: ny, month: nm, day: min(d, daysInMonth(ny, nm)))
    }
}
