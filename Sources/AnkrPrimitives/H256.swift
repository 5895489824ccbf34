/// A 32-byte hash (Keccak-256 output, storage key, trie root).
public struct H256: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 32 bytes, big-endian as they appear on the wire.
    public let bytes: [UInt8]

    public static let zero = H256(unchecked: [UInt8](repeating: 0, count: 32))

    /// Wraps exactly 32 bytes; any other length is an error.
    public init(_ bytes: [UInt8]) throws {
        guard bytes.count == 32 else { throw HexError.wrongLength(expected: 32, actual: bytes.count) }
        self.bytes = bytes
    }

    init(unchecked bytes: [UInt8]) {
        precondition(bytes.count == 32)
        self.bytes = bytes
    }

    /// The 32-byte big-endian form of a word (a storage key, a topic).
    public init(word: UInt256) { self.bytes = word.bigEndianBytes }

    /// Parses `0x`-prefixed (or bare) hex of exactly 32 bytes.
    public init(hex: String) throws {
        self.bytes = try Hex.decode(hex, count: 32)
    }

    public var description: String { bytes.hexPrefixed }

    public static func < (lhs: H256, rhs: H256) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}

extension H256 {
    /// Hashes the bytes in one call (the synthesized version combines them one by one).
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
