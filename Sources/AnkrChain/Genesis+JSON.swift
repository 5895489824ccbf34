import AnkrPrimitives
import Foundation

extension Genesis {
    /// Parses geth's genesis JSON. Quantities may be `0x` hex strings, decimal strings or JSON integers.
    /// `config.ankr.plasma` and `config.ankr.oracle` are kept as written: the Plasma and oracle
    /// targets read them (`ChainSpec` in AnkrNode does, before a node runs the chain).
    /// Throws ``GenesisError`` naming the setting and what is wrong with it.
    public init(json data: Data) throws {
        let root: JSON
        // Editors on Windows save a UTF-8 byte-order mark; RFC 8259 lets a parser ignore it, and `ankr init` always has.
        let text = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data
        do { root = try JSON(parsing: text) } catch let JSONError.malformed(why) { throw GenesisError.notJSON(reason: why) }
        let top = try GenesisSection(root, at: "")
        guard top["config"] != nil else { throw GenesisError.missing(path: "config") }
        let config = try top.section("config")
        guard let chainID = try config.uint64("chainId") else { throw GenesisError.missing(path: "config.chainId") }
        let parameters = try Self.parameters(config.section("ankr"))
        let alloc = try Self.allocations(top.section("alloc"))
        let extraData = try top.parsed("extraData", as: "hex") { try Hex.decode($0) } ?? []
        guard extraData.count <= BlockHeader.maxExtraData else { throw GenesisError.extraDataTooLong(extraData.count) }
        let gasLimit = try top.uint64("gasLimit") ?? 30_000_000
        guard gasLimit >= 5000 else { throw GenesisError.outOfRange(path: "gasLimit", must: "be between 5000 and 2^64-1") }
        self.init(chainID: chainID, parameters: parameters, gasLimit: gasLimit,
                  baseFeePerGas: try top.quantity("baseFeePerGas") ?? UInt256(1_000_000_000),
                  difficulty: try top.quantity("difficulty") ?? .one, timestamp: try top.uint64("timestamp") ?? 0,
                  extraData: extraData, coinbase: try top.address("coinbase") ?? .zero, alloc: alloc)
    }

    /// `config.ankr`; the Plasma and oracle sections are kept raw for their own targets.
    static func parameters(_ ankr: GenesisSection) throws -> ChainParameters {
        var parameters = ChainParameters()
        if let seconds = try ankr.uint64("blockTimeSeconds") {
            guard seconds > 0 else { throw GenesisError.outOfRange(path: ankr.path(of: "blockTimeSeconds"), must: "be positive") }
            parameters.blockTimeSeconds = seconds
        }
        if let reward = try ankr.quantity("blockReward") { parameters.blockReward = reward }
        parameters.plasma = ankr["plasma"]
        parameters.oracle = ankr["oracle"]
        parameters.attestation = ankr["attestation"]
        parameters.appChains = ankr["appchains"]
        parameters.unlockDevAccounts = try ankr.bool("unlockDevAccounts") ?? false
        switch try ankr.string("consensus") {
        case nil, "dev": parameters.consensus = .dev
        case "pouw": parameters.consensus = .pouw(try pouw(ankr))
        case "operator":
            guard let op = try ankr.address("operator") else { throw GenesisError.missing(path: ankr.path(of: "operator")) }
            parameters.consensus = .operator(op)
            // An application chain: its operator earns the base fees, as a dispute's re-execution credits them.
            parameters.baseFeeToCoinbase = true
        case let other?: throw GenesisError.unknownConsensus(other)
        }
        return parameters
    }

