import AnkrChain
import AnkrCommandLine
import AnkrCrypto
import AnkrP2P
import AnkrPrimitives
import AnkrStorage
import ArgumentParser
import Foundation
import Logging

struct P2PBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "p2p", abstract: "Sync of small blocks from one peer, and block propagation across a 4-node loopback network.")

    @Option(help: "Blocks to sync.")
    var blocks = 5_000

    @Option(help: "Blocks to propagate.")
    var rounds = 30

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            guard blocks >= 1, rounds >= 1 else { throw BenchError.options("--blocks and --rounds", mustBe: "positive") }
            let key = try PrivateKey(hex: "0x" + String(repeating: "42", count: 32))
            let genesis = Genesis(chainID: 7331, alloc: [key.address: .init(balance: UInt256(1_000_000_000_000_000_000))])
            func node(_ bootnodes: [PeerEndpoint] = []) throws -> (Blockchain, PeerNetwork) {
                let chain = try Blockchain(database: ChainDatabase(), genesis: genesis)
                var config = PeerNetwork.Configuration()
                config.port = 0
                config.bootnodes = bootnodes
                config.messagesPerSecond = 100_000
                let net = PeerNetwork(configuration: config, chain: chain, mempool: Mempool(chainID: 7331), nodeKey: PrivateKey.random(), logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
                try net.start()
                return (chain, net)
            }
            var err = StandardError()
            print("building \(blocks) blocks…", to: &err)
            let (source, sourceNet) = try node()
            defer { sourceNet.stop() }
            for _ in 0..<blocks {
                let built = try source.produceBlock(candidates: [], coinbase: .zero, timestamp: source.head.timestamp + 1)
                try source.importBlock(built, sealed: built.block)
            }
            let clock = ContinuousClock()
            let started = clock.now
            let (sink, sinkNet) = try node([PeerEndpoint(host: "127.0.0.1", port: sourceNet.listenPort)])
            defer { sinkNet.stop() }
            while sink.head.hash != source.head.hash {
                guard clock.now - started < .seconds(600) else { throw BenchError.timedOut("sync", seconds: 600) }
                Thread.sleep(forTimeInterval: 0.005)
            }
            let syncSeconds = (clock.now - started).seconds

            print("propagating \(rounds) blocks across 4 nodes…", to: &err)
            let (a, aNet) = try node()
            defer { aNet.stop() }
            var others: [(Blockchain, PeerNetwork)] = []
            for _ in 0..<3 { others.append(try node([PeerEndpoint(host: "127.0.0.1", port: aNet.listenPort)])) }
            defer { others.forEach { $0.1.stop() } }
            // Full mesh: everyone also dials everyone else.
            for (i, o) in others.enumerated() { for (j, p) in others.enumerated() where i < j { o.1.addPeer(PeerEndpoint(host: "127.0.0.1", port: p.1.listenPort)) } }
            let meshDeadline = Date().addingTimeInterval(20)
            while (aNet.peerCount < 3 || others.contains { $0.1.peerCount < 3 }) && Date() < meshDeadline { Thread.sleep(forTimeInterval: 0.05) }
            var latencies = [Double]()
            for _ in 0..<rounds {
                let built = try a.produceBlock(candidates: [], coinbase: .zero, timestamp: a.head.timestamp + 1)
                let block = built.block
                try a.importBlock(built, sealed: block)
                let t0 = clock.now
                aNet.announce(block)
                while others.contains(where: { $0.0.head.hash != block.hash }) {
                    guard clock.now - t0 < .seconds(30) else { throw BenchError.timedOut("a block's propagation", seconds: 30) }
                    Thread.sleep(forTimeInterval: 0.0005)
                }
                latencies.append((clock.now - t0).seconds)
            }
            latencies.sort()
            let median = latencies[latencies.count / 2]
            let p90 = latencies[min(latencies.count - 1, latencies.count * 9 / 10)]
            let rate = Double(blocks) / syncSeconds
            if json {
                print(JSON.object(["sync_blocks": .int(clamping: blocks), "sync_seconds": .double(syncSeconds), "sync_blocks_per_second": .double(rate),
                                   "propagation_median_ms": .double(median * 1000), "propagation_p90_ms": .double(p90 * 1000),
                                   "mesh_peers": .int(clamping: aNet.peerCount)]).text)
            } else {
                print(String(format: "sync: %d blocks in %.2f s = %.0f blocks/s (full validation)", blocks, syncSeconds, rate))
                print(String(format: "propagation to all 3 peers: median %.1f ms, p90 %.1f ms over %d blocks", median * 1000, p90 * 1000, rounds))
            }
        }
    }
}
