import AnkrPrimitives
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

/// A JSON-RPC client over one WebSocket (`ws://host:port/path`): calls, and subscriptions whose
/// notifications arrive as an `AsyncThrowingStream`. Reconnecting is the caller's choice: when the
/// connection ends, pending calls fail and every subscription stream finishes with
/// ``RPCClientError/transport(_:)`` saying why (the server's close code and reason when it sent one).
///
/// Hostile servers are bounded: a message above `maxMessageBytes` closes the connection, and a
/// subscription whose consumer falls `maxBufferedNotifications` behind finishes with an error
/// instead of buffering without end.
public final class WebSocketRPCClient: Sendable {
    /// The server's address.
    public let url: URL
    /// How long a call waits for its reply.
    public let timeout: TimeAmount
    private let channel: any Channel
    private let handler: WebSocketClientHandler

    private init(url: URL, timeout: TimeAmount, channel: any Channel, handler: WebSocketClientHandler) {
        self.url = url
        self.timeout = timeout
        self.channel = channel
        self.handler = handler
    }

    /// Opens the connection and completes the WebSocket handshake within `timeout` (sending `origin`
    /// as the `Origin` header when given).
    public static func connect(to url: URL, timeout: TimeAmount = .seconds(30), origin: String? = nil, maxMessageBytes: Int = 16 << 20,
                               maxBufferedNotifications: Int = 10_000) async throws(RPCClientError) -> WebSocketRPCClient {
        guard url.scheme?.lowercased() == "ws", let host = url.host, !host.isEmpty else {
            throw RPCClientError.transport("\(url) is not a ws:// address")
        }
        let port = url.port ?? 80
        let path = url.path.isEmpty ? "/" : url.path + (url.query.map { "?" + $0 } ?? "")
        let handler = WebSocketClientHandler(maxBufferedNotifications: maxBufferedNotifications)
        let upgraded = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Void.self)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: maxMessageBytes, automaticErrorHandling: false) { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1024,
                                                                            maxAccumulatedFrameSize: maxMessageBytes))
                        try pipeline.addHandler(handler)
                        upgraded.succeed()
                    }
                }
                let watcher = WebSocketUpgradeWatcher(upgraded: upgraded)
                return channel.eventLoop.makeCompletedFuture {
                    // The watcher reads HTTP responses only: it leaves before the first WebSocket frame.
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(withClientUpgrade: ([upgrader], { context in
                        context.pipeline.syncOperations.removeHandler(watcher, promise: nil)
                    }))
                    try channel.pipeline.syncOperations.addHandler(watcher)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            upgraded.fail(error)
            throw RPCClientError.transport("cannot connect to \(host):\(port): \(error)")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(host):\(port)")
        headers.add(name: "Content-Length", value: "0")
        if let origin { headers.add(name: "Origin", value: origin) }
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            upgraded.fail(RPCClientError.transport("no WebSocket handshake within \(timeout)"))
        }
        do {
            try await upgraded.futureResult.get()
            deadline.cancel()
        } catch {
            deadline.cancel()
            channel.close(promise: nil)
            throw (error as? RPCClientError) ?? RPCClientError.transport("WebSocket handshake with \(url) failed: \(error)")
        }
        return WebSocketRPCClient(url: url, timeout: timeout, channel: channel, handler: handler)
    }

    /// Sends one call and returns its `result` (errors as ``RPCClientError``: the node's as `.rpc`).
    public func call(_ method: String, _ params: [JSON] = []) async throws(RPCClientError) -> JSON {
        try await send(method, params, subscription: nil)
    }

    /// Subscribes with `eth_subscribe` (`kind` such as `newHeads` or `logs`, then `params`) and
    /// returns the subscription id and a stream of each notification's `result`. Ending the stream
    /// early (cancelling the consuming task) unsubscribes.
    public func subscribe(_ kind: String, _ params: [JSON] = []) async throws(RPCClientError)
        -> (id: String, notifications: AsyncThrowingStream<JSON, any Error>)
    {
        let (stream, continuation) = AsyncThrowingStream<JSON, any Error>.makeStream(
            bufferingPolicy: .bufferingOldest(handler.maxBufferedNotifications))
        let result = try await send("eth_subscribe", [.string(kind)] + params, subscription: continuation)
        guard let id = result.string else {
            continuation.finish(throwing: RPCClientError.unexpected(path: "eth_subscribe", expected: "a subscription id", found: "\(result)"))
            throw RPCClientError.unexpected(path: "eth_subscribe", expected: "a subscription id", found: "\(result)")
        }
        continuation.onTermination = { [weak self] termination in
            guard let self, case .cancelled = termination else { return }
            self.handler.forget(subscription: id)
            Task { _ = try? await self.call("eth_unsubscribe", [.string(id)]) }
        }
        return (id, stream)
    }

    /// Closes the connection (code 1000); pending calls and subscriptions end.
    public func close() {
        let channel = self.channel
        var data = channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: .normalClosure)
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: data)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    private func send(_ method: String, _ params: [JSON], subscription: AsyncThrowingStream<JSON, any Error>.Continuation?)
        async throws(RPCClientError) -> JSON
    {
        let channel = self.channel
        let handler = self.handler
        let timeout = self.timeout
        do {
            return try await withCheckedThrowingContinuation { (reply: CheckedContinuation<JSON, any Error>) in
                guard let id = handler.register(reply: reply, subscription: subscription) else { return }
                let request: JSON = ["jsonrpc": "2.0", "id": .int(Int64(id)), "method": .string(method), "params": .array(params)]
                let bytes = request.serialized()
                var buffer = channel.allocator.buffer(capacity: bytes.count)
                buffer.writeBytes(bytes)
                channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: buffer)).whenFailure { error in
                    handler.fail(id: id, RPCClientError.transport("cannot send \(method): \(error)"))
                }
                channel.eventLoop.scheduleTask(in: timeout) {
                    handler.fail(id: id, RPCClientError.transport("no reply to \(method) within \(timeout)"))
                }
            }
        } catch let error as RPCClientError {
            throw error
        } catch {
            throw RPCClientError.transport("\(error)")
        }
    }
}
