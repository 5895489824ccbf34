import AnkrPrimitives

/// A header and its transactions. Ankr has no ommers and no withdrawals.
public struct Block: Hashable, Sendable {
    public var header: BlockHeader
    public var transactions: [Transaction]

    public init(header: BlockHeader, transactions: [Transaction]) {
        self.header = header
        self.transactions = transactions
    }

    public var hash: H256 { header.hash }
    public var number: UInt64 { header.number }

    /// RLP([header, [tx…]]); typed transactions are embedded as byte strings, as Ethereum does.
    public var encoded: [UInt8] {
        RLP.encode(.list([header.rlp, .list(transactions.map(Self.item))]))
    }

    /// The root of the transactions trie for a list of transactions.
    public static func transactionsRoot(_ txs: [Transaction]) -> H256 { OrderedTrie.root(txs.map(\.encoded)) }

    static func item(_ tx: Transaction) -> RLPItem {
        tx.type == .legacy ? tx.signedList : .bytes(tx.encoded)
    }

    public init(encoded: [UInt8]) throws {
        let parts: [RLPItem]
        do { parts = try RLP.decodeList(encoded, count: 2) } catch let e as RLPError { throw ChainError.malformed(what: "block", e) }
        header = try BlockHeader(rlp: parts[0])
        let items: [RLPItem]
        do { items = try parts[1].listValue() } catch let e as RLPError { throw ChainError.malformed(what: "block body", e) }
        transactions = try items.enumerated().map { i, item in
            let raw: [UInt8]
            switch item {
            case .list: raw = RLP.encode(item)
            case .bytes(let b):
                // A typed transaction; a legacy one must be a list, not a wrapped string.
                guard let first = b.first, first < 0xc0 else {
                    throw ChainError.malformed(what: "block transaction \(i)", .expectedList)
                }
                raw = b
            }
            return try Transaction(raw: raw)
        }
    }
}
