import Foundation
import NIOCore
import NIOPosix
import NIOWebSocket

/// One upgraded connection's JSON-RPC: each text (or binary) message is a call or a batch, answered
/// in order, one at a time, on the server's thread pool. While a call runs, the handler asks the
/// socket for nothing more, so a client pipelining calls meets TCP backpressure instead of growing a
/// queue here. Frames reach it checked for masking (``WebSocketMaskCheck``) and with fragments joined. Pings are answered; a silent connection is pinged, and closed when it also ignores
/// the ping; a close is echoed.
final class WebSocketHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let table: RPCMethodTable
    let pool: NIOThreadPool
    let session: WebSocketSession
    /// The largest message accepted (the frame decoder and aggregator in front enforce it).
    let maxMessageBytes: Int
    /// Messages read but not yet answered (frames decoded from one socket read while a call runs).
    private var inbound: [ByteBuffer] = []
    /// At most this many messages wait: a socket read yields a bounded number of frames, but tiny
    /// frames could still make thousands.
    static let maxWaitingMessages = 256
    private var busy = false
    /// The pipeline asked for a read while a call ran; it is passed on when the call is done.
    private var readDeferred = false
    /// A ping went out after a silent idle period; another idle period without a frame closes.
    private var awaitingPong = false
    /// A pong is written but not yet flushed to the kernel: further pings are not answered until it is (RFC 6455
    /// lets a server answer only the latest), so a client flooding pings without reading grows nothing here.
    private var pongInFlight = false
    /// How long a reply may take to reach the kernel: a client that never reads its answers is cut off
    /// rather than holding the reply (and its connection) forever.
    static let replyWriteTimeout = TimeAmount.seconds(60)
    private var closing = false

    init(table: RPCMethodTable, pool: NIOThreadPool, session: WebSocketSession, maxMessageBytes: Int) {
        self.maxMessageBytes = maxMessageBytes
        self.table = table
        self.pool = pool
        self.session = session
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        awaitingPong = false
        guard !closing else { return }
        switch frame.opcode {
        case .text, .binary:
            guard inbound.count < Self.maxWaitingMessages else {
                close(context: context, code: .policyViolation, reason: "more than \(Self.maxWaitingMessages) calls waiting")
                return
            }
            inbound.append(frame.unmaskedData)
            if !busy { answerNext(context: context) }
        case .ping:
            guard !pongInFlight else { return }
            pongInFlight = true
            var payload = frame.unmaskedData
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: payload.readSlice(length: min(payload.readableBytes, 125)) ?? payload)
            context.writeAndFlush(wrapOutboundOut(pong)).whenComplete { [self] _ in pongInFlight = false }
        case .connectionClose:
            // Echo the peer's status code (or none) and end the connection.
            var payload = frame.unmaskedData
            var echo = context.channel.allocator.buffer(capacity: 2)
            if let code = payload.readWebSocketErrorCode() { echo.write(webSocketErrorCode: code) }
            closing = true
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: echo))).whenComplete { _ in
                bound.value.close(promise: nil)
            }
        case .pong:
            break
        default:
            // A stray continuation (the aggregator in front joins fragments) or a reserved opcode.
            close(context: context, code: .protocolError, reason: "unexpected opcode \(frame.opcode)")
        }
    }

    /// Answers the oldest waiting message, then the next once the reply has reached the kernel.
    private func answerNext(context: ChannelHandlerContext) {
        guard !inbound.isEmpty, !closing else {
            busy = false
            if readDeferred, context.channel.isWritable {
                readDeferred = false
                context.read()
            }
            return
        }
        busy = true
        let message = inbound.removeFirst()
        let body = Data(message.readableBytesView)
        let table = self.table
        let session = self.session
        session.beginCall()
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        pool.runIfActive(eventLoop: context.eventLoop) { table.handle(body: body, session: session) }
            .whenComplete { [self] result in
                let context = bound.value
                var reply: ByteBuffer?
                switch result {
                case .success(let data?):
                    reply = context.channel.allocator.buffer(bytes: data)
                case .success(nil):
                    reply = nil
                case .failure:
                    // The pool is shutting down with the server.
                    close(context: context, code: .goingAway, reason: "server shutting down")
                    reply = nil
                }
                let deadline = context.eventLoop.scheduleTask(in: Self.replyWriteTimeout) { bound.value.close(promise: nil) }
                session.finishCall(reply: reply).whenComplete { [self] _ in
                    deadline.cancel()
                    answerNext(context: bound.value)
                }
            }
    }

    /// Reads only while idle and while what was written is draining: a client that sends without reading what it
    /// is sent (pongs, replies, notifications) meets TCP backpressure once the channel's write buffer is over
    /// its high-water mark.
    func read(context: ChannelHandlerContext) {
        if busy || !context.channel.isWritable {
            readDeferred = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, readDeferred, !busy {
            readDeferred = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            // A call in progress reads nothing on purpose; silence then says nothing about the client.
            guard !busy else { return }
            if awaitingPong {
                close(context: context, code: .goingAway, reason: "no answer to ping")
            } else {
                awaitingPong = true
                let ping = WebSocketFrame(fin: true, opcode: .ping, data: context.channel.allocator.buffer(string: "ankr"))
                context.writeAndFlush(wrapOutboundOut(ping), promise: nil)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case NIOWebSocketError.invalidFrameLength, NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge:
            close(context: context, code: .messageTooLarge, reason: "message exceeds \(maxMessageBytes) bytes")
        case WebSocketMaskCheck.Violation.unmaskedClientFrame:
            close(context: context, code: .protocolError, reason: "client frames must be masked")
        case let e as NIOWebSocketError:
            close(context: context, code: .protocolError, reason: "\(e)")
        case let e as NIOWebSocketFrameAggregator.Error:
            close(context: context, code: .protocolError, reason: "\(e)")
        default:
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbound = []
        session.connectionEnded()
        context.fireChannelInactive()
    }

    private func close(context: ChannelHandlerContext, code: WebSocketErrorCode, reason: String) {
        guard !closing else { return }
        closing = true
        inbound = []
        session.closeConnection(code: code, reason: reason)
    }
}
