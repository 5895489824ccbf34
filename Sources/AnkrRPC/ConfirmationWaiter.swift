import AnkrPrimitives
import Foundation

/// Waits until a transaction is a given number of blocks deep on the node's canonical chain: its
/// receipt's block plus `confirmations − 1` is at or below the head, and the canonical block at the
/// receipt's number is still the receipt's block. When that block is orphaned the waiter keeps
/// following the transaction into whichever block holds it next, and re-sends the signed encoding
/// (when given one) if the node no longer knows the transaction, until the deadline.
public struct ConfirmationWaiter: Sendable {
    /// The most confirmations anyone may ask for: with the per-confirmation allowance this bounds the wait.
    public static let maxConfirmations = 1_000
    /// The longest allowance for the first confirmation, a day.
    public static let maxSeconds: Double = 86_400
    /// The longest allowance for each confirmation after the first, an hour.
    public static let maxSecondsPerConfirmation: Double = 3_600

    /// How deep the transaction's block must be: 1 is "mined in a canonical block".
    public let confirmations: Int
    /// The time allowed for the whole wait: the first confirmation's allowance plus
    /// `secondsPerConfirmation` for each further one.
    public let seconds: Double
    /// The pause between polls of the node.
    public let pollInterval: Double
    /// The least time between two re-sends of a transaction the node keeps losing.
    public let resendInterval: Double

    /// `seconds` is the allowance for the first confirmation, `secondsPerConfirmation` the one for
    /// each further block (a slow block or two on a 5 s chain fits in the default). Throws
    /// ``TransactorError/confirmationsOutOfRange(_:)`` or ``TransactorError/waitOutOfRange(_:)`` for a
    /// count or an allowance outside the bounds above.
    public init(confirmations: Int = 1, seconds: Double = 120, secondsPerConfirmation: Double = 30,
                pollInterval: Double = 0.1, resendInterval: Double = 2) throws {
        guard (1...Self.maxConfirmations).contains(confirmations) else { throw TransactorError.confirmationsOutOfRange(confirmations) }
        guard seconds.isFinite, seconds > 0, seconds <= Self.maxSeconds else { throw TransactorError.waitOutOfRange(seconds) }
        guard secondsPerConfirmation.isFinite, secondsPerConfirmation >= 0, secondsPerConfirmation <= Self.maxSecondsPerConfirmation else {
            throw TransactorError.waitOutOfRange(secondsPerConfirmation)
        }
        self.confirmations = confirmations
        self.seconds = seconds + Double(confirmations - 1) * secondsPerConfirmation
        self.pollInterval = pollInterval.isFinite ? min(max(pollInterval, 0), 5) : 0.1
        self.resendInterval = resendInterval.isFinite ? min(max(resendInterval, 0), 60) : 2
    }

    /// Follows `hash` on `chain` until it is ``confirmations`` deep and returns its receipt from the
    /// canonical block (which may differ from the first block it was seen in). `raw` is the signed
    /// transaction to hand back to a node that lost it; `progress` hears each change once.
    /// Throws ``TransactorError/unconfirmed(_:reached:wanted:seconds:resendRefused:)`` at the deadline,
    /// and whatever the node's client throws (a refused re-send is not thrown: the deadline decides).
    public func wait(for hash: H256, on chain: some ConfirmationSource, resending raw: [UInt8]? = nil,
                     progress: (ConfirmationProgress) -> Void = { _ in }) throws -> EthClient.Receipt {
        let start = Date()
        var reached = 0
        var holder: (number: UInt64, hash: H256)?
        var told: ConfirmationProgress?
        var lastResend: Date?
        var refusal: RPCClientError?
        func tell(_ event: ConfirmationProgress) {
            guard event != told else { return }
            told = event
            progress(event)
        }
        while true {
            if let receipt = try chain.receipt(hash), try chain.canonicalHash(at: receipt.blockNumber) == receipt.blockHash {
                let head = try chain.blockNumber()
                // A head below the receipt's block is a node that moved between the two reads: nothing counts yet.
                // Depth is capped before it becomes an Int, so no head number can overflow it.
                reached = head >= receipt.blockNumber ? Int(min(head - receipt.blockNumber, UInt64(Self.maxConfirmations))) + 1 : 0
                // Orphaned and mined again between two polls: the old block is gone all the same.
                if let old = holder, old.hash != receipt.blockHash { tell(.orphaned(hash, block: old.number)) }
                holder = (receipt.blockNumber, receipt.blockHash)
                if reached >= confirmations { return receipt }
                tell(.waiting(hash, block: receipt.blockNumber, wanted: confirmations))
            } else {
                // No receipt, or one from a block no longer canonical (a node whose receipt index lags its fork choice).
                reached = 0
                if let orphan = holder {
                    tell(.orphaned(hash, block: orphan.number))
                    holder = nil
                }
                if let raw, try !chain.knows(hash), lastResend.map({ Date().timeIntervalSince($0) >= resendInterval }) ?? true {
                    lastResend = Date()
                    do {
                        _ = try chain.sendRawTransaction(raw)
                        refusal = nil
                        tell(.resent(hash))
                    } catch let error as RPCClientError {
                        // The node's verdict (nonce taken, fee too low, …) may change with the next block; an
                        // unreachable node ends the wait like any other read would.
                        guard case .rpc = error else { throw error }
                        refusal = error
                    }
                }
            }
            let waited = Date().timeIntervalSince(start)
            guard waited < seconds else {
                throw TransactorError.unconfirmed(hash, reached: reached, wanted: confirmations, seconds: Int(waited.rounded()), resendRefused: refusal)
            }
            Thread.sleep(forTimeInterval: min(pollInterval, seconds - waited))
        }
    }
}
