import AnkrChain
import AnkrCrypto
import AnkrEnclaveRegistry
import AnkrPrimitives

/// The life of a request record: opening it with its escrow, collecting its answers (k of n
/// enclaves), aggregating them and settling the escrow.
///
/// Fees (white paper §6.1: an honest relay never loses money, an honest requester never overpays):
/// each answer pays its deliverer (the transaction's sender) the gas its delivery transaction used,
/// intrinsic gas (less any access list's part) and refunds included, at min(base fee + min(tip,
/// `maxReimbursedTip`), the request's `maxGasPrice`), plus `oracleFee` to the answering enclave's
/// registrant; the last answer also settles the rest of the escrow back to the requester, whatever
/// the answer (an error of the requester's own making too: the deliverer has its gas and fee, and
/// nobody else earns the rest). An answer's gas is
/// reimbursed up to the gas limit relays deliver it with, never above the worst case the escrow
/// reserved for it, so the escrow always suffices.
///
/// Storage of a request, keccak(10, id) + k: 0 requester, 1 type, 2 params hash, 3 escrow paid,
/// 4 callback, 5 selector, 6 status, 7 block requested at, 8 maxGasPrice, 9 enclaves wanted (k; 0 in
/// records older than k-of-n, read as 1), 10 answers collected, 11 escrow left (records older than
/// k-of-n hold 0 and are read as their whole escrow), 12 for a private type the enclave NOS published
/// (`oracleKey`) when it was made, the only one that may answer it. For k > 1 each answer but the last is kept at
/// keccak(15, id) + 3j: 0 enclave ‖ error ‖ data length (160 + 64 + 32 bits), 1 platform id,
/// 2 keccak(data); each distinct answer's data once, as a blob at keccak(16, id, keccak(data)).
extension NOSContract {
    /// The most enclaves a request may ask to agree.
    public static let maxEnclaves: UInt8 = 7
    /// What one answer of a k > 1 request adds to a delivery at worst: its record, the duplicate
    /// scans and, on the last answer, reading and aggregating the others.
    public static let quorumAnswerGas: UInt64 = 250_000
    /// Paying out: the balance moves and the escrow-left word.
    static let settlementGas: UInt64 = 9_000 + SystemStorage.updateWordGas

    /// The most gas one delivery transaction of a request can use (intrinsic gas included), which is
    /// the gas the escrow reserves for it: the worst answer size, the callback if `callback`, the
    /// quorum bookkeeping if `enclaves > 1`.
    public static func worstDeliveryGas(callback: Bool, enclaves: UInt8) -> UInt64 {
        deliverGasLimit(dataBytes: maxDataBytes, callback: callback, enclaves: enclaves)
    }

    /// The least escrow a request needs: per answer the oracle fee plus its worst-case delivery gas at
    /// `maxGasPrice`, and once the callback's gas at `maxGasPrice`. Nil when it does not fit 256 bits
    /// (or `enclaves` is out of range, which the request refuses anyway). `type` does not change the
    /// bound today: every kind may answer up to `maxDataBytes`.
    func requiredEscrow(type: UInt8, callback: Bool, maxGasPrice: UInt256, enclaves: UInt8) -> UInt256? {
        guard enclaves >= 1, enclaves <= Self.maxEnclaves else { return nil }
        let answerGas = UInt256(Self.worstDeliveryGas(callback: false, enclaves: enclaves))
        let (answerCost, o1) = answerGas.multipliedReportingOverflow(by: maxGasPrice)
        let (perAnswer, o2) = answerCost.addingReportingOverflow(rules.minimumFee)
        let (answers, o3) = perAnswer.multipliedReportingOverflow(by: UInt256(UInt64(enclaves)))
        let callbackGas = UInt256(callback ? Self.callbackGasLimit + Self.callbackReserve : 0)
        let (callbackCost, o4) = callbackGas.multipliedReportingOverflow(by: maxGasPrice)
        let (total, o5) = answers.addingReportingOverflow(callbackCost)
        return o1 || o2 || o3 || o4 || o5 ? nil : total
    }

    /// The largest `maxGasPrice` an escrow of `value` covers for a single-enclave request (the
    /// implicit cap of the four-argument `request`); nil when `value` is below the oracle fee.
    func impliedMaxGasPrice(value: UInt256, callback: Bool) -> UInt256? {
        guard value >= rules.minimumFee else { return nil }
        let gas = UInt256(Self.worstDeliveryGas(callback: false, enclaves: 1) + (callback ? Self.callbackGasLimit + Self.callbackReserve : 0))
        return (value &- rules.minimumFee) / gas
    }

