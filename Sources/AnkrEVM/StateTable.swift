/// An insertion-ordered hash table for the EVM's state: entries live in dense arrays and keep their index for
/// the table's lifetime (journals refer to entries by it), and an open-addressing index with linear probing
/// finds them by a cheap seeded hash instead of SipHash. Entries are never removed; a state that deletes
/// stores an empty value instead (a zero word, no account), which is also what a journal needs to undo.
struct StateTable<Key: StateTableKey, Value> {
    /// Keys and values by entry index, in insertion order.
    private(set) var keys: [Key] = []
    var values: [Value] = []
    /// A power of two long, at most half full. Each bucket is 0 when empty, otherwise the entry's index + 1 in the
    /// low 32 bits and the top 32 bits of its hash, so most probes that miss never compare keys.
    private var buckets: [UInt64]
    private let seed: StateTableSeed

    init(seed: StateTableSeed = StateTableSeed()) {
        self.seed = seed
        buckets = [UInt64](repeating: 0, count: 16)
    }

    var count: Int { keys.count }

    /// The entry holding `key`, if any.
    @inline(__always)
    func find(_ key: Key) -> Int? {
        let h = key.hash(seed)
        let tag = h >> 32, mask = buckets.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let b = buckets[i]
            if b == 0 { return nil }
            if b >> 32 == tag {
                let e = Int(truncatingIfNeeded: b & 0xffff_ffff) - 1
                if keys[e] == key { return e }
            }
            i = (i + 1) & mask
        }
    }

    /// The entry holding `key`, added with `make()` when there is none.
    @inline(__always)
    mutating func findOrInsert(_ key: Key, _ make: () -> Value) -> Int {
        let h = key.hash(seed)
        let tag = h >> 32, mask = buckets.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let b = buckets[i]
            if b == 0 { break }
            if b >> 32 == tag {
                let e = Int(truncatingIfNeeded: b & 0xffff_ffff) - 1
                if keys[e] == key { return e }
            }
            i = (i + 1) & mask
        }
        let e = keys.count
        // Indices are stored in 32 bits; four billion entries would exhaust memory long before.
        precondition(e < Int(UInt32.max), "StateTable is full")
        keys.append(key)
        values.append(make())
        if (e + 1) * 2 > buckets.count {
            grow()
        } else {
            buckets[i] = tag << 32 | UInt64(e + 1)
        }
        return e
    }

    /// Doubles the index and re-places every entry (the dense arrays do not move).
    private mutating func grow() {
        var fresh = [UInt64](repeating: 0, count: buckets.count * 2)
        let mask = fresh.count - 1
        for (e, key) in keys.enumerated() {
            let h = key.hash(seed)
            var i = Int(truncatingIfNeeded: h) & mask
            while fresh[i] != 0 { i = (i + 1) & mask }
            fresh[i] = (h >> 32) << 32 | UInt64(e + 1)
        }
        buckets = fresh
    }
}
