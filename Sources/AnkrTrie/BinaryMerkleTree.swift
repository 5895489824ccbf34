import AnkrPrimitives
import Dispatch

/// The fixed-depth binary Merkle tree of Plasma blocks (DESIGN.md §5): 2^depth leaves, unfilled
/// leaves are the zero word, node = keccak256(left ‖ right), proofs are `depth` siblings leaf-first.
public struct BinaryMerkleTree: Sendable {
    /// Depth of the Plasma MVP tree.
    public static let plasmaDepth = 16

    public let depth: Int
    /// levels[0] are the filled leaves; levels[k] the nodes k levels up, only as far as filled.
    private let levels: [[H256]]
    /// zeroHashes[k] is the root of an empty subtree of height k.
    private let zeroHashes: [H256]

    /// Builds the tree over `leaves` (each a 32-byte word, already hashed by the caller).
    public init(leaves: [H256], depth: Int = BinaryMerkleTree.plasmaDepth) throws {
        precondition(depth >= 1 && depth <= 32, "unsupported tree depth")
        guard leaves.count <= 1 << depth else { throw TrieError.tooManyLeaves(leaves.count, limit: 1 << depth) }
        self.depth = depth
        var zeros = [H256.zero]
        for k in 0..<depth { zeros.append(Self.hashPair(zeros[k], zeros[k])) }
        self.zeroHashes = zeros
        var levels = [leaves]
        var current = leaves
        for k in 0..<depth {
            let next = Self.parents(of: current, padding: zeros[k])
            levels.append(next)
            current = next
        }
        self.levels = levels
    }

    /// Nodes at or above this many pairs are hashed on every core (a full Plasma block's lowest
    /// levels: 32,768 and 16,384 pairs); smaller levels are not worth a thread hop.
    static let parallelPairs = 2_048

    /// The level above `nodes`: node i hashes nodes 2i and 2i+1 (`padding` standing in for a missing right one).
    static func parents(of nodes: [H256], padding: H256) -> [H256] {
        let pairs = (nodes.count + 1) / 2
        @Sendable func parent(_ i: Int) -> H256 {
            let right = 2 * i + 1 < nodes.count ? nodes[2 * i + 1] : padding
            return hashPair(nodes[2 * i], right)
        }
        guard pairs >= parallelPairs else { return (0..<pairs).map(parent) }
        let chunks = 8
        let chunk = (pairs + chunks - 1) / chunks
        let parts = ChunkResults<[H256]>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            parts.set(c, (min(pairs, c * chunk)..<min(pairs, (c + 1) * chunk)).map(parent))
        }
        return Array(parts.all().joined())
    }

    public var root: H256 { levels[depth].first ?? zeroHashes[depth] }

    /// The `depth` sibling hashes from the leaf up, concatenated (32·depth bytes).
    public func proof(index: Int) throws -> [UInt8] {
        guard index >= 0, index < 1 << depth else { throw TrieError.indexOutOfRange(index, limit: 1 << depth) }
        var out = [UInt8]()
        out.reserveCapacity(32 * depth)
        var i = index
        for k in 0..<depth {
            let sibling = i ^ 1
            out += (sibling < levels[k].count ? levels[k][sibling] : zeroHashes[k]).bytes
            i >>= 1
        }
        return out
    }

    /// Checks that `leaf` sits at `index` under `root`. The index must be below 2^depth and is
    /// walked bit by bit, so one proof cannot be replayed at another position.
    public static func verify(leaf: H256, index: Int, proof: [UInt8], root: H256, depth: Int = plasmaDepth) -> Bool {
        guard depth >= 1, depth <= 32, index >= 0, index < 1 << depth, proof.count == 32 * depth else { return false }
        var node = leaf
        var i = index
        for k in 0..<depth {
            // 32-byte slices always form an H256.
            guard let sibling = try? H256(Array(proof[(32 * k)..<(32 * k + 32)])) else { return false }
            node = i & 1 == 0 ? hashPair(node, sibling) : hashPair(sibling, node)
            i >>= 1
        }
        return node == root
    }

    static func hashPair(_ a: H256, _ b: H256) -> H256 { Keccak256.h256(a.bytes + b.bytes) }
}
