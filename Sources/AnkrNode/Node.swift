import AnkrAssets
import AnkrChain
import AnkrConsensus
import AnkrCrypto
import AnkrEnclave
import AnkrOracle
import AnkrP2P
import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import AnkrWork
import Foundation
import Logging

/// A running node: database, chain, mempool, block producer and JSON-RPC server.
/// A configuration the node cannot run with.
public struct NodeError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public final class Node: RPCBackend, @unchecked Sendable {
    public struct Configuration: Sendable {
        public var dataDirectory: URL
        public var genesis: Genesis
        public var rpc = RPCServer.Configuration()
        /// What JSON-RPC callers may make the node do: namespaces, EVM time, concurrent heavy calls,
        /// unprotected transactions.
        public var rpcLimits = RPCLimits()
        /// Seconds between dev blocks; 0 seals whenever a transaction arrives.
        public var devPeriod: TimeInterval = 0
        public var coinbase = Address.zero
        /// Peer-to-peer settings; nil runs the node alone.
        public var p2p: PeerNetwork.Configuration?
        /// Mine PoUW blocks (on a `pouw` chain). In simulated mode the node certifies its own platform
        /// with the development attestation root key from `<datadir>/attestation-root.key`.
        public var mine = false
        /// The miner's worker account: signs WorkMarket results, posts their bonds, receives the
        /// payments. Without it a miner runs only its own workload.
        public var minerKey: PrivateKey?
        /// Share of the time the miner computes (see ``PoUWSealer/duty``).
        public var mineDuty = 1.0

        public init(dataDirectory: URL, genesis: Genesis) {
            self.dataDirectory = dataDirectory
            self.genesis = genesis
        }
    }

    public let spec: ChainSpec
    public let chain: Blockchain
    public let mempool: Mempool
    public let producer: BlockProducer
    public let network: PeerNetwork?
    public let clientVersion = "Ankr/v0.1.0/linux/swift6"
    private var server: RPCServer?
    private let logger: Logger
    /// Prometheus metrics, served at `/metrics`.
    public let metrics: NodeMetrics
    private var progress: SyncProgressReporter?

    /// The database file inside a datadir.
    public static func databasePath(_ dir: URL) -> String { dir.appendingPathComponent("chaindata.sqlite").path }

