// The fuzz bytes read as a stream of choices, shared by the structure-aware fuzz targets.

/// Reads choices from the fuzz bytes; past the end every choice is 0.
public struct Choices {
    /// The fuzz input.
    public let bytes: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    public var index = 0

    /// Choices read from `bytes`, from the first.
    public init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The next byte (0 past the end).
    public mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }
    /// The next two bytes, big-endian.
    public mutating func u16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }
    /// The next four bytes, big-endian.
    public mutating func u32() -> UInt32 { UInt32(u16()) << 16 | UInt32(u16()) }
    /// An integer in `range` (uniform up to modulo bias).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(u32() % UInt32(range.upperBound - range.lowerBound + 1))
    }
    /// True with probability `inByte` / 256.
    public mutating func chance(_ inByte: UInt8) -> Bool { byte() < inByte }
    /// A fraction in [0, 1].
    public mutating func fraction() -> Double { Double(u16()) / 65_535 }
    /// One of `options`.
    public mutating func pick<T>(_ options: [T]) -> T { options[int(0...(options.count - 1))] }
}
