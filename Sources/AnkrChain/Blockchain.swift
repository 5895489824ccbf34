import AnkrPrimitives
import AnkrStorage
import AnkrTrie
import Foundation

/// What importing a block did.
public enum ImportResult: Equatable, Sendable {
    /// Already stored.
    case known
    /// Valid and stored, but its branch is not the heaviest.
    case sideChain
    /// The block is the new head. `orphaned` are transactions of blocks that left the canonical
    /// chain and are not in the new one: the mempool takes them back.
    case newHead(orphaned: [Transaction])
}

/// Why the chain refused a block or could not open.
public enum BlockchainError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownParent(H256)
    case genesisMismatch(stored: H256, configured: H256)
    case chainIDMismatch(stored: UInt64, configured: UInt64)
    case corrupt(String)
    /// A sealed block handed in as this node's own differs from the block built (or its parent moved).
    case notTheBuiltBlock(H256)
    /// The head is stamped 2^64−1, so no block can follow it.
    case timestampExhausted(H256)

    public var description: String {
        switch self {
        case .unknownParent(let h): return "parent block \(h) is unknown"
        case .genesisMismatch(let s, let c): return "the database holds genesis \(s) but the genesis file gives \(c); use another --datadir"
        case .chainIDMismatch(let s, let c): return "the database belongs to chain id \(s) but the genesis file gives \(c); use another --datadir"
        case .corrupt(let why): return "chain data is corrupt: \(why)"
        case .notTheBuiltBlock(let h): return "block \(h) is not the block this node built"
        case .timestampExhausted(let h): return "block \(h) is stamped 2^64−1: no block can follow it"
        }
    }
}

/// The block tree over a ``ChainDatabase``: validates and stores blocks, keeps the canonical chain
/// on the branch with the most total difficulty (ties: the lower head hash), and reorganizes when a
/// heavier branch appears.
///
/// Imports are serialized; reads go straight to the database and may run concurrently.
public final class Blockchain: @unchecked Sendable {
    public let database: ChainDatabase
    public let genesis: Genesis
    public let executor: BlockExecutor
    public let sealer: Sealer
    public let genesisHash: H256

    /// Serializes imports; held for a whole block's execution.
    private let importLock = NSLock()
    /// Guards only the head pointer, so readers never wait for an import to finish.
    private let headLock = NSLock()
    private var _head: BlockHeader
    private var _executedBlocks: UInt64 = 0

    /// Every stored block, in import order: the mempool, the block producer, P2P and metrics follow
    /// it (handlers run under the import lock, so they see heads in order; they must not import).
    public let imports = EventFeed<BlockImport>()

    static let headKey = "head"
    static let genesisKey = "genesis"
    static let chainIDKey = "chainId"

    public init(database: ChainDatabase, genesis: Genesis, sealer: Sealer = DevSealer(),
                systemContracts: SystemContractRegistry = SystemContractRegistry()) throws {
        self.database = database
        self.sealer = sealer
        self.genesis = genesis
        self.executor = BlockExecutor(chainID: genesis.chainID, parameters: genesis.parameters, systemContracts: systemContracts)
        let overlay = OverlayNodeStore(base: DatabaseNodeStore(database))
        let genesisBlock = try genesis.block(state: WorldState(store: overlay), systemContracts: systemContracts)
        genesisHash = genesisBlock.hash
        if let stored = try database.metadata(Self.genesisKey) {
            guard stored == genesisHash.bytes else {
                throw BlockchainError.genesisMismatch(stored: (try? H256(stored)) ?? .zero, configured: genesisHash)
            }
            let storedChainID = try database.metadata(Self.chainIDKey).flatMap { UInt256(bigEndian: $0)?.uint64 }
            guard storedChainID == genesis.chainID else {
                throw BlockchainError.chainIDMismatch(stored: storedChainID ?? 0, configured: genesis.chainID)
            }
            guard let headBytes = try database.metadata(Self.headKey), let headHash = try? H256(headBytes),
                  let stored = try database.header(headHash) else {
                throw BlockchainError.corrupt("head pointer missing")
            }
            _head = try BlockHeader(encoded: stored.rlp)
        } else {
            var batch = WriteBatch()
            batch.nodes = overlay.drain()
            batch.headers = [StoredHeader(hash: genesisHash, number: 0, parentHash: .zero, totalDifficulty: genesisBlock.header.difficulty,
                                          rlp: genesisBlock.header.encoded)]
            batch.bodies[genesisHash] = RLP.encode(.list([]))
            batch.receipts[genesisHash] = RLP.encode(.list([]))
            batch.canonical[0] = genesisHash
            batch.metadata[Self.genesisKey] = genesisHash.bytes
            batch.metadata[Self.chainIDKey] = UInt256(genesis.chainID).bigEndianBytes
            batch.metadata[Self.headKey] = genesisHash.bytes
            try database.commit(batch)
            _head = genesisBlock.header
        }
    }

