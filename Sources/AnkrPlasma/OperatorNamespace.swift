import AnkrPrimitives
import AnkrRPC

/// The operator's `plasma_` JSON-RPC methods, for wallets and watchers:
///
/// - `plasma_sendTransaction(raw)` → tx hash; refusals are JSON-RPC errors naming the reason.
/// - `plasma_sendTransactions([raw, …])` (at most ``maxTransactionsPerCall``) → one `{"hash"}` or
///   `{"error"}` per transaction, in order: the batch is recovered on every core while it is checked,
///   and stored in one commit.
/// - `plasma_getBlock(number)` → `{number, root, headerHash, previousHeaderHash, deposit, submitted, transactions: [raw]}` or null.
/// - `plasma_blockNumber` → the newest operator block.
/// - `plasma_getTransaction(hash)` → `{hash, raw, pending, blockNumber, txIndex, position, confirmSignatures}` or null.
/// - `plasma_getUtxos(address)` → the address's unspent outputs not spent by a pending transaction;
///   `plasma_getBalance(address)` → the sum of its unspent outputs (outputs exiting to the main chain excluded).
/// - `plasma_getProof(blockNumber, txIndex)` → `{root, leaf, proof}`.
/// - `plasma_getSpend(utxoPos)` → where that output was spent, or null.
/// - `plasma_confirmTransaction(hash, signatures)`: the input owners' confirm signatures, checked and kept.
/// - `plasma_status` → chain, latest block, pending count.
public struct OperatorNamespace: Sendable {
    public let chainOperator: PlasmaOperator
    public let chain: UInt64

    /// Transactions one `plasma_sendTransactions` call may carry.
    public static let maxTransactionsPerCall = 4_096
    /// A child-chain transaction is at most this long.
    static let maxTransactionBytes = 1_024

    public init(operator: PlasmaOperator, chain: UInt64) { chainOperator = `operator`; self.chain = chain }

