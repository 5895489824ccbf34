import AnkrPrimitives

/// What the node asks the enclave process, one per frame: the ``Enclave`` API over the socket.
public enum EnclaveRequest: Equatable, Sendable {
    /// The enclave's measurement and public key.
    case info
    case attest(userData: [UInt8])
    case sign(hash: [UInt8])
    case decrypt([UInt8])
    case randomBytes(count: Int)
    /// A metered subtask and its lottery. `module` is empty when the node believes the enclave has the
    /// module `moduleHash` cached; the enclave answers ``EnclaveFailure/unknownModule(_:)`` if not.
    /// A win is signed as the statement for block `template`.
    case mine(moduleHash: H256, module: [UInt8], input: [UInt8], fuel: UInt64, target: UInt256, deadlineMilliseconds: UInt64,
              template: H256 = .zero, subtaskID: H256 = .zero)

    /// Most random bytes one request may ask for.
    public static let maxRandomBytes = 4096

    public var encoded: [UInt8] {
        switch self {
        case .info: return EnclaveFrame.seal(kind: 1, [])
        case .attest(let data): return EnclaveFrame.seal(kind: 2, [.bytes(data)])
        case .sign(let hash): return EnclaveFrame.seal(kind: 3, [.bytes(hash)])
        case .decrypt(let message): return EnclaveFrame.seal(kind: 4, [.bytes(message)])
        case .randomBytes(let count): return EnclaveFrame.seal(kind: 5, [.uint(UInt64(clamping: count))])
        case .mine(let hash, let module, let input, let fuel, let target, let deadline, let template, let subtaskID):
            return EnclaveFrame.seal(kind: 6, [.bytes(hash.bytes), .bytes(module), .bytes(input), .uint(fuel), .uint(target), .uint(deadline),
                                               .bytes(template.bytes), .bytes(subtaskID.bytes)])
        }
    }

    /// Strict decoding of a request payload: version, kind, field count and every size checked.
    public init(encoded payload: [UInt8]) throws(EnclaveWireError) {
        var (kind, f) = try EnclaveFrame.open(payload, message: "request")
        switch kind {
        case 1: self = .info
        case 2: self = .attest(userData: try f.bytes("user data", max: 32))
        case 3: self = .sign(hash: try f.bytes("hash", exactly: 32))
        case 4: self = .decrypt(try f.bytes("message"))
        case 5:
            let count = try f.uint64("count")
            guard count <= UInt64(Self.maxRandomBytes) else {
                throw .fieldTooLarge(field: "random byte count", count: Int(clamping: count), limit: Self.maxRandomBytes)
            }
            self = .randomBytes(count: Int(count))
        case 6:
            self = .mine(moduleHash: try f.h256("module hash"), module: try f.bytes("module"), input: try f.bytes("input"),
                         fuel: try f.uint64("fuel"), target: try f.uint256("target"), deadlineMilliseconds: try f.uint64("deadline"),
                         template: try f.h256("template"), subtaskID: try f.h256("subtask id"))
        default: throw .unknownKind(message: "request", kind: kind)
        }
        try f.finish()
    }
}
