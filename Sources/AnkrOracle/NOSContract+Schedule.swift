import AnkrChain
import AnkrCrypto
import AnkrPrimitives

/// Scheduled feeds: a prepaid recurring request NOS answers on schedule (white paper §4.4, "the
/// Native Oracle System can automatically update off chain data").
///
/// - `schedule(type, params, callback, selector, maxGasPrice, enclaves, periodBlocks, updates)` payable,
///   and `scheduleSeconds(…, periodSeconds, updates)`: a feed of `updates` rounds; round r is due at
///   start + r × period (start = the block, or its timestamp, the schedule was made in; round 0 is due
///   at once). The value paid is the whole escrow: each round takes `value / updates` (the last round
///   also the remainder), and each round's share must be at least what a one-off request of the same
///   kind needs (``requiredEscrow(type:callback:maxGasPrice:enclaves:)``) plus the gas that opening a
///   round costs (``scheduledRoundOverheadGas``) at `maxGasPrice`; less reverts naming the amount.
/// - `deliverScheduled(scheduleId, round, paramsHash, error, data, signature)`: the relay answers a due
///   round. Its first answer opens the round as an ordinary request record with id
///   ``scheduledRoundID(schedule:round:)`` (the datagram binds that id) holding the round's escrow,
///   then is settled exactly like `deliver` (reimbursement at min(gas price, cap), the oracle fee, the
///   rest back to the requester); further answers of a k-of-n round go through the same function.
///   Only the latest due round may be opened, or the one before it (so an answer sent just before a
///   new round falls due is still mined): rounds nobody answered in their period are skipped and
///   their escrow refunded to the requester in the same transaction, so a feed never serves a value
///   more than one period old and never spends on stale rounds. The last round stays deliverable.
/// - `cancelSchedule(scheduleId)`: the requester; every unspent wei (the escrow of rounds not yet
///   opened) comes back — there is no cancellation fee for schedules, since an unopened round has
///   cost nobody anything. A round already open keeps its escrow and settles (or is cancelled with
///   `cancel(roundId)`) like any request.
/// - Views `getSchedule(id)` (whose `due`/`dueRound` are as of the block the view runs in: through
///   `eth_call`, the next block, where a delivery sent now would land; its `answered`/`latestRound` name the
///   newest completed round whatever its outcome), `latestAnswer(id)` (for contracts: the newest round answered
///   WITHOUT an error, its answer and when it came — a round ending in an error, e.g. `noQuorum` or
///   `sourceUnavailable`, never replaces a good value), `scheduleCount()`, `scheduleEscrow(type, callback, maxGasPrice, enclaves, updates)`
///   (the least value `schedule` takes).
extension NOSContract {
    public static let scheduleSignature = "schedule(uint8,bytes,address,bytes4,uint256,uint8,uint64,uint32)"
    public static let scheduleSecondsSignature = "scheduleSeconds(uint8,bytes,address,bytes4,uint256,uint8,uint64,uint32)"
    public static let deliverScheduledSignature = "deliverScheduled(uint256,uint32,bytes32,uint64,bytes,bytes)"

    /// The most rounds one schedule buys (bounds the escrow arithmetic and the relay's work).
    public static let maxScheduledUpdates: UInt32 = 1_000_000
    /// The longest period, in blocks or seconds (about 31 years of seconds).
    public static let maxSchedulePeriod: UInt64 = 1_000_000_000
    /// What opening a round costs on top of a delivery: the request record it writes (about a dozen
    /// fresh words), the schedule's reads and its progress words. `deliverScheduled` pays it out of
    /// the round's escrow like the rest of the relay's gas, so each round's escrow covers it — once:
    /// only the delivery that opened the round may draw on it (``deliveryOpenedRound(_:state:)``).
    public static let scheduledRoundOverheadGas: UInt64 = 330_000

    /// The request id of round `round` of schedule `schedule`: 2^255 | schedule << 32 | round. The top
    /// bit keeps it apart from ordinary requests, which count up from 1.
    public static func scheduledRoundID(schedule: UInt64, round: UInt32) -> UInt256 {
        UInt256(w0: schedule << 32 | UInt64(round), w1: schedule >> 32, w2: 0, w3: 1 << 63)
    }

