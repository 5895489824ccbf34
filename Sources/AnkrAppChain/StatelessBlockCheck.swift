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

    public let executor: BlockExecutor

    /// The check for the application chain with EIP-155 chain id `chainID` run by `operator` (its bridge's operator).
    public init(chainID: UInt64, operator: Address) {
        executor = BlockExecutor(chainID: chainID, parameters: AppChainRules.executionParameters,
                                 systemContracts: AppChainRules.childSystemContracts(operator: `operator`))
    }

    /// Executes `block` on `parent`'s state as `witness` proves it; `ancestorHashes` serve BLOCKHASH.
    public func check(_ block: Block, parent: BlockHeader, witness: [[UInt8]], ancestorHashes: [UInt64: H256] = [:]) -> Verdict {
        report(block, parent: parent, witness: witness, ancestorHashes: ancestorHashes).verdict
    }

    /// ``check(_:parent:witness:ancestorHashes:)`` with, for a valid block, what it did at its bridge (which the
    /// main chain checks against its own records of deposits and of the commitment).
    public func report(_ block: Block, parent: BlockHeader, witness: [[UInt8]], ancestorHashes: [UInt64: H256] = [:])
        -> (verdict: Verdict, bridge: BridgeActivity?) {
        // The header is what was committed; transactions that are not its own prove nothing about it (the executor
        // would refuse them only after running them, as invalid — a verdict on the challenger's list, not the block).
        guard Block.transactionsRoot(block.transactions) == block.header.transactionsRoot else {
            return (.undecided("the transactions are not the ones the header commits to"), nil)
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
        // Checked before the outcome: code may have caught the missing node and carried on.
        if let missing = store.firstMissing { return (.incompleteWitness(missing), nil) }
        switch failure {
        case nil: return (.valid, bridge)
        case let e as BlockValidationError: return (.invalid(e.description), nil)
        case let e as ChainError: return (.invalid(e.description), nil)
        case let e?: return (.undecided("\(e)"), nil)
        }
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
