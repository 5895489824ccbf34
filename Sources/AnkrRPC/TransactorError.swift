import AnkrPrimitives

/// Why a ``Transactor`` could not send a transaction, or why it did not succeed.
public enum TransactorError: Error, CustomStringConvertible, Equatable {
    /// The node refused to estimate a call or transfer (it would revert, the sender cannot pay, …).
    case transactionRefused(RPCClientError)
    /// The node refused to estimate a contract creation.
    case deploymentRefused(RPCClientError)
    /// The node's gas estimate is above the 30M block gas limit.
    case gasEstimateTooLarge(UInt256)
    /// The latest block has no base fee to price the transaction with.
    case noBaseFee
    /// A deployment's receipt names no created contract.
    case noContractAddress(H256)
    /// The transaction was mined and failed.
    case failed(H256, block: UInt64)
    /// The transaction was not `wanted` blocks deep on the canonical chain when the wait ran out after
    /// `seconds`; `reached` is how deep it was then (0: in no canonical block). `resendRefused` is the
    /// node's answer when it last refused to take the transaction again after losing it.
    case unconfirmed(H256, reached: Int, wanted: Int, seconds: Int, resendRefused: RPCClientError?)
    /// A confirmation count outside 1...``ConfirmationWaiter/maxConfirmations``.
    case confirmationsOutOfRange(Int)
    /// A wait allowance that is not a positive number of seconds up to ``ConfirmationWaiter/maxSeconds``
    /// (or, per further confirmation, from 0 up to ``ConfirmationWaiter/maxSecondsPerConfirmation``).
    case waitOutOfRange(Double)

    public var description: String {
        switch self {
        case .transactionRefused(let error): return "the node refuses this transaction: \(error)"
        case .deploymentRefused(let error): return "the node refuses this deployment: \(error)"
        case .gasEstimateTooLarge(let estimate): return "gas estimate \(estimate) is too large"
        case .noBaseFee: return "the node did not return the latest block"
        case .noContractAddress(let hash): return "the receipt of \(hash) names no contract address"
        case .failed(let hash, let block): return "transaction \(hash) failed in block \(block)"
        case .unconfirmed(let hash, let reached, let wanted, let seconds, let refusal):
            let state = reached == 0 && wanted == 1 ? "no receipt for \(hash) after \(seconds) s"
                : "transaction \(hash) has \(reached) of \(wanted) confirmations after \(seconds) s"
            return state + (refusal.map { "; the node refused to take it again: \($0)" } ?? "")
        case .confirmationsOutOfRange(let n): return "confirmations must be 1 to \(ConfirmationWaiter.maxConfirmations), not \(n)"
        case .waitOutOfRange(let seconds): return "a wait of \(seconds) s is out of range (at most \(Int(ConfirmationWaiter.maxSeconds)) s)"
        }
    }
}
