/// Why a data directory or a key file could not be used.
public enum DataDirectoryError: Error, Equatable, CustomStringConvertible {
    /// No genesis has been stored in the datadir at `path`.
    case notInitialized(path: String)
    /// `ankr init` was given a genesis of another chain than the one the datadir holds.
    case holdsAnotherChain(path: String)
    /// The key file at `path` is missing or cannot be read.
    case unreadableKeyFile(path: String)
    /// The file at `path` does not hold a hex secp256k1 private key.
    case malformedKeyFile(path: String)
    /// Mining with a simulated enclave needs the development attestation root key at `path`.
    case missingAttestationRootKey(path: String)

    public var description: String {
        switch self {
        case .notInitialized(let path):
            return "\(path) is not initialized: run `ankr init --genesis <file> --datadir \(path)` or use --dev"
        case .holdsAnotherChain(let path): return "\(path) already holds another chain; use an empty --datadir"
        case .unreadableKeyFile(let path): return "cannot read the key file \(path)"
        case .malformedKeyFile(let path): return "\(path) does not hold a hex secp256k1 private key"
        case .missingAttestationRootKey(let path):
            return "mining in simulated mode needs the development attestation root key in \(path)"
        }
    }
}
