import AnkrChain
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
    /// A JSON-RPC node whose head is whatever the test says, with no logs, recording each scanned range
    /// by the event it asked for (requests' `RequestInfo`, scheduled feeds' `Scheduled`).
    final class Node: @unchecked Sendable {
        let lock = NSLock()
        var head: UInt64 = 0
        var ranges: [String: [(UInt64, UInt64)]] = [:]
        var server: RPCServer?

        func set(head: UInt64) { lock.withLock { self.head = head } }
        /// The ranges scanned for `event` since the last call.
        func takeRanges(_ event: String = "RequestInfo") -> [(UInt64, UInt64)] {
            let topic = NOSContract.interface.event(named: event)?.topic.description ?? ""
            return lock.withLock { defer { ranges[topic] = [] }; return ranges[topic] ?? [] }
        }

        func start() throws -> URL {
            let table = RPCMethodTable()
            table.register("eth_blockNumber") { [unowned self] _ in RPCFormat.q(self.lock.withLock { self.head }) }
            table.register("eth_getLogs") { [unowned self] params in
                let filter = try params.object(0, "filter")
                let from = try RPCParams.quantity64(filter["fromBlock"], "fromBlock"), to = try RPCParams.quantity64(filter["toBlock"], "toBlock")
                let topic = filter["topics"]?[0]?[0]?.string ?? filter["topics"]?[0]?.string ?? ""
                self.lock.withLock { self.ranges[topic, default: []].append((from, to)) }
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
        // The scheduled feeds' scan is bounded the same way.
        let feeds = node.takeRanges("Scheduled")
        XCTAssertEqual(feeds.count, Int(perRound / perQuery))
        XCTAssertEqual(feeds.first?.0, 0)
        XCTAssertEqual(feeds.last?.1, perRound - 1)
        XCTAssertTrue(zip(feeds, feeds.dropFirst()).allSatisfy { $0.1 + 1 == $1.0 })
        _ = try await relay.tick()
        XCTAssertEqual(node.takeRanges().first?.0, perRound, "the next round continues where this one stopped")
        XCTAssertEqual(node.takeRanges("Scheduled").first?.0, perRound)
        // A head that goes backwards (a node re-synced, or lying) scans nothing.
        node.set(head: 5)
        let round = try await relay.tick()
        XCTAssertTrue(node.takeRanges().isEmpty && node.takeRanges("Scheduled").isEmpty && round.delivered.isEmpty && round.failed.isEmpty)
    }

    /// A node with one pending request (id 1) whose fees cannot be read (so every round fails to deliver it),
    /// answering the NOS views the relay asks.
    final class FailingNode: @unchecked Sendable {
        let lock = NSLock()
        var head: UInt64 = 10
        var status: UInt64 = 1
        var ranges: [(UInt64, UInt64)] = []
        var statusReads = 0
        /// Whether blocks (so fees) can be read; the enclave NOS publishes; delivery transactions received.
        var feesReadable = false
        var published: Address
        var sends = 0
        var lastSent: [UInt8] = []
        var server: RPCServer?
        let enclave: Address

        init(enclave: Address) { self.enclave = enclave; published = enclave }

        func start() throws -> URL {
            let table = RPCMethodTable()
            let requestInfo = NOSContract.interface.event(named: "RequestInfo")?.topic.description ?? ""
            table.register("eth_blockNumber") { [unowned self] _ in RPCFormat.q(self.lock.withLock { self.head }) }
            table.register("eth_getLogs") { [unowned self] params in
                let filter = try params.object(0, "filter")
                let from = try RPCParams.quantity64(filter["fromBlock"], "fromBlock"), to = try RPCParams.quantity64(filter["toBlock"], "toBlock")
                let topic = filter["topics"]?[0]?[0]?.string ?? filter["topics"]?[0]?.string ?? ""
                guard topic == requestInfo else { return [] }
                self.lock.withLock { self.ranges.append((from, to)) }
                guard from <= 3, 3 <= to else { return [] }
                let log = try NOSContract.interface.log("RequestInfo", address: NOSContract.address, indexed: [.one, .one],
                                                        data: [.uint(.one), .bytes(Array("not a url".utf8)), .uint(.one), .address(.zero), .fixedBytes([0, 0, 0, 0])])
                let zero = RPCFormat.data([UInt8](repeating: 0, count: 32))
                return [["address": .string(NOSContract.address.description), "topics": .array(log.topics.map { .string($0.description) }),
                         "data": RPCFormat.data(log.data), "blockNumber": RPCFormat.q(UInt64(3)), "blockHash": zero, "transactionHash": zero,
                         "transactionIndex": RPCFormat.q(UInt64(0)), "logIndex": RPCFormat.q(UInt64(0))]]
            }
            table.register("eth_call") { [unowned self] params in
                let call = try params.object(0, "call")
                let input = try call["data"]?.bytes("data") ?? call["input"]?.bytes("input") ?? []
                let selector = Array(input.prefix(4))
                func returns(_ sig: String, _ values: [ABIValue]) throws -> JSON? {
                    guard let f = NOSContract.interface.functions.first(where: { $0.signature == sig }), try ABI.selector(sig) == selector else { return nil }
                    return RPCFormat.data(try ABI.encode(values, types: f.outputTypes))
                }
                let status = self.lock.withLock { self.statusReads += 1; return self.status }
                if let out = try returns("getRequest(uint256)", [.address(NOSContract.address), .uint(.one), .fixedBytes([UInt8](repeating: 0, count: 32)), .uint(.one),
                                                                  .address(.zero), .fixedBytes([0, 0, 0, 0]), .uint(UInt256(status)), .uint(UInt256(3))]) {
                    return out
                }
                self.lock.withLock { self.statusReads -= 1 }
                if let out = try returns("requestTerms(uint256)", [.uint(UInt256(1_000_000_000_000)), .uint(.one), .uint(.zero), .uint(.one), .address(.zero)]) {
                    return out
                }
                if let out = try returns("oracleKey()", [.address(self.lock.withLock { self.published }), .bytes([])]) { return out }
                if let out = try returns("maxReimbursedTip()", [.uint(UInt256(2_000_000_000))]) { return out }
                throw RPCError(code: -32000, message: "unexpected call")
            }
            table.register("eth_getBlockByNumber") { [unowned self] _ in
                guard self.lock.withLock({ self.feesReadable }) else { throw RPCError(code: -32000, message: "the node is overloaded") }
                let zero = RPCFormat.data([UInt8](repeating: 0, count: 32))
                return ["number": RPCFormat.q(self.lock.withLock { self.head }), "hash": zero, "parentHash": zero, "timestamp": RPCFormat.q(UInt64(1)),
                        "miner": .string(NOSContract.address.description), "gasLimit": RPCFormat.q(UInt64(30_000_000)), "gasUsed": RPCFormat.q(UInt64(0)),
                        "baseFeePerGas": RPCFormat.q(UInt64(1_000_000_000)), "stateRoot": zero, "transactions": .array([])]
            }
            table.register("eth_maxPriorityFeePerGas") { _ in RPCFormat.q(UInt64(50_000_000_000)) }
            table.register("eth_getTransactionCount") { _ in RPCFormat.q(UInt64(0)) }
            table.register("eth_sendRawTransaction") { [unowned self] params in
                let raw = try params.bytes(0, "transaction")
                self.lock.withLock { self.sends += 1; self.lastSent = raw }
                throw RPCError(code: -32000, message: "nonce too low")
            }
            var config = RPCServer.Configuration()
            config.port = 0
            let server = try RPCServer(configuration: config, table: table)
            self.server = server
            return try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)"))
        }
    }

    func testAFailedRequestIsRetriedWithoutStallingTheScanAndDroppedOnceNotPending() async throws {
        let platform = try SimulatedPlatform(id: Keccak256.h256([6]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: PrivateKey.random()))
        let enclave = SimulatedEnclave(name: "ankr-oracle-v1", platform: platform)
        let node = FailingNode(enclave: enclave.publicKey.address)
        let url = try node.start()
        defer { node.server?.shutdown() }
        let relay = OracleRelay(oracle: OracleEnclave(enclave: enclave, chainID: 7331, source: HTTPSDataSource(retries: 0)),
                                transactor: Transactor(rpc: RPCClient(url: url, timeout: 5), signer: PrivateKey.random()),
                                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let first = try await relay.tick()
        XCTAssertEqual(first.failed.map(\.id), [.one], "the fees could not be read: request 1 failed this round")
        XCTAssertEqual(relay.keptForLater.retrying, [.one])
        XCTAssertEqual(node.lock.withLock { node.ranges.map(\.0) }, [0])
        // The next round scans on from block 11 (not from 0 again) and looks at request 1 again.
        node.lock.withLock { node.head = 12; node.statusReads = 0 }
        let second = try await relay.tick()
        XCTAssertEqual(node.lock.withLock { node.ranges.last?.0 }, 11, "a failure does not stall the scan")
        XCTAssertEqual(second.failed.map(\.id), [.one])
        XCTAssertEqual(node.lock.withLock { node.statusReads }, 1, "the failed request is checked again")
        // Delivered by someone else: dropped, never looked at again.
        node.lock.withLock { node.status = 2; node.statusReads = 0 }
        let third = try await relay.tick()
        XCTAssertTrue(third.failed.isEmpty)
        XCTAssertEqual(relay.keptForLater.retrying, [])
        XCTAssertEqual(relay.keptForLater.waiting, [])
        node.lock.withLock { node.statusReads = 0 }
        _ = try await relay.tick()
        XCTAssertEqual(node.lock.withLock { node.statusReads }, 0)
    }

    func testAOneEnclaveRequestIsLeftToThePublishedEnclavesRelayForFallbackBlocks() async throws {
        let platform = try SimulatedPlatform(id: Keccak256.h256([7]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: PrivateKey.random()))
        let enclave = SimulatedEnclave(name: "ankr-oracle-v1", platform: platform)
        let node = FailingNode(enclave: enclave.publicKey.address)
        node.feesReadable = true
        node.published = NOSContract.address  // another enclave is the published one
        node.head = 7  // the request was made in block 3: 4 blocks ago
        let url = try node.start()
        defer { node.server?.shutdown() }
        let relay = OracleRelay(oracle: OracleEnclave(enclave: enclave, chainID: 7331, source: HTTPSDataSource(retries: 0)),
                                transactor: Transactor(rpc: RPCClient(url: url, timeout: 5), signer: PrivateKey.random()),
                                fallbackBlocks: 5, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        _ = try await relay.tick()
        XCTAssertEqual(node.lock.withLock { node.sends }, 0, "left to the published enclave's relay")
        XCTAssertEqual(relay.keptForLater.deferred, [.one])
        node.lock.withLock { node.head = 8 }
        _ = try await relay.tick()
        XCTAssertEqual(node.lock.withLock { node.sends }, 1, "still pending 5 blocks on: this relay delivers")
        XCTAssertEqual(relay.keptForLater.deferred, [])
        XCTAssertEqual(relay.keptForLater.retrying, [.one], "the refused send is tried again")
    }

    func testThePublishedEnclavesRelayDeliversAtOnceWithATipWithinMaxReimbursedTip() async throws {
        let platform = try SimulatedPlatform(id: Keccak256.h256([8]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: PrivateKey.random()))
        let enclave = SimulatedEnclave(name: "ankr-oracle-v1", platform: platform)
        let node = FailingNode(enclave: enclave.publicKey.address)
        node.feesReadable = true
        node.head = 3
        let url = try node.start()
        defer { node.server?.shutdown() }
        let relay = OracleRelay(oracle: OracleEnclave(enclave: enclave, chainID: 7331, source: HTTPSDataSource(retries: 0)),
                                transactor: Transactor(rpc: RPCClient(url: url, timeout: 5), signer: PrivateKey.random()),
                                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        _ = try await relay.tick()
        XCTAssertEqual(node.lock.withLock { node.sends }, 1, "the published enclave's relay does not wait")
        let tx = try Transaction(raw: node.lock.withLock { node.lastSent })
        XCTAssertEqual(tx.maxPriorityFeePerGas, UInt256(2_000_000_000), "the node suggests 50 gwei; NOS reimburses at most 2")
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
