import AnkrPrimitives
import AnkrTestSupport
import AnkrTrie
import Foundation
import XCTest

/// ethereum/tests TrieTests: every file, plain and secure, ordered and any-order, and next/prev.
final class TrieVectorTests: XCTestCase {
    /// "0x…" strings are hex; anything else is UTF-8; null deletes.
    private func bytes(_ json: Any?) throws -> [UInt8]? {
        guard let s = json as? String else { return nil }
        return s.hasPrefix("0x") ? try [UInt8](hex: s) : Array(s.utf8)
    }

    private func pairs(_ input: Any) throws -> [([UInt8], [UInt8]?)] {
        if let list = input as? [[Any]] {
            return try list.map { (try XCTUnwrap(try bytes($0[0])), try bytes($0[1])) }
        }
        let object = try XCTUnwrap(input as? [String: Any])
        return try object.keys.sorted().map { (try XCTUnwrap(try bytes($0)), try bytes(object[$0])) }
    }

    private func run(_ file: String, secure: Bool) throws {
        let cases = try XCTUnwrap(Vectors.load(Vectors.ethereum().appendingPathComponent("TrieTests/\(file)")) as? [String: [String: Any]])
        XCTAssertFalse(cases.isEmpty)
        for (name, c) in cases {
            let expected = try H256(hex: try XCTUnwrap(c["root"] as? String))
            let store = InMemoryNodeStore()
            var plain = MerklePatriciaTrie(store: store)
            var hashed = SecureMerklePatriciaTrie(store: store)
            let ops = try pairs(try XCTUnwrap(c["in"]))
            for (k, v) in ops {
                if secure { try hashed.put(k, v ?? []) } else { try plain.put(k, v ?? []) }
            }
            let root = secure ? hashed.rootHash : plain.rootHash
            XCTAssertEqual(root, expected, "\(file) \(name)")
            // The root computed from the entries at once, without a trie, agrees.
            let entries = ops.map { (key: secure ? Keccak256.hash($0.0) : $0.0, value: $0.1 ?? []) }
            XCTAssertEqual(MerklePatriciaTrie.root(of: entries), expected, "\(file) \(name) root(of:)")

            // The same root after a commit, and every surviving key reads back through the store.
            var reopened = MerklePatriciaTrie(root: secure ? try hashed.commit() : try plain.commit(), store: store)
            XCTAssertEqual(reopened.rootHash, expected)
            var final = [[UInt8]: [UInt8]]()
            for (k, v) in ops { final[secure ? Keccak256.hash(k) : k] = v ?? [] }
            for (k, v) in final {
                XCTAssertEqual(try reopened.get(k), v.isEmpty ? nil : v, "\(name) get")
                let proof = try reopened.proof(k)
                XCTAssertEqual(try MerklePatriciaTrie.verifyProof(root: expected, key: k, proof: proof), v.isEmpty ? nil : v)
            }
            // Deleting everything from the store-backed trie gives the empty root.
            for k in final.keys { try reopened.delete(k) }
            XCTAssertEqual(reopened.rootHash, MerklePatriciaTrie.emptyRoot, "\(name) delete all")
        }
    }

    func testTrieTest() throws { try run("trietest.json", secure: false) }
    func testTrieAnyOrder() throws { try run("trieanyorder.json", secure: false) }
    func testSecureTrieTest() throws { try run("trietest_secureTrie.json", secure: true) }
    func testSecureTrieAnyOrder() throws { try run("trieanyorder_secureTrie.json", secure: true) }
    func testHexEncodedSecureTrie() throws { try run("hex_encoded_securetrie_test.json", secure: true) }

    func testNextAndPreviousKeys() throws {
        let cases = try XCTUnwrap(Vectors.load(Vectors.ethereum().appendingPathComponent("TrieTests/trietestnextprev.json")) as? [String: [String: Any]])
        for (name, c) in cases {
            var trie = MerklePatriciaTrie()
            for k in try XCTUnwrap(c["in"] as? [String]) { try trie.put(Array(k.utf8), Array(k.utf8)) }
            for t in try XCTUnwrap(c["tests"] as? [[String]]) {
                let key = Array(t[0].utf8)
                XCTAssertEqual(try trie.previousKey(before: key).map { String(decoding: $0, as: UTF8.self) } ?? "", t[1], "\(name) prev \(t[0])")
                XCTAssertEqual(try trie.nextKey(after: key).map { String(decoding: $0, as: UTF8.self) } ?? "", t[2], "\(name) next \(t[0])")
            }
        }
    }
}