    /// Stores a pending request record (all fields above), emits nothing; `escrow` is already in
    /// NOS's balance. Reverts when `enclaves` is outside 1…``maxEnclaves`` or an id is reused.
    func openRequest(id: UInt256, requester: Address, type: UInt8, paramsHash: H256, escrow: UInt256, callback: Address,
                     selector: [UInt8], maxGasPrice: UInt256, enclaves: UInt8, call: SystemCall, _ s: inout SystemStorage) throws {
        guard enclaves >= 1, enclaves <= Self.maxEnclaves else { throw revert("enclaves must be 1…\(Self.maxEnclaves), not \(enclaves)", s) }
        guard try s.word(Self.requestSlot(id, 6)).isZero else { throw revert("request \(id) already exists", s) }
        try s.setAddress(Self.requestSlot(id, 0), requester)
        try s.setWord(Self.requestSlot(id, 1), UInt256(UInt64(type)))
        try s.setHash(Self.requestSlot(id, 2), paramsHash)
        try s.setWord(Self.requestSlot(id, 3), escrow)
        try s.setAddress(Self.requestSlot(id, 4), callback)
        try s.setWord(Self.requestSlot(id, 5), UInt256(bigEndian: selector.prefix(4)) ?? .zero)
        try s.setWord(Self.requestSlot(id, 6), UInt256(Status.pending.rawValue))
        try s.setWord(Self.requestSlot(id, 7), UInt256(call.block.number))
        try s.setWord(Self.requestSlot(id, 8), maxGasPrice)
        try s.setWord(Self.requestSlot(id, 9), UInt256(UInt64(enclaves)))
        try s.setWord(Self.requestSlot(id, 11), escrow)
    }

    /// The whole of `deliver(id, …)` after ABI decoding: the signature and registry check, k-of-n
    /// collection (distinct enclaves on distinct platforms), storing the answer, the callback, and
    /// settling the fees from the request's escrow. Used by `deliver` and by `deliverScheduled`.
    func acceptDelivery(id: UInt256, paramsHash: H256, error errorValue: UInt64, data: [UInt8], signature: [UInt8], call: SystemCall,
                        _ s: inout SystemStorage, _ logs: inout [Log]) throws {
        guard try s.word(Self.requestSlot(id, 6)) == UInt256(Status.pending.rawValue) else { throw revert("request \(id) is not pending", s) }
        guard paramsHash == (try s.hash(Self.requestSlot(id, 2))) else { throw revert("the params hash is not request \(id)'s", s) }
        guard OracleErrorCode(rawValue: errorValue) != nil else { throw revert("unknown error code \(errorValue)", s) }
        guard data.count <= Self.maxDataBytes else { throw revert("an answer is at most \(Self.maxDataBytes) bytes", s) }
        try s.charge(Self.signerCheckGas + UInt64(data.count / 32 + 1) * 6)  // the recovery, the registry lookup and the datagram hash
        let datagram = OracleDatagram(chainID: call.block.chainID, contract: address, requestID: id, paramsHash: paramsHash, error: errorValue, data: data)
        guard let enclave = try? datagram.signer(of: signature) else { throw revert("the signature does not recover", s) }
        // An altered datagram recovers to some other key, which is not registered.
        guard let registration = EnclaveRegistry.registration(of: enclave, role: .oracle, state: s.state, time: call.block.timestamp) else {
            try s.charge(Self.registryLookupGas)  // the second lookup, which names the role the key holds instead
            throw revert(Self.unregistered(enclave, state: s.state, time: call.block.timestamp, altered: "the datagram"), s)
        }
        // A private request's params are sealed to the enclave published when it was made: no other enclave may answer it
        // (its validly signed privateParamsNotForThisEnclave would end the request and take the fee).
        let sealedTo = try s.address(Self.requestSlot(id, 12))
        if sealedTo != .zero, sealedTo != enclave {
            throw revert("request \(id) is private, sealed to enclave \(sealedTo.checksummed): \(enclave.checksummed) may not answer it", s)
        }
        let wanted = max(UInt64(1), try s.word(Self.requestSlot(id, 9)).uint64 ?? 1)
        let answer = QuorumAnswer(enclave: enclave, platform: registration.platformID, error: errorValue, dataHash: Keccak256.h256(data),
                                  length: UInt64(data.count))
        guard wanted > 1 else {
            try finish(id, error: errorValue, data: data, enclave: enclave, answers: 1, agreeing: nil, call, &s, &logs)
            try settle(id, payee: registration.registrant, final: true, enclaves: 1, dataBytes: data.count, call, &s)
            return
        }
        let count = try s.word(Self.requestSlot(id, 10)).uint64 ?? 0
        var earlier = [QuorumAnswer]()
        for j in 0..<count {
            let a = try quorumAnswer(id, j, &s)
            guard a.enclave != enclave else { throw revert("enclave \(enclave.checksummed) already answered request \(id)", s) }
            guard a.platform != answer.platform else {
                throw revert("an enclave on platform \(answer.platform) already answered request \(id); k-of-n needs distinct platforms", s)
            }
            earlier.append(a)
        }
        let enclaves = UInt8(clamping: wanted)
        guard count + 1 >= wanted else {
            try store(answer, at: count, data: data, id, &s)
            try s.setWord(Self.requestSlot(id, 10), UInt256(count + 1))
            logs.append(try Self.interface.log("Answered", address: address, indexed: [id, enclave.word],
                                               data: [.uint(UInt256(errorValue)), .fixedBytes(answer.dataHash.bytes), .uint(UInt256(count + 1))]))
            try settle(id, payee: registration.registrant, final: false, enclaves: enclaves, dataBytes: data.count, call, &s)
            return
        }
        let type = UInt8(clamping: try s.word(Self.requestSlot(id, 1)).uint64 ?? 0)
        var all = earlier
        all.append(answer)
        var blobs: [H256: [UInt8]] = [answer.dataHash: data]
        let result = try QuorumAggregate(kind: OracleRequestKind.parse(type), maxDeviationBps: rules.quorumDeviationBps)
            .aggregate(all) { hash in
                if let known = blobs[hash] { return known }
                let bytes = try s.blob(SystemStorage.slot(UInt256(16), id, UInt256(bigEndian: hash.bytes) ?? .zero))
                blobs[hash] = bytes
                return bytes
            }
        try s.charge(UInt64(all.count) * 200)  // decoding and sorting the values
        try finish(id, error: result.error, data: result.data, enclave: enclave, answers: all.count, agreeing: result.agreeing, call, &s, &logs)
        // The k-th answer stores the majority's answer, which may be an earlier enclave's (up to maxDataBytes), not its own.
        try settle(id, payee: registration.registrant, final: true, enclaves: enclaves, dataBytes: Self.maxDataBytes, call, &s)
    }

