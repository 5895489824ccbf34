import AnkrPrimitives

/// The world state the EVM reads and writes, journaled so every call frame can be undone.
///
/// The seam between the interpreter and whoever keeps state: the state-test runner keeps it in
/// memory; the main chain adapts its own world state to it.
public protocol EVMState: AnyObject {
    func account(_ address: Address) -> EVMAccount?
    func setAccount(_ address: Address, _ account: EVMAccount?)
    func storage(_ address: Address, _ key: UInt256) -> UInt256
    func setStorage(_ address: Address, _ key: UInt256, _ value: UInt256)
    /// The slot's value when the transaction started (EIP-2200's "original value").
    func originalStorage(_ address: Address, _ key: UInt256) -> UInt256
    /// Whether the account has any non-zero storage (EIP-7610: no contract may be created there).
    func hasStorage(_ address: Address) -> Bool
    /// Removes the account and all its storage.
    func destroy(_ address: Address)
    func snapshot() -> Int
    func revert(to snapshot: Int)
    /// Marks the start of a transaction: original storage values are taken from here on.
    func beginTransaction()
    /// The account's code (empty without an account), without building the rest of the account.
    func code(_ address: Address) -> [UInt8]
    /// Keccak-256 of the account's code as a big-endian word (the hash of no code without an account); a state
    /// that knows it need not hash the code again.
    func codeHash(_ address: Address) -> UInt256
}

extension EVMState {
    public func code(_ address: Address) -> [UInt8] { account(address)?.code ?? [] }

    public func codeHash(_ address: Address) -> UInt256 { Keccak256.word(code(address)) }
}
