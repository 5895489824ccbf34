import AnkrAppChain
import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrTrie
import XCTest

/// Messages both ways between the main chain and an application chain: sent on one chain, delivered (value credited,
/// data kept) on the other, consumed once by their target only; an operator that alters one is refused or slashed.
final class AppChainMessageTests: XCTestCase {
    let data: [UInt8] = Array("lease 7: rent paid on time".utf8)

    /// The proofs `finalizeMessage` takes for the bridge's outbound message `index` as of child block `header`.
    func proofs(_ f: AppChainFixture, _ header: BlockHeader, _ index: UInt64) throws -> (account: [ABIValue], storage: [ABIValue]) {
        let state = f.child.state(at: header)
        let account = try SecureMerklePatriciaTrie(root: header.stateRoot, store: state.store).trie.proof(Keccak256.hash(AppChainBridge.address.bytes))
        let storageRoot = try XCTUnwrap(state.account(AppChainBridge.address)).storageRoot
        let storage = try SecureMerklePatriciaTrie(root: storageRoot, store: state.store).trie
            .proof(Keccak256.hash(AppChainBridge.messageSlot(index).bigEndianBytes))
        return (account.map { .bytes($0) }, storage.map { .bytes($0) })
    }

    func testAMessageFromTheMainChainIsDeliveredAndConsumedOnceByItsTarget() throws {
        let f = try AppChainFixture(users: 4)
        try f.bootstrap()
        let target = f.users[2]
        // 1,025 bytes is one too many, on the main chain as on the child chain.
        XCTAssertThrowsError(try f.send(f.challenger, f.root, "sendMessage(address,bytes)", [.address(target.address), .bytes([UInt8](repeating: 1, count: 1_025))]))
        try f.send(f.challenger, f.root, "sendMessage(address,bytes)", [.address(target.address), .bytes(data)], value: UInt256(42))
        let message = AppChainMessage(sender: f.challenger.address, target: target.address, value: UInt256(42), data: data)
        let index = UInt64(f.users.count)
        XCTAssertEqual(try f.view("getDeposit(uint256)", [.uint(UInt256(index))], returns: [.fixedBytes(32), .uint(bits: 256)])[0],
                       .fixedBytes(message.record.bytes), "queued as a message, behind the deposits")

        // An operator that alters the data is refused at commit (the running hash is the main chain's).
        var altered = message
        altered.data = Array("lease 7: rent paid LATE".utf8)
        let forged = try f.build([(try f.relay(index, [altered], nonce: 1), f.op.address)])
        XCTAssertThrowsError(try f.commit(forged, applied: index + 1, hash: try AppChainBridge.depositsHash(state: try f.stateAfter(forged)))) {
            XCTAssertTrue("\($0)".contains("not the main chain's first"), "\($0)")
        }
        // …and slashed if it commits the main chain's hash over it anyway.
        let honestHead = f.child.head
        try f.commit(forged, applied: index + 1)
        let disputed = try f.challenge(honestHead.number + 1, parent: honestHead, block: forged, witness: try f.witness(forged))
        XCTAssertEqual(disputed.logs.count, 1)
        XCTAssertEqual(try f.stakeNow(), .zero)
    }

    func testDeliveryCreditsTheValueAndOnlyTheTargetConsumesTheDataOnce() throws {
        let f = try AppChainFixture(users: 4)
        try f.bootstrap()
        let target = f.users[2], stranger = f.users[3]
        try f.send(f.challenger, f.root, "sendMessage(address,bytes)", [.address(target.address), .bytes(data)], value: UInt256(42))
        let index = UInt64(f.users.count)
        let message = AppChainMessage(sender: f.challenger.address, target: target.address, value: UInt256(42), data: data)
        let before = try f.child.state(at: f.child.head).balance(target.address)
        try f.commitAndImport(try f.build([(try f.relay(index, [message], nonce: 1), f.op.address)]))
        XCTAssertEqual(try f.child.state(at: f.child.head).balance(target.address), before &+ UInt256(42), "the value arrives with the message")

        func consume(_ by: PrivateKey, sender: Address, data: [UInt8]) throws -> Bool {
            let (tx, from) = try f.tx(by, to: AppChainBridge.address,
                                      data: try ABI.encodeCall("consumeMessage(uint256,address,bytes)", [.uint(UInt256(index)), .address(sender), .bytes(data)]))
            let block = try f.build([(tx, from)])
            try f.commitAndImport(block)
            return try XCTUnwrap(f.child.receipts(blockHash: block.hash)?.first).succeeded
        }
        XCTAssertFalse(try consume(stranger, sender: f.challenger.address, data: data), "only the target consumes its message")
        XCTAssertFalse(try consume(target, sender: f.op.address, data: data), "the sender is part of the message")
        XCTAssertFalse(try consume(target, sender: f.challenger.address, data: data + [0]), "so is the data")
        XCTAssertTrue(try consume(target, sender: f.challenger.address, data: data))
        XCTAssertFalse(try consume(target, sender: f.challenger.address, data: data), "once")
    }

