import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// JSON-RPC over HTTP/1.1 with keep-alive, and over WebSocket on the same port (a connection's first
/// request may upgrade; origins as CORS, by ``WebSocketOriginPolicy``). Bodies above
/// ``Configuration/maxBodyBytes`` are refused with HTTP 413 before they are buffered, WebSocket
/// messages above it with close code 1009; handlers run on a thread pool so the event loops only
/// move bytes, with threads reserved beyond the table's heavy-call places.
public final class RPCServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port = 8545
        public var maxBodyBytes = 5 * 1024 * 1024
        /// Origins allowed by CORS (`*` for any); empty sends no CORS headers.
        public var corsOrigins: [String] = []
        /// How long a client has to send one whole request once it begins (slowloris clients are cut off).
        public var requestTimeout = TimeAmount.seconds(30)
        /// How long a connection may stay silent while nothing is being answered on it.
        public var idleTimeout = TimeAmount.seconds(60)
        /// Origins allowed to open a WebSocket; nil: the CORS list. Clients sending no origin are
        /// always allowed.
        public var webSocketOrigins: [String]?
        /// Most bytes queued for one WebSocket client (notifications and the reply being sent); a
        /// subscriber past it is closed with code 1008.
        public var webSocketQueueBytes = 16 * 1024 * 1024
        /// Most messages queued for one WebSocket client.
        public var webSocketQueueMessages = 10_000
        public init() {}
    }

    /// The listen address could not be bound.
    public struct BindError: Error, CustomStringConvertible {
        public let host: String
        public let port: Int
        public let reason: String
        public var description: String { "cannot listen on \(host):\(port): \(reason)" }
    }

    public let configuration: Configuration
    private let table: RPCMethodTable
    private let group: MultiThreadedEventLoopGroup
    private let pool: NIOThreadPool
    private let channel: any Channel

    /// How many calls the server runs at once (its thread pool): one thread for every heavy call the
    /// table admits, and the usual ones besides.
    public static func callThreads(heavyCalls: Int) -> Int { max(2, System.coreCount) + heavyCalls }

    /// The port actually bound (useful with port 0).
    public var port: Int { channel.localAddress?.port ?? configuration.port }

    /// Binds and starts serving JSON-RPC on POST, `routes` on GET and each of `services` under its path.
    public init(configuration: Configuration, table: RPCMethodTable, routes: [HTTPRoute] = [], services: [HTTPService] = []) throws {
        self.configuration = configuration
        self.table = table
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // A thread for every heavy call the table admits, and the usual ones besides: cheap calls never
        // wait behind slow ones.
        let pool = NIOThreadPool(numberOfThreads: Self.callThreads(heavyCalls: table.heavyCalls.capacity))
        pool.start()
        let config = configuration
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    let http = HTTPHandler(table: table, pool: pool, configuration: config, routes: routes, services: services)
                    try pipeline.addHandler(IdleStateHandler(readTimeout: config.idleTimeout))
                    let upgrader = Self.webSocketUpgrader(configuration: config, table: table, pool: pool)
                    try pipeline.configureHTTPServerPipeline(withServerUpgrade: ([upgrader], { context in
                        context.pipeline.syncOperations.removeHandler(http, promise: nil)
                    }), withErrorHandling: true)
                    try pipeline.addHandler(http)
                }
            }
        do {
            channel = try bootstrap.bind(host: configuration.host, port: configuration.port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            try? pool.syncShutdownGracefully()
            if let io = error as? IOError, io.errnoCode == EADDRINUSE {
                throw BindError(host: configuration.host, port: configuration.port, reason: "address already in use")
            }
            throw BindError(host: configuration.host, port: configuration.port, reason: "\(error)")
        }
        self.group = group
        self.pool = pool
    }

    /// Upgrades a connection's first request to a WebSocket when its origin is admitted; a refused
    /// upgrade reaches ``HTTPHandler``, which answers it with 403 or 400.
    private static func webSocketUpgrader(configuration: Configuration, table: RPCMethodTable, pool: NIOThreadPool) -> NIOWebSocketServerUpgrader {
        let policy = WebSocketOriginPolicy(allowed: configuration.webSocketOrigins ?? configuration.corsOrigins)
        let maxBytes = configuration.maxBodyBytes
        return NIOWebSocketServerUpgrader(maxFrameSize: maxBytes, automaticErrorHandling: false) { channel, head in
            let admitted = policy.admits(origin: head.headers.first(name: "origin"), host: head.headers.first(name: "host"))
            return channel.eventLoop.makeSucceededFuture(admitted ? HTTPHeaders() : nil)
        } upgradePipelineHandler: { channel, _ in
            channel.eventLoop.makeCompletedFuture {
                let session = WebSocketSession(channel: channel, maxQueuedBytes: configuration.webSocketQueueBytes,
                                               maxQueuedMessages: configuration.webSocketQueueMessages)
                let pipeline = channel.pipeline.syncOperations
                try pipeline.addHandler(WebSocketMaskCheck())
                // Fragments are joined under the same bound as one frame.
                try pipeline.addHandler(NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1024,
                                                                    maxAccumulatedFrameSize: maxBytes))
                try pipeline.addHandler(WebSocketHandler(table: table, pool: pool, session: session, maxMessageBytes: maxBytes))
            }
        }
    }

    /// Stops accepting, closes connections and the threads.
    public func shutdown() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
        try? pool.syncShutdownGracefully()
    }
}
