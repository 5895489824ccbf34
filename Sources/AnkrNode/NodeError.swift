/// Why a node could not start or serve a request.
public enum NodeError: Error, Equatable, CustomStringConvertible {
    /// A request reached a node that has shut down.
    case stopped
    /// The development attestation root key at `path` is not one the chain's genesis trusts.
    case foreignAttestationRoot(path: String)
    /// An application chain's node was told to commit without the key of the operator its genesis names.
    case notTheOperator

    public var description: String {
        switch self {
        case .stopped: return "node stopped"
        case .foreignAttestationRoot(let path): return "the key in \(path) is not an attestation root of this chain's genesis"
        case .notTheOperator:
            return "--appchain.parent commits blocks, which needs a genesis with config.ankr.consensus \"operator\" and that operator's --operator.key"
        }
    }
}
