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

    public var description: String {
        switch self {
        case .unknownParent(let h): return "parent block \(h) is unknown"
        case .genesisMismatch(let s, let c): return "the database holds genesis \(s) but the genesis file gives \(c); use another --datadir"
        case .chainIDMismatch(let s, let c): return "the database belongs to chain id \(s) but the genesis file gives \(c); use another --datadir"
        case .corrupt(let why): return "chain data is corrupt: \(why)"
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
    /// Executions of blocks produced here, by seal hash, waiting for their sealed block's import.
    private var produced: [H256: Execution] = [:]
    private let producedLock = NSLock()

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

    /// Builds (without importing) the next block on the current head. Its execution result is kept
    /// for a while, so importing the sealed block does not execute it a second time.
    public func produceBlock(candidates: [(Transaction, Address)], coinbase: Address, timestamp: UInt64,
                             extraData: [UInt8] = []) throws -> (block: Block, rejected: [BlockExecutor.Rejection]) {
        let parent = head
        let time = max(timestamp, parent.timestamp + 1)
        let overlay = OverlayNodeStore(base: DatabaseNodeStore(database))
        let state = WorldState(root: parent.stateRoot, store: overlay)
        let (block, receipts, rejected) = try executor.produce(parent: parent, candidates: candidates, coinbase: coinbase,
                                                              timestamp: time, extraData: extraData,
                                                              difficulty: sealer.difficulty(parent: parent, timestamp: time),
                                                              ancestorHashes: ancestorHashes(childOf: parent), state: state)
        try state.commit()
        producedLock.withLock {
            // The header without its seal identifies the execution: same parent, transactions and roots.
            if produced.count >= 8 { produced.removeAll() }
            produced[block.header.sealHash] = Execution(receipts: receipts, nodes: overlay.drain())
        }
        return (block, rejected)
    }

    /// The outcome of executing a block this node built itself.
    struct Execution {
        let receipts: [Receipt]
        let nodes: [H256: [UInt8]]
    }

    // MARK: Importing

    /// Validates, executes and stores a block in one database transaction, then applies fork choice.
    @discardableResult
    public func importBlock(_ block: Block) throws -> ImportResult {
        let started = ContinuousClock.now
        let result = try importLock.withLock { try importLocked(block) }
        if result != .known { onImport?(block.header, ContinuousClock.now - started, result) }
        return result
    }

    /// Told about every block stored (not already known): its header, how long the import took
    /// (validation, execution, commit) and the fork-choice outcome. Set before importing.
    public var onImport: (@Sendable (BlockHeader, Duration, ImportResult) -> Void)?

    private func importLocked(_ block: Block) throws -> ImportResult {
        let hash = block.hash
        if try database.header(hash) != nil { return .known }
        guard let parentStored = try database.header(block.header.parentHash) else {
            throw BlockchainError.unknownParent(block.header.parentHash)
        }
        let parent = try BlockHeader(encoded: parentStored.rlp)
        try sealer.verifySeal(block.header, parent: parent)
        let receipts: [Receipt]
        var batch = WriteBatch()
        if let own = producedLock.withLock({ produced.removeValue(forKey: block.header.sealHash) }) {
            // Built here from the same parent and roots: only the seal is new, and it was checked. The body
            // must still be the one the header commits to.
            try executor.validateHeader(block.header, parent: parent)
            let root = Block.transactionsRoot(block.transactions)
            guard root == block.header.transactionsRoot else {
                throw BlockValidationError.mismatch(field: "transactionsRoot", expected: root.description,
                                                    actual: block.header.transactionsRoot.description)
            }
            receipts = own.receipts
            batch.nodes = own.nodes
        } else {
            let overlay = OverlayNodeStore(base: DatabaseNodeStore(database))
            let state = WorldState(root: parent.stateRoot, store: overlay)
            receipts = try executor.execute(block, parent: parent, state: state, ancestorHashes: ancestorHashes(childOf: parent))
            batch.nodes = overlay.drain()
        }

        let (td, _) = parentStored.totalDifficulty.addingReportingOverflow(block.header.difficulty)
        batch.headers = [StoredHeader(hash: hash, number: block.number, parentHash: block.header.parentHash, totalDifficulty: td,
                                      rlp: block.header.encoded)]
        batch.bodies[hash] = RLP.encode(.list(block.transactions.map(Block.item)))
        batch.receipts[hash] = RLP.encode(.list(receipts.map { .bytes($0.encoded) }))

        let currentHead = head
        guard let headTD = try database.header(currentHead.hash)?.totalDifficulty else { throw BlockchainError.corrupt("head header missing") }
        // Most total difficulty wins; an exact tie goes to the lower block hash, so every node picks
        // the same head without waiting for the next block.
        guard td > headTD || (td == headTD && hash < currentHead.hash) else {
            try database.commit(batch)
            return .sideChain
        }
        let orphaned = try reorganize(to: block, onto: currentHead, batch: &batch)
        batch.metadata[Self.headKey] = hash.bytes
        try database.commit(batch)
        headLock.withLock { _head = block.header }
        return .newHead(orphaned: orphaned)
    }

    /// Fills `batch` with the canonical-chain and index changes that make `block` the head.
    private func reorganize(to block: Block, onto oldHead: BlockHeader, batch: inout WriteBatch) throws -> [Transaction] {
        // Walk the new branch back until it meets the canonical chain.
        var newBranch = [block]
        var cursor = block.header
        while cursor.number > 0, try database.canonicalHash(cursor.number - 1) != cursor.parentHash {
            guard let parent = try self.block(hash: cursor.parentHash) else { throw BlockchainError.corrupt("missing ancestor \(cursor.parentHash)") }
            newBranch.append(parent)
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
        for b in newBranch {
            batch.canonical[b.number] = b.hash
            for (i, tx) in b.transactions.enumerated() {
                let h = tx.hash
                newHashes.insert(h)
                batch.addTransactions[h] = TransactionLocation(blockHash: b.hash, blockNumber: b.number, index: i)
            }
        }
        batch.removeTransactions.removeAll { newHashes.contains($0) }
        if oldHead.number > block.number { batch.truncateCanonicalAbove = block.number }
        return oldTransactions.filter { !newHashes.contains($0.hash) }
    }
}