    func testAMessageFromTheChildChainIsProvenPaidAndConsumedOnTheMainChain() throws {
        let f = try AppChainFixture(users: 4)
        try f.bootstrap()
        let alice = f.users[1], carol = try PrivateKey(hex: "0x" + String(repeating: "ca", count: 32))
        let value = UInt256(1_234_567)
        let call = try ABI.encodeCall("sendMessage(address,bytes)", [.address(carol.address), .bytes(data)])
        let (tooLong, _) = try f.tx(alice, to: AppChainBridge.address,
                                    data: try ABI.encodeCall("sendMessage(address,bytes)", [.address(carol.address), .bytes([UInt8](repeating: 7, count: 1_025))]))
        let (sent, _) = try f.tx(alice, to: AppChainBridge.address, value: value, data: call)
        let block = try f.build([(tooLong, alice.address), (sent, alice.address)])
        try f.commitAndImport(block)
        let receipts = try XCTUnwrap(f.child.receipts(blockHash: block.hash))
        XCTAssertFalse(receipts[0].succeeded, "a message carries at most 1,024 bytes")
        XCTAssertTrue(receipts[1].succeeded)
        let p = try proofs(f, block.header, 0)
        func finalize(sender: Address = alice.address, target: Address = carol.address, value v: UInt256 = value, data d: [UInt8]? = nil,
                      storage: [ABIValue]? = nil) throws {
            try f.send(f.challenger, f.root, "finalizeMessage(uint256,uint256,address,address,uint256,bytes,bytes[],bytes[])",
                       [.uint(UInt256(block.number)), .uint(.zero), .address(sender), .address(target), .uint(v), .bytes(d ?? data),
                        .array(p.account), .array(storage ?? p.storage)])
        }
        XCTAssertThrowsError(try finalize()) { XCTAssertTrue("\($0)".contains("not final"), "\($0)") }
        f.now += 100
        XCTAssertThrowsError(try finalize(value: value &+ .one)) { XCTAssertTrue("\($0)".contains("is not that message"), "\($0)") }
        XCTAssertThrowsError(try finalize(target: alice.address))
        XCTAssertThrowsError(try finalize(sender: carol.address))
        XCTAssertThrowsError(try finalize(data: data + [0]))
        XCTAssertThrowsError(try finalize(storage: Array(p.storage.dropLast())))
        let held = try XCTUnwrap(try f.view("held()", returns: [.uint(bits: 256)])[0].uintValue)
        try finalize()
        XCTAssertEqual(try f.main.balance(carol.address), value, "the value is paid to the target, to the wei")
        XCTAssertEqual(try f.view("held()", returns: [.uint(bits: 256)])[0], .uint(held &- value))
        XCTAssertThrowsError(try finalize()) { XCTAssertTrue("\($0)".contains("already finalized"), "\($0)") }
        XCTAssertEqual(try f.view("messageFinalized(uint256)", [.uint(.zero)], returns: [.bool, .bool]), [.bool(true), .bool(true)])

        // Only the target consumes it, with the sender and data the child chain recorded, once.
        let consume = "consumeMessage(uint256,address,bytes)"
        XCTAssertThrowsError(try f.send(alice, f.root, consume, [.uint(.zero), .address(alice.address), .bytes(data)]))
        XCTAssertThrowsError(try f.send(carol, f.root, consume, [.uint(.zero), .address(carol.address), .bytes(data)]))
        XCTAssertThrowsError(try f.send(carol, f.root, consume, [.uint(.zero), .address(alice.address), .bytes(Array(data.dropLast()))]))
        try f.send(carol, f.root, consume, [.uint(.zero), .address(alice.address), .bytes(data)])
        XCTAssertEqual(try f.view("messageFinalized(uint256)", [.uint(.zero)], returns: [.bool, .bool]), [.bool(true), .bool(false)])
        XCTAssertThrowsError(try f.send(carol, f.root, consume, [.uint(.zero), .address(alice.address), .bytes(data)])) {
            XCTAssertTrue("\($0)".contains("not waiting"), "\($0)")
        }
    }

    /// The overdue rule demands ``AppChainRoot/overdueBatch`` messages of a block, so a block applying that many of the
    /// largest messages, each with a value to a fresh target, must stay well inside every profile's witness bound.
    func testAnOverdueBatchOfTheLargestMessagesFitsEveryProfile() throws {
        let f = try AppChainFixture(users: 8)
        try f.bootstrap()
        let first = UInt64(f.users.count)
        var messages = [AppChainMessage]()
        for k in 0..<Int(AppChainRoot.overdueBatch) {
            let target = try Address(Array(Keccak256.hash([UInt8(k), 0x5a]).prefix(20)))
            let data = [UInt8](repeating: UInt8(k), count: AppChainMessage.maxDataBytes)
            try f.send(f.challenger, f.root, "sendMessage(address,bytes)", [.address(target), .bytes(data)], value: UInt256(UInt64(k + 1)))
            messages.append(AppChainMessage(sender: f.challenger.address, target: target, value: UInt256(UInt64(k + 1)), data: data))
        }
        let block = try f.build([(try f.relay(first, messages), f.op.address)])
        let parent = f.child.head
        let bytes = f.check.witnessBytes(of: block, parent: parent, store: f.child.state(at: parent).store, ancestorHashes: f.ancestors(of: parent))
        XCTAssertLessThan(bytes, AppChainProfile.smallestWitnessBytes / 2, "\(bytes) witness bytes")
        XCTAssertLessThan(block.encoded.count, AppChainProfile.allCases.map(\.maxBlockBytes).min() ?? 0)
        try f.commitAndImport(block)
        XCTAssertEqual(try f.child.state(at: f.child.head).balance(messages[2].target), UInt256(3))
    }
}