    /// The schedule and round a request id names, or nil for an ordinary request id.
    public static func scheduledRound(of id: UInt256) -> (schedule: UInt64, round: UInt32)? {
        guard id.w3 == 1 << 63, id.w2 == 0, id.w1 >> 32 == 0 else { return nil }
        return (id.w1 << 32 | id.w0 >> 32, UInt32(truncatingIfNeeded: id.w0))
    }

    /// A gas limit that always covers `deliverScheduled` of an answer of `dataBytes` (the first
    /// answer of a round pays for opening it); unused gas is not charged.
    public static func deliverScheduledGasLimit(dataBytes: Int, callback: Bool, enclaves: UInt8) -> UInt64 {
        deliverGasLimit(dataBytes: dataBytes, callback: callback, enclaves: enclaves) + scheduledRoundOverheadGas
    }

    /// What a schedule is doing.
    public enum ScheduleStatus: UInt64, Sendable, CaseIterable {
        /// No such schedule.
        case none = 0
        /// Rounds remain to be opened.
        case active = 1
        /// Every round was opened or skipped.
        case finished = 2
        case cancelled = 3
        public static func name(of value: UInt64) -> String { "\(ScheduleStatus(rawValue: value) ?? ScheduleStatus.none)" }
    }

    private typealias Param = ContractInterface.Parameter

    /// The schedule functions of NOS's interface (``interface`` appends them).
    public static var scheduleFunctions: [ContractInterface.Function] {
        let create: [Param] = [Param("requestType", .uint(bits: 8)), Param("params", .bytes), Param("callback", .address), Param("selector", .fixedBytes(4)),
                           Param("maxGasPrice", .uint(bits: 256)), Param("enclaves", .uint(bits: 8))]
        return [
            .init("schedule", create + [Param("periodBlocks", .uint(bits: 64)), Param("updates", .uint(bits: 32))], returns: [Param("scheduleId", .uint(bits: 256))], .payable),
            .init("scheduleSeconds", create + [Param("periodSeconds", .uint(bits: 64)), Param("updates", .uint(bits: 32))], returns: [Param("scheduleId", .uint(bits: 256))],
                  .payable),
            .init("deliverScheduled", [Param("scheduleId", .uint(bits: 256)), Param("round", .uint(bits: 32)), Param("paramsHash", .fixedBytes(32)), Param("error", .uint(bits: 64)),
                                       Param("data", .bytes), Param("signature", .bytes)]),
            .init("cancelSchedule", [Param("scheduleId", .uint(bits: 256))]),
            .init("getSchedule", [Param("scheduleId", .uint(bits: 256))],
                  returns: [Param("requester", .address), Param("requestType", .uint(bits: 8)), Param("paramsHash", .fixedBytes(32)), Param("callback", .address),
                            Param("selector", .fixedBytes(4)), Param("maxGasPrice", .uint(bits: 256)), Param("enclaves", .uint(bits: 8)), Param("period", .uint(bits: 64)),
                            Param("inSeconds", .bool), Param("start", .uint(bits: 64)), Param("updates", .uint(bits: 32)), Param("nextRound", .uint(bits: 32)),
                            Param("due", .bool), Param("dueRound", .uint(bits: 32)), Param("status", .uint(bits: 8)), Param("escrowLeft", .uint(bits: 256)),
                            Param("escrowPerRound", .uint(bits: 256)), Param("answered", .bool), Param("latestRound", .uint(bits: 32))], .view),
            .init("latestAnswer", [Param("scheduleId", .uint(bits: 256))],
                  returns: [Param("answered", .bool), Param("round", .uint(bits: 32)), Param("requestId", .uint(bits: 256)), Param("error", .uint(bits: 64)), Param("data", .bytes),
                            Param("answeredBlock", .uint(bits: 64)), Param("answeredAt", .uint(bits: 64))], .view),
            .init("scheduleCount", [], returns: [Param("count", .uint(bits: 256))], .view),
            .init("scheduleEscrow", [Param("requestType", .uint(bits: 8)), Param("callback", .bool), Param("maxGasPrice", .uint(bits: 256)), Param("enclaves", .uint(bits: 8)),
                                     Param("updates", .uint(bits: 32))], returns: [Param("escrow", .uint(bits: 256))], .view),
        ]
    }

