import AnkrPrimitives

extension EthClient {
    /// A block's header fields and transaction hashes (`eth_getBlockByNumber` with `false`).
    public struct Block: Sendable, Equatable {
        public var number: UInt64
        public var hash: H256
        public var parentHash: H256
        public var timestamp: UInt64
        public var miner: Address
        public var gasLimit: UInt64
        public var gasUsed: UInt64
        /// Nil on a node that predates EIP-1559.
        public var baseFeePerGas: UInt256?
        public var stateRoot: H256
        public var transactions: [H256]
        /// The sealer's description of the seal (Ankr's extension; nil elsewhere).
        public var seal: JSON?

        /// Reads a block object whose `transactions` are hashes; `path` names it in errors.
        public init(json: JSON, path: String = "block") throws {
            func field(_ key: String) throws -> JSON { try json.member(key, in: path) }
            number = try field("number").quantity64("\(path).number")
            hash = try field("hash").h256("\(path).hash")
            parentHash = try field("parentHash").h256("\(path).parentHash")
            timestamp = try field("timestamp").quantity64("\(path).timestamp")
            miner = try field("miner").address("\(path).miner")
            gasLimit = try field("gasLimit").quantity64("\(path).gasLimit")
            gasUsed = try field("gasUsed").quantity64("\(path).gasUsed")
            baseFeePerGas = try json["baseFeePerGas"]?.optional { try $0.quantity("\(path).baseFeePerGas") } ?? nil
            stateRoot = try field("stateRoot").h256("\(path).stateRoot")
            transactions = try field("transactions").list("\(path).transactions").enumerated().map { i, t in
                try t.h256("\(path).transactions[\(i)]")
            }
            seal = json["seal"]
        }
    }
}
