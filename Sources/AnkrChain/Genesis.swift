import AnkrPrimitives
import AnkrTrie
import Foundation

/// How blocks are sealed, from `config.ankr.consensus` (default `dev`).
public enum ConsensusRules: Hashable, Sendable {
    /// `geth --dev`-style: the producer's word is the seal. For development chains only.
    case dev
    /// Proof of Useful Work with the attestation policy of genesis.
    case pouw(PoUWGenesis)
}

/// The PoUW settings of `config.ankr`, as raw values (AnkrConsensus gives them meaning).
public struct PoUWGenesis: Hashable, Sendable {
    /// Compressed public keys of trusted attestation roots.
    public var attestationRoots: [[UInt8]]
    public var allowedMeasurements: [H256]
    public var allowSimulatedAttestation: Bool
    /// Floor of the difficulty, in expected instructions per block (default 2^24).
    public var minimumDifficulty: UInt256
    /// Validators re-execute each winning subtask (default true).
    public var reexecute: Bool
    /// REM's anomaly test: the fastest honest platform's share of all instruction power (default 1,
    /// which turns the test off), the false-alarm probability α (default 1e-6), the window in blocks
    /// (default 100).
    public var fastestPlatformRate: Double
    public var anomalyAlpha: Double
    public var anomalyWindow: Int
    /// The WorkMarket: the least bond behind a result in wei (default 0.01 ANKR) and the blocks a
    /// result can be disputed before its bond is returned (default 100).
    public var workBond: UInt256
    public var workDisputeWindow: UInt64
}

/// Ankr's own chain parameters, under `config.ankr` in the genesis file. Every one has a default.
public struct ChainParameters: Hashable, Sendable {
    /// Target seconds between blocks.
    public var blockTimeSeconds: UInt64 = 5
    /// Paid to the block's coinbase on top of priority fees (default 2 ANKR).
    public var blockReward = UInt256(2_000_000_000_000_000_000)
    public var consensus = ConsensusRules.dev
    public var plasma = PlasmaRules()
    public var oracle = OracleRules()

    public init() {}
}

/// The Native Oracle System's settings (`config.ankr.oracle`): which oracle enclaves may register
/// (attestation roots and measurements, as for miners) and the fees.
public struct OracleRules: Hashable, Sendable {
    /// Compressed public keys of the attestation roots whose platforms may host oracle enclaves (none: no oracle can register).
    public var attestationRoots: [[UInt8]] = []
    /// Measurements of the oracle enclave code allowed to register.
    public var measurements: [H256] = []
    public var allowSimulatedAttestation = false
    /// The least fee of a request; it pays the oracle for `deliver` (default 0.001 ANKR).
    public var minimumFee = UInt256(1_000_000_000_000_000)
    /// Kept from a cancelled request's fee (default 0.0002 ANKR), paid to `treasury`.
    public var cancellationFee = UInt256(200_000_000_000_000)
    /// Receives cancellation fees (default: the zero address, i.e. burned).
    public var treasury = Address.zero

    public init() {}
}

/// The Plasma settings of `config.ankr.plasma`: how long an exit can be challenged, the bond an
/// exit posts, the exit-priority age cap, and the least stake of a child-chain operator.
public struct PlasmaRules: Hashable, Sendable {
    /// Seconds an exit waits before it can be finalized, during which it can be challenged (default 1 week).
    public var challengePeriodSeconds: UInt64 = 604_800
    /// An exit's bond, paid back on finalization or to a successful challenger (default 0.1 ANKR).
    public var exitBond = UInt256(100_000_000_000_000_000)
    /// An exit matures at max(its block's submission + this, now + the challenge period): the Plasma
    /// MVP rule (default 2 weeks, as there). What this exceeds the challenge period by is the reaction
    /// window: an owner who starts an exit within it of a withheld block's submission still ranks
    /// ahead of every exit from that block. Genesis refuses less than twice the challenge period, so
    /// the window is at least the challenge period, the time within which owners must already come
    /// online to challenge bad exits of their outputs.
    public var exitAgeCapSeconds: UInt64 = 1_209_600
    /// The least stake `createChildChain` accepts (default 1 ANKR).
    public var minimumStake = UInt256(1_000_000_000_000_000_000)

    public init() {}
}

/// A genesis file in go-ethereum's JSON format, so an existing geth genesis works as it is.
public struct Genesis: Sendable {
    public struct Allocation: Hashable, Sendable {
        public var balance: UInt256
        public var nonce: UInt64
        public var code: [UInt8]
        public var storage: [H256: UInt256]