    /// The schedule events of NOS's interface. `Scheduled` carries the params (as `RequestInfo` does
    /// for a request): relays read them from it.
    public static var scheduleEvents: [ContractInterface.Event] {
        [
            .init("Scheduled", [Param("scheduleId", .uint(bits: 256), indexed: true), Param("requester", .address, indexed: true), Param("requestType", .uint(bits: 8)),
                                Param("params", .bytes), Param("period", .uint(bits: 64)), Param("inSeconds", .bool), Param("updates", .uint(bits: 32)),
                                Param("escrow", .uint(bits: 256))]),
            .init("ScheduleCancelled", [Param("scheduleId", .uint(bits: 256), indexed: true), Param("refund", .uint(bits: 256))]),
            .init("RoundsSkipped", [Param("scheduleId", .uint(bits: 256), indexed: true), Param("from", .uint(bits: 32)), Param("to", .uint(bits: 32)),
                                    Param("refund", .uint(bits: 256))]),
        ]
    }

    // Storage: 19 the schedule count; keccak(20, scheduleId) + k the schedule: 0 requester, 1 type,
    // 2 params hash, 3 callback, 4 selector, 5 maxGasPrice, 6 enclaves, 7 shape (w0 period, w1 1 when
    // in seconds, w2 updates), 8 start (block number or timestamp), 9 escrow left, 10 escrow per
    // round, 11 progress (w0 next round, w1 latest completed round + 1, w2 status, w3 the round the
    // delivery in flight opened + 1, else 0), 12 when the latest completed round was delivered (w0 block,
    // w1 timestamp), 13 the latest round completed without an error before the latest one (w0 block,
    // w1 timestamp, w2 round + 1). Rounds are request records (slot 10).
    static let scheduleCountSlot = UInt256(19)
    static func scheduleSlot(_ id: UInt256, _ k: Int) -> UInt256 { SystemStorage.slot(UInt256(20), id) &+ UInt256(k) }

    /// Runs `f` if it is a schedule function; nil for any other function of the interface.
    func callSchedule(_ f: ContractInterface.Function, _ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage,
                      _ logs: inout [Log]) throws -> [ABIValue]? {
        switch f.name {
        case "schedule": return try createSchedule(a, inSeconds: false, call, &s, &logs)
        case "scheduleSeconds": return try createSchedule(a, inSeconds: true, call, &s, &logs)
        case "deliverScheduled": return try deliverScheduled(a, call, &s, &logs)
        case "cancelSchedule": return try cancelSchedule(a, call, &s, &logs)
        case "getSchedule": return try scheduleView(a[0].uintValue ?? .zero, call.block, &s)
        case "latestAnswer": return try Self.latestAnswerView(a[0].uintValue ?? .zero, &s)
        case "scheduleCount": return [.uint(try s.word(Self.scheduleCountSlot))]
        case "scheduleEscrow":
            // Reverts, like `schedule` would, where no escrow can be named.
            guard let type = a[0].uintValue?.uint64.flatMap({ UInt8(exactly: $0) }), let enclaves = a[3].uintValue?.uint64.flatMap({ UInt8(exactly: $0) }),
                  let updates = a[4].uintValue, let perRound = scheduledRoundEscrow(type: type, callback: a[1] == .bool(true), maxGasPrice: a[2].uintValue ?? .zero,
                                                                                     enclaves: enclaves) else {
                throw revert("no escrow covers these terms (enclaves 1…\(Self.maxEnclaves), a cap that does not overflow)", s)
            }
            let (total, overflow) = perRound.multipliedReportingOverflow(by: updates)
            guard !overflow else { throw revert("the escrow \(updates) rounds need overflows", s) }
            return [.uint(total)]
        default: return nil
        }
    }

