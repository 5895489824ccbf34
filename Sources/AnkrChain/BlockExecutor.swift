import AnkrEVM
import AnkrPrimitives
import AnkrTrie

/// Why an imported block does not match what executing it produced.
public enum BlockValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongParent(expected: H256, actual: H256)
    case wrongNumber(expected: UInt64, actual: UInt64)
    case timestampNotAfterParent(parent: UInt64, actual: UInt64)
    case wrongBaseFee(expected: UInt256, actual: UInt256)
    case gasLimitOutOfBounds(parent: UInt64, actual: UInt64)
    case gasUsedAboveLimit(used: UInt64, limit: UInt64)
    case nonEmptyOmmers
    case extraDataTooLong(Int)
    case mismatch(field: String, expected: String, actual: String)

    public var description: String {
        switch self {
        case .wrongParent(let e, let a): return "block's parent is \(a), expected \(e)"
        case .wrongNumber(let e, let a): return "block number \(a), expected \(e)"
        case .timestampNotAfterParent(let p, let a): return "timestamp \(a) is not after the parent's \(p)"
        case .wrongBaseFee(let e, let a): return "base fee \(a), expected \(e)"
        case .gasLimitOutOfBounds(let p, let a): return "gas limit \(a) moves more than 1/1024 from the parent's \(p)"
        case .gasUsedAboveLimit(let u, let l): return "gas used \(u) exceeds the gas limit \(l)"
        case .nonEmptyOmmers: return "ommers hash is not the empty list"
        case .extraDataTooLong(let n): return "extraData is \(n) bytes; at most 32 allowed"
        case .mismatch(let f, let e, let a): return "\(f) in header is \(a) but execution gives \(e)"
        }
    }
}

/// Executes blocks: checks a header against its parent, applies the transactions and the block
/// reward, and compares every root the header commits to.
public struct BlockExecutor: Sendable {
    public let chainID: UInt64
    public let parameters: ChainParameters
    public let systemContracts: SystemContractRegistry

    public init(chainID: UInt64, parameters: ChainParameters, systemContracts: SystemContractRegistry = SystemContractRegistry()) {
        self.chainID = chainID
        self.parameters = parameters
        self.systemContracts = systemContracts
    }

    /// The header rules that do not need execution.
    public func validateHeader(_ h: BlockHeader, parent: BlockHeader) throws {
        guard h.parentHash == parent.hash else { throw BlockValidationError.wrongParent(expected: parent.hash, actual: h.parentHash) }
        guard h.number == parent.number + 1 else { throw BlockValidationError.wrongNumber(expected: parent.number + 1, actual: h.number) }
        guard h.timestamp > parent.timestamp else { throw BlockValidationError.timestampNotAfterParent(parent: parent.timestamp, actual: h.timestamp) }
        let expectedFee = BaseFee.next(after: parent)
        guard h.baseFeePerGas == expectedFee else { throw BlockValidationError.wrongBaseFee(expected: expectedFee, actual: h.baseFeePerGas) }
        let bound = parent.gasLimit / 1024
        guard h.gasLimit >= 5000, h.gasLimit < parent.gasLimit + bound, h.gasLimit + bound > parent.gasLimit else {
            throw BlockValidationError.gasLimitOutOfBounds(parent: parent.gasLimit, actual: h.gasLimit)
        }
        guard h.gasUsed <= h.gasLimit else { throw BlockValidationError.gasUsedAboveLimit(used: h.gasUsed, limit: h.gasLimit) }
        guard h.ommersHash == BlockHeader.emptyOmmersHash else { throw BlockValidationError.nonEmptyOmmers }
        guard h.extraData.count <= BlockHeader.maxExtraData else { throw BlockValidationError.extraDataTooLong(h.extraData.count) }
    }

    /// Recovers every sender. Signature recovery dominates import time and is independent per
    /// transaction, so it runs on all cores.
    public func recoverSenders(_ txs: [Transaction]) throws -> [Address] {
        let recovery = SenderRecovery(txs, chainID: chainID)
        return try txs.indices.map { i in try sender(i, of: txs, recovery) }
    }

    /// Transaction `i`'s sender from `recovery`, its refusal as a ``ChainError/transaction(index:hash:_:)``.
    private func sender(_ i: Int, of txs: [Transaction], _ recovery: SenderRecovery) throws -> Address {
        do { return try recovery.sender(i).get() } catch let e as TransactionError {
            throw ChainError.transaction(index: i, hash: txs[i].hash, e)
        }
    }

    /// Executes `block` on `state` (which must be at the parent's state root) and checks the
    /// header's roots. Commits the new state into `state`'s node store (the caller decides whether
    /// that store reaches the database); returns the receipts. `ancestorHashes` serve BLOCKHASH.
    public func execute(_ block: Block, parent: BlockHeader, state: WorldState, ancestorHashes: [UInt64: H256] = [:]) throws -> [Receipt] {
        try validateHeader(block.header, parent: parent)
        // Senders are recovered on the other cores while the transactions before them execute.
        let recovery = SenderRecovery(block.transactions, chainID: chainID)
        defer { recovery.cancel() }
        return try executeValidated(block, state: state, ancestorHashes: ancestorHashes, digests: TransactionDigests.start(block.transactions),
                                    senders: recovery, from: 0)
    }

