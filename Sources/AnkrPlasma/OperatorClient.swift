import AnkrPrimitives
import AnkrRPC
import AnkrTrie

/// A wallet's or watcher's view of an operator through its `plasma_` JSON-RPC. Nothing it returns
/// is trusted: every reply is read through typed accessors that refuse a value of the wrong shape or
/// range, and blocks are served raw and checked against the roots on the main chain by the caller.
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

    /// Why an operator's answer was refused, or a block it serves cannot be relied on.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// A served block lists more transactions than a child block holds.
        case tooManyTransactions(block: UInt64, count: Int)
        /// A reply places a transaction in a block number no output can have.
        case blockOutOfRange(method: String, UInt64)
        /// A reply places a transaction at an index no child block has.
        case transactionIndexOutOfRange(method: String, UInt64)
        /// `plasma_getSpend` names a place no output can have.
        case spendOutOfRange(position: UInt64, block: UInt64, index: UInt64)
        /// The owner's outputs, as served, sum past 2^256.
        case balanceOverflow(Address)
        /// The main chain stores no root for the block.
        case blockNotOnMainChain(UInt64)
        /// The operator does not serve a block whose root is on the main chain.
        case blockNotServed(UInt64)
        /// The served block's transactions do not hash to the root on the main chain.
        case blockDoesNotMatchRoot(UInt64)

        public var description: String {
            switch self {
            case .tooManyTransactions(let block, let count):
                return "plasma_getBlock(\(block)) lists \(count) transactions; a child block holds at most \(ChildBlock.maxTransactions)"
            case .blockOutOfRange(let method, let block): return "\(method): block \(block) is out of range"
            case .transactionIndexOutOfRange(let method, let index): return "\(method): transaction index \(index) is out of range"
            case .spendOutOfRange(let position, let block, let index): return "plasma_getSpend(\(position)): \(block):\(index) is out of range"
            case .balanceOverflow(let owner): return "the outputs of \(owner.checksummed) sum past 2^256"
            case .blockNotOnMainChain(let n): return "child block \(n) is not on the main chain"
            case .blockNotServed(let n): return "the operator does not serve block \(n)"
            case .blockDoesNotMatchRoot(let n): return "the operator's block \(n) does not match its root on the main chain"
            }
        }
    }

    public func send(_ tx: PlasmaTransaction) throws -> H256 {
        try rpc.call("plasma_sendTransaction", [.string(tx.encoded.hexPrefixed)]).h256("plasma_sendTransaction")
    }

    /// Block `number`, or nil when the operator does not serve it.
    public func block(_ number: UInt64) throws -> ServedBlock? {
        let path = "plasma_getBlock"
        let reply = try rpc.call(path, [RPCFormat.q(number)])
        if reply.isNull { return nil }
        let previous = try reply.member("previousHeaderHash", in: path).h256("\(path).previousHeaderHash")
        let listed = try reply.member("transactions", in: path).list("\(path).transactions")
        guard listed.count <= ChildBlock.maxTransactions else { throw Failure.tooManyTransactions(block: number, count: listed.count) }
        let transactions = try listed.enumerated().map { i, raw in try raw.bytes("\(path).transactions[\(i)]") }
        return ServedBlock(number: number, previousHeaderHash: previous, transactions: transactions)
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
        let path = "plasma_getTransaction"
        let t = try rpc.call(path, [.string(hash.description)])
        if t.isNull { return nil }
        // Members a pending transaction does not have yet are absent or null.
        let block = try t["blockNumber"]?.optional { try $0.quantity64("\(path).blockNumber") }
        let index = try t["txIndex"]?.optional { try $0.quantity64("\(path).txIndex") }
        // The operator is a stranger: a place no output can have is refused, not converted (Int(_:) traps past Int.max).
        if let block, block > UTXOPosition.maxBlockNumber { throw Failure.blockOutOfRange(method: path, block) }
        if let index, index > UTXOPosition.maxTxIndex { throw Failure.transactionIndexOutOfRange(method: path, index) }
        return Placed(pending: try t["pending"]?.optional { try $0.boolean("\(path).pending") } ?? false,
                      blockNumber: block, txIndex: index.map { Int($0) },
                      submitted: try t["submitted"]?.optional { try $0.boolean("\(path).submitted") } ?? false,
                      confirmSignatures: try t["confirmSignatures"]?.optional { try $0.bytes("\(path).confirmSignatures") })
    }

    public func utxos(_ owner: Address) throws -> [(position: UTXOPosition, amount: UInt256)] {
        let path = "plasma_getUtxos"
        return try rpc.call(path, [.string(owner.checksummed)]).list(path).enumerated().map { i, u in
            let at = "\(path)[\(i)]"
            let position = try u.member("utxoPos", in: at).quantity("\(at).utxoPos")
            return (try UTXOPosition(encoded: position), try u.member("amount", in: at).quantity("\(at).amount"))
        }
    }

    /// The sum of the owner's spendable outputs.
    public func balance(_ owner: Address) throws -> UInt256 {
        var total = UInt256.zero
        for u in try utxos(owner) {
            let (sum, overflow) = total.addingReportingOverflow(u.amount)
            guard !overflow else { throw Failure.balanceOverflow(owner) }
            total = sum
        }
        return total
    }

    /// Where output `position` was spent, per the operator.
    public func spend(of position: UInt64) throws -> (block: UInt64, index: Int)? {
        let path = "plasma_getSpend"
        let s = try rpc.call(path, [RPCFormat.q(position)])
        if s.isNull { return nil }
        let b = try s.member("blockNumber", in: path).quantity64("\(path).blockNumber")
        let i = try s.member("txIndex", in: path).quantity64("\(path).txIndex")
        guard b <= UTXOPosition.maxBlockNumber, i <= UTXOPosition.maxTxIndex else { throw Failure.spendOutOfRange(position: position, block: b, index: i) }
        return (b, Int(i))
    }

    public func confirm(_ hash: H256, signatures: [UInt8]) throws {
        _ = try rpc.call("plasma_confirmTransaction", [.string(hash.description), .string(signatures.hexPrefixed)])
    }
}
