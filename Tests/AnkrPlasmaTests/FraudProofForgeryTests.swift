import AnkrChain
import AnkrCrypto
import AnkrPlasma
import AnkrPrimitives
import AnkrTestSupport
import AnkrTrie
import XCTest

/// Fraud proofs built from an honest block's own data: whatever bytes a prover sends for an
/// included transaction, unless they are that transaction's canonical encoding they have no leaf in
/// the block, and the canonical encoding is valid. An honest operator is never slashed.
extension PlasmaRootTests {
    /// One transaction of an honest block, with the transactions and blocks behind its inputs.
    private struct Included {
        let block: ChildBlock
        let index: Int
        let sources: [(PlasmaTransaction, ChildBlock, Int)]
        var tx: PlasmaTransaction { block.transactions[index] }
    }

    /// An output of the honest chain: where it is, who owns it, and the transaction and block that made it.
    private struct Coin {
        let position: UTXOPosition
        let owner: PrivateKey
        let amount: UInt256
        let source: (PlasmaTransaction, ChildBlock, Int)
    }

    /// Chain 1 with three deposits and `blocks` random honest operator blocks, all submitted.
    private func randomHonestChain(blocks: Int, _ rng: inout SplitMix64) throws -> [Included] {
        let root = ChildChainRegistry.rootAddress(1)
        try send(op, ChildChainRegistry.address, "createChildChain()", value: ether)
        let keys = [alice, bob, carol]
        var coins = [Coin]()
        for (i, key) in keys.enumerated() {
            let amount = UInt256(UInt64.random(in: 2...1_000_000, using: &rng))
            try send(key, root, "deposit()", value: amount)
            let deposit = PlasmaTransaction.deposit(owner: key.address, amount: amount)
            let block = try ChildBlock(number: UInt64(i + 1), previousHeaderHash: .zero, transactions: [deposit])
            coins.append(Coin(position: try UTXOPosition(blockNumber: UInt64(i + 1), txIndex: 0, outputIndex: 0), owner: key, amount: amount,
                              source: (deposit, block, 0)))
        }
        var included = [Included]()
        var previous = H256.zero
        for b in 1...blocks {
            let number = UInt64(b) * 1_000
            var txs = [PlasmaTransaction](), sources = [[(PlasmaTransaction, ChildBlock, Int)]](), made = [(Int, PlasmaTransaction.Output, PrivateKey)]()
            for _ in 0..<Int.random(in: 2...6, using: &rng) where !coins.isEmpty {
                coins.shuffle(using: &rng)
                let spent = Array(coins.prefix(coins.count > 1 && Bool.random(using: &rng) ? 2 : 1))
                coins.removeFirst(spent.count)
                let total = spent.reduce(UInt256.zero) { $0 &+ $1.amount }
                let fee = UInt256(UInt64.random(in: 0...min(3, (total &- .one).uint64 ?? 3), using: &rng))
                let left = (total &- fee).uint64 ?? 1
                let first = UInt64.random(in: 1...left, using: &rng)
                let owners = (keys.randomElement(using: &rng) ?? alice, keys.randomElement(using: &rng) ?? bob)
                var outputs = [PlasmaTransaction.Output(owner: owners.0.address, amount: UInt256(first))]
                if left > first { outputs.append(.init(owner: owners.1.address, amount: UInt256(left - first))) }
                var tx = try PlasmaTransaction(inputs: spent.map { .init($0.position) }, outputs: outputs, fee: fee)
                for (i, coin) in spent.enumerated() { try tx.sign(input: i, with: coin.owner) }
                for (k, o) in outputs.enumerated() { made.append((txs.count * 2 + k, o, k == 0 ? owners.0 : owners.1)) }
                txs.append(tx)
                sources.append(spent.map(\.source))
            }
            let block = try ChildBlock(number: number, previousHeaderHash: previous, transactions: txs)
            try send(op, root, "submitBlock(bytes32)", [.fixedBytes(block.merkleRoot.bytes)])
            previous = block.headerHash
            for (slot, output, owner) in made {
                coins.append(Coin(position: try UTXOPosition(blockNumber: number, txIndex: UInt64(slot / 2), outputIndex: UInt64(slot % 2)),
                                  owner: owner, amount: output.amount, source: (txs[slot / 2], block, slot / 2)))
            }
            included += txs.indices.map { Included(block: block, index: $0, sources: sources[$0]) }
        }
        return included
    }

    /// A canonical RLP list header for `length` payload bytes.
    private func listHeader(_ length: Int) -> [UInt8] {
        guard length >= 56 else { return [0xc0 + UInt8(length)] }
        let size = UInt64(length).bigEndianBytesTrimmed
        return [0xf7 + UInt8(size.count)] + size
    }

