import AnkrChain
import AnkrPrimitives
import AnkrRPC
import Foundation
import Logging

/// The operator's half of the link to the main chain: follows its application chain's canonical head and commits
/// every block, in order, to the chain's ``AppChainRoot`` through the main chain's JSON-RPC, and relays the deposits
/// and messages sent there into the chain (an `applyMessages` transaction to the bridge, signed with the operator key,
/// handed to `submit`, the node's mempool door), once they are `depositConfirmations` main-chain blocks deep.
///
/// Each round reads the root's latest commitment, checks that it is this chain's block of that number
/// (a commitment this node did not produce — another process with the operator key — stops it), and sends
/// the next blocks back to back (at most ``maxPerRound``), then waits for the last one. Anything that
/// fails (the main chain is down, a transaction was dropped) is logged and retried from the root's state
/// in the next round, so a restart or a main-chain reorganisation only repeats work.
public final class AppChainCommitter: @unchecked Sendable {
    public static let maxPerRound: UInt64 = 16

    public let chain: Blockchain
    public let root: Address
    public let transactor: Transactor
    /// Main-chain blocks a deposit must be under before it is applied here (a deposit that a main-chain
    /// reorganisation removed after it was applied would make the block invalid).
    public var depositConfirmations: UInt64 = 3
    /// Hands a transaction to the chain's mempool (the node's `submit`).
    public var submit: @Sendable (Transaction) throws -> H256 = { _ in throw AppChainCommitterError.badAnswer("no mempool") }
    /// The end of the deposits a relay transaction already waiting in the pool applies (not resent until mined or gone).
    private var relayedThrough: (end: UInt64, at: Date)?
    /// Messages (deposits among them) seen on the main chain by index, and the main-chain block scanned through.
    private var deposits: [UInt64: AppChainMessage] = [:]
    private var depositsScannedThrough: UInt64?
    /// The next nonce of the operator's account on this chain, pending transactions included (the node's mempool).
    public var nextNonce: @Sendable (Address) throws -> UInt64 = { _ in 0 }
    private let interval: TimeInterval
    private let logger: Logger
    private let lock = NSLock()
    private var stopping = false
    private var thread: Thread?
    private let stopped = DispatchSemaphore(value: 0)
    /// The highest block the main chain has committed, as last read.
    public private(set) var committed: UInt64 {
        get { lock.withLock { _committed } }
        set { lock.withLock { _committed = newValue } }
    }
    private var _committed: UInt64 = 0
    /// Told each round that the root's latest commitment is this node's block of that number (the node has caught up with
    /// what the main chain committed: its producer may seal the next heights without contradicting an earlier seal).
    public var onInSync: @Sendable () -> Void = {}
    /// Told the chain's profile once the root has been checked against this chain (the producer bounds its blocks by it).
    public var onProfile: @Sendable (AppChainProfile) -> Void = { _ in }
    /// Told each round whether the chain owes deposits past half their deadline: from the deadline on, the root commits
    /// only blocks that apply more of them, so the producer then makes only blocks that carry a relay
    /// (``BlockProducer/requiredSender``), and the relays are queued ahead, one per block.
    public var onDepositsDue: @Sendable (Bool) -> Void = { _ in }
    /// Relay transactions (of ``AppChainRoot/overdueBatch`` deposits each) kept waiting in the pool at most.
    public static let queuedRelays: UInt64 = 4
    private var registrationChecked = false

    public init(chain: Blockchain, root: Address, transactor: Transactor, interval: TimeInterval = 0.5, logger: Logger) {
        self.chain = chain
        self.root = root
        self.transactor = transactor
        self.interval = interval
        self.logger = logger
    }

    public func start() {
        let t = Thread { [self] in
            while !lock.withLock({ stopping }) {
                do { try round() } catch { logger.warning("committing to the main chain failed; retrying", metadata: ["error": "\(error)"]) }
                Thread.sleep(forTimeInterval: interval)
            }
            stopped.signal()
        }
        t.name = "ankr.appchain.committer"
        thread = t
        t.start()
    }

