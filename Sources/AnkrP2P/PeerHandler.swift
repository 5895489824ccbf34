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
        // A dropped peer's frames still in flight are ignored.
        guard session.phase != .closed else { return }
        guard session.admitMessage() else {
            network.misbehaved(session, "message rate above \(Int(session.rate))/s")
            return
        }
        let bytes = frame.readBytes(length: frame.readableBytes) ?? []
        let payload: [UInt8]
        do {
            payload = try session.openFrame(bytes)
        } catch {
            // Not from the key holder (a relay's insertion, say): drop the connection, blame no key.
            network.misbehaved(session, "\(error)", attributable: false)
            return
        }
        let message: Message
        do {
            message = try Message(encoded: payload)
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
            // While we wait for an answer, an oversized frame may be that answer (a block larger
            // than our limit expects): drop the connection, never ban a peer for what we asked for.
            if session.awaitingResponse {
                context.close(promise: nil)
            } else {
                network.misbehaved(session, "\(error)")
            }
        } else {
            context.close(promise: nil)
        }
    }
}
