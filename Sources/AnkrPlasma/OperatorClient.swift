import AnkrPrimitives
import AnkrRPC
import AnkrTrie
import Foundation

/// A wallet's or watcher's view of an operator through its `plasma_` JSON-RPC. Nothing it returns
/// is trusted: blocks are served raw and checked against the roots on the main chain by the caller.
public struct OperatorClient: Sendable {
    public let rpc: RPCClient

    public init(rpc: RPCClient) { self.rpc = rpc }

    /// A block as the operator serves it: raw transactions, so an undecodable one can still be proven.
    public struct ServedBlock: Sendable {
        public let number: UInt64
        public let previousHeaderHash: H256
        public let transactions: [[UInt8]]

        /// The tree over each transaction's leaf (computed from the raw fields).
        public func tree() throws -> BinaryMerkleTree {
            try BinaryMerkleTree(leaves: transactions.map { PlasmaTransaction.rawLeaf($0) ?? Keccak256.h256($0) })
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ d: String) { description = d }
    }

    public func send(_ tx: PlasmaTransaction) throws -> H256 {
        try H256(Hex.decode(rpc.string("plasma_sendTransaction", [tx.encoded.hexPrefixed])))
    }

    /// Block `number`, or nil when the operator does not serve it.
    public func block(_ number: UInt64) throws -> ServedBlock? {
        guard let b = try rpc.call("plasma_getBlock", [RPCFormat.q(number)]) as? [String: Any] else { return nil }
        guard let prev = b["previousHeaderHash"] as? String, let txs = b["transactions"] as? [String],
              txs.count <= ChildBlock.maxTransactions else { throw Failure("plasma_getBlock(\(number)) is malformed") }
        return ServedBlock(number: number, previousHeaderHash: try H256(Hex.decode(prev)), transactions: try txs.map { try Hex.decode($0) })
    }

    /// A transaction's place and confirm signatures, or nil when the operator does not know it.
    public struct Placed: Sendable {
        public let pending: Bool
        public let blockNumber: UInt64?
        public let txIndex: Int?
        public let submitted: Bool
        public let confirmSignatures: [UInt8]?
    }

    public func transaction(_ hash: H256) throws -> Placed? {
        guard let t = try rpc.call("plasma_getTransaction", [hash.description]) as? [String: Any] else { return nil }
        let block = (t["blockNumber"] as? String).flatMap { try? UInt256(parsing: $0) }?.uint64
        let index = (t["txIndex"] as? String).flatMap { try? UInt256(parsing: $0) }?.uint64
        // The operator is a stranger: a place no output can have is refused, not converted (Int(_:) traps past Int.max).
        if let block, block > UTXOPosition.maxBlockNumber { throw Failure("plasma_getTransaction: block \(block) is out of range") }
        if let index, index > UTXOPosition.maxTxIndex { throw Failure("plasma_getTransaction: transaction index \(index) is out of range") }
        return Placed(pending: t["pending"] as? Bool ?? false, blockNumber: block, txIndex: index.map { Int($0) },
                      submitted: t["submitted"] as? Bool ?? false, confirmSignatures: (t["confirmSignatures"] as? String).flatMap { try? Hex.decode($0) })
    }

    public func utxos(_ owner: Address) throws -> [(position: UTXOPosition, amount: UInt256)] {
        guard let list = try rpc.call("plasma_getUtxos", [owner.checksummed]) as? [[String: Any]] else { throw Failure("plasma_getUtxos did not return a list") }
        return try list.map { u in
            guard let p = u["utxoPos"] as? String, let a = u["amount"] as? String else { throw Failure("plasma_getUtxos entry is malformed") }
            return (try UTXOPosition(encoded: UInt256(parsing: p)), try UInt256(parsing: a))
        }
    }

    /// The sum of the owner's spendable outputs.
    public func balance(_ owner: Address) throws -> UInt256 {
        try utxos(owner).reduce(UInt256.zero) { $0 &+ $1.amount }
    }

    /// Where output `position` was spent, per the operator.
    public func spend(of position: UInt64) throws -> (block: UInt64, index: Int)? {
        guard let s = try rpc.call("plasma_getSpend", [RPCFormat.q(position)]) as? [String: Any],
              let b = (s["blockNumber"] as? String).flatMap({ try? UInt256(parsing: $0) })?.uint64,
              let i = (s["txIndex"] as? String).flatMap({ try? UInt256(parsing: $0) })?.uint64 else { return nil }
        guard b <= UTXOPosition.maxBlockNumber, i <= UTXOPosition.maxTxIndex else { throw Failure("plasma_getSpend(\(position)): \(b):\(i) is out of range") }
        return (b, Int(i))
    }

    public func confirm(_ hash: H256, signatures: [UInt8]) throws {
        _ = try rpc.call("plasma_confirmTransaction", [hash.description, signatures.hexPrefixed])
    }
}
