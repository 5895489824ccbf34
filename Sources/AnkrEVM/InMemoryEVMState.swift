import AnkrPrimitives

/// A journaled in-memory ``EVMState`` (state tests, benchmarks, `ankr evm run`).
///
/// Accounts and storage slots sit in two ``StateTable``s with cheap seeded hashes. A slot's entry holds both its
/// current value and its value when the transaction started, so an SSTORE's gas rule finds both in one lookup,
/// and starting a transaction only bumps a counter instead of clearing a map of originals.
public final class InMemoryEVMState: EVMState {
    private var store = Store()

    public init() {}

    /// Every existing account.
    public var accounts: [Address: EVMAccount] { store.accounts() }

    /// Every non-zero storage slot, by account.
    public var storages: [Address: [UInt256: UInt256]] { store.storages() }

    public func account(_ address: Address) -> EVMAccount? { store.account(address) }

    public func setAccount(_ address: Address, _ account: EVMAccount?) { store.setAccount(address, account) }

    public func code(_ address: Address) -> [UInt8] { store.code(address) }

    public func codeHash(_ address: Address) -> UInt256 { store.codeHash(address) }

    public func storage(_ address: Address, _ key: UInt256) -> UInt256 { store.storage(address, key) }

    public func setStorage(_ address: Address, _ key: UInt256, _ value: UInt256) { store.setStorage(address, key, value) }

    public func originalStorage(_ address: Address, _ key: UInt256) -> UInt256 { store.originalStorage(address, key) }

    public func hasStorage(_ address: Address) -> Bool { store.hasStorage(address) }

    public func destroy(_ address: Address) { store.destroy(address) }

    public func snapshot() -> Int { store.journalCount }

    public func revert(to snapshot: Int) { store.revert(to: snapshot) }

    public func beginTransaction() { store.beginTransaction() }
}
