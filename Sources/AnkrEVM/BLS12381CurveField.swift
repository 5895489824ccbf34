extension BLS12381 {
    /// What point arithmetic needs of a coordinate field: Fp for G1, Fp2 for G2 (on the twist).
    protocol CurveField: Equatable, Sendable {
        static var zero: Self { get }
        static var one: Self { get }
        /// b in y² = x³ + b.
        static var curveB: Self { get }
        var isZero: Bool { get }
        var squared: Self { get }
        var inverse: Self { get }
        var squareRoot: Self? { get }
        var isLexicographicallyLargest: Bool { get }
        static func + (x: Self, y: Self) -> Self
        static func - (x: Self, y: Self) -> Self
        static func * (x: Self, y: Self) -> Self
        static prefix func - (x: Self) -> Self
    }
}

extension BLS12381.Fp: BLS12381.CurveField {
    static let curveB = BLS12381.Fp(4)
}

extension BLS12381.Fp2: BLS12381.CurveField {
    /// 4ξ = 4 + 4i: G2 lives on this twist.
    static let curveB = BLS12381.Fp2(c0: BLS12381.Fp(4), c1: BLS12381.Fp(4))
}
