import AnkrPrimitives

extension EVM {
    /// A storage slot of an account, as the warm set and transient storage key it: the address packed into three
    /// words, so hashing feeds seven words instead of an array of 20 bytes and the slot's four limbs.
    struct SlotKey: Hashable {
        let a0: UInt64, a1: UInt64, a2: UInt64
        let key: UInt256

        init(_ address: Address, _ key: UInt256) {
            (a0, a1, a2) = address.bytes.withUnsafeBytes { b in
                // An Address always holds 20 bytes: 8 + 8 + 4.
                (b.loadUnaligned(fromByteOffset: 0, as: UInt64.self), b.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                 UInt64(b.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))
            }
            self.key = key
        }

        /// All seven words, behind the per-process seed. (Folding the address into the slot, key ^ address, let one
        /// chosen slot per address hash alike for every address, so cheap access-list entries piled into one probe run.)
        func hash(into hasher: inout Hasher) {
            hasher.combine(a0)
            hasher.combine(a1)
            hasher.combine(a2)
            hasher.combine(key.w0)
            hasher.combine(key.w1)
            hasher.combine(key.w2)
            hasher.combine(key.w3)
        }

        static func == (l: SlotKey, r: SlotKey) -> Bool { l.key == r.key && l.a0 == r.a0 && l.a1 == r.a1 && l.a2 == r.a2 }
    }
}