    /// Encodings of `tx` that are not its canonical one, each named.
    private func reEncodings(of tx: PlasmaTransaction, _ rng: inout SplitMix64) throws -> [(String, [UInt8])] {
        let items = try RLP.decodeList(tx.encoded, count: 13)
        var out = [(String, [UInt8])]()
        func with(_ change: (inout [RLPItem]) -> Void) -> [UInt8] {
            var copy = items
            change(&copy)
            return RLP.encode(.list(copy))
        }
        // The 130 signature bytes split anywhere but 65 + 65.
        let both = tx.signatures[0] + tx.signatures[1]
        var splits = [0, 1, 64, 66, 129, 130]
        splits += (0..<2).map { _ in [Int](0...130).filter { $0 != 65 }.randomElement(using: &rng) ?? 64 }
        for k in splits { out.append(("signatures re-split \(k) + \(130 - k)", with { $0[3] = .bytes(Array(both[..<k])); $0[7] = .bytes(Array(both[k...])) })) }
        out.append(("first signature with a trailing zero", with { $0[3] = .bytes(tx.signatures[0] + [0]) }))
        // An integer with a leading zero byte (zero itself as 0x00).
        let integers = [0, 1, 2, 4, 5, 6, 9, 11, 12]
        for i in [integers.randomElement(using: &rng) ?? 0, 12] {
            let value = (try? items[i].bytesValue()) ?? []
            out.append(("item \(i) with a leading zero", with { $0[i] = .bytes([0] + value) }))
        }
        // Bytes after the list, and the list's length in a longer form than needed.
        let padding = (0..<Int.random(in: 1...3, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        out.append(("\(padding.count) bytes of padding", tx.encoded + padding))
        let payload = items.flatMap { RLP.encode($0) }
        let size = UInt64(payload.count).bigEndianBytesTrimmed
        out.append(("list length with a leading zero byte", [0xf7 + UInt8(size.count + 1), 0] + size + payload))
        // The first owner's 20 bytes with a long-form string header.
        var longOwner = [UInt8]()
        for (i, item) in items.enumerated() { longOwner += i == 8 ? [0xb8, 20] + ((try? item.bytesValue()) ?? []) : RLP.encode(item) }
        out.append(("owner with a long-form header", listHeader(longOwner.count) + longOwner))
        // Extra or missing items.
        out.append(("a 14th item", with { $0.append(.bytes([])) }))
        let at = Int.random(in: 0...13, using: &rng)
        out.append(("an empty item inserted at \(at)", with { $0.insert(.bytes([]), at: at) }))
        out.append(("the fee dropped", with { $0.removeLast() }))
        out.append(("the signatures as lists", with { $0[3] = .list([.bytes(tx.signatures[0])]); $0[7] = .list([.bytes(tx.signatures[1])]) }))
        return out
    }

    func testNoReEncodingOfAnHonestTransactionProvesFraud() throws {
        var rng = SplitMix64(seed: 0x17_2026)
        let root = ChildChainRegistry.rootAddress(1)
        let included = try randomHonestChain(blocks: 6, &rng)
        let prove = "proveInvalidTransaction(uint256,bytes,bytes,bytes[],bytes[])"
        var cases = 0
        for item in included {
            let proof = try item.block.tree().proof(index: item.index)
            let position = UInt256(item.block.number * UTXOPosition.blockFactor + UInt64(item.index) * UTXOPosition.txFactor)
            let inputTxs = ABIValue.array(item.sources.map { .bytes($0.0.encoded) })
            let inputProofs = ABIValue.array(try item.sources.map { .bytes(try $0.1.tree().proof(index: $0.2)) })
            // The transaction itself is valid.
            assertReverts("is valid") {
                try self.send(self.carol, root, prove, [.uint(position), .bytes(item.tx.encoded), .bytes(proof), inputTxs, inputProofs])
            }
            for (name, bytes) in try reEncodings(of: item.tx, &rng) {
                cases += 1
                XCTAssertNotEqual(bytes, item.tx.encoded, name)
                XCTAssertNotEqual(PlasmaTransaction.rawLeaf(bytes), item.tx.merkleLeaf, "\(name) has the honest leaf")
                XCTAssertThrowsError(try send(carol, root, prove, [.uint(position), .bytes(bytes), .bytes(proof), inputTxs, inputProofs]),
                                     "\(name) of \(item.block.number):\(item.index) proved fraud")
            }
        }
        XCTAssertGreaterThan(cases, 250, "a few hundred re-encodings")
        var view = PlasmaRootState(state: state, root: root)
        XCTAssertEqual(try view.stake(), ether, "the honest operator keeps its stake")
        XCTAssertFalse(try view.stakeSlashed())
        XCTAssertEqual(try view.latestOperatorBlock(), 6_000, "no block was rolled back")
    }

    func testAnUndecodableTransactionNeedsTwoSixtyFiveByteSignaturesToHaveALeaf() throws {
        var spend = try PlasmaTransaction(inputs: [.init(blockNumber: 1, txIndex: 0, outputIndex: 0)], outputs: [.init(owner: bob.address, amount: ether)])
        try spend.sign(input: 0, with: alice)
        var items = try RLP.decodeList(spend.encoded, count: 13)
        let both = spend.signatures[0] + spend.signatures[1]
        items[3] = .bytes(Array(both[..<64]))
        items[7] = .bytes(Array(both[64...]))
        let resplit = RLP.encode(.list(items))
        XCTAssertThrowsError(try PlasmaTransaction(encoded: resplit))
        XCTAssertNil(PlasmaTransaction.rawLeaf(resplit), "64 + 66 bytes would hash exactly as the honest 65 + 65")
        XCTAssertNil(PlasmaTransaction.rawLeaf(spend.encoded + [0]), "padding")
        XCTAssertEqual(PlasmaTransaction.rawLeaf(spend.encoded), spend.merkleLeaf)
    }
}

private extension UInt64 {
    /// Big-endian bytes without leading zeros (empty for zero).
    var bigEndianBytesTrimmed: [UInt8] {
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: self >> (56 - 8 * $0)) }
        return Array(bytes.drop { $0 == 0 })
    }
}
