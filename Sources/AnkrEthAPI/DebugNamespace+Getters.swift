import AnkrChain
import AnkrPrimitives
import AnkrRPC

extension DebugNamespace {
    /// `debug_getRawHeader`, `debug_getRawBlock`, `debug_getRawReceipts`, `debug_getRawTransaction`,
    /// `debug_getRawBlockAccessList` and `debug_getBadBlocks`.
    func registerGetters(in table: RPCMethodTable) {
        table.register("debug_getRawHeader", heavy: true) { p in
            try p.expect(min: 1, max: 1)
            return RPCFormat.data(try requireHeader(p.value(0), "block").encoded)
        }
        table.register("debug_getRawBlock", heavy: true) { p in
            try p.expect(min: 1, max: 1)
            return RPCFormat.data(try requireBlock(requireHeader(p.value(0), "block")).encoded)
        }
        table.register("debug_getRawReceipts", heavy: true) { p in
            try p.expect(min: 1, max: 1)
            let header = try requireHeader(p.value(0), "block")
            guard let receipts = try chain.receipts(blockHash: header.hash) else {
                throw RPCError.server("receipts of block \(header.hash) not found")
            }
            // Each receipt in its EIP-2718 envelope (type byte first for typed transactions), as consensus hashes it.
            return .array(receipts.map { RPCFormat.data($0.encoded) })
        }
        table.register("debug_getRawTransaction", heavy: true) { p in
            try p.expect(min: 1, max: 1)
            let hash = try p.hash(0, "transaction hash")
            // As geth: a canonical transaction, else a pending one, else empty bytes ("0x", what geth's nil bytes encode to).
            if let (tx, _) = try chain.transaction(hash: hash) { return RPCFormat.data(tx.encoded) }
            if let tx = backend.mempool.transaction(hash) { return RPCFormat.data(tx.encoded) }
            return RPCFormat.data([])
        }
        table.register("debug_getRawBlockAccessList", heavy: true) { p in
            try p.expect(min: 1, max: 1)
            let header = try requireHeader(p.value(0), "block")
            // EIP-7928 access lists start with Amsterdam; a Cancun block has none (the spec's "resource not found").
            throw RPCError(code: -32001, message: "block access list not found: block \(header.number) predates EIP-7928 (Amsterdam)")
        }
        table.register("debug_getBadBlocks", heavy: true) { p in
            try p.expect(min: 0, max: 0)
            // Blocks that fail import are refused and not stored, so there is none to show: what a geth that saw none answers.
            return []
        }
    }
}
