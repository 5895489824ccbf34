import AnkrCrypto
import AnkrEnclave
import AnkrOracle
import AnkrPrimitives
import AnkrRPC
import Foundation
import Logging
import XCTest

/// The relay against a node that answers an absurd head: rounds stay bounded and no sum overflows.
final class OracleRelayTests: XCTestCase {
    /// A JSON-RPC node whose head is whatever the test says, with no logs, recording each scanned range.
    final class Node: @unchecked Sendable {
        let lock = NSLock()
        var head: UInt64 = 0
        var ranges: [(UInt64, UInt64)] = []
        var server: RPCServer?

        func set(head: UInt64) { lock.withLock { self.head = head } }
        /// The ranges scanned since the last call.
        func takeRanges() -> [(UInt64, UInt64)] { lock.withLock { defer { ranges = [] }; return ranges } }

        func start() throws -> URL {
            let table = RPCMethodTable()
            table.register("eth_blockNumber") { [unowned self] _ in RPCFormat.q(self.lock.withLock { self.head }) }
            table.register("eth_getLogs") { [unowned self] params in
                let filter = try params.object(0, "filter")
                let from = try RPCParams.quantity64(filter["fromBlock"], "fromBlock"), to = try RPCParams.quantity64(filter["toBlock"], "toBlock")
                self.lock.withLock { self.ranges.append((from, to)) }
                return []
            }
            var config = RPCServer.Configuration()
            config.port = 0
            let server = try RPCServer(configuration: config, table: table)
            self.server = server
            return try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)"))
        }
    }

    func testAnAbsurdHeadIsScannedInBoundedRoundsWithoutOverflow() async throws {
        let node = Node()
        let url = try node.start()
        defer { node.server?.shutdown() }
        let platform = try SimulatedPlatform(id: Keccak256.h256([5]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: PrivateKey.random()))
        let oracle = OracleEnclave(enclave: SimulatedEnclave(name: "ankr-oracle-v1", platform: platform), chainID: 7331,
                                   source: HTTPSDataSource(retries: 0))
        let relay = OracleRelay(oracle: oracle, transactor: Transactor(rpc: RPCClient(url: url, timeout: 5), signer: PrivateKey.random()),
                                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        node.set(head: .max)
        _ = try await relay.tick()
        let perRound = OracleRelay.maxBlocksPerRound, perQuery = OracleRelay.blocksPerLogQuery
        let first = node.takeRanges()
        XCTAssertEqual(first.count, Int(perRound / perQuery), "one round scans a bounded window, not 2^64 blocks")
        XCTAssertEqual(first.first?.0, 0)
        XCTAssertEqual(first.last?.1, perRound - 1)
        XCTAssertTrue(zip(first, first.dropFirst()).allSatisfy { $0.1 + 1 == $1.0 }, "contiguous, no gap, no overlap")
        _ = try await relay.tick()
        XCTAssertEqual(node.takeRanges().first?.0, perRound, "the next round continues where this one stopped")
        // A head that goes backwards (a node re-synced, or lying) scans nothing.
        node.set(head: 5)
        let round = try await relay.tick()
        XCTAssertTrue(node.takeRanges().isEmpty && round.delivered.isEmpty && round.failed.isEmpty)
    }

    func testARegistrationIsRenewedOnceHalfItsPeriodHasPassed() {
        XCTAssertFalse(OracleRelay.renewalDue(registeredAt: 1_000, expiresAt: 2_000, now: 1_000))
        XCTAssertFalse(OracleRelay.renewalDue(registeredAt: 1_000, expiresAt: 2_000, now: 1_499))
        XCTAssertTrue(OracleRelay.renewalDue(registeredAt: 1_000, expiresAt: 2_000, now: 1_500))
        XCTAssertTrue(OracleRelay.renewalDue(registeredAt: 1_000, expiresAt: 2_000, now: 5_000))
        // Times a node reports are its word: the extremes neither overflow nor skip a renewal.
        XCTAssertFalse(OracleRelay.renewalDue(registeredAt: .max - 10, expiresAt: .max, now: .max - 10))
        XCTAssertTrue(OracleRelay.renewalDue(registeredAt: .max - 10, expiresAt: .max, now: .max))
        XCTAssertTrue(OracleRelay.renewalDue(registeredAt: 2_000, expiresAt: 2_000, now: 0), "an empty or inverted period is renewed")
        XCTAssertTrue(OracleRelay.renewalDue(registeredAt: 3_000, expiresAt: 2_000, now: 0))
    }
}
