import AnkrChain
import AnkrCrypto
import AnkrPrimitives

/// Why an application chain's node refused a block's seal.
public enum OperatorSealError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The seal is not a 65-byte low-s signature (r ‖ s ‖ v, v 0 or 1).
    case malformed(bytes: Int)
    /// The seal is a signature, but not the operator's.
    case notTheOperator(signer: Address, operator: Address)
    /// The block changed the difficulty (an application chain keeps its genesis difficulty).
    case difficultyChanged

    public var description: String {
        switch self {
        case .malformed(let n): return "invalid seal: an application chain's seal is the operator's 65-byte low-s signature (it has \(n) bytes)"
        case .notTheOperator(let s, let o): return "invalid seal: signed by \(s.checksummed), not the operator \(o.checksummed)"
        case .difficultyChanged: return "invalid seal: an application chain keeps its difficulty"
        }
    }
}

/// An application chain's consensus (`config.ankr.consensus = "operator"`): the operator signs each block's
/// seal hash, and every node of the chain accepts only blocks so signed. Nothing here makes the operator
/// honest — its commitments on the main chain and their disputes do — but no one else can extend its chain.
public struct OperatorSealer: Sealer {
    public let operatorAddress: Address
    /// The operator's key on the node that produces blocks; nil on every other node.
    private let key: PrivateKey?

    /// `key` must be the operator's when given (a node with another key would seal blocks everyone refuses).
    public init(operator: Address, key: PrivateKey?) {
        operatorAddress = `operator`
        self.key = key.flatMap { $0.address == `operator` ? $0 : nil }
    }

    /// Whether this node holds the operator's key and so produces blocks.
    public var produces: Bool { key != nil }

    public func difficulty(parent: BlockHeader, timestamp: UInt64) -> UInt256 { parent.difficulty }

    public func seal(_ block: Block, chain: ChainReader, stop: @Sendable () -> Bool) throws -> Block {
        guard let key else { throw SealError.abandoned }
        var sealed = block
        sealed.header.seal = try key.sign(hash: block.header.sealHash.bytes).rsv
        return sealed
    }

    public func verifySeal(_ header: BlockHeader, parent: BlockHeader, chain: ChainReader) throws {
        guard header.difficulty == parent.difficulty else { throw OperatorSealError.difficultyChanged }
        // v is 0 or 1 only: a 27/28 copy of the operator's seal would be the same block under another hash.
        guard header.seal.count == 65, header.seal[64] <= 1, let signature = try? Signature(rsv: header.seal),
              let signer = try? signature.recoverAddress(hash: header.sealHash.bytes) else {
            throw OperatorSealError.malformed(bytes: header.seal.count)
        }
        guard signer == operatorAddress else { throw OperatorSealError.notTheOperator(signer: signer, operator: operatorAddress) }
    }

    public var stampsWallClock: Bool { true }

    public var sealingStats: SealingStats? { nil }

    public func describe(seal: [UInt8]) -> JSON {
        guard seal.count == 65, let s = try? Signature(rsv: seal) else { return .string(seal.hexPrefixed) }
        return ["operatorSignature": .string(s.rsv.hexPrefixed), "operator": .string(operatorAddress.checksummed)]
    }
}
