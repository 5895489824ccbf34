import AnkrPrimitives
import AnkrSandbox

/// What a miner's enclave states about the work behind a block. Only the enclave's `mine` signs one,
/// for a subtask it ran and a lottery it drew itself (``Enclave/mine(module:input:fuel:target:deadline:template:subtaskID:)``);
/// the generic ``Enclave/sign(hash:)`` signs a domain-separated digest that can never be a statement's hash.
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

    /// The statement as RLP, as seals carry it.
    public var rlp: RLPItem {
        .list([.bytes(templateHash.bytes), .uint(target), .bytes(subtaskID.bytes), .bytes(moduleHash.bytes), .bytes(inputHash.bytes),
               .bytes(outputHash.bytes), .uint(fuel), .uint(UInt64(win ? 1 : 0))])
    }

    /// What the enclave signs.
    public var hash: [UInt8] { Keccak256.hash(Array("ankr-pouw-statement".utf8) + RLP.encode(rlp)) }

    /// Decodes a statement; fields are checked for shape only (the verifier checks the rest).
    public init(rlp item: RLPItem) throws {
        let f = try item.listValue()
        guard f.count == 8 else { throw RLPError.wrongItemCount(expected: 8, actual: f.count) }
        let win = try f[7].uint64Value()
        guard win <= 1 else { throw RLPError.nonCanonicalInteger }
        self.init(templateHash: try f[0].h256Value(), target: try f[1].uint256Value(), subtaskID: try f[2].h256Value(),
                  moduleHash: try f[3].h256Value(), inputHash: try f[4].h256Value(), outputHash: try f[5].h256Value(),
                  fuel: try f[6].uint64Value(), win: win == 1)
    }

    public init(templateHash: H256, target: UInt256, subtaskID: H256, moduleHash: H256, inputHash: H256, outputHash: H256, fuel: UInt64, win: Bool) {
        self.templateHash = templateHash; self.target = target; self.subtaskID = subtaskID; self.moduleHash = moduleHash
        self.inputHash = inputHash; self.outputHash = outputHash; self.fuel = fuel; self.win = win
    }
}


extension PoUWStatement {
    /// The statement of a won subtask, as the enclave builds it from the run it metered.
    public init(winning module: WorkModule, input: [UInt8], output: [UInt8], fuel: UInt64, template: H256, target: UInt256, subtaskID: H256) {
        self.init(templateHash: template, target: target, subtaskID: subtaskID, moduleHash: module.hash, inputHash: Keccak256.h256(input),
                  outputHash: Keccak256.h256(output), fuel: fuel, win: true)
    }
}