    public var chainID: UInt64 { genesis.chainID }

    /// The head of the canonical chain.
    public var head: BlockHeader { headLock.withLock { _head } }

    // MARK: Reading

    public func header(hash: H256) throws -> BlockHeader? {
        try database.header(hash).map { try BlockHeader(encoded: $0.rlp) }
    }

    public func header(number: UInt64) throws -> BlockHeader? {
        guard let h = try database.canonicalHash(number) else { return nil }
        return try header(hash: h)
    }

    public func totalDifficulty(_ hash: H256) throws -> UInt256? { try database.header(hash)?.totalDifficulty }

    /// `header` and up to `count − 1` of its ancestors, newest first (on the header's own branch).
    public func ancestors(of header: BlockHeader, count: Int) -> [BlockHeader] {
        var out = [header]
        while out.count < count, let last = out.last, last.number > 0, let parent = try? self.header(hash: last.parentHash) {
            out.append(parent)
        }
        return out
    }

    /// The hashes BLOCKHASH serves in the child of `parent`: `parent` and its 255 ancestors, by number.
    public func ancestorHashes(childOf parent: BlockHeader) -> [UInt64: H256] {
        // Each header names its parent's hash, so only `parent` is hashed here.
        var hashes = [parent.number: parent.hash]
        var header = parent
        while hashes.count < 256, header.number > 0, let next = try? self.header(hash: header.parentHash), next.number + 1 == header.number {
            hashes[next.number] = header.parentHash
            header = next
        }
        return hashes
    }

    public func block(hash: H256) throws -> Block? {
        guard let h = try header(hash: hash), let body = try database.body(hash) else { return nil }
        return Block(header: h, transactions: try Self.decodeBody(body))
    }

    public func receipts(blockHash: H256) throws -> [Receipt]? {
        guard let raw = try database.receipts(blockHash) else { return nil }
        do {
            return try RLP.decode(raw).listValue().map { try Receipt(encoded: $0.bytesValue()) }
        } catch {
            throw BlockchainError.corrupt("receipts of \(blockHash): \(error)")
        }
    }

    /// A canonical transaction with its block and position.
    public func transaction(hash: H256) throws -> (transaction: Transaction, location: TransactionLocation)? {
        guard let loc = try database.transactionLocation(hash), let block = try block(hash: loc.blockHash),
              loc.index < block.transactions.count else { return nil }
        return (block.transactions[loc.index], loc)
    }

    /// The state after `header` (read-only use; writes stay in memory).
    public func state(at header: BlockHeader) -> WorldState {
        WorldState(root: header.stateRoot, store: OverlayNodeStore(base: DatabaseNodeStore(database)))
    }

    static func decodeBody(_ raw: [UInt8]) throws -> [Transaction] {
        do {
            return try RLP.decode(raw).listValue().map { item in
                switch item {
                case .list: return try Transaction(raw: RLP.encode(item))
                case .bytes(let b): return try Transaction(raw: b)
                }
            }
        } catch {
            throw BlockchainError.corrupt("block body: \(error)")
        }
    }

    // MARK: Producing

    /// Builds (without importing) the next block on the current head, executing it once; seal
    /// `built.block` and hand both to ``importBlock(_:sealed:)``.
    public func produceBlock(candidates: [(Transaction, Address)], coinbase: Address, timestamp: UInt64,
                             extraData: [UInt8] = [], maxTransactionBytes: Int? = nil) throws -> BuiltBlock {
        let parent = head
        // No child can follow a block stamped 2^64−1 (timestamps must grow): refuse, never trap.
        guard parent.timestamp < .max else { throw BlockchainError.timestampExhausted(parent.hash) }
        let time = max(timestamp, parent.timestamp + 1)
        let overlay = OverlayNodeStore(base: DatabaseNodeStore(database))
        let state = WorldState(root: parent.stateRoot, store: overlay)
        countExecution()
        let (block, receipts, rejected) = try executor.produce(parent: parent, candidates: candidates, coinbase: coinbase,
                                                              timestamp: time, extraData: extraData,
                                                              difficulty: sealer.difficulty(parent: parent, timestamp: time),
                                                              maxTransactionBytes: maxTransactionBytes, ancestorHashes: ancestorHashes(childOf: parent), state: state)
        try state.commit()
        return BuiltBlock(block: block, rejected: rejected, receipts: receipts, nodes: overlay.drain())
    }

