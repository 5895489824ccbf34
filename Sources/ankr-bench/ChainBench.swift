import AnkrChain
import AnkrCrypto
import AnkrNode
import AnkrPrimitives
import AnkrStorage
import ArgumentParser
import Foundation

struct ChainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "Block import of EIP-1559 transfers between many accounts (recover + execute + MPT + receipts + commit).")

    @Option(help: "Number of funded accounts.")
    var accounts = 10_000

    @Option(help: "Number of transfers to import.")
    var transactions = 10_000

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            guard accounts >= 2, transactions >= 1 else { throw BenchError.options("--accounts and --transactions", mustBe: "at least 2 and 1") }
            var err = StandardError()
            #if DEBUG
            print("ankr-bench: warning: this is a debug build; run `swift build -c release` for real numbers", to: &err)
            #endif
            print("preparing \(accounts) accounts and \(transactions) signed transfers…", to: &err)
            let keys = (0..<accounts).map { i in
                // Deterministic, valid keys: keccak of the index.
                (try? PrivateKey(Keccak256.hash(Array("ankr-bench-\(i)".utf8)))) ?? PrivateKey.random()
            }
            let addresses = keys.map(\.address)
            var alloc = [Address: Genesis.Allocation]()
            for a in addresses { alloc[a] = .init(balance: UInt256(1_000_000_000_000_000_000)) }
            let genesis = Genesis(chainID: 7331, gasLimit: 30_000_000, baseFeePerGas: UInt256(1_000_000_000), alloc: alloc)
            var nonces = [Int](repeating: 0, count: accounts)
            var rng = SystemRandomNumberGenerator()
            let txs: [Transaction] = try (0..<transactions).map { i in
                let from = i % accounts
                var to = Int.random(in: 0..<accounts, using: &rng)
                if to == from { to = (to + 1) % accounts }
                defer { nonces[from] += 1 }
                return try Transaction.dynamicFee(chainID: 7331, nonce: UInt64(nonces[from]), maxPriorityFeePerGas: UInt256(1_000_000_000),
                                                  maxFeePerGas: UInt256(100_000_000_000), gasLimit: 21_000, to: addresses[to],
                                                  value: UInt256(UInt64(1000 + i))).signed(with: keys[from])
            }
            // Build the blocks once on a producer chain (not timed).
            let producer = try Blockchain(database: ChainDatabase(), genesis: genesis)
            var blocks = [Block]()
            var queue = txs.map { ($0, $0.recoverSenderUnchecked) }
            while !queue.isEmpty {
                let built = try producer.produceBlock(candidates: queue, coinbase: .zero, timestamp: producer.head.timestamp + 1)
                let block = built.block
                guard !block.transactions.isEmpty else { throw BenchError.producerStalled }
                try producer.importBlock(built, sealed: block)
                blocks.append(block)
                queue.removeFirst(block.transactions.count)
            }
            print("importing \(blocks.count) blocks into a fresh on-disk database…", to: &err)

            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let chain = try Blockchain(database: ChainDatabase(path: dir.appendingPathComponent("chain.sqlite").path), genesis: genesis)
            let clock = ContinuousClock()
            let importTime = try clock.measure { for b in blocks { try chain.importBlock(b) } }
            let executor = chain.executor
            let parallelRecovery = try clock.measure { for b in blocks { _ = try executor.recoverSenders(b.transactions) } }
            let serialRecovery = clock.measure { for tx in txs { _ = try? tx.recoverSender() } }

            let tps = Double(transactions) / importTime.seconds
            let share = parallelRecovery.seconds / importTime.seconds
            if json {
                print(JSON.object(["transactions": .int(clamping: transactions), "blocks": .int(clamping: blocks.count), "import_seconds": .double(importTime.seconds),
                                   "tx_per_second": .double(tps), "recovery_seconds_parallel": .double(parallelRecovery.seconds),
                                   "recovery_seconds_serial": .double(serialRecovery.seconds), "cores": .int(clamping: ProcessInfo.processInfo.activeProcessorCount)]).text)
                return
            }
            print(String(format: "imported %d transfers in %d blocks in %.2f s: %.0f tx/s", transactions, blocks.count, importTime.seconds, tps))
            print(String(format: "signature recovery: %.2f s on all %d cores (%.0f%% of import), %.2f s on one core (%.2f× speed-up)",
                         parallelRecovery.seconds, ProcessInfo.processInfo.activeProcessorCount, share * 100,
                         serialRecovery.seconds, serialRecovery.seconds / parallelRecovery.seconds))
        }
    }
}
