import AnkrChain
import AnkrEVM
import AnkrPrimitives
import AnkrRPC

/// What the node and its chain are: coinbase, fees of the next block, the fork configuration (EIP-7910),
/// the history it keeps, and batch storage reads.
extension EthNamespace {
    /// Most slots one `eth_getStorageValues` may read, over all its accounts (as `eth_getProof`'s keys).
    public static let maxStorageValues = 1024

    /// EIP-4844's blob schedule of Cancun, the fork Ankr runs from genesis.
    static let blobTarget: Int64 = 3, blobMax: Int64 = 6, blobUpdateFraction: Int64 = 3_338_477

    /// Cancun's precompiles by their EIP-7910 names, at addresses 0x01…0x0a.
    static let precompileNames = ["ECREC", "SHA256", "RIPEMD160", "ID", "MODEXP", "BN254_ADD", "BN254_MUL", "BN254_PAIRING", "BLAKE2F",
                                  "KZG_POINT_EVALUATION"]

    func registerNodeInfo(in table: RPCMethodTable) {
        table.register("eth_coinbase") { p in
            try p.expect(min: 0, max: 0)
            // geth's answer when no etherbase is set.
            guard let coinbase else { throw RPCError.server("etherbase must be explicitly specified") }
            return .string(coinbase.checksummed)
        }
        table.register("eth_baseFee") { p in try p.expect(min: 0, max: 0); return RPCFormat.q(BaseFee.next(after: chain.head)) }
        // No Ankr block carries blobs, so the excess blob gas stays 0 and the blob base fee at its minimum (what geth
        // answers on a Cancun chain without blob transactions).
        table.register("eth_blobBaseFee") { p in
            try p.expect(min: 0, max: 0)
            return RPCFormat.q(TransactionExecutor.blobBaseFee(excessBlobGas: 0))
        }
        table.register("eth_config") { p in try p.expect(min: 0, max: 0); return configJSON() }
        table.register("eth_capabilities") { p in try p.expect(min: 0, max: 0); return capabilitiesJSON() }
        table.register("eth_getStorageValues") { p in try storageValues(p) }
    }

    /// EIP-7910: every fork Ankr knows is active from genesis, so `current` is Cancun at time 0 and nothing is scheduled.
    func configJSON() -> JSON {
        var precompiles = [String: JSON]()
        for (name, address) in zip(Self.precompileNames, Precompiles.addresses) { precompiles[name] = .string(address.description) }
        var systemContracts = [String: JSON]()
        for contract in chain.executor.systemContracts.all { systemContracts[contract.name] = .string(contract.address.description) }
        let current: JSON = [
            "activationTime": .int(0),
            "blobSchedule": ["baseFeeUpdateFraction": .int(Self.blobUpdateFraction), "max": .int(Self.blobMax), "target": .int(Self.blobTarget)],
            "chainId": RPCFormat.q(chain.chainID),
            "forkId": RPCFormat.data(Self.forkHash(genesis: chain.genesisHash)),
            "precompiles": .object(precompiles),
            "systemContracts": .object(systemContracts),
        ]
        return ["current": current, "next": .null, "last": .null]
    }

    /// EIP-6122's FORK_HASH with no fork after genesis: the CRC-32 (IEEE) of the genesis hash, big-endian.
    static func forkHash(genesis: H256) -> [UInt8] {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in genesis.bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        crc = ~crc
        return [UInt8(crc >> 24), UInt8(truncatingIfNeeded: crc >> 16), UInt8(truncatingIfNeeded: crc >> 8), UInt8(truncatingIfNeeded: crc)]
    }

    /// The node keeps every block, receipt and state from genesis (an archive without pruning), so every
    /// resource starts at block 0 and none has a delete strategy.
    func capabilitiesJSON() -> JSON {
        let head = chain.head
        let whole: JSON = ["disabled": false, "oldestBlock": "0x0"]
        return [
            "head": ["number": RPCFormat.q(head.number), "hash": .string(head.hash.description)],
            "state": whole, "tx": whole, "logs": whole, "receipts": whole, "blocks": whole, "stateproofs": whole,
        ]
    }

    /// `eth_getStorageValues`: {address: [slot, …]} → {address: [32-byte value, …]}, at one block.
    func storageValues(_ p: RPCParams) throws -> JSON {
        try p.expect(min: 1, max: 2)
        let requests = try p.object(0, "requests")
        var total = 0
        var parsed = [(key: String, address: Address, slots: [H256])]()
        for (key, value) in requests {
            guard let list = value.array else { throw RPCError.invalidParams("the slots of \(key) must be a list") }
            total += list.count
            guard total <= Self.maxStorageValues else {
                throw RPCError.invalidParams("more than \(Self.maxStorageValues) storage slots requested")
            }
            parsed.append((key, try RPCParams.address(.string(key), "address"), try list.map { H256(word: try RPCParams.quantity($0, "storage slot")) }))
        }
        let state = try state(p, 1)
        var out = [String: JSON]()
        for request in parsed {
            out[request.key] = .array(try request.slots.map { RPCFormat.data(try state.storage(request.address, slot: $0).bigEndianBytes) })
        }
        return .object(out)
    }
}
