/// Why a call to the point evaluation precompile (0x0a) fails.
enum KZGPointEvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input is not exactly 192 bytes.
    case wrongInputLength(Int)
    /// The versioned hash is not 0x01 ‖ sha256(commitment)[1...].
    case versionedHashMismatch
    case zNotBelowModulus
    case yNotBelowModulus
    case commitment(BLS12381PointError)
    case proof(BLS12381PointError)
    case trustedSetup(KZGTrustedSetupError)
    /// Well-formed input whose proof does not show p(z) = y.
    case pairingCheckFailed

    var description: String {
        switch self {
        case .wrongInputLength(let n): "the input is 192 bytes; got \(n)"
        case .versionedHashMismatch: "the versioned hash is not 0x01 followed by sha256(commitment)[1:]"
        case .zNotBelowModulus: "z is not below the BLS12-381 scalar modulus"
        case .yNotBelowModulus: "y is not below the BLS12-381 scalar modulus"
        case .commitment(let e): "the commitment: \(e)"
        case .proof(let e): "the proof: \(e)"
        case .trustedSetup(let e): "\(e)"
        case .pairingCheckFailed: "the proof does not show p(z) = y"
        }
    }
}
