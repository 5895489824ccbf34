import AnkrPrimitives
@testable import AnkrTrie
import XCTest

/// The Plasma block tree: levels wide enough to be hashed on every core give the same nodes as a
/// plain pairwise hashing, at every filling around the parallel threshold and for a full block.
final class BinaryMerkleTreeTests: XCTestCase {
    /// The root by definition: pairs hashed level by level, the zero subtree's root padding the right.
    func naiveRoot(_ leaves: [H256], depth: Int) -> H256 {
        var zero = H256.zero
        var level = leaves
        for _ in 0..<depth {
            var next = [H256]()
            for i in stride(from: 0, to: level.count, by: 2) {
                next.append(Keccak256.h256(level[i].bytes + (i + 1 < level.count ? level[i + 1] : zero).bytes))
            }
            level = next
            zero = Keccak256.h256(zero.bytes + zero.bytes)
        }
        return level.first ?? zero
    }

    func leaves(_ n: Int) -> [H256] { (0..<n).map { Keccak256.h256(Array("leaf \($0)".utf8)) } }

    func testParallelLevelsMatchThePlainDefinition() throws {
        let threshold = 2 * BinaryMerkleTree.parallelPairs
        for n in [0, 1, 3, threshold - 1, threshold, threshold + 1, threshold + 17, 1 << 16] {
            let l = leaves(n)
            let tree = try BinaryMerkleTree(leaves: l)
            XCTAssertEqual(tree.root, naiveRoot(l, depth: BinaryMerkleTree.plasmaDepth), "\(n) leaves")
            if n > 0 {
                for index in [0, n / 2, n - 1] {
                    XCTAssertTrue(BinaryMerkleTree.verify(leaf: l[index], index: index, proof: try tree.proof(index: index), root: tree.root), "\(n) leaves, proof of \(index)")
                }
            }
        }
        XCTAssertThrowsError(try BinaryMerkleTree(leaves: leaves((1 << 16) + 1)))
    }
}
