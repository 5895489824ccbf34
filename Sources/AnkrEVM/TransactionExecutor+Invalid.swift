extension TransactionExecutor {
    /// Why a transaction cannot be included at all (state unchanged), in Cancun's order of checks.
    public enum Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        case gasLimitAbove64Bits
        case nonceAtMaximum
        case gasLimitAboveBlock
        case priorityFeeAboveMaxFee
        case maxFeeBelowBaseFee
        case senderHasCode
        case nonceMismatch(transaction: UInt64, account: UInt64)
        case blobTransactionCreates
        case blobCount(max: Int)
        case blobHashVersion
        case blobFeeBelowBlobBaseFee
        case insufficientFundsForBlobGas
        case insufficientFunds
        case intrinsicGasTooLow
        case initcodeTooLarge

        public var description: String {
            switch self {
            case .gasLimitAbove64Bits: return "gas limit does not fit 64 bits"
            case .nonceAtMaximum: return "nonce is at its maximum"
            case .gasLimitAboveBlock: return "gas limit above the block's"
            case .priorityFeeAboveMaxFee: return "priority fee above the max fee"
            case .maxFeeBelowBaseFee: return "max fee below the base fee"
            case .senderHasCode: return "sender is not an externally owned account"
            case .nonceMismatch(let tx, let account): return "nonce \(tx) is not the sender's \(account)"
            case .blobTransactionCreates: return "a blob transaction cannot create a contract"
            case .blobCount(let max): return "a blob transaction carries 1…\(max) blobs"
            case .blobHashVersion: return "a blob hash is not a version-1 KZG commitment hash"
            case .blobFeeBelowBlobBaseFee: return "max fee per blob gas below the blob base fee"
            case .insufficientFundsForBlobGas: return "insufficient funds for blob gas"
            case .insufficientFunds: return "insufficient funds for gas × price + value"
            case .intrinsicGasTooLow: return "intrinsic gas too low"
            case .initcodeTooLarge: return "initcode too large"
            }
        }
    }
}
