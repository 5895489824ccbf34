import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// The block-indexed lookups: transactions by block and position, a block's receipts, its transaction
/// count by hash, and its EIP-7928 access list (which no Ankr block has).
extension EthNamespace {
    func registerBlockLookups(in table: RPCMethodTable) {
        table.register("eth_getBlockTransactionCountByHash") { p in
            try p.expect(min: 1, max: 1)
            guard let block = try chain.block(hash: try p.hash(0, "blockHash")) else { return .null }
            return RPCFormat.q(block.transactions.count)
        }
        table.register("eth_getTransactionByBlockHashAndIndex") { p in
            try p.expect(min: 2, max: 2)
            return try transaction(in: try chain.header(hash: try p.hash(0, "blockHash")), index: p.quantity64(1, "index"))
        }
        table.register("eth_getTransactionByBlockNumberAndIndex") { p in
            try p.expect(min: 2, max: 2)
            return try transaction(in: try header(p.value(0), "block"), index: p.quantity64(1, "index"))
        }
        // Reads every receipt of one block: bounded by the block gas limit, but heavier than one lookup.
        table.register("eth_getBlockReceipts", heavy: true) { p in
            try p.expect(min: 1, max: 1)
            guard let header = try blockHeader(p.value(0)), let block = try chain.block(hash: header.hash),
                  let receipts = try chain.receipts(blockHash: header.hash), receipts.count == block.transactions.count else { return .null }
            return .array(block.transactions.indices.map { i in
                receiptJSON(block.transactions[i], index: i, header: header, receipts: receipts)
            })
        }
        // EIP-7928 access lists come with Amsterdam, which Ankr does not run: an unknown block is null, a known one
        // answers the spec's -32001 (as debug_getRawBlockAccessList does).
        table.register("eth_getBlockAccessList") { p in
            try p.expect(min: 1, max: 1)
            guard let header = try blockHeader(p.value(0)) else { return .null }
            throw RPCError(code: -32001, message: "block access list not found: block \(header.number) predates EIP-7928 (Amsterdam)")
        }
    }

    /// A block by number, tag or hash (a bare 32-byte hash is accepted as geth's BlockNumberOrHash does).
    func blockHeader(_ tag: JSON?) throws -> BlockHeader? {
        if let s = tag?.string, s.count == 66, s.hasPrefix("0x") {
            return try chain.header(hash: try RPCParams.hash(tag, "blockHash"))
        }
        guard tag != nil, tag != .null else { throw RPCError.invalidParams("block is required") }
        return try header(tag, "block")
    }

    /// The transaction at `index` of the block `header` heads, or null when either is missing.
    func transaction(in header: BlockHeader?, index: UInt64) throws -> JSON {
        guard let header, let block = try chain.block(hash: header.hash), index < UInt64(block.transactions.count) else { return .null }
        let i = Int(index)
        return try transactionJSON(block.transactions[i], location: .init(blockHash: header.hash, blockNumber: header.number, index: i),
                                   baseFee: header.baseFeePerGas, blockTimestamp: header.timestamp)
    }

    /// The receipt of the transaction at `index` of a block, given all the block's receipts (gas used
    /// and the first log index come from those before it).
    func receiptJSON(_ tx: Transaction, index: Int, header: BlockHeader, receipts: [Receipt]) -> JSON {
        let r = receipts[index]
        let previous = index == 0 ? 0 : receipts[index - 1].cumulativeGasUsed
        let firstLogIndex = receipts[..<index].reduce(0) { $0 + $1.logs.count }
        let sender = try? tx.recoverSender()
        let hash = tx.hash
        return [
            "transactionHash": .string(hash.description), "transactionIndex": RPCFormat.q(index),
            "blockHash": .string(header.hash.description), "blockNumber": RPCFormat.q(header.number),
            "from": .optional(sender?.checksummed), "to": .optional(tx.to?.checksummed), "cumulativeGasUsed": RPCFormat.q(r.cumulativeGasUsed),
            // Cumulative gas only grows within a valid block; a corrupt one answers 0 rather than trapping.
            "gasUsed": RPCFormat.q(r.cumulativeGasUsed >= previous ? r.cumulativeGasUsed - previous : 0),
            "effectiveGasPrice": RPCFormat.q(min(tx.feeCap, header.baseFeePerGas &+ tx.tipCap)),
            "contractAddress": .optional(sender.flatMap { tx.createdContract(sender: $0)?.checksummed }),
            "logsBloom": RPCFormat.data(r.bloom.bytes), "status": r.succeeded ? "0x1" : "0x0",
            "type": RPCFormat.q(UInt64(tx.type.rawValue)),
            "logs": .array(r.logs.enumerated().map { i, log in
                logJSON(log, header: header, txHash: hash, txIndex: index, logIndex: firstLogIndex + i)
            }),
        ]
    }
}
