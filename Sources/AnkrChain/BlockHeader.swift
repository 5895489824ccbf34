import AnkrPrimitives

/// A main-chain block header (DESIGN.md §3): Ethereum's London fields, the `childChainsRoot`
/// indexing every Plasma child chain, and the consensus `seal`.
public struct BlockHeader: Hashable, Sendable {
    /// keccak256(RLP([])): the only ommers hash Ankr allows.
    public static let emptyOmmersHash = Keccak256.h256([0xc0])
    public static let maxExtraData = 32

    public var parentHash: H256
    public var ommersHash: H256
    public var coinbase: Address
    public var stateRoot: H256
    public var transactionsRoot: H256
    public var receiptsRoot: H256
    public var logsBloom: Bloom
    public var difficulty: UInt256
    public var number: UInt64
    public var gasLimit: UInt64
    public var gasUsed: UInt64
    public var timestamp: UInt64
    public var extraData: [UInt8]
    public var baseFeePerGas: UInt256
    public var childChainsRoot: H256
    /// The consensus proof (the PoUW statement and attestation, or empty for the dev sealer).
    public var seal: [UInt8]

    public init(parentHash: H256, coinbase: Address, stateRoot: H256, transactionsRoot: H256, receiptsRoot: H256,
                logsBloom: Bloom, difficulty: UInt256, number: UInt64, gasLimit: UInt64, gasUsed: UInt64, timestamp: UInt64,
                extraData: [UInt8], baseFeePerGas: UInt256, childChainsRoot: H256, seal: [UInt8] = []) {
        self.parentHash = parentHash
        self.ommersHash = Self.emptyOmmersHash
        self.coinbase = coinbase
        self.stateRoot = stateRoot
        self.transactionsRoot = transactionsRoot
        self.receiptsRoot = receiptsRoot
        self.logsBloom = logsBloom
        self.difficulty = difficulty
        self.number = number
        self.gasLimit = gasLimit
        self.gasUsed = gasUsed
        self.timestamp = timestamp
        self.extraData = extraData
        self.baseFeePerGas = baseFeePerGas
        self.childChainsRoot = childChainsRoot
        self.seal = seal
    }

    private var unsealedFields: [RLPItem] {
        [.bytes(parentHash.bytes), .bytes(ommersHash.bytes), .bytes(coinbase.bytes), .bytes(stateRoot.bytes),
         .bytes(transactionsRoot.bytes), .bytes(receiptsRoot.bytes), .bytes(logsBloom.bytes), .uint(difficulty),
         .uint(number), .uint(gasLimit), .uint(gasUsed), .uint(timestamp), .bytes(extraData), .uint(baseFeePerGas),
         .bytes(childChainsRoot.bytes)]
    }

    /// RLP of every field, seal last.
    public var encoded: [UInt8] { RLP.encode(rlp) }

    var rlp: RLPItem { .list(unsealedFields + [.bytes(seal)]) }

    /// The block hash: keccak256(RLP(header with seal)).
    public var hash: H256 { Keccak256.h256(encoded) }

    /// What the sealer commits to: keccak256(RLP(header without seal)).
    public var sealHash: H256 { Keccak256.h256(RLP.encode(.list(unsealedFields))) }

    public init(encoded: [UInt8]) throws {
        do { try self.init(rlp: try RLP.decode(encoded)) } catch let e as RLPError { throw ChainError.malformed(what: "header", e) }
    }

    init(rlp item: RLPItem) throws {
        let f: [RLPItem]
        do {
            f = try item.listValue()
            guard f.count == 16 else { throw RLPError.wrongItemCount(expected: 16, actual: f.count) }
        } catch let e as RLPError {
            throw ChainError.malformed(what: "header", e)
        }
        do {
            self.init(parentHash: try f[0].h256Value(), coinbase: try f[2].addressValue(), stateRoot: try f[3].h256Value(),
                      transactionsRoot: try f[4].h256Value(), receiptsRoot: try f[5].h256Value(),
                      logsBloom: try Bloom(f[6].bytesValue()), difficulty: try f[7].uint256Value(), number: try f[8].uint64Value(),
                      gasLimit: try f[9].uint64Value(), gasUsed: try f[10].uint64Value(), timestamp: try f[11].uint64Value(),
                      extraData: try f[12].bytesValue(), baseFeePerGas: try f[13].uint256Value(),
                      childChainsRoot: try f[14].h256Value(), seal: try f[15].bytesValue())
            ommersHash = try f[1].h256Value()
        } catch let e as RLPError {
            throw ChainError.malformed(what: "header", e)
        }
        guard extraData.count <= Self.maxExtraData else { throw ChainError.extraDataTooLong(extraData.count) }
    }
}
