import AnkrPrimitives
import Foundation

/// Why the mempool refused a transaction. The messages are what JSON-RPC users see.
public enum MempoolError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(TransactionError)
    case alreadyKnown
    case unincludable
    case nonceTooLow(expected: UInt64, actual: UInt64)
    case nonceTooFarAhead(expected: UInt64, actual: UInt64, limit: UInt64)
    case insufficientFunds(needed: UInt256, available: UInt256)
    case feeCapBelowBaseFee(feeCap: UInt256, baseFee: UInt256)
    case gasLimitAboveBlock(gas: UInt64, blockLimit: UInt64)
    case replacementUnderpriced(bumpPercent: Int)
    case senderLimit(Int)
    case poolFull

    public var description: String {
        switch self {
        case .invalid(let e): return "\(e)"
        case .alreadyKnown: return "already known"
        case .unincludable: return "no block of this chain can hold this transaction (the producer dropped it)"
        case .nonceTooLow(let e, let a): return "nonce too low: next nonce \(e), tx nonce \(a)"
        case .nonceTooFarAhead(let e, let a, let l): return "nonce too high: next nonce \(e), tx nonce \(a) (at most \(l) ahead)"
        case .insufficientFunds(let n, let a): return "insufficient funds for gas * price + value: needs \(n) wei, has \(a)"
        case .feeCapBelowBaseFee(let f, let b): return "max fee per gas less than block base fee: maxFeePerGas \(f), baseFee \(b)"
        case .gasLimitAboveBlock(let g, let l): return "exceeds block gas limit: tx gas \(g), block gas limit \(l)"
        case .replacementUnderpriced(let p): return "replacement transaction underpriced: raise both fee caps by at least \(p)%"
        case .senderLimit(let n): return "too many pending transactions from this sender (limit \(n))"
        case .poolFull: return "transaction pool is full and this transaction pays less than any it could evict"
        }
    }
}

