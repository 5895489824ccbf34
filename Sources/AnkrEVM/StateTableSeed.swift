/// The random keys a ``StateTable`` mixes into every hash, drawn once per table.
///
/// Storage keys and addresses come from programs, so a fixed hash would let a contract choose slots that all
/// land in one bucket. With secret per-table keys the folded multiplications below give no such handle.
struct StateTableSeed {
    let k0: UInt64, k1: UInt64, k2: UInt64, k3: UInt64

    init() {
        var g = SystemRandomNumberGenerator()
        k0 = g.next(); k1 = g.next(); k2 = g.next(); k3 = g.next()
    }

    init(k0: UInt64, k1: UInt64, k2: UInt64, k3: UInt64) { self.k0 = k0; self.k1 = k1; self.k2 = k2; self.k3 = k3 }

    /// The 128-bit product's halves xored: every input bit moves many output bits, and it is one multiply.
    @inline(__always)
    static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let p = a.multipliedFullWidth(by: b)
        return p.high ^ p.low
    }
}
