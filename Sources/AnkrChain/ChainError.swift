import AnkrPrimitives

/// Why a block, receipt or state operation was rejected (a genesis file: ``GenesisError``).
public enum ChainError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(what: String, RLPError)
    case receiptBloomMismatch
    case extraDataTooLong(Int)
    case transaction(index: Int, hash: H256, TransactionError)
    case nonceMismatch(expected: UInt64, actual: UInt64)
    case insufficientFunds(needed: UInt256, available: UInt256)
    case feeCapBelowBaseFee(feeCap: UInt256, baseFee: UInt256)
    case blockGasLimitReached(needed: UInt64, available: UInt64)
    case senderHasCode(Address)
    case balanceOverflow(Address)

    public var description: String {
        switch self {
        case .malformed(let what, let e): return "malformed \(what): \(e)"
        case .receiptBloomMismatch: return "receipt bloom does not match its logs"
        case .extraDataTooLong(let n): return "extraData is \(n) bytes; at most 32 allowed"
        case .transaction(let i, let h, let e): return "transaction \(i) (\(h)): \(e)"
        case .nonceMismatch(let e, let a): return a < e ? "nonce too low: expected \(e), got \(a)" : "nonce too high: expected \(e), got \(a)"
        case .insufficientFunds(let n, let a): return "insufficient funds: needs \(n) wei, has \(a)"
        case .feeCapBelowBaseFee(let f, let b): return "max fee per gas \(f) is below the base fee \(b)"
        case .blockGasLimitReached(let n, let a): return "transaction needs \(n) gas but only \(a) is left in the block"
        case .senderHasCode(let a): return "sender \(a) is a contract (EIP-3607)"
        case .balanceOverflow(let a): return "balance of \(a) would overflow 256 bits"
        }
    }
}
