import AnkrEVM
import AnkrPrimitives

/// The main chain's ``WorldState`` as the EVM sees it.
///
/// The EVM's state calls cannot throw, but reading the trie can (a missing node is a damaged
/// database, not a contract's fault). The first such error is kept in ``fault`` and reads return
/// empty values from then on; the state transition checks it after running and refuses the
/// transaction, so a damaged database never produces a block.
final class EVMWorldState: EVMState {
    let world: WorldState
    private(set) var fault: Error?
    /// Storage values when the running transaction started (EIP-2200), taken at the first write.
    private var originals: [Address: [UInt256: UInt256]] = [:]
    /// Code by hash: it never changes, and every account read (a BALANCE, each side of a transfer)
    /// would otherwise fetch it from the node store again.
    private var codes: [H256: [UInt8]] = [:]

    init(_ world: WorldState) { self.world = world }

    func record(_ error: Error) { if fault == nil { fault = error } }

    private func attempt<T>(_ fallback: T, _ body: () throws -> T) -> T {
        guard fault == nil else { return fallback }
        do { return try body() } catch { record(error); return fallback }
    }

    static func slot(_ key: UInt256) -> H256 { H256(word: key) }

    func account(_ address: Address) -> EVMAccount? {
        attempt(nil) {
            guard let a = try world.account(address) else { return nil }
            return EVMAccount(nonce: a.nonce, balance: a.balance, code: try code(a.codeHash))
        }
    }

    func setAccount(_ address: Address, _ account: EVMAccount?) {
        attempt(()) {
            guard let account else { return try world.destroy(address) }
            let current = try world.account(address)
            // The code is hashed only when it changed: most writes move balances or bump nonces.
            let unchanged = try current.map { try code($0.codeHash) == account.code } ?? account.code.isEmpty
            try world.setAccount(address, nonce: account.nonce, balance: account.balance, code: unchanged ? nil : account.code)
        }
    }

    func code(_ address: Address) -> [UInt8] {
        attempt([]) { try world.account(address).map { try code($0.codeHash) } ?? [] }
    }

    /// The account already carries its code's hash: nothing is hashed here.
    func codeHash(_ address: Address) -> UInt256 {
        attempt(Self.emptyCodeHash) {
            guard let a = try world.account(address) else { return Self.emptyCodeHash }
            return a.codeHash.bytes.withUnsafeBytes { UInt256(bigEndian: $0, offset: 0, count: 32) }
        }
    }

    static let emptyCodeHash = Keccak256.word([UInt8]())

    private func code(_ hash: H256) throws -> [UInt8] {
        if let c = codes[hash] { return c }
        let c = try world.code(hash: hash)
        codes[hash] = c
        return c
    }

    func storage(_ address: Address, _ key: UInt256) -> UInt256 {
        attempt(.zero) { try world.storage(address, slot: Self.slot(key)) }
    }

    func setStorage(_ address: Address, _ key: UInt256, _ value: UInt256) {
        if originals[address]?[key] == nil { originals[address, default: [:]][key] = storage(address, key) }
        attempt(()) { try world.setStorage(address, slot: Self.slot(key), value) }
    }

    func originalStorage(_ address: Address, _ key: UInt256) -> UInt256 {
        originals[address]?[key] ?? storage(address, key)
    }

    func hasStorage(_ address: Address) -> Bool { attempt(false) { try world.hasStorage(address) } }

    func destroy(_ address: Address) { attempt(()) { try world.destroy(address) } }

    func snapshot() -> Int { world.snapshot() }

    func revert(to snapshot: Int) { world.revert(to: snapshot) }

    func beginTransaction() { originals = [:] }
}
