import AnkrPrimitives
import AnkrTrie

/// An account as the state trie stores it: `RLP([nonce, balance, storageRoot, codeHash])`.
public struct Account: Hashable, Sendable {
    /// keccak256 of empty code.
    public static let emptyCodeHash = Keccak256.h256([UInt8]())

    public var nonce: UInt64
    public var balance: UInt256
    public var storageRoot: H256
    public var codeHash: H256

    public static let empty = Account(nonce: 0, balance: .zero, storageRoot: MerklePatriciaTrie.emptyRoot, codeHash: emptyCodeHash)

    public init(nonce: UInt64, balance: UInt256, storageRoot: H256, codeHash: H256) {
        self.nonce = nonce
        self.balance = balance
        self.storageRoot = storageRoot
        self.codeHash = codeHash
    }

    /// EIP-161: no nonce, no balance, no code.
    public var isEmpty: Bool { nonce == 0 && balance.isZero && codeHash == Self.emptyCodeHash }

    public var encoded: [UInt8] {
        RLP.encode(.list([.uint(nonce), .uint(balance), .bytes(storageRoot.bytes), .bytes(codeHash.bytes)]))
    }

    public init(encoded: [UInt8]) throws {
        do {
            let f = try RLP.decodeList(encoded, count: 4)
            self.init(nonce: try f[0].uint64Value(), balance: try f[1].uint256Value(), storageRoot: try f[2].h256Value(),
                      codeHash: try f[3].h256Value())
        } catch let e as RLPError {
            throw ChainError.malformed(what: "account", e)
        }
    }
}
