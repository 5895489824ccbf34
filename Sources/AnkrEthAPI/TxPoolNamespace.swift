import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// The `txpool_` methods: what the transaction pool holds, split as geth splits it. A sender's
/// transactions whose nonces run on without a gap from its account nonce are `pending` (executable);
/// those after a gap are `queued`. Served only with `--http.api …,txpool`, as in geth.
public struct TxPoolNamespace: Sendable {
    public let backend: RPCBackend

    public init(backend: RPCBackend) {
        self.backend = backend
    }

    /// One sender's pooled transactions, by nonce.
    struct SenderQueue {
        var pending: [(UInt64, Transaction)] = []
        var queued: [(UInt64, Transaction)] = []
    }

    public func register(in table: RPCMethodTable) {
        table.register("txpool_status") { p in
            try p.expect(min: 0, max: 0)
            let queues = try split()
            return ["pending": RPCFormat.q(queues.values.reduce(0) { $0 + $1.pending.count }),
                    "queued": RPCFormat.q(queues.values.reduce(0) { $0 + $1.queued.count })]
        }
        // The whole pool: bounded by the mempool's capacity (4096 transactions by default).
        table.register("txpool_content", heavy: true) { p in
            try p.expect(min: 0, max: 0)
            let queues = try split()
            var pending = [String: JSON](), queued = [String: JSON]()
            for (sender, queue) in queues {
                if !queue.pending.isEmpty { pending[sender.checksummed] = try byNonce(queue.pending) }
                if !queue.queued.isEmpty { queued[sender.checksummed] = try byNonce(queue.queued) }
            }
            return ["pending": .object(pending), "queued": .object(queued)]
        }
        table.register("txpool_contentFrom") { p in
            try p.expect(min: 1, max: 1)
            let queue = try split()[try p.address(0)] ?? SenderQueue()
            return ["pending": try byNonce(queue.pending), "queued": try byNonce(queue.queued)]
        }
    }

    /// The pool by sender, each sender's transactions split into pending and queued at the head state.
    func split() throws -> [Address: SenderQueue] {
        var bySender = [Address: [UInt64: Transaction]]()
        for (tx, sender) in backend.mempool.all() { bySender[sender, default: [:]][tx.nonce] = tx }
        let state = backend.chain.state(at: backend.chain.head)
        var out = [Address: SenderQueue]()
        for (sender, txs) in bySender {
            var next = try state.nonce(sender)
            var queue = SenderQueue()
            for nonce in txs.keys.sorted() {
                guard let tx = txs[nonce] else { continue }
                if nonce == next, next < .max {
                    queue.pending.append((nonce, tx))
                    next += 1
                } else {
                    queue.queued.append((nonce, tx))
                }
            }
            out[sender] = queue
        }
        return out
    }

    /// {"<decimal nonce>": transaction}, as geth keys them.
    func byNonce(_ txs: [(UInt64, Transaction)]) throws -> JSON {
        let eth = EthNamespace(backend: backend)
        var out = [String: JSON]()
        for (nonce, tx) in txs { out[String(nonce)] = try eth.transactionJSON(tx, location: nil, baseFee: nil) }
        return .object(out)
    }
}
