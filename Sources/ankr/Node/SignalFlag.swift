import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Set by SIGINT/SIGTERM; `wait` sleeps until then or a timeout.
final class SignalFlag: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var _raised = false

    init() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { [weak self] in
                self?.lock.withLock { self?._raised = true }
                self?.semaphore.signal()
            }
            s.resume()
            sources.append(s)
        }
    }

    var raised: Bool { lock.withLock { _raised } }

    func wait(seconds: Double) { _ = semaphore.wait(timeout: .now() + seconds) }
}
