import AnkrPrimitives

/// An account as the EVM sees it.
public struct EVMAccount: Equatable, Sendable {
    public var nonce: UInt64
    public var balance: UInt256
    public var code: [UInt8]

    public init(nonce: UInt64 = 0, balance: UInt256 = .zero, code: [UInt8] = []) { self.nonce = nonce; self.balance = balance; self.code = code }

    /// EIP-161: no code, zero nonce, zero balance.
    public var isEmpty: Bool { nonce == 0 && balance.isZero && code.isEmpty }
}
