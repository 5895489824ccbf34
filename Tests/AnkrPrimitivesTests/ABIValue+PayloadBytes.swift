import AnkrPrimitives

extension ABIValue {
    /// Byte and string payload bytes in this value tree: what decoding copied out of its input.
    var payloadBytes: Int {
        switch self {
        case .bytes(let b): return b.count
        case .string(let s): return s.utf8.count
        case .array(let vs), .tuple(let vs): return vs.payloadBytes
        default: return 0
        }
    }
}

extension Array where Element == ABIValue {
    /// Byte and string payload bytes in all these value trees.
    var payloadBytes: Int { reduce(0) { $0 + $1.payloadBytes } }
}
