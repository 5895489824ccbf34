import Foundation

/// A clock the test moves by hand, for the filters' idle expiry.
final class FilterTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var instant = ContinuousClock.now

    var now: ContinuousClock.Instant { lock.withLock { instant } }

    func advance(_ duration: Duration) { lock.withLock { instant = instant.advanced(by: duration) } }
}
