import AnkrChain
import AnkrPrimitives
import AnkrTrie

/// Re-executes an application chain's block from a witness alone, as the main chain does in a dispute,
/// and records the witness an honest re-execution needs, as a watcher does before disputing.
///
/// The witness is a set of blobs (trie nodes and contract code) each addressed by its hash, read against
/// the parent's state root, so nothing in it can change what execution computes: it can only be
/// incomplete, and then no verdict is given. Only the chain layer's block and transaction refusals
/// (``BlockValidationError``, ``ChainError``) count as proof that a block is invalid; any other failure
/// is no verdict either, so an honest operator can never be slashed by what a challenger chose to send.
///
/// A block whose re-execution reads more witness than its profile allows (``AppChainProfile/maxWitnessBytes``)
/// is invalid: otherwise an operator could commit a block too large to dispute in one main-chain transaction.
/// Reads are metered by ``WitnessNodeStore/servedBytes`` until the first blob the witness lacks, so a challenger
/// proves the excess with just the blobs that pass the bound, and no witness can push an honest block over it
/// (the operator's producer measures each block with everything it reads; ``witnessBytes(of:parent:store:ancestorHashes:)``).
public struct StatelessBlockCheck: Sendable {
    /// What re-executing a block from a witness showed.
    public enum Verdict: Equatable, Sendable {
        /// The block executes and every root and total in its header matches.
        case valid
        /// The block is invalid; the reason is the executor's.
        case invalid(String)
        /// Execution read a blob the witness does not hold (the first one): no verdict.
        case incompleteWitness(H256)
        /// Execution failed for a reason that is not the block's: no verdict.
        case undecided(String)
    }

    /// What ``report(_:parent:witness:ancestorHashes:)`` found.
    public struct Report: Sendable {
        public var verdict: Verdict
        /// For a valid block, what it did at its bridge.
        public var bridge: BridgeActivity?
        /// The witness execution read before the first blob it lacked (``WitnessNodeStore/servedBytes``).
        public var witnessBytes: Int
    }

    public let executor: BlockExecutor
    /// The most witness a block may read (``AppChainProfile/maxWitnessBytes``).
    public let maxWitnessBytes: Int

    /// The check for the application chain with EIP-155 chain id `chainID` run by `operator` (its bridge's operator),
    /// whose blocks may read at most `maxWitnessBytes` of witness.
    public init(chainID: UInt64, operator: Address, maxWitnessBytes: Int) {
        executor = BlockExecutor(chainID: chainID, parameters: AppChainRules.executionParameters,
                                 systemContracts: AppChainRules.childSystemContracts(operator: `operator`))
        self.maxWitnessBytes = maxWitnessBytes
    }

    /// Executes `block` on `parent`'s state as `witness` proves it; `ancestorHashes` serve BLOCKHASH.
    public func check(_ block: Block, parent: BlockHeader, witness: [[UInt8]], ancestorHashes: [UInt64: H256] = [:]) -> Verdict {
        report(block, parent: parent, witness: witness, ancestorHashes: ancestorHashes).verdict
    }

    /// The witness bytes re-executing `block` reads (``WitnessNodeStore/servedBytes`` with a complete witness from
    /// `store`, the parent's state): what a producer compares with ``maxWitnessBytes`` before it seals a block.
    public func witnessBytes(of block: Block, parent: BlockHeader, store: NodeStore, ancestorHashes: [UInt64: H256] = [:]) -> Int {
        report(block, parent: parent, witness: witness(for: block, parent: parent, store: store, ancestorHashes: ancestorHashes),
               ancestorHashes: ancestorHashes).witnessBytes
    }