        public init(balance: UInt256, nonce: UInt64 = 0, code: [UInt8] = [], storage: [H256: UInt256] = [:]) {
            self.balance = balance; self.nonce = nonce; self.code = code; self.storage = storage
        }
    }

    public var chainID: UInt64
    public var parameters: ChainParameters
    public var gasLimit: UInt64
    public var baseFeePerGas: UInt256
    public var difficulty: UInt256
    public var timestamp: UInt64
    public var extraData: [UInt8]
    public var coinbase: Address
    public var alloc: [Address: Allocation]

    public init(chainID: UInt64, parameters: ChainParameters = ChainParameters(), gasLimit: UInt64 = 30_000_000,
                baseFeePerGas: UInt256 = UInt256(1_000_000_000), difficulty: UInt256 = .one, timestamp: UInt64 = 0,
                extraData: [UInt8] = [], coinbase: Address = .zero, alloc: [Address: Allocation] = [:]) {
        self.chainID = chainID; self.parameters = parameters; self.gasLimit = gasLimit; self.baseFeePerGas = baseFeePerGas
        self.difficulty = difficulty; self.timestamp = timestamp; self.extraData = extraData; self.coinbase = coinbase
        self.alloc = alloc
    }

    /// Parses geth's genesis JSON. Quantities may be `0x` hex strings, decimal strings or JSON numbers.
    public init(json data: Data) throws {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch { throw ChainError.genesis("not valid JSON") }
        guard let root = object as? [String: Any] else { throw ChainError.genesis("top level must be an object") }
        guard let config = root["config"] as? [String: Any] else { throw ChainError.genesis("missing \"config\" object") }
        guard let chainID = try Self.quantity(config["chainId"], "config.chainId")?.uint64 else {
            throw ChainError.genesis("config.chainId is required and must fit 64 bits")
        }
        var params = ChainParameters()
        if let ankr = config["ankr"] {
            guard let a = ankr as? [String: Any] else { throw ChainError.genesis("config.ankr must be an object") }
            if let v = try Self.quantity(a["blockTimeSeconds"], "config.ankr.blockTimeSeconds") {
                guard let s = v.uint64, s > 0 else { throw ChainError.genesis("config.ankr.blockTimeSeconds must be positive") }
                params.blockTimeSeconds = s
            }
            if let v = try Self.quantity(a["blockReward"], "config.ankr.blockReward") { params.blockReward = v }
            if let p = a["plasma"] {
                guard let o = p as? [String: Any] else { throw ChainError.genesis("config.ankr.plasma must be an object") }
                let known: Set<String> = ["challengePeriodSeconds", "exitBond", "exitAgeCapSeconds", "minimumStake"]
                if let unknown = o.keys.first(where: { !known.contains($0) }) { throw ChainError.genesis("unknown setting config.ankr.plasma.\(unknown)") }
                if let v = try Self.quantity(o["challengePeriodSeconds"], "config.ankr.plasma.challengePeriodSeconds") {
                    guard let s = v.uint64 else { throw ChainError.genesis("config.ankr.plasma.challengePeriodSeconds must fit 64 bits") }
                    params.plasma.challengePeriodSeconds = s
                }
                if let v = try Self.quantity(o["exitAgeCapSeconds"], "config.ankr.plasma.exitAgeCapSeconds") {
                    guard let s = v.uint64 else { throw ChainError.genesis("config.ankr.plasma.exitAgeCapSeconds must fit 64 bits") }
                    params.plasma.exitAgeCapSeconds = s
                }
                if let v = try Self.quantity(o["exitBond"], "config.ankr.plasma.exitBond") { params.plasma.exitBond = v }
                let (twice, overflow) = params.plasma.challengePeriodSeconds.multipliedReportingOverflow(by: 2)
                guard !overflow, params.plasma.exitAgeCapSeconds >= twice else {
                    throw ChainError.genesis("config.ankr.plasma.exitAgeCapSeconds (\(params.plasma.exitAgeCapSeconds)) must be at least twice "
                                             + "challengePeriodSeconds (\(params.plasma.challengePeriodSeconds)), leaving owners a reaction window "
                                             + "of one challenge period to exit ahead of a withheld block")
                }
                if let v = try Self.quantity(o["minimumStake"], "config.ankr.plasma.minimumStake") { params.plasma.minimumStake = v }
            }
            if let o = a["oracle"] { params.oracle = try Self.oracle(o) }
            switch a["consensus"] as? String {
            case nil, "dev": params.consensus = .dev
            case "pouw": params.consensus = .pouw(try Self.pouw(a))
            case let other: throw ChainError.genesis("config.ankr.consensus must be \"dev\" or \"pouw\", not \(other ?? "?")")
            }
        }
        var alloc = [Address: Allocation]()
        if let a = root["alloc"] {
            guard let entries = a as? [String: Any] else { throw ChainError.genesis("alloc must be an object") }
            for (key, value) in entries {
                guard let address = try? Address(hex: key) else { throw ChainError.genesis("alloc key \(key) is not an address") }
                guard let fields = value as? [String: Any] else { throw ChainError.genesis("alloc \(key) must be an object") }
                var storage = [H256: UInt256]()
                if let s = fields["storage"] {
                    guard let slots = s as? [String: String] else { throw ChainError.genesis("alloc \(key) storage must map hex to hex") }
                    for (slot, v) in slots {
                        guard let k = try? H256(bytes32Hex: slot), let val = try? UInt256(parsing: v) else {
                            throw ChainError.genesis("alloc \(key) storage entry \(slot) is not hex")
                        }
                        storage[k] = val
                    }
                }
                var code = [UInt8]()
                if let c = fields["code"] {
                    guard let text = c as? String, let bytes = try? Hex.decode(text) else { throw ChainError.genesis("alloc \(key) code is not hex") }
                    code = bytes
                }
                guard let nonce = try Self.quantity(fields["nonce"], "alloc \(key) nonce")?.uint64 ?? Optional(0) else {
                    throw ChainError.genesis("alloc \(key) nonce must fit 64 bits")
                }
                alloc[address] = Allocation(balance: try Self.quantity(fields["balance"], "alloc \(key) balance") ?? .zero,
                                            nonce: nonce, code: code, storage: storage)
            }
        }
        let extra: [UInt8]
        if let e = root["extraData"] {
            guard let text = e as? String, let bytes = try? Hex.decode(text) else { throw ChainError.genesis("extraData is not hex") }
            extra = bytes
        } else {
            extra = []
        }
        guard extra.count <= BlockHeader.maxExtraData else { throw ChainError.extraDataTooLong(extra.count) }
        var coinbase = Address.zero
        if let c = root["coinbase"] {
            guard let text = c as? String, let a = try? Address(hex: text) else { throw ChainError.genesis("coinbase is not an address") }
            coinbase = a
        }
        guard let gasLimit = try Self.quantity(root["gasLimit"], "gasLimit")?.uint64 ?? Optional(30_000_000), gasLimit >= 5000 else {
            throw ChainError.genesis("gasLimit must be between 5000 and 2^64-1")
        }
        guard let timestamp = try Self.quantity(root["timestamp"], "timestamp")?.uint64 ?? Optional(0) else {
            throw ChainError.genesis("timestamp must fit 64 bits")
        }
        self.init(chainID: chainID, parameters: params, gasLimit: gasLimit,
                  baseFeePerGas: try Self.quantity(root["baseFeePerGas"], "baseFeePerGas") ?? UInt256(1_000_000_000),
                  difficulty: try Self.quantity(root["difficulty"], "difficulty") ?? .one, timestamp: timestamp,
                  extraData: extra, coinbase: coinbase, alloc: alloc)
    }

