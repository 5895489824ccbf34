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
}

/// A journaled in-memory ``EVMState`` (state tests, benchmarks, `ankr evm run`).
public final class InMemoryEVMState: EVMState {
    public private(set) var accounts: [Address: EVMAccount] = [:]
    public private(set) var storages: [Address: [UInt256: UInt256]] = [:]
    private var originals: [Address: [UInt256: UInt256]] = [:]
    private enum Change { case account(Address, EVMAccount?), slot(Address, UInt256, UInt256?), storage(Address, [UInt256: UInt256]?) }
    private var journal: [Change] = []

    public init() {}

    public func account(_ address: Address) -> EVMAccount? { accounts[address] }

    public func setAccount(_ address: Address, _ account: EVMAccount?) {
        journal.append(.account(address, accounts[address]))
        accounts[address] = account
    }

    public func storage(_ address: Address, _ key: UInt256) -> UInt256 { storages[address]?[key] ?? .zero }

    public func setStorage(_ address: Address, _ key: UInt256, _ value: UInt256) {
        let previous = storages[address]?[key]
        if originals[address]?[key] == nil { originals[address, default: [:]][key] = previous ?? .zero }
        journal.append(.slot(address, key, previous))
        storages[address, default: [:]][key] = value.isZero ? nil : value
    }

    public func originalStorage(_ address: Address, _ key: UInt256) -> UInt256 { originals[address]?[key] ?? storage(address, key) }

    public func hasStorage(_ address: Address) -> Bool { !(storages[address]?.isEmpty ?? true) }

    public func destroy(_ address: Address) {
        journal.append(.account(address, accounts[address]))
        journal.append(.storage(address, storages[address]))
        accounts[address] = nil
        storages[address] = nil
    }

    public func snapshot() -> Int { journal.count }

    public func revert(to snapshot: Int) {
        while journal.count > snapshot {
            switch journal.removeLast() {
            case .account(let a, let old): accounts[a] = old
            case .slot(let a, let k, let old): storages[a, default: [:]][k] = old
            case .storage(let a, let old): storages[a] = old
            }
        }
    }

    public func beginTransaction() {
        originals = [:]
        journal = []
    }
}
