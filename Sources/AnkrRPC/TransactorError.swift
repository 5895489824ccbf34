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
    /// No receipt arrived in time.
    case noReceipt(H256, seconds: Int)

    public var description: String {
        switch self {
        case .transactionRefused(let error): return "the node refuses this transaction: \(error)"
        case .deploymentRefused(let error): return "the node refuses this deployment: \(error)"
        case .gasEstimateTooLarge(let estimate): return "gas estimate \(estimate) is too large"
        case .noBaseFee: return "the node did not return the latest block"
        case .noContractAddress(let hash): return "the receipt of \(hash) names no contract address"
        case .failed(let hash, let block): return "transaction \(hash) failed in block 0x\(String(block, radix: 16))"
        case .noReceipt(let hash, let seconds): return "no receipt for \(hash) after \(seconds) s"
        }
    }
}