    /// Starts the node. Components log under `ankr.<part>` labels at `logger`'s level.
    public init(configuration: Configuration, logger: Logger = Logger(label: "ankr.node")) throws {
        func child(_ label: String) -> Logger {
            var l = Logger(label: label)
            l.logLevel = logger.logLevel
            return l
        }
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        let db = try ChainDatabase(path: Self.databasePath(configuration.dataDirectory))
        spec = ChainSpec(genesis: configuration.genesis)
        let (sealer, produces) = try Self.sealer(for: configuration, spec: spec)
        chain = try Blockchain(database: db, genesis: configuration.genesis, sealer: sealer, systemContracts: spec.systemContracts)
        mempool = Mempool(chainID: configuration.genesis.chainID, systemContracts: chain.executor.systemContracts)
        producer = BlockProducer(chain: chain, mempool: mempool, coinbase: configuration.coinbase,
                                 period: !produces ? -1 : (sealer is PoUWSealer ? max(configuration.devPeriod, 0.05) : configuration.devPeriod),
                                 logger: child("ankr.miner"))
        if let pouw = sealer as? PoUWSealer {
            let chain = self.chain, pool = self.mempool, producer = self.producer
            // A new head ends the template; so do transactions that arrived after it was built, at most
            // once a second. Re-templating costs nothing: each subtask's lottery draw is independent.
            pouw.shouldAbandon = { template in
                chain.head.hash != template.parentHash
                    || (pool.admittedCount != producer.templateAdmissions && UInt64(Date().timeIntervalSince1970) > template.timestamp)
            }
            pouw.ancestors = { header, count in chain.ancestors(of: header, count: count) }
            pouw.moduleLookup = { hash, parent in
                var market = WorkMarketState(state: chain.state(at: parent))
                return (try? market.module(hash)).flatMap { $0.isEmpty ? nil : $0 }
            }
        }
        self.logger = logger
        let metrics = NodeMetrics()
        self.metrics = metrics
        let importLogger = child("ankr.chain")
        chain.onImport = { header, took, result in
            metrics.blockImported(header, took: took, result: result)
            if case .newHead(let orphaned) = result, !orphaned.isEmpty {
                importLogger.notice("reorg", metadata: ["head": "\(header.number)", "orphanedTransactions": "\(orphaned.count)"])
            }
            importLogger.debug("imported block", metadata: ["number": "\(header.number)", "hash": "\(header.hash)",
                                                            "ms": "\(Int(took.seconds * 1000))"])
        }
        if let p2p = configuration.p2p {
            let net = PeerNetwork(configuration: p2p, chain: chain, mempool: mempool,
                                  nodeKey: try Self.nodeKey(in: configuration.dataDirectory), logger: child("ankr.p2p"))
            let pool = mempool, chain = self.chain
            net.onNewHead = { _, orphaned in
                try? pool.update(state: chain.state(at: chain.head), head: chain.head, orphaned: orphaned)
            }
            producer.onProduced = { [weak net] block in net?.announce(block) }
            try net.start()
            network = net
        } else {
            network = nil
        }
        let table = RPCMethodTable(limits: configuration.rpcLimits)
        table.observer = metrics
        EthNamespace(backend: self, limits: configuration.rpcLimits).register(in: table)
        AnkrNamespace(backend: self).register(in: table)
        WorkNamespace(backend: self, parameters: spec.workMarket).register(in: table)
        ChildChainNamespace(backend: self).register(in: table)
        NOSNamespace(backend: self).register(in: table)
        let routes = [
            HTTPRoute(path: "/metrics") { [weak self] in
                guard let self else { throw NodeError("node stopped") }
                return .init(contentType: "text/plain; version=0.0.4; charset=utf-8", body: self.metrics.render(node: self))
            },
            HTTPRoute(path: "/explorer") { .init(contentType: "text/html; charset=utf-8", body: Data(ExplorerPage.html.utf8)) },
            HTTPRoute(path: "/explorer/") { .init(contentType: "text/html; charset=utf-8", body: Data(ExplorerPage.html.utf8)) },
        ]
        server = try RPCServer(configuration: configuration.rpc, table: table, routes: routes, services: [AssetAPI(backend: self)])
        if let network { progress = SyncProgressReporter(network: network, logger: child("ankr.sync")) }
        (sealer as? PoUWSealer)?.duty = configuration.mineDuty
        if let pouw = sealer as? PoUWSealer, let enclave = pouw.enclave, let market = spec.workMarket {
            if let key = configuration.minerKey {
                pouw.workSource = MarketWorker(chain: chain, mempool: mempool, parameters: market, enclave: enclave, key: key,
                                               submit: { [weak self] tx in
                                                   guard let self else { throw NodeError("node stopped") }
                                                   return try self.submit(tx)
                                               }, logger: child("ankr.work"))
                logger.info("miner pulls WorkMarket subtasks", metadata: ["worker": "\(key.address.checksummed)"])
            } else {
                logger.notice("no --miner.key: this miner runs only its built-in workload (WorkMarket jobs need a worker account)")
            }
        }
        producer.start()
    }

    /// The bound RPC port.
    public var rpcPort: Int { server?.port ?? 0 }

    public func submit(_ transaction: Transaction) throws -> H256 {
        let head = chain.head
        let hash = try mempool.add(transaction, state: chain.state(at: head), head: head)
        network?.announce([transaction])
        producer.transactionAdded()
        return hash
    }

    /// The sealer genesis asks for; whether this node produces blocks (period < 0 means never).
    static func sealer(for configuration: Configuration, spec: ChainSpec) throws -> (Sealer, Bool) {
        guard let parameters = spec.pouw, case .pouw(let g) = configuration.genesis.parameters.consensus else { return (DevSealer(), true) }
        guard configuration.mine else { return (try PoUWSealer(parameters: parameters, enclave: nil), false) }
        let rootFile = configuration.dataDirectory.appendingPathComponent("attestation-root.key")
        guard let text = try? String(contentsOf: rootFile, encoding: .utf8) else {
            throw NodeError("mining in simulated mode needs the development attestation root key in \(rootFile.path)")
        }
        let root = DevelopmentAttestationRoot(key: try PrivateKey(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)))
        guard g.attestationRoots.contains(root.publicKey) else {
            throw NodeError("the key in \(rootFile.path) is not an attestation root of this chain's genesis")
        }
        let nodeKey = try Self.nodeKey(in: configuration.dataDirectory)
        let platform = try SimulatedPlatform(id: Keccak256.h256(nodeKey.publicKey.compressed), key: PrivateKey.random(), root: root)
        let enclave = SimulatedEnclave(name: DevGenesis.minerEnclaveName, platform: platform)
        return (try PoUWSealer(parameters: parameters, enclave: enclave), true)
    }

    /// The node key in `<datadir>/nodekey`, created on first start (hex, readable by the owner only).
    static func nodeKey(in dir: URL) throws -> PrivateKey {
        let file = dir.appendingPathComponent("nodekey")
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            return try PrivateKey(hex: text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let key = PrivateKey.random()
        try SecretFile.write(Array(key.bytes.hex.utf8), to: file.path)
        return key
    }

    public func shutdown() {
        progress?.stop()
        network?.stop()
        producer.stop()
        server?.shutdown()
        server = nil
    }
}
