import AnkrPlasma
import AnkrPrimitives
import Foundation

/// An in-memory main chain for the operator to follow: blocks carry PlasmaRoot `Deposit` and
/// `ExitStarted` events, and `reorganise(keeping:)` replaces its tail with blocks of new hashes.
final class FakeMainChain: MainChainReader, @unchecked Sendable {
    private struct Block {
        let hash: H256
        let logs: [(event: String, arguments: [ABIValue])]
    }

    private let lock = NSLock()
    private var blocks = [Block]()
    /// Every block ever mined gets a fresh hash, so a replaced block never matches the old one.
    private var minted: UInt64 = 0

    init() { mine() }

    /// Mines one block holding `deposits` (deposit block, owner, amount) and `exits` (UTXO positions).
    func mine(deposits: [(block: UInt64, owner: Address, amount: UInt64)] = [], exits: [(owner: Address, position: UInt64)] = []) {
        lock.withLock {
            minted += 1
            let logs = deposits.map { ("Deposit", [ABIValue.address($0.owner), .uint(UInt256($0.block)), .uint(UInt256($0.amount))]) }
                + exits.map { ("ExitStarted", [ABIValue.address($0.owner), .uint(UInt256($0.position)), .uint(.zero)]) }
            blocks.append(Block(hash: H256(word: UInt256(minted)), logs: logs))
        }
    }

    /// Mines empty blocks until the head is `number`.
    func mine(until number: UInt64) {
        while (try? headNumber()).map({ $0 < number }) ?? false { mine() }
    }

    /// Drops every block above `number` (a reorganisation; mine the new branch afterwards).
    func reorganise(keeping number: UInt64) {
        lock.withLock { blocks.removeLast(max(0, blocks.count - Int(number) - 1)) }
    }

    func headNumber() throws -> UInt64 { lock.withLock { UInt64(blocks.count - 1) } }

    func blockHash(at number: UInt64) throws -> H256? {
        lock.withLock { number < UInt64(blocks.count) ? blocks[Int(number)].hash : nil }
    }

    func logs(_ event: String, from: UInt64, to: UInt64) throws -> [MainChainLog] {
        lock.withLock {
            guard from <= to, from < UInt64(blocks.count) else { return [] }
            return (Int(from)...Int(min(to, UInt64(blocks.count - 1)))).flatMap { n in
                blocks[n].logs.filter { $0.event == event }.map { MainChainLog(block: MainChainAnchor(number: UInt64(n), hash: blocks[n].hash), arguments: $0.arguments) }
            }
        }
    }
}
