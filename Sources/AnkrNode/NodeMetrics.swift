import AnkrChain
import AnkrPrimitives
import AnkrRPC
import Foundation
import Prometheus

/// The node's Prometheus metrics, served in the text format at `GET /metrics`.
///
/// Events (block imports, RPC calls) feed counters and histograms as they happen; levels (head,
/// peers, pool, miner fuel) are read from the node when a scrape arrives, so they are never stale.
public final class NodeMetrics: RPCObserver, @unchecked Sendable {
    public let registry = PrometheusCollectorRegistry()

    private let headNumber, totalDifficulty, peers, mempoolSize, usefulFuelRate, usefulFraction: Gauge
    private let blocksImported, reorgs, minedFuel, minedSubtasks: Counter
    private let blockInterval: ValueHistogram
    private let importSeconds: DurationHistogram
    private let lock = NSLock()
    private var rpcHistograms: [String: DurationHistogram] = [:]
    private var rpcErrors: [String: Counter] = [:]
    private var lastImported: (hash: H256, timestamp: UInt64)?
    private var fuelReported: UInt64 = 0
    private var subtasksReported = 0

    static let durationBuckets: [Duration] = [.microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10),
                                              .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5)]

    private static func named(_ name: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "ankr", metricName: name, unitName: unit, helpText: help)
    }

    public init() {
        headNumber = registry.makeGauge(descriptor: Self.named("head_number", "Number of the canonical head block"))
        totalDifficulty = registry.makeGauge(descriptor: Self.named("head_total_difficulty", "Total difficulty of the head (expected instructions), as a float"))
        peers = registry.makeGauge(descriptor: Self.named("peers", "Connected peers"))
        mempoolSize = registry.makeGauge(descriptor: Self.named("mempool_transactions", "Transactions waiting in the pool"))
        usefulFuelRate = registry.makeGauge(descriptor: Self.named("mining_useful_fuel_per_second", "Wasm fuel (instructions) this miner executed per second of mining, since start"))
        usefulFraction = registry.makeGauge(descriptor: Self.named("mining_useful_fraction", "Share of mining time spent executing WebAssembly"))
        blocksImported = registry.makeCounter(descriptor: Self.named("blocks_imported", unit: "total", "Blocks stored (own and from peers)"))
        reorgs = registry.makeCounter(descriptor: Self.named("reorgs", unit: "total", "Head changes that orphaned blocks"))
        minedFuel = registry.makeCounter(descriptor: Self.named("mining_fuel", unit: "total", "Wasm fuel executed by this miner"))
        minedSubtasks = registry.makeCounter(descriptor: Self.named("mining_subtasks", unit: "total", "Subtasks this miner ran"))
        importSeconds = registry.makeDurationHistogram(descriptor: Self.named("block_import", unit: "seconds", "Time to validate, execute and commit a block"),
            buckets: Self.durationBuckets)
        blockInterval = registry.makeValueHistogram(descriptor: Self.named("block_interval", unit: "seconds", "Seconds between a new head and its parent"),
            buckets: [1, 2, 3, 5, 8, 13, 21, 34, 60])
    }

    /// Feeds on `Blockchain.onImport`.
    func blockImported(_ header: BlockHeader, took: Duration, result: ImportResult) {
        blocksImported.increment()
        importSeconds.record(took)
        guard case .newHead(let orphaned) = result else { return }
        if !orphaned.isEmpty { reorgs.increment() }
        let parentTimestamp = lock.withLock { () -> UInt64? in
            defer { lastImported = (header.hash, header.timestamp) }
            return lastImported?.hash == header.parentHash ? lastImported?.timestamp : nil
        }
        if let t = parentTimestamp, header.timestamp >= t { blockInterval.record(Double(header.timestamp - t)) }
    }

    public func observe(method: String, seconds: Double, failed: Bool) {
        let (histogram, errors) = lock.withLock { () -> (DurationHistogram, Counter?) in
            if rpcHistograms[method] == nil {
                rpcHistograms[method] = registry.makeDurationHistogram(
                    descriptor: Self.named("rpc_request_duration", unit: "seconds", "JSON-RPC call latency by method"),
                    labels: [("method", method)], buckets: Self.durationBuckets)
            }
            if failed, rpcErrors[method] == nil {
                rpcErrors[method] = registry.makeCounter(
                    descriptor: Self.named("rpc_errors", unit: "total", "JSON-RPC calls answered with an error, by method"),
                    labels: [("method", method)])
            }
            return (rpcHistograms[method]!, failed ? rpcErrors[method] : nil)
        }
        histogram.record(Duration.seconds(seconds))
        errors?.increment()
    }

    /// Reads the node's levels and renders every metric in the Prometheus text format.
    func render(node: Node) -> Data {
        let head = node.chain.head
        headNumber.set(Double(head.number))
        if let td = try? node.chain.totalDifficulty(head.hash) { totalDifficulty.set(Double(td.description) ?? 0) }
        peers.set(Double(node.network?.peerCount ?? 0))
        mempoolSize.set(Double(node.mempool.count))
        if let stats = node.chain.sealer.sealingStats {
            usefulFuelRate.set(stats.secondsSealing > 0 ? Double(stats.fuel) / stats.secondsSealing : 0)
            usefulFraction.set(stats.usefulFraction)
            let (fuel, subtasks) = lock.withLock { () -> (UInt64, Int) in
                defer { fuelReported = stats.fuel; subtasksReported = stats.subtasks }
                return (stats.fuel - min(stats.fuel, fuelReported), stats.subtasks - min(stats.subtasks, subtasksReported))
            }
            minedFuel.increment(by: Int64(clamping: fuel))
            minedSubtasks.increment(by: Int64(subtasks))
        }
        return Data(registry.emitToBuffer())
    }
}
