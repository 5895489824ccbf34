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
        // The header is what was committed; transactions that are not its own prove nothing about it (the executor
        // would refuse them only after running them, as invalid — a verdict on the challenger's list, not the block).
        guard Block.transactionsRoot(block.transactions) == block.header.transactionsRoot else {
            return .undecided("the transactions are not the ones the header commits to")
        }
        let store = WitnessNodeStore(witness)
        let failure: Error?
        do {
            _ = try executor.execute(block, parent: parent, state: WorldState(root: parent.stateRoot, store: store), ancestorHashes: ancestorHashes)
            failure = nil
        } catch {
            failure = error
        }
        // Checked before the outcome: code may have caught the missing node and carried on.
        if let missing = store.firstMissing { return .incompleteWitness(missing) }
        switch failure {
        case nil: return .valid
        case let e as BlockValidationError: return .invalid(e.description)
        case let e as ChainError: return .invalid(e.description)
        case let e?: return .undecided("\(e)")
        }
    }

    /// The witness for re-executing `block` on `parent`, read from `store` (which holds the parent's state):
    /// every blob execution reads, whether the block turns out valid or not.
    public func witness(for block: Block, parent: BlockHeader, store: NodeStore, ancestorHashes: [UInt64: H256] = [:]) -> [[UInt8]] {
        let recording = RecordingNodeStore(base: store)
        // An invalid block fails part way: the blobs read until then are what its re-execution needs.
        _ = try? executor.execute(block, parent: parent, state: WorldState(root: parent.stateRoot, store: recording), ancestorHashes: ancestorHashes)
        return recording.witness
    }
}