    static func oracle(_ value: Any) throws -> OracleRules {
        guard let o = value as? [String: Any] else { throw ChainError.genesis("config.ankr.oracle must be an object") }
        let known: Set<String> = ["attestationRoots", "measurements", "allowSimulatedAttestation", "minimumFee", "cancellationFee", "treasury"]
        if let unknown = o.keys.first(where: { !known.contains($0) }) { throw ChainError.genesis("unknown setting config.ankr.oracle.\(unknown)") }
        var rules = OracleRules()
        if let roots = o["attestationRoots"] {
            guard let list = roots as? [String], let keys = try? list.map({ try Hex.decode($0) }), keys.allSatisfy({ $0.count == 33 }) else {
                throw ChainError.genesis("config.ankr.oracle.attestationRoots must list 33-byte compressed public keys")
            }
            rules.attestationRoots = keys
        }
        if let m = o["measurements"] {
            guard let list = m as? [String], let hashes = try? list.map({ try H256(Hex.decode($0)) }) else {
                throw ChainError.genesis("config.ankr.oracle.measurements must list 32-byte hashes")
            }
            rules.measurements = hashes
        }
        if let b = o["allowSimulatedAttestation"] {
            guard let v = b as? Bool else { throw ChainError.genesis("config.ankr.oracle.allowSimulatedAttestation must be true or false") }
            rules.allowSimulatedAttestation = v
        }
        if let v = try Self.quantity(o["minimumFee"], "config.ankr.oracle.minimumFee") { rules.minimumFee = v }
        if let v = try Self.quantity(o["cancellationFee"], "config.ankr.oracle.cancellationFee") { rules.cancellationFee = v }
        guard rules.cancellationFee <= rules.minimumFee else { throw ChainError.genesis("config.ankr.oracle.cancellationFee must not exceed minimumFee") }
        if let t = o["treasury"] {
            guard let text = t as? String, let a = try? Address(hex: text) else { throw ChainError.genesis("config.ankr.oracle.treasury must be an address") }
            rules.treasury = a
        }
        return rules
    }

