import Foundation
import FolioRebalancing

/// xoshiro256**: a fast 64-bit generator with 256 bits of state and period 2^256 − 1
/// (Blackman & Vigna, "Scrambled linear pseudorandom number generators", *ACM Transactions on
/// Mathematical Software* 47 (2021)). Seeded through SplitMix64 (Steele, Lea & Flood, OOPSLA 2014)
/// so that any 64-bit seed gives a well-mixed state. Deterministic: the same seed gives the same
/// stream on every platform.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Hashable, Codable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator from a 64-bit seed (expanded by SplitMix64).
    /// - Parameter seed: Any value; equal seeds give equal streams.
    public init(seed: UInt64) {
        var z = seed
        func splitMix() -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// The next 64 random bits.
    /// - Complexity: O(1), a few nanoseconds.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform double in the open interval (0, 1), from the top 53 bits.
    @inline(__always)
    public mutating func nextOpenUnit() -> Double {
        (Double(Int64(bitPattern: next() >> 11)) + 0.5) * 0x1.0p-53
    }

    /// A standard normal variate by the ziggurat method with 256 layers (Marsaglia & Tsang,
    /// "The ziggurat method for generating random variables", *Journal of Statistical Software*
    /// 5(8), 2000), tail by Marsaglia's exponential rejection (1964). About 99% of draws take one
    /// 64-bit number, one multiply and one comparison.
    /// - Complexity: O(1) expected.
    public mutating func nextStandardNormal() -> Double {
        Ziggurat.x.withUnsafeBufferPointer { x in
            Ziggurat.f.withUnsafeBufferPointer { f in
                Ziggurat.normal(&self, x.baseAddress!, f.baseAddress!)
            }
        }
    }
}

/// Tables of the 256-layer normal ziggurat: `x[i]` the right edge of layer `i` (`x[0] = v/f(r)`
/// for the base strip, `x[1] = r`, `x[256] = 0`) and `f[i] = exp(−x[i]²/2)`.
enum Ziggurat {
    static let r = 3.6541528853610088
    static let v = 0.00492867323399

    static let tables: (x: [Double], f: [Double]) = {
        let n = 256
        var x = [Double](repeating: 0, count: n + 1)
        var f = [Double](repeating: 0, count: n + 1)
        let fr = exp(-0.5 * r * r)
        x[0] = v / fr
        x[1] = r
        f[0] = fr
        f[1] = fr
        for i in 1..<(n - 1) {
            x[i + 1] = (-2 * log(v / x[i] + f[i])).squareRoot()
            f[i + 1] = exp(-0.5 * x[i + 1] * x[i + 1])
        }
        x[n] = 0
        f[n] = 1
        return (x, f)
    }()
    static let x = tables.x
    static let f = tables.f

    /// One standard normal draw from the tables.
    @inline(__always)
    static func normal(_ rng: inout Xoshiro256StarStar, _ x: UnsafePointer<Double>, _ f: UnsafePointer<Double>) -> Double {
        while true {
            let u = rng.next()
            let i = Int(truncatingIfNeeded: u & 0xFF)
            let negative = (u & 0x100) != 0
            let z = Double(Int64(bitPattern: u >> 11)) * 0x1.0p-53 * x[i]
            if z < x[i + 1] { return negative ? -z : z }
            if i == 0 {
                var a: Double
                var b: Double
                repeat {
                    a = -log(rng.nextOpenUnit()) / r
                    b = -log(rng.nextOpenUnit())
                } while b + b < a * a
                return negative ? -(r + a) : r + a
            }
            let y = f[i] + rng.nextOpenUnit() * (f[i + 1] - f[i])
            if y < exp(-0.5 * z * z) { return negative ? -z : z }
        }
    }
}
