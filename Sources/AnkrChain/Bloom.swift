import AnkrPrimitives

/// The 2048-bit log bloom filter of receipts and headers (Yellow Paper §4.3.1): each address and
/// topic sets three bits chosen by the first six bytes of its Keccak-256.
public struct Bloom: Hashable, Sendable {
    public private(set) var bytes: [UInt8]

    public static let empty = Bloom()

    public init() { bytes = [UInt8](repeating: 0, count: 256) }

    public init(_ bytes: [UInt8]) throws {
        guard bytes.count == 256 else { throw RLPError.wrongByteCount(expected: 256, actual: bytes.count) }
        self.bytes = bytes
    }

    public init(logs: [Log]) {
        self.init()
        for log in logs { add(log) }
    }

    public mutating func add(_ log: Log) {
        add(log.address.bytes)
        for t in log.topics { add(t.bytes) }
    }

    public mutating func add(_ value: [UInt8]) {
        for bit in Self.bits(value) { bytes[255 - bit / 8] |= 1 << UInt8(bit % 8) }
    }

    /// Whether `value` may have been added (false positives possible, no false negatives).
    public func mayContain(_ value: [UInt8]) -> Bool {
        Self.bits(value).allSatisfy { bytes[255 - $0 / 8] & (1 << UInt8($0 % 8)) != 0 }
    }

    public mutating func formUnion(_ other: Bloom) {
        for i in 0..<256 { bytes[i] |= other.bytes[i] }
    }

    static func bits(_ value: [UInt8]) -> [Int] {
        let h = Keccak256.hash(value)
        return stride(from: 0, to: 6, by: 2).map { (Int(h[$0]) << 8 | Int(h[$0 + 1])) & 2047 }
    }
}
