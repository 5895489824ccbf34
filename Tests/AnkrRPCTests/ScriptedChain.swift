import AnkrPrimitives
import AnkrRPC

/// A node whose chain a test scripts: every receipt query first runs the next step of `script`
/// (mine blocks, switch to another branch, …), so a ``ConfirmationWaiter`` sees the chain move and
/// reorganise under it between its polls.
final class ScriptedChain: ConfirmationSource {
    let transaction: H256
    /// Canonical block hashes by number; block 0 is the genesis.
    private(set) var canonical: [H256] = [ScriptedChain.blockHash(branch: 0, number: 0)]
    /// Where `eth_getTransactionReceipt` says the transaction is (it may name an orphaned block).
    var receiptBlock: (number: UInt64, hash: H256)?
    /// The node knows the transaction while it is pooled or mined.
    var pooled = false
    /// The status the receipt reports.
    var succeeded = true
    /// A head number answered instead of the chain's own (a hostile or racing node).
    var reportedHead: UInt64?
    /// What `eth_sendRawTransaction` throws; nil takes the transaction into the pool.
    var sendError: RPCClientError?
    private(set) var sent: [[UInt8]] = []
    var script: [(ScriptedChain) -> Void]
    private(set) var receiptQueries = 0

    init(transaction: H256, script: [(ScriptedChain) -> Void] = []) {
        self.transaction = transaction
        self.script = script
    }

    static func blockHash(branch: UInt8, number: UInt64) -> H256 {
        Keccak256.h256([branch] + withUnsafeBytes(of: number.bigEndian, Array.init))
    }

    var head: UInt64 { UInt64(canonical.count - 1) }

    /// Appends `count` empty blocks of `branch`.
    func mine(_ count: Int, branch: UInt8 = 0) {
        for _ in 0..<count { canonical.append(Self.blockHash(branch: branch, number: head + 1)) }
    }

    /// Appends a block of `branch` holding the transaction.
    func mineTransaction(branch: UInt8 = 0) {
        mine(1, branch: branch)
        receiptBlock = (head, canonical[Int(head)])
        pooled = true
    }

    /// Drops every block above `height` (the transaction's receipt goes too unless `staleReceipt`),
    /// then appends `count` blocks of `branch`: a reorganisation to a branch without the transaction.
    func reorg(above height: UInt64, to branch: UInt8, count: Int, staleReceipt: Bool = false, poolKeeps: Bool = true) {
        canonical.removeLast(canonical.count - 1 - Int(height))
        if let r = receiptBlock, r.number > height, !staleReceipt { receiptBlock = nil }
        pooled = poolKeeps
        mine(count, branch: branch)
    }

    func receipt(_ hash: H256) throws -> EthClient.Receipt? {
        receiptQueries += 1
        if !script.isEmpty { script.removeFirst()(self) }
        guard hash == transaction, let r = receiptBlock else { return nil }
        return try EthClient.Receipt(json: [
            "transactionHash": .string(hash.description), "transactionIndex": "0x0", "blockHash": .string(r.hash.description),
            "blockNumber": .string("0x" + String(r.number, radix: 16)), "from": "0x00000000000000000000000000000000000000aa",
            "to": "0x00000000000000000000000000000000000000bb", "cumulativeGasUsed": "0x5208", "gasUsed": "0x5208",
            "effectiveGasPrice": "0x1", "status": succeeded ? "0x1" : "0x0", "logs": [],
        ])
    }

    func blockNumber() throws -> UInt64 { reportedHead ?? head }

    func canonicalHash(at number: UInt64) throws -> H256? {
        return number <= head ? canonical[Int(number)] : nil
    }

    func knows(_ hash: H256) throws -> Bool { hash == transaction && (pooled || receiptBlock != nil) }

    func sendRawTransaction(_ raw: [UInt8]) throws -> H256 {
        sent.append(raw)
        if let sendError { throw sendError }
        pooled = true
        return transaction
    }
}
