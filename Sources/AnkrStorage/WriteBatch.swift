import AnkrPrimitives

/// Header facts the database indexes; the header itself stays an opaque RLP blob.
public struct StoredHeader: Hashable, Sendable {
    public var hash: H256
    public var number: UInt64
    public var parentHash: H256
    public var totalDifficulty: UInt256
    public var rlp: [UInt8]

    public init(hash: H256, number: UInt64, parentHash: H256, totalDifficulty: UInt256, rlp: [UInt8]) {
        self.hash = hash; self.number = number; self.parentHash = parentHash
        self.totalDifficulty = totalDifficulty; self.rlp = rlp
    }
}

/// Where a transaction sits in the canonical chain.
public struct TransactionLocation: Hashable, Sendable {
    public var blockHash: H256
    public var blockNumber: UInt64
    public var index: Int

    public init(blockHash: H256, blockNumber: UInt64, index: Int) {
        self.blockHash = blockHash; self.blockNumber = blockNumber; self.index = index
    }
}

/// Everything one block import changes, written atomically by ``ChainDatabase/commit(_:)``.
public struct WriteBatch: Sendable {
    public var nodes: [H256: [UInt8]] = [:]
    public var headers: [StoredHeader] = []
    /// Block hash → RLP list of the block's transactions.
    public var bodies: [H256: [UInt8]] = [:]
    /// Block hash → RLP list of the block's encoded receipts.
    public var receipts: [H256: [UInt8]] = [:]
    /// Canonical assignments number → hash.
    public var canonical: [UInt64: H256] = [:]
    /// Canonical entries above this number are removed (a reorg to a shorter heavier chain).
    public var truncateCanonicalAbove: UInt64?
    public var addTransactions: [H256: TransactionLocation] = [:]
    public var removeTransactions: [H256] = []
    public var metadata: [String: [UInt8]] = [:]

    public init() {}
}
