import AnkrCrypto
import AnkrPrimitives
import Foundation

/// The unlocked development keys of a development chain, in the order `eth_accounts` lists them, with one lock
/// per account: `eth_sendTransaction` holds it from choosing the nonce to admitting the transaction, so two
/// concurrent sends from one account never get the same nonce (geth's nonce lock).
final class DevAccountKeyring: Sendable {
    /// The keys, each address once, first occurrence first.
    let keys: [PrivateKey]
    private let index: [Address: Int]
    private let locks: [NSLock]

    init(_ keys: [PrivateKey]) {
        var unique = [PrivateKey]()
        var index = [Address: Int]()
        for key in keys where index[key.address] == nil {
            index[key.address] = unique.count
            unique.append(key)
        }
        self.keys = unique
        self.index = index
        locks = unique.map { _ in NSLock() }
    }

    /// The accounts, as `eth_accounts` lists them.
    var addresses: [Address] { keys.map(\.address) }

    var isEmpty: Bool { keys.isEmpty }

    /// The key of `address`, or nil when it is not unlocked.
    func key(_ address: Address) -> PrivateKey? { index[address].map { keys[$0] } }

    /// Runs `body` holding `address`'s nonce lock (just runs it for an address that is not unlocked).
    func withNonceLock<T>(_ address: Address, _ body: () throws -> T) rethrows -> T {
        guard let i = index[address] else { return try body() }
        locks[i].lock()
        defer { locks[i].unlock() }
        return try body()
    }
}
