import AnkrPrimitives

/// What the enclave process answers, one frame per request.
public enum EnclaveReply: Equatable, Sendable {
    case info(measurement: H256, publicKey: [UInt8])
    /// ``AttestationEvidence/encoded``.
    case evidence([UInt8])
    /// 65 bytes r ‖ s ‖ recovery id.
    case signature([UInt8])
    case plaintext([UInt8])
    case randomBytes([UInt8])
    case mined(MinedSubtask)
    case failure(EnclaveFailure)

    public var encoded: [UInt8] {
        switch self {
        case .info(let measurement, let key): return EnclaveFrame.seal(kind: 1, [.bytes(measurement.bytes), .bytes(key)])
        case .evidence(let bytes): return EnclaveFrame.seal(kind: 2, [.bytes(bytes)])
        case .signature(let bytes): return EnclaveFrame.seal(kind: 3, [.bytes(bytes)])
        case .plaintext(let bytes): return EnclaveFrame.seal(kind: 4, [.bytes(bytes)])
        case .randomBytes(let bytes): return EnclaveFrame.seal(kind: 5, [.bytes(bytes)])
        case .mined(let m):
            return EnclaveFrame.seal(kind: 6, [.bytes(m.output), .uint(m.fuelUsed), .uint(UInt64(m.won ? 1 : 0)), .bytes(m.statementSignature)])
        case .failure(let failure): return EnclaveFrame.seal(kind: 7, [failure.wire])
        }
    }

    /// Strict decoding of a reply payload: version, kind, field count and every size checked.
    public init(encoded payload: [UInt8]) throws(EnclaveWireError) {
        var (kind, f) = try EnclaveFrame.open(payload, message: "reply")
        switch kind {
        case 1: self = .info(measurement: try f.h256("measurement"), publicKey: try f.bytes("public key", exactly: 33))
        case 2: self = .evidence(try f.bytes("evidence"))
        case 3: self = .signature(try f.bytes("signature", exactly: 65))
        case 4: self = .plaintext(try f.bytes("plaintext"))
        case 5: self = .randomBytes(try f.bytes("random bytes", max: EnclaveRequest.maxRandomBytes))
        case 6:
            let output = try f.bytes("output"), fuel = try f.uint64("fuel used"), won = try f.flag("won")
            // A win carries exactly one signature, a loss none.
            let signature = try f.bytes("statement signature", exactly: won ? 65 : 0)
            self = .mined(MinedSubtask(output: output, fuelUsed: fuel, won: won, statementSignature: signature))
        case 7:
            var inner = try f.list("failure")
            self = .failure(try EnclaveFailure(wire: &inner))
            try inner.finish()
        default: throw .unknownKind(message: "reply", kind: kind)
        }
        try f.finish()
    }

    /// The reply's name, for errors about a reply that does not answer the request.
    var name: String {
        switch self {
        case .info: return "info"
        case .evidence: return "evidence"
        case .signature: return "signature"
        case .plaintext: return "plaintext"
        case .randomBytes: return "random bytes"
        case .mined: return "mined subtask"
        case .failure(let f): return "failure (\(f))"
        }
    }
}
