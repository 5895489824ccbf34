import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives
import AnkrSandbox
import AnkrWork

/// The seal in a PoUW header: the statement, the enclave's signature over it, the subtask input
/// (so validators can re-execute), the platform the enclave runs on, and — only when the enclave key
/// has no live miner registration in the EnclaveRegistry as of the parent block — attestation
/// evidence for the key. A registered miner's seal carries no evidence: its key was attested once,
/// when it registered, and every seal after that is only a signed statement.
public struct PoUWSeal: Hashable, Sendable {
    public static let maxInputBytes = 4096

    public var statement: PoUWStatement
    public var signature: [UInt8]
    public var input: [UInt8]
    /// The enclave's platform (what the anomaly test counts), checked against the registration or the
    /// evidence when the block is verified, so ancestors' seals can be counted without re-verifying.
    public var platformID: H256
    public var evidence: AttestationEvidence?

    public init(statement: PoUWStatement, signature: [UInt8], input: [UInt8], platformID: H256, evidence: AttestationEvidence?) {
        self.statement = statement; self.signature = signature; self.input = input; self.platformID = platformID; self.evidence = evidence
    }

    /// RLP list [statement, signature, input, platformID, evidence or empty bytes].
    public var encoded: [UInt8] {
        RLP.encode(.list([statement.rlp, .bytes(signature), .bytes(input), .bytes(platformID.bytes), .bytes(evidence?.encoded ?? [])]))
    }

    public init(encoded: [UInt8]) throws {
        do {
            let f = try RLP.decodeList(encoded, count: 5)
            let sig = try f[1].bytesValue(), input = try f[2].bytesValue(), evidence = try f[4].bytesValue()
            guard sig.count == 65 else { throw PoUWSealError.malformed("signature must be 65 bytes") }
            guard input.count <= Self.maxInputBytes else { throw PoUWSealError.malformed("subtask input over \(Self.maxInputBytes) bytes") }
            self.init(statement: try PoUWStatement(rlp: f[0]), signature: sig, input: input, platformID: try f[3].h256Value(),
                      evidence: evidence.isEmpty ? nil : try AttestationEvidence(encoded: evidence))
        } catch let e as PoUWSealError {
            throw e
        } catch {
            throw PoUWSealError.malformed("\(error)")
        }
    }
}

/// Why a PoUW seal was refused: one case per check.
public enum PoUWSealError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case wrongTemplate
    case wrongTarget
    case wrongDifficulty(expected: UInt256, actual: UInt256)
    case notAWin
    case attestation(AttestationError)
    case badStatementSignature
    case inputMismatch
    case fuelAboveLimit(UInt64, limit: UInt64)
    case unknownModule(H256)
    case reexecutionMismatch(String)
    /// This node stopped waiting for the re-execution (a local wall-clock bound, not a verdict).
    case reexecutionUnfinished(WorkError)
    case noEnclave
    case fromTheFuture(seconds: UInt64)
    case platformAnomaly(count: Int, threshold: Int)
    /// No evidence in the seal and no live miner registration for the signing key as of the parent.
    case unregisteredEnclave(Address)
    /// The seal names another platform than its registration or evidence.
    case wrongPlatform(claimed: H256, attested: H256)

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed PoUW seal: \(why)"
        case .wrongTemplate: return "seal statement is for another block template"
        case .wrongTarget: return "seal statement's target does not match the header's difficulty"
        case .wrongDifficulty(let e, let a): return "difficulty \(a), the retarget rule gives \(e)"
        case .notAWin: return "seal statement does not claim a lottery win"
        case .attestation(let e): return "seal attestation: \(e)"
        case .badStatementSignature: return "statement is not signed by the attested enclave key"
        case .inputMismatch: return "seal input does not hash to the statement's input hash"
        case .fuelAboveLimit(let f, let l): return "subtask fuel \(f) exceeds the per-subtask limit \(l)"
        case .unknownModule(let h): return "useful-work module \(h) is unknown, cannot re-execute"
        case .reexecutionMismatch(let why): return "re-execution contradicts the seal: \(why)"
        case .reexecutionUnfinished(let e): return "re-execution did not finish within this node's bound (block refused for now, not judged): \(e)"
        case .noEnclave: return "this node has no enclave and cannot mine"
        case .fromTheFuture(let s): return "block is stamped \(s) s ahead of this node's clock"
        case .platformAnomaly(let c, let t): return "platform won \(c) blocks of the window; honest luck stays below \(t)"
        case .unregisteredEnclave(let a):
            return "enclave \(a.checksummed) has no live miner registration in the EnclaveRegistry and its seal carries no evidence"
        case .wrongPlatform(let c, let a): return "seal names platform \(c), its enclave is attested on \(a)"
        }
    }
}

extension PoUWSealError: LocalImportFailure {
    /// A re-execution this node could not finish in its bound, or a timestamp ahead of this node's
    /// clock: the block may be valid, so the peer that relayed it is not punished.
    public var isLocal: Bool {
        switch self {
        case .reexecutionUnfinished, .fromTheFuture: return true
        default: return false
        }
    }
}
