import AnkrCrypto
import AnkrPrimitives

/// Why a transaction was rejected.
public enum TransactionError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case unsupportedType(UInt8)
    case malformed(field: String, RLPError)
    case wrongFieldCount(expected: Int, actual: Int)
    case invalidToAddress(length: Int)
    case invalidAccessList(String)
    case nonceTooLarge
    case invalidV(UInt256)
    case wrongChainID(expected: UInt64, actual: UInt64?)
    case invalidSignature(CryptoError)
    case priorityFeeAboveMaxFee
    case gasPriceTimesLimitOverflow
    case intrinsicGasTooLow(required: UInt64, limit: UInt64)
    case initcodeTooLarge(size: Int, limit: Int)
    case tooLarge(size: Int, limit: Int)

    public var description: String {
        switch self {
        case .empty: return "empty transaction"
        case .unsupportedType(let t): return "transaction type 0x\(String(t, radix: 16)) is not supported"
        case .malformed(let f, let e): return "malformed transaction field \(f): \(e)"
        case .wrongFieldCount(let e, let a): return "transaction must have \(e) fields, has \(a)"
        case .invalidToAddress(let n): return "recipient must be empty or 20 bytes, got \(n)"
        case .invalidAccessList(let why): return "invalid access list: \(why)"
        case .nonceTooLarge: return "nonce must be below 2^64-1 (EIP-2681)"
        case .invalidV(let v): return "invalid signature v value \(v)"
        case .wrongChainID(let e, let a): return "wrong chain id: expected \(e), got \(a.map(String.init) ?? "none")"
        case .invalidSignature(let e): return "invalid signature: \(e)"
        case .priorityFeeAboveMaxFee: return "maxPriorityFeePerGas is above maxFeePerGas"
        case .gasPriceTimesLimitOverflow: return "gas limit times fee per gas overflows 256 bits"
        case .intrinsicGasTooLow(let r, let l): return "intrinsic gas too low: needs \(r), gas limit is \(l)"
        case .initcodeTooLarge(let s, let l): return "initcode of \(s) bytes exceeds the \(l)-byte limit (EIP-3860)"
        case .tooLarge(let s, let l): return "transaction of \(s) bytes exceeds the \(l)-byte limit"
        }
    }
}
