import NIOCore
import NIOHTTP1

/// Fails a ``WebSocketRPCClient``'s handshake when the server declines the upgrade (answers with
/// anything but 101, like a 403 for an origin it refuses) or the connection drops first.
final class WebSocketUpgradeWatcher: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPClientResponsePart

    let upgraded: EventLoopPromise<Void>

    init(upgraded: EventLoopPromise<Void>) { self.upgraded = upgraded }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Only a declined upgrade lets an HTTP response through to here.
        if case .head(let head) = unwrapInboundIn(data) {
            upgraded.fail(RPCClientError.transport("the server refused the WebSocket upgrade: HTTP \(head.status.code) \(head.status.reasonPhrase)"))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        upgraded.fail(RPCClientError.transport("WebSocket handshake failed: \(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        upgraded.fail(RPCClientError.transport("the connection closed during the WebSocket handshake"))
        context.fireChannelInactive()
    }
}