    /// Blocks executed so far (built or imported): each block this node produces is executed once.
    public var executedBlocks: UInt64 { headLock.withLock { _executedBlocks } }

    private func countExecution() { headLock.withLock { _executedBlocks &+= 1 } }

    // MARK: Importing

    /// Validates, executes and stores a block from anyone in one database transaction, then applies fork choice.
    @discardableResult
    public func importBlock(_ block: Block) throws -> ImportResult {
        var created: SenderRecovery?
        defer { created?.cancel() }
        return try importBlock(block, writeBehind: false) {
            let recovery = SenderRecovery(block.transactions, chainID: executor.chainID)
            created = recovery
            return (recovery, 0)
        }
    }

    /// Imports `blocks` in order, as ``importBlock(_:)`` one by one, calling `imported` after each;
    /// stops at the first that throws and rethrows its error (the blocks before it stay imported).
    /// Sync hands blocks over in batches: the batch shares one sender recovery, and once a block's
    /// seal and header pass, the other cores may recover its senders and the next block's, so the
    /// next block's are ready while this one executes and is stored.
    ///
    /// Each block's write to SQLite overlaps the next block's execution (``ChainDatabase/commitBehind(_:)``);
    /// when this returns or throws, every block it imported is on disk, as with ``importBlock(_:)``.
    public func importBlocks(_ blocks: [Block], imported: (Block, ImportResult) -> Void = { _, _ in }) throws {
        let recovery = SenderRecovery(blocks.flatMap(\.transactions), chainID: executor.chainID, allowAll: false)
        // Whatever happens, the workers stop claiming transactions of blocks that will not be imported.
        defer { recovery.cancel() }
        var offset = 0
        do {
            for (k, block) in blocks.enumerated() {
                // Once this block's seal and header pass: its senders and the next block's (a peer can
                // make us recover at most one block past each block whose seal holds).
                let lookahead = offset + blocks[k..<min(blocks.count, k + 2)].reduce(0) { $0 + $1.transactions.count }
                let start = offset
                imported(block, try importBlock(block, writeBehind: true) {
                    // Blocks before this one that were already stored are skipped, not recovered.
                    recovery.allow(from: start, upTo: lookahead)
                    return (recovery, start)
                })
                offset += block.transactions.count
            }
        } catch {
            // The blocks before the refused one stay imported: on disk before the refusal is reported.
            try database.flush()
            throw error
        }
        try database.flush()
    }

    /// ``importBlock(_:)`` of a block whose senders `senders()` recovers (from the index it returns
    /// on); it is called only once the block's seal and header passed. `writeBehind`: the block's
    /// write may still be under way when this returns (the caller flushes).
    private func importBlock(_ block: Block, writeBehind: Bool, senders: () -> (SenderRecovery, Int)) throws -> ImportResult {
        try importing(block, origin: .external, writeBehind: writeBehind) { parent in
            try sealer.verifySeal(block.header, parent: parent, chain: self)
            countExecution()
            try executor.validateHeader(block.header, parent: parent)
            let (recovery, offset) = senders()
            let digests = TransactionDigests.start(block.transactions)
            let overlay = OverlayNodeStore(base: DatabaseNodeStore(database))
            let state = WorldState(root: parent.stateRoot, store: overlay)
            let receipts = try executor.executeValidated(block, state: state, ancestorHashes: ancestorHashes(childOf: parent),
                                                         digests: digests, senders: recovery, from: offset)
            return (receipts, overlay.drain(), digests.wait())
        }
    }

    /// Stores a block this node built and sealed: its execution is `built`'s and its seal is our own
    /// sealer's, so neither is repeated. `sealed` must be `built.block` with only the seal added.
    @discardableResult
    public func importBlock(_ built: BuiltBlock, sealed: Block) throws -> ImportResult {
        guard sealed.header.sealHash == built.block.header.sealHash, sealed.transactions == built.block.transactions else {
            throw BlockchainError.notTheBuiltBlock(sealed.hash)
        }
        // The seal hash covers the parent, so the stored parent is the one the block was executed on.
        return try importing(sealed, origin: .produced, writeBehind: false) { _ in (built.receipts, built.nodes, TransactionDigests.compute(sealed.transactions)) }
    }

