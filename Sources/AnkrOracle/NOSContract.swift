import AnkrChain
import AnkrCrypto
import AnkrEnclaveRegistry
import AnkrPrimitives

/// The Native Oracle System contract at `0x…a0002` (DESIGN.md §6, after Town Crier).
///
/// - `request(type, params, callback, selector, maxGasPrice, enclaves)` payable: stores the request
///   (the params' hash; the params themselves travel in the `RequestInfo` event) and returns its id.
///   `maxGasPrice` is the most the requester pays per gas of the deliveries (and callback);
///   `enclaves` (k, 1…``maxEnclaves``) how many distinct oracle enclaves on distinct platforms must
///   answer. The value must cover `requiredEscrow(type, callback, maxGasPrice, enclaves)`, or the
///   request reverts naming the amount. The older `request(type, params, callback, selector)` asks
///   one enclave, with the largest `maxGasPrice` its value covers (at least `oracleFee`).
/// - `registerOracle(enclave)`: publishes an oracle enclave as the one `oracleKey()` names (the key
///   private requests are encrypted to). Only the account that registered the enclave in the
///   ``EnclaveRegistry`` (role oracle, registration live at the block's time) may publish it.
/// - `deliver(id, paramsHash, error, data, signature)`: accepted only with a signature over the
///   datagram (chain id, contract, request id, params hash, error, data) by an enclave key with a
///   live oracle registration in the ``EnclaveRegistry`` at the block's time, so an answer cannot be
///   forged, replayed on another request or chain, or given by anyone else; the account that
///   registered that enclave is the oracle's payee. A k > 1 request collects answers until the k-th
///   (one per enclave and per platform), then delivers their aggregate (`QuorumAggregate`).
///   Then, if the request named a callback, NOS calls `callback.selector(uint256 id, uint64 error,
///   bytes data)` with exactly `callbackGasLimit` gas (the deliverer must supply it, so no relay can
///   starve a callback); the callback's failure does not undo the delivery (`CallbackResult` says how
///   it went). Fees: see NOSContract+Request.swift — every delivery's gas is reimbursed to its
///   sender at min(base fee + min(tip, `maxReimbursedTip`), `maxGasPrice`), each answer earns
///   `oracleFee`, the rest of the escrow always goes back to the requester. A private request (type
///   bit 0x80) asks one enclave, the one `oracleKey()` named when it was made: only it may answer.
/// - `cancel(id)`: the requester, while pending; all but `cancellationFee` (paid to `treasury`) of
///   the escrow left comes back.
/// - views `getRequest(id)`, `requestTerms(id)`, `answeredBy(id, enclave)`, `getResponse(id)`, `oracleKey()`,
///   `requestCount()`, `oracleFee()`, `minimumFee()` (the same: the least a request can escrow, at a zero cap),
///   `requiredEscrow(type, callback, maxGasPrice, enclaves)`, `cancellationFee()`, `maxReimbursedTip()`.
public struct NOSContract: SystemContract {
    public static let address = try! Address(hex: "0x00000000000000000000000000000000000a0002")
    public static let maxParamsBytes = 4_096
    public static let maxDataBytes = 8_192
    public static let requestSignature = "request(uint8,bytes,address,bytes4)"
    /// The request with a gas price cap and a count of enclaves (k of n).
    public static let cappedRequestSignature = "request(uint8,bytes,address,bytes4,uint256,uint8)"
    public static let deliverSignature = "deliver(uint256,bytes32,uint64,bytes,bytes)"