    /// ``check(_:parent:witness:ancestorHashes:)`` with, for a valid block, what it did at its bridge (which the
    /// main chain checks against its own records of deposits and of the commitment).
    public func report(_ block: Block, parent: BlockHeader, witness: [[UInt8]], ancestorHashes: [UInt64: H256] = [:]) -> Report {
        // The header is what was committed; transactions that are not its own prove nothing about it (the executor
        // would refuse them only after running them, as invalid — a verdict on the challenger's list, not the block).
        guard Block.transactionsRoot(block.transactions) == block.header.transactionsRoot else {
            return Report(verdict: .undecided("the transactions are not the ones the header commits to"), bridge: nil, witnessBytes: 0)
        }
        let store = WitnessNodeStore(witness)
        let state = WorldState(root: parent.stateRoot, store: store)
        var failure: Error?
        var bridge: BridgeActivity?
        do {
            let receipts = try executor.execute(block, parent: parent, state: state, ancestorHashes: ancestorHashes)
            bridge = try BridgeActivity(receipts: receipts, postState: state)
        } catch {
            failure = error
        }
        let read = store.servedBytes
        // Counted only up to the first missing blob, so it stands whatever happened after that.
        if read > maxWitnessBytes {
            return Report(verdict: .invalid("re-executing the block reads more than the \(maxWitnessBytes) bytes of witness a block may read"),
                          bridge: nil, witnessBytes: read)
        }
        // Checked before the outcome: code may have caught the missing node and carried on.
        if let missing = store.firstMissing { return Report(verdict: .incompleteWitness(missing), bridge: nil, witnessBytes: read) }
        let verdict: Verdict
        switch failure {
        case nil: return Report(verdict: .valid, bridge: bridge, witnessBytes: read)
        case let e as BlockValidationError: verdict = .invalid(e.description)
        case let e as ChainError: verdict = .invalid(e.description)
        case let e?: verdict = .undecided("\(e)")
        }
        return Report(verdict: verdict, bridge: nil, witnessBytes: read)
    }

    /// Whether `block`, built on `parent` (a block of `chain`), reads at most ``maxWitnessBytes`` of witness: an
    /// operator's producer seals only such blocks (``BlockProducer/blockCheck``).
    public func fitsWitnessBound(_ block: Block, parent: BlockHeader, chain: Blockchain) -> Bool {
        let ancestors = Dictionary(chain.ancestors(of: parent, count: Int(AppChainRoot.blockHashWindow)).map { ($0.number, $0.hash) },
                                   uniquingKeysWith: { a, _ in a })
        let store = chain.state(at: parent).store
        let r = report(block, parent: parent, witness: witness(for: block, parent: parent, store: store, ancestorHashes: ancestors), ancestorHashes: ancestors)
        // A node the local store lacks stops the meter early: judged too large rather than measured short.
        if case .incompleteWitness = r.verdict { return false }
        return r.witnessBytes <= maxWitnessBytes
    }

    /// The witness to dispute `block` with, given its complete `witness`: all of it, or for a block that reads more
    /// than ``maxWitnessBytes`` the shortest prefix (in read order) that still proves so — the whole witness of such
    /// a block need not fit in a main-chain transaction.
    public func disputeWitness(for block: Block, parent: BlockHeader, witness: [[UInt8]], ancestorHashes: [UInt64: H256] = [:]) -> [[UInt8]] {
        func provesExcess(_ blobs: [[UInt8]]) -> Bool {
            report(block, parent: parent, witness: blobs, ancestorHashes: ancestorHashes).witnessBytes > maxWitnessBytes
        }
        guard provesExcess(witness) else { return witness }
        // More blobs never meter less (the first miss comes later or not at all): bisect on the prefix length.
        var fails = 0, proves = witness.count
        while proves - fails > 1 {
            let mid = fails + (proves - fails) / 2
            if provesExcess(Array(witness.prefix(mid))) { proves = mid } else { fails = mid }
        }
        return Array(witness.prefix(proves))
    }

    /// The witness for re-executing `block` on `parent`, read from `store` (which holds the parent's state):
    /// every blob execution reads, whether the block turns out valid or not.
    public func witness(for block: Block, parent: BlockHeader, store: NodeStore, ancestorHashes: [UInt64: H256] = [:]) -> [[UInt8]] {
        let recording = RecordingNodeStore(base: store)
        // An invalid block fails part way: the blobs read until then are what its re-execution needs. A valid one's
        // bridge is read afterwards, as ``report(_:parent:witness:ancestorHashes:)`` reads it.
        let state = WorldState(root: parent.stateRoot, store: recording)
        if let receipts = try? executor.execute(block, parent: parent, state: state, ancestorHashes: ancestorHashes) {
            _ = try? BridgeActivity(receipts: receipts, postState: state)
        }
        return recording.witness
    }
}