    /// The PoUW settings, which sit in `config.ankr` itself. The miners' attestation keys
    /// (`attestationRoots`, `allowedMeasurements`) are required unless a `config.ankr.attestation`
    /// section says who may mine (a DCAP chain needs no development roots).
    static func pouw(_ ankr: GenesisSection) throws -> PoUWGenesis {
        let rulesElsewhere = ankr["attestation"] != nil
        let roots = try ankr.list("attestationRoots", of: "a 33-byte compressed public key", { try Hex.decode($0, count: 33) })
        let measurements = try ankr.list("allowedMeasurements", of: "a 32-byte hash", { try H256(hex: $0) })
        if !rulesElsewhere {
            guard let roots else { throw GenesisError.missing(path: ankr.path(of: "attestationRoots")) }
            guard !roots.isEmpty else { throw GenesisError.empty(path: ankr.path(of: "attestationRoots")) }
            guard let measurements else { throw GenesisError.missing(path: ankr.path(of: "allowedMeasurements")) }
            guard !measurements.isEmpty else { throw GenesisError.empty(path: ankr.path(of: "allowedMeasurements")) }
        }
        return PoUWGenesis(attestationRoots: roots ?? [], allowedMeasurements: measurements ?? [],
                           allowSimulatedAttestation: try ankr.bool("allowSimulatedAttestation") ?? false,
                           minimumDifficulty: try ankr.quantity("minimumDifficulty") ?? UInt256(1 << 24),
                           reexecute: try ankr.bool("reexecute") ?? true,
                           fastestPlatformRate: try ankr.fraction("fastestPlatformRate") ?? 1,
                           anomalyAlpha: try ankr.fraction("anomalyAlpha") ?? 1e-6,
                           anomalyWindow: try ankr.uint64("anomalyWindow").map { Int(min($0, 10_000)) } ?? 100,
                           workBond: try ankr.quantity("workBond") ?? UInt256(10_000_000_000_000_000),
                           workDisputeWindow: try ankr.uint64("workDisputeWindow").map { min($0, 100_000) } ?? 100)
    }

    /// `alloc`: address → {balance, nonce, code, storage}, read in address order so the first
    /// error reported is the same on every run.
    static func allocations(_ section: GenesisSection) throws -> [Address: Allocation] {
        var alloc = [Address: Allocation]()
        for (key, value) in section.members.sorted(by: { $0.key < $1.key }) {
            guard let address = try? Address(hex: key) else { throw GenesisError.malformed(path: "alloc \(key)", expected: "an address") }
            guard case .object = value else { throw GenesisError.wrongType(path: "alloc \(key)", expected: "an object") }
            let fields = try GenesisSection(value, at: "alloc \(key)", separator: " ")
            let slots = try fields.section("storage")
            var storage = [H256: UInt256]()
            for (slot, v) in slots.members.sorted(by: { $0.key < $1.key }) {
                let entry = "\(slots.path) entry \(slot)"
                guard let text = v.string else { throw GenesisError.wrongType(path: entry, expected: "a hex string") }
                // Keys and values are both hex, `0x` optional, as geth reads them (a bare "10" is 0x10, not ten).
                guard let k = try? H256(bytes32Hex: slot), let word = try? H256(bytes32Hex: text), let val = UInt256(bigEndian: word.bytes) else {
                    throw GenesisError.malformed(path: entry, expected: "hex")
                }
                storage[k] = val
            }
            alloc[address] = Allocation(balance: try fields.quantity("balance") ?? .zero, nonce: try fields.uint64("nonce") ?? 0,
                                        code: try fields.parsed("code", as: "hex") { try Hex.decode($0) } ?? [], storage: storage)
        }
        return alloc
    }
}

extension H256 {
    /// Hex of up to 32 bytes, left-padded (geth writes storage slots like "0x01").
    init(bytes32Hex text: String) throws {
        var body = text.hasPrefix("0x") || text.hasPrefix("0X") ? String(text.dropFirst(2)) : text
        guard body.count <= 64 else { throw HexError.wrongLength(expected: 32, actual: body.count / 2) }
        body = String(repeating: "0", count: 64 - body.count) + body
        try self.init(hex: body)
    }
}
