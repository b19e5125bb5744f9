import Foundation

/// How reports write numbers: money with a dollar sign, thousands separators and cents;
/// weights as percentages; quantities without trailing zeros.
public enum ReportFormat {
    /// `$1,234.56`, `-$12.00`: rounded half away from zero to cents.
    public static func money(_ value: Decimal) -> String {
        var input = value, rounded = Decimal()
        NSDecimalRound(&rounded, &input, 2, .plain)
        return dollars(rounded, places: 2)
    }

    /// `value` (already rounded as wanted) with a dollar sign, thousands separators and
    /// exactly `places` decimals: `-$1,234.5678`.
    static func dollars(_ value: Decimal, places: Int) -> String {
        let negative = value < 0
        let text = plain(negative ? -value : value, places: places)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var whole = String(parts[0])
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        grouped = whole + grouped
        return (negative ? "-$" : "$") + grouped + "." + (parts.count > 1 ? String(parts[1]) : String(repeating: "0", count: places))
    }

    /// A price exactly as it is, with a dollar sign and thousands separators: at least two
    /// decimals, more when the price has them (`$251.41`, `$0.0001`, `$12.34567`). A
    /// sub-cent price is never rounded to `$0.00`.
    ///
    /// - Complexity: O(digits).
    public static func price(_ value: Decimal) -> String {
        dollars(value, places: max(2, decimalPlaces(value)))
    }

    /// `value` with exactly as many decimals as it needs, at least two (`251.41`, `0.0001`,
    /// `12.50`): what `trades.csv` writes for a price.
    public static func exact(_ value: Decimal) -> String {
        plain(value, places: max(2, decimalPlaces(value)))
    }

    /// The number of significant decimal places of `value` (`0.0001` has 4, `12.50` has 1).
    static func decimalPlaces(_ value: Decimal) -> Int {
        DecimalText.decimalPlaces(value) ?? foundationDecimalPlaces(value)
    }

    /// ``decimalPlaces(_:)`` through Foundation's rounding, for any value (the reference the
    /// integer path `DecimalText` is tested against).
    package static func foundationDecimalPlaces(_ value: Decimal) -> Int {
        var places = 0
        var rest = value < 0 ? -value : value
        // Decimal holds at most 38 digits; trailing zeros of its significand do not count.
        while places < 38 {
            var whole = Decimal(), input = rest
            NSDecimalRound(&whole, &input, 0, .down)
            if whole == rest { break }
            rest *= 10
            places += 1
        }
        return places
    }

    /// What reports write for a tax that was not estimated because the tax rates are unknown
    /// (`RebalancePlan.estimatedTax` is nil): never a zero.
    public static let taxNotEstimated = "not estimated (no rates)"

    /// An estimated tax as ``money(_:)``, or ``taxNotEstimated`` when it is nil.
    public static func tax(_ value: Decimal?) -> String {
        value.map(money) ?? taxNotEstimated
    }

    /// The value with exactly `places` decimals, no grouping: `1234.50`.
    public static func plain(_ value: Decimal, places: Int) -> String {
        DecimalText.plain(value, places: places) ?? foundationPlain(value, places: places)
    }

    /// ``plain(_:places:)`` through `NSDecimalRound` and `NSDecimalNumber`, for any value (the
    /// reference the integer path `DecimalText` is tested against).
    package static func foundationPlain(_ value: Decimal, places: Int) -> String {
        var input = value, rounded = Decimal()
        NSDecimalRound(&rounded, &input, places, .plain)
        var text = NSDecimalNumber(decimal: rounded).stringValue
        if places > 0 {
            if !text.contains(".") { text += "." }
            let decimals = text.count - 1 - text.distance(from: text.startIndex, to: text.firstIndex(of: ".")!)
            if decimals < places { text += String(repeating: "0", count: places - decimals) }
        }
        return text
    }

    /// A quantity as exactly as it is held: `100`, `12.5`, `0.001`.
    public static func quantity(_ value: Decimal) -> String {
        DecimalText.description(value)
    }

    /// A weight as a percentage with `places` decimals: `45.00%`.
    public static func percent(_ weight: Double, places: Int = 2) -> String {
        String(format: "%.\(places)f%%", weight * 100)
    }

    /// Percentage points with a sign: `+6.20 pts`.
    public static func points(_ weight: Double) -> String {
        String(format: "%+.2f pts", weight * 100)
    }

    /// `YYYY-MM-DD` in UTC.
    public static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