    /// The newest answer of schedule `id` delivered without an error, as another system contract reads
    /// it (the Assets contract's valuations): nil until a round was answered well. Reads are charged to `caller`.
    public static func latestScheduledAnswer(_ id: UInt256, chargedTo caller: inout SystemStorage) throws
        -> (round: UInt32, requestID: UInt256, error: UInt64, data: [UInt8], block: UInt64, time: UInt64)? {
        var nos = SystemStorage(state: caller.state, address: address, gasLimit: caller.gasLimit - caller.gasUsed)
        defer { try? caller.charge(nos.gasUsed) }
        let out = try latestAnswerView(id, &nos)
        guard out[0] == .bool(true), let round = out[1].uintValue?.uint64, let r = UInt32(exactly: round), let requestID = out[2].uintValue else { return nil }
        return (r, requestID, out[3].uintValue?.uint64 ?? 0, out[4].bytesValue ?? [], out[5].uintValue?.uint64 ?? 0, out[6].uintValue?.uint64 ?? 0)
    }

    /// Who made schedule `id` and its request type, as another system contract reads it; nil for no
    /// such schedule. Reads are charged to `caller`.
    public static func scheduleTerms(_ id: UInt256, chargedTo caller: inout SystemStorage) throws -> (requester: Address, type: UInt8)? {
        var nos = SystemStorage(state: caller.state, address: address, gasLimit: caller.gasLimit - caller.gasUsed)
        defer { try? caller.charge(nos.gasUsed) }
        let requester = try nos.address(scheduleSlot(id, 0))
        guard requester != .zero, let type = UInt8(exactly: try nos.word(scheduleSlot(id, 1)).uint64 ?? .max) else { return nil }
        return (requester, type)
    }

    // MARK: Creating and cancelling

    private func createSchedule(_ a: [ABIValue], inSeconds: Bool, _ call: SystemCall, _ s: inout SystemStorage,
                                _ logs: inout [Log]) throws -> [ABIValue] {
        guard let type = a[0].uintValue?.uint64, let kind = UInt8(exactly: type), OracleRequestKind.parse(kind) != nil else {
            throw revert("unknown request type \(a[0])", s)
        }
        // A private request is sealed to one enclave and bound to its requester's own request: a feed answered
        // round after round by whichever relay is due cannot keep either promise, so feeds are public.
        guard kind & OracleRequestKind.privateFlag == 0 else {
            throw revert("a scheduled feed cannot be private (type \(kind)): private requests are one-off", s)
        }
        let params = a[1].bytesValue ?? []
        guard !params.isEmpty, params.count <= Self.maxParamsBytes else { throw revert("params must be 1…\(Self.maxParamsBytes) bytes", s) }
        let callback = a[2].addressValue ?? .zero, selector = a[3].fixedBytesValue ?? [0, 0, 0, 0]
        let maxGasPrice = a[4].uintValue ?? .zero
        guard let enclavesWord = a[5].uintValue?.uint64, let enclaves = UInt8(exactly: enclavesWord), enclaves >= 1, enclaves <= Self.maxEnclaves else {
            throw revert("enclaves must be 1…\(Self.maxEnclaves)", s)
        }
        guard let period = a[6].uintValue?.uint64, period >= 1, period <= Self.maxSchedulePeriod else {
            throw revert("the period must be 1…\(Self.maxSchedulePeriod) \(inSeconds ? "seconds" : "blocks")", s)
        }
        guard let updatesWord = a[7].uintValue?.uint64, let updates = UInt32(exactly: updatesWord), updates >= 1, updates <= Self.maxScheduledUpdates else {
            throw revert("updates must be 1…\(Self.maxScheduledUpdates)", s)
        }
        guard let perRoundNeeded = scheduledRoundEscrow(type: kind, callback: callback != .zero, maxGasPrice: maxGasPrice, enclaves: enclaves) else {
            throw revert("the escrow a round needs at a cap of \(maxGasPrice) wei per gas overflows", s)
        }
        let (total, overflow) = perRoundNeeded.multipliedReportingOverflow(by: UInt256(UInt64(updates)))
        guard !overflow else { throw revert("the escrow \(updates) rounds need overflows", s) }
        guard call.value >= total else {
            throw revert("a schedule of \(updates) rounds at a cap of \(maxGasPrice) wei per gas needs \(total) wei (\(perRoundNeeded) per round); \(call.value) was sent", s)
        }
        let count = try s.word(Self.scheduleCountSlot)
        guard let previous = count.uint64, previous < UInt64.max >> 32 else { throw revert("no schedule ids left", s) }
        let id = UInt256(previous + 1)
        try s.setWord(Self.scheduleCountSlot, id)
        try s.setAddress(Self.scheduleSlot(id, 0), call.caller)
        try s.setWord(Self.scheduleSlot(id, 1), UInt256(type))
        try s.charge(UInt64(params.count / 32 + 1) * 6)  // hashing the params
        try s.setHash(Self.scheduleSlot(id, 2), Keccak256.h256(params))
        if callback != .zero {
            try s.setAddress(Self.scheduleSlot(id, 3), callback)
            try s.setWord(Self.scheduleSlot(id, 4), UInt256(bigEndian: selector) ?? .zero)
        }
        if !maxGasPrice.isZero { try s.setWord(Self.scheduleSlot(id, 5), maxGasPrice) }
        try s.setWord(Self.scheduleSlot(id, 6), UInt256(UInt64(enclaves)))
        try s.setWord(Self.scheduleSlot(id, 7), UInt256(w0: period, w1: inSeconds ? 1 : 0, w2: UInt64(updates), w3: 0))
        try s.setWord(Self.scheduleSlot(id, 8), UInt256(inSeconds ? call.block.timestamp : call.block.number))
        try s.setWord(Self.scheduleSlot(id, 9), call.value)
        try s.setWord(Self.scheduleSlot(id, 10), call.value / UInt256(UInt64(updates)))
        try s.setWord(Self.scheduleSlot(id, 11), Progress(next: 0, latest: nil, status: .active).word)
        try s.charge(UInt64(params.count) * 8)  // log data
        logs.append(try Self.interface.log("Scheduled", address: address, indexed: [id, call.caller.word],
                                           data: [.uint(UInt256(type)), .bytes(params), .uint(UInt256(period)), .bool(inSeconds),
                                                  .uint(UInt256(UInt64(updates))), .uint(call.value)]))
        return [.uint(id)]
    }

