import AnkrPrimitives
import Dispatch

/// Ethereum's Merkle Patricia Trie over byte keys, backed by a ``NodeStore``.
///
/// Changes stay in memory until ``commit()`` writes every hashed node to the store; a trie opened
/// with an existing root loads nodes from the store on demand.
public struct MerklePatriciaTrie: Sendable {
    /// keccak256(RLP("")): the root of a trie with no entries.
    public static let emptyRoot = Keccak256.h256([0x80])

    var root: TrieNode
    public let store: NodeStore
    /// Where nodes loaded from `store` are kept decoded (nil: decode on every load).
    let decoded: DecodedNodeCache?

    /// An empty trie.
    public init(store: NodeStore = InMemoryNodeStore()) {
        self.root = .empty
        self.store = store
        self.decoded = nil
    }

    /// A trie whose nodes are already in `store` under `root`; `cache` (shared with other tries
    /// over the same store) keeps the nodes it loads decoded.
    public init(root: H256, store: NodeStore, cache: DecodedNodeCache? = nil) {
        self.root = root == Self.emptyRoot ? .empty : .hashed(root)
        self.store = store
        self.decoded = cache
    }

    /// The root hash: keccak256 of the root node's RLP (always hashed, even when short).
    public var rootHash: H256 {
        if case .hashed(let h) = root { return h }
        return Keccak256.h256(root.encoded())
    }

    // MARK: Reading

