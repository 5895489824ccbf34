import AnkrCrypto
import AnkrPlasma
import AnkrPrimitives
import AnkrTestSupport
import AnkrTrie
import XCTest

final class PlasmaTransactionTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    let bob = try! PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))

    func transfer() throws -> PlasmaTransaction {
        var tx = try PlasmaTransaction(inputs: [.init(blockNumber: 1, txIndex: 0, outputIndex: 0), .init(blockNumber: 2, txIndex: 3, outputIndex: 1)],
                                       outputs: [.init(owner: bob.address, amount: UInt256(70)), .init(owner: alice.address, amount: UInt256(25))],
                                       fee: UInt256(5))
        try tx.sign(input: 0, with: alice)
        try tx.sign(input: 1, with: bob)
        return tx
    }

    func testEncodingFollowsTheWhitePaperOrderAndTheHashSkipsSignatures() throws {
        let tx = try transfer()
        let items = try RLP.decodeList(tx.encoded, count: 13)
        XCTAssertEqual(try items[0].uint64Value(), 1)
        XCTAssertEqual(try items[3].bytesValue(), tx.signatures[0])
        XCTAssertEqual(try items[5].uint64Value(), 3)
        XCTAssertEqual(try items[7].bytesValue(), tx.signatures[1])
        XCTAssertEqual(try items[8].bytesValue(), bob.address.bytes)
        XCTAssertEqual(try items[12].uint256Value(), UInt256(5))
        // The hash is keccak of the 11 unsigned fields in the same order.
        let unsigned = try RLP.decodeList(tx.unsignedEncoded, count: 11)
        XCTAssertEqual(try unsigned[2].uint64Value(), 0)
        XCTAssertEqual(tx.hash, Keccak256.h256(tx.unsignedEncoded))
        var resigned = tx
        try resigned.sign(input: 0, with: bob)
        XCTAssertEqual(resigned.hash, tx.hash, "signatures are not part of the hash")
        XCTAssertNotEqual(resigned.merkleLeaf, tx.merkleLeaf, "but they are part of the leaf")
        XCTAssertEqual(tx.merkleLeaf, Keccak256.h256(tx.hash.bytes + tx.signatures[0] + tx.signatures[1]))
        XCTAssertEqual(try PlasmaTransaction(encoded: tx.encoded), tx)
        XCTAssertEqual(try tx.signers(), [alice.address, bob.address])
        XCTAssertEqual(tx.signatures.map { $0[64] }.allSatisfy { $0 == 27 || $0 == 28 }, true)
        // Each owner signs the raw hash: plain ecrecover over it gives the owner.
        XCTAssertEqual(try Signature(rsv: tx.signatures[0]).recoverAddress(hash: tx.hash.bytes), alice.address)
    }

    func testDepositsAndSingleInputTransactionsKeepZeroedFields() throws {
        let deposit = PlasmaTransaction.deposit(owner: alice.address, amount: UInt256(1_000))
        XCTAssertTrue(deposit.isDeposit)
        XCTAssertEqual(deposit.signatures, [PlasmaTransaction.nullSignature, PlasmaTransaction.nullSignature])
        XCTAssertEqual(try deposit.signers(), [nil, nil])
        let decoded = try PlasmaTransaction(encoded: deposit.encoded)
        XCTAssertEqual(decoded.outputs[1], .none)
        var single = try PlasmaTransaction(inputs: [.init(blockNumber: 1000, txIndex: 0, outputIndex: 0)],
                                           outputs: [.init(owner: bob.address, amount: UInt256(1_000))])
        XCTAssertThrowsError(try single.signers()) { XCTAssertEqual($0 as? PlasmaError, .missingSignature(input: 0)) }
        try single.sign(input: 0, with: alice)
        XCTAssertThrowsError(try single.sign(input: 1, with: alice))
        XCTAssertEqual(try single.signers(), [alice.address, nil])
        XCTAssertNoThrow(try single.checkBalance(inputAmounts: [UInt256(1_000)]))
        XCTAssertThrowsError(try single.checkBalance(inputAmounts: [UInt256(999)])) {
            XCTAssertEqual($0 as? PlasmaError, .unbalanced(outputsAndFee: "1000", inputs: "999"))
        }
    }

    func testPositionsEncodeAsThePlasmaMVPDoesAndRefuseImpossibleOnes() throws {
        let p = try UTXOPosition(blockNumber: 7, txIndex: 65_535, outputIndex: 1)
        XCTAssertEqual(p.encoded, 7 * 1_000_000_000 + 65_535 * 10_000 + 1)
        XCTAssertEqual(try UTXOPosition(encoded: UInt256(p.encoded)), p)
        XCTAssertLessThan(try UTXOPosition(blockNumber: 1, txIndex: 9, outputIndex: 1), try UTXOPosition(blockNumber: 2, txIndex: 0, outputIndex: 0))
        XCTAssertThrowsError(try UTXOPosition(blockNumber: 1, txIndex: 65_536, outputIndex: 0))
        XCTAssertThrowsError(try UTXOPosition(blockNumber: 1, txIndex: 0, outputIndex: 2))
        XCTAssertThrowsError(try UTXOPosition(encoded: UInt256(1_000_000_002)), "oindex 2")
        XCTAssertThrowsError(try UTXOPosition(encoded: UInt256(1_000_000_000 + 70_000 * 10_000)), "txindex 70,000")
        XCTAssertThrowsError(try UTXOPosition(encoded: .max))
    }

    func testHostileEncodingsAreRefusedWithTheirReason() throws {
        let good = try transfer()
        func mutate(_ change: (inout [RLPItem]) -> Void) -> [UInt8] {
            var items = (try? RLP.decodeList(good.encoded, count: 13)) ?? []
            change(&items)
            return RLP.encode(.list(items))
        }
        func refused(_ bytes: [UInt8], _ expected: String, line: UInt = #line) {
            XCTAssertThrowsError(try PlasmaTransaction(encoded: bytes), line: line) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)", line: line)
            }
        }
        refused(Array(good.encoded.dropLast()), "malformed")
        refused(RLP.encode(.list([.uint(UInt64(1))])), "malformed")
        refused(mutate { $0[2] = .uint(UInt64(2)) }, "oindex1 = 2")
        refused(mutate { $0[1] = .uint(UInt64(65_536)) }, "txindex1 = 65536")
        refused(mutate { $0[3] = .bytes([1, 2, 3]) }, "sig1 must be 65 bytes")
        refused(mutate { $0[8] = .bytes([1, 2]) }, "newowner1 must be 20 bytes")
        refused(mutate { $0[4] = .uint(UInt64(1)); $0[5] = .uint(UInt64(0)); $0[6] = .uint(UInt64(0)) }, "both inputs spend the same output")
        refused(mutate { $0[8] = .bytes(Address.zero.bytes) }, "has an amount but no owner")
        refused(mutate { $0[9] = .uint(UInt256.max) }, "overflow")
        refused(mutate { var sig = good.signatures[0]; sig[64] = 1; $0[3] = .bytes(sig) }, "v must be 27 or 28")
        // A high-s signature (s' = n - s) recovers the same key; it is refused all the same.
        refused(mutate {
            let sig = good.signatures[0]
            let n = try! UInt256(parsing: "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")  // the group order
            let s = UInt256(bigEndian: sig[32..<64]) ?? .zero
            $0[3] = .bytes(Array(sig[0..<32]) + (n &- s).bigEndianBytes + [sig[64] == 27 ? 28 : 27])
        }, "signature of input 1 is invalid: signature s is in the upper half")
        refused(mutate { $0[4] = .uint(UInt64(0)); $0[5] = .uint(UInt64(0)); $0[6] = .uint(UInt64(0)) }, "input 2 is unused but signed")

        // Random corruption: a typed error or a transaction that re-encodes to the same bytes, never a trap.
        var rng = SplitMix64(seed: 6)
        for _ in 0..<20_000 {
            var bytes = good.encoded
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            if rng.next() % 5 == 0 { bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count)))) }
            do {
                let tx = try PlasmaTransaction(encoded: bytes)
                XCTAssertEqual(tx.encoded, bytes)
            } catch is PlasmaError {
            } catch {
                XCTFail("untyped error \(error)")
            }
        }
    }

    func testBlocksRootProofsAndHeaderHashes() throws {
        let txs = try (0..<5).map { i -> PlasmaTransaction in
            var tx = try PlasmaTransaction(inputs: [.init(blockNumber: 1, txIndex: UInt64(i), outputIndex: 0)],
                                           outputs: [.init(owner: bob.address, amount: UInt256(i + 1))])
            try tx.sign(input: 0, with: alice)
            return tx
        }
        let genesisHeader = H256.zero
        let block = try ChildBlock(number: 1000, previousHeaderHash: genesisHeader, transactions: txs)
        let tree = block.tree()
        XCTAssertEqual(block.merkleRoot, try BinaryMerkleTree(leaves: txs.map(\.merkleLeaf)).root)
        for (i, tx) in txs.enumerated() {
            XCTAssertTrue(BinaryMerkleTree.verify(leaf: tx.merkleLeaf, index: i, proof: try tree.proof(index: i), root: block.merkleRoot))
            XCTAssertFalse(BinaryMerkleTree.verify(leaf: tx.merkleLeaf, index: i + 1, proof: try tree.proof(index: i), root: block.merkleRoot))
        }
        XCTAssertEqual(block.headerHash, Keccak256.h256(block.merkleRoot.bytes + genesisHeader.bytes))
        let next = try ChildBlock(number: 2000, previousHeaderHash: block.headerHash, transactions: [])
        XCTAssertEqual(next.merkleRoot, try BinaryMerkleTree(leaves: []).root)
        XCTAssertEqual(next.headerHash, ChildBlock.headerHash(root: next.merkleRoot, previous: block.headerHash))
        XCTAssertEqual(try ChildBlock(encoded: block.encoded), block)
        XCTAssertThrowsError(try ChildBlock(encoded: Array(block.encoded.dropLast(3))))

        // Confirm signatures: over keccak256(txHash ‖ root), recoverable to the owner.
        let confirm = try ConfirmSignature.sign(transaction: txs[0].hash, blockRoot: block.merkleRoot, with: alice)
        XCTAssertEqual(try ConfirmSignature.signer(of: confirm, transaction: txs[0].hash, blockRoot: block.merkleRoot), alice.address)
        XCTAssertNotEqual(try ConfirmSignature.signer(of: confirm, transaction: txs[1].hash, blockRoot: block.merkleRoot), alice.address)
        XCTAssertThrowsError(try ConfirmSignature.signer(of: Array(confirm.dropLast()), transaction: txs[0].hash, blockRoot: block.merkleRoot))
    }
}
