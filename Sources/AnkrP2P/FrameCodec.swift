import NIOCore

/// Length-prefixed frames: a 4-byte big-endian length, then that many bytes. A declared length
/// above `maxFrameBytes` closes the connection before any of it is buffered.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer
    public static let defaultMaxFrameBytes = 8 * 1024 * 1024
    let maxFrameBytes: Int

    public init(maxFrameBytes: Int = FrameDecoder.defaultMaxFrameBytes) { self.maxFrameBytes = maxFrameBytes }

    public struct FrameTooLarge: Error, CustomStringConvertible {
        public let length: Int
        public var description: String { "frame of \(length) bytes exceeds the limit" }
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard Int(length) <= maxFrameBytes else { throw FrameTooLarge(length: Int(length)) }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        guard let frame = buffer.readSlice(length: Int(length)) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }
}

/// Prefixes each outgoing payload with its 4-byte length.
public struct FrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = ByteBuffer
    public init() {}
    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        // A length that does not fit the 4-byte prefix cannot be framed at all.
        guard let length = UInt32(exactly: data.readableBytes) else { throw FrameDecoder.FrameTooLarge(length: data.readableBytes) }
        out.writeInteger(length)
        var d = data
        out.writeBuffer(&d)
    }
}
