import AnkrChain
import AnkrPrimitives
import AnkrRPC
import Foundation
import Logging

/// What a watcher round did.
public enum AppChainWatchEvent: Equatable, Sendable {
    /// Committed blocks re-executed and found valid, through `number`.
    case verified(through: UInt64)
    /// Block `number` was invalid; the dispute `transaction` slashed the operator and rolled the chain back.
    case disputed(number: UInt64, reason: String, transaction: H256)
}

/// Why a watcher cannot go on.
public enum AppChainWatcherError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The transaction that committed block `number` is not on the main chain the watcher reads.
    case blockDataMissing(number: UInt64)
    /// Block `number` is invalid but its dispute window has ended: the main chain holds it final.
    case invalidButFinal(number: UInt64, reason: String)
    /// Re-executing block `number` from the witness this node recorded gives no verdict (`verdict`).
    case cannotProve(number: UInt64, verdict: String)
    /// The root is not the chain this watcher was started on (`why`): every block would look invalid to it.
    case wrongChain(String)

    public var description: String {
        switch self {
        case .blockDataMissing(let n): return "the main chain holds commitment \(n) but not a commitBlock transaction carrying that block"
        case .invalidButFinal(let n, let r): return "committed block \(n) is invalid (\(r)) but final: its dispute window ended before it was checked"
        case .cannotProve(let n, let v): return "re-executing committed block \(n) from the witness recorded here gives no verdict: \(v)"
        case .wrongChain(let why): return "the root is not this watcher's chain: \(why)"
        }
    }
}

/// `ankr appchain watch`: re-executes every block an application chain's operator commits, from the block
/// data in the commitments themselves (never from the operator), and disputes an invalid one by itself.
///
/// Its own ``Blockchain`` holds the chain as the main chain has committed it: each committed block is
/// fetched from the `commitBlock` transaction that carried it, checked against the committed header hash, then
/// re-executed exactly as a dispute would — from the witness this node records, with the bridge's rules against the
/// main chain's deposits and the committed count — and imported only if valid (any seal: the commitment, not the
/// seal, counts there). An invalid one is disputed with the watcher's key. Each block is executed twice here;
/// a watcher trades that for never holding a block the main chain will roll back.
public final class AppChainWatcher: @unchecked Sendable {
    /// Committed blocks checked per round at most.
    public static let maxPerRound: UInt64 = 64
    /// The most gas a dispute transaction asks for: a main-chain block's.
    static let mainBlockGas: UInt64 = 30_000_000

    public let chain: Blockchain
    public let root: Address
    public let transactor: Transactor
    private let logger: Logger
    /// The main-chain block where the last checked commitment's transaction was: later ones are at or after it.
    private var scanFrom: UInt64 = 0
    private var knownProfile: AppChainProfile?
    private var rootChecked = false

    /// The chain's operator (its genesis's), whose bridge calls the blocks make.
    public let operatorAddress: Address

    /// `chain` must be built on the application chain's genesis with ``AppChainWatcher/sealer`` and
    /// ``AppChainRules/childSystemContracts(operator:)``.
    public init(chain: Blockchain, operator: Address, root: Address, transactor: Transactor, logger: Logger) {
        operatorAddress = `operator`
        self.chain = chain
        self.root = root
        self.transactor = transactor
        self.logger = logger
    }

    /// The sealer of a watcher's chain: it accepts every seal, since a dispute does not look at seals.
    public static var sealer: any Sealer { CommittedBlockSealer() }

