import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The devnet's local HTTPS data source: serves the files of one directory on loopback over TLS, so oracle
/// requests work without the internet. GET only; names with a leading dot and `..` are refused; files are
/// capped at ``maxFileBytes`` (the oracle enclave reads at most 1 MiB of a source anyway).
final class DevnetHTTPSSource: Sendable {
    static let maxFileBytes = 1 << 20
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    /// The port it listens on (127.0.0.1).
    let port: Int

    init(directory: URL, certificate: String, key: String, port requested: Int) throws {
        let context: NIOSSLContext
        do {
            let tls = TLSConfiguration.makeServerConfiguration(certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                                                               privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw DevnetServiceError.certificateUnreadable(path: certificate)
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            channel = try ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { ch in
                    ch.eventLoop.makeCompletedFuture {
                        try ch.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                        try ch.pipeline.syncOperations.configureHTTPServerPipeline()
                        try ch.pipeline.syncOperations.addHandler(FileResponder(directory: directory))
                    }
                }
                .bind(host: "127.0.0.1", port: requested).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw DevnetServiceError.sourceNotStarted(port: requested, reason: "\(error)")
        }
        self.group = group
        port = channel.localAddress?.port ?? requested
    }

    func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// The file a request path names inside `directory`, or nil when the path leaves it or names a hidden file.
    static func file(for uri: String, in directory: URL) -> URL? {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let parts = path.split(separator: "/")
        guard !parts.isEmpty, parts.allSatisfy({ !$0.hasPrefix(".") && !$0.contains("%") && !$0.contains("\\") }) else { return nil }
        return parts.reduce(directory) { $0.appendingPathComponent(String($1)) }
    }

    private final class FileResponder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let directory: URL
        var head: HTTPRequestHead?
        init(directory: URL) { self.directory = directory }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h): head = h
            case .body: break
            case .end:
                guard let h = head else { return }
                head = nil
                let (status, body, type) = answer(h)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: String(body.count))
                headers.add(name: "Content-Type", value: type)
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: h.version, status: status, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }

        private func answer(_ h: HTTPRequestHead) -> (HTTPResponseStatus, [UInt8], String) {
            guard h.method == .GET else { return (.methodNotAllowed, Array("GET only\n".utf8), "text/plain") }
            guard let url = DevnetHTTPSSource.file(for: h.uri, in: directory),
                  let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int,
                  let data = size <= DevnetHTTPSSource.maxFileBytes ? FileManager.default.contents(atPath: url.path) : nil,
                  data.count <= DevnetHTTPSSource.maxFileBytes else {
                return (.notFound, Array("not found\n".utf8), "text/plain")
            }
            let type = switch url.pathExtension {
            case "json": "application/json"
            case "xml": "application/xml"
            default: "text/plain"
            }
            return (.ok, Array(data), type)
        }
    }
}