    /// Whether `enclave` has answered request `id` (a k > 1 request still collecting answers; for
    /// any other request, whether it delivered the answer is in the `Delivered` log).
    func answered(_ id: UInt256, by enclave: Address, _ s: inout SystemStorage) throws -> Bool {
        let count = min(try s.word(Self.requestSlot(id, 10)).uint64 ?? 0, UInt64(Self.maxEnclaves))
        for j in 0..<count {
            if try quorumAnswer(id, j, &s).enclave == enclave { return true }
        }
        return false
    }

    // MARK: Collecting

    private static func answerSlot(_ id: UInt256, _ j: UInt64, _ k: UInt64) -> UInt256 {
        SystemStorage.slot(UInt256(15), id) &+ UInt256(3 * j + k)
    }

    private func store(_ a: QuorumAnswer, at j: UInt64, data: [UInt8], _ id: UInt256, _ s: inout SystemStorage) throws {
        let packed = a.enclave.word.shiftedLeft(96) | UInt256(a.error).shiftedLeft(32) | UInt256(a.length)
        try s.setWord(Self.answerSlot(id, j, 0), packed)
        try s.setHash(Self.answerSlot(id, j, 1), a.platform)
        try s.setHash(Self.answerSlot(id, j, 2), a.dataHash)
        // Each distinct answer's bytes once: honest enclaves agreeing store them a single time.
        let blob = SystemStorage.slot(UInt256(16), id, UInt256(bigEndian: a.dataHash.bytes) ?? .zero)
        if !data.isEmpty, try s.word(blob).isZero { try s.setBlob(blob, data) }
    }

