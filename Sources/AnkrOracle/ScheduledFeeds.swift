import AnkrPrimitives
import Foundation

/// What a relay knows of the scheduled feeds it serves: each schedule's type and params, read from
/// NOS's `Scheduled` logs. Nothing here is needed to be correct — the chain says which round is due —
/// so a restarted relay scans the logs from the start again and carries on.
public final class ScheduledFeeds: @unchecked Sendable {
    /// One schedule as its `Scheduled` log announced it.
    public struct Feed: Sendable, Equatable {
        public let id: UInt256
        public let type: UInt8
        public let params: [UInt8]
    }

    // Guarded by `lock`; the relay's round loop is the only caller, the lock makes that not matter.
    private let lock = NSLock()
    private var feeds = [UInt256: Feed]()
    private var scanned: UInt64?
    /// Schedules whose cap is below the base fee: logged once while they wait.
    private var waiting = Set<UInt256>()
    /// The head at which this relay first saw each schedule's current round due (k = 1 fallback).
    private var firstSeen = [UInt256: (round: UInt32, head: UInt64)]()

    public init() {}

    /// The schedules known, in id order.
    public var all: [Feed] { lock.withLock { feeds.values.sorted { $0.id < $1.id } } }

    func add(_ feed: Feed) { lock.withLock { feeds[feed.id] = feed } }
    func remove(_ id: UInt256) {
        lock.withLock {
            feeds[id] = nil
            waiting.remove(id)
            firstSeen[id] = nil
        }
    }
    /// The head at which round `round` of schedule `id` was first seen due (`head` if now).
    func firstSeenDue(_ id: UInt256, round: UInt32, head: UInt64) -> UInt64 {
        lock.withLock {
            if let seen = firstSeen[id], seen.round == round { return seen.head }
            firstSeen[id] = (round, head)
            return head
        }
    }
    var scannedBlock: UInt64? { lock.withLock { scanned } }
    func scanned(to block: UInt64) { lock.withLock { scanned = block } }
    /// Whether schedule `id` starts waiting now (so the relay logs it once, not every round).
    func startsWaiting(_ id: UInt256) -> Bool { lock.withLock { waiting.insert(id).inserted } }
    func stopsWaiting(_ id: UInt256) { lock.withLock { _ = waiting.remove(id) } }
}
