import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrStorage
import Foundation
import XCTest

final class BlockchainTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let bob = try! Address(hex: "0x" + String(repeating: "b0", count: 20))

    var genesis: Genesis {
        Genesis(chainID: 7331, alloc: [alice.address: .init(balance: UInt256(1_000_000_000_000_000_000))])
    }

    func tx(_ nonce: UInt64, _ value: UInt64) throws -> (Transaction, Address) {
        (try Transaction.dynamicFee(chainID: 7331, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                    gasLimit: 21_000, to: bob, value: UInt256(value)).signed(with: alice), alice.address)
    }

    /// Builds a child of `parent` from the chain's stored state, without importing it.
    func child(of parent: BlockHeader, _ chain: Blockchain, txs: [(Transaction, Address)], coinbase: UInt8) throws -> Block {
        try chain.executor.produce(parent: parent, candidates: txs, coinbase: Address([UInt8](repeating: coinbase, count: 20)),
                                   timestamp: parent.timestamp + 1, state: chain.state(at: parent)).block
    }

    func testImportPersistsAcrossRestart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-chain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("chain.sqlite").path
        var txHash = H256.zero
        do {
            let chain = try Blockchain(database: ChainDatabase(path: path), genesis: genesis)
            let t = try tx(0, 5)
            txHash = t.0.hash
            let b1 = try child(of: chain.head, chain, txs: [t], coinbase: 1)
            XCTAssertEqual(try chain.importBlock(b1), .newHead(orphaned: []))
            XCTAssertEqual(try chain.importBlock(b1), .known)
            let b2 = try child(of: b1.header, chain, txs: [], coinbase: 1)
            try chain.importBlock(b2)
        }
        let chain = try Blockchain(database: ChainDatabase(path: path), genesis: genesis)
        XCTAssertEqual(chain.head.number, 2)
        XCTAssertEqual(try chain.transaction(hash: txHash)?.location.blockNumber, 1)
        XCTAssertEqual(try chain.state(at: chain.head).balance(bob), UInt256(5))
        XCTAssertEqual(try chain.receipts(blockHash: try XCTUnwrap(chain.header(number: 1)).hash)?.count, 1)

        var other = genesis
        other.chainID = 1
        XCTAssertThrowsError(try Blockchain(database: ChainDatabase(path: path), genesis: other)) {
            XCTAssertEqual($0 as? BlockchainError, .chainIDMismatch(stored: 7331, configured: 1))
        }
    }

    func testHeavierForkReorganizesAndReturnsOrphanedTransactions() throws {
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis)
        let g = chain.head
        let onlyInA = try tx(0, 1)
        let a1 = try child(of: g, chain, txs: [onlyInA], coinbase: 0xa)
        try chain.importBlock(a1)
        let a2 = try child(of: a1.header, chain, txs: [], coinbase: 0xa)
        try chain.importBlock(a2)
        XCTAssertEqual(chain.head.hash, a2.hash)

        let inB = try tx(0, 2)
        let b1 = try child(of: g, chain, txs: [inB], coinbase: 0xb)
        XCTAssertEqual(try chain.importBlock(b1), .sideChain)
        let b2 = try child(of: b1.header, chain, txs: [], coinbase: 0xb)
        // Equal weight: the lower hash wins, the same on every node.
        let tieWinsForB = b2.hash < a2.hash
        XCTAssertEqual(try chain.importBlock(b2), tieWinsForB ? .newHead(orphaned: [onlyInA.0]) : .sideChain)
        let b3 = try child(of: b2.header, chain, txs: [], coinbase: 0xb)
        XCTAssertEqual(try chain.importBlock(b3), .newHead(orphaned: tieWinsForB ? [] : [onlyInA.0]))
        XCTAssertEqual(chain.head.hash, b3.hash)
        XCTAssertEqual(try chain.header(number: 1)?.hash, b1.hash)
        XCTAssertNil(try chain.transaction(hash: onlyInA.0.hash))
        XCTAssertEqual(try chain.transaction(hash: inB.0.hash)?.location.blockHash, b1.hash)
        XCTAssertEqual(try chain.state(at: chain.head).balance(bob), UInt256(2))
    }

    func testInvalidBlocksAreRefusedAndChangeNothing() throws {
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis)
        var bad = try child(of: chain.head, chain, txs: [try tx(0, 1)], coinbase: 1)
        bad.header.stateRoot = .zero
        XCTAssertThrowsError(try chain.importBlock(bad))
        XCTAssertEqual(chain.head.number, 0)
        XCTAssertEqual(try chain.database.headerCount(), 1)
        let orphan = try child(of: chain.head, chain, txs: [], coinbase: 1)
        var detached = orphan
        detached.header.parentHash = Keccak256.h256([7])
        XCTAssertThrowsError(try chain.importBlock(detached)) {
            XCTAssertEqual($0 as? BlockchainError, .unknownParent(Keccak256.h256([7])))
        }
    }
}

extension BlockchainTests {
    /// A block this node built is stored from its own execution; a body swapped under the same
    /// header is still refused.
    func testOwnBlocksImportWithoutReexecutionButBodiesStayBound() throws {
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis)
        let built = try chain.produceBlock(candidates: [try tx(0, 5)], coinbase: .zero, timestamp: 1).block
        var swapped = built
        swapped.transactions = [try tx(0, 6).0]
        XCTAssertThrowsError(try chain.importBlock(swapped)) { XCTAssertTrue("\($0)".contains("transactionsRoot"), "\($0)") }
        let again = try chain.produceBlock(candidates: [try tx(0, 5)], coinbase: .zero, timestamp: 1).block
        XCTAssertEqual(try chain.importBlock(again), .newHead(orphaned: []))
        XCTAssertEqual(try chain.state(at: chain.head).balance(bob), UInt256(5))
        XCTAssertEqual(try chain.receipts(blockHash: again.hash)?.count, 1)
    }
}
