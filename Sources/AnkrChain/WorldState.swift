import AnkrPrimitives
import AnkrTrie

/// Read access to account state; the RPC layer and the mempool depend on this, not on the trie.
public protocol StateReader {
    func account(_ address: Address) throws -> Account?
    func storage(_ address: Address, slot: H256) throws -> UInt256
    func code(_ address: Address) throws -> [UInt8]
}

/// The world state: accounts in a secure MPT, each with a secure storage trie, code by hash, all
/// over one ``NodeStore``.
///
/// Changes collect in an overlay with an undo journal: ``snapshot()`` marks a point and
/// ``revert(to:)`` undoes everything after it, so a failed transaction or call leaves no trace.
/// ``commit()`` folds the overlay into the tries and returns the new state root.
public final class WorldState: StateReader {
    private var accounts: SecureMerklePatriciaTrie
    public let store: NodeStore
    /// Trie nodes read so far, decoded: commit rewrites the paths execution read.
    private let decoded: DecodedNodeCache

    /// Accounts read or written since the last commit (nil: known not to exist).
    private var cache: [Address: Account?] = [:]
    /// Storage slots written since the last commit.
    private var dirtyStorage: [Address: [H256: UInt256]] = [:]
    private var newCode: [H256: [UInt8]] = [:]
    /// Accounts touched since the last commit; empty ones among them are deleted (EIP-161).
    private var touched: Set<Address> = []
    private var journal: [JournalEntry] = []

    private enum JournalEntry {
        case account(Address, previous: Account??)
        case storage(Address, H256, previous: UInt256?)
        case touch(Address, wasTouched: Bool)
        case wipe(Address, previous: [H256: UInt256]?, wasWiped: Bool)
    }
    /// Accounts destroyed since the last commit: their stored storage trie is gone, whatever the
    /// account's old root says.
    private var wiped: Set<Address> = []

    public init(root: H256 = MerklePatriciaTrie.emptyRoot, store: NodeStore = InMemoryNodeStore()) {
        self.store = store
        let decoded = DecodedNodeCache()
        self.decoded = decoded
        self.accounts = SecureMerklePatriciaTrie(root: root, store: store, cache: decoded)
    }

    // MARK: Reading

    public func account(_ address: Address) throws -> Account? {
        if let cached = cache[address] { return cached }
        let loaded = try accounts.get(address.bytes).map(Account.init(encoded:))
        cache[address] = .some(loaded)
        return loaded
    }

    public func balance(_ address: Address) throws -> UInt256 { try account(address)?.balance ?? .zero }
    public func nonce(_ address: Address) throws -> UInt64 { try account(address)?.nonce ?? 0 }

    public func storage(_ address: Address, slot: H256) throws -> UInt256 {
        if let v = dirtyStorage[address]?[slot] { return v }
        if wiped.contains(address) { return .zero }
        guard let acct = try account(address), acct.storageRoot != MerklePatriciaTrie.emptyRoot else { return .zero }
        let trie = SecureMerklePatriciaTrie(root: acct.storageRoot, store: store, cache: decoded)
        guard let raw = try trie.get(slot.bytes) else { return .zero }
        do {
            return try RLP.decode(raw).uint256Value()
        } catch let e as RLPError {
            throw ChainError.malformed(what: "storage value", e)
        }
    }

    public func code(_ address: Address) throws -> [UInt8] {
        guard let acct = try account(address) else { return [] }
        return try code(hash: acct.codeHash)
    }

    /// Code by its hash (empty for the empty code's hash).
    public func code(hash: H256) throws -> [UInt8] {
        guard hash != Account.emptyCodeHash else { return [] }
        if let c = newCode[hash] { return c }
        guard let c = try store.node(hash) else { throw TrieError.missingNode(hash) }
        return c
    }

    /// Whether the account has storage (EIP-7610: no contract may be created over it).
    public func hasStorage(_ address: Address) throws -> Bool {
        if dirtyStorage[address]?.values.contains(where: { !$0.isZero }) == true { return true }
        guard !wiped.contains(address), let acct = try account(address) else { return false }
        return acct.storageRoot != MerklePatriciaTrie.emptyRoot
    }

    // MARK: Writing

    private func write(_ address: Address, _ account: Account?) throws {
        let previous: Account?? = cache[address]
        if previous == nil { _ = try self.account(address) }
        journal.append(.account(address, previous: cache[address]))
        cache[address] = .some(account)
        touch(address)
    }

    /// Marks an account touched (EIP-161): if it is empty at commit, it is removed.
    public func touch(_ address: Address) {
        journal.append(.touch(address, wasTouched: touched.contains(address)))
        touched.insert(address)
    }

    public func setBalance(_ address: Address, _ balance: UInt256) throws {
        var a = try account(address) ?? .empty
        a.balance = balance
        try write(address, a)
    }

    /// Adds to a balance; overflow is an error rather than a wrap.
    public func addBalance(_ address: Address, _ amount: UInt256) throws {
        let (sum, overflow) = try balance(address).addingReportingOverflow(amount)
        guard !overflow else { throw ChainError.balanceOverflow(address) }
        try setBalance(address, sum)
    }

