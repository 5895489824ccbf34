/// Why bytes are not a BLS12-381 point in ZCash's compressed encoding, or not one of G1/G2.
enum BLS12381PointError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongLength(expected: Int, actual: Int)
    /// The top bit (the compressed flag) is clear; only compressed points are accepted.
    case notCompressed
    /// The infinity flag is set but the sign flag or some coordinate bit is not zero.
    case infinityWithNonZeroBits
    /// The x coordinate (or one of its Fp2 halves) is not below the field modulus p.
    case coordinateNotBelowModulus
    /// No y satisfies the curve equation for this x.
    case notOnCurve
    /// The point is on the curve but not in the order-r subgroup.
    case notInSubgroup

    var description: String {
        switch self {
        case .wrongLength(let expected, let actual): "a compressed point is \(expected) bytes; got \(actual)"
        case .notCompressed: "the point's compressed flag (top bit) is not set"
        case .infinityWithNonZeroBits: "the point at infinity must have every other bit zero"
        case .coordinateNotBelowModulus: "the x coordinate is not below the field modulus"
        case .notOnCurve: "the point is not on the curve"
        case .notInSubgroup: "the point is not in the order-r subgroup"
        }
    }
}
