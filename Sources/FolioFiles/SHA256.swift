import Foundation

/// SHA-256 (FIPS 180-4, "Secure Hash Standard", section 6.2), incremental: the fingerprint of a
/// batch unit's inputs and the hashed part of a plan's file name.
///
/// Feed bytes with ``update(_:)`` in any number of pieces, then read ``hexDigest``. Each
/// piece is fed as is, so callers that hash several fields prefix each with its length
/// (``update(field:)``) to keep `("ab", "c")` apart from `("a", "bc")`.
public struct SHA256: Sendable {
    private var state: [UInt32] = [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
                                   0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19]
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    /// An empty hash.
    public init() {}

    /// Hashes `bytes` after what was fed so far.
    ///
    /// - Complexity: O(bytes.count).
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            buffer.append(byte)
            length &+= 1
            if buffer.count == 64 { compress(); buffer.removeAll(keepingCapacity: true) }
        }
    }

    /// Hashes `data` after what was fed so far, a whole block at a time.
    ///
    /// - Complexity: O(data.count).
    public mutating func update(_ data: Data) {
        var rest = data[...]
        while !rest.isEmpty {
            let take = min(64 - buffer.count, rest.count)
            buffer.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            length &+= UInt64(take)
            if buffer.count == 64 { compress(); buffer.removeAll(keepingCapacity: true) }
        }
    }

    /// Hashes one field: its UTF-8 length (8 bytes, big-endian) then its bytes, so that a
    /// sequence of fields hashes unambiguously.
    ///
    /// - Complexity: O(field's UTF-8 length).
    public mutating func update(field: String) { update(field: Data(field.utf8)) }

    /// Hashes one field of bytes: its length (8 bytes, big-endian) then the bytes.
    ///
    /// - Complexity: O(field.count).
    public mutating func update(field: Data) {
        let count = UInt64(field.count)
        update((0..<8).map { UInt8(truncatingIfNeeded: count >> (56 - 8 * $0)) })
        update(field)
    }

    /// The 32-byte digest of everything fed so far (the hash itself is left as it was).
    ///
    /// - Complexity: O(1) (at most two 64-byte blocks).
    public var digest: [UInt8] {
        var copy = self
        let bits = length &* 8
        copy.update([0x80])
        while copy.buffer.count != 56 { copy.update([0]) }
        copy.update((0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * $0)) })
        return copy.state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }
    }

    /// The digest as 64 lowercase hexadecimal digits.
    ///
    /// - Complexity: O(1).
    public var hexDigest: String {
        String(decoding: digest.flatMap { [Self.hexDigits[Int($0 >> 4)], Self.hexDigits[Int($0 & 15)]] }, as: UTF8.self)
    }

    /// The SHA-256 of `data`, as 64 lowercase hexadecimal digits.
    ///
    /// - Complexity: O(data.count).
    public static func hex(of data: Data) -> String {
        var hash = SHA256()
        hash.update(data)
        return hash.hexDigest
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// One 64-byte block of `buffer` into `state` (FIPS 180-4, 6.2.2).
    private mutating func compress() {
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
        var w = [UInt32](repeating: 0, count: 64)
        // `buffer` holds exactly one block here.
        for t in 0..<16 {
            w[t] = UInt32(buffer[4 * t]) << 24 | UInt32(buffer[4 * t + 1]) << 16 | UInt32(buffer[4 * t + 2]) << 8 | UInt32(buffer[4 * t + 3])
        }
        for t in 16..<64 {
            let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
            let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, h) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
        for t in 0..<64 {
            let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ Self.k[t] &+ w[t]
            let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
            (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
        }
        for (i, v) in [a, b, c, d, e, f, g, h].enumerated() { state[i] &+= v }
    }
}
