import AnkrPrimitives

/// An Ethereum log entry: emitted by a contract, indexed by topics, carried in receipts.
public struct Log: Hashable, Sendable {
    public var address: Address
    public var topics: [H256]
    public var data: [UInt8]

    public init(address: Address, topics: [H256], data: [UInt8]) {
        self.address = address
        self.topics = topics
        self.data = data
    }

    var rlp: RLPItem { .list([.bytes(address.bytes), .list(topics.map { .bytes($0.bytes) }), .bytes(data)]) }

    init(rlp item: RLPItem) throws {
        let f = try item.listValue()
        guard f.count == 3 else { throw RLPError.wrongItemCount(expected: 3, actual: f.count) }
        self.init(address: try f[0].addressValue(), topics: try f[1].listValue().map { try $0.h256Value() }, data: try f[2].bytesValue())
    }
}
