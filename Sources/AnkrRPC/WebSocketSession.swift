import AnkrPrimitives
import NIOCore
import NIOWebSocket
import Synchronization

/// The ``RPCSession`` of one WebSocket connection: its outbound queue with a bound in bytes and in
/// messages, and the rule that a notification queued while one of the connection's calls is being
/// answered is written after that call's reply.
///
/// The queue counts every message handed to the channel and not yet taken by the kernel, plus the
/// notifications held back behind a call. A notification that would pass either bound drops the
/// session: its connection is closed with code 1008 and a reason saying so, and ``onClose(_:)``
/// handlers run, so a subscriber that cannot keep up never grows the node's memory.
final class WebSocketSession: RPCSession {
    private static let nextID = Atomic<UInt64>(1)

    let sessionID: UInt64
    let channel: any Channel
    /// Most bytes queued for the client at once.
    let maxQueuedBytes: Int
    /// Most messages queued for the client at once.
    let maxQueuedMessages: Int

    private struct State {
        var closed = false
        var queuedBytes = 0
        var queuedMessages = 0
        /// A call of this connection is being answered: notifications wait in `held`.
        var callActive = false
        var held: [ByteBuffer] = []
        var closeHandlers: [@Sendable () -> Void] = []
    }

    private let state = Mutex(State())

    init(channel: any Channel, maxQueuedBytes: Int, maxQueuedMessages: Int) {
        sessionID = Self.nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        self.channel = channel
        self.maxQueuedBytes = maxQueuedBytes
        self.maxQueuedMessages = maxQueuedMessages
    }

    @discardableResult func notify(_ message: JSON) -> Bool {
        let bytes = message.serialized()
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return enqueue(buffer)
    }

    func onClose(_ handler: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            guard !state.closed else { return true }
            state.closeHandlers.append(handler)
            return false
        }
        if runNow { handler() }
    }

    /// Counts a notification against the bounds and writes it, or holds it behind the call being
    /// answered; past a bound, drops the session.
    private func enqueue(_ buffer: ByteBuffer) -> Bool {
        let size = buffer.readableBytes
        enum Outcome { case refused, queued, tooSlow(bytes: Int, messages: Int) }
        let outcome = state.withLock { state -> Outcome in
            guard !state.closed else { return .refused }
            if state.queuedBytes + size > maxQueuedBytes || state.queuedMessages + 1 > maxQueuedMessages {
                state.closed = true
                return .tooSlow(bytes: state.queuedBytes, messages: state.queuedMessages)
            }
            state.queuedBytes += size
            state.queuedMessages += 1
            if state.callActive {
                state.held.append(buffer)
            } else {
                // Under the lock so messages reach the event loop in the order they were queued.
                channel.eventLoop.execute { self.write(buffer) }
            }
            return .queued
        }
        switch outcome {
        case .refused: return false
        case .queued: return true
        case .tooSlow(let bytes, let messages):
            let reason = "subscriber too slow: \(bytes) bytes in \(messages) messages queued"
            channel.eventLoop.execute { self.closeConnection(code: .policyViolation, reason: reason) }
            return false
        }
    }

    /// A call of this connection begins (on the event loop): notifications queued from now wait for
    /// its reply.
    func beginCall() {
        state.withLock { $0.callActive = true }
    }

    /// The call has been answered (on the event loop): writes its reply (none for a notification
    /// call), then the notifications held behind it, in order. The future completes when the kernel
    /// has the reply. A reply is never refused for the bound (the connection reads no new call until
    /// it has gone out), but it counts, so notifications behind a large reply meet the bound sooner.
    func finishCall(reply: ByteBuffer?) -> EventLoopFuture<Void> {
        let held = state.withLock { state -> [ByteBuffer] in
            state.callActive = false
            if let reply {
                state.queuedBytes += reply.readableBytes
                state.queuedMessages += 1
            }
            defer { state.held = [] }
            return state.held
        }
        let done = reply.map(write) ?? channel.eventLoop.makeSucceededVoidFuture()
        for buffer in held { write(buffer) }
        return done
    }

    /// Writes one text frame on the event loop and releases its place in the queue once the kernel
    /// has it.
    @discardableResult
    private func write(_ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let size = buffer.readableBytes
        let frame = WebSocketFrame(fin: true, opcode: .text, data: buffer)
        let promise = channel.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenComplete { _ in
            self.state.withLock { state in
                state.queuedBytes -= size
                state.queuedMessages -= 1
            }
        }
        channel.writeAndFlush(frame, promise: promise)
        return promise.futureResult
    }

    /// Sends a close frame with `code` and `reason`, then closes the connection once it is out (or
    /// after two seconds, for a client that reads nothing at all).
    func closeConnection(code: WebSocketErrorCode, reason: String) {
        state.withLock { $0.closed = true }
        var data = channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.write(webSocketErrorCode: code)
        // A close frame's payload is at most 125 bytes.
        data.writeBytes(reason.utf8.prefix(123))
        let channel = self.channel
        let deadline = channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)).whenComplete { _ in
            deadline.cancel()
            channel.close(promise: nil)
        }
    }

    /// The connection has ended: the session refuses new messages and its close handlers run once.
    func connectionEnded() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            state.closed = true
            state.held = []
            defer { state.closeHandlers = [] }
            return state.closeHandlers
        }
        for handler in handlers { handler() }
    }
}
