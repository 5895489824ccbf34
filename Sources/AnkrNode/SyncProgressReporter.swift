import AnkrP2P
import Foundation
import Logging

/// Logs sync progress while the node is behind its peers: the block reached, the highest seen,
/// blocks per second over the last interval and the time left at that pace.
final class SyncProgressReporter: @unchecked Sendable {
    private let timer: DispatchSourceTimer
    private let lock = NSLock()
    private var previous: UInt64?

    init(network: PeerNetwork, logger: Logger, interval: Double = 8) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "ankr.sync-progress"))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            guard let p = network.syncProgress else {
                self.lock.withLock { self.previous = nil }
                return
            }
            let before = self.lock.withLock { () -> UInt64? in defer { self.previous = p.current }; return self.previous }
            let rate = before.map { Double(p.current - min(p.current, $0)) / interval } ?? 0
            logger.info("syncing", metadata: ["block": "\(p.current)", "highest": "\(p.highest)",
                                              "blocksPerSecond": "\(String(format: "%.1f", rate))",
                                              "eta": "\(rate > 0 ? "\(Int(Double(p.highest - p.current) / rate)) s" : "unknown")"])
        }
        timer.resume()
    }

    func stop() { timer.cancel() }
}