    /// The least escrow one round of a schedule needs: a one-off request's, plus opening the round at `maxGasPrice`.
    func scheduledRoundEscrow(type: UInt8, callback: Bool, maxGasPrice: UInt256, enclaves: UInt8) -> UInt256? {
        guard let request = requiredEscrow(type: type, callback: callback, maxGasPrice: maxGasPrice, enclaves: enclaves) else { return nil }
        let (opening, overflow) = UInt256(Self.scheduledRoundOverheadGas).multipliedReportingOverflow(by: maxGasPrice)
        let (sum, sumOverflow) = request.addingReportingOverflow(opening)
        return overflow || sumOverflow ? nil : sum
    }

    private func cancelSchedule(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        let id = a[0].uintValue ?? .zero
        let requester = try s.address(Self.scheduleSlot(id, 0))
        guard requester != .zero else { throw revert("no schedule \(id)", s) }
        guard requester == call.caller else { throw revert("only the requester cancels schedule \(id)", s) }
        var progress = Progress(try s.word(Self.scheduleSlot(id, 11)))
        guard progress.status == .active else { throw revert("schedule \(id) is \(progress.status)", s) }
        let refund = try s.word(Self.scheduleSlot(id, 9))
        progress.status = .cancelled
        try s.setWord(Self.scheduleSlot(id, 11), progress.word)
        try s.setWord(Self.scheduleSlot(id, 9), .zero)
        try pay(requester, refund, s.state)
        logs.append(try Self.interface.log("ScheduleCancelled", address: address, indexed: [id], data: [.uint(refund)]))
        return []
    }

    // MARK: Delivering

