import AnkrChain
import AnkrOracle
import AnkrPrimitives

/// The Assets system contract at `0x…a0005`: off-chain assets promoted on chain, one owner each.
///
/// - `put(id, metadataHash, valuationRequest)`: promotes asset `id` with the caller as owner, or — by
///   its owner — replaces its metadata hash. A non-zero `valuationRequest` names a delivered NOS
///   request whose answer (`abi(int256 value, …)`, non-negative, error 0) becomes the valuation; the
///   request's params (source URL, pointer, decimals) are public in its `RequestInfo` event.
///   Ids from 2^160 to 2^161 − 1 are 2^160 + an address, and only that address may promote them:
///   a contract (a lease) can name its own asset without anyone squatting the id first.
/// - `transfer(id, to)` and `burn(id)` (redeemed off chain): the owner only. A burned id stays burned,
///   so its history is never mixed with a later asset's.
/// - `followSchedule(id, scheduleId)`: the owner makes the asset's valuation follow a NOS scheduled
///   feed (zero stops following): from then on its current valuation is the feed's latest delivered
///   answer, kept up to date by NOS every period with no further transaction. Recorded as a `valued`
///   history entry with the feed's latest value at that moment (when it has one).
/// - Views `asset(id)`, `history(id)` (every change: kind, actor, counterparty, value, block, time),
///   `assetCount()`, `valuationSchedule(id)` and `currentValuation(id)`: the feed's latest answer when
///   the asset follows one (with the round's request id, the block and time it was answered), else
///   the valuation last put.
public struct AssetsContract: SystemContract {
    public static let address = try! Address(hex: "0x00000000000000000000000000000000000a0005")

    public enum Status: UInt64, Sendable, CaseIterable {
        case none = 0, active = 1, burned = 2
        public static func name(of value: UInt64) -> String { "\(Status(rawValue: value) ?? .none)" }
    }

    /// What a history entry records.
    public enum Change: UInt64, Sendable, CaseIterable {
        case promoted = 1, updated = 2, valued = 3, transferred = 4, burned = 5
    }

    public var address: Address { Self.address }
    public var name: String { "Assets" }
    public var interface: ContractInterface { Self.interface }

    public init() {}

    // Storage: 0 asset count; keccak(1, id) + k the asset (0 owner, 1 metadata hash, 2 status,
    // 3 valuation, 4 valuation request, 5 created at, 6 updated at, 7 history length, 8 valuation schedule);
    // keccak(2, id, i) + k history entry i (0 kind << 128 | block << 64 | time, 1 actor,
    // 2 counterparty, 3 value).
    private func assetSlot(_ id: UInt256, _ k: Int) -> UInt256 { SystemStorage.slot(.one, id) &+ UInt256(k) }
    private func historySlot(_ id: UInt256, _ i: UInt256, _ k: Int) -> UInt256 { SystemStorage.slot(UInt256(2), id, i) &+ UInt256(k) }

