import AnkrChain
import AnkrPrimitives
import AnkrTrie

/// The main chain's index of its child chains: a depth-16 Merkle tree whose leaf i is
/// keccak256(RLP[chainId, latest operator block number, its header hash]) for chain i + 1 (number
/// and hash zero before the first block). No child chains: the zero hash, as in genesis.
public struct ChildChainsRoot: ChildChainIndex {
    public init() {}

    public func childChainsRoot(state: WorldState) throws -> H256 {
        var registry = SystemStorage(state: state, address: ChildChainRegistry.address, gasLimit: .max)
        let count = min(try registry.word(.zero).uint64 ?? 0, ChildChainRegistry.maxChains)
        guard count > 0 else { return .zero }
        return try BinaryMerkleTree(leaves: try (1...count).map { id in try Self.leaf(id: id, state: state) }).root
    }

    /// One chain's leaf, as of `state`.
    public static func leaf(id: UInt64, state: WorldState) throws -> H256 {
        var root = PlasmaRootState(state: state, root: ChildChainRegistry.rootAddress(id))
        let latest = try root.latestOperatorBlock()
        let header = latest == 0 ? H256.zero : (try root.block(latest)?.headerHash ?? .zero)
        return Keccak256.h256(RLP.encode(.list([.uint(id), .uint(latest), .bytes(header.bytes)])))
    }
}
