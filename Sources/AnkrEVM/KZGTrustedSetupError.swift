/// Why the embedded trusted-setup text could not be read (a corrupted build, never user input).
enum KZGTrustedSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A line that is neither a comment nor `label hex`.
    case malformedLine(String)
    case missingPoint(String)
    /// The point's hex is not hex of the point's length.
    case notHex(String)
    case badPoint(String, BLS12381PointError)

    var description: String {
        switch self {
        case .malformedLine(let line): "the KZG trusted setup has a malformed line: \(line)"
        case .missingPoint(let label): "the KZG trusted setup has no \(label) point"
        case .notHex(let label): "the KZG trusted setup's \(label) point is not hex of a compressed point"
        case .badPoint(let label, let error): "the KZG trusted setup's \(label) point is unusable: \(error)"
        }
    }
}
