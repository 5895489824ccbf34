import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// A log with its place in the chain: its block, transaction and index in the block, and whether a
/// reorganization removed it (geth's `removed`).
public struct ChainEventLog: Sendable {
    public let log: Log
    public let header: BlockHeader
    public let transactionHash: H256
    public let transactionIndex: Int
    /// Index among all the logs of the block.
    public let logIndex: Int
    public let removed: Bool

    init(log: Log, header: BlockHeader, transactionHash: H256, transactionIndex: Int, logIndex: Int, removed: Bool) {
        self.log = log
        self.header = header
        self.transactionHash = transactionHash
        self.transactionIndex = transactionIndex
        self.logIndex = logIndex
        self.removed = removed
    }

    /// Every log of `block`, in block order (the order geth emits both new and removed logs in).
    /// Receipts past the block's transactions are ignored: a stored block has one per transaction.
    public static func logs(in block: Block, receipts: [Receipt], removed: Bool) -> [ChainEventLog] {
        var out = [ChainEventLog]()
        var logIndex = 0
        for (i, receipt) in zip(block.transactions.indices, receipts) {
            let hash = block.transactions[i].hash
            for log in receipt.logs {
                out.append(ChainEventLog(log: log, header: block.header, transactionHash: hash, transactionIndex: i,
                                         logIndex: logIndex, removed: removed))
                logIndex += 1
            }
        }
        return out
    }

    /// The log as `eth_getLogs` shows it, with `removed` set.
    func json(using eth: EthNamespace) -> JSON {
        let json = eth.logJSON(log, header: header, txHash: transactionHash, txIndex: transactionIndex, logIndex: logIndex)
        guard removed, case .object(var members) = json else { return json }
        members["removed"] = true
        return .object(members)
    }
}
