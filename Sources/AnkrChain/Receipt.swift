import AnkrPrimitives
import AnkrTrie

/// A transaction receipt as consensus encodes it (EIP-658 status, EIP-2718 typed envelope).
public struct Receipt: Hashable, Sendable {
    public var type: TransactionType
    public var succeeded: Bool
    public var cumulativeGasUsed: UInt64
    public var bloom: Bloom
    public var logs: [Log]

    public init(type: TransactionType, succeeded: Bool, cumulativeGasUsed: UInt64, logs: [Log]) {
        self.type = type
        self.succeeded = succeeded
        self.cumulativeGasUsed = cumulativeGasUsed
        self.logs = logs
        self.bloom = Bloom(logs: logs)
    }

    /// `RLP([status, cumulativeGasUsed, bloom, logs])`, prefixed by the type byte for typed transactions.
    public var encoded: [UInt8] {
        let list = RLP.encode(.list([
            .bytes(succeeded ? [1] : []), .uint(cumulativeGasUsed), .bytes(bloom.bytes), .list(logs.map(\.rlp)),
        ]))
        return type == .legacy ? list : [type.rawValue] + list
    }

    public init(encoded raw: [UInt8]) throws {
        guard let first = raw.first else { throw RLPError.emptyInput }
        var body = raw
        var type = TransactionType.legacy
        if first < 0xc0 {
            guard let t = TransactionType(rawValue: first), t != .legacy else { throw TransactionError.unsupportedType(first) }
            type = t
            body.removeFirst()
        }
        let f = try RLP.decodeList(body, count: 4)
        let status = try f[0].bytesValue()
        guard status == [] || status == [1] else { throw RLPError.wrongByteCount(expected: 1, actual: status.count) }
        self.init(type: type, succeeded: status == [1], cumulativeGasUsed: try f[1].uint64Value(),
                  logs: try f[3].listValue().map(Log.init(rlp:)))
        let bloom = try Bloom(f[2].bytesValue())
        guard bloom == self.bloom else { throw ChainError.receiptBloomMismatch }
    }
}

/// Roots of the per-block tries keyed by RLP(index): transactions and receipts.
public enum OrderedTrie {
    public static func root(_ encodedItems: [[UInt8]]) -> H256 {
        MerklePatriciaTrie.root(of: encodedItems.enumerated().map { (RLP.encode(.uint(UInt64($0.offset))), $0.element) })
    }
}
