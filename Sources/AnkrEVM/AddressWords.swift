import AnkrPrimitives

/// An address as three machine words, so the state tables hash and compare it without its byte array.
struct AddressWords: StateTableKey {
    let a0: UInt64, a1: UInt64
    let a2: UInt32

    init(_ address: Address) {
        (a0, a1, a2) = address.bytes.withUnsafeBytes { b in
            // An Address always holds exactly 20 bytes (its initializers check): the loads cover 0..<8, 8..<16, 16..<20.
            (b.loadUnaligned(fromByteOffset: 0, as: UInt64.self), b.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
             b.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        }
    }

    @inline(__always)
    func hash(_ seed: StateTableSeed) -> UInt64 {
        StateTableSeed.fold(StateTableSeed.fold(a0 ^ seed.k0, a1 ^ seed.k1), UInt64(a2) ^ seed.k2)
    }
}