    private func deliverScheduled(_ a: [ABIValue], _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        let idWord = a[0].uintValue ?? .zero
        guard let schedule = idWord.uint64, schedule <= UInt64.max >> 32, let roundWord = a[1].uintValue?.uint64, let round = UInt32(exactly: roundWord) else {
            throw revert("no schedule \(idWord) round \(a[1])", s)
        }
        let id = UInt256(schedule)
        let requester = try s.address(Self.scheduleSlot(id, 0))
        guard requester != .zero else { throw revert("no schedule \(id)", s) }
        let paramsHash = (try? H256(a[2].fixedBytesValue ?? [])) ?? .zero
        let errorCode = a[3].uintValue?.uint64 ?? .max
        let data = a[4].bytesValue ?? [], signature = a[5].bytesValue ?? []
        let requestID = Self.scheduledRoundID(schedule: schedule, round: round)
        var progress = Progress(try s.word(Self.scheduleSlot(id, 11)))

        var opened = false
        let recordStatus = try s.word(Self.requestSlot(requestID, 6)).uint64 ?? 0
        switch NOSContract.Status(rawValue: recordStatus) ?? NOSContract.Status.none {
        case .pending:
            break  // a further answer of a k-of-n round
        case .delivered, .cancelled:
            throw revert("round \(round) of schedule \(id) is no longer pending", s)
        case .none:
            try openRound(id, round, requestID, requester: requester, progress: &progress, call, &s, &logs)
            opened = true
        }
        // The schedule's bookkeeping is written before the delivery settles, so the gas the deliverer is
        // reimbursed for includes it. This answer completes the round when it is the k-th (a delivery that
        // is refused reverts all of it).
        let wanted = max(1, try s.word(Self.requestSlot(requestID, 9)).uint64 ?? 1)
        let answers = try s.word(Self.requestSlot(requestID, 10)).uint64 ?? 0
        if answers + 1 >= wanted, progress.latest.map({ round > $0 }) ?? true {
            // The round this one succeeds as the latest is kept as the latest good one if it was answered
            // without an error (its outcome is known now; this round's is known only once it settles).
            if let previous = progress.latest,
               try s.word(SystemStorage.slot(UInt256(12), Self.scheduledRoundID(schedule: schedule, round: previous))).isZero {
                let at = try s.word(Self.scheduleSlot(id, 12))
                try s.setWord(Self.scheduleSlot(id, 13), UInt256(w0: at.w0, w1: at.w1, w2: UInt64(previous) + 1, w3: 0))
            }
            progress.latest = round
            try s.setWord(Self.scheduleSlot(id, 12), UInt256(w0: call.block.number, w1: call.block.timestamp, w2: 0, w3: 0))
        }
        // Only the delivery that opened the round is reimbursed the opening gas (settle reads this mark;
        // every delivery of a round comes through here, `deliver` refuses round ids, so it is never stale).
        progress.openedNow = opened ? round : nil
        try s.setWord(Self.scheduleSlot(id, 11), progress.word)
        try s.charge(SystemStorage.readWordGas)  // settle's read of the mark, charged here so the delivery's measured gas includes it
        try acceptDelivery(id: requestID, paramsHash: paramsHash, error: errorCode, data: data, signature: signature, call: call, &s, &logs)
        return []
    }

