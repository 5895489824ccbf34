import AnkrChain
import AnkrPrimitives
import AnkrTrie

/// The main chain's `childChainsRoot` over both kinds of child chain. Without application chains it is
/// the Plasma chains' index unchanged (so existing chains keep their headers); with them it is
/// keccak256(plasmaRoot ‖ appRoot), where appRoot is a depth-16 Merkle tree whose leaf i is
/// keccak256(RLP[id, latest committed block number, its header hash]) for application chain i + 1.
public struct ChildChainsIndex: ChildChainIndex {
    public let plasma: ChildChainIndex

    public init(plasma: ChildChainIndex) { self.plasma = plasma }

    public func childChainsRoot(state: WorldState) throws -> H256 {
        let plasmaRoot = try plasma.childChainsRoot(state: state)
        let count = try AppChainRegistry.count(state: state)
        guard count > 0 else { return plasmaRoot }
        let appRoot = try BinaryMerkleTree(leaves: try (1...count).map { try Self.leaf(id: $0, state: state) }).root
        return Keccak256.h256(plasmaRoot.bytes + appRoot.bytes)
    }

    /// Application chain `id`'s leaf, as of `state`.
    public static func leaf(id: UInt64, state: WorldState) throws -> H256 {
        var root = AppChainRootState(state: state, root: AppChainRegistry.rootAddress(id))
        let latest = try root.latestBlock()
        let header = try root.commitment(latest)?.headerHash ?? .zero
        return Keccak256.h256(RLP.encode(.list([.uint(id), .uint(latest), .bytes(header.bytes)])))
    }
}
