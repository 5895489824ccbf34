import AnkrChain
import AnkrCrypto
import AnkrEnclaveRegistry
import AnkrPrimitives

/// The Native Oracle System contract at `0x…a0002` (DESIGN.md §6, after Town Crier).
///
/// - `request(type, params, callback, selector)` payable, at least `minimumFee`: stores the request
///   (the params' hash; the params themselves travel in the `RequestInfo` event) and returns its id.
/// - `registerOracle(enclave)`: publishes an oracle enclave as the one `oracleKey()` names (the key
///   private requests are encrypted to). Only the account that registered the enclave in the
///   ``EnclaveRegistry`` (role oracle, registration live at the block's time) may publish it.
/// - `deliver(id, paramsHash, error, data, signature)`: accepted only with a signature over the
///   datagram (chain id, contract, request id, params hash, error, data) by an enclave key with a
///   live oracle registration in the ``EnclaveRegistry`` at the block's time, so an answer cannot be
///   forged, replayed on another request or chain, or given by anyone else; the account that
///   registered that enclave is the oracle's payee.
///   Then, if the request named a callback, NOS calls `callback.selector(uint256 id, uint64 error,
///   bytes data)` with exactly `callbackGasLimit` gas (the deliverer must supply it, so no relay can
///   starve a callback); the callback's failure does not undo the delivery (`CallbackResult` says how
///   it went). Fees: the oracle's payee gets `minimumFee` plus the callback's gas at the block's base
///   fee; the rest goes back to the requester, except when the error is the requester's own
///   (`invalidParams`): then the oracle keeps the whole fee.
/// - `cancel(id)`: the requester, while pending; all but `cancellationFee` (paid to `treasury`) comes back.
/// - views `getRequest(id)`, `getResponse(id)`, `oracleKey()`, `requestCount()`, `minimumFee()`, `cancellationFee()`.
public struct NOSContract: SystemContract {
    public static let address = try! Address(hex: "0x00000000000000000000000000000000000a0002")
    public static let maxParamsBytes = 4_096
    public static let maxDataBytes = 8_192
    public static let requestSignature = "request(uint8,bytes,address,bytes4)"
    public static let deliverSignature = "deliver(uint256,bytes32,uint64,bytes,bytes)"

    /// A gas limit that always covers `deliver` of an answer of `dataBytes` (storage, blob, log and
    /// calldata priced at their worst); unused gas is not charged.
    public static func deliverGasLimit(dataBytes: Int, callback: Bool = false) -> UInt64 {
        150_000 + 450 * UInt64(dataBytes) + (callback ? callbackGasLimit + callbackReserve : 0)
    }

    /// The gas a callback runs with.
    public static let callbackGasLimit: UInt64 = 500_000
    /// What `deliver` must still have after the callback (paying out, the log).
    static let callbackReserve: UInt64 = 30_000

    public let rules: OracleRules
    public var address: Address { Self.address }
    public var name: String { "NOS" }
    public var interface: ContractInterface { Self.interface }

    public init(rules: OracleRules) { self.rules = rules }

    public enum Status: UInt64, Sendable {
        case none = 0, pending = 1, delivered = 2, cancelled = 3
        /// The name RPC and CLI show ("none" for an unknown value).
        public static func name(of value: UInt64) -> String { "\(Status(rawValue: value) ?? .none)" }
    }