    /// ``execute(_:parent:state:ancestorHashes:)`` for a block whose header the caller validated
    /// against its parent, with the transactions' encodings being digested on another core
    /// (`digests`, of `block.transactions`, which the caller keeps for storing the block) and their
    /// senders recovered by `senders`, where they start at index `from` (a batch of blocks shares
    /// one recovery, so the next block's senders are recovered while this one executes).
    func executeValidated(_ block: Block, state: WorldState, ancestorHashes: [UInt64: H256],
                          digests: BackgroundComputation<TransactionDigests.Digest>, senders recovery: SenderRecovery, from offset: Int) throws -> [Receipt] {
        let context = BlockContext(header: block.header, chainID: chainID, ancestorHashes: ancestorHashes)
        let receipts: [Receipt], gasUsed: UInt64
        do {
            (receipts, gasUsed) = try applyTransactions(block.transactions, context: context, state: state) { i in
                do { return try recovery.sender(offset + i).get() } catch let e as TransactionError {
                    throw ChainError.transaction(index: i, hash: block.transactions[i].hash, e)
                }
            }
        } catch {
            // A bad signature anywhere refuses the block for that, as when all senders were recovered first.
            if let (i, e) = recovery.firstFailure(in: offset..<(offset + block.transactions.count)) {
                guard let e = e as? TransactionError else { throw e }
                throw ChainError.transaction(index: i - offset, hash: block.transactions[i - offset].hash, e)
            }
            throw error
        }
        try state.addBalance(block.header.coinbase, parameters.blockReward)
        try creditBaseFees(to: block.header.coinbase, baseFee: context.baseFee, gasUsed: gasUsed, state: state)

        let h = block.header
        func check(_ field: String, _ expected: some CustomStringConvertible & Equatable, _ actual: some CustomStringConvertible & Equatable) throws {
            guard "\(expected)" == "\(actual)" else {
                throw BlockValidationError.mismatch(field: field, expected: "\(expected)", actual: "\(actual)")
            }
        }
        // The receipts root is hashed on another core while this one checks the bloom.
        let receiptsRoot = BackgroundComputation { OrderedTrie.root(receipts.map(\.encoded)) }
        try check("gasUsed", gasUsed, h.gasUsed)
        try check("transactionsRoot", digests.wait().root, h.transactionsRoot)
        var bloom = Bloom()
        for r in receipts { bloom.formUnion(r.bloom) }
        try check("receiptsRoot", receiptsRoot.wait(), h.receiptsRoot)
        try check("logsBloom", bloom.bytes.hexPrefixed, h.logsBloom.bytes.hexPrefixed)
        try check("childChainsRoot", try systemContracts.childChainsRoot(state: state), h.childChainsRoot)
        try check("stateRoot", try state.commit(), h.stateRoot)
        return receipts
    }

    /// Applies `txs` in order; `sender(i)` gives transaction `i`'s sender (recovered ahead or on demand).
    /// Pays the block's base fees (`baseFee` × `gasUsed`) to its coinbase where the chain does not burn them
    /// (``ChainParameters/baseFeeToCoinbase``). Cannot overflow for any block a header can describe (a 256-bit fee
    /// times a 64-bit gas would need a base fee above 2^192 wei); saturates rather than trap if it did.
    func creditBaseFees(to coinbase: Address, baseFee: UInt256, gasUsed: UInt64, state: WorldState) throws {
        guard parameters.baseFeeToCoinbase, !baseFee.isZero, gasUsed > 0 else { return }
        let (fees, overflow) = baseFee.multipliedReportingOverflow(by: UInt256(gasUsed))
        try state.addBalance(coinbase, overflow ? .max : fees)
    }

    func applyTransactions(_ txs: [Transaction], context: BlockContext, state: WorldState,
                           sender: (Int) throws -> Address) throws -> (receipts: [Receipt], gasUsed: UInt64) {
        var cumulative: UInt64 = 0
        var receipts = [Receipt]()
        receipts.reserveCapacity(txs.count)
        // One hop to a deep stack for the whole block, rather than one per transaction.
        try DeepStack.run {
            for (i, tx) in txs.enumerated() {
                let from = try sender(i)
                let outcome: TransactionOutcome
                do {
                    outcome = try StateTransition.apply(tx, sender: from, context: context, gasAvailable: context.gasLimit - cumulative, state: state,
                                                        systemContracts: systemContracts)
                } catch {
                    throw BlockValidationError.mismatch(field: "transaction \(i) (\(tx.hash))", expected: "includable", actual: "\(error)")
                }
                cumulative += outcome.gasUsed
                receipts.append(Receipt(type: tx.type, succeeded: outcome.succeeded, cumulativeGasUsed: cumulative, logs: outcome.logs))
            }
        }
        return (receipts, cumulative)
    }

