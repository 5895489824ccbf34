import AnkrChain
import AnkrCrypto
import AnkrP2P
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import Foundation

/// A running node: database, chain, mempool, block producer and JSON-RPC server.
public final class Node: RPCBackend, @unchecked Sendable {
    public struct Configuration: Sendable {
        public var dataDirectory: URL
        public var genesis: Genesis
        public var rpc = RPCServer.Configuration()
        /// Seconds between dev blocks; 0 seals whenever a transaction arrives.
        public var devPeriod: TimeInterval = 0
        public var coinbase = Address.zero
        /// Peer-to-peer settings; nil runs the node alone.
        public var p2p: PeerNetwork.Configuration?

        public init(dataDirectory: URL, genesis: Genesis) {
            self.dataDirectory = dataDirectory
            self.genesis = genesis
        }
    }

    public let chain: Blockchain
    public let mempool: Mempool
    public let producer: BlockProducer
    public let network: PeerNetwork?
    public let clientVersion = "Ankr/v0.1.0/linux/swift6"
    private var server: RPCServer?
    private let log: @Sendable (String) -> Void

    /// The database file inside a datadir.
    public static func databasePath(_ dir: URL) -> String { dir.appendingPathComponent("chaindata.sqlite").path }

    public init(configuration: Configuration, log: @escaping @Sendable (String) -> Void) throws {
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        let db = try ChainDatabase(path: Self.databasePath(configuration.dataDirectory))
        chain = try Blockchain(database: db, genesis: configuration.genesis, sealer: DevSealer())
        mempool = Mempool(chainID: configuration.genesis.chainID, systemContracts: chain.executor.systemContracts)
        producer = BlockProducer(chain: chain, mempool: mempool, coinbase: configuration.coinbase,
                                 period: configuration.devPeriod, log: log)
        self.log = log
        if let p2p = configuration.p2p {
            let net = PeerNetwork(configuration: p2p, chain: chain, mempool: mempool,
                                  nodeKey: try Self.nodeKey(in: configuration.dataDirectory), log: log)
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
        let table = RPCMethodTable()
        EthNamespace(backend: self).register(in: table)
        AnkrNamespace(backend: self).register(in: table)
        server = try RPCServer(configuration: configuration.rpc, table: table)
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

    /// The node key in `<datadir>/nodekey`, created on first start (hex, readable by the owner only).
    static func nodeKey(in dir: URL) throws -> PrivateKey {
        let file = dir.appendingPathComponent("nodekey")
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            return try PrivateKey(hex: text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let key = PrivateKey.random()
        try Data(key.bytes.hex.utf8).write(to: file)
        _ = chmod(file.path, 0o600)
        return key
    }

    public func shutdown() {
        network?.stop()
        producer.stop()
        server?.shutdown()
        server = nil
    }
}
