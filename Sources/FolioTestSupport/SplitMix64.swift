import Foundation

/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): the one seeded generator of Folio's tests, so that every test (and every
/// golden fixture generated from a test's numbers) sees the same sequence on every machine.
///
/// Not for production randomness: it is small, fast and predictable by design.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's whole state; the next output is a function of it alone.
    public var state: UInt64

    /// A generator whose first output is SplitMix64's first output for `seed`.
    ///
    /// - Complexity: O(1).
    public init(seed: UInt64) { state = seed }

    /// The same as `init(seed:)`, spelled as the state it sets.
    ///
    /// - Complexity: O(1).
    public init(state: UInt64) { self.state = state }

    /// The next 64 random bits.
    ///
    /// - Complexity: O(1).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range` (`Int.random(in:using:)`).
    ///
    /// - Complexity: O(1) expected.
    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// A uniform double in `range` (`Double.random(in:using:)`).
    ///
    /// - Complexity: O(1).
    public mutating func double(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }

    /// An integer in `range` as `lowerBound + next() % width`: slightly biased for widths that
    /// are not powers of two, kept because older tests' data were drawn this way.
    ///
    /// - Complexity: O(1).
    public mutating func moduloInt(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// A double in [0, 1) from the top 53 bits of one draw.
    ///
    /// - Complexity: O(1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// True with probability `p`.
    ///
    /// - Complexity: O(1).
    public mutating func chance(_ p: Double) -> Bool { double(0...1) < p }

    /// A standard normal draw by Box–Muller from two uniform draws (u in [ulp, 1), v in
    /// [0, 1)), the first of the pair only.
    ///
    /// - Complexity: O(1).
    public mutating func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let v = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
