import NIOCore

/// Turns frames into ``Message``s for the network and reports connection lifecycle.
final class PeerHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    let network: PeerNetwork
    let session: PeerSession

    init(network: PeerNetwork, session: PeerSession) {
        self.network = network
        self.session = session
    }

    func channelActive(context: ChannelHandlerContext) {
        network.connected(session)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        guard session.admitMessage() else {
            network.misbehaved(session, "message rate above \(Int(session.rate))/s")
            return
        }
        let bytes = frame.readBytes(length: frame.readableBytes) ?? []
        let message: Message
        do {
            message = try Message(encoded: bytes)
        } catch {
            network.misbehaved(session, "\(error)")
            return
        }
        network.received(message, from: session)
    }

    func channelInactive(context: ChannelHandlerContext) {
        network.disconnected(session)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if error is FrameDecoder.FrameTooLarge {
            network.misbehaved(session, "\(error)")
        } else {
            context.close(promise: nil)
        }
    }
}
