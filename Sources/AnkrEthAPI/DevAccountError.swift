import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// Why a development-account method (`eth_sendTransaction`, `eth_sign`, `eth_signTransaction`,
/// `eth_fillTransaction`, `personal_sign`) refused a call. ``description`` is the JSON-RPC error message, in
/// geth's words where geth has them (an `unknown account` stays recognisable to tools that match geth's text).
public enum DevAccountError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The node unlocks no account at all: it does not run a development chain.
    case notADevelopmentChain(Address?)
    /// A development chain, but the call named no `from` account to sign with.
    case missingFrom
    /// A development chain, but `from` is not one of its unlocked accounts.
    case unknownAccount(Address)
    /// Both a legacy `gasPrice` and EIP-1559 fee caps were given.
    case gasPriceWithDynamicFees
    /// An explicit `type` whose fee fields belong to another type (`gasPrice` on type 2, fee caps on type 0 or 1).
    case feesDoNotMatchType(TransactionType)
    case zeroGasPrice
    case zeroMaxFee
    case maxFeeBelowPriorityFee(maxFee: UInt256, priorityFee: UInt256)
    /// The default fee cap (twice the head's base fee plus the tip) does not fit 256 bits.
    case feeOverflow
    /// `data` and `input` were both given and differ.
    case conflictingInput
    case creationWithoutData
    case chainIDMismatch(have: UInt256, want: UInt64)
    /// A `type` Ankr has no envelope for (blob and set-code transactions have their own cases).
    case unsupportedType(UInt64)
    /// EIP-4844 fields or type 3: Ankr's chain carries no blobs.
    case blobTransaction
    /// An EIP-7702 authorization list or type 4: Ankr's chain has no set-code transactions.
    case setCodeTransaction
    /// `eth_signTransaction` signs only a complete transaction, as geth: these three are never filled in for it.
    case gasNotSpecified
    case nonceNotSpecified
    case feesNotSpecified

    public var description: String {
        switch self {
        case .notADevelopmentChain(let address):
            return "unknown account\(address.map { " \($0.checksummed)" } ?? ""): this node unlocks no accounts; development "
                + "accounts are unlocked only on development chains (ankr node --dev, ankr devnet). Sign locally and use eth_sendRawTransaction"
        case .missingFrom:
            return "from is required: the unlocked account to sign with (one of eth_accounts)"
        case .unknownAccount(let address):
            return "unknown account \(address.checksummed): not one of this node's unlocked development accounts (eth_accounts)"
        case .gasPriceWithDynamicFees:
            return "both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified"
        case .feesDoNotMatchType(let type):
            return type == .dynamicFee ? "gasPrice given for a type 0x2 (EIP-1559) transaction: use maxFeePerGas and maxPriorityFeePerGas"
                : "maxFeePerGas/maxPriorityFeePerGas given for a type 0x\(type.rawValue) transaction: use gasPrice"
        case .zeroGasPrice:
            return "gasPrice must be non-zero after london fork"
        case .zeroMaxFee:
            return "maxFeePerGas must be non-zero"
        case .maxFeeBelowPriorityFee(let maxFee, let priorityFee):
            return "maxFeePerGas (\(maxFee.hexQuantity)) < maxPriorityFeePerGas (\(priorityFee.hexQuantity))"
        case .feeOverflow:
            return "the default maxFeePerGas (twice the base fee plus the tip) exceeds 2^256-1: give maxFeePerGas"
        case .conflictingInput:
            return #"both "data" and "input" are set and not equal. Please use "input" to pass transaction call data"#
        case .creationWithoutData:
            return "contract creation without any data provided"
        case .chainIDMismatch(let have, let want):
            return "chainId does not match node's (have=\(have.description), want=\(want))"
        case .unsupportedType(let type):
            return "transaction type 0x\(String(type, radix: 16)) is not supported (Ankr takes types 0x0, 0x1 and 0x2)"
        case .blobTransaction:
            return "blob transactions (EIP-4844) are not supported: Ankr's chain carries no blobs"
        case .setCodeTransaction:
            return "set-code transactions (EIP-7702, authorizationList) are not supported on Ankr"
        case .gasNotSpecified:
            return "gas not specified"
        case .nonceNotSpecified:
            return "nonce not specified"
        case .feesNotSpecified:
            return "missing gasPrice or maxFeePerGas/maxPriorityFeePerGas"
        }
    }

    /// The JSON-RPC error: -32000, as geth answers every one of these.
    public var rpc: RPCError { .server(description) }
}