    public func stop() {
        guard thread != nil else { return }
        lock.withLock { stopping = true }
        // A round may be waiting on the main chain; shutdown does not wait for it past two seconds.
        _ = stopped.wait(timeout: .now() + 2)
        thread = nil
    }

    /// One round: commits what the root lacks, up to ``maxPerRound`` blocks. Returns how many were sent.
    @discardableResult
    public func round() throws -> Int {
        let client = transactor.client
        if !registrationChecked {
            try checkRegistration()
            registrationChecked = true
        }
        let latest = try Self.uint64(client.call(.init(to: root, data: try ABI.encodeCall("latestBlock()", []))), "latestBlock")
        let commitment = try client.call(.init(to: root, data: try ABI.encodeCall("getCommitment(uint256)", [.uint(UInt256(latest))])))
        guard commitment.count >= 32, let mine = try chain.header(number: latest), mine.hash.bytes == Array(commitment[0..<32]) else {
            throw AppChainCommitterError.foreignCommitment(number: latest)
        }
        committed = latest
        onInSync()
        // A relay that fails (the pool refuses it, the main chain's logs are out of reach) must not hold up commitments.
        do { try relayDeposits() } catch { logger.warning("relaying deposits failed; retrying", metadata: ["error": "\(error)"]) }
        let head = chain.head.number
        guard latest < head else { return 0 }
        var batch = try transactor.batch()
        var last: (hash: H256, raw: [UInt8])?
        var sent = 0
        for n in (latest + 1)...min(head, latest + Self.maxPerRound) {
            guard let header = try chain.header(number: n), let block = try chain.block(hash: header.hash) else { break }
            let state = chain.state(at: header)
            let applied = try AppChainBridge.depositsApplied(state: state)
            let data = try ABI.encodeCall("commitBlock(bytes,uint256,bytes32)", [.bytes(block.encoded), .uint(UInt256(applied)),
                                                                                 .fixedBytes(try AppChainBridge.depositsHash(state: state).bytes)])
            let tx = try batch.sign(to: root, data: data, gasLimit: Self.gasLimit(calldata: data))
            _ = try batch.send(to: root, data: data, gasLimit: tx.gasLimit)
            last = (tx.hash, tx.encoded)
            sent += 1
        }
        if let last {
            try transactor.waitForSuccess(last.hash, confirmations: 1, seconds: 60, resending: last.raw)
            logger.info("committed to the main chain", metadata: ["through": "\(latest + UInt64(sent))", "blocks": "\(sent)"])
        }
        return sent
    }

