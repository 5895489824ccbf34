import AnkrAppChain
import AnkrAssets
import AnkrChain
import AnkrConsensus
import AnkrCrypto
import AnkrEnclave
import AnkrEthAPI
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
public final class Node: RPCBackend, @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Where the database and the node's keys live.
        public var dataDirectory: DataDirectory
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
        /// with the development attestation root key from ``DataDirectory/attestationRootKeyFile``.
        public var mine = false
        /// The miner's worker account: signs WorkMarket results, posts their bonds, receives the
        /// payments. Without it a miner runs only its own workload.
        public var minerKey: PrivateKey?
        /// Share of the time the miner computes (see ``AnkrConsensus/Miner/duty``).
        public var mineDuty = 1.0
        /// The Unix socket of an `ankr-enclave` process to mine with; nil mines with a simulated
        /// enclave inside this process.
        public var enclaveSocket: String?
        /// The keys JSON-RPC callers may sign with (`eth_sendTransaction`, `eth_sign`, …): used only on a chain whose
        /// genesis sets `config.ankr.unlockDevAccounts`, ignored on any other. ``NodeConfiguration/nodeConfiguration(genesis:)``
        /// fills in ``DevGenesis/unlockedKeys(genesis:)``.
        public var devAccounts: [PrivateKey] = []
        /// An application chain's operator key (`config.ankr.consensus = "operator"`): the node seals blocks only with it.
        public var operatorKey: PrivateKey?
        /// Where an application chain's operator commits its blocks: the main chain's JSON-RPC and the chain's id there.
        public var appChain: AppChainLink?

        /// An application chain's place on its main chain.
        public struct AppChainLink: Sendable {
            public var parent: URL
            public var id: UInt64
            /// Main-chain blocks a deposit must be under before the operator applies it.
            public var depositConfirmations: UInt64
            public init(parent: URL, id: UInt64, depositConfirmations: UInt64 = 3) {
                self.parent = parent; self.id = id; self.depositConfirmations = depositConfirmations
            }
        }

        public init(dataDirectory: DataDirectory, genesis: Genesis) {
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
    /// Commits an application chain's blocks to its main chain (the operator's node only).
    public private(set) var committer: AppChainCommitter?

    /// Starts the node. Components log under `ankr.<part>` labels at `logger`'s level.
    public init(configuration: Configuration, logger: Logger = Logger(label: "ankr.node")) throws {
        func child(_ label: String) -> Logger {
            var l = Logger(label: label)
            l.logLevel = logger.logLevel
            return l
        }
        try FileManager.default.createDirectory(at: configuration.dataDirectory.url, withIntermediateDirectories: true)
        spec = try ChainSpec(genesis: configuration.genesis)
        let db = try ChainDatabase(path: configuration.dataDirectory.databaseFile.path,
                                   durable: spec.appChainOperator != nil && configuration.operatorKey != nil)
        var pool = Mempool.Configuration()
        pool.reservedSender = spec.appChainOperator
        mempool = Mempool(chainID: configuration.genesis.chainID, configuration: pool, systemContracts: spec.systemContracts)
        let miner = try Self.miner(for: configuration, spec: spec, mempool: mempool, logger: logger, workLogger: child("ankr.work"))
        let sealer: any Sealer
        if let op = spec.appChainOperator {
            sealer = OperatorSealer(operator: op, key: configuration.operatorKey)
        } else {
            sealer = try AnkrConsensus.sealer(pouw: spec.pouw, miner: miner)
        }
        chain = try Blockchain(database: db, genesis: configuration.genesis, sealer: sealer, systemContracts: spec.systemContracts)
        mempool.follow(chain)
        // A PoUW validator without --mine never produces; a wall-clock sealer waits at least 50 ms between rounds.
        let produces = spec.appChainOperator != nil ? (sealer as? OperatorSealer)?.produces == true : (spec.pouw == nil || miner != nil)
        producer = BlockProducer(chain: chain, mempool: mempool, coinbase: configuration.coinbase,
                                 period: !produces ? -1 : (sealer.stampsWallClock ? max(configuration.devPeriod, 0.05) : configuration.devPeriod),
                                 producesEmptyBlocks: spec.appChainOperator == nil || configuration.devPeriod > 0, logger: child("ankr.miner"))
        // An application chain's blocks must fit its profile's commitment; until the main chain names the profile, the smallest.
        if let op = spec.appChainOperator {
            producer.maxTransactionBytes = AppChainProfile.smallestTransactionBytes
            producer.blockCheck = Self.witnessBoundCheck(chain: chain, operator: op, maxWitnessBytes: AppChainProfile.smallestWitnessBytes)
            producer.firstSender = op
        }
        self.logger = logger
        let metrics = NodeMetrics()
        self.metrics = metrics
        let importLogger = child("ankr.chain")
        chain.imports.subscribe { event in
            let header = event.block.header
            metrics.blockImported(header, took: event.took, result: event.result)
            if !event.orphaned.isEmpty {
                importLogger.notice("reorg", metadata: ["head": "\(header.number)", "orphanedTransactions": "\(event.orphaned.count)"])
            }
            importLogger.debug("imported block", metadata: ["number": "\(header.number)", "hash": "\(header.hash)",
                                                            "ms": "\(Int(event.took.seconds * 1000))"])
        }
        if let p2p = configuration.p2p {
            let net = PeerNetwork(configuration: p2p, chain: chain, mempool: mempool,
                                  nodeKey: try configuration.dataDirectory.nodeKey(), logger: child("ankr.p2p"))
            try net.start()
            network = net
        } else {
            network = nil
        }
        let table = RPCMethodTable(limits: configuration.rpcLimits)
        table.observer = metrics
        // A zero coinbase is none set: eth_coinbase then answers geth's "etherbase must be explicitly specified".
        EthNamespace(backend: self, limits: configuration.rpcLimits, coinbase: configuration.coinbase == .zero ? nil : configuration.coinbase)
            .register(in: table)
        TxPoolNamespace(backend: self).register(in: table)
        let chainEvents = ChainEventFollower(chain: chain)
        FilterNamespace(backend: self, events: chainEvents, limits: configuration.rpcLimits).register(in: table)
        SubscriptionNamespace(backend: self, events: chainEvents, limits: configuration.rpcLimits).register(in: table)
        let unlocked = configuration.genesis.parameters.unlockDevAccounts ? configuration.devAccounts : []
        DevAccountNamespace(backend: self, accounts: unlocked, limits: configuration.rpcLimits).register(in: table)
        if !unlocked.isEmpty { logger.notice("development accounts unlocked", metadata: ["accounts": "\(unlocked.map(\.address.checksummed).joined(separator: ","))"]) }
        DebugNamespace(backend: self, limits: configuration.rpcLimits).register(in: table)
        AnkrNamespace(backend: self, network: network).register(in: table)
        if spec.appChainOperator == nil {
            // The main chain's features; an application chain has none of their contracts.
            WorkNamespace(backend: self, parameters: spec.workMarket).register(in: table)
            ChildChainNamespace(backend: self).register(in: table)
            NOSNamespace(backend: self).register(in: table)
        }
        let routes = [
            HTTPRoute(path: "/metrics") { [weak self] in
                guard let self else { throw NodeError.stopped }
                return .init(contentType: "text/plain; version=0.0.4; charset=utf-8", body: self.metrics.render(node: self))
            },
            HTTPRoute(path: "/explorer") { .init(contentType: "text/html; charset=utf-8", body: Data(ExplorerPage.html.utf8)) },
            HTTPRoute(path: "/explorer/") { .init(contentType: "text/html; charset=utf-8", body: Data(ExplorerPage.html.utf8)) },
        ]
        do {
            server = try RPCServer(configuration: configuration.rpc, table: table, routes: routes, services: [AssetAPI(backend: self)])
        } catch {
            // The RPC port is taken (say): the peer-to-peer service already listening must not outlive the failed start.
            network?.stop()
            throw error
        }
        if let network { progress = SyncProgressReporter(network: network, logger: child("ankr.sync")) }
        if let link = configuration.appChain {
            guard let op = spec.appChainOperator, let key = configuration.operatorKey, key.address == op else {
                server?.shutdown(); network?.stop()
                throw NodeError.notTheOperator
            }
            let committer = AppChainCommitter(chain: chain, root: AppChainRegistry.rootAddress(link.id),
                                              transactor: Transactor(rpc: RPCClient(url: link.parent), signer: key), logger: child("ankr.appchain"))
            let producer = producer
            let chain = chain
            committer.onProfile = {
                producer.maxTransactionBytes = $0.maxTransactionBytes
                producer.blockCheck = Self.witnessBoundCheck(chain: chain, operator: op, maxWitnessBytes: $0.maxWitnessBytes)
            }
            committer.depositConfirmations = link.depositConfirmations
            committer.onDepositsDue = { due in producer.requiredSender = due ? op : nil }
            // No block before the node holds every block the main chain committed (a node restored from a backup, or one
            // whose last blocks a crash lost, would otherwise seal those heights again).
            producer.holding = true
            committer.onInSync = { producer.holding = false }
            committer.submit = { [weak self] tx in
                guard let self else { throw NodeError.stopped }
                return try self.submit(tx)
            }
            committer.nextNonce = { [weak self] address in
                guard let self else { throw NodeError.stopped }
                return try self.mempool.pendingNonce(address, state: self.chain.state(at: self.chain.head))
            }
            self.committer = committer
            committer.start()
        }
        producer.start()
    }

    /// The bound RPC port.
    public var rpcPort: Int { server?.port ?? 0 }

    /// Admits a transaction to the pool (the one door: the pool's followers gossip it and wake the producer).
    public func submit(_ transaction: Transaction) throws -> H256 {
        let head = chain.head
        return try mempool.add(transaction, state: chain.state(at: head), head: head)
    }

    /// What this node mines with on a PoUW chain with `mine` set: a simulated enclave certified by the
    /// development attestation root in the datadir, and the WorkMarket when a worker key is given.
    /// An application chain's producer check: a block's dispute witness within `maxWitnessBytes` (``StatelessBlockCheck``).
    static func witnessBoundCheck(chain: Blockchain, operator op: Address, maxWitnessBytes: Int) -> @Sendable (Block, BlockHeader) -> Bool {
        let check = StatelessBlockCheck(chainID: chain.chainID, operator: op, maxWitnessBytes: maxWitnessBytes)
        return { block, parent in check.fitsWitnessBound(block, parent: parent, chain: chain) }
    }

    static func miner(for configuration: Configuration, spec: ChainSpec, mempool: Mempool, logger: Logger,
                      workLogger: Logger) throws -> AnkrConsensus.Miner? {
        guard spec.pouw != nil, case .pouw(let g) = configuration.genesis.parameters.consensus, configuration.mine else { return nil }
        let enclave: Enclave
        if let socket = configuration.enclaveSocket {
            enclave = try RemoteEnclave(socketPath: socket)
            logger.info("miner uses the enclave process", metadata: ["socket": "\(socket)", "enclave": "\(enclave.publicKey.address.checksummed)"])
        } else {
            let root = DevelopmentAttestationRoot(key: try configuration.dataDirectory.attestationRootKey())
            guard g.attestationRoots.contains(root.publicKey) else {
                throw NodeError.foreignAttestationRoot(path: configuration.dataDirectory.attestationRootKeyFile.path)
            }
            let nodeKey = try configuration.dataDirectory.nodeKey()
            let platform = try SimulatedPlatform(id: Keccak256.h256(nodeKey.publicKey.compressed), key: PrivateKey.random(), root: root)
            enclave = SimulatedEnclave(name: DevGenesis.minerEnclaveName, platform: platform)
        }
        var work: WorkSource?
        if let market = spec.workMarket {
            if let key = configuration.minerKey {
                work = MarketWorker(mempool: mempool, parameters: market, enclave: enclave, key: key, logger: workLogger)
                logger.info("miner pulls WorkMarket subtasks", metadata: ["worker": "\(key.address.checksummed)"])
            } else {
                logger.notice("no --miner.key: this miner runs only its built-in workload (WorkMarket jobs need a worker account)")
            }
        }
        return AnkrConsensus.Miner(enclave: enclave, workSource: work, duty: configuration.mineDuty)
    }

    public func shutdown() {
        progress?.stop()
        committer?.stop()
        network?.stop()
        producer.stop()
        server?.shutdown()
        server = nil
    }
}