/// Pending transactions, per sender in nonce order, ready for the next block.
///
/// Admission checks everything that does not need execution: signature, chain id, size, fee cap
/// against the base fee, nonce against the account, balance against `gas·feeCap + value`. A
/// transaction with the same sender and nonce replaces another only if both fee caps rise by
/// `priceBumpPercent`. When full, the cheapest transaction goes, unless the newcomer is cheaper still.
public final class Mempool: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var capacity = 4096
        public var perSender = 64
        public var maxNonceGap: UInt64 = 64
        public var priceBumpPercent = 10
        /// A sender the pool never refuses for being full and never evicts: an application chain's operator, whose
        /// message relays the chain cannot go on without (a full pool of strangers' free, nonce-gapped transactions
        /// would otherwise keep them out for good). When the pool is full its transaction evicts the cheapest
        /// stranger's last one, whatever it pays.
        public var reservedSender: Address?
        public init() {}
    }

    struct Entry {
        let transaction: Transaction
        let sender: Address
        let hash: H256
    }

    public let chainID: UInt64
    public let configuration: Configuration
    public let systemContracts: SystemContractRegistry
    private let lock = NSLock()
    private var bySender: [Address: [UInt64: Entry]] = [:]
    private var byHash: [H256: Entry] = [:]
    private var admitted: UInt64 = 0
    /// Transactions ``drop(_:)`` removed, refused if they come again (oldest forgotten first).
    private var dropped: Set<H256> = []
    private var droppedOrder: [H256] = []
    /// How many dropped hashes the pool remembers.
    public static let droppedMemory = 4_096

    /// Every transaction admitted (new or replacing), whichever door it came by — RPC, a peer, the
    /// miner's own results: the block producer and P2P follow this.
    public let admissions = EventFeed<AdmittedTransaction>()

    public init(chainID: UInt64, configuration: Configuration = Configuration(), systemContracts: SystemContractRegistry = SystemContractRegistry()) {
        self.chainID = chainID
        self.configuration = configuration
        self.systemContracts = systemContracts
    }

    public var count: Int { lock.withLock { byHash.count } }

    public func transaction(_ hash: H256) -> Transaction? { lock.withLock { byHash[hash]?.transaction } }

    /// Every pooled transaction with its sender.
    public func all() -> [(Transaction, Address)] { lock.withLock { byHash.values.map { ($0.transaction, $0.sender) } } }

    /// The nonce `sender`'s next transaction should use: past the state's nonce and every
    /// consecutive one already pooled (what `eth_getTransactionCount(…, "pending")` reports).
    public func pendingNonce(_ sender: Address, state: StateReader) throws -> UInt64 {
        var nonce = try state.account(sender)?.nonce ?? 0
        let pooled = lock.withLock { bySender[sender] ?? [:] }
        while pooled[nonce] != nil { nonce += 1 }
        return nonce
    }

    /// Validates and admits a transaction against the state at the head; returns its hash.
    @discardableResult
    public func add(_ tx: Transaction, state: StateReader, head: BlockHeader, origin: TransactionOrigin = .local) throws -> H256 {
        let sender: Address
        do { sender = try tx.validate(chainID: chainID, fork: .cancun) } catch let e as TransactionError { throw MempoolError.invalid(e) }
        let hash = tx.hash
        guard !lock.withLock({ dropped.contains(hash) }) else { throw MempoolError.unincludable }
        let nextBaseFee = BaseFee.next(after: head)
        guard tx.feeCap >= nextBaseFee else { throw MempoolError.feeCapBelowBaseFee(feeCap: tx.feeCap, baseFee: nextBaseFee) }
        guard tx.gasLimit <= head.gasLimit else { throw MempoolError.gasLimitAboveBlock(gas: tx.gasLimit, blockLimit: head.gasLimit) }
        let account = try state.account(sender)
        let nextNonce = account?.nonce ?? 0
        guard tx.nonce >= nextNonce else { throw MempoolError.nonceTooLow(expected: nextNonce, actual: tx.nonce) }
        guard tx.nonce - nextNonce < configuration.maxNonceGap else {
            throw MempoolError.nonceTooFarAhead(expected: nextNonce, actual: tx.nonce, limit: configuration.maxNonceGap)
        }
        let balance = account?.balance ?? .zero
        let (gasCost, o1) = tx.feeCap.multipliedReportingOverflow(by: UInt256(tx.gasLimit))
        let (cost, o2) = gasCost.addingReportingOverflow(tx.value)
        guard !o1, !o2, cost <= balance else { throw MempoolError.insufficientFunds(needed: o1 || o2 ? .max : cost, available: balance) }

        try lock.withLock {
            guard byHash[hash] == nil else { throw MempoolError.alreadyKnown }
            let entry = Entry(transaction: tx, sender: sender, hash: hash)
            if let existing = bySender[sender]?[tx.nonce] {
                guard bumped(existing.transaction, to: tx) else { throw MempoolError.replacementUnderpriced(bumpPercent: configuration.priceBumpPercent) }
                byHash[existing.hash] = nil
                insert(entry)
                // A replacement is news to a block being sealed, like a new transaction.
                admitted &+= 1
                return
            }
            guard (bySender[sender]?.count ?? 0) < configuration.perSender else { throw MempoolError.senderLimit(configuration.perSender) }
            if byHash.count >= configuration.capacity {
                try evict(toAdmit: tx, from: sender)
            }
            insert(entry)
            admitted &+= 1
        }
        admissions.send(AdmittedTransaction(transaction: tx, hash: hash, sender: sender, origin: origin))
        return hash
    }

    /// Transactions admitted so far: a miner compares it with the count its template saw.
    public var admittedCount: UInt64 { lock.withLock { admitted } }

    private func insert(_ e: Entry) {
        bySender[e.sender, default: [:]][e.transaction.nonce] = e
        byHash[e.hash] = e
    }

    private func remove(_ e: Entry) {
        byHash[e.hash] = nil
        bySender[e.sender]?[e.transaction.nonce] = nil
        if bySender[e.sender]?.isEmpty == true { bySender[e.sender] = nil }
    }

    private func bumped(_ old: Transaction, to new: Transaction) -> Bool {
        func raised(_ a: UInt256, _ b: UInt256) -> Bool {
            let (scaled, overflow) = a.multipliedReportingOverflow(by: UInt256(UInt64(100 + configuration.priceBumpPercent)))
            return !overflow && b.multipliedReportingOverflow(by: UInt256(100)).partialValue >= scaled
        }
        return raised(old.feeCap, new.feeCap) && raised(old.tipCap, new.tipCap)
    }

    /// Removes transaction `hash` and its sender's later ones (which cannot be included without it): for a transaction
    /// no block can ever take. The pool refuses `hash` from then on (``MempoolError/unincludable``), so sending it again
    /// costs its sender what it costs the producer. Returns how many left the pool.
    @discardableResult
    public func drop(_ hash: H256) -> Int {
        lock.withLock {
            if dropped.insert(hash).inserted {
                droppedOrder.append(hash)
                if droppedOrder.count > Self.droppedMemory { dropped.remove(droppedOrder.removeFirst()) }
            }
            guard let e = byHash[hash] else { return 0 }
            let doomed = (bySender[e.sender] ?? [:]).values.filter { $0.transaction.nonce >= e.transaction.nonce }
            for d in doomed { remove(d) }
            return doomed.count
        }
    }

    /// Drops the lowest-paying transaction that is last in its sender's queue (so no gap opens), never the reserved
    /// sender's; for the reserved sender's own transaction, whatever that one pays.
    private func evict(toAdmit tx: Transaction, from sender: Address) throws {
        let reserved = configuration.reservedSender
        let tails = bySender.compactMap { owner, queue in owner == reserved ? nil : queue.max { $0.key < $1.key }?.value }
        guard let cheapest = tails.min(by: { $0.transaction.feeCap < $1.transaction.feeCap }),
              sender == reserved || cheapest.transaction.feeCap < tx.feeCap else { throw MempoolError.poolFull }
        remove(cheapest)
    }

    /// Transactions ready for the next block: each sender's consecutive nonces from its account
    /// nonce, interleaved by effective tip (highest first) at `baseFee`.
    public func pending(state: StateReader, baseFee: UInt256, limit: Int = .max) throws -> [(Transaction, Address)] {
        let queues = lock.withLock { bySender }
        var ready: [[Entry]] = []
        for (sender, queue) in queues {
            var nonce = try state.account(sender)?.nonce ?? 0
            var run = [Entry]()
            while let e = queue[nonce], e.transaction.feeCap >= baseFee {
                run.append(e)
                nonce += 1
            }
            if !run.isEmpty { ready.append(run) }
        }
        func tip(_ t: Transaction) -> UInt256 { min(t.tipCap, t.feeCap &- baseFee) }
        var heap = Heap<(UInt256, Int, Int)> { a, b in a.0 != b.0 ? a.0 > b.0 : a.1 < b.1 }
        for (i, run) in ready.enumerated() { heap.push((tip(run[0].transaction), i, 0)) }
        var out = [(Transaction, Address)]()
        while out.count < limit, let (_, q, i) = heap.pop() {
            let e = ready[q][i]
            out.append((e.transaction, e.sender))
            if i + 1 < ready[q].count { heap.push((tip(ready[q][i + 1].transaction), q, i + 1)) }
        }
        return out
    }

    /// After a new head: drops included and now-stale transactions, takes back orphaned ones.
    public func update(state: StateReader, head: BlockHeader, orphaned: [Transaction]) throws {
        let senders = lock.withLock { Array(bySender.keys) }
        var nonces = [Address: UInt64]()
        for s in senders { nonces[s] = try state.account(s)?.nonce ?? 0 }
        lock.withLock {
            for (sender, next) in nonces {
                for (nonce, e) in bySender[sender] ?? [:] where nonce < next { remove(e) }
            }
        }
        for tx in orphaned { _ = try? add(tx, state: state, head: head, origin: .reorganization) }
    }
}

/// A binary heap; the top is the element that no other `precedes`.
struct Heap<Element> {
    private var items: [Element] = []
    private let precedes: (Element, Element) -> Bool

    init(_ precedes: @escaping (Element, Element) -> Bool) { self.precedes = precedes }

    mutating func push(_ e: Element) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard precedes(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < items.count, precedes(items[l], items[best]) { best = l }
            if r < items.count, precedes(items[r], items[best]) { best = r }
            if best == i { break }
            items.swapAt(i, best)
            i = best
        }
        return top
    }
}
