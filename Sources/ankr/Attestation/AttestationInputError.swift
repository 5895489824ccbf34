/// Why `ankr attestation verify` could not read its inputs (before any verification).
enum AttestationInputError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read (absent, a directory, no permission).
    case unreadableFile(what: String, path: String)
    /// The file holds more than `limit` bytes.
    case fileTooLarge(what: String, path: String, limit: Int)
    /// `--root` named hex that is not a P-256 public key (65 bytes uncompressed or 33 compressed).
    case rootNotAP256Key(String)
    /// `--root` named a PEM file with neither a certificate nor a public key of P-256.
    case noP256KeyInPEM(path: String)

    var description: String {
        switch self {
        case .unreadableFile(let what, let path): return "cannot read the \(what) file \(path)"
        case .fileTooLarge(let what, let path, let limit): return "the \(what) file \(path) is larger than \(limit) bytes"
        case .rootNotAP256Key(let text): return "--root \(text) is not a P-256 public key (65 bytes uncompressed or 33 compressed, hex)"
        case .noP256KeyInPEM(let path): return "--root \(path) holds no PEM certificate or public key of P-256"
        }
    }
}
