import AnkrPrimitives
import AnkrSandbox

/// Why the enclave process refused or failed a request, as it reports it in a reply.
/// ``RemoteEnclave`` rethrows ``work(_:)`` as the `WorkError` itself (so callers handle a remote
/// sandbox exactly like a local one) and the other cases as this type.
public enum EnclaveFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// A mine request named a module the enclave has not cached; the node resends it with the bytes.
    case unknownModule(H256)
    /// The module bytes sent do not hash to the module hash named with them.
    case moduleHashMismatch(H256)
    /// The sandbox refused the module or the subtask failed.
    case work(WorkError)
    /// The request could not be decoded (the enclave's reading of what was wrong).
    case badRequest(String)
    case attestationFailed(String)
    case signingFailed(String)
    case decryptionFailed(String)
    case randomnessFailed(String)
    /// The subtask failed outside the sandbox's own errors.
    case miningFailed(String)

    public var description: String {
        switch self {
        case .unknownModule(let h): return "the enclave has no module \(h) cached"
        case .moduleHashMismatch(let h): return "module bytes do not hash to \(h)"
        case .work(let e): return "\(e)"
        case .badRequest(let why): return "the enclave refused the request: \(why)"
        case .attestationFailed(let why): return "the enclave could not attest: \(why)"
        case .signingFailed(let why): return "the enclave could not sign: \(why)"
        case .decryptionFailed(let why): return "the enclave could not decrypt: \(why)"
        case .randomnessFailed(let why): return "the enclave could not draw randomness: \(why)"
        case .miningFailed(let why): return "the enclave could not run the subtask: \(why)"
        }
    }

    var wire: RLPItem {
        switch self {
        case .unknownModule(let h): return .list([.uint(UInt64(1)), .bytes(h.bytes)])
        case .moduleHashMismatch(let h): return .list([.uint(UInt64(2)), .bytes(h.bytes)])
        case .work(let e): return .list([.uint(UInt64(3)), e.wire])
        case .badRequest(let why): return .list([.uint(UInt64(4)), .bytes(Array(why.utf8))])
        case .attestationFailed(let why): return .list([.uint(UInt64(5)), .bytes(Array(why.utf8))])
        case .signingFailed(let why): return .list([.uint(UInt64(6)), .bytes(Array(why.utf8))])
        case .decryptionFailed(let why): return .list([.uint(UInt64(7)), .bytes(Array(why.utf8))])
        case .randomnessFailed(let why): return .list([.uint(UInt64(8)), .bytes(Array(why.utf8))])
        case .miningFailed(let why): return .list([.uint(UInt64(9)), .bytes(Array(why.utf8))])
        }
    }

    init(wire f: inout WireFields) throws(EnclaveWireError) {
        let kind = try f.uint64("kind")
        switch kind {
        case 1: self = .unknownModule(try f.h256("module hash"))
        case 2: self = .moduleHashMismatch(try f.h256("module hash"))
        case 3:
            var inner = try f.list("work error")
            self = .work(try WorkError(wire: &inner))
            try inner.finish()
        case 4: self = .badRequest(try f.text("reason"))
        case 5: self = .attestationFailed(try f.text("reason"))
        case 6: self = .signingFailed(try f.text("reason"))
        case 7: self = .decryptionFailed(try f.text("reason"))
        case 8: self = .randomnessFailed(try f.text("reason"))
        case 9: self = .miningFailed(try f.text("reason"))
        default: throw .unknownKind(message: "failure", kind: kind)
        }
    }
}