    private typealias P = ContractInterface.Parameter
    public static let interface = ContractInterface(
        functions: [
            .init("request", [P("requestType", .uint(bits: 8)), P("params", .bytes), P("callback", .address), P("selector", .fixedBytes(4))],
                  returns: [P("id", .uint(bits: 256))], .payable),
            .init("deliver", [P("id", .uint(bits: 256)), P("paramsHash", .fixedBytes(32)), P("error", .uint(bits: 64)), P("data", .bytes),
                              P("signature", .bytes)]),
            .init("cancel", [P("id", .uint(bits: 256))]),
            .init("registerOracle", [P("enclave", .address)]),
            .init("getRequest", [P("id", .uint(bits: 256))],
                  returns: [P("requester", .address), P("requestType", .uint(bits: 8)), P("paramsHash", .fixedBytes(32)), P("fee", .uint(bits: 256)),
                            P("callback", .address), P("selector", .fixedBytes(4)), P("status", .uint(bits: 8)), P("requestedAt", .uint(bits: 64))], .view),
            .init("getResponse", [P("id", .uint(bits: 256))], returns: [P("status", .uint(bits: 8)), P("error", .uint(bits: 64)), P("data", .bytes)], .view),
            .init("oracleKey", [], returns: [P("enclave", .address), P("publicKey", .bytes)], .view),
            .init("requestCount", [], returns: [P("count", .uint(bits: 256))], .view),
            .init("minimumFee", [], returns: [P("fee", .uint(bits: 256))], .view),
            .init("cancellationFee", [], returns: [P("fee", .uint(bits: 256))], .view),
        ],
        events: [
            .init("RequestInfo", [P("id", .uint(bits: 256), indexed: true), P("requester", .address, indexed: true), P("requestType", .uint(bits: 8)),
                                  P("params", .bytes), P("fee", .uint(bits: 256)), P("callback", .address), P("selector", .fixedBytes(4))]),
            .init("Delivered", [P("id", .uint(bits: 256), indexed: true), P("enclave", .address, indexed: true), P("error", .uint(bits: 64)), P("data", .bytes)]),
            .init("Cancelled", [P("id", .uint(bits: 256), indexed: true), P("refund", .uint(bits: 256))]),
            .init("CallbackResult", [P("id", .uint(bits: 256), indexed: true), P("success", .bool), P("gasUsed", .uint(bits: 256))]),
            .init("OracleRegistered", [P("enclave", .address, indexed: true), P("payee", .address, indexed: true), P("publicKey", .bytes)]),
        ])

    /// One lookup in the ``EnclaveRegistry``: a registration is about a dozen storage words, priced as cold reads.
    public static let registryLookupGas: UInt64 = 12 * SystemStorage.readWordGas
    /// What `deliver` charges, before either runs, for recovering the datagram's signer (as
    /// ecrecover) and looking it up: a hostile delivery pays for both.
    public static let signerCheckGas: UInt64 = 3_000 + registryLookupGas

    // Storage: 0 request count, 1 the enclave last published by registerOracle; keccak(10, id) + k the
    // request fields; keccak(11, id) the response data (blob), keccak(12, id) its error;
    // keccak(14, enclave) the published enclave's public key (blob). (Slot 13 held payees before
    // oracles registered in the EnclaveRegistry; it is no longer written.)
    private func requestSlot(_ id: UInt256, _ k: Int) -> UInt256 { Self.requestSlot(id, k) }
    private static func requestSlot(_ id: UInt256, _ k: Int) -> UInt256 { SystemStorage.slot(UInt256(10), id) &+ UInt256(k) }

    /// A delivered answer, as another system contract reads it (the Assets contract's valuations):
    /// nil unless request `id` was delivered. The reads are charged to `caller`, the reading
    /// contract's own metered storage.
    public static func deliveredAnswer(_ id: UInt256, chargedTo caller: inout SystemStorage) throws -> (error: UInt64, data: [UInt8], paramsHash: H256)? {
        var nos = SystemStorage(state: caller.state, address: address, gasLimit: caller.gasLimit - caller.gasUsed)
        defer { try? caller.charge(nos.gasUsed) }
        guard try nos.word(requestSlot(id, 6)) == UInt256(Status.delivered.rawValue) else { return nil }
        return (try nos.word(SystemStorage.slot(UInt256(12), id)).uint64 ?? 0, try nos.blob(SystemStorage.slot(UInt256(11), id)),
                try nos.hash(requestSlot(id, 2)))
    }

