import AnkrPrimitives
import Dispatch
import Foundation

/// Recovers the senders of a block's transactions on the other cores while the caller executes
/// them in order.
///
/// Worker threads claim transactions from a shared counter, front to back, up to the limit
/// ``allow(from:upTo:)`` sets; ``sender(_:)`` returns transaction `i`'s sender as soon as it is
/// known, and while it is not, the calling thread recovers it (or another allowed one) itself
/// rather than wait. So execution starts after the first recovery instead of after all of them,
/// and every core recovers whenever it has nothing else to do.
final class SenderRecovery: @unchecked Sendable {
    private let transactions: [Transaction]
    private let chainID: UInt64
    /// Guards the fields below; signalled when a result lands.
    private let ready = NSCondition()
    /// Where workers look for the next transaction to claim.
    private var next = 0
    private var results: [Result<Address, any Error>?]
    /// Whether someone (a worker or a caller of ``sender(_:)``) is recovering or recovered each transaction.
    private var claimed: [Bool]
    private var cancelled = false
    /// Workers claim only transactions below this (the caller of ``sender(_:)`` claims any).
    private var claimable = 0
    private var runningWorkers = 0
    private let maxWorkers: Int

    /// Recovers on up to `workers` background threads (none for a single transaction: the caller
    /// recovers it faster than a thread starts) once ``allow(from:upTo:)`` lets them claim transactions;
    /// `allowAll` does so at once.
    init(_ transactions: [Transaction], chainID: UInt64, workers: Int = ProcessInfoCores.count - 1, allowAll: Bool = true) {
        self.transactions = transactions
        self.chainID = chainID
        results = Array(repeating: nil, count: transactions.count)
        claimed = Array(repeating: false, count: transactions.count)
        maxWorkers = transactions.count > 1 ? min(max(0, workers), transactions.count - 1) : 0
        if allowAll { allow(upTo: transactions.count) }
    }

    /// Lets the workers recover the transactions in `start..<end` (a block's, once its seal and
    /// header passed: nobody gets signatures recovered for a block refused before that), starting
    /// them if needed; what lies below `start` is skipped (blocks the import found already stored).
    func allow(from start: Int = 0, upTo end: Int) {
        ready.lock()
        next = max(next, min(start, transactions.count))
        claimable = max(claimable, min(end, transactions.count))
        let starting = next < claimable && !cancelled ? maxWorkers - runningWorkers : 0
        runningWorkers += starting
        ready.unlock()
        for _ in 0..<starting {
            // The closure keeps `self` alive until the worker runs out of transactions.
            DispatchQueue.global(qos: .userInitiated).async { self.work() }
        }
    }

    /// Transaction `i`'s sender (`i` must be a valid index), or why its signature or fields are refused
    /// (a ``TransactionError``). While it is not known, the calling thread recovers it itself if
    /// nobody claimed it, else the next allowed one nobody claimed, and waits only when there is none.
    func sender(_ i: Int) -> Result<Address, any Error> {
        ready.lock()
        while true {
            if let r = results[i] {
                ready.unlock()
                return r
            }
            if let mine = claimed[i] ? claimNext() : i {
                claimed[mine] = true
                ready.unlock()
                recover(mine)
                ready.lock()
            } else {
                // `i` is claimed, so whoever claimed it posts its result.
                ready.wait()
            }
        }
    }

    /// The next allowed transaction nobody claimed (not yet marked), advancing `next`; call under `ready`.
    private func claimNext() -> Int? {
        while next < claimable {
            let candidate = next
            next += 1
            if !claimed[candidate] { return candidate }
        }
        return nil
    }

    /// The lowest-indexed refused transaction in `range`, after recovering every sender there: a
    /// block with a bad signature is refused for it even when an earlier transaction fails to execute.
    func firstFailure(in range: Range<Int>) -> (index: Int, error: any Error)? {
        for i in range {
            if case .failure(let e) = sender(i) { return (i, e) }
        }
        return nil
    }

    /// Stops the workers from claiming more (the transactions left are no longer wanted: a batch
    /// of blocks stopped at an invalid one). A later ``sender(_:)`` still recovers on the caller.
    func cancel() {
        ready.lock()
        cancelled = true
        ready.unlock()
    }

    private func work() {
        while true {
            ready.lock()
            guard !cancelled, let mine = claimNext() else {
                runningWorkers -= 1
                ready.unlock()
                return
            }
            claimed[mine] = true
            ready.unlock()
            recover(mine)
        }
    }

    private func recover(_ i: Int) {
        let r = Result { try transactions[i].validate(chainID: chainID, fork: .cancun) }
        ready.lock()
        results[i] = r
        ready.broadcast()
        ready.unlock()
    }
}