    /// Sends `applyMessages` transactions for the messages sent on the main chain, confirmed, and not yet applied here,
    /// ``AppChainRoot/overdueBatch`` a transaction, keeping up to ``queuedRelays`` of them waiting in the pool (a relay
    /// not applied within 30 s is sent again), and tells ``onDepositsDue`` whether deposits are nearly overdue.
    private func relayDeposits() throws {
        let client = transactor.client
        let made = try Self.uint64(client.call(.init(to: root, data: try ABI.encodeCall("depositCount()", []))), "depositCount")
        let head = chain.head
        let state = chain.state(at: head)
        let applied = try AppChainBridge.depositsApplied(state: state)
        guard applied < made else {
            onDepositsDue(false)
            return
        }
        try reportDue(oldest: applied)
        let queuedEnd = relayedThrough.flatMap { $0.end > applied && Date().timeIntervalSince($0.at) < 30 ? $0.end : nil } ?? applied
        guard queuedEnd < applied &+ Self.queuedRelays &* AppChainRoot.overdueBatch else { return }
        let mainHead = try client.blockNumber()
        guard mainHead >= depositConfirmations, let topic = AppChainRoot.interface.event(named: "MessageSent")?.topic else { return }
        let through = mainHead - depositConfirmations
        // After a restart, from the first main-chain block as late as the oldest message not applied (messages are made in
        // block order, so none still needed is older), not from block 0.
        let from = try depositsScannedThrough.map { $0 + 1 } ?? firstMainBlock(notBefore: try madeAt(applied), through: through)
        if from <= through {
            for log in try client.logs(of: root, topic: topic, from: from, through: through) where !log.removed && log.topics.count == 4 {
                guard let i = UInt256(bigEndian: log.topics[1].bytes)?.uint64, let sender = try? Address(Array(log.topics[2].bytes.suffix(20))),
                      let target = try? Address(Array(log.topics[3].bytes.suffix(20))),
                      let fields = try? ABI.decode([.uint(bits: 256), .bytes], from: log.data), let value = fields[0].uintValue,
                      let data = fields[1].bytesValue, data.count <= AppChainMessage.maxDataBytes else { continue }
                deposits[i] = AppChainMessage(sender: sender, target: target, value: value, data: data)
            }
            depositsScannedThrough = through
        } else if depositsScannedThrough == nil {
            depositsScannedThrough = through  // the oldest message needed is in a later block: nothing before it to read
        }
        // The next message to relay should have been read by now if its block is at or below `through`; if not, a
        // reorganisation moved it behind the scan (or lowered `through`): read the main chain again rather than stall
        // until its deadline halts the chain.
        if deposits[queuedEnd] == nil, queuedEnd < made, let at = try? madeAt(queuedEnd),
           let scanned = try client.block(number: .number(through))?.timestamp, at <= scanned {
            logger.warning("a main-chain message is missing from the scan (a reorganisation?); reading the main chain again",
                           metadata: ["index": "\(queuedEnd)"])
            depositsScannedThrough = nil
            return
        }
        for i in deposits.keys where i < applied { deposits[i] = nil }
        // As many as fit half a block (at least one), and no more than the overdue batch, whose witness every
        // profile's bound holds (a larger relay could fail the producer's check alone and never be included).
        let half = head.gasLimit / 2
        var first = queuedEnd
        while first < applied &+ Self.queuedRelays &* AppChainRoot.overdueBatch {
            var messages = [AppChainMessage]()
            var i = first
            while let m = deposits[i], messages.count < Int(AppChainRoot.overdueBatch),
                  messages.isEmpty || AppChainBridge.applyMessagesGas(dataSizes: (messages + [m]).map(\.data.count)) <= half {
                messages.append(m)
                i += 1
            }
            guard !messages.isEmpty else { break }
            let data = try AppChainBridge.applyMessagesCall(first: first, messages)
            let nonce = try nextNonce(transactor.signer.address)
            // No tip: the operator's own blocks take its relays first. The base fee comes back to the operator as the coinbase,
            // so the cap may be generous — eight times the next base fee (a relay stays includable through ~17 full blocks
            // of rising fees) as far as its balance covers, and never under twice the base fee.
            let gas = AppChainBridge.applyMessagesGas(dataSizes: messages.map(\.data.count))
            let baseFee = BaseFee.next(after: head)
            let affordable = (try state.balance(transactor.signer.address)) / UInt256(gas)
            let (twice, o1) = baseFee.multipliedReportingOverflow(by: UInt256(2))
            let (eight, o2) = baseFee.multipliedReportingOverflow(by: UInt256(8))
            let maxFee = max(o1 ? .max : twice, min(o2 ? .max : eight, affordable))
            let tx = try Transaction.dynamicFee(chainID: chain.chainID, nonce: nonce, maxPriorityFeePerGas: .zero, maxFeePerGas: maxFee,
                                                gasLimit: gas, to: AppChainBridge.address, value: .zero, data: data)
                .signed(with: transactor.signer)
            _ = try submit(tx)
            relayedThrough = (i, Date())
            logger.info("relaying messages from the main chain", metadata: ["from": "\(first)", "through": "\(i - 1)"])
            first = i
        }
    }

