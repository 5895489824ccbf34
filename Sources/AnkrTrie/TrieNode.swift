import AnkrPrimitives

/// A node of the hexary trie. `.hashed` stands for a subtree that is still only in the store.
indirect enum TrieNode: Sendable {
    case empty
    case leaf(path: [UInt8], value: [UInt8])
    case extension_(path: [UInt8], child: TrieNode)
    case branch(children: [TrieNode], value: [UInt8]?)
    case hashed(H256)

    static let emptyChildren = [TrieNode](repeating: .empty, count: 16)

    /// The node's RLP encoding.
    func encoded() -> [UInt8] {
        switch self {
        case .empty:
            return [0x80]
        case .leaf(let path, let value):
            return RLP.encodeList(encodedItems: [
                RLP.encode(.bytes(Nibbles.encodeCompact(path, leaf: true))), RLP.encode(.bytes(value)),
            ])
        case .extension_(let path, let child):
            return Self.encodeExtension(path: path, childReference: child.reference())
        case .branch(let children, let value):
            return Self.encodeBranch(childReferences: children.map { $0.reference() }, value: value)
        case .hashed(let h):
            return RLP.encode(.bytes(h.bytes))
        }
    }

    static func encodeExtension(path: [UInt8], childReference: [UInt8]) -> [UInt8] {
        RLP.encodeList(encodedItems: [RLP.encode(.bytes(Nibbles.encodeCompact(path, leaf: false))), childReference])
    }

    static func encodeBranch(childReferences: [[UInt8]], value: [UInt8]?) -> [UInt8] {
        RLP.encodeList(encodedItems: childReferences + [RLP.encode(.bytes(value ?? []))])
    }

    /// How a parent refers to this node: inline when its encoding is under 32 bytes, else by hash.
    func reference() -> [UInt8] {
        switch self {
        case .empty: return [0x80]
        case .hashed(let h): return RLP.encode(.bytes(h.bytes))
        default:
            let enc = encoded()
            return enc.count < 32 ? enc : RLP.encode(.bytes(Keccak256.hash(enc)))
        }
    }

    /// Parses a node's RLP; `hash` is only for error messages.
    static func decode(_ bytes: [UInt8], hash: H256?) throws -> TrieNode {
        let item: RLPItem
        do { item = try RLP.decode(bytes) } catch { throw TrieError.malformedNode(hash, "\(error)") }
        return try decode(item, hash: hash)
    }

    static func decode(_ item: RLPItem, hash: H256?) throws -> TrieNode {
        guard case .list(let items) = item else {
            if case .bytes(let b) = item, b.isEmpty { return .empty }
            throw TrieError.malformedNode(hash, "node is not a list")
        }
        switch items.count {
        case 2:
            guard case .bytes(let compact) = items[0], let (path, isLeaf) = Nibbles.decodeCompact(compact) else {
                throw TrieError.malformedNode(hash, "bad hex-prefix path")
            }
            if isLeaf {
                guard case .bytes(let value) = items[1] else { throw TrieError.malformedNode(hash, "leaf value is a list") }
                return .leaf(path: path, value: value)
            }
            guard !path.isEmpty else { throw TrieError.malformedNode(hash, "extension with an empty path") }
            return .extension_(path: path, child: try child(items[1], hash: hash))
        case 17:
            var children = [TrieNode]()
            children.reserveCapacity(16)
            for i in 0..<16 { children.append(try child(items[i], hash: hash)) }
            guard case .bytes(let v) = items[16] else { throw TrieError.malformedNode(hash, "branch value is a list") }
            return .branch(children: children, value: v.isEmpty ? nil : v)
        default:
            throw TrieError.malformedNode(hash, "list of \(items.count) items")
        }
    }

    static func child(_ item: RLPItem, hash: H256?) throws -> TrieNode {
        switch item {
        case .bytes(let b) where b.isEmpty: return .empty
        case .bytes(let b) where b.count == 32: return .hashed(try H256(b))
        case .bytes: throw TrieError.malformedNode(hash, "child reference is neither empty nor 32 bytes")
        case .list: return try decode(item, hash: hash)
        }
    }
}
