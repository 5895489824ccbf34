/// Why a node could not start or serve a request.
public enum NodeError: Error, Equatable, CustomStringConvertible {
    /// A request reached a node that has shut down.
    case stopped
    /// The development attestation root key at `path` is not one the chain's genesis trusts.
    case foreignAttestationRoot(path: String)

    public var description: String {
        switch self {
        case .stopped: return "node stopped"
        case .foreignAttestationRoot(let path): return "the key in \(path) is not an attestation root of this chain's genesis"
        }
    }
}
