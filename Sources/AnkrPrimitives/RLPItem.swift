/// One decoded RLP value: a byte string or a list of items.
public enum RLPItem: Equatable, Hashable, Sendable {
    case bytes([UInt8])
    case list([RLPItem])

    /// An unsigned integer as its minimal big-endian byte string (zero is empty).
    public static func uint(_ v: UInt256) -> RLPItem { .bytes(v.minimalBigEndianBytes) }

    /// An unsigned integer as its minimal big-endian byte string (zero is empty).
    public static func uint(_ v: UInt64) -> RLPItem { .uint(UInt256(v)) }

    /// The byte string, or ``RLPError/expectedBytes`` for a list.
    public func bytesValue() throws -> [UInt8] {
        guard case .bytes(let b) = self else { throw RLPError.expectedBytes }
        return b
    }

    /// The items of a list, or ``RLPError/expectedList`` for a byte string.
    public func listValue() throws -> [RLPItem] {
        guard case .list(let l) = self else { throw RLPError.expectedList }
        return l
    }

    /// A canonical unsigned integer of at most 32 bytes: no leading zero byte.
    public func uint256Value() throws -> UInt256 {
        let b = try bytesValue()
        guard b.first != 0 else { throw RLPError.nonCanonicalInteger }
        guard let v = UInt256(bigEndian: b) else { throw RLPError.integerTooLarge(bits: 256) }
        return v
    }

    /// A canonical unsigned integer that fits in 64 bits.
    public func uint64Value() throws -> UInt64 {
        let v = try uint256Value()
        guard let small = v.uint64 else { throw RLPError.integerTooLarge(bits: 64) }
        return small
    }

    /// Exactly 20 bytes.
    public func addressValue() throws -> Address {
        let b = try bytesValue()
        guard b.count == 20 else { throw RLPError.wrongByteCount(expected: 20, actual: b.count) }
        return try Address(b)
    }

    /// Exactly 32 bytes.
    public func h256Value() throws -> H256 {
        let b = try bytesValue()
        guard b.count == 32 else { throw RLPError.wrongByteCount(expected: 32, actual: b.count) }
        return try H256(b)
    }
}