    /// Subtracts from a balance; the caller checks it suffices.
    public func subtractBalance(_ address: Address, _ amount: UInt256) throws {
        let current = try balance(address)
        guard current >= amount else { throw ChainError.insufficientFunds(needed: amount, available: current) }
        try setBalance(address, current &- amount)
    }

    public func setNonce(_ address: Address, _ nonce: UInt64) throws {
        var a = try account(address) ?? .empty
        a.nonce = nonce
        try write(address, a)
    }

    public func setCode(_ address: Address, _ code: [UInt8]) throws {
        var a = try account(address) ?? .empty
        a.codeHash = Keccak256.h256(code)
        if !code.isEmpty { newCode[a.codeHash] = code }
        try write(address, a)
    }

    /// Sets nonce and balance, and the code when `code` is given (its hash is computed only then).
    public func setAccount(_ address: Address, nonce: UInt64, balance: UInt256, code: [UInt8]? = nil) throws {
        var a = try account(address) ?? .empty
        a.nonce = nonce
        a.balance = balance
        if let code {
            a.codeHash = Keccak256.h256(code)
            if !code.isEmpty { newCode[a.codeHash] = code }
        }
        try write(address, a)
    }

    /// Removes the account with all its storage (SELFDESTRUCT, EIP-161 cleanup).
    public func destroy(_ address: Address) throws {
        try write(address, nil)
        journal.append(.wipe(address, previous: dirtyStorage[address], wasWiped: wiped.contains(address)))
        dirtyStorage[address] = nil
        wiped.insert(address)
    }

    public func setStorage(_ address: Address, slot: H256, _ value: UInt256) throws {
        let previous = dirtyStorage[address]?[slot]
        journal.append(.storage(address, slot, previous: previous))
        dirtyStorage[address, default: [:]][slot] = value
        if try account(address) == nil { try write(address, .empty) }
    }

    // MARK: Journal

    /// A point to return to with ``revert(to:)``.
    public func snapshot() -> Int { journal.count }

    /// Undoes every change made after `snapshot`.
    public func revert(to snapshot: Int) {
        while journal.count > snapshot {
            switch journal.removeLast() {
            case .account(let address, let previous):
                if let previous { cache[address] = previous } else { cache[address] = nil }
            case .storage(let address, let slot, let previous):
                if let previous { dirtyStorage[address]?[slot] = previous } else { dirtyStorage[address]?[slot] = nil }
            case .touch(let address, let wasTouched):
                if !wasTouched { touched.remove(address) }
            case .wipe(let address, let previous, let wasWiped):
                dirtyStorage[address] = previous
                if !wasWiped { wiped.remove(address) }
            }
        }
    }

    // MARK: Commit

    /// The state root the overlay would commit to, without writing anything.
    public func intermediateRoot() throws -> H256 {
        var scratch = accounts
        try apply(to: &scratch, persist: false)
        return scratch.rootHash
    }

    /// Writes storage tries, code and accounts to the store; returns the new state root.
    @discardableResult
    public func commit() throws -> H256 {
        try apply(to: &accounts, persist: true)
        let root = try accounts.commit()
        cache = [:]
        dirtyStorage = [:]
        newCode = [:]
        touched = []
        wiped = []
        journal = []
        return root
    }

    private func apply(to trie: inout SecureMerklePatriciaTrie, persist: Bool) throws {
        var changed = Set(cache.keys)
        changed.formUnion(dirtyStorage.keys)
        changed.formUnion(wiped)
        // One batch for the account trie, so a block's accounts go in on every core.
        var updates = [(key: [UInt8], value: [UInt8])]()
        for address in changed.sorted() {
            guard case .some(let maybe) = cache[address] else { continue }
            guard var acct = maybe else {
                updates.append((address.bytes, []))
                continue
            }
            // A destroyed and re-created account starts from empty storage.
            if wiped.contains(address) { acct.storageRoot = MerklePatriciaTrie.emptyRoot }
            if let slots = dirtyStorage[address], !slots.isEmpty {
                var storage = SecureMerklePatriciaTrie(root: acct.storageRoot, store: store, cache: decoded)
                try storage.update(slots.map { (key: $0.key.bytes, value: $0.value.isZero ? [] : RLP.encode(.uint($0.value))) })
                acct.storageRoot = persist ? try storage.commit() : storage.rootHash
            }
            if touched.contains(address) && acct.isEmpty {
                updates.append((address.bytes, []))
            } else if touched.contains(address) || dirtyStorage[address] != nil || wiped.contains(address) {
                // Only written accounts go back into the trie; reads alone change nothing.
                updates.append((address.bytes, acct.encoded))
            }
            if persist && acct.codeHash != Account.emptyCodeHash, let code = newCode[acct.codeHash] {
                try store.put(acct.codeHash, code)
            }
        }
        try trie.update(updates)
    }
}
