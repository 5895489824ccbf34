import AnkrChain
import AnkrCrypto
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import AnkrTestSupport
import Foundation
import XCTest

/// A backend whose submissions enter a real pool; the test seals the pool into blocks itself.
final class PoolBackend: RPCBackend, @unchecked Sendable {
    let chain: Blockchain
    let mempool: Mempool
    let clientVersion = "Ankr/test"

    init(_ chain: Blockchain) {
        self.chain = chain
        mempool = Mempool(chainID: chain.chainID, systemContracts: chain.executor.systemContracts)
    }

    func submit(_ transaction: Transaction) throws -> H256 {
        try mempool.add(transaction, state: chain.state(at: chain.head), head: chain.head)
    }

    /// Seals every pooled transaction into the next block.
    func sealPool() throws {
        let built = try chain.produceBlock(candidates: mempool.all(), coinbase: .zero, timestamp: chain.head.timestamp + 1)
        try chain.importBlock(built.block)
        try mempool.update(state: chain.state(at: chain.head), head: chain.head, orphaned: [])
    }
}

/// The typed client against a real server on loopback over a development chain: a signed transaction
/// goes out through ``Transactor`` and comes back as a typed receipt, logs, block and transaction.
final class EthClientTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let counter = CounterContract()

    func testTypedQueriesFollowASignedTransactionIntoABlock() throws {
        let chain = try Blockchain(database: ChainDatabase(),
                                   genesis: Genesis(chainID: 7331, alloc: [alice.address: .init(balance: UInt256(1_000_000_000_000_000_000))]),
                                   systemContracts: SystemContractRegistry([counter]))
        let backend = PoolBackend(chain)
        let table = RPCMethodTable()
        EthNamespace(backend: backend).register(in: table)
        var config = RPCServer.Configuration()
        config.port = 0
        let server = try RPCServer(configuration: config, table: table)
        defer { server.shutdown() }
        let client = EthClient(url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)")), timeout: 10)

        XCTAssertEqual(try client.chainID(), 7331)
        XCTAssertEqual(try client.blockNumber(), 0)
        XCTAssertEqual(try client.clientVersion(), "Ankr/test")
        XCTAssertEqual(try client.balance(of: alice.address), UInt256(1_000_000_000_000_000_000))
        XCTAssertEqual(try client.nonce(of: alice.address), 0)
        XCTAssertEqual(try client.code(at: alice.address), [])
        XCTAssertEqual(try client.maxPriorityFee(), UInt256(1_000_000_000), "no recent tips: the 1 gwei default")
        XCTAssertEqual(try client.gasPrice(), BaseFee.next(after: chain.head) &+ UInt256(1_000_000_000))
        let genesis = try XCTUnwrap(try client.block(number: .earliest))
        XCTAssertEqual(genesis.hash, chain.head.hash)
        XCTAssertEqual(genesis.seal, "0x", "a development seal is its (empty) bytes")
        XCTAssertNil(try client.block(number: .number(99)))

        let increment = try ABI.encodeCall("increment(uint256)", [.uint(UInt256(7))])
        XCTAssertEqual(try client.call(.init(to: counter.address, data: increment)), UInt256(7).bigEndianBytes)
        XCTAssertGreaterThan(try client.estimateGas(.init(from: alice.address, to: counter.address, data: increment)), 21_000)

        let transactor = Transactor(client: client, signer: alice)
        let hash = try transactor.send(to: counter.address, data: increment)
        XCTAssertEqual(try client.nonce(of: alice.address), 1, "the pending nonce counts the pooled transaction")
        XCTAssertEqual(try client.nonce(of: alice.address, block: .latest), 0)
        XCTAssertNil(try client.receipt(hash), "no receipt while pending")
        let pending = try XCTUnwrap(try client.transaction(hash))
        XCTAssertNil(pending.blockNumber)
        try backend.sealPool()

        let receipt = try transactor.waitForSuccess(hash, seconds: 5)
        XCTAssertEqual(receipt, try client.receipt(hash))
        XCTAssertEqual(receipt.transactionHash, hash)
        XCTAssertEqual(receipt.blockNumber, 1)
        XCTAssertEqual(receipt.blockHash, chain.head.hash)
        XCTAssertEqual(receipt.from, alice.address)
        XCTAssertEqual(receipt.to, counter.address)
        XCTAssertNil(receipt.contractAddress)
        XCTAssertTrue(receipt.succeeded)
        XCTAssertEqual(receipt.type, 2)
        XCTAssertEqual(receipt.gasUsed, receipt.cumulativeGasUsed)
        let log = try XCTUnwrap(receipt.logs.first)
        XCTAssertEqual(log.address, counter.address)
        XCTAssertEqual(log.topics, [CounterContract.incremented, try H256([UInt8](repeating: 0, count: 12) + alice.address.bytes)])
        XCTAssertEqual(log.data, UInt256(7).bigEndianBytes)
        XCTAssertEqual(log.transactionHash, hash)

        XCTAssertEqual(try client.logs(.init(addresses: [counter.address], topics: [[CounterContract.incremented]], fromBlock: .earliest)),
                       receipt.logs)
        XCTAssertEqual(try client.logs(.init(topics: [nil, [H256.zero]], fromBlock: .earliest)), [])
        XCTAssertEqual(try client.logs(.init(blockHash: receipt.blockHash)), receipt.logs)
        // An empty list of alternatives restricts nothing, as in geth (it is not "match no log").
        let all = try client.logs(.init(fromBlock: .earliest))
        XCTAssertFalse(all.isEmpty)
        XCTAssertEqual(try client.logs(.init(topics: [[]], fromBlock: .earliest)), all)

        let block = try XCTUnwrap(try client.block(number: .latest))
        XCTAssertEqual(block.number, 1)
        XCTAssertEqual(block.parentHash, genesis.hash)
        XCTAssertEqual(block.transactions, [hash])
        XCTAssertEqual(block.baseFeePerGas, chain.head.baseFeePerGas)
        let mined = try XCTUnwrap(try client.transaction(hash))
        XCTAssertEqual(mined.from, alice.address)
        XCTAssertEqual(mined.to, counter.address)
        XCTAssertEqual(mined.input, increment)
        XCTAssertEqual(mined.blockNumber, 1)
        XCTAssertEqual(mined.transactionIndex, 0)
        XCTAssertNil(try client.transaction(H256.zero))
        XCTAssertEqual(try client.call(.init(to: counter.address, data: increment)), UInt256(14).bigEndianBytes, "the call runs on the new state")

        // The node's refusals arrive as typed errors: a revert keeps its data, a refused estimate names what was refused.
        let fail = try ABI.selector("fail()")
        XCTAssertThrowsError(try client.call(.init(to: counter.address, data: fail))) { error in
            guard case .rpc(let e)? = error as? RPCClientError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.code, 3)
            XCTAssertEqual(e.data, ABI.revertData("always fails").hexPrefixed)
        }
        XCTAssertThrowsError(try transactor.send(to: counter.address, data: fail)) { error in
            guard case .transactionRefused(.rpc(let e))? = error as? TransactorError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.code, 3)
            XCTAssertEqual("\(error)", "the node refuses this transaction: execution reverted: always fails")
        }
    }
}
