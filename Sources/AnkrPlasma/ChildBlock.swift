import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrTrie

/// One child-chain block: its number, the previous block's header hash, and its transactions.
/// The Merkle root covers keccak256(txHash ‖ sig1 ‖ sig2) of each transaction in a depth-16 tree;
/// the header hash keccak256(root ‖ previousHeaderHash) chains the blocks, as the root contract
/// computes it when the operator submits the root.
public struct ChildBlock: Hashable, Sendable {
    public static let maxTransactions = 1 << BinaryMerkleTree.plasmaDepth

    public let number: UInt64
    public let previousHeaderHash: H256
    public let transactions: [PlasmaTransaction]

    public init(number: UInt64, previousHeaderHash: H256, transactions: [PlasmaTransaction]) throws {
        guard transactions.count <= Self.maxTransactions else { throw PlasmaError.tooManyTransactions(transactions.count, limit: Self.maxTransactions) }
        self.number = number; self.previousHeaderHash = previousHeaderHash; self.transactions = transactions
    }

    /// The Merkle tree over the transactions' leaves (`hashes`, when given, are the transactions'
    /// hashes, in order). Leaves are hashed on every core: a full block has 65,536.
    public func tree(hashes: [H256]? = nil) -> BinaryMerkleTree {
        let leaves: [H256]
        if let hashes, hashes.count == transactions.count {
            leaves = ConcurrentMap.map(Array(zip(transactions, hashes)), minimumPerThread: 1_024) { $0.0.merkleLeaf(hash: $0.1) }
        } else {
            leaves = ConcurrentMap.map(transactions, minimumPerThread: 1_024) { $0.merkleLeaf }
        }
        // At most 2^16 leaves (checked in init), so building cannot fail.
        return (try? BinaryMerkleTree(leaves: leaves)) ?? Self.emptyTree
    }

    private static let emptyTree = try! BinaryMerkleTree(leaves: [])

    public var merkleRoot: H256 { tree().root }

    public var headerHash: H256 { Self.headerHash(root: merkleRoot, previous: previousHeaderHash) }

    public static func headerHash(root: H256, previous: H256) -> H256 { Keccak256.h256(root.bytes + previous.bytes) }

    /// RLP `[number, previousHeaderHash, [tx, …]]` for storage and for serving blocks to clients.
    public var encoded: [UInt8] {
        // The transactions are encoded on every core; the list around them is the same bytes as encoding it whole.
        let txs = RLP.encodeList(encodedItems: ConcurrentMap.map(transactions, minimumPerThread: 1_024) { $0.encoded })
        return RLP.encodeList(encodedItems: [RLP.encode(.uint(number)), RLP.encode(.bytes(previousHeaderHash.bytes)), txs])
    }

    public init(encoded bytes: [UInt8]) throws {
        let f: [RLPItem]
        do { f = try RLP.decodeList(bytes, count: 3) } catch { throw PlasmaError.malformed("block: \(error)") }
        guard let number = try? f[0].uint64Value(), let previous = try? f[1].h256Value(), let txs = try? f[2].listValue() else {
            throw PlasmaError.malformed("block fields")
        }
        try self.init(number: number, previousHeaderHash: previous,
                      transactions: try txs.map { try PlasmaTransaction(encoded: RLP.encode($0)) })
    }
}

/// An owner's confirmation that a transaction is in an available block: r‖s‖v (v = 27/28) over
/// keccak256(txHash ‖ blockRoot). Exiting an output needs the confirmations of the inputs' owners.
public enum ConfirmSignature {
    public static func hash(transaction: H256, blockRoot: H256) -> [UInt8] { Keccak256.hash(transaction.bytes + blockRoot.bytes) }

    public static func sign(transaction: H256, blockRoot: H256, with key: PrivateKey) throws -> [UInt8] {
        try key.sign(hash: hash(transaction: transaction, blockRoot: blockRoot)).rsv27
    }

    /// The address that confirmed, or a typed error for a malformed or high-s signature.
    public static func signer(of signature: [UInt8], transaction: H256, blockRoot: H256) throws -> Address {
        guard signature.count == 65, signature[64] == 27 || signature[64] == 28 else {
            throw PlasmaError.malformed("a confirm signature is 65 bytes ending in v = 27 or 28")
        }
        do { return try Signature(rsv: signature).recoverAddress(hash: hash(transaction: transaction, blockRoot: blockRoot)) } catch {
            throw PlasmaError.malformed("confirm signature: \(error)")
        }
    }
}
