import AnkrPrimitives

/// The "secure" trie Ethereum uses for accounts and storage: every key is replaced by its
/// Keccak-256 before it enters the trie, which keeps paths short and balanced.
public struct SecureMerklePatriciaTrie: Sendable {
    public private(set) var trie: MerklePatriciaTrie

    public init(store: NodeStore = InMemoryNodeStore()) { trie = MerklePatriciaTrie(store: store) }
    public init(root: H256, store: NodeStore, cache: DecodedNodeCache? = nil) { trie = MerklePatriciaTrie(root: root, store: store, cache: cache) }

    public var rootHash: H256 { trie.rootHash }

    public func get(_ key: [UInt8]) throws -> [UInt8]? { try trie.get(Keccak256.hash(key)) }
    public mutating func put(_ key: [UInt8], _ value: [UInt8]) throws { try trie.put(Keccak256.hash(key), value) }
    public mutating func delete(_ key: [UInt8]) throws { try trie.delete(Keccak256.hash(key)) }
    /// Sets every key to its value (empty deletes), as ``MerklePatriciaTrie/update(_:)`` does.
    public mutating func update(_ entries: [(key: [UInt8], value: [UInt8])]) throws {
        try trie.update(entries.map { (Keccak256.hash($0.key), $0.value) })
    }
    @discardableResult public mutating func commit() throws -> H256 { try trie.commit() }

    /// Proof for the hashed key, as `eth_getProof` returns for accounts and storage slots.
    public func proof(_ key: [UInt8]) throws -> [[UInt8]] { try trie.proof(Keccak256.hash(key)) }

    public static func verifyProof(root: H256, key: [UInt8], proof: [[UInt8]]) throws -> [UInt8]? {
        try MerklePatriciaTrie.verifyProof(root: root, key: Keccak256.hash(key), proof: proof)
    }
}