    /// Opens round `round` as a request record holding its escrow, refunding the rounds it skips.
    private func openRound(_ id: UInt256, _ round: UInt32, _ requestID: UInt256, requester: Address, progress: inout Progress, _ call: SystemCall,
                           _ s: inout SystemStorage, _ logs: inout [Log]) throws {
        guard progress.status == .active else { throw revert("schedule \(id) is \(progress.status)", s) }
        let shape = try s.word(Self.scheduleSlot(id, 7))
        let period = shape.w0, inSeconds = shape.w1 != 0
        guard let updates = UInt32(exactly: shape.w2), updates >= 1, period >= 1 else { throw revert("schedule \(id) is corrupt", s) }
        let start = try s.word(Self.scheduleSlot(id, 8)).uint64 ?? .max
        let now = inSeconds ? call.block.timestamp : call.block.number
        guard now >= start, let due = Self.dueRound(start: start, period: period, updates: updates, now: now) else {
            throw revert("schedule \(id) has no round due yet", s)
        }
        guard round <= due else {
            throw revert("round \(round) of schedule \(id) is not due yet (due: \(due), at \(inSeconds ? "time" : "block") \(Self.dueAt(start, period, round)))", s)
        }
        // The latest due round, or the one before it (sent before the next fell due).
        guard round >= progress.next, round &+ 1 >= due else {
            throw revert("round \(round) of schedule \(id) was skipped or opened; the round due is \(due)", s)
        }
        var escrowLeft = try s.word(Self.scheduleSlot(id, 9))
        let perRound = try s.word(Self.scheduleSlot(id, 10))
        if round > progress.next {
            let skipped = UInt256(UInt64(round - progress.next))
            let (refund, overflow) = perRound.multipliedReportingOverflow(by: skipped)
            guard !overflow, refund <= escrowLeft else { throw revert("schedule \(id)'s escrow is short", s) }
            escrowLeft = escrowLeft &- refund
            try pay(requester, refund, s.state)
            logs.append(try Self.interface.log("RoundsSkipped", address: address, indexed: [id],
                                               data: [.uint(UInt256(UInt64(progress.next))), .uint(UInt256(UInt64(round - 1))), .uint(refund)]))
        }
        // The last round takes what is left: the division's remainder is spent, not stranded.
        let escrow = round == updates - 1 ? escrowLeft : min(perRound, escrowLeft)
        escrowLeft = escrowLeft &- escrow
        try s.setWord(Self.scheduleSlot(id, 9), escrowLeft)
        progress.next = round + 1
        if progress.next == updates { progress.status = .finished }
        let callback = try s.address(Self.scheduleSlot(id, 3))
        let selector = Array(try s.word(Self.scheduleSlot(id, 4)).bigEndianBytes.suffix(4))
        guard let type = UInt8(exactly: try s.word(Self.scheduleSlot(id, 1)).uint64 ?? .max),
              let enclaves = UInt8(exactly: try s.word(Self.scheduleSlot(id, 6)).uint64 ?? .max) else {
            throw revert("schedule \(id) is corrupt", s)
        }
        let paramsHash = try s.hash(Self.scheduleSlot(id, 2)), maxGasPrice = try s.word(Self.scheduleSlot(id, 5))
        try openRequest(id: requestID, requester: requester, type: type, paramsHash: paramsHash, escrow: escrow, callback: callback, selector: selector,
                        maxGasPrice: maxGasPrice, enclaves: enclaves, call: call, &s)
    }

    /// The round due at `now` (the last round once past it), or nil before the start.
    static func dueRound(start: UInt64, period: UInt64, updates: UInt32, now: UInt64) -> UInt32? {
        guard now >= start, period >= 1, updates >= 1 else { return nil }
        let elapsedRounds = (now - start) / period
        return UInt32(min(elapsedRounds, UInt64(updates - 1)))
    }

    /// When round `round` falls due (saturating: no block or clock reaches the top).
    static func dueAt(_ start: UInt64, _ period: UInt64, _ round: UInt32) -> UInt64 {
        let (offset, overflow) = period.multipliedReportingOverflow(by: UInt64(round))
        let (at, sumOverflow) = start.addingReportingOverflow(offset)
        return overflow || sumOverflow ? .max : at
    }

    // MARK: Views

    func scheduleView(_ id: UInt256, _ block: BlockContext, _ s: inout SystemStorage) throws -> [ABIValue] {
        let shape = try s.word(Self.scheduleSlot(id, 7))
        let start = try s.word(Self.scheduleSlot(id, 8)).uint64 ?? 0
        let progress = Progress(try s.word(Self.scheduleSlot(id, 11)))
        let updates = UInt32(truncatingIfNeeded: shape.w2)
        let due = Self.dueRound(start: start, period: shape.w0, updates: updates, now: shape.w1 != 0 ? block.timestamp : block.number)
        // Due means openable now: active, and the due round not yet opened.
        let openable = progress.status == .active && due.map { $0 >= progress.next } == true
        return [.address(try s.address(Self.scheduleSlot(id, 0))), .uint(try s.word(Self.scheduleSlot(id, 1))), .fixedBytes(try s.hash(Self.scheduleSlot(id, 2)).bytes),
                .address(try s.address(Self.scheduleSlot(id, 3))), .fixedBytes(Array(try s.word(Self.scheduleSlot(id, 4)).bigEndianBytes.suffix(4))),
                .uint(try s.word(Self.scheduleSlot(id, 5))), .uint(try s.word(Self.scheduleSlot(id, 6))), .uint(UInt256(shape.w0)), .bool(shape.w1 != 0),
                .uint(UInt256(start)), .uint(UInt256(UInt64(updates))), .uint(UInt256(UInt64(progress.next))), .bool(openable),
                .uint(UInt256(UInt64(due ?? 0))), .uint(UInt256(progress.status.rawValue)), .uint(try s.word(Self.scheduleSlot(id, 9))),
                .uint(try s.word(Self.scheduleSlot(id, 10))), .bool(progress.latest != nil), .uint(UInt256(UInt64(progress.latest ?? 0)))]
    }