    public func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        try Self.interface.dispatch(call, storage: SystemStorage(state: state, address: address, gasLimit: call.gasAvailable)) { f, a, s, logs in
            let id = a.first?.uintValue ?? .zero
            switch f.name {
            case "put": return try put(id, metadata: a[1].fixedBytesValue ?? [], valuationRequest: a[2].uintValue ?? .zero, call, &s, &logs)
            case "transfer": return try transfer(id, to: a[1].addressValue ?? .zero, call, &s, &logs)
            case "burn": return try burn(id, call, &s, &logs)
            case "asset":
                return [.address(try s.address(assetSlot(id, 0))), .fixedBytes(try s.hash(assetSlot(id, 1)).bytes)]
                    + (try (2...7).map { ABIValue.uint(try s.word(assetSlot(id, $0))) })
            case "history": return try history(id, &s)
            case "followSchedule": return try follow(id, schedule: a[1].uintValue ?? .zero, call, &s, &logs)
            case "valuationSchedule": return [.uint(try s.word(assetSlot(id, 8)))]
            case "currentValuation": return try currentValuation(id, &s)
            default: return [.uint(try s.word(.zero))]
            }
        }
    }

    private func put(_ id: UInt256, metadata: [UInt8], valuationRequest: UInt256, _ call: SystemCall, _ s: inout SystemStorage,
                     _ logs: inout [Log]) throws -> [ABIValue] {
        let metadataWord = UInt256(bigEndian: metadata) ?? .zero
        switch try status(id, &s) {
        case .burned: throw revert("asset \(id) was burned; its id cannot be reused", s)
        case .active:
            let owner = try s.address(assetSlot(id, 0))
            guard owner == call.caller else { throw revert("asset \(id) belongs to \(owner.checksummed)", s) }
            if try s.word(assetSlot(id, 1)) != metadataWord {
                try s.setWord(assetSlot(id, 1), metadataWord)
                try record(.updated, id, actor: call.caller, counterparty: .zero, value: metadataWord, call, &s)
                logs.append(try Self.interface.log("AssetUpdated", address: address, indexed: [id], data: [.fixedBytes(metadata)]))
            }
        case .none:
            if let reserved = Self.reservedOwner(of: id), reserved != call.caller {
                throw revert("asset \(id) is reserved for \(reserved.checksummed)", s)
            }
            try s.setWord(.zero, (try s.word(.zero)) &+ .one)
            try s.setAddress(assetSlot(id, 0), call.caller)
            try s.setWord(assetSlot(id, 1), metadataWord)
            try s.setWord(assetSlot(id, 2), UInt256(Status.active.rawValue))
            try s.setWord(assetSlot(id, 5), UInt256(call.block.timestamp))
            try record(.promoted, id, actor: call.caller, counterparty: .zero, value: metadataWord, call, &s)
            logs.append(try Self.interface.log("AssetPromoted", address: address, indexed: [id, call.caller.word], data: [.fixedBytes(metadata)]))
        }
        if !valuationRequest.isZero {
            let valuation = try valuation(from: valuationRequest, &s)
            try s.setWord(assetSlot(id, 3), valuation)
            try s.setWord(assetSlot(id, 4), valuationRequest)
            try record(.valued, id, actor: call.caller, counterparty: .zero, value: valuation, call, &s)
            logs.append(try Self.interface.log("AssetValued", address: address, indexed: [id], data: [.uint(valuationRequest), .uint(valuation)]))
        }
        try s.setWord(assetSlot(id, 6), UInt256(call.block.timestamp))
        return []
    }

    /// The value NOS delivered for `request`: its first word, a non-negative int256.
    private func valuation(from request: UInt256, _ s: inout SystemStorage) throws -> UInt256 {
        let answer = try NOSContract.deliveredAnswer(request, chargedTo: &s)
        guard let answer else { throw revert("NOS request \(request) has no answer yet", s) }
        guard answer.error == 0, answer.data.count >= 32, let value = UInt256(bigEndian: Array(answer.data.prefix(32))), !value.isNegative else {
            throw revert("NOS request \(request) did not answer a non-negative number", s)
        }
        return value
    }

    private func follow(_ id: UInt256, schedule: UInt256, _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        try requireOwner(id, call.caller, &s)
        var latest: UInt256?
        if !schedule.isZero {
            guard let feed = try NOSContract.scheduleTerms(schedule, chargedTo: &s) else { throw revert("no NOS schedule \(schedule)", s) }
            // A valuation is a number: only feeds whose answers are one (single or median) can be followed.
            guard let kind = OracleRequestKind.parse(feed.type), !kind.isPrivate, kind.kind == .single || kind.kind == .median else {
                throw revert("NOS schedule \(schedule) does not answer a public number", s)
            }
            if let answer = try NOSContract.latestScheduledAnswer(schedule, chargedTo: &s), let value = Self.nonNegativeNumber(answer.error, answer.data) {
                latest = value
            }
        }
        try s.setWord(assetSlot(id, 8), schedule)
        if let latest {
            try s.setWord(assetSlot(id, 3), latest)
            try record(.valued, id, actor: call.caller, counterparty: .zero, value: latest, call, &s)
        }
        try s.setWord(assetSlot(id, 6), UInt256(call.block.timestamp))
        logs.append(try Self.interface.log("AssetFollowsSchedule", address: address, indexed: [id], data: [.uint(schedule)]))
        return []
    }

    /// The valuation as of now: the followed feed's latest answer, else the one last put.
    private func currentValuation(_ id: UInt256, _ s: inout SystemStorage) throws -> [ABIValue] {
        let schedule = try s.word(assetSlot(id, 8))
        if !schedule.isZero, let answer = try NOSContract.latestScheduledAnswer(schedule, chargedTo: &s),
           let value = Self.nonNegativeNumber(answer.error, answer.data) {
            return [.uint(value), .uint(answer.requestID), .uint(schedule), .uint(UInt256(UInt64(answer.round))), .uint(UInt256(answer.block)),
                    .uint(UInt256(answer.time))]
        }
        return [.uint(try s.word(assetSlot(id, 3))), .uint(try s.word(assetSlot(id, 4))), .uint(schedule), .uint(.zero), .uint(.zero), .uint(.zero)]
    }

    /// The first word of a successful answer as a non-negative int256 (nil otherwise).
    static func nonNegativeNumber(_ error: UInt64, _ data: [UInt8]) -> UInt256? {
        guard error == 0, data.count >= 32, let value = UInt256(bigEndian: Array(data.prefix(32))), !value.isNegative else { return nil }
        return value
    }

    private func transfer(_ id: UInt256, to: Address, _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        try requireOwner(id, call.caller, &s)
        guard to != .zero else { throw revert("transfer to the zero address; burn the asset instead", s) }
        try s.setAddress(assetSlot(id, 0), to)
        try s.setWord(assetSlot(id, 6), UInt256(call.block.timestamp))
        try record(.transferred, id, actor: call.caller, counterparty: to, value: .zero, call, &s)
        logs.append(try Self.interface.log("AssetTransferred", address: address, indexed: [id, call.caller.word, to.word], data: []))
        return []
    }

    private func burn(_ id: UInt256, _ call: SystemCall, _ s: inout SystemStorage, _ logs: inout [Log]) throws -> [ABIValue] {
        try requireOwner(id, call.caller, &s)
        try s.setWord(assetSlot(id, 2), UInt256(Status.burned.rawValue))
        try s.setWord(assetSlot(id, 6), UInt256(call.block.timestamp))
        try record(.burned, id, actor: call.caller, counterparty: .zero, value: .zero, call, &s)
        logs.append(try Self.interface.log("AssetBurned", address: address, indexed: [id, call.caller.word], data: []))
        return []
    }

    /// The address an id of the form 2^160 + address is reserved for.
    public static func reservedOwner(of id: UInt256) -> Address? {
        guard id.w3 == 0, id.w2 >> 32 == 1 else { return nil }
        return try? Address(Array(id.bigEndianBytes.suffix(20)))
    }

    /// The id reserved for `owner`: 2^160 + its address.
    public static func reservedID(for owner: Address) -> UInt256 {
        var id = owner.word
        id.w2 |= 1 << 32
        return id
    }

    private func status(_ id: UInt256, _ s: inout SystemStorage) throws -> Status {
        Status(rawValue: try s.word(assetSlot(id, 2)).uint64 ?? 0) ?? .none
    }

    private func requireOwner(_ id: UInt256, _ caller: Address, _ s: inout SystemStorage) throws {
        switch try status(id, &s) {
        case .none: throw revert("no asset \(id)", s)
        case .burned: throw revert("asset \(id) was burned", s)
        case .active:
            let owner = try s.address(assetSlot(id, 0))
            guard owner == caller else { throw revert("asset \(id) belongs to \(owner.checksummed)", s) }
        }
    }

    private func record(_ change: Change, _ id: UInt256, actor: Address, counterparty: Address, value: UInt256, _ call: SystemCall,
                        _ s: inout SystemStorage) throws {
        let i = try s.word(assetSlot(id, 7))
        let stamp = UInt256(w0: call.block.timestamp, w1: call.block.number, w2: change.rawValue, w3: 0)
        try s.setWord(historySlot(id, i, 0), stamp)
        try s.setAddress(historySlot(id, i, 1), actor)
        if counterparty != .zero { try s.setAddress(historySlot(id, i, 2), counterparty) }
        if !value.isZero { try s.setWord(historySlot(id, i, 3), value) }
        try s.setWord(assetSlot(id, 7), i &+ .one)
    }

    private func history(_ id: UInt256, _ s: inout SystemStorage) throws -> [ABIValue] {
        var columns = [[ABIValue]](repeating: [], count: 6)
        let count = try s.word(assetSlot(id, 7)).uint64 ?? 0
        for i in 0..<count {
            let stamp = try s.word(historySlot(id, UInt256(i), 0))
            columns[0].append(.uint(UInt256(stamp.w2)))
            columns[1].append(.address(try s.address(historySlot(id, UInt256(i), 1))))
            columns[2].append(.address(try s.address(historySlot(id, UInt256(i), 2))))
            columns[3].append(.fixedBytes(try s.word(historySlot(id, UInt256(i), 3)).bigEndianBytes))
            columns[4].append(.uint(UInt256(stamp.w1)))
            columns[5].append(.uint(UInt256(stamp.w0)))
        }
        return columns.map(ABIValue.array)
    }

    private func revert(_ why: String, _ s: SystemStorage) -> SystemCallError { .reverted(why, gasUsed: s.gasUsed) }
}
