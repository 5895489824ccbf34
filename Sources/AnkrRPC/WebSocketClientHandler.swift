import AnkrPrimitives
import Foundation
import NIOCore
import NIOWebSocket
import Synchronization

/// The client end of a ``WebSocketRPCClient`` connection: matches replies to waiting calls by id and
/// hands `eth_subscription` notifications to their streams. A subscription is attached when its
/// `eth_subscribe` reply is read, before the next frame, so no notification following the reply is
/// missed.
final class WebSocketClientHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    typealias Reply = CheckedContinuation<JSON, any Error>
    typealias Subscription = AsyncThrowingStream<JSON, any Error>.Continuation

    /// How far a subscription's consumer may fall behind before its stream ends with an error.
    let maxBufferedNotifications: Int

    private struct Waiting {
        var reply: Reply
        var subscription: Subscription?
    }

    private struct State {
        var nextID: UInt64 = 1
        var waiting: [UInt64: Waiting] = [:]
        var subscriptions: [String: Subscription] = [:]
        /// Set once the connection has ended: why.
        var ended: RPCClientError?
        /// The server's close frame, kept for the reason given to waiting callers.
        var closeReason: String?
    }

    private let state = Mutex(State())

    init(maxBufferedNotifications: Int) {
        self.maxBufferedNotifications = max(1, maxBufferedNotifications)
    }

    /// Takes a call's place: its id, or nil (and `reply` failed) when the connection has ended.
    func register(reply: Reply, subscription: Subscription?) -> UInt64? {
        let outcome = state.withLock { state -> Result<UInt64, RPCClientError> in
            if let ended = state.ended { return .failure(ended) }
            let id = state.nextID
            state.nextID += 1
            state.waiting[id] = Waiting(reply: reply, subscription: subscription)
            return .success(id)
        }
        switch outcome {
        case .success(let id): return id
        case .failure(let error):
            reply.resume(throwing: error)
            subscription?.finish(throwing: error)
            return nil
        }
    }

    /// Fails the call `id` if it still waits (a timeout or a failed send).
    func fail(id: UInt64, _ error: RPCClientError) {
        guard let waiting = state.withLock({ $0.waiting.removeValue(forKey: id) }) else { return }
        waiting.reply.resume(throwing: error)
        waiting.subscription?.finish(throwing: error)
    }

    /// Stops delivering a subscription whose consumer has gone.
    func forget(subscription id: String) {
        _ = state.withLock { $0.subscriptions.removeValue(forKey: id) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            guard let message = try? JSON(parsing: Data(frame.unmaskedData.readableBytesView)) else {
                end(context: context, RPCClientError.malformedReply("a WebSocket message is not JSON"))
                return
            }
            deliver(message)
        case .ping:
            var payload = frame.unmaskedData
            let data = payload.readSlice(length: min(payload.readableBytes, 125)) ?? payload
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: data)), promise: nil)
        case .connectionClose:
            var payload = frame.unmaskedData
            let code = payload.readWebSocketErrorCode()
            let reason = payload.readString(length: payload.readableBytes) ?? ""
            let why = "the server closed the connection" + (code.map { " (code \(UInt16(webSocketErrorCode: $0)))" } ?? "")
                + (reason.isEmpty ? "" : ": \(reason)")
            state.withLock { $0.closeReason = why }
            var echo = context.channel.allocator.buffer(capacity: 2)
            if let code { echo.write(webSocketErrorCode: code) }
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: echo)))
                .whenComplete { _ in bound.value.close(promise: nil) }
        case .pong:
            break
        default:
            end(context: context, RPCClientError.malformedReply("unexpected WebSocket opcode \(frame.opcode)"))
        }
    }

    /// A reply (matched by id) or a subscription notification; anything else is ignored, as a
    /// server's notifications of kinds this client never asked for may be.
    private func deliver(_ message: JSON) {
        if message["method"]?.string == "eth_subscription" {
            guard let params = message["params"], let id = params["subscription"]?.string, let result = params["result"] else { return }
            guard let subscription = state.withLock({ $0.subscriptions[id] }) else { return }
            if case .dropped = subscription.yield(result) {
                forget(subscription: id)
                subscription.finish(throwing: RPCClientError.transport(
                    "subscription \(id) fell more than \(maxBufferedNotifications) notifications behind"))
            }
            return
        }
        guard let number = message["id"]?.int, let id = UInt64(exactly: number) else { return }
        let outcome = state.withLock { state -> Waiting? in
            guard let waiting = state.waiting.removeValue(forKey: id) else { return nil }
            // Attach the stream now, before the next frame is read.
            if let subscription = waiting.subscription, message["error"] == nil || message["error"] == .null,
               let subscriptionID = message["result"]?.string {
                state.subscriptions[subscriptionID] = subscription
            }
            return waiting
        }
        guard let waiting = outcome else { return }
        if let error = message["error"], error != .null {
            let rpc = RPCError(code: error["code"]?.int.map { Int(clamping: $0) } ?? 0, message: error["message"]?.string ?? "unknown error",
                               data: error["data"]?.string)
            waiting.subscription?.finish(throwing: RPCClientError.rpc(rpc))
            waiting.reply.resume(throwing: RPCClientError.rpc(rpc))
        } else if let result = message["result"] {
            waiting.reply.resume(returning: result)
        } else {
            waiting.subscription?.finish(throwing: RPCClientError.malformedReply("a reply without result or error"))
            waiting.reply.resume(throwing: RPCClientError.malformedReply("a reply without result or error"))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case NIOWebSocketError.invalidFrameLength, NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge:
            end(context: context, RPCClientError.malformedReply("a WebSocket message exceeds the client's limit"))
        default:
            end(context: context, RPCClientError.transport("\(error)"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let (waiting, subscriptions, error) = state.withLock { state in
            let error = state.ended ?? RPCClientError.transport(state.closeReason ?? "the connection closed")
            state.ended = error
            defer {
                state.waiting = [:]
                state.subscriptions = [:]
            }
            return (Array(state.waiting.values), Array(state.subscriptions.values), error)
        }
        for w in waiting {
            w.reply.resume(throwing: error)
            w.subscription?.finish(throwing: error)
        }
        for s in subscriptions { s.finish(throwing: error) }
        context.fireChannelInactive()
    }

    /// Ends the connection for `error`, which waiting calls and subscriptions are given.
    private func end(context: ChannelHandlerContext, _ error: RPCClientError) {
        state.withLock { state in
            if state.ended == nil { state.ended = error }
        }
        context.close(promise: nil)
    }
}
