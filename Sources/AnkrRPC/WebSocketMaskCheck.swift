import NIOCore
import NIOWebSocket

/// RFC 6455 §5.1: a client masks every frame, and a server closes the connection on one that is
/// not. Sits before the fragment aggregator, which unmasks what it joins.
final class WebSocketMaskCheck: ChannelInboundHandler, Sendable {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    /// A frame from the client arrived unmasked.
    enum Violation: Error { case unmaskedClientFrame }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard unwrapInboundIn(data).maskKey != nil else {
            context.fireErrorCaught(Violation.unmaskedClientFrame)
            return
        }
        context.fireChannelRead(data)
    }
}
