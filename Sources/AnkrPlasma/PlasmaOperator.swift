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
        case exiting(UTXOPosition)

        public var description: String {
            switch self {
            case .malformed(let why): return why
            case .invalid(let v): return "invalid transaction: \(v)"
            case .alreadySpent(let p): return "output \(p) is already spent (in a block or by a pending transaction)"
            case .known(let h): return "transaction \(h) is already known"
            case .poolFull(let n): return "the pending pool is full (\(n) transactions); try again after the next block"
            case .unknownTransaction(let h): return "transaction \(h) is not in a block"
            case .badConfirmation(let why): return "confirm signatures refused: \(why)"
            case .exiting(let p): return "output \(p) is exiting to the main chain"
            }
        }
    }

    public let store: ChildChainStore
    public let maxBlockTransactions: Int
    public let maxPending: Int

    private let lock = NSLock()
    private var ledger = ChildChainLedger()
    private var pool = [(tx: PlasmaTransaction, hash: H256)]()
    private var poolHashes = Set<H256>()
    private var poolSpent = Set<UInt64>()
    private var unsubmitted: ChildBlock?
    private var confirmations: [H256: [UInt8]]
    /// Outputs whose exit started on the main chain: never spendable here again.
    private var exiting: Set<UInt64>
    /// The main-chain block each deposit was read from, to notice when a reorganisation takes it away.
    private var anchors: [UInt64: MainChainAnchor]

    /// Opens the operator over `store`, replaying its blocks and pending pool.
    public init(store: ChildChainStore, maxBlockTransactions: Int = ChildBlock.maxTransactions, maxPending: Int = 4 * ChildBlock.maxTransactions) throws {
        self.store = store
        self.maxBlockTransactions = min(maxBlockTransactions, ChildBlock.maxTransactions)
        self.maxPending = maxPending
        confirmations = try store.confirmations()
        exiting = try store.exiting()
        anchors = try store.depositAnchors()
        for (block, submitted) in try store.blocks() {
            ledger.apply(block)
            if !submitted, block.number % PlasmaRootState.childBlockInterval == 0 { unsubmitted = block }
        }
        for tx in try store.pending() where ledger.location(of: tx.hash) == nil {
            // Pending transactions were valid when accepted; one that lost a race since is dropped.
            let c = Candidate(tx)
            guard (try? check(c)) != nil else { continue }
            admit(c.tx, c.hash)
        }
    }

    // MARK: Transactions

    /// A decoded transaction with what the checks need, computed once (outside the lock).
    private struct Candidate: Sendable {
        let tx: PlasmaTransaction
        let hash: H256
        let raw: [UInt8]
        let signers: [Address?]?

        init(_ raw: [UInt8]) throws {
            do { tx = try PlasmaTransaction(encoded: raw) } catch { throw Refusal.malformed("\(error)") }
            hash = tx.hash
            self.raw = raw
            signers = try? tx.signers(hash: hash)
        }

        init(_ tx: PlasmaTransaction) {
            self.tx = tx; hash = tx.hash; raw = tx.encoded; signers = nil
        }
    }

    /// Accepts one signed transaction (RLP); returns its hash.
    @discardableResult
    public func accept(_ encoded: [UInt8]) throws -> H256 {
        let c = try Candidate(encoded)
        lock.lock()
        defer { lock.unlock() }
        try check(c)
        try store.addPending([(c.hash, c.raw)])
        admit(c.tx, c.hash)
        return c.hash
    }

    /// Accepts many transactions at once: decoding and signature recovery run on every core, the
    /// checks in order, and one database transaction stores the accepted ones.
    public func accept(batch: [[UInt8]]) -> [Result<H256, Refusal>] {
        let decoded = ConcurrentMap.map(batch) { bytes -> Result<Candidate, Refusal> in
            do { return .success(try Candidate(bytes)) } catch let r as Refusal { return .failure(r) } catch { return .failure(.malformed("\(error)")) }
        }
        lock.lock()
        defer { lock.unlock() }
        var results = [Result<H256, Refusal>]()
        var accepted = [Candidate]()
        results.reserveCapacity(batch.count)
        for d in decoded {
            switch d {
            case .failure(let r): results.append(.failure(r))
            case .success(let c):
                do {
                    try check(c)
                    admit(c.tx, c.hash)
                    accepted.append(c)
                    results.append(.success(c.hash))
                } catch let r as Refusal { results.append(.failure(r)) } catch { results.append(.failure(.malformed("\(error)"))) }
            }
        }
        do { try store.addPending(accepted.map { ($0.hash, $0.raw) }) } catch {
            // Nothing acknowledged may be lost: take the batch back out of the pool.
            for c in accepted { unadmit(c.tx, c.hash) }
            return batch.map { _ in .failure(.malformed("the operator cannot store transactions: \(error)")) }
        }
        return results
    }

    /// Under the lock.
    private func check(_ c: Candidate) throws {
        guard !poolHashes.contains(c.hash), ledger.location(of: c.hash) == nil else { throw Refusal.known(c.hash) }
        guard pool.count < maxPending else { throw Refusal.poolFull(pool.count) }
        if let v = SpendRule.violation(of: c.tx, inBlock: .max, spent: ledger.spentOutputs(of: c.tx), signers: c.signers) { throw Refusal.invalid(v) }
        for p in c.tx.inputs.compactMap(\.position) {
            if ledger.spender(of: p.encoded) != nil || poolSpent.contains(p.encoded) { throw Refusal.alreadySpent(p) }
            if exiting.contains(p.encoded) { throw Refusal.exiting(p) }
        }
    }

    private func admit(_ tx: PlasmaTransaction, _ hash: H256) {
        pool.append((tx, hash))
        poolHashes.insert(hash)
        for p in tx.inputs.compactMap(\.position) { poolSpent.insert(p.encoded) }
    }

    private func unadmit(_ tx: PlasmaTransaction, _ hash: H256) {
        pool.removeAll { $0.hash == hash }
        poolHashes.remove(hash)
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
        let taken = pool.prefix(maxBlockTransactions)
        let hashes = taken.map(\.hash)
        let block = try ChildBlock(number: number, previousHeaderHash: ledger.lastHeaderHash, transactions: taken.map(\.tx))
        try store.save([block], submitted: false, hashes: [hashes])
        pool.removeFirst(hashes.count)
        for (tx, hash) in zip(block.transactions, hashes) {
            poolHashes.remove(hash)
            for p in tx.inputs.compactMap(\.position) { poolSpent.remove(p.encoded) }
        }
        ledger.apply(block, hashes: hashes)
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

    /// A main-chain deposit: its deposit block number, owner, amount and (when known) the main-chain
    /// block its `Deposit` event was read from.
    public struct Deposit: Sendable {
        public let block: UInt64
        public let owner: Address
        public let amount: UInt256
        public let anchor: MainChainAnchor?
        public init(block: UInt64, owner: Address, amount: UInt256, anchor: MainChainAnchor? = nil) {
            self.block = block; self.owner = owner; self.amount = amount; self.anchor = anchor
        }
    }

    /// Why the operator's deposits no longer agree with the main chain.
    public enum DepositProblem: Error, Equatable, CustomStringConvertible {
        /// The main chain reports a different deposit at a deposit block the operator already holds.
        case changed(block: UInt64)
        /// A deposit the main chain no longer holds is spent by a transaction in an operator block.
        case spentInBlock(deposit: UInt64, by: ChildChainLedger.Location)

        public var description: String {
            switch self {
            case .changed(let n): return "the main chain's deposit \(n) differs from the one this operator recorded"
            case .spentInBlock(let n, let by): return "deposit \(n) is gone from the main chain but transaction \(by) already spent it in a child block"
            }
        }
    }

    /// Records main-chain deposit blocks, stored in one transaction. A deposit already held is
    /// left as it is (its anchor moves to the one given); a different deposit at a held number is
    /// refused: the operator never silently keeps a deposit the main chain contradicts.
    public func record(_ deposits: [Deposit]) throws {
        try lock.withLock {
            var fresh = [UInt64: ChildBlock]()
            var order = [UInt64]()
            var moved = [UInt64: MainChainAnchor]()
            for d in deposits {
                let block = try ChildBlock(number: d.block, previousHeaderHash: .zero, transactions: [.deposit(owner: d.owner, amount: d.amount)])
                if let known = ledger.blocks[d.block] ?? fresh[d.block] {
                    guard known.transactions.map(\.encoded) == block.transactions.map(\.encoded) else { throw DepositProblem.changed(block: d.block) }
                } else {
                    fresh[d.block] = block
                    order.append(d.block)
                }
                if let a = d.anchor, anchors[d.block] != a { moved[d.block] = a }
            }
            let blocks = order.compactMap { fresh[$0] }
            try store.save(blocks, submitted: true, anchors: moved)
            for b in blocks { ledger.apply(b) }
            anchors.merge(moved) { $1 }
        }
    }

    public func recordDeposit(block number: UInt64, owner: Address, amount: UInt256) throws {
        try record([Deposit(block: number, owner: owner, amount: amount)])
    }

    /// The main-chain block each recorded deposit was read from.
    public var depositAnchors: [UInt64: MainChainAnchor] { lock.withLock { anchors } }

    /// Forgets deposits the main chain no longer holds. Pending transactions spending them are
    /// dropped; if one is spent in an operator block nothing changes and ``DepositProblem/spentInBlock(deposit:by:)``
    /// is thrown (that block's root may already be on the main chain: only a person can decide).
    public func withdrawDeposits(_ numbers: [UInt64]) throws {
        try lock.withLock {
            let positions = Set(numbers.map { ChildChainLedger.Location(block: $0, index: 0).position })
            for n in numbers {
                if let by = ledger.spender(of: ChildChainLedger.Location(block: n, index: 0).position) {
                    throw DepositProblem.spentInBlock(deposit: n, by: by)
                }
            }
            let held = numbers.filter { ledger.blocks[$0] != nil }
            let doomed = pool.filter { entry in entry.tx.inputs.contains { $0.position.map { positions.contains($0.encoded) } ?? false } }
            try store.removeDeposits(held, droppingPending: doomed.map(\.hash))
            for d in doomed { unadmit(d.tx, d.hash) }
            for n in held {
                _ = ledger.removeUnspentDeposit(n)
                anchors[n] = nil
            }
        }
    }

    /// Records outputs whose exit started on the main chain (idempotent): they leave the UTXO set
    /// wallets see, no transaction may spend them, and pending ones that did are dropped — a block
    /// spending an exiting output would only hand its exit to a challenger.
    public func recordExits(_ positions: [UInt64]) throws {
        try lock.withLock {
            let new = positions.filter { !exiting.contains($0) }
            let doomed = pool.filter { entry in entry.tx.inputs.contains { $0.position.map { new.contains($0.encoded) } ?? false } }
            try store.addExiting(new, droppingPending: doomed.map(\.hash))
            exiting.formUnion(new)
            for d in doomed { unadmit(d.tx, d.hash) }
        }
    }

    /// Whether output `position` is exiting to the main chain.
    public func isExiting(_ position: UInt64) -> Bool { lock.withLock { exiting.contains(position) } }

    // MARK: Confirmations

    /// Stores the input owners' confirm signatures (65 bytes per used input) of an included transaction.
    public func confirm(_ hash: H256, signatures: [UInt8]) throws {
        try lock.withLock {
            guard let at = ledger.location(of: hash), let tx = ledger.transaction(at: at), let root = ledger.roots[at.block] else {
                throw Refusal.unknownTransaction(hash)
            }
            let owners = ledger.spentOutputs(of: tx).map { $0?.owner }
            guard signatures.count == 65 * owners.count else { throw Refusal.badConfirmation("give 65 bytes per input (\(owners.count))") }
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
    /// The owner's unspent outputs that no pending transaction spends and that are not exiting
    /// (what a wallet may spend now).
    public func spendable(of owner: Address) -> [(position: UTXOPosition, output: PlasmaTransaction.Output)] {
        lock.withLock { ledger.unspent(of: owner).filter { !poolSpent.contains($0.position.encoded) && !exiting.contains($0.position.encoded) } }
    }

    /// The sum of the owner's unspent outputs that are not exiting (pending spends included).
    public func balance(of owner: Address) -> UInt256 {
        lock.withLock { ledger.unspent(of: owner).filter { !exiting.contains($0.position.encoded) }.reduce(UInt256.zero) { $0 &+ $1.output.amount } }
    }
    public func confirmation(of hash: H256) -> [UInt8]? { lock.withLock { confirmations[hash] } }
    public func isSubmitted(_ number: UInt64) -> Bool { lock.withLock { unsubmitted?.number != number } }
}