    /// The main-chain time message `index` was made.
    private func madeAt(_ index: UInt64) throws -> UInt64 {
        let deposit = try transactor.client.call(.init(to: root, data: try ABI.encodeCall("getDeposit(uint256)", [.uint(UInt256(index))])))
        guard deposit.count >= 64, let madeAt = UInt256(bigEndian: deposit[32..<64])?.uint64 else { throw AppChainCommitterError.badAnswer("getDeposit") }
        return madeAt
    }

    /// The first main-chain block at or before `through` whose timestamp is at least `time` (block times never go back),
    /// by binary search: about log2(head) header reads. `through` + 1 when there is none.
    private func firstMainBlock(notBefore time: UInt64, through: UInt64) throws -> UInt64 {
        var low: UInt64 = 0, high = through &+ 1
        while low < high {
            let mid = low + (high - low) / 2
            guard let block = try transactor.client.block(number: .number(mid)) else { throw AppChainCommitterError.badAnswer("block \(mid)") }
            if block.timestamp >= time { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Tells ``onDepositsDue`` whether deposit `oldest` (the first this chain has not applied) is past half its deadline
    /// by the main chain's clock.
    private func reportDue(oldest: UInt64) throws {
        let client = transactor.client
        let madeAt = try madeAt(oldest)
        let deadline = try Self.uint64(client.call(.init(to: root, data: try ABI.encodeCall("depositDeadline()", []))), "depositDeadline")
        guard let now = try client.block(number: .latest)?.timestamp else { throw AppChainCommitterError.badAnswer("latest block") }
        onDepositsDue(madeAt &+ deadline / 2 <= now)
    }

    /// The root must be this chain's: its chain id (else every transaction's signature would fail there and any
    /// block could be disputed) and the operator this node signs for.
    private func checkRegistration() throws {
        let client = transactor.client
        let chainID = try Self.uint64(client.call(.init(to: root, data: try ABI.encodeCall("chainId()", []))), "chainId")
        guard chainID == chain.chainID else { throw AppChainCommitterError.wrongRegistration("the root is chain id \(chainID)'s, this chain is \(chain.chainID)") }
        let op = try client.call(.init(to: root, data: try ABI.encodeCall("operator()", [])))
        guard op.count == 32, Array(op[12..<32]) == transactor.signer.address.bytes else {
            throw AppChainCommitterError.wrongRegistration("the root's operator is not \(transactor.signer.address.checksummed)")
        }
        let answer = try client.call(.init(to: root, data: try ABI.encodeCall("profile()", [])))
        guard case .string(let name)? = try? ABI.decode([.string], from: answer).first, let profile = AppChainProfile(rawValue: name) else {
            throw AppChainCommitterError.badAnswer("profile")
        }
        onProfile(profile)
        logger.info("committing to the main chain", metadata: ["root": "\(root)", "profile": "\(profile.rawValue)"])
    }

    /// Enough gas for `commitBlock` whatever the block: calldata at 16 a byte, hashing it twice, four stored
    /// words and the reads around them (unused gas is not charged).
    static func gasLimit(calldata: [UInt8]) -> UInt64 {
        21_000 + 16 * UInt64(calldata.count) + 12 * (UInt64(calldata.count) / 32 + 1) + 300_000
    }

    static func uint64(_ output: [UInt8], _ what: String) throws -> UInt64 {
        guard output.count == 32, let v = UInt256(bigEndian: output[0..<32])?.uint64 else { throw AppChainCommitterError.badAnswer(what) }
        return v
    }
}

/// Why the committer stopped a round.
public enum AppChainCommitterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The root's commitment `number` is not this chain's block `number`.
    case foreignCommitment(number: UInt64)
    case badAnswer(String)
    /// The root on the main chain is not this chain's, or not this operator's.
    case wrongRegistration(String)

    public var description: String {
        switch self {
        case .foreignCommitment(let n):
            return "the main chain's commitment \(n) is not this node's block \(n): another process commits with the operator key, or this datadir is another chain"
        case .badAnswer(let what): return "the main chain answered \(what) with something unexpected"
        case .wrongRegistration(let why): return "this node cannot commit there: \(why)"
        }
    }
}