    /// One round: checks the commitments this node has not, up to ``maxPerRound``; disputes the first invalid one.
    public func round() throws -> AppChainWatchEvent? {
        let client = transactor.client
        if !rootChecked {
            try checkRoot()
            rootChecked = true
        }
        let latest = try view("latestBlock()", [])
        var checked: UInt64?
        var n = chain.head.number + 1
        while n <= latest && n <= chain.head.number + Self.maxPerRound {
            let commitment = try client.call(.init(to: root, data: try ABI.encodeCall("getCommitment(uint256)", [.uint(UInt256(n))])))
            guard commitment.count >= 160, let claimed = UInt256(bigEndian: commitment[128..<160])?.uint64 else {
                throw AppChainCommitterError.badAnswer("getCommitment")
            }
            let hash = try H256(Array(commitment[0..<32]))
            let final = commitment[127] == 1
            let block = try committedBlock(n, hash: hash)
            // Checked as the dispute would check it, before this node takes it in: from a witness, with the bridge's rules.
            let parent = chain.head
            let check = StatelessBlockCheck(chainID: chain.chainID, operator: operatorAddress, maxWitnessBytes: try profile().maxWitnessBytes)
            let ancestors = Dictionary(uniqueKeysWithValues: chain.ancestors(of: parent, count: 256).map { ($0.number, $0.hash) })
            var witness = check.witness(for: block, parent: parent, store: chain.state(at: parent).store, ancestorHashes: ancestors)
            let report = check.report(block, parent: parent, witness: witness, ancestorHashes: ancestors)
            var verdict = report.verdict
            if case .valid = verdict, let bridge = report.bridge,
               let broken = try bridge.violation(claimed: claimed, claimedHash: try mainDepositsHash(claimed), record: { i in try mainDeposit(i) }) {
                verdict = .invalid(broken)
            }
            switch verdict {
            case .valid:
                _ = try chain.importBlock(block)
                checked = n
                n += 1
                continue
            case .invalid(let reason):
                guard !final else { throw AppChainWatcherError.invalidButFinal(number: n, reason: reason) }
                witness = check.disputeWitness(for: block, parent: parent, witness: witness, ancestorHashes: ancestors)
                logger.warning("committed block is invalid; disputing it", metadata: ["block": "\(n)", "reason": "\(reason)", "witnessBlobs": "\(witness.count)",
                                                                                    "witnessBytes": "\(witness.reduce(0) { $0 + $1.count })"])
                let data = try ABI.encodeCall("challenge(uint256,bytes,bytes,bytes[])",
                                              [.uint(UInt256(n)), .bytes(parent.encoded), .bytes(block.encoded), .array(witness.map { .bytes($0) })])
                let bound = AppChainRoot.disputeGas(gasLimit: block.header.gasLimit, transactions: block.transactions.count,
                                                    witnessBytes: witness.reduce(0) { $0 + $1.count }, witnessBlobs: witness.count)
                    + AppChainRoot.disputeOverheadGas(number: n) + 21_000 + 16 * UInt64(data.count)
                // The node's estimate runs the dispute: one the main chain reverts is never sent (it would only burn gas,
                // round after round). A node that cannot estimate (a timeout on a slow block) gets the formula's bound.
                let gas: UInt64
                do {
                    let estimate = try client.estimateGas(.init(from: transactor.signer.address, to: root, data: data))
                    let (padded, overflow) = estimate.addingReportingOverflow(estimate / 4)
                    gas = overflow ? bound : max(padded, min(bound, Self.mainBlockGas))
                } catch RPCClientError.rpc(let e) where e.code == 3 {
                    // Another challenger may have been first: the block is gone from the root, and the next round goes on.
                    if try view("latestBlock()", []) < n { return checked.map { .verified(through: $0) } }
                    throw AppChainWatcherError.cannotProve(number: n, verdict: "the main chain refuses the dispute: \(e.message)")
                } catch RPCClientError.rpc {
                    gas = min(bound, Self.mainBlockGas)
                }
                var batch = try transactor.batch()
                let tx = try batch.sign(to: root, data: data, gasLimit: gas)
                let sent = try batch.send(to: root, data: data, gasLimit: gas)
                try transactor.waitForSuccess(sent, confirmations: 1, seconds: 60, resending: tx.encoded)
                logger.notice("disputed an invalid block: the operator is slashed and the chain rolled back", metadata: ["block": "\(n)", "tx": "\(sent)"])
                return .disputed(number: n, reason: reason, transaction: sent)
            default:
                throw AppChainWatcherError.cannotProve(number: n, verdict: "\(verdict)")
            }
        }
        return checked.map { .verified(through: $0) }
    }

