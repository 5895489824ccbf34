import AnkrPrimitives

extension BLS12381 {
    /// Multiples of one fixed point B for fast k·B: d·16ʲ·B for every 4-bit window j of a 256-bit
    /// scalar and digit d in 1…15, so k·B is at most 64 additions and no doublings. The KZG check
    /// multiplies the setup's generators by z and y on every call. The multiples are stored affine, so each
    /// addition is the cheaper mixed one.
    struct FixedBaseTable<F: CurveField>: Sendable {
        static var windows: Int { 64 }
        static var digits: Int { 15 }

        /// d·16ʲ·B at index j·15 + d − 1 (nil for the point at infinity, which only a base outside the order-r
        /// group can give).
        let multiples: [Point<F>.Affine?]

        init(_ base: Point<F>) {
            var multiples: [Point<F>] = []
            multiples.reserveCapacity(Self.windows * Self.digits)
            var windowBase = base
            for _ in 0..<Self.windows {
                var multiple = windowBase
                multiples.append(multiple)
                for _ in 1..<Self.digits {
                    multiple = multiple + windowBase
                    multiples.append(multiple)
                }
                windowBase = multiple + windowBase
            }
            self.multiples = Point<F>.affine(multiples)
        }

        /// k·B.
        func multiplied(by k: UInt256) -> Point<F> {
            var result = Point<F>.infinity
            for (j, limb) in [k.w0, k.w1, k.w2, k.w3].enumerated() {
                for nibble in 0..<16 {
                    let digit = Int((limb >> UInt64(4 * nibble)) & 0xF)
                    if digit != 0, let q = multiples[(16 * j + nibble) * Self.digits + digit - 1] { result = result + q }
                }
            }
            return result
        }
    }
}
