import AnkrPrimitives

/// A schedule as NOS's `getSchedule` view shows it at the head.
public struct ScheduleState: Sendable, Equatable {
    public var requester: Address
    public var type: UInt8
    public var callback: Address
    public var maxGasPrice: UInt256
    public var enclaves: UInt8
    public var period: UInt64
    public var inSeconds: Bool
    public var start: UInt64
    public var updates: UInt32
    public var nextRound: UInt32
    /// Whether `dueRound` may be opened now.
    public var due: Bool
    public var dueRound: UInt32
    public var status: NOSContract.ScheduleStatus
    public var escrowLeft: UInt256
    public var escrowPerRound: UInt256
    /// The newest completed round, if any, whatever its outcome (`latestAnswer` names the newest good one).
    public var latestRound: UInt32?

    /// Decodes `getSchedule`'s outputs (nil when they are not what the view returns).
    public init?(_ v: [ABIValue]) {
        guard v.count == 19, let requester = v[0].addressValue, let type = v[1].uintValue?.uint64.flatMap({ UInt8(exactly: $0) }),
              let callback = v[3].addressValue, let cap = v[5].uintValue, let enclaves = v[6].uintValue?.uint64.flatMap({ UInt8(exactly: $0) }),
              let period = v[7].uintValue?.uint64, case .bool(let inSeconds) = v[8], let start = v[9].uintValue?.uint64,
              let updates = v[10].uintValue?.uint64.flatMap({ UInt32(exactly: $0) }), let next = v[11].uintValue?.uint64.flatMap({ UInt32(exactly: $0) }),
              case .bool(let due) = v[12], let dueRound = v[13].uintValue?.uint64.flatMap({ UInt32(exactly: $0) }),
              let status = v[14].uintValue?.uint64.flatMap({ NOSContract.ScheduleStatus(rawValue: $0) }), let left = v[15].uintValue,
              let perRound = v[16].uintValue, case .bool(let answered) = v[17], let latest = v[18].uintValue?.uint64.flatMap({ UInt32(exactly: $0) }) else {
            return nil
        }
        self.requester = requester; self.type = type; self.callback = callback; maxGasPrice = cap; self.enclaves = enclaves
        self.period = period; self.inSeconds = inSeconds; self.start = start; self.updates = updates; nextRound = next
        self.due = due; self.dueRound = dueRound; self.status = status; escrowLeft = left; escrowPerRound = perRound
        latestRound = answered ? latest : nil
    }

    /// The round a relay should answer now, if any: the due round when it may be opened, else (k > 1)
    /// the round opened last, which may still be collecting answers.
    public var roundToAnswer: (round: UInt32, opens: Bool)? {
        if due { return (dueRound, true) }
        if enclaves > 1, nextRound > 0, latestRound.map({ $0 < nextRound - 1 }) ?? true { return (nextRound - 1, false) }
        return nil
    }

    /// Whether the relay can forget this schedule: nothing will ever be due again and no round is still open.
    public var isOver: Bool { status != .active && roundToAnswer == nil }
}