    /// Block `number` with header hash `hash`, from the `commitBlock` transaction that carried it to the main chain.
    func committedBlock(_ number: UInt64, hash: H256) throws -> Block {
        let client = transactor.client
        guard let topic = AppChainRoot.interface.event(named: "BlockCommitted")?.topic else { throw AppChainCommitterError.badAnswer("BlockCommitted") }
        let logs = try client.logs(of: root, topic: topic, second: H256(word: UInt256(number)), from: scanFrom, through: try client.blockNumber())
        // Newest first: after a rollback the block was committed again, later.
        for log in logs.reversed() where !log.removed && log.data.count >= 32 && Array(log.data[0..<32]) == hash.bytes {
            guard let tx = try client.transaction(log.transactionHash), tx.to == root,
                  let args = try? ABI.decode([.bytes], from: Array(tx.input.dropFirst(4))), case .bytes(let bytes) = args.first,
                  let block = try? Block(encoded: bytes), block.hash == hash else { continue }
            scanFrom = log.blockNumber
            return block
        }
        throw AppChainWatcherError.blockDataMissing(number: number)
    }

    /// The root must be this chain's: its chain id, its operator and its genesis (commitment 0).
    private func checkRoot() throws {
        let chainID = try view("chainId()", [])
        guard chainID == chain.chainID else { throw AppChainWatcherError.wrongChain("it is chain id \(chainID)'s, the genesis here is \(chain.chainID)'s") }
        let op = try transactor.client.call(.init(to: root, data: try ABI.encodeCall("operator()", [])))
        guard op.count == 32, Array(op[12..<32]) == operatorAddress.bytes else {
            throw AppChainWatcherError.wrongChain("its operator is not the genesis's \(operatorAddress.checksummed)")
        }
        let genesis = try transactor.client.call(.init(to: root, data: try ABI.encodeCall("getCommitment(uint256)", [.uint(.zero)])))
        guard genesis.count >= 32, Array(genesis[0..<32]) == chain.genesisHash.bytes else {
            throw AppChainWatcherError.wrongChain("its genesis is not \(chain.genesisHash)")
        }
    }

    /// The chain's profile, as the root holds it (asked once).
    private func profile() throws -> AppChainProfile {
        if let known = knownProfile { return known }
        let out = try transactor.client.call(.init(to: root, data: try ABI.encodeCall("profile()", [])))
        guard let values = try? ABI.decode([.string], from: out), case .string(let name) = values.first,
              let p = AppChainProfile(rawValue: name) else { throw AppChainCommitterError.badAnswer("profile") }
        knownProfile = p
        return p
    }

    /// The root's running hash of its first `count` deposits.
    private func mainDepositsHash(_ count: UInt64) throws -> H256 {
        let out = try transactor.client.call(.init(to: root, data: try ABI.encodeCall("depositsHash(uint256)", [.uint(UInt256(count))])))
        guard out.count >= 32 else { throw AppChainCommitterError.badAnswer("depositsHash") }
        return try H256(Array(out[0..<32]))
    }

    /// The main chain's record of deposit `index`, nil past the last.
    private func mainDeposit(_ index: UInt64) throws -> H256? {
        let out = try transactor.client.call(.init(to: root, data: try ABI.encodeCall("getDeposit(uint256)", [.uint(UInt256(index))])))
        guard out.count >= 64 else { throw AppChainCommitterError.badAnswer("getDeposit") }
        let record = try H256(Array(out[0..<32]))
        return record == .zero ? nil : record
    }

    private func view(_ signature: String, _ args: [ABIValue]) throws -> UInt64 {
        try AppChainCommitter.uint64(transactor.client.call(.init(to: root, data: try ABI.encodeCall(signature, args))), signature)
    }
}

/// A watcher's sealer: every seal passes (the main chain's commitment is what makes a block count).
struct CommittedBlockSealer: Sealer {
    func difficulty(parent: BlockHeader, timestamp: UInt64) -> UInt256 { parent.difficulty }
    func seal(_ block: Block, chain: ChainReader, stop: @Sendable () -> Bool) throws -> Block { throw SealError.abandoned }
    func verifySeal(_ header: BlockHeader, parent: BlockHeader, chain: ChainReader) throws {}
    var stampsWallClock: Bool { false }
    var sealingStats: SealingStats? { nil }
    func describe(seal: [UInt8]) -> JSON { .string(seal.hexPrefixed) }
}