    /// Re-executes the first `count` transactions of `block` on `state` (at the parent's root) as importing
    /// it did, for tracing: `tracer(i)` may give transaction `i` a tracer, and `visit` sees each outcome in
    /// order. Nothing is checked against the header and nothing committed. Past `deadline` it throws
    /// ``ExecutionTimeout``; a transaction that can no longer be included (a block this chain did not
    /// execute) throws ``BlockValidationError/mismatch(field:expected:actual:)``.
    public func replay(_ block: Block, count: Int, state: WorldState, ancestorHashes: [UInt64: H256] = [:],
                       deadline: ContinuousClock.Instant? = nil, tracer: (Int) -> (any EVMTracer)?,
                       visit: (Int, Transaction, TransactionOutcome) throws -> Void) throws {
        let txs = Array(block.transactions.prefix(max(0, count)))
        let senders = try recoverSenders(txs)
        let context = BlockContext(header: block.header, chainID: chainID, ancestorHashes: ancestorHashes)
        var cumulative: UInt64 = 0
        try DeepStack.run {
            for (i, tx) in txs.enumerated() {
                let outcome: TransactionOutcome
                do {
                    outcome = try StateTransition.apply(tx, sender: senders[i], context: context, gasAvailable: context.gasLimit - cumulative,
                                                        state: state, systemContracts: systemContracts, deadline: deadline, tracer: tracer(i))
                } catch let timeout as ExecutionTimeout {
                    throw timeout
                } catch {
                    throw BlockValidationError.mismatch(field: "transaction \(i) (\(tx.hash))", expected: "includable", actual: "\(error)")
                }
                cumulative += outcome.gasUsed
                try visit(i, tx, outcome)
            }
        }
    }

    /// A transaction the builder left out, and why.
    public struct Rejection: Sendable {
        public let transaction: Transaction
        public let reason: String
    }

    /// Builds the child of `parent` from candidate transactions (already sender-recovered), in the
    /// order given, skipping any that cannot be included (or, with `maxTransactionBytes`, that would take the
    /// block's encoded transactions past it). `state` must be at the parent's root; it ends holding the new
    /// block's changes, uncommitted.
    public func produce(parent: BlockHeader, candidates: [(Transaction, Address)], coinbase: Address, timestamp: UInt64,
                        extraData: [UInt8] = [], seal: [UInt8] = [], difficulty: UInt256? = nil, maxTransactionBytes: Int? = nil,
                        ancestorHashes: [UInt64: H256] = [:], state: WorldState) throws -> (block: Block, receipts: [Receipt], rejected: [Rejection]) {
        var header = BlockHeader(
            parentHash: parent.hash, coinbase: coinbase, stateRoot: .zero, transactionsRoot: .zero, receiptsRoot: .zero,
            logsBloom: .empty, difficulty: difficulty ?? parent.difficulty, number: parent.number + 1, gasLimit: parent.gasLimit, gasUsed: 0,
            timestamp: max(timestamp, parent.timestamp == .max ? .max : parent.timestamp + 1), extraData: Array(extraData.prefix(BlockHeader.maxExtraData)),
            baseFeePerGas: BaseFee.next(after: parent), childChainsRoot: parent.childChainsRoot, seal: seal)
        let context = BlockContext(header: header, chainID: chainID, ancestorHashes: ancestorHashes)
        var included = [Transaction]()
        var receipts = [Receipt]()
        var rejected = [Rejection]()
        var bloom = Bloom()
        var cumulative: UInt64 = 0
        var bytes = 0
        let gasLimit = header.gasLimit
        // One hop to a deep stack for the whole block, rather than one per transaction.
        try DeepStack.run {
            for (tx, sender) in candidates {
                if let limit = maxTransactionBytes {
                    let size = tx.encoded.count
                    guard bytes + size <= limit else {
                        rejected.append(Rejection(transaction: tx, reason: "the block's transactions would exceed \(limit) bytes"))
                        continue
                    }
                    bytes += size
                }
                let mark = state.snapshot()
                do {
                    let outcome = try StateTransition.apply(tx, sender: sender, context: context, gasAvailable: gasLimit - cumulative, state: state,
                                                            systemContracts: systemContracts)
                    cumulative += outcome.gasUsed
                    let receipt = Receipt(type: tx.type, succeeded: outcome.succeeded, cumulativeGasUsed: cumulative, logs: outcome.logs)
                    bloom.formUnion(receipt.bloom)
                    receipts.append(receipt)
                    included.append(tx)
                } catch {
                    state.revert(to: mark)
                    if maxTransactionBytes != nil { bytes -= tx.encoded.count }
                    rejected.append(Rejection(transaction: tx, reason: "\(error)"))
                }
            }
        }
        try state.addBalance(coinbase, parameters.blockReward)
        try creditBaseFees(to: coinbase, baseFee: context.baseFee, gasUsed: cumulative, state: state)
        header.gasUsed = cumulative
        header.transactionsRoot = Block.transactionsRoot(included)
        header.receiptsRoot = OrderedTrie.root(receipts.map(\.encoded))
        header.logsBloom = bloom
        header.childChainsRoot = try systemContracts.childChainsRoot(state: state)
        header.stateRoot = try state.intermediateRoot()
        return (Block(header: header, transactions: included), receipts, rejected)
    }
}
