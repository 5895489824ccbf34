import AnkrPrimitives

extension EthClient {
    /// What `eth_getProof` answers (EIP-1186): an account's Merkle Patricia proof and one per requested storage slot,
    /// in the order requested, as the node claims them. Nothing here is verified: check them against a state root you
    /// trust (the values are what the proofs lead to).
    public struct Proof: Sendable, Equatable {
        public var accountProof: [[UInt8]]
        public var storageProofs: [[[UInt8]]]
    }

    /// `eth_getProof(address, slots, block)`.
    public func proof(of address: Address, slots: [UInt256], block: BlockTag) throws -> Proof {
        let path = "eth_getProof"
        let answer = try rpc.call(path, [.string(address.checksummed), .array(slots.map { .string($0.bigEndianBytes.hexPrefixed) }), block.json])
        func nodes(_ json: JSON, _ at: String) throws -> [[UInt8]] {
            try json.list(at).enumerated().map { i, n in try n.bytes("\(at)[\(i)]") }
        }
        let storage = try answer.member("storageProof", in: path).list("\(path).storageProof").enumerated().map { i, s in
            try nodes(try s.member("proof", in: "\(path).storageProof[\(i)]"), "\(path).storageProof[\(i)].proof")
        }
        guard storage.count == slots.count else {
            throw RPCClientError.unexpected(path: "\(path).storageProof", expected: "\(slots.count) proofs", found: "\(storage.count)")
        }
        return Proof(accountProof: try nodes(try answer.member("accountProof", in: path), "\(path).accountProof"), storageProofs: storage)
    }
}
