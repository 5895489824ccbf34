import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives
import AnkrWork

/// What the enclave states about the work behind a block.
public struct PoUWStatement: Hashable, Sendable {
    /// keccak256(RLP(header without seal)): the block template the work was done for.
    public var templateHash: H256
    public var target: UInt256
    public var subtaskID: H256
    public var moduleHash: H256
    public var inputHash: H256
    public var outputHash: H256
    /// Instructions (fuel) executed, the number of lottery trials.
    public var fuel: UInt64
    public var win: Bool

    var rlp: RLPItem {
        .list([.bytes(templateHash.bytes), .uint(target), .bytes(subtaskID.bytes), .bytes(moduleHash.bytes), .bytes(inputHash.bytes),
               .bytes(outputHash.bytes), .uint(fuel), .uint(UInt64(win ? 1 : 0))])
    }

    /// What the enclave signs.
    public var hash: [UInt8] { Keccak256.hash(Array("ankr-pouw-statement".utf8) + RLP.encode(rlp)) }

    init(rlp item: RLPItem) throws {
        let f = try item.listValue()
        guard f.count == 8 else { throw RLPError.wrongItemCount(expected: 8, actual: f.count) }
        let win = try f[7].uint64Value()
        guard win <= 1 else { throw PoUWSealError.malformed("win flag must be 0 or 1") }
        self.init(templateHash: try f[0].h256Value(), target: try f[1].uint256Value(), subtaskID: try f[2].h256Value(),
                  moduleHash: try f[3].h256Value(), inputHash: try f[4].h256Value(), outputHash: try f[5].h256Value(),
                  fuel: try f[6].uint64Value(), win: win == 1)
    }

    public init(templateHash: H256, target: UInt256, subtaskID: H256, moduleHash: H256, inputHash: H256, outputHash: H256, fuel: UInt64, win: Bool) {
        self.templateHash = templateHash; self.target = target; self.subtaskID = subtaskID; self.moduleHash = moduleHash
        self.inputHash = inputHash; self.outputHash = outputHash; self.fuel = fuel; self.win = win
    }
}

/// The seal in a PoUW header: the statement, the enclave's signature over it, the subtask input
/// (so validators can re-execute) and the attestation evidence for the enclave key.
public struct PoUWSeal: Hashable, Sendable {
    public static let maxInputBytes = 4096

    public var statement: PoUWStatement
    public var signature: [UInt8]
    public var input: [UInt8]
    public var evidence: AttestationEvidence

    public init(statement: PoUWStatement, signature: [UInt8], input: [UInt8], evidence: AttestationEvidence) {
        self.statement = statement; self.signature = signature; self.input = input; self.evidence = evidence
    }

    public var encoded: [UInt8] {
        RLP.encode(.list([statement.rlp, .bytes(signature), .bytes(input), .bytes(evidence.encoded)]))
    }

    public init(encoded: [UInt8]) throws {
        do {
            let f = try RLP.decodeList(encoded, count: 4)
            let sig = try f[1].bytesValue(), input = try f[2].bytesValue()
            guard sig.count == 65 else { throw PoUWSealError.malformed("signature must be 65 bytes") }
            guard input.count <= Self.maxInputBytes else { throw PoUWSealError.malformed("subtask input over \(Self.maxInputBytes) bytes") }
            self.init(statement: try PoUWStatement(rlp: f[0]), signature: sig, input: input,
                      evidence: try AttestationEvidence(encoded: f[3].bytesValue()))
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