    private func quorumAnswer(_ id: UInt256, _ j: UInt64, _ s: inout SystemStorage) throws -> QuorumAnswer {
        let packed = try s.word(Self.answerSlot(id, j, 0))
        let enclave = (try? Address(Array(packed.shiftedRight(96).bigEndianBytes.suffix(20)))) ?? .zero
        let error = (packed.shiftedRight(32) & UInt256(UInt64.max)).uint64 ?? 0
        let length = (packed & UInt256(UInt64(UInt32.max))).uint64 ?? 0
        return QuorumAnswer(enclave: enclave, platform: try s.hash(Self.answerSlot(id, j, 1)), error: error,
                            dataHash: try s.hash(Self.answerSlot(id, j, 2)), length: length)
    }

    // MARK: Delivering and paying

    /// Stores the final answer, logs it and runs the callback.
    private func finish(_ id: UInt256, error: UInt64, data: [UInt8], enclave: Address, answers: Int, agreeing: Int?, _ call: SystemCall,
                        _ s: inout SystemStorage, _ logs: inout [Log]) throws {
        try s.setWord(Self.requestSlot(id, 6), UInt256(Status.delivered.rawValue))
        try s.setWord(SystemStorage.slot(UInt256(12), id), UInt256(error))
        try s.setBlob(SystemStorage.slot(UInt256(11), id), data)
        try s.charge(UInt64(data.count) * 8)
        if let agreeing {
            logs.append(try Self.interface.log("QuorumReached", address: address, indexed: [id],
                                               data: [.uint(UInt256(UInt64(answers))), .uint(UInt256(UInt64(agreeing)))]))
        }
        logs.append(try Self.interface.log("Delivered", address: address, indexed: [id, enclave.word], data: [.uint(UInt256(error)), .bytes(data)]))
        // The answer is stored before the callback runs, so the callback (or anything it calls) reads it as delivered.
        try callBack(id, error, data, call, &s, &logs)
    }

    /// Pays one answer: the deliverer its transaction's gas at min(base fee + min(tip, `maxReimbursedTip`),
    /// the cap; for records older than gas caps the cap their escrow implies), at most the
    /// gas limit a delivery of this answer needs (``deliverGasLimit(dataBytes:callback:enclaves:)``, what
    /// relays send with, so an honest delivery is covered whole while padding the calldata or an
    /// access list cannot draw on the escrow beyond it); the answering enclave's registrant the oracle fee; on the final
    /// answer the rest of the escrow to the requester, always.
    /// Runs last: the gas it counts is the delivery's whole gas, the escrow word's update included.
    private func settle(_ id: UInt256, payee: Address, final: Bool, enclaves: UInt8, dataBytes: Int, _ call: SystemCall,
                        _ s: inout SystemStorage) throws {
        let escrowSlot = Self.requestSlot(id, 11)
        let stored = try s.word(escrowSlot)
        // Records from before k-of-n kept no escrow-left word: their whole escrow is left.
        let legacy = try s.word(Self.requestSlot(id, 9)).isZero
        var left = legacy ? try s.word(Self.requestSlot(id, 3)) : stored
        let requester = try s.address(Self.requestSlot(id, 0))
        let hasCallback = try s.address(Self.requestSlot(id, 4)) != .zero
        let cap = try effectiveCap(id, &s)
        try s.charge(Self.settlementGas - SystemStorage.updateWordGas)  // the escrow word's update is charged by its write below

        // The transaction's gas as its sender pays it: intrinsic + this call's, less the refund it will get.
        let (ownGas, o0) = s.gasUsed.addingReportingOverflow(SystemStorage.updateWordGas)
        let (total, overflow) = call.intrinsicGas.addingReportingOverflow(ownGas)
        var used = overflow || o0 ? UInt64.max : total
        if call.intrinsicGas > 0, let refund = call.host?.gasRefund, refund > 0 { used -= min(UInt64(refund), used / 5) }
        // The delivery that opened a scheduled round also paid for opening it (NOSContract+Schedule.swift), which the round's
        // escrow covers once: only that delivery may draw on it.
        let reserved = Self.deliverGasLimit(dataBytes: dataBytes, callback: final && hasCallback, enclaves: enclaves)
            + (Self.deliveryOpenedRound(id, state: s.state) ? Self.scheduledRoundOverheadGas : 0)
        // The tip only up to maxReimbursedTip: what a block producer delivering its own answer earns as coinbase beyond that is not the escrow's.
        let tip = call.gasPrice > call.block.baseFee ? call.gasPrice &- call.block.baseFee : .zero
        let (reimbursedPrice, o2) = call.block.baseFee.addingReportingOverflow(min(tip, rules.maxReimbursedTip))
        let price = min(min(o2 ? .max : reimbursedPrice, call.gasPrice), cap)
        let (gasCost, o1) = UInt256(min(used, reserved)).multipliedReportingOverflow(by: price)
        let reimbursement = o1 ? left : min(gasCost, left)
        left = left &- reimbursement
        let fee = min(rules.minimumFee, left)
        left = left &- fee
        try s.setWord(escrowSlot, final ? .zero : left)
        try pay(call.origin, reimbursement, s.state)
        try pay(payee, fee, s.state)
        if final { try pay(requester, left, s.state) }
    }

