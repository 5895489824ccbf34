import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// JSON-RPC over HTTP/1.1 with keep-alive. Bodies above ``Configuration/maxBodyBytes`` are refused
/// with HTTP 413 before they are buffered; handlers run on a thread pool so the event loops only
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

    /// The port actually bound (useful with port 0).
    public var port: Int { channel.localAddress?.port ?? configuration.port }

    /// Binds and starts serving JSON-RPC on POST, `routes` on GET and each of `services` under its path.
    public init(configuration: Configuration, table: RPCMethodTable, routes: [HTTPRoute] = [], services: [HTTPService] = []) throws {
        self.configuration = configuration
        self.table = table
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // A thread for every heavy call the table admits, and the usual ones besides: cheap calls never
        // wait behind slow ones.
        let pool = NIOThreadPool(numberOfThreads: max(2, System.coreCount) + table.heavyCalls.capacity)
        pool.start()
        let config = configuration
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(readTimeout: config.idleTimeout))
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    try pipeline.addHandler(HTTPHandler(table: table, pool: pool, configuration: config, routes: routes, services: services))
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

    /// Stops accepting, closes connections and the threads.
    public func shutdown() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
        try? pool.syncShutdownGracefully()
    }
}