    public func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        try Self.interface.dispatch(call, storage: SystemStorage(state: state, address: address, gasLimit: call.gasAvailable)) { f, a, s, logs in
            switch f.name {
            case "request": return try request(a, call, &s, &logs)
            case "deliver": return try deliver(a, call, &s, &logs)
            case "cancel": return try cancel(a, call, &s, &logs)
            case "registerOracle": return try register(a, call, &s, &logs)
            case "getRequest":
                let id = a[0].uintValue ?? .zero
                return [.address(try s.address(requestSlot(id, 0))), .uint(try s.word(requestSlot(id, 1))), .fixedBytes(try s.hash(requestSlot(id, 2)).bytes),
                        .uint(try s.word(requestSlot(id, 3))), .address(try s.address(requestSlot(id, 4))),
                        .fixedBytes(Array((try s.word(requestSlot(id, 5))).bigEndianBytes.suffix(4))), .uint(try s.word(requestSlot(id, 6))),
                        .uint(try s.word(requestSlot(id, 7)))]
            case "getResponse":
                let id = a[0].uintValue ?? .zero
                return [.uint(try s.word(requestSlot(id, 6))), .uint(try s.word(SystemStorage.slot(UInt256(12), id))),
                        .bytes(try s.blob(SystemStorage.slot(UInt256(11), id)))]
            case "oracleKey":
                let enclave = try s.address(.one)
                return [.address(enclave), .bytes(try s.blob(SystemStorage.slot(UInt256(14), enclave.word)))]
            case "requestCount": return [.uint(try s.word(.zero))]
            case "minimumFee": return [.uint(rules.minimumFee)]
            default: return [.uint(rules.cancellationFee)]
            }
        }
    }

    private func request(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        guard let type = a[0].uintValue?.uint64, let kind = UInt8(exactly: type), OracleRequestKind.parse(kind) != nil else {
            throw revert("unknown request type \(a[0])", s)
        }
        let params = a[1].bytesValue ?? []
        guard !params.isEmpty, params.count <= Self.maxParamsBytes else { throw revert("params must be 1…\(Self.maxParamsBytes) bytes", s) }
        guard call.value >= rules.minimumFee else { throw revert("a request pays at least the minimum fee of \(rules.minimumFee) wei", s) }
        let callback = a[2].addressValue ?? .zero, selector = a[3].fixedBytesValue ?? [0, 0, 0, 0]
        let id = (try s.word(.zero)) &+ .one
        try s.setWord(.zero, id)
        try s.setAddress(requestSlot(id, 0), call.caller)
        try s.setWord(requestSlot(id, 1), UInt256(type))
        try s.charge(UInt64(params.count / 32 + 1) * 6)  // hashing the params
        try s.setHash(requestSlot(id, 2), Keccak256.h256(params))
        try s.setWord(requestSlot(id, 3), call.value)
        try s.setAddress(requestSlot(id, 4), callback)
        try s.setWord(requestSlot(id, 5), UInt256(bigEndian: selector) ?? .zero)
        try s.setWord(requestSlot(id, 6), UInt256(Status.pending.rawValue))
        try s.setWord(requestSlot(id, 7), UInt256(call.block.number))
        try s.charge(UInt64(params.count) * 8)  // log data
        logs.append(try Self.interface.log("RequestInfo", address: address, indexed: [id, call.caller.word],
                                           data: [.uint(UInt256(type)), .bytes(params), .uint(call.value), .address(callback), .fixedBytes(selector)]))
        return [.uint(id)]
    }

    private func deliver(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        let id = a[0].uintValue ?? .zero
        guard try s.word(requestSlot(id, 6)) == UInt256(Status.pending.rawValue) else { throw revert("request \(id) is not pending", s) }
        let paramsHash = (try? H256(a[1].fixedBytesValue ?? [])) ?? .zero
        guard paramsHash == (try s.hash(requestSlot(id, 2))) else { throw revert("the params hash is not request \(id)'s", s) }
        guard let errorValue = a[2].uintValue?.uint64, let code = OracleErrorCode(rawValue: errorValue) else { throw revert("unknown error code \(a[2])", s) }
        let data = a[3].bytesValue ?? []
        guard data.count <= Self.maxDataBytes else { throw revert("an answer is at most \(Self.maxDataBytes) bytes", s) }
        try s.charge(Self.signerCheckGas + UInt64(data.count / 32 + 1) * 6)  // the recovery, the registry lookup and the datagram hash
        let datagram = OracleDatagram(chainID: call.block.chainID, contract: address, requestID: id, paramsHash: paramsHash, error: errorValue, data: data)
        guard let enclave = try? datagram.signer(of: a[4].bytesValue ?? []) else { throw revert("the signature does not recover", s) }
        // An altered datagram recovers to some other key, which is not registered.
        guard let registration = EnclaveRegistry.registration(of: enclave, role: .oracle, state: s.state, time: call.block.timestamp) else {
            try s.charge(Self.registryLookupGas)  // the second lookup, which names the role the key holds instead
            throw revert(Self.unregistered(enclave, state: s.state, time: call.block.timestamp, altered: "the datagram"), s)
        }
        let payee = registration.registrant

        try s.setWord(requestSlot(id, 6), UInt256(Status.delivered.rawValue))
        try s.setWord(SystemStorage.slot(UInt256(12), id), UInt256(errorValue))
        try s.setBlob(SystemStorage.slot(UInt256(11), id), data)
        try s.charge(UInt64(data.count) * 8)
        logs.append(try Self.interface.log("Delivered", address: address, indexed: [id, enclave.word], data: [.uint(UInt256(errorValue)), .bytes(data)]))
        // The answer is stored before the callback runs, so the callback (or anything it calls) reads it as delivered.
        let callbackGas = try callBack(id, errorValue, data, call, &s, &logs)
        let fee = try s.word(requestSlot(id, 3))
        let requester = try s.address(requestSlot(id, 0))
        let (callbackCost, overflow) = UInt256(callbackGas).multipliedReportingOverflow(by: call.block.baseFee)
        let (share, shareOverflow) = rules.minimumFee.addingReportingOverflow(min(callbackCost, fee))
        let oracleShare = overflow || shareOverflow ? fee : min(fee, share)
        let earned = code.isRequesterFault ? fee : oracleShare
        try pay(payee, earned, s.state)
        try pay(requester, fee &- earned, s.state)
        return []
    }

    /// Calls the request's callback, if it named one; returns the gas it used.
    private func callBack(_ id: UInt256, _ error: UInt64, _ data: [UInt8], _ call: SystemCall, _ s: inout SystemStorage,
                          _ logs: inout [Log]) throws -> UInt64 {
        let callback = try s.address(requestSlot(id, 4))
        guard callback != .zero, let host = call.host else { return 0 }
        let needed = s.gasUsed + Self.callbackGasLimit + Self.callbackReserve
        guard call.gasAvailable >= needed else {
            throw revert("deliver needs \(needed) gas to give request \(id)'s callback its \(Self.callbackGasLimit)", s)
        }
        let selector = Array(try s.word(requestSlot(id, 5)).bigEndianBytes.suffix(4))
        let input = selector + (try ABI.encode([.uint(id), .uint(UInt256(error)), .bytes(data)], types: [.uint(bits: 256), .uint(bits: 64), .bytes]))
        let result = host.call(from: address, to: callback, input: input, gas: Self.callbackGasLimit)
        try s.charge(result.gasUsed)
        logs.append(try Self.interface.log("CallbackResult", address: address, indexed: [id],
                                           data: [.bool(result.succeeded), .uint(UInt256(result.gasUsed))]))
        return result.gasUsed
    }

    private func cancel(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        let id = a[0].uintValue ?? .zero
        guard try s.word(requestSlot(id, 6)) == UInt256(Status.pending.rawValue) else { throw revert("request \(id) is not pending", s) }
        guard try s.address(requestSlot(id, 0)) == call.caller else { throw revert("only the requester cancels request \(id)", s) }
        try s.setWord(requestSlot(id, 6), UInt256(Status.cancelled.rawValue))
        let fee = try s.word(requestSlot(id, 3))
        let kept = min(fee, rules.cancellationFee)
        try pay(rules.treasury, kept, s.state)
        try pay(call.caller, fee &- kept, s.state)
        logs.append(try Self.interface.log("Cancelled", address: address, indexed: [id], data: [.uint(fee &- kept)]))
        return []
    }

    private func register(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        let enclave = a[0].addressValue ?? .zero
        try s.charge(Self.registryLookupGas)
        guard let registration = EnclaveRegistry.registration(of: enclave, role: .oracle, state: s.state, time: call.block.timestamp) else {
            try s.charge(Self.registryLookupGas)
            throw revert(Self.unregistered(enclave, state: s.state, time: call.block.timestamp, altered: nil), s)
        }
        // Whoever registered the enclave runs it (and is paid for its answers): only they may make it the published oracle.
        guard registration.registrant == call.caller else {
            throw revert("\(enclave.checksummed) was registered by \(registration.registrant.checksummed); only that account may publish it", s)
        }
        try s.setBlob(SystemStorage.slot(UInt256(14), enclave.word), registration.key)
        try s.setAddress(.one, enclave)
        logs.append(try Self.interface.log("OracleRegistered", address: address, indexed: [enclave.word, call.caller.word], data: [.bytes(registration.key)]))
        return []
    }

    /// Why `enclave` may not answer: the revert reason names the role it holds instead, if any.
    private static func unregistered(_ enclave: Address, state: WorldState, time: UInt64, altered: String?) -> String {
        if EnclaveRegistry.registration(of: enclave, role: .miner, state: state, time: time) != nil {
            return "\(enclave.checksummed) is registered as a miner enclave, not an oracle enclave"
        }
        return "\(enclave.checksummed) is not a registered oracle enclave (never registered, expired or revoked\(altered.map { "; or \($0) was altered" } ?? ""))"
    }

    /// Moves `amount` of the contract's balance (the escrowed fees) to `to`.
    private func pay(_ to: Address, _ amount: UInt256, _ state: WorldState) throws {
        guard !amount.isZero else { return }
        try state.subtractBalance(address, amount)
        try state.addBalance(to, amount)
    }

    private func revert(_ why: String, _ s: SystemStorage) -> SystemCallError { .reverted(why, gasUsed: s.gasUsed) }
}
