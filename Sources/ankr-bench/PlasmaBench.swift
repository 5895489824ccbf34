import AnkrChain
import AnkrCrypto
import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import AnkrTrie
import ArgumentParser
import Dispatch
import Foundation

/// Child-chain throughput: the root of a full block, proof verification, and how many signed
/// two-input transactions per second can be decoded and have both signers recovered, on all cores
/// against the bare signature recoveries they need (the physical limit).
struct PlasmaBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plasma", abstract: "Child-chain blocks: 65,536-transaction root, proof checks, transaction validation rate.")

    @Option(help: "Transactions in the block.")
    var transactions = 65_536

    @Option(help: "Rounds; each figure is the best of them, with the recovery floor and the operator runs interleaved.")
    var runs = 3

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            guard transactions >= 1, transactions <= ChildBlock.maxTransactions else { throw BenchError.options("--transactions", mustBe: "1…65536") }
            guard runs >= 1 else { throw BenchError.options("--runs", mustBe: "at least 1") }
            let alice = try PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
            let bob = try PrivateKey(hex: "0x" + String(repeating: "b2", count: 32))
            let signedAt = Date()
            let txs = ConcurrentMap.map(Array(0..<transactions)) { i -> PlasmaTransaction? in
                guard var tx = try? PlasmaTransaction(
                    inputs: [.init(blockNumber: 1000, txIndex: UInt64(i), outputIndex: 0), .init(blockNumber: 1000, txIndex: UInt64(i), outputIndex: 1)],
                    outputs: [.init(owner: bob.address, amount: UInt256(90)), .init(owner: alice.address, amount: UInt256(9))], fee: .one)
                else { return nil }
                try? tx.sign(input: 0, with: alice)
                try? tx.sign(input: 1, with: alice)
                return tx
            }.compactMap { $0 }
            let signing = Date().timeIntervalSince(signedAt)
            let block = try ChildBlock(number: 1000, previousHeaderHash: .zero, transactions: txs)

            let rootTime = Stopwatch.secondsPerCall(iterations: 1, rounds: 3) { blackHole(block.merkleRoot) }
            let tree = block.tree()
            let proofs = try (0..<256).map { try tree.proof(index: $0 * (txs.count / 256 + 1) % txs.count) }
            let root = tree.root
            let verify = Stopwatch.secondsPerCall(iterations: 1, rounds: 5) {
                for (k, p) in proofs.enumerated() {
                    let i = k * (txs.count / 256 + 1) % txs.count
                    blackHole(BinaryMerkleTree.verify(leaf: txs[i].merkleLeaf, index: i, proof: p, root: root))
                }
            } / 256

            // What an operator does per submitted transaction: strict decode + both signers recovered.
            let raw = txs.map(\.encoded)
            let count = raw.count
            let validate = Stopwatch.secondsPerCall(iterations: 1, rounds: 3) {
                blackHole(ConcurrentMap.map(raw) { try? PlasmaTransaction(encoded: $0).signers() })
            }
            let signatures = txs.map { ($0.hash.bytes, try? Signature(rsv: $0.signatures[0]), try? Signature(rsv: $0.signatures[1])) }
            let callers = RPCServer.callThreads(heavyCalls: RPCLimits.defaultHeavyCalls)
            var floor = Double.infinity
            var (operatorRate, oneByOneRate, serverRate) = (0.0, 0.0, 0.0)
            for _ in 0..<runs {
                floor = min(floor, Stopwatch.secondsPerCall(iterations: 1, rounds: 1) {
                    blackHole(ConcurrentMap.map(signatures) { h, a, b in [try? a?.recoverAddress(hash: h), try? b?.recoverAddress(hash: h)] })
                })
                let round = try operatorThroughput(alice: alice, bob: bob, callers: callers)
                operatorRate = max(operatorRate, round.batched)
                oneByOneRate = max(oneByOneRate, round.oneByOne)
                serverRate = max(serverRate, round.server)
            }
            let floorRate = Double(count) / floor
            let row: JSON = [
                "transactions": .int(clamping: count), "signing_seconds": .double(signing), "root_seconds": .double(rootTime),
                "proof_verify_ms": .double(verify * 1000), "validated_tx_per_second": .double(Double(count) / validate),
                "recovery_floor_tx_per_second": .double(Double(count) / floor), "operator_tx_per_second": .double(operatorRate),
                "operator_one_by_one_tx_per_second": .double(oneByOneRate), "operator_one_by_one_rpc_callers": .int(clamping: callers),
                "operator_one_by_one_rpc_tx_per_second": .double(serverRate), "runs": .int(clamping: runs), "cores": .int(clamping: ProcessInfo.processInfo.activeProcessorCount),
            ]
            if json { print(row.text); return }
            print(String(format: "block of %d signed two-input transactions: root %.0f ms, proof check %.3f ms", count, rootTime * 1000, verify * 1000))
            print(String(format: "validation (decode + 2 signers) %.0f tx/s on %d cores; the bare 2 recoveries per tx %.0f tx/s (validation at %.0f%% of that floor)",
                         Double(count) / validate, ProcessInfo.processInfo.activeProcessorCount, Double(count) / floor, floor / validate * 100))
            print("operator (accept + check against UTXO set and pool + SQLite + build and store the block):")
            print(String(format: "  in batches of %d: %.0f tx/s (%.0f%% of the recovery floor)", Self.batch, operatorRate, operatorRate / floorRate * 100))
            print(String(format: "  one call per transaction from %d threads: %.0f tx/s (%.0f%%)",
                         ProcessInfo.processInfo.activeProcessorCount, oneByOneRate, oneByOneRate / floorRate * 100))
            print(String(format: "  one call per transaction from %d threads, as many as the RPC server runs at once: %.0f tx/s (%.0f%%)",
                         callers, serverRate, serverRate / floorRate * 100))
            print("(best of \(runs) rounds, recovery floor and operator runs interleaved)")
        }
    }

    static let batch = 4_096

    /// The operator's whole path on a file-backed store: every transaction spends two deposits of
    /// Alice's; accepted in RPC-sized batches (or one call per transaction from every core), then
    /// built into blocks of up to 65,536 and stored. One call per transaction runs from one thread per
    /// core, and from `callers` threads (the RPC server's: each waits for its own write).
    func operatorThroughput(alice: PrivateKey, bob: PrivateKey, callers: Int) throws -> (batched: Double, oneByOne: Double, server: Double) {
        let n = transactions
        let raw = ConcurrentMap.map(Array(0..<n)) { i -> [UInt8] in
            guard var tx = try? PlasmaTransaction(
                inputs: [.init(blockNumber: UInt64(2 * i + 1), txIndex: 0, outputIndex: 0), .init(blockNumber: UInt64(2 * i + 2), txIndex: 0, outputIndex: 0)],
                outputs: [.init(owner: bob.address, amount: UInt256(19)), .init(owner: alice.address, amount: UInt256(1))]) else { return [] }
            try? tx.sign(input: 0, with: alice)
            try? tx.sign(input: 1, with: alice)
            return tx.encoded
        }
        let deposits = (0..<(2 * n)).map { PlasmaOperator.Deposit(block: UInt64($0 + 1), owner: alice.address, amount: UInt256(10)) }
        // Above every deposit block, so the blocks would pass a watcher's audit too.
        let firstBlock = (UInt64(2 * n) / 1_000 + 1) * 1_000
        func run(_ body: (PlasmaOperator) throws -> Void) throws -> Double {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-bench-operator-\(UUID())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let op = try PlasmaOperator(store: try ChildChainStore(path: dir.appendingPathComponent("operator.sqlite").path))
            try op.record(deposits)
            let started = Date()
            try body(op)
            var number = firstBlock
            while let _ = try op.buildBlock(number: number) {
                try op.markSubmitted(number)
                number += 1_000
            }
            let seconds = Date().timeIntervalSince(started)
            guard op.ledgerSnapshot.unspent(of: bob.address).count == n else { throw BenchError.operatorDroppedTransactions }
            return Double(n) / seconds
        }
        let batched = try run { op in
            for start in stride(from: 0, to: n, by: Self.batch) {
                let results = op.accept(batch: Array(raw[start..<min(n, start + Self.batch)]))
                guard results.allSatisfy({ if case .success = $0 { return true } else { return false } }) else { throw BenchError.validTransactionRefused }
            }
        }
        let oneByOne = try run { op in
            let refused = ConcurrentMap.map(raw, minimumPerThread: 1) { (try? op.accept($0)) == nil }
            guard !refused.contains(true) else { throw BenchError.validTransactionRefused }
        }
        let server = try run { op in
            guard CallerThreads.run(callers, count: raw.count, { (try? op.accept(raw[$0])) != nil }) else { throw BenchError.validTransactionRefused }
        }
        return (batched, oneByOne, server)
    }
}