    public func register(in table: RPCMethodTable) {
        let op = chainOperator
        table.register("plasma_sendTransaction") { p in
            try p.expect(min: 1, max: 1)
            let raw = try p.bytes(0, "transaction")
            guard raw.count <= Self.maxTransactionBytes else { throw RPCError.invalidParams("a child-chain transaction is at most 1 KiB") }
            do { return .string(try op.accept(raw).description) } catch let r as PlasmaOperator.Refusal { throw RPCError.server(r.description) }
        }
        // Heavy: one call recovers up to 8,192 signatures on every core.
        table.register("plasma_sendTransactions", heavy: true) { p in
            try p.expect(min: 1, max: 1)
            guard case .array(let items)? = p.value(0) else { throw RPCError.invalidParams("transactions must be an array of hex strings") }
            guard items.count <= Self.maxTransactionsPerCall else {
                throw RPCError.invalidParams("at most \(Self.maxTransactionsPerCall) transactions per call, got \(items.count)")
            }
            // Every item is read before any is accepted: a malformed one refuses the whole call.
            let list = RPCParams(items)
            let raws = try items.indices.map { i -> [UInt8] in
                let raw = try list.bytes(i, "transaction \(i)")
                guard raw.count <= Self.maxTransactionBytes else { throw RPCError.invalidParams("transaction \(i) is longer than 1 KiB") }
                return raw
            }
            return .array(op.accept(batch: raws).map { result in
                switch result {
                case .success(let hash): return ["hash": .string(hash.description)]
                case .failure(let refusal): return ["error": .string(refusal.description)]
                }
            })
        }
        table.register("plasma_blockNumber") { p in
            try p.expect(min: 0, max: 0)
            return RPCFormat.q(op.ledgerSnapshot.latestOperatorBlock)
        }
        table.register("plasma_getBlock") { p in
            try p.expect(min: 1, max: 1)
            let ledger = op.ledgerSnapshot
            guard let n = try p.quantity(0, "block number").uint64, let block = ledger.blocks[n], let root = ledger.roots[n] else { return .null }
            return [
                "number": RPCFormat.q(block.number), "root": .string(root.description),
                "headerHash": .string(ChildBlock.headerHash(root: root, previous: block.previousHeaderHash).description),
                "previousHeaderHash": .string(block.previousHeaderHash.description), "deposit": .bool(block.number % PlasmaRootState.childBlockInterval != 0),
                "submitted": .bool(op.isSubmitted(block.number)), "transactions": .array(block.transactions.map { RPCFormat.data($0.encoded) }),
            ]
        }
        table.register("plasma_getTransaction") { p in
            try p.expect(min: 1, max: 1)
            let hash = try p.hash(0)
            let ledger = op.ledgerSnapshot
            guard let at = ledger.location(of: hash), let tx = ledger.transaction(at: at) else {
                return op.isPending(hash) ? ["hash": .string(hash.description), "pending": true] : .null
            }
            return [
                "hash": .string(hash.description), "raw": RPCFormat.data(tx.encoded), "pending": false, "blockNumber": RPCFormat.q(at.block),
                "txIndex": RPCFormat.q(at.index), "position": RPCFormat.q(at.position), "submitted": .bool(op.isSubmitted(at.block)),
                "confirmSignatures": op.confirmation(of: hash).map(RPCFormat.data) ?? .null,
            ]
        }
        table.register("plasma_getUtxos") { p in
            try p.expect(min: 1, max: 1)
            return .array(op.spendable(of: try p.address(0)).map { u in
                ["utxoPos": RPCFormat.q(u.position.encoded), "position": .string(u.position.description), "blockNumber": RPCFormat.q(u.position.blockNumber),
                 "txIndex": RPCFormat.q(u.position.txIndex), "outputIndex": RPCFormat.q(u.position.outputIndex), "amount": RPCFormat.q(u.output.amount)]
            })
        }
        table.register("plasma_getBalance") { p in
            try p.expect(min: 1, max: 1)
            return RPCFormat.q(op.balance(of: try p.address(0)))
        }
        table.register("plasma_getProof") { p in
            try p.expect(min: 2, max: 2)
            let number = try p.quantity(0, "block number")
            guard let n = number.uint64, let block = op.ledgerSnapshot.blocks[n] else {
                // Named as the caller wrote it (hex text, or a JSON number).
                throw RPCError.invalidParams("no child block \(p.value(0)?.string ?? number.description)")
            }
            guard let i = try p.quantity(1, "transaction index").uint64, i < block.transactions.count else {
                throw RPCError.invalidParams("block \(n) has \(block.transactions.count) transactions")
            }
            let tree = block.tree()
            return ["root": .string(tree.root.description), "leaf": .string(block.transactions[Int(i)].merkleLeaf.description),
                    "proof": RPCFormat.data(try tree.proof(index: Int(i)))]
        }
        table.register("plasma_getSpend") { p in
            try p.expect(min: 1, max: 1)
            guard let pos = try p.quantity(0, "utxo position").uint64, let at = op.ledgerSnapshot.spender(of: pos) else { return .null }
            return ["blockNumber": RPCFormat.q(at.block), "txIndex": RPCFormat.q(at.index), "position": RPCFormat.q(at.position)]
        }
        table.register("plasma_confirmTransaction") { p in
            try p.expect(min: 2, max: 2)
            do { try op.confirm(try p.hash(0), signatures: try p.bytes(1, "signatures")) } catch let r as PlasmaOperator.Refusal {
                throw RPCError.server(r.description)
            }
            return true
        }
        table.register("plasma_status") { p in
            try p.expect(min: 0, max: 0)
            let ledger = op.ledgerSnapshot
            return ["chain": RPCFormat.q(chain), "root": .string(ChildChainRegistry.rootAddress(chain).checksummed),
                    "latestBlock": RPCFormat.q(ledger.latestOperatorBlock), "blocks": .int(clamping: ledger.blocks.count), "pending": .int(clamping: op.pendingCount)]
        }
    }
}
