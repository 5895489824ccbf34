import AnkrChain
import AnkrPrimitives
import Foundation

/// A child chain's operator: accepts signed transactions into a pending pool (checking signatures,
/// unspent inputs, sums and conflicts with the pool), builds blocks from the pool, records the main
/// chain's deposits, and keeps the owners' confirm signatures. All of it is written to its
/// ``ChildChainStore`` before it is acknowledged.
///
/// Thread-safe: RPC threads call `accept` concurrently. Signatures are recovered outside the lock,
/// so two cores recover in parallel; the checks against the UTXO set and the pool run under it.
public final class PlasmaOperator: @unchecked Sendable {
    /// Why a transaction or confirmation was refused.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case invalid(SpendRule.Violation)
        case alreadySpent(UTXOPosition)
        case known(H256)
        case poolFull(Int)
        case unknownTransaction(H256)
        case badConfirmation(String)

        public var description: String {
            switch self {
            case .malformed(let why): return why
            case .invalid(let v): return "invalid transaction: \(v)"
            case .alreadySpent(let p): return "output \(p) is already spent (in a block or by a pending transaction)"
            case .known(let h): return "transaction \(h) is already known"
            case .poolFull(let n): return "the pending pool is full (\(n) transactions); try again after the next block"
            case .unknownTransaction(let h): return "transaction \(h) is not in a block"
            case .badConfirmation(let why): return "confirm signatures refused: \(why)"
            }
        }
    }

    public let store: ChildChainStore
    public let maxBlockTransactions: Int
    public let maxPending: Int

    private let lock = NSLock()
    private var ledger = ChildChainLedger()
    private var pool = [PlasmaTransaction]()
    private var poolHashes = Set<H256>()
    private var poolSpent = Set<UInt64>()
    private var unsubmitted: ChildBlock?
    private var confirmations: [H256: [UInt8]]

    /// Opens the operator over `store`, replaying its blocks and pending pool.
    public init(store: ChildChainStore, maxBlockTransactions: Int = ChildBlock.maxTransactions, maxPending: Int = 4 * ChildBlock.maxTransactions) throws {
        self.store = store
        self.maxBlockTransactions = min(maxBlockTransactions, ChildBlock.maxTransactions)
        self.maxPending = maxPending
        confirmations = try store.confirmations()
        for (block, submitted) in try store.blocks() {
            ledger.apply(block)
            if !submitted, block.number % PlasmaRootState.childBlockInterval == 0 { unsubmitted = block }
        }
        for tx in try store.pending() where ledger.location(of: tx.hash) == nil {
            // Pending transactions were valid when accepted; one that lost a race since is dropped.
            guard (try? check(tx, signers: nil)) != nil else { continue }
            admit(tx)
        }
    }

    // MARK: Transactions

    /// Accepts one signed transaction (RLP); returns its hash.
    @discardableResult
    public func accept(_ encoded: [UInt8]) throws -> H256 {
        let tx: PlasmaTransaction
        do { tx = try PlasmaTransaction(encoded: encoded) } catch { throw Refusal.malformed("\(error)") }
        let signers = try? tx.signers()
        lock.lock()
        defer { lock.unlock() }
        try check(tx, signers: signers)
        try store.addPending([tx])
        admit(tx)
        return tx.hash
    }

    /// Accepts many transactions at once: decoding and signature recovery run on every core, the
    /// checks in order, and one database transaction stores the accepted ones.
    public func accept(batch: [[UInt8]]) -> [Result<H256, Refusal>] {
        let decoded = ConcurrentMap.map(batch) { bytes -> Result<(PlasmaTransaction, [Address?]?), Refusal> in
            do {
                let tx = try PlasmaTransaction(encoded: bytes)
                return .success((tx, try? tx.signers()))
            } catch { return .failure(.malformed("\(error)")) }
        }
        lock.lock()
        defer { lock.unlock() }
        var results = [Result<H256, Refusal>]()
        var accepted = [PlasmaTransaction]()
        results.reserveCapacity(batch.count)
        for d in decoded {
            switch d {
            case .failure(let r): results.append(.failure(r))
            case .success(let (tx, signers)):
                do {
                    try check(tx, signers: signers)
                    admit(tx)
                    accepted.append(tx)
                    results.append(.success(tx.hash))
                } catch let r as Refusal { results.append(.failure(r)) } catch { results.append(.failure(.malformed("\(error)"))) }
            }
        }
        do { try store.addPending(accepted) } catch {
            // Nothing acknowledged may be lost: take the batch back out of the pool.
            for tx in accepted { unadmit(tx) }
            return batch.map { _ in .failure(.malformed("the operator cannot store transactions: \(error)")) }
        }
        return results
    }

    /// Under the lock.
    private func check(_ tx: PlasmaTransaction, signers: [Address?]?) throws {
        guard !poolHashes.contains(tx.hash), ledger.location(of: tx.hash) == nil else { throw Refusal.known(tx.hash) }
        guard pool.count < maxPending else { throw Refusal.poolFull(pool.count) }
        if let v = SpendRule.violation(of: tx, inBlock: .max, spent: ledger.spentOutputs(of: tx), signers: signers) { throw Refusal.invalid(v) }
        for p in tx.inputs.compactMap(\.position) where ledger.spender(of: p.encoded) != nil || poolSpent.contains(p.encoded) {
            throw Refusal.alreadySpent(p)
        }
    }

    private func admit(_ tx: PlasmaTransaction) {
        pool.append(tx)
        poolHashes.insert(tx.hash)
        for p in tx.inputs.compactMap(\.position) { poolSpent.insert(p.encoded) }
    }

    private func unadmit(_ tx: PlasmaTransaction) {
        pool.removeAll { $0.hash == tx.hash }
        poolHashes.remove(tx.hash)
        for p in tx.inputs.compactMap(\.position) { poolSpent.remove(p.encoded) }
    }

    // MARK: Blocks

    /// Builds operator block `number` from the oldest pending transactions (nil when none are
    /// pending or a built block still waits for its root to reach the main chain).
    public func buildBlock(number: UInt64) throws -> ChildBlock? {
        lock.lock()
        defer { lock.unlock() }
        guard unsubmitted == nil, !pool.isEmpty else { return nil }
        guard number % PlasmaRootState.childBlockInterval == 0, number > ledger.latestOperatorBlock else {
            throw Refusal.malformed("operator block \(number) does not follow block \(ledger.latestOperatorBlock)")
        }
        let txs = Array(pool.prefix(maxBlockTransactions))
        let block = try ChildBlock(number: number, previousHeaderHash: ledger.lastHeaderHash, transactions: txs)
        try store.save(block, submitted: false)
        pool.removeFirst(txs.count)
        for tx in txs {
            poolHashes.remove(tx.hash)
            for p in tx.inputs.compactMap(\.position) { poolSpent.remove(p.encoded) }
        }
        ledger.apply(block)
        unsubmitted = block
        return block
    }

    /// The built block whose root is not yet known to be on the main chain.
    public var blockAwaitingSubmission: ChildBlock? { lock.withLock { unsubmitted } }

    public func markSubmitted(_ number: UInt64) throws {
        try lock.withLock {
            try store.markSubmitted(number)
            if unsubmitted?.number == number { unsubmitted = nil }
        }
    }

    /// Records main-chain deposit block `number` (idempotent).
    public func recordDeposit(block number: UInt64, owner: Address, amount: UInt256) throws {
        try lock.withLock {
            guard ledger.blocks[number] == nil else { return }
            let block = try ChildBlock(number: number, previousHeaderHash: .zero, transactions: [.deposit(owner: owner, amount: amount)])
            try store.save(block, submitted: true)
            ledger.apply(block)
        }
    }

    // MARK: Confirmations

    /// Stores the input owners' confirm signatures (65 bytes per used input) of an included transaction.
    public func confirm(_ hash: H256, signatures: [UInt8]) throws {
        try lock.withLock {
            guard let at = ledger.location(of: hash), let tx = ledger.transaction(at: at), let block = ledger.blocks[at.block] else {
                throw Refusal.unknownTransaction(hash)
            }
            let owners = ledger.spentOutputs(of: tx).map { $0?.owner }
            guard signatures.count == 65 * owners.count else { throw Refusal.badConfirmation("give 65 bytes per input (\(owners.count))") }
            let root = block.merkleRoot
            for (i, owner) in owners.enumerated() {
                let sig = Array(signatures[(65 * i)..<(65 * i + 65)])
                guard let signer = try? ConfirmSignature.signer(of: sig, transaction: hash, blockRoot: root), signer == owner else {
                    throw Refusal.badConfirmation("signature \(i + 1) is not by the owner of input \(i + 1)")
                }
            }
            try store.saveConfirmation(hash, signatures)
            confirmations[hash] = signatures
        }
    }

    // MARK: Reading

    /// A consistent copy of the chain as the operator sees it (copy-on-write: cheap).
    public var ledgerSnapshot: ChildChainLedger { lock.withLock { ledger } }
    public var pendingCount: Int { lock.withLock { pool.count } }
    public func isPending(_ hash: H256) -> Bool { lock.withLock { poolHashes.contains(hash) } }
    /// The owner's unspent outputs that no pending transaction spends (what a wallet may spend now).
    public func spendable(of owner: Address) -> [(position: UTXOPosition, output: PlasmaTransaction.Output)] {
        lock.withLock { ledger.unspent(of: owner).filter { !poolSpent.contains($0.position.encoded) } }
    }
    public func confirmation(of hash: H256) -> [UInt8]? { lock.withLock { confirmations[hash] } }
    public func isSubmitted(_ number: UInt64) -> Bool { lock.withLock { unsubmitted?.number != number } }
}