    /// The import path both doors share: `execute` checks the block against its stored parent and
    /// returns its receipts and state nodes; the rest (storage, fork choice, the event) is common.
    private func importing(_ block: Block, origin: BlockOrigin, writeBehind: Bool,
                           execute: (BlockHeader) throws -> (receipts: [Receipt], nodes: [H256: [UInt8]], digest: TransactionDigests.Digest)) throws -> ImportResult {
        let started = ContinuousClock.now
        return try importLock.withLock {
            let hash = block.hash
            if try database.header(hash) != nil { return .known }
            // After a failed write nothing can be stored: do not execute the block for nothing.
            try database.checkWritable()
            guard let parentStored = try database.header(block.header.parentHash) else {
                throw BlockchainError.unknownParent(block.header.parentHash)
            }
            let parent = try BlockHeader(encoded: parentStored.rlp)
            let (receipts, nodes, digest) = try execute(parent)
            var batch = WriteBatch()
            batch.nodes = nodes
            let result = try store(block, receipts: receipts, digest: digest, parentTotalDifficulty: parentStored.totalDifficulty,
                                   batch: &batch, writeBehind: writeBehind)
            imports.send(BlockImport(block: block, result: result, took: ContinuousClock.now - started, origin: origin))
            return result
        }
    }

    /// Writes `block` (whose transactions `digest` digests) and applies fork choice.
    private func store(_ block: Block, receipts: [Receipt], digest: TransactionDigests.Digest, parentTotalDifficulty: UInt256,
                       batch: inout WriteBatch, writeBehind: Bool) throws -> ImportResult {
        func commit() throws { writeBehind ? try database.commitBehind(batch) : try database.commit(batch) }
        let hash = block.hash
        let (td, _) = parentTotalDifficulty.addingReportingOverflow(block.header.difficulty)
        batch.headers = [StoredHeader(hash: hash, number: block.number, parentHash: block.header.parentHash, totalDifficulty: td,
                                      rlp: block.header.encoded)]
        batch.bodies[hash] = digest.body
        batch.receipts[hash] = RLP.encode(.list(receipts.map { .bytes($0.encoded) }))

        let currentHead = head
        guard let headTD = try database.header(currentHead.hash)?.totalDifficulty else { throw BlockchainError.corrupt("head header missing") }
        // Most total difficulty wins; an exact tie goes to the lower block hash, so every node picks
        // the same head without waiting for the next block.
        guard td > headTD || (td == headTD && hash < currentHead.hash) else {
            try commit()
            return .sideChain
        }
        let orphaned = try reorganize(to: block, hashes: digest.hashes, onto: currentHead, batch: &batch)
        batch.metadata[Self.headKey] = hash.bytes
        try commit()
        headLock.withLock { _head = block.header }
        return .newHead(orphaned: orphaned)
    }

    /// Fills `batch` with the canonical-chain and index changes that make `block` (its transactions'
    /// hashes `hashes`) the head.
    private func reorganize(to block: Block, hashes: [H256], onto oldHead: BlockHeader, batch: inout WriteBatch) throws -> [Transaction] {
        // Walk the new branch back until it meets the canonical chain.
        var newBranch = [(block, hashes)]
        var cursor = block.header
        while cursor.number > 0, try database.canonicalHash(cursor.number - 1) != cursor.parentHash {
            guard let parent = try self.block(hash: cursor.parentHash) else { throw BlockchainError.corrupt("missing ancestor \(cursor.parentHash)") }
            newBranch.append((parent, parent.transactions.map(\.hash)))
            cursor = parent.header
        }
        let ancestor = cursor.number - 1
        var oldTransactions = [Transaction]()
        if oldHead.number > ancestor {
            for n in (ancestor + 1)...oldHead.number {
                guard let h = try database.canonicalHash(n), let old = try self.block(hash: h) else { continue }
                oldTransactions += old.transactions
                batch.removeTransactions += old.transactions.map(\.hash)
            }
        }
        var newHashes = Set<H256>()
        for (b, hashes) in newBranch {
            let blockHash = b.hash
            batch.canonical[b.number] = blockHash
            for (i, h) in hashes.enumerated() {
                newHashes.insert(h)
                batch.addTransactions[h] = TransactionLocation(blockHash: blockHash, blockNumber: b.number, index: i)
            }
        }
        batch.removeTransactions.removeAll { newHashes.contains($0) }
        if oldHead.number > block.number { batch.truncateCanonicalAbove = block.number }
        return oldTransactions.filter { !newHashes.contains($0.hash) }
    }
}
