import AnkrPrimitives

extension MerklePatriciaTrie {
    /// The root hash of the trie holding `entries`, computed without building it: the entries are
    /// sorted by key and each node is encoded straight from its range of keys, bottom-up, once.
    /// It equals `put`ting every entry into an empty trie in order (a later duplicate key wins,
    /// an empty value is no entry) and reading ``rootHash``. Blocks use it for their transactions
    /// and receipts roots, where building the trie node by node cost more than hashing it.
    public static func root(of entries: [(key: [UInt8], value: [UInt8])]) -> H256 {
        // Stable sort by nibble path; the last of equal keys wins, as with `put`.
        let paths = entries.map { Nibbles.from($0.key) }
        let order = entries.indices.sorted { paths[$0].lexicographicallyPrecedes(paths[$1]) || (paths[$0] == paths[$1] && $0 < $1) }
        var sorted = [(path: [UInt8], value: [UInt8])]()
        sorted.reserveCapacity(entries.count)
        for i in order {
            if let last = sorted.last, last.path == paths[i] { sorted.removeLast() }
            sorted.append((paths[i], entries[i].value))
        }
        sorted.removeAll { $0.value.isEmpty }
        guard !sorted.isEmpty else { return emptyRoot }
        return Keccak256.h256(RangeEncoder(entries: sorted).node(0..<sorted.count, depth: 0))
    }
}

/// Encodes the trie nodes over ranges of sorted, distinct, non-empty entries.
private struct RangeEncoder {
    let entries: [(path: [UInt8], value: [UInt8])]

    /// The node holding `range` (non-empty), whose keys agree on their first `depth` nibbles.
    func node(_ range: Range<Int>, depth: Int) -> [UInt8] {
        let first = entries[range.lowerBound].path
        if range.count == 1 {
            return leaf(path: first[depth...], value: entries[range.lowerBound].value)
        }
        // Sorted keys: the prefix the first and last share is shared by all.
        let last = entries[range.upperBound - 1].path
        let common = Nibbles.commonPrefixLength(first[depth...], last[depth...])
        guard common == 0 else {
            let branch = self.branch(range, depth: depth + common)
            return TrieNode.encodeExtension(path: Array(first[depth..<(depth + common)]), childReference: Self.reference(branch))
        }
        return branch(range, depth: depth)
    }

    /// The branch at `depth`: a key that ends here (it sorts first) is its value, the rest split by their next nibble.
    private func branch(_ range: Range<Int>, depth: Int) -> [UInt8] {
        var i = range.lowerBound
        var value: [UInt8]?
        if entries[i].path.count == depth {
            value = entries[i].value
            i += 1
        }
        var children = [[UInt8]](repeating: [0x80], count: 16)
        while i < range.upperBound {
            let nibble = entries[i].path[depth]
            var end = i + 1
            while end < range.upperBound, entries[end].path[depth] == nibble { end += 1 }
            children[Int(nibble)] = Self.reference(node(i..<end, depth: depth + 1))
            i = end
        }
        return TrieNode.encodeBranch(childReferences: children, value: value)
    }

    private func leaf(path: ArraySlice<UInt8>, value: [UInt8]) -> [UInt8] {
        RLP.encodeList(encodedItems: [RLP.encode(.bytes(Nibbles.encodeCompact(path, leaf: true))), RLP.encode(.bytes(value))])
    }

    /// How a parent refers to a node: inline under 32 bytes, else by hash.
    private static func reference(_ encoded: [UInt8]) -> [UInt8] {
        encoded.count < 32 ? encoded : RLP.encode(.bytes(Keccak256.hash(encoded)))
    }
}
