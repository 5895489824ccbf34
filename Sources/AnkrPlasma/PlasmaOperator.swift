import AnkrChain
import AnkrPrimitives
import Foundation

/// A child chain's operator: accepts signed transactions into a pending pool (checking signatures,
/// unspent inputs, sums and conflicts with the pool), builds blocks from the pool, records the main
/// chain's deposits, and keeps the owners' confirm signatures. All of it is written to its
/// ``ChildChainStore`` before it is acknowledged.
///
/// Thread-safe: RPC threads call `accept` concurrently. Signatures are recovered outside the lock,
/// so two cores recover in parallel; the checks against the UTXO set and the pool run under it, and
/// the pending table is written outside it by group commit: whichever accepting thread writes next
/// stores every transaction admitted since the last write, in one SQLite transaction, while the
/// others go on checking. A transaction is acknowledged only once it is stored.
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
    /// The pending pool in acceptance order; `seq` numbers it (and keys the pending table).
    private var pool = [(tx: PlasmaTransaction, hash: H256, seq: UInt64)]()
    /// The next pool sequence number.
    private var nextSeq: UInt64 = 1
    /// Admitted transactions not yet written: the next group commit takes them all.
    private var unwritten = [(seq: UInt64, raw: [UInt8])]()
    /// Every admission numbered up to this is settled: stored, or taken back out of the pool because
    /// its write failed (the reason waits in `failedWrites` for its acceptor).
    private var settledThrough: UInt64 = 0
    private var failedWrites = [UInt64: String]()
    /// Held by the thread writing a group, and by whoever drops pending rows (so no group in flight
    /// writes a row after its delete). Taken before `lock`, never while holding it.
    private let commitLock = NSLock()
    /// Rows of a group whose write reported failure (refused to their senders): deleted by the next write. Under `commitLock`.
    private var refusedRows = [UInt64]()
    /// The pool's transactions by hash, with their sequence numbers.
    private var poolHashes = [H256: UInt64]()
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
        for (seq, tx) in try store.pending() {
            // Stored rows are settled whether or not they rejoin the pool; the next block's range delete clears the rest.
            nextSeq = max(nextSeq, seq &+ 1)
            settledThrough = max(settledThrough, seq)
            // Pending transactions were valid when accepted; one that lost a race since is dropped.
            let c = Candidate(tx)
            guard ledger.location(of: c.hash) == nil, (try? check(c)) != nil else { continue }
            pool.append((c.tx, c.hash, seq))
            admitSpends(c, seq: seq)
        }
    }

    // MARK: Transactions

    /// A decoded transaction with what the checks need, computed once (outside the lock).
    private struct Candidate: Sendable {
        let tx: PlasmaTransaction
        let hash: H256
        let raw: [UInt8]
        /// Each used input's signer; nil where its signature is missing or invalid, which the spend
        /// rule then refuses as a wrong signer without recovering again under the lock.
        let signers: [Address?]?

        init(_ raw: [UInt8]) throws {
            do { tx = try PlasmaTransaction(encoded: raw) } catch { throw Refusal.malformed("\(error)") }
            hash = tx.hash
            self.raw = raw
            let tx = tx, hash = hash
            signers = (0..<2).map { try? tx.signer(input: $0, hash: hash) }
        }

        init(_ tx: PlasmaTransaction) {
            self.tx = tx; hash = tx.hash; raw = tx.encoded; signers = nil
        }
    }

    /// Accepts one signed transaction (RLP) once it is stored; returns its hash.
    @discardableResult
    public func accept(_ encoded: [UInt8]) throws -> H256 {
        let c = try Candidate(encoded)
        let seq = try checkAndAdmit(c)
        commit(through: seq)
        if let why = lock.withLock({ failedWrites.removeValue(forKey: seq) }) { throw Refusal.malformed(Self.storeFailure(why)) }
        return c.hash
    }

    /// Accepts many transactions at once: decoding and signature recovery run on the other cores
    /// while this thread checks the transactions in order as each becomes ready (so the checks
    /// overlap the recoveries), and one database transaction stores the accepted ones.
    public func accept(batch: [[UInt8]]) -> [Result<H256, Refusal>] {
        // Byte-identical copies are decoded and recovered once: each repeat gets its first copy's answer.
        var firstCopy = [[UInt8]: Int]()  // bytes → batch index of their first copy
        var unique = [[UInt8]]()
        var uniqueIndex = [Int]()  // batch index → index in `unique`, or -1 for a repeat
        var repeats = [(index: Int, of: Int)]()
        for (i, bytes) in batch.enumerated() {
            if let first = firstCopy[bytes] {
                repeats.append((i, first))
                uniqueIndex.append(-1)
            } else {
                firstCopy[bytes] = i
                uniqueIndex.append(unique.count)
                unique.append(bytes)
            }
        }
        let decoded = OrderedMap(unique) { bytes -> Result<Candidate, Refusal> in
            do { return .success(try Candidate(bytes)) } catch let r as Refusal { return .failure(r) } catch { return .failure(.malformed("\(error)")) }
        }
        defer { decoded.cancel() }
        var results = [Result<H256, Refusal>]()
        var seqs = [Int: UInt64]()  // result index → pool sequence number
        var admittedHere = [H256: Int]()  // hash → result index of its admission in this batch
        var full: Refusal?
        results.reserveCapacity(batch.count)
        for i in batch.indices {
            guard uniqueIndex[i] >= 0 else {
                results.append(.failure(.malformed("a repeat")))  // replaced by its first copy's answer below
                continue
            }
            // Once the pool is full the rest is refused without being recovered.
            if let full {
                results.append(.failure(full))
                continue
            }
            switch decoded.result(uniqueIndex[i]) {
            case .failure(let r): results.append(.failure(r))
            case .success(let c):
                // A repeat of a transaction this batch admitted is answered once that one is stored,
                // not by writing the batch so far now.
                if let first = admittedHere[c.hash] {
                    repeats.append((results.count, first))
                    results.append(.failure(.known(c.hash)))
                    continue
                }
                do {
                    let seq = try checkAndAdmit(c)
                    admittedHere[c.hash] = results.count
                    seqs[results.count] = seq
                    results.append(.success(c.hash))
                } catch let r as Refusal {
                    if case .poolFull = r {
                        full = r
                        decoded.cancel()
                    }
                    results.append(.failure(r))
                } catch { results.append(.failure(.malformed("\(error)"))) }
            }
        }
        if let last = seqs.values.max() {
            commit(through: last)
            lock.withLock {
                for (i, seq) in seqs {
                    if let why = failedWrites.removeValue(forKey: seq) { results[i] = .failure(.malformed(Self.storeFailure(why))) }
                }
            }
        }
        // "Known" only if the first copy was stored; otherwise the same answer as the first.
        for (index, first) in repeats {
            switch results[first] {
            case .success(let hash): results[index] = .failure(.known(hash))
            case .failure: results[index] = results[first]
            }
        }
        return results
    }

    /// Checks and admits `c` in one lock section, first waiting for the write of the same bytes when
    /// another call admitted them and has not stored them yet ("known" must mean stored; if that
    /// write fails, the transaction is out of the pool and this call admits it anew). Returns its
    /// pool sequence number.
    private func checkAndAdmit(_ c: Candidate) throws -> UInt64 {
        enum Step { case wait(UInt64), admitted(UInt64) }
        while true {
            let step: Step = try lock.withLock {
                if let inFlight = unsettledSeq(of: c.hash) { return .wait(inFlight) }
                try check(c)
                return .admitted(admit(c))
            }
            switch step {
            case .wait(let inFlight): commit(through: inFlight)
            case .admitted(let seq): return seq
            }
        }
    }

    /// Under the lock: the sequence number of pool transaction `hash` while its write is not settled.
    private func unsettledSeq(of hash: H256) -> UInt64? {
        guard let seq = poolHashes[hash], seq > settledThrough else { return nil }
        return seq
    }

    private static func storeFailure(_ why: String) -> String { "the operator cannot store transactions: \(why)" }

    /// Returns once admission `seq` is settled: written by this thread, with every other admission
    /// waiting, or by another. A failed write takes its group back out of the pool (nothing unstored
    /// may be acknowledged) and leaves the reason in `failedWrites`.
    private func commit(through seq: UInt64) {
        commitLock.lock()
        defer { commitLock.unlock() }
        let group: [(seq: UInt64, raw: [UInt8])] = lock.withLock {
            guard settledThrough < seq else { return [] }
            defer { unwritten.removeAll(keepingCapacity: true) }
            return unwritten
        }
        guard let last = group.last?.seq else { return }
        let stale = refusedRows
        do {
            try store.addPending(group, droppingPending: stale)
            lock.withLock { settledThrough = last }
            refusedRows.removeAll { stale.contains($0) }
        } catch {
            // A commit that reports failure may still have reached the file: its rows go with the next write.
            refusedRows.append(contentsOf: group.map(\.seq))
            lock.withLock {
                let failed = Set(group.map(\.seq))
                unadmit(failed)
                for s in failed { failedWrites[s] = "\(error)" }
                settledThrough = last
            }
        }
    }

    /// Under the lock.
    private func check(_ c: Candidate) throws {
        guard poolHashes[c.hash] == nil, ledger.location(of: c.hash) == nil else { throw Refusal.known(c.hash) }
        guard pool.count < maxPending else { throw Refusal.poolFull(pool.count) }
        if let v = SpendRule.violation(of: c.tx, inBlock: .max, spent: ledger.spentOutputs(of: c.tx), signers: c.signers) { throw Refusal.invalid(v) }
        for p in c.tx.inputs.compactMap(\.position) {
            if ledger.spender(of: p.encoded) != nil || poolSpent.contains(p.encoded) { throw Refusal.alreadySpent(p) }
            if exiting.contains(p.encoded) { throw Refusal.exiting(p) }
        }
    }

    /// Under the lock: adds a checked transaction to the pool and the next group commit; returns its sequence number.
    private func admit(_ c: Candidate) -> UInt64 {
        let seq = nextSeq
        nextSeq &+= 1
        pool.append((c.tx, c.hash, seq))
        unwritten.append((seq, c.raw))
        admitSpends(c, seq: seq)
        return seq
    }

    private func admitSpends(_ c: Candidate, seq: UInt64) {
        poolHashes[c.hash] = seq
        for p in c.tx.inputs.compactMap(\.position) { poolSpent.insert(p.encoded) }
    }

    /// Under the lock: takes the pool entries numbered `seqs` back out, in one pass over the pool.
    private func unadmit(_ seqs: Set<UInt64>) {
        guard !seqs.isEmpty else { return }
        for entry in pool where seqs.contains(entry.seq) {
            poolHashes[entry.hash] = nil
            for p in entry.tx.inputs.compactMap(\.position) { poolSpent.remove(p.encoded) }
        }
        pool.removeAll { seqs.contains($0.seq) }
        unwritten.removeAll { seqs.contains($0.seq) }
    }

    // MARK: Blocks

    /// Builds operator block `number` from the oldest stored pending transactions (nil when none are
    /// or a built block still waits for its root to reach the main chain).
    public func buildBlock(number: UInt64) throws -> ChildBlock? {
        lock.lock()
        defer { lock.unlock() }
        // Only stored transactions: one still being written may yet fail and be refused to its sender.
        let stored = pool.prefix(maxBlockTransactions).prefix { $0.seq <= settledThrough }
        guard unsubmitted == nil, let newest = stored.last?.seq else { return nil }
        guard number % PlasmaRootState.childBlockInterval == 0, number > ledger.latestOperatorBlock else {
            throw Refusal.malformed("operator block \(number) does not follow block \(ledger.latestOperatorBlock)")
        }
        let hashes = stored.map(\.hash)
        let block = try ChildBlock(number: number, previousHeaderHash: ledger.lastHeaderHash, transactions: stored.map(\.tx))
        // The Merkle root is hashed while the block is written and synced.
        let root = BackgroundComputation { block.tree(hashes: hashes).root }
        // The pool is in sequence order and the block is its oldest part: every pending row up to the
        // block's newest is in it, or was dropped from the pool (and its row left for this delete).
        try store.save([block], submitted: false, pendingThrough: newest)
        pool.removeFirst(hashes.count)
        for (tx, hash) in zip(block.transactions, hashes) {
            poolHashes[hash] = nil
            for p in tx.inputs.compactMap(\.position) { poolSpent.remove(p.encoded) }
        }
        ledger.apply(block, hashes: hashes, root: root.wait())
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
        commitLock.lock()
        defer { commitLock.unlock() }
        try lock.withLock {
            let positions = Set(numbers.map { ChildChainLedger.Location(block: $0, index: 0).position })
            for n in numbers {
                if let by = ledger.spender(of: ChildChainLedger.Location(block: n, index: 0).position) {
                    throw DepositProblem.spentInBlock(deposit: n, by: by)
                }
            }
            let held = numbers.filter { ledger.blocks[$0] != nil }
            let doomed = pool.filter { entry in entry.tx.inputs.contains { $0.position.map { positions.contains($0.encoded) } ?? false } }
            try store.removeDeposits(held, droppingPending: doomed.map(\.seq))
            unadmit(Set(doomed.map(\.seq)))
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
        commitLock.lock()
        defer { commitLock.unlock() }
        try lock.withLock {
            let new = positions.filter { !exiting.contains($0) }
            let newSet = Set(new)
            let doomed = pool.filter { entry in entry.tx.inputs.contains { $0.position.map { newSet.contains($0.encoded) } ?? false } }
            try store.addExiting(new, droppingPending: doomed.map(\.seq))
            exiting.formUnion(new)
            unadmit(Set(doomed.map(\.seq)))
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
    public func isPending(_ hash: H256) -> Bool { lock.withLock { poolHashes[hash] != nil } }
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
