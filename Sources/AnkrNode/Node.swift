import AnkrChain
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

        public init(dataDirectory: URL, genesis: Genesis) {
            self.dataDirectory = dataDirectory
            self.genesis = genesis
        }
    }

    public let chain: Blockchain
    public let mempool: Mempool
    public let producer: BlockProducer
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
        let table = RPCMethodTable()
        EthNamespace(backend: self).register(in: table)
        server = try RPCServer(configuration: configuration.rpc, table: table)
        producer.start()
    }

    /// The bound RPC port.
    public var rpcPort: Int { server?.port ?? 0 }

    public func submit(_ transaction: Transaction) throws -> H256 {
        let head = chain.head
        let hash = try mempool.add(transaction, state: chain.state(at: head), head: head)
        producer.transactionAdded()
        return hash
    }

    public func shutdown() {
        producer.stop()
        server?.shutdown()
        server = nil
    }
}
