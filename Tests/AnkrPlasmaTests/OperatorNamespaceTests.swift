import AnkrCrypto
import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import XCTest

/// The operator's `plasma_` methods as a wallet reads them: what ``OperatorNamespace`` serves,
/// ``OperatorClient`` reads back unchanged, and the replies keep their JSON shape.
final class OperatorNamespaceTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let bob = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))

    func testWhatTheOperatorServesTheClientReadsBack() throws {
        let op = try PlasmaOperator(store: try ChildChainStore())
        try op.recordDeposit(block: 1, owner: alice.address, amount: UInt256(500))
        let deposit = try UTXOPosition(blockNumber: 1, txIndex: 0, outputIndex: 0)
        var pay = try PlasmaTransaction(inputs: [.init(deposit)], outputs: [.init(owner: bob.address, amount: UInt256(200)),
                                                                            .init(owner: alice.address, amount: UInt256(300))])
        try pay.sign(input: 0, with: alice)

        let (server, rpc) = try serve(op)
        defer { server.shutdown() }
        let client = OperatorClient(rpc: rpc)

        XCTAssertEqual(try client.send(pay), pay.hash)
        XCTAssertEqual(try client.transaction(pay.hash)?.pending, true)
        let block = try XCTUnwrap(try op.buildBlock(number: 1000))
        try op.markSubmitted(1000)
        try client.confirm(pay.hash, signatures: try ConfirmSignature.sign(transaction: pay.hash, blockRoot: block.merkleRoot, with: alice))

        let served = try XCTUnwrap(try client.block(1000))
        XCTAssertEqual(served.transactions, [pay.encoded])
        XCTAssertEqual(served.previousHeaderHash, block.previousHeaderHash)
        XCTAssertEqual(try served.tree().root, block.merkleRoot)
        XCTAssertNil(try client.block(2000))
        let placed = try XCTUnwrap(try client.transaction(pay.hash))
        XCTAssertEqual([placed.blockNumber, placed.txIndex.map(UInt64.init)], [1000, 0])
        XCTAssertTrue(placed.submitted && !placed.pending)
        XCTAssertEqual(placed.confirmSignatures, op.confirmation(of: pay.hash))
        XCTAssertEqual(try client.utxos(bob.address).map(\.position), [try UTXOPosition(blockNumber: 1000, txIndex: 0, outputIndex: 0)])
        XCTAssertEqual(try client.balance(alice.address), UInt256(300))
        XCTAssertEqual(try client.spend(of: deposit.encoded)?.block, 1000)
        XCTAssertNil(try client.spend(of: try UTXOPosition(blockNumber: 1000, txIndex: 0, outputIndex: 1).encoded))

        // The JSON itself: quantities as hex strings, counts as numbers, keys sorted.
        XCTAssertEqual(try rpc.call("plasma_status", []).text,
                       #"{"blocks":2,"chain":"0x1","latestBlock":"0x3e8","pending":0,"root":"\#(ChildChainRegistry.rootAddress(1).checksummed)"}"#)
        XCTAssertThrowsError(try rpc.call("plasma_getProof", [.string("0x7d0"), .string("0x0")])) {
            XCTAssertEqual("\($0)", "invalid params: no child block 0x7d0")
        }
    }

    func testABatchOfTransactionsIsAnsweredOneByOneInOrder() throws {
        let op = try PlasmaOperator(store: try ChildChainStore())
        var txs = [PlasmaTransaction]()
        for n in 1...3 {
            try op.recordDeposit(block: UInt64(n), owner: alice.address, amount: UInt256(10))
            var tx = try PlasmaTransaction(inputs: [.init(try UTXOPosition(blockNumber: UInt64(n), txIndex: 0, outputIndex: 0))],
                                           outputs: [.init(owner: bob.address, amount: UInt256(10))])
            try tx.sign(input: 0, with: alice)
            txs.append(tx)
        }
        var theft = try PlasmaTransaction(inputs: [.init(try UTXOPosition(blockNumber: 1, txIndex: 0, outputIndex: 0))],
                                          outputs: [.init(owner: bob.address, amount: UInt256(9))], fee: .one)
        try theft.sign(input: 0, with: bob)
        let (server, rpc) = try serve(op)
        defer { server.shutdown() }

        let sent: [PlasmaTransaction] = [txs[0], txs[1], txs[0], theft, txs[2]]
        let reply = try rpc.call("plasma_sendTransactions", [.array(sent.map { .string($0.encoded.hexPrefixed) } + [.string("0xc0")])])
        guard case .array(let answers) = reply, answers.count == 6 else { return XCTFail(reply.text) }
        XCTAssertEqual(answers[0], ["hash": .string(txs[0].hash.description)])
        XCTAssertEqual(answers[1], ["hash": .string(txs[1].hash.description)])
        XCTAssertEqual(answers[2], ["error": .string("transaction \(txs[0].hash) is already known")])
        XCTAssertTrue(answers[3].object?["error"]?.string?.contains("invalid transaction") == true, answers[3].text)
        XCTAssertEqual(answers[4], ["hash": .string(txs[2].hash.description)])
        XCTAssertNotNil(answers[5].object?["error"], answers[5].text)
        XCTAssertEqual(op.pendingCount, 3)

        // The shape is checked before anything is accepted.
        XCTAssertThrowsError(try rpc.call("plasma_sendTransactions", [.string(txs[0].encoded.hexPrefixed)]))
        XCTAssertThrowsError(try rpc.call("plasma_sendTransactions", [.array([.string("0x01"), .string("zz")])])) {
            XCTAssertTrue("\($0)".contains("transaction 1"), "\($0)")
        }
        let tooMany = JSON.array(Array(repeating: .string("0xc0"), count: OperatorNamespace.maxTransactionsPerCall + 1))
        XCTAssertThrowsError(try rpc.call("plasma_sendTransactions", [tooMany])) { XCTAssertTrue("\($0)".contains("at most 4096"), "\($0)") }
        XCTAssertEqual(op.pendingCount, 3)
    }

    /// The operator's namespace on a loopback server, and a client of it.
    private func serve(_ op: PlasmaOperator) throws -> (RPCServer, RPCClient) {
        let table = RPCMethodTable()
        OperatorNamespace(operator: op, chain: 1).register(in: table)
        var config = RPCServer.Configuration()
        config.port = 0
        let server = try RPCServer(configuration: config, table: table)
        return (server, RPCClient(url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)")), timeout: 10))
    }
}
