import AnkrPrimitives

/// A call or creation frame as a tracer sees it when it starts.
public struct TracedFrame: Sendable, Equatable {
    /// The opcode (or transaction) that opened the frame.
    public enum Kind: String, Sendable, Equatable {
        case call = "CALL", callcode = "CALLCODE", delegatecall = "DELEGATECALL", staticcall = "STATICCALL", create = "CREATE", create2 = "CREATE2"

        /// Whether the frame runs initcode.
        public var isCreation: Bool { self == .create || self == .create2 }
    }

    public let kind: Kind
    /// The caller (for DELEGATECALL the account whose code delegates, as geth reports it).
    public let from: Address
    /// The callee: whose code runs (the created address for creations).
    public let to: Address
    /// Calldata, or the initcode of a creation.
    public let input: [UInt8]
    /// The gas the frame starts with (a value call's stipend included).
    public let gas: UInt64
    /// The value moved (DELEGATECALL: the value it inherits; STATICCALL: nil).
    public let value: UInt256?
    /// 0 for the transaction's frame, +1 per nested call.
    public let depth: Int

    public init(kind: Kind, from: Address, to: Address, input: [UInt8], gas: UInt64, value: UInt256?, depth: Int) {
        self.kind = kind; self.from = from; self.to = to; self.input = input; self.gas = gas; self.value = value; self.depth = depth
    }
}