    static func pouw(_ a: [String: Any]) throws -> PoUWGenesis {
        guard let roots = a["attestationRoots"] as? [String], !roots.isEmpty,
              let rootKeys = Optional(roots.compactMap { try? Hex.decode($0) }), rootKeys.count == roots.count, rootKeys.allSatisfy({ $0.count == 33 }) else {
            throw ChainError.genesis("config.ankr.attestationRoots must list 33-byte compressed public keys")
        }
        guard let measurements = a["allowedMeasurements"] as? [String], !measurements.isEmpty,
              let hashes = Optional(measurements.compactMap { try? H256(hex: $0) }), hashes.count == measurements.count else {
            throw ChainError.genesis("config.ankr.allowedMeasurements must list 32-byte hashes")
        }
        return PoUWGenesis(attestationRoots: rootKeys, allowedMeasurements: hashes,
                           allowSimulatedAttestation: a["allowSimulatedAttestation"] as? Bool ?? false,
                           minimumDifficulty: try quantity(a["minimumDifficulty"], "config.ankr.minimumDifficulty") ?? UInt256(1 << 24),
                           reexecute: a["reexecute"] as? Bool ?? true,
                           fastestPlatformRate: try fraction(a["fastestPlatformRate"], "fastestPlatformRate") ?? 1,
                           anomalyAlpha: try fraction(a["anomalyAlpha"], "anomalyAlpha") ?? 1e-6,
                           anomalyWindow: try quantity(a["anomalyWindow"], "config.ankr.anomalyWindow")?.int.map { min($0, 10_000) } ?? 100,
                           workBond: try quantity(a["workBond"], "config.ankr.workBond") ?? UInt256(10_000_000_000_000_000),
                           workDisputeWindow: try quantity(a["workDisputeWindow"], "config.ankr.workDisputeWindow")?.uint64.map { min($0, 100_000) } ?? 100)
    }

    static func fraction(_ value: Any?, _ field: String) throws -> Double? {
        guard let value, !(value is NSNull) else { return nil }
        guard let n = value as? NSNumber, n.doubleValue > 0, n.doubleValue <= 1 else {
            throw ChainError.genesis("config.ankr.\(field) must be a number in (0, 1]")
        }
        return n.doubleValue
    }

    static func quantity(_ value: Any?, _ field: String) throws -> UInt256? {
        switch value {
        case nil, is NSNull: return nil
        case let s as String:
            guard let v = try? UInt256(parsing: s) else { throw ChainError.genesis("\(field) is not a number: \(s)") }
            return v
        case let n as NSNumber:
            guard n.stringValue == String(n.uint64Value) else { throw ChainError.genesis("\(field) must be a non-negative integer") }
            return UInt256(n.uint64Value)
        default:
            throw ChainError.genesis("\(field) must be a number or a string")
        }
    }

    /// Writes the allocations and the system-contract accounts into `state`, commits, and returns
    /// the genesis block.
    public func block(state: WorldState, systemContracts: SystemContractRegistry = SystemContractRegistry()) throws -> Block {
        // A family's base address answers nothing (its members are marked when created).
        for contract in systemContracts.all where alloc[contract.address] == nil && contract.handles(contract.address) {
            try state.setNonce(contract.address, 1)
            try state.setCode(contract.address, SystemContractRegistry.markerCode)
        }
        for (address, a) in alloc.sorted(by: { $0.key < $1.key }) {
            try state.setBalance(address, a.balance)
            if a.nonce != 0 { try state.setNonce(address, a.nonce) }
            if !a.code.isEmpty { try state.setCode(address, a.code) }
            for (slot, v) in a.storage { try state.setStorage(address, slot: slot, v) }
        }
        let root = try state.commit()
        let header = BlockHeader(
            parentHash: .zero, coinbase: coinbase, stateRoot: root, transactionsRoot: MerklePatriciaTrie.emptyRoot,
            receiptsRoot: MerklePatriciaTrie.emptyRoot, logsBloom: .empty, difficulty: difficulty, number: 0,
            gasLimit: gasLimit, gasUsed: 0, timestamp: timestamp, extraData: extraData, baseFeePerGas: baseFeePerGas,
            childChainsRoot: .zero)
        return Block(header: header, transactions: [])
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
