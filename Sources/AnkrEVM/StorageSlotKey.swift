import AnkrPrimitives

/// A storage slot in ``InMemoryEVMState``: the owning account's entry in its account table and the slot's key.
struct StorageSlotKey: StateTableKey {
    let owner: UInt32
    let key: UInt256

    @inline(__always)
    func hash(_ seed: StateTableSeed) -> UInt64 {
        // Two independent products over the four limbs, then one more to mix them with the owner.
        let low = StateTableSeed.fold(key.w0 ^ seed.k0, key.w1 ^ seed.k1)
        let high = StateTableSeed.fold(key.w2 ^ seed.k2, key.w3 ^ seed.k3)
        return StateTableSeed.fold(low ^ UInt64(owner), high ^ seed.k1)
    }
}
