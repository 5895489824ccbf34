import AnkrEVM
import AnkrPrimitives

/// The transaction envelopes Ankr accepts, numbered as EIP-2718 types.
public enum TransactionType: UInt8, Sendable, CustomStringConvertible {
    case legacy = 0
    case accessList = 1
    case dynamicFee = 2

    public var description: String {
        switch self {
        case .legacy: return "legacy"
        case .accessList: return "eip2930"
        case .dynamicFee: return "eip1559"
        }
    }
}

/// One EIP-2930 access-list entry.
public struct AccessListEntry: Hashable, Sendable {
    public var address: Address
    public var storageKeys: [H256]

    public init(address: Address, storageKeys: [H256]) {
        self.address = address
        self.storageKeys = storageKeys
    }
}

/// An Ethereum transaction of any supported type, signed or not (signature fields zero).
///
/// Integer fields are checked on decode to fit their Ethereum widths; `gasPrice` is the legacy and
/// EIP-2930 price, `maxFeePerGas`/`maxPriorityFeePerGas` belong to EIP-1559.
public struct Transaction: Hashable, Sendable {
    public var type: TransactionType
    /// nil only for a legacy transaction signed without EIP-155 replay protection.
    public var chainID: UInt64?
    public var nonce: UInt64
    public var gasPrice: UInt256
    public var maxPriorityFeePerGas: UInt256
    public var maxFeePerGas: UInt256
    public var gasLimit: UInt64
    /// nil creates a contract.
    public var to: Address?
    public var value: UInt256
    public var data: [UInt8]
    public var accessList: [AccessListEntry]
    /// v as it appears on the wire: 27/28 or chainId·2+35/36 for legacy, the y parity for typed.
    public var v: UInt256
    public var r: UInt256
    public var s: UInt256

    /// A legacy (type 0) transaction, unsigned.
    public static func legacy(chainID: UInt64?, nonce: UInt64, gasPrice: UInt256, gasLimit: UInt64, to: Address?,
                              value: UInt256, data: [UInt8] = []) -> Transaction {
        Transaction(type: .legacy, chainID: chainID, nonce: nonce, gasPrice: gasPrice, maxPriorityFeePerGas: .zero,
                    maxFeePerGas: .zero, gasLimit: gasLimit, to: to, value: value, data: data, accessList: [],
                    v: .zero, r: .zero, s: .zero)
    }

    /// An EIP-2930 (type 1) transaction, unsigned.
    public static func accessList(chainID: UInt64, nonce: UInt64, gasPrice: UInt256, gasLimit: UInt64, to: Address?,
                                  value: UInt256, data: [UInt8] = [], accessList: [AccessListEntry] = []) -> Transaction {
        Transaction(type: .accessList, chainID: chainID, nonce: nonce, gasPrice: gasPrice, maxPriorityFeePerGas: .zero,
                    maxFeePerGas: .zero, gasLimit: gasLimit, to: to, value: value, data: data, accessList: accessList,
                    v: .zero, r: .zero, s: .zero)
    }

    /// An EIP-1559 (type 2) transaction, unsigned.
    public static func dynamicFee(chainID: UInt64, nonce: UInt64, maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256,
                                  gasLimit: UInt64, to: Address?, value: UInt256, data: [UInt8] = [],
                                  accessList: [AccessListEntry] = []) -> Transaction {
        Transaction(type: .dynamicFee, chainID: chainID, nonce: nonce, gasPrice: .zero,
                    maxPriorityFeePerGas: maxPriorityFeePerGas, maxFeePerGas: maxFeePerGas, gasLimit: gasLimit, to: to,
                    value: value, data: data, accessList: accessList, v: .zero, r: .zero, s: .zero)
    }

    /// The most this transaction can pay per gas (gasPrice, or maxFeePerGas for EIP-1559).
    public var feeCap: UInt256 { type == .dynamicFee ? maxFeePerGas : gasPrice }

    /// The tip cap per gas (gasPrice for legacy and EIP-2930).
    public var tipCap: UInt256 { type == .dynamicFee ? maxPriorityFeePerGas : gasPrice }

    public var isContractCreation: Bool { to == nil }

    /// The address a creation deploys to (keccak(RLP[sender, nonce])); nil for a call.
    public func createdContract(sender: Address) -> Address? {
        isContractCreation ? EVM.createAddress(sender, nonce: nonce) : nil
    }
}