    /// The value stored under `key`, or nil.
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        let path = Nibbles.from(key)
        var node = root
        var i = 0
        while true {
            switch node {
            case .empty:
                return nil
            case .hashed(let h):
                node = try load(h)
            case .leaf(let p, let v):
                return path[i...].elementsEqual(p) ? v : nil
            case .extension_(let p, let child):
                guard path.count - i >= p.count, path[i..<(i + p.count)].elementsEqual(p) else { return nil }
                i += p.count
                node = child
            case .branch(let children, let v):
                if i == path.count { return v }
                node = children[Int(path[i])]
                i += 1
            }
        }
    }

    func load(_ h: H256) throws -> TrieNode {
        if let node = decoded?.node(h) { return node }
        guard let enc = try store.node(h) else { throw TrieError.missingNode(h) }
        let node = try TrieNode.decode(enc, hash: h)
        decoded?.insert(node, for: h)
        return node
    }

    // MARK: Writing

    /// Sets `key` to `value`; an empty value deletes the key, as in Ethereum.
    public mutating func put(_ key: [UInt8], _ value: [UInt8]) throws {
        if value.isEmpty {
            try delete(key)
            return
        }
        let path = Nibbles.from(key)
        root = try insert(root, path[...], value)
    }

    /// Sets every key to its value (an empty value deletes; a later duplicate wins), as `put` one
    /// after the other would. When a root branch gets many puts, its sixteen subtrees take theirs
    /// on every core; deletes, which can collapse the branches above them, go one by one after.
    public mutating func update(_ entries: [(key: [UInt8], value: [UInt8])]) throws {
        var last = [[UInt8]: Int]()
        last.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() { last[e.key] = i }
        let final = entries.indices.filter { last[entries[$0].key] == $0 }.map { entries[$0] }
        let puts = final.filter { !$0.value.isEmpty }
        if puts.count >= Self.parallelUpdates, case .branch(let children, let value) = try resolved(root) {
            var groups = [[(path: [UInt8], value: [UInt8])]](repeating: [], count: 16)
            var atRoot: [UInt8]?
            for e in puts {
                let path = Nibbles.from(e.key)
                if let first = path.first { groups[Int(first)].append((path, e.value)) } else { atRoot = e.value }
            }
            let parts = ChunkResults<Result<TrieNode, any Error>>(count: 16)
            let trie = self, grouped = groups
            DispatchQueue.concurrentPerform(iterations: 16) { i in
                parts.set(i, Result {
                    var node = children[i]
                    for e in grouped[i] { node = try trie.insert(node, e.path[1...], e.value) }
                    return node
                })
            }
            root = .branch(children: try parts.all().map { try $0.get() }, value: atRoot ?? value)
        } else {
            for e in puts { try put(e.key, e.value) }
        }
        for e in final where e.value.isEmpty { try delete(e.key) }
    }

    /// At least this many puts under a root branch are spread over the cores (a block's accounts);
    /// fewer are not worth a thread hop.
    static let parallelUpdates = 256

    /// `node` itself, loaded from the store when it is only a hash.
    private func resolved(_ node: TrieNode) throws -> TrieNode {
        if case .hashed(let h) = node { return try load(h) }
        return node
    }

    /// Removes `key` if present.
    public mutating func delete(_ key: [UInt8]) throws {
        let path = Nibbles.from(key)
        root = try remove(root, path[...]) ?? .empty
    }

    private func insert(_ node: TrieNode, _ path: ArraySlice<UInt8>, _ value: [UInt8]) throws -> TrieNode {
        switch node {
        case .empty:
            return .leaf(path: Array(path), value: value)
        case .hashed(let h):
            return try insert(load(h), path, value)
        case .leaf(let p, let v):
            let common = Nibbles.commonPrefixLength(p[...], path)
            if common == p.count && common == path.count { return .leaf(path: p, value: value) }
            var children = TrieNode.emptyChildren
            var branchValue: [UInt8]?
            if common == p.count {
                branchValue = v
            } else {
                children[Int(p[common])] = .leaf(path: Array(p[(common + 1)...]), value: v)
            }
            let rest = path.dropFirst(common)
            if rest.isEmpty {
                branchValue = value
            } else {
                children[Int(rest.first!)] = .leaf(path: Array(rest.dropFirst()), value: value)
            }
            let branch = TrieNode.branch(children: children, value: branchValue)
            return common == 0 ? branch : .extension_(path: Array(p[0..<common]), child: branch)
        case .extension_(let p, let child):
            let common = Nibbles.commonPrefixLength(p[...], path)
            if common == p.count {
                return .extension_(path: p, child: try insert(child, path.dropFirst(common), value))
            }
            var children = TrieNode.emptyChildren
            let extRest = Array(p[(common + 1)...])
            children[Int(p[common])] = extRest.isEmpty ? child : .extension_(path: extRest, child: child)
            var branchValue: [UInt8]?
            let rest = path.dropFirst(common)
            if rest.isEmpty {
                branchValue = value
            } else {
                children[Int(rest.first!)] = .leaf(path: Array(rest.dropFirst()), value: value)
            }
            let branch = TrieNode.branch(children: children, value: branchValue)
            return common == 0 ? branch : .extension_(path: Array(p[0..<common]), child: branch)
        case .branch(var children, let v):
            guard let first = path.first else { return .branch(children: children, value: value) }
            let idx = Int(first)
            children[idx] = try insert(children[idx], path.dropFirst(), value)
            return .branch(children: children, value: v)
        }
    }

    /// Returns the replacement node, or nil when the subtree became empty.
    private func remove(_ node: TrieNode, _ path: ArraySlice<UInt8>) throws -> TrieNode? {
        switch node {
        case .empty:
            return nil
        case .hashed(let h):
            let loaded = try load(h)
            let result = try remove(loaded, path)
            // Unchanged subtrees keep their hash reference so nothing is re-read needlessly.
            if let r = result, case .hashed = node, Self.same(r, loaded) { return node }
            return result
        case .leaf(let p, _):
            return path.elementsEqual(p) ? nil : node
        case .extension_(let p, let child):
            guard path.count >= p.count, path.prefix(p.count).elementsEqual(p) else { return node }
            guard let newChild = try remove(child, path.dropFirst(p.count)) else { return nil }
            return try joinExtension(p, newChild)
        case .branch(var children, var v):
            if let first = path.first {
                let idx = Int(first)
                children[idx] = try remove(children[idx], path.dropFirst()) ?? .empty
            } else {
                v = nil
            }
            return try normalizeBranch(children, v)
        }
    }

    private static func same(_ a: TrieNode, _ b: TrieNode) -> Bool { a.encoded() == b.encoded() }

    /// An extension whose child shrank must merge with a child leaf or extension.
    private func joinExtension(_ p: [UInt8], _ child: TrieNode) throws -> TrieNode {
        var c = child
        if case .hashed(let h) = c { c = try load(h) }
        switch c {
        case .leaf(let cp, let v): return .leaf(path: p + cp, value: v)
        case .extension_(let cp, let cc): return .extension_(path: p + cp, child: cc)
        default: return .extension_(path: p, child: child)
        }
    }

    /// A branch left with one child and no value, or only a value, collapses.
    private func normalizeBranch(_ children: [TrieNode], _ value: [UInt8]?) throws -> TrieNode? {
        var used = [Int]()
        for i in 0..<16 {
            if case .empty = children[i] { continue }
            used.append(i)
            if used.count > 1 { return .branch(children: children, value: value) }
        }
        if used.isEmpty {
            guard let v = value else { return nil }
            return .leaf(path: [], value: v)
        }
        if value != nil { return .branch(children: children, value: value) }
        let idx = used[0]
        return try joinExtension([UInt8(idx)], children[idx])
    }

    // MARK: Persistence

    /// Writes every node that is referenced by hash (and the root) to the store, then keeps only
    /// the root reference in memory.
    @discardableResult
    public mutating func commit() throws -> H256 {
        if case .hashed(let h) = root { return h }
        if case .empty = root { return Self.emptyRoot }
        var writes = [(H256, [UInt8])]()
        let enc = Self.persistRoot(root, into: &writes)
        let h = Keccak256.h256(enc)
        writes.append((h, enc))
        for (hash, node) in writes { try store.put(hash, node) }
        let old = root
        root = .hashed(h)
        if writes.count >= Self.parallelNodes {
            // Freeing thousands of nodes is serial work that nothing waits for: another core does it.
            DispatchQueue.global(qos: .utility).async { withExtendedLifetime(old) {} }
        }
        return h
    }

    /// A root branch with at least this many changed nodes below it has its sixteen subtrees
    /// encoded and hashed on every core (a block's account trie: thousands); below, a thread hop
    /// costs more than it saves (most storage tries).
    static let parallelNodes = 512

    /// The root's encoding; every hashed node below it is added to `writes`, children first.
    private static func persistRoot(_ node: TrieNode, into writes: inout [(H256, [UInt8])]) -> [UInt8] {
        guard case .branch(let children, let value) = node, changedNodes(node, limit: parallelNodes) >= parallelNodes else {
            return persist(node, into: &writes)
        }
        let parts = ChunkResults<(reference: [UInt8], writes: [(H256, [UInt8])])>(count: children.count)
        DispatchQueue.concurrentPerform(iterations: children.count) { i in
            var local = [(H256, [UInt8])]()
            let reference = persistedReference(children[i], into: &local)
            parts.set(i, (reference, local))
        }
        let results = parts.all()
        for r in results { writes.append(contentsOf: r.writes) }
        return TrieNode.encodeBranch(childReferences: results.map(\.reference), value: value)
    }

    /// Nodes of `node` not yet hashed into the store, counted up to `limit`.
    private static func changedNodes(_ node: TrieNode, limit: Int) -> Int {
        var count = 0
        var stack = [node]
        while let n = stack.popLast(), count < limit {
            switch n {
            case .empty, .hashed: continue
            case .leaf: count += 1
            case .extension_(_, let child): count += 1; stack.append(child)
            case .branch(let children, _): count += 1; stack.append(contentsOf: children)
            }
        }
        return count
    }

    /// Persists children first and returns this node's encoding; each node is encoded once.
    private static func persist(_ node: TrieNode, into writes: inout [(H256, [UInt8])]) -> [UInt8] {
        switch node {
        case .extension_(let path, let child):
            return TrieNode.encodeExtension(path: path, childReference: persistedReference(child, into: &writes))
        case .branch(let children, let value):
            return TrieNode.encodeBranch(childReferences: children.map { persistedReference($0, into: &writes) }, value: value)
        default:
            return node.encoded()
        }
    }

    /// Adds a child to `writes` (when it is big enough to be referenced by hash) and returns its reference.
    private static func persistedReference(_ node: TrieNode, into writes: inout [(H256, [UInt8])]) -> [UInt8] {
        switch node {
        case .empty, .hashed: return node.reference()
        default:
            let enc = persist(node, into: &writes)
            guard enc.count >= 32 else { return enc }
            let h = Keccak256.h256(enc)
            writes.append((h, enc))
            return RLP.encode(.bytes(h.bytes))
        }
    }

    // MARK: Proofs

    /// The RLP nodes from the root towards `key`, as `eth_getProof` returns them. It proves the
    /// value when the key is present and its absence otherwise.
    public func proof(_ key: [UInt8]) throws -> [[UInt8]] {
        let path = Nibbles.from(key)
        var out = [[UInt8]]()
        var node = root
        var i = 0
        var isRoot = true
        while true {
            if case .hashed(let h) = node { node = try load(h) }
            let enc = node.encoded()
            // Embedded nodes are already inside their parent's encoding.
            if isRoot || enc.count >= 32 { out.append(enc) }
            isRoot = false
            switch node {
            case .empty, .leaf, .hashed:
                return out
            case .extension_(let p, let child):
                guard path.count - i >= p.count, path[i..<(i + p.count)].elementsEqual(p) else { return out }
                i += p.count
                node = child
            case .branch(let children, _):
                if i == path.count { return out }
                node = children[Int(path[i])]
                i += 1
            }
        }
    }

    /// Checks a proof against a root. Returns the value (nil when the proof shows the key is absent);
    /// throws when the proof is incomplete or does not hash up to `root`.
    public static func verifyProof(root: H256, key: [UInt8], proof: [[UInt8]]) throws -> [UInt8]? {
        var byHash = [H256: [UInt8]]()
        for enc in proof { byHash[Keccak256.h256(enc)] = enc }
        if root == emptyRoot && proof.isEmpty { return nil }
        let path = Nibbles.from(key)
        var i = 0
        guard let rootEnc = byHash[root] else { throw TrieError.proofMissingNode(root) }
        var node = try TrieNode.decode(rootEnc, hash: root)
        while true {
            switch node {
            case .empty:
                return nil
            case .hashed(let h):
                guard let enc = byHash[h] else { throw TrieError.proofMissingNode(h) }
                node = try TrieNode.decode(enc, hash: h)
            case .leaf(let p, let v):
                return path[i...].elementsEqual(p) ? v : nil
            case .extension_(let p, let child):
                guard path.count - i >= p.count, path[i..<(i + p.count)].elementsEqual(p) else { return nil }
                i += p.count
                node = child
            case .branch(let children, let v):
                if i == path.count { return v }
                node = children[Int(path[i])]
                i += 1
            }
        }
    }

    // MARK: Iteration

    /// Every (key, value) pair in key order.
    public func entries() throws -> [(key: [UInt8], value: [UInt8])] {
        var out = [(key: [UInt8], value: [UInt8])]()
        try walk(root, prefix: [], into: &out)
        return out
    }

    private func walk(_ node: TrieNode, prefix: [UInt8], into out: inout [(key: [UInt8], value: [UInt8])]) throws {
        switch node {
        case .empty: return
        case .hashed(let h): try walk(load(h), prefix: prefix, into: &out)
        case .leaf(let p, let v): out.append((Nibbles.toBytes(prefix + p), v))
        case .extension_(let p, let child): try walk(child, prefix: prefix + p, into: &out)
        case .branch(let children, let v):
            if let v { out.append((Nibbles.toBytes(prefix), v)) }
            for (i, c) in children.enumerated() { try walk(c, prefix: prefix + [UInt8(i)], into: &out) }
        }
    }

    /// The smallest key strictly greater than `key`.
    public func nextKey(after key: [UInt8]) throws -> [UInt8]? {
        try entries().first { $0.key.lexicographicallyPrecedes(key) == false && $0.key != key }?.key
    }

    /// The largest key strictly less than `key`.
    public func previousKey(before key: [UInt8]) throws -> [UInt8]? {
        try entries().last { $0.key.lexicographicallyPrecedes(key) }?.key
    }
}
