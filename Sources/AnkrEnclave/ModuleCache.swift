import AnkrPrimitives
import AnkrSandbox
import Foundation

/// Admitted modules the enclave process keeps by hash, so the node sends a module's bytes once
/// and names it by hash afterwards. At most ``capacity`` are kept; the oldest goes first.
final class ModuleCache: @unchecked Sendable {
    let capacity: Int
    private let lock = NSLock()
    private var modules: [H256: WorkModule] = [:]
    private var order: [H256] = []

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func module(_ hash: H256) -> WorkModule? { lock.withLock { modules[hash] } }

    func insert(_ module: WorkModule) {
        lock.withLock {
            guard modules[module.hash] == nil else { return }
            if order.count >= capacity { modules[order.removeFirst()] = nil }
            modules[module.hash] = module
            order.append(module.hash)
        }
    }
}
