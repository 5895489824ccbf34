import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// One account's replacement in an `eth_simulateV1` block (the spec's AccountOverride), or in eth_call's
/// and eth_estimateGas's third parameter as geth takes it: any of nonce, balance and code, and either its
/// whole storage (`state`) or some slots of it (`stateDiff`).
struct SimulateAccountOverride {
    /// Most storage slots one override may set (geth bounds them only by the body size; a slot costs a
    /// trie write, so 1024 per account keeps one request's work small).
    static let maxSlots = 1024
    /// Most accounts one set of overrides may replace.
    static let maxAccounts = 1000

    /// A StateOverrides object ({address: override}), in address order so a request always writes the same way.
    static func all(_ json: JSON?) throws -> [(Address, SimulateAccountOverride)] {
        guard let json, json != .null else { return [] }
        guard let so = json.object else { throw RPCError.invalidParams("stateOverrides must be an object of addresses") }
        guard so.count <= maxAccounts else {
            throw RPCError.invalidParams("stateOverrides has \(so.count) accounts; the limit is \(maxAccounts)")
        }
        return try so.keys.sorted().map { key in
            (try RPCParams.address(.string(key), "stateOverrides address"), try SimulateAccountOverride(so[key] ?? .null, address: key))
        }
    }

    var nonce: UInt64?
    var balance: UInt256?
    var code: [UInt8]?
    /// Replace every slot (`state`) or only these (`stateDiff`).
    var replacesStorage = false
    var storage: [H256: UInt256] = [:]

    init(_ json: JSON, address: String) throws {
        guard let o = json.object else { throw RPCError.invalidParams("the override of \(address) must be an object") }
        func field(_ name: String) -> JSON? { o.member(name) }
        nonce = try field("nonce").map { try RPCParams.quantity64($0, "nonce") }
        balance = try field("balance").map { try RPCParams.quantity($0, "balance") }
        code = try field("code").map { try RPCParams.bytes($0, "code") }
        if field("movePrecompileToAddress") != nil {
            throw RPCError.invalidParams("movePrecompileToAddress is not supported: Ankr's precompiles answer only at their own addresses")
        }
        let state = field("state"), diff = field("stateDiff")
        if state != nil, diff != nil { throw RPCError.invalidParams("the override of \(address) has both state and stateDiff") }
        guard let slots = state ?? diff else { return }
        guard let map = slots.object else { throw RPCError.invalidParams("state/stateDiff of \(address) must be an object of slots") }
        guard map.count <= Self.maxSlots else {
            throw RPCError.invalidParams("the override of \(address) sets \(map.count) slots; the limit is \(Self.maxSlots)")
        }
        replacesStorage = state != nil
        for (slot, value) in map {
            storage[try RPCParams.hash(.string(slot), "storage slot")] = UInt256(bigEndian: try RPCParams.hash(value, "storage value").bytes) ?? .zero
        }
    }

    /// Writes the override into `state` (whole storage first wiped when `state` was given).
    func apply(to state: WorldState, at address: Address) throws {
        if replacesStorage {
            let kept = try state.account(address), keptCode = try state.code(address)
            try state.destroy(address)
            try state.setAccount(address, nonce: kept?.nonce ?? 0, balance: kept?.balance ?? .zero, code: keptCode)
        }
        if let nonce { try state.setNonce(address, nonce) }
        if let balance { try state.setBalance(address, balance) }
        if let code { try state.setCode(address, code) }
        for (slot, value) in storage { try state.setStorage(address, slot: slot, value) }
    }
}