    /// A gas limit that always covers `deliver` of an answer of `dataBytes` (storage, blob, log and
    /// calldata priced at their worst), one of `enclaves` answers; unused gas is not charged.
    public static func deliverGasLimit(dataBytes: Int, callback: Bool = false, enclaves: UInt8 = 1) -> UInt64 {
        150_000 + 450 * UInt64(min(max(0, dataBytes), maxDataBytes)) + (callback ? callbackGasLimit + callbackReserve : 0)
            + (enclaves > 1 ? quorumAnswerGas : 0)
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
            .init("request", [P("requestType", .uint(bits: 8)), P("params", .bytes), P("callback", .address), P("selector", .fixedBytes(4)),
                              P("maxGasPrice", .uint(bits: 256)), P("enclaves", .uint(bits: 8))],
                  returns: [P("id", .uint(bits: 256))], .payable),
            .init("deliver", [P("id", .uint(bits: 256)), P("paramsHash", .fixedBytes(32)), P("error", .uint(bits: 64)), P("data", .bytes),
                              P("signature", .bytes)]),
            .init("cancel", [P("id", .uint(bits: 256))]),
            .init("registerOracle", [P("enclave", .address)]),
            .init("getRequest", [P("id", .uint(bits: 256))],
                  returns: [P("requester", .address), P("requestType", .uint(bits: 8)), P("paramsHash", .fixedBytes(32)), P("fee", .uint(bits: 256)),
                            P("callback", .address), P("selector", .fixedBytes(4)), P("status", .uint(bits: 8)), P("requestedAt", .uint(bits: 64))], .view),
            .init("requestTerms", [P("id", .uint(bits: 256))],
                  returns: [P("maxGasPrice", .uint(bits: 256)), P("enclaves", .uint(bits: 8)), P("answers", .uint(bits: 8)), P("escrowLeft", .uint(bits: 256)),
                            P("sealedTo", .address)], .view),
            .init("answeredBy", [P("id", .uint(bits: 256)), P("enclave", .address)], returns: [P("answered", .bool)], .view),
            .init("getResponse", [P("id", .uint(bits: 256))], returns: [P("status", .uint(bits: 8)), P("error", .uint(bits: 64)), P("data", .bytes)], .view),
            .init("oracleKey", [], returns: [P("enclave", .address), P("publicKey", .bytes)], .view),
            .init("requestCount", [], returns: [P("count", .uint(bits: 256))], .view),
            .init("minimumFee", [], returns: [P("fee", .uint(bits: 256))], .view),
            .init("oracleFee", [], returns: [P("fee", .uint(bits: 256))], .view),
            .init("requiredEscrow", [P("requestType", .uint(bits: 8)), P("callback", .bool), P("maxGasPrice", .uint(bits: 256)), P("enclaves", .uint(bits: 8))],
                  returns: [P("escrow", .uint(bits: 256))], .view),
            .init("cancellationFee", [], returns: [P("fee", .uint(bits: 256))], .view),
            .init("maxReimbursedTip", [], returns: [P("tip", .uint(bits: 256))], .view),
        ] + scheduleFunctions,
        events: [
            .init("RequestInfo", [P("id", .uint(bits: 256), indexed: true), P("requester", .address, indexed: true), P("requestType", .uint(bits: 8)),
                                  P("params", .bytes), P("fee", .uint(bits: 256)), P("callback", .address), P("selector", .fixedBytes(4))]),
            .init("Delivered", [P("id", .uint(bits: 256), indexed: true), P("enclave", .address, indexed: true), P("error", .uint(bits: 64)), P("data", .bytes)]),
            .init("Answered", [P("id", .uint(bits: 256), indexed: true), P("enclave", .address, indexed: true), P("error", .uint(bits: 64)),
                               P("dataHash", .fixedBytes(32)), P("answers", .uint(bits: 8))]),
            .init("QuorumReached", [P("id", .uint(bits: 256), indexed: true), P("answers", .uint(bits: 8)), P("agreeing", .uint(bits: 8))]),
            .init("Cancelled", [P("id", .uint(bits: 256), indexed: true), P("refund", .uint(bits: 256))]),
            .init("CallbackResult", [P("id", .uint(bits: 256), indexed: true), P("success", .bool), P("gasUsed", .uint(bits: 256))]),
            .init("OracleRegistered", [P("enclave", .address, indexed: true), P("payee", .address, indexed: true), P("publicKey", .bytes)]),
        ] + scheduleEvents)

    /// One lookup in the ``EnclaveRegistry``: a registration is about a dozen storage words, priced as cold reads.
    public static let registryLookupGas: UInt64 = 12 * SystemStorage.readWordGas
    /// What `deliver` charges, before either runs, for recovering the datagram's signer (as
    /// ecrecover) and looking it up: a hostile delivery pays for both.
    public static let signerCheckGas: UInt64 = 3_000 + registryLookupGas

    // Storage: 0 request count, 1 the enclave last published by registerOracle; keccak(10, id) + k the
    // request fields (laid out in NOSContract+Request.swift); keccak(11, id) the response data (blob),
    // keccak(12, id) its error; keccak(14, enclave) the published enclave's public key (blob);
    // keccak(15, id), keccak(16, id, hash) the answers of a k > 1 request collecting them. (Slot 13
    // held payees before oracles registered in the EnclaveRegistry; it is no longer written.)
    private func requestSlot(_ id: UInt256, _ k: Int) -> UInt256 { Self.requestSlot(id, k) }
    static func requestSlot(_ id: UInt256, _ k: Int) -> UInt256 { SystemStorage.slot(UInt256(10), id) &+ UInt256(k) }

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
            if let out = try callSchedule(f, a, call, &s, &logs) { return out }
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
            case "requestTerms":
                let id = a[0].uintValue ?? .zero
                // Records from before k-of-n: one enclave, the whole escrow left while pending.
                let wanted = try s.word(requestSlot(id, 9))
                let pending = try s.word(requestSlot(id, 6)) == UInt256(Status.pending.rawValue)
                let left = wanted.isZero && pending ? try s.word(requestSlot(id, 3)) : try s.word(requestSlot(id, 11))
                // Their cap is the one their escrow implies; sealedTo is a private request's only enclave (zero: any).
                return [.uint(try effectiveCap(id, &s)), .uint(wanted.isZero ? .one : wanted), .uint(try s.word(requestSlot(id, 10))), .uint(left),
                        .address(try s.address(requestSlot(id, 12)))]
            case "answeredBy": return [.bool(try answered(a[0].uintValue ?? .zero, by: a[1].addressValue ?? .zero, &s))]
            case "minimumFee", "oracleFee": return [.uint(rules.minimumFee)]
            case "maxReimbursedTip": return [.uint(rules.maxReimbursedTip)]
            case "requiredEscrow":
                let type = UInt8(clamping: a[0].uintValue?.uint64 ?? 0), enclaves = UInt8(clamping: a[3].uintValue?.uint64 ?? 0)
                guard let escrow = requiredEscrow(type: type, callback: a[1] == .bool(true), maxGasPrice: a[2].uintValue ?? .zero, enclaves: enclaves) else {
                    throw revert("no escrow covers that request (enclaves must be 1…\(Self.maxEnclaves); the sum must fit 256 bits)", s)
                }
                return [.uint(escrow)]
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
        let callback = a[2].addressValue ?? .zero, selector = a[3].fixedBytesValue ?? [0, 0, 0, 0]
        let maxGasPrice: UInt256, enclaves: UInt8
        if a.count >= 6 {
            guard let k = a[5].uintValue?.uint64, let wanted = UInt8(exactly: k), wanted >= 1, wanted <= Self.maxEnclaves else {
                throw revert("enclaves must be 1…\(Self.maxEnclaves), not \(a[5])", s)
            }
            maxGasPrice = a[4].uintValue ?? .zero
            enclaves = wanted
        } else {
            // The four-argument form: the largest cap the value covers.
            guard let implied = impliedMaxGasPrice(value: call.value, callback: callback != .zero) else {
                throw revert("a request pays at least the minimum fee (the oracle fee) of \(rules.minimumFee) wei", s)
            }
            // Its cap is all it says: one below today's base fee would leave the request waiting with no one able to
            // change it, so it is refused up front (the capped request states a cap and may wait on purpose).
            guard implied >= call.block.baseFee else {
                let needed = requiredEscrow(type: kind, callback: callback != .zero, maxGasPrice: call.block.baseFee, enclaves: 1)
                throw revert("a request paying \(call.value) wei covers a delivery at \(implied) wei per gas, below the base fee of \(call.block.baseFee); pay at least \(needed.map { "\($0)" } ?? "more") wei or state a cap", s)
            }
            maxGasPrice = implied
            enclaves = 1
        }
        // Private params are sealed to the published enclave (oracleKey): only it can read them, so only it may answer,
        // and k-of-n cannot apply.
        var sealedTo = Address.zero
        if kind & OracleRequestKind.privateFlag != 0 {
            guard enclaves == 1 else {
                throw revert("a private request is answered by the one enclave its params are sealed to (oracleKey): enclaves must be 1, not \(enclaves)", s)
            }
            sealedTo = try s.address(.one)
            guard sealedTo != .zero else { throw revert("no oracle enclave is published (oracleKey): a private request has no one to answer it", s) }
        }
        guard let needed = requiredEscrow(type: kind, callback: callback != .zero, maxGasPrice: maxGasPrice, enclaves: enclaves) else {
            throw revert("no escrow covers a cap of \(maxGasPrice) wei per gas for \(enclaves) enclaves", s)
        }
        guard call.value >= needed else {
            throw revert("a request with maxGasPrice \(maxGasPrice) and \(enclaves) enclave(s) escrows at least \(needed) wei; it sent \(call.value)", s)
        }
        let id = (try s.word(.zero)) &+ .one
        try s.setWord(.zero, id)
        try s.charge(UInt64(params.count / 32 + 1) * 6)  // hashing the params
        try openRequest(id: id, requester: call.caller, type: kind, paramsHash: Keccak256.h256(params), escrow: call.value, callback: callback,
                        selector: selector, maxGasPrice: maxGasPrice, enclaves: enclaves, call: call, &s)
        if sealedTo != .zero { try s.setAddress(requestSlot(id, 12), sealedTo) }
        try s.charge(UInt64(params.count) * 8)  // log data
        logs.append(try Self.interface.log("RequestInfo", address: address, indexed: [id, call.caller.word],
                                           data: [.uint(UInt256(type)), .bytes(params), .uint(call.value), .address(callback), .fixedBytes(selector)]))
        return [.uint(id)]
    }

    private func deliver(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        guard let errorValue = a[2].uintValue?.uint64 else { throw revert("unknown error code \(a[2])", s) }
        // A scheduled round's answers keep its schedule's progress: they go through deliverScheduled only.
        if let r = Self.scheduledRound(of: a[0].uintValue ?? .zero) {
            throw revert("request \(a[0].uintValue ?? .zero) is round \(r.round) of schedule \(r.schedule): answer it with deliverScheduled", s)
        }
        try acceptDelivery(id: a[0].uintValue ?? .zero, paramsHash: (try? H256(a[1].fixedBytesValue ?? [])) ?? .zero, error: errorValue,
                           data: a[3].bytesValue ?? [], signature: a[4].bytesValue ?? [], call: call, &s, &logs)
        return []
    }

    /// Calls the request's callback, if it named one; returns the gas it used.
    @discardableResult
    func callBack(_ id: UInt256, _ error: UInt64, _ data: [UInt8], _ call: SystemCall, _ s: inout SystemStorage,
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
        // What is left of the escrow (a k > 1 request may have paid some answers already).
        let fee = try s.word(requestSlot(id, 9)).isZero ? try s.word(requestSlot(id, 3)) : try s.word(requestSlot(id, 11))
        try s.setWord(requestSlot(id, 11), .zero)
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
    static func unregistered(_ enclave: Address, state: WorldState, time: UInt64, altered: String?) -> String {
        if EnclaveRegistry.registration(of: enclave, role: .miner, state: state, time: time) != nil {
            return "\(enclave.checksummed) is registered as a miner enclave, not an oracle enclave"
        }
        return "\(enclave.checksummed) is not a registered oracle enclave (never registered, expired or revoked\(altered.map { "; or \($0) was altered" } ?? ""))"
    }

    /// Moves `amount` of the contract's balance (the escrowed fees) to `to`.
    func pay(_ to: Address, _ amount: UInt256, _ state: WorldState) throws {
        guard !amount.isZero else { return }
        try state.subtractBalance(address, amount)
        try state.addBalance(to, amount)
    }

    func revert(_ why: String, _ s: SystemStorage) -> SystemCallError { .reverted(why, gasUsed: s.gasUsed) }
}
