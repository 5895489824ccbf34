import AnkrChain
import AnkrConsensus
import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives
import AnkrStorage
import Foundation
import XCTest

/// One block path: a block this node produces is executed once and its seal is not re-run; a peer's
/// block is executed once and its seal's subtask re-run once; every stored block is one event.
final class BlockPathTests: XCTestCase {
    let root = DevelopmentAttestationRoot(key: try! PrivateKey(hex: "0x" + String(repeating: "0e", count: 32)))

    func parameters() -> PoUWParameters {
        PoUWParameters(policy: AttestationPolicy(trustedRoots: [root.publicKey], allowedMeasurements: [SimulatedEnclave.measurement(named: "m")],
                                                 allowSimulated: true, maxAge: nil),
                       blockTimeSeconds: 5, minimumDifficulty: UInt256(100_000))
    }

    func testAProducedBlockIsExecutedOnceAndItsOwnSealIsNotReexecuted() throws {
        let platform = try SimulatedPlatform(id: Keccak256.h256([3]), key: .random(), root: root)
        let miner = try PoUWSealer(parameters: parameters(), enclave: SimulatedEnclave(name: "m", platform: platform), passesPerSubtask: 200)
        let genesis = Genesis(chainID: 7331, difficulty: UInt256(100_000), timestamp: UInt64(Date().timeIntervalSince1970))
        let mining = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: miner)
        let events = Events(mining)
        var blocks = [Block]()
        for _ in 0..<3 {
            let built = try mining.produceBlock(candidates: [], coinbase: .zero, timestamp: mining.head.timestamp + 2)
            let sealed = try miner.seal(built.block, chain: mining, stop: { false })
            XCTAssertEqual(try mining.importBlock(built, sealed: sealed), .newHead(orphaned: []))
            blocks.append(sealed)
        }
        XCTAssertEqual(mining.head.number, 3)
        XCTAssertEqual(mining.executedBlocks, 3, "each produced block runs once, when it is built")
        XCTAssertEqual(miner.stats.reexecutions, 0, "our own seals are trusted, not re-executed")
        XCTAssertEqual(events.seen.map(\.origin), [.produced, .produced, .produced])
        XCTAssertEqual(events.seen.map(\.isNewHead), [true, true, true])

        // A validator executes each block once and re-executes each seal's subtask once.
        let checker = try PoUWSealer(parameters: parameters(), enclave: nil)
        let validator = try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: checker)
        let seenByValidator = Events(validator)
        for b in blocks { try validator.importBlock(b) }
        XCTAssertEqual(validator.head.hash, mining.head.hash)
        XCTAssertEqual(validator.executedBlocks, 3)
        XCTAssertEqual(checker.stats.reexecutions, 3)
        XCTAssertEqual(seenByValidator.seen.map(\.origin), [.external, .external, .external])
        // A block already stored is neither executed again nor announced again.
        XCTAssertEqual(try validator.importBlock(blocks[0]), .known)
        XCTAssertEqual(validator.executedBlocks, 3)
        XCTAssertEqual(seenByValidator.seen.count, 3)
    }

    func testASealedBlockThatIsNotTheBuiltOneIsRefusedOnTheTrustedDoor() throws {
        let genesis = Genesis(chainID: 7331, difficulty: UInt256(1), timestamp: 1)
        let chain = try Blockchain(database: ChainDatabase(), genesis: genesis)
        let built = try chain.produceBlock(candidates: [], coinbase: .zero, timestamp: 2)
        var other = built.block
        other.header.extraData = [1]
        XCTAssertThrowsError(try chain.importBlock(built, sealed: other)) {
            XCTAssertEqual($0 as? BlockchainError, .notTheBuiltBlock(other.hash))
        }
        XCTAssertEqual(chain.head.number, 0)
        XCTAssertNoThrow(try chain.importBlock(built, sealed: built.block))
        XCTAssertEqual(chain.head.number, 1)
        XCTAssertEqual(chain.executedBlocks, 1)
    }

    /// Records a chain's import events.
    final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [BlockImport] = []
        var seen: [BlockImport] { lock.withLock { events } }
        init(_ chain: Blockchain) {
            chain.imports.subscribe { [weak self] e in
                guard let self else { return }
                self.lock.withLock { self.events.append(e) }
            }
        }
    }
}

/// A chain whose head is stamped 2^64−1 (a hostile genesis or a dev peer's block) cannot grow, and
/// says so instead of trapping on `timestamp + 1`.
final class ExhaustedTimestampTests: XCTestCase {
    func testNoBlockCanFollowAHeadStampedAtTheLastSecond() throws {
        let chain = try Blockchain(database: ChainDatabase(), genesis: Genesis(chainID: 7331, difficulty: .one, timestamp: .max))
        XCTAssertThrowsError(try chain.produceBlock(candidates: [], coinbase: .zero, timestamp: 5)) {
            XCTAssertEqual($0 as? BlockchainError, .timestampExhausted(chain.head.hash))
        }
    }
}
