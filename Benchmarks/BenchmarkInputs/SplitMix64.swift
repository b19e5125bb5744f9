import Foundation

/// A small deterministic generator (SplitMix64; Steele, Lea & Flood, "Fast splittable
/// pseudorandom number generators", OOPSLA 2014) so every benchmark run sees the same inputs.
public struct SplitMix64: Sendable {
    /// The generator's state.
    public var state: UInt64

    /// A generator from its seed.
    /// - Complexity: O(1).
    public init(state: UInt64) { self.state = state }

    /// The next 64 random bits.
    /// - Complexity: O(1).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An integer in `range` (modulo bias is negligible for the small ranges used here).
    /// - Complexity: O(1).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
}

/// Money from integer cents, without Decimal arithmetic.
/// - Complexity: O(1).
public func cents(_ c: Int) -> Decimal { Decimal(sign: c < 0 ? .minus : .plus, exponent: -2, significand: Decimal(abs(c))) }
