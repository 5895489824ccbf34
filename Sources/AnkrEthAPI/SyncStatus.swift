/// A running sync, as `eth_syncing` reports it: the block it started from, the head now, the best known.
public struct SyncStatus: Sendable, Equatable {
    public var start: UInt64
    public var current: UInt64
    public var highest: UInt64

    public init(start: UInt64, current: UInt64, highest: UInt64) {
        self.start = start; self.current = current; self.highest = highest
    }
}