    /// The most a request pays per gas: its `maxGasPrice`, or for a record older than gas caps (no
    /// enclaves word, cap 0) the cap its escrow implies (``impliedMaxGasPrice(value:callback:)``), so
    /// relays still deliver it.
    func effectiveCap(_ id: UInt256, _ s: inout SystemStorage) throws -> UInt256 {
        let cap = try s.word(Self.requestSlot(id, 8))
        guard try s.word(Self.requestSlot(id, 9)).isZero else { return cap }
        let callback = try s.address(Self.requestSlot(id, 4)) != .zero
        return impliedMaxGasPrice(value: try s.word(Self.requestSlot(id, 3)), callback: callback) ?? .zero
    }
}

/// One enclave's answer to a k > 1 request, as NOS keeps it until the k-th arrives.
struct QuorumAnswer: Sendable, Equatable {
    var enclave: Address
    var platform: H256
    var error: UInt64
    var dataHash: H256
    var length: UInt64
}

/// How k answers become one (k-of-n enclaves). A majority (⌊k/2⌋ + 1) must agree, so one lying
/// enclave of three changes nothing:
/// - numbers (a successful `single` answer of one word, `abi(int256)`, or a `median` answer of two,
///   `abi(int256 median, uint8 agreeing)`): the median of the values within `maxDeviationBps` of the
///   median of all, if a majority is within it (the delivered data is that answer's);
/// - anything else (text, bytes, bulk documents, errors): the answer a majority gave identically
///   (same error code, same bytes).
/// Without a majority the answer is the error `noQuorum`.
struct QuorumAggregate {
    var kind: (kind: OracleRequestKind, isPrivate: Bool)?
    var maxDeviationBps: UInt64

    struct Result: Equatable {
        var error: UInt64
        var data: [UInt8]
        var agreeing: Int
    }

    func aggregate(_ answers: [QuorumAnswer], data: (H256) throws -> [UInt8]) throws -> Result {
        let majority = answers.count / 2 + 1
        if let width = numericLength {
            var values = [(value: DecimalValue, hash: H256)]()
            for a in answers where a.error == 0 && a.length == width {
                let bytes = try data(a.dataHash)
                guard let word = UInt256(bigEndian: bytes.prefix(32)) else { continue }
                let negative = !(word.shiftedRight(255)).isZero
                values.append((DecimalValue(negative: negative, magnitude: negative ? word.negated : word), a.dataHash))
            }
            values.sort { $0.value < $1.value }
            if !values.isEmpty {
                let median = MedianAggregate(quorum: majority, maxDeviationBps: maxDeviationBps)
                let middle = values[(values.count - 1) / 2].value
                let agreeing = values.filter { median.within($0.value, of: middle) }
                if agreeing.count >= majority {
                    return Result(error: 0, data: try data(agreeing[(agreeing.count - 1) / 2].hash), agreeing: agreeing.count)
                }
            }
        }
        // Identical answers: the largest group of equal (error, bytes), ties to the earliest.
        var groups = [(error: UInt64, hash: H256, count: Int)]()
        for a in answers {
            if let i = groups.firstIndex(where: { $0.error == a.error && $0.hash == a.dataHash }) { groups[i].count += 1 } else {
                groups.append((a.error, a.dataHash, 1))
            }
        }
        guard let best = groups.max(by: { $0.count < $1.count }), best.count >= majority else {
            return Result(error: OracleErrorCode.noQuorum.rawValue, data: [], agreeing: groups.map(\.count).max() ?? 0)
        }
        return Result(error: best.error, data: best.error == 0 ? try data(best.hash) : [], agreeing: best.count)
    }

    /// The byte length of a numeric answer of this kind; nil for kinds answered with text or documents
    /// (and private requests, whose answers are ciphertexts).
    private var numericLength: UInt64? {
        guard let kind, !kind.isPrivate else { return nil }
        switch kind.kind {
        case .single: return 32
        case .median: return 64
        default: return nil
        }
    }
}