    /// The newest round answered without an error: the latest completed round if it was, else the
    /// good one kept before it (word 13). `error` is always 0; it stays in the outputs for contracts.
    static func latestAnswerView(_ id: UInt256, _ s: inout SystemStorage) throws -> [ABIValue] {
        let none: [ABIValue] = [.bool(false), .uint(.zero), .uint(.zero), .uint(.zero), .bytes([]), .uint(.zero), .uint(.zero)]
        let progress = Progress(try s.word(Self.scheduleSlot(id, 11)))
        guard let latest = progress.latest, let schedule = id.uint64 else { return none }
        var round = latest, at = try s.word(Self.scheduleSlot(id, 12))
        var requestID = Self.scheduledRoundID(schedule: schedule, round: latest)
        if !(try s.word(SystemStorage.slot(UInt256(12), requestID))).isZero {
            let good = try s.word(Self.scheduleSlot(id, 13))
            guard good.w2 != 0, let earlier = UInt32(exactly: good.w2 - 1) else { return none }
            round = earlier
            at = good
            requestID = Self.scheduledRoundID(schedule: schedule, round: earlier)
        }
        return [.bool(true), .uint(UInt256(UInt64(round))), .uint(requestID), .uint(.zero),
                .bytes(try s.blob(SystemStorage.slot(UInt256(11), requestID))), .uint(UInt256(at.w0)), .uint(UInt256(at.w1))]
    }

    /// Whether the delivery being settled is the one that opened scheduled round `id`: the round's
    /// escrow holds the opening gas (``scheduledRoundOverheadGas``) once, so only that delivery's
    /// reimbursement may include it. False for ordinary request ids. `deliverScheduled` charged this
    /// read before the delivery's gas was measured, so it reads through its own small meter.
    static func deliveryOpenedRound(_ id: UInt256, state: WorldState) -> Bool {
        guard let named = scheduledRound(of: id) else { return false }
        var nos = SystemStorage(state: state, address: address, gasLimit: SystemStorage.readWordGas)
        guard let word = try? nos.word(scheduleSlot(UInt256(named.schedule), 11)) else { return false }
        return Progress(word).openedNow == named.round
    }

    // MARK: Bookkeeping

    /// Word 11 of a schedule: the next round to open, the latest completed round, the status, and the
    /// round the delivery in flight opened (nil when it joined an open round).
    struct Progress {
        var next: UInt32
        var latest: UInt32?
        var status: ScheduleStatus
        var openedNow: UInt32? = nil

        init(next: UInt32, latest: UInt32?, status: ScheduleStatus) { self.next = next; self.latest = latest; self.status = status }

        init(_ word: UInt256) {
            next = UInt32(truncatingIfNeeded: word.w0)
            latest = word.w1 == 0 ? nil : UInt32(truncatingIfNeeded: word.w1 - 1)
            status = ScheduleStatus(rawValue: word.w2) ?? ScheduleStatus.none
            openedNow = word.w3 == 0 ? nil : UInt32(truncatingIfNeeded: word.w3 - 1)
        }

        var word: UInt256 {
            UInt256(w0: UInt64(next), w1: latest.map { UInt64($0) + 1 } ?? 0, w2: status.rawValue, w3: openedNow.map { UInt64($0) + 1 } ?? 0)
        }
    }
}
