import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One connection's HTTP handling: collects a request under the body limit, then answers JSON-RPC on
/// POST, routes on GET and services under their prefix, running the work on the server's thread pool.
final class HTTPHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let table: RPCMethodTable
    let pool: NIOThreadPool
    let configuration: RPCServer.Configuration
    let routes: [String: HTTPRoute]
    let services: [HTTPService]
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false
    /// Requests read whole and not yet answered (a slow call may take a while; its connection stays).
    private var working = 0
    /// Closes the connection if a request that has begun is not complete in time (a slowloris client
    /// trickling its headers or body would otherwise hold the connection forever).
    private var requestDeadline: Scheduled<Void>?

    init(table: RPCMethodTable, pool: NIOThreadPool, configuration: RPCServer.Configuration, routes: [HTTPRoute], services: [HTTPService]) {
        self.services = services
        self.table = table
        self.pool = pool
        self.configuration = configuration
        self.routes = Dictionary(routes.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            requestDeadline?.cancel()
            requestDeadline = context.eventLoop.scheduleTask(in: configuration.requestTimeout) { bound.value.close(promise: nil) }
            head = h
            body.clear()
            tooLarge = false
            if let length = h.headers.first(name: "content-length").flatMap(Int.init), length > configuration.maxBodyBytes {
                tooLarge = true
            }
        case .body(var chunk):
            guard !tooLarge else { return }
            if body.readableBytes + chunk.readableBytes > configuration.maxBodyBytes {
                tooLarge = true
                body.clear()
                return
            }
            body.writeBuffer(&chunk)
        case .end:
            requestDeadline?.cancel()
            requestDeadline = nil
            guard let h = head else { return }
            head = nil
            working += 1
            respond(to: h, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            // Silent for the idle timeout (the `IdleStateHandler` in front) with nothing to answer: the client is
            // gone or holding a slot.
            if working == 0 { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        requestDeadline?.cancel()
        requestDeadline = nil
        context.fireChannelInactive()
    }

    private func respond(to h: HTTPRequestHead, context: ChannelHandlerContext) {
        let keepAlive = h.isKeepAlive
        if h.method == .OPTIONS {
            write(context: context, status: .noContent, body: nil, request: h, keepAlive: keepAlive)
            return
        }
        if h.headers[canonicalForm: "upgrade"].contains(where: { $0.lowercased() == "websocket" }) {
            refuseUpgrade(h, context: context)
            return
        }
        let path = String(h.uri.prefix { $0 != "?" && $0 != "#" })
        if h.method == .GET || h.method == .HEAD, let route = routes[path] {
            serve(route, request: h, context: context)
            return
        }
        if let service = services.first(where: { path == $0.pathPrefix || path.hasPrefix($0.pathPrefix + "/") }) {
            serve(service, request: h, context: context)
            return
        }
        guard h.method == .POST else {
            let msg = Data(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: use HTTP POST with a JSON body"}}"#.utf8)
            write(context: context, status: .methodNotAllowed, body: msg, request: h, keepAlive: keepAlive)
            return
        }
        if tooLarge {
            let msg = Data(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: body exceeds \#(configuration.maxBodyBytes) bytes"}}"#.utf8)
            write(context: context, status: .payloadTooLarge, body: msg, request: h, keepAlive: false)
            return
        }
        let bytes = Data(body.readableBytesView)
        let table = self.table
        let loop = context.eventLoop
        let future = pool.runIfActive(eventLoop: loop) { table.handle(body: bytes) }
        let boundContext = NIOLoopBound(context, eventLoop: loop)
        future.whenComplete { [self] result in
            let ctx = boundContext.value
            switch result {
            case .success(let data):
                self.write(context: ctx, status: .ok, body: data ?? Data(), request: h, keepAlive: keepAlive)
            case .failure:
                self.write(context: ctx, status: .serviceUnavailable, body: nil, request: h, keepAlive: false)
            }
        }
    }

    /// A WebSocket upgrade the upgrader in front declined: a page from an origin that is not allowed
    /// (403), or a handshake it could not accept (400: missing key or version, or not the
    /// connection's first request).
    private func refuseUpgrade(_ h: HTTPRequestHead, context: ChannelHandlerContext) {
        let policy = WebSocketOriginPolicy(allowed: configuration.webSocketOrigins ?? configuration.corsOrigins)
        let origin = h.headers.first(name: "origin")
        if !policy.admits(origin: origin, host: h.headers.first(name: "host")) {
            write(context: context, status: .forbidden, body: Data("WebSocket upgrade refused: origin \(origin ?? "") is not allowed (--ws.origins)\n".utf8),
                  request: h, keepAlive: false, contentType: "text/plain; charset=utf-8")
        } else {
            let text = "WebSocket upgrade refused: it needs GET with Sec-WebSocket-Key and Sec-WebSocket-Version: 13 as a connection's first request\n"
            write(context: context, status: .badRequest, body: Data(text.utf8), request: h, keepAlive: false, contentType: "text/plain; charset=utf-8")
        }
    }

    /// Pages are built on the thread pool too (a metrics scrape reads the chain).
    private func serve(_ route: HTTPRoute, request h: HTTPRequestHead, context: ChannelHandlerContext) {
        let loop = context.eventLoop
        let future = pool.runIfActive(eventLoop: loop) { try route.respond() }
        let boundContext = NIOLoopBound(context, eventLoop: loop)
        future.whenComplete { [self] result in
            let ctx = boundContext.value
            switch result {
            case .success(let page):
                self.write(context: ctx, status: .ok, body: h.method == .HEAD ? nil : page.body, request: h, keepAlive: h.isKeepAlive,
                           contentType: page.contentType)
            case .failure(let error):
                self.write(context: ctx, status: .internalServerError, body: Data("\(error)\n".utf8), request: h, keepAlive: false,
                           contentType: "text/plain; charset=utf-8")
            }
        }
    }

    private func serve(_ service: HTTPService, request h: HTTPRequestHead, context: ChannelHandlerContext) {
        guard !tooLarge else {
            let answer = HTTPServiceResponse.error(413, "the body exceeds \(configuration.maxBodyBytes) bytes")
            write(context: context, status: .payloadTooLarge, body: answer.body, request: h, keepAlive: false)
            return
        }
        let request = HTTPServiceRequest(method: h.method.rawValue, target: h.uri, body: Data(body.readableBytesView))
        let loop = context.eventLoop
        let future = pool.runIfActive(eventLoop: loop) { service.respond(to: request) }
        let boundContext = NIOLoopBound(context, eventLoop: loop)
        future.whenComplete { [self] result in
            let ctx = boundContext.value
            switch result {
            case .success(let answer):
                self.write(context: ctx, status: HTTPResponseStatus(statusCode: answer.status), body: h.method == .HEAD ? nil : answer.body,
                           request: h, keepAlive: h.isKeepAlive, contentType: answer.contentType)
            case .failure:
                self.write(context: ctx, status: .serviceUnavailable, body: nil, request: h, keepAlive: false)
            }
        }
    }

    private func write(context: ChannelHandlerContext, status: HTTPResponseStatus, body: Data?, request: HTTPRequestHead, keepAlive: Bool,
                       contentType: String = "application/json") {
        working = max(0, working - 1)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body?.count ?? 0))
        if !configuration.corsOrigins.isEmpty {
            let origin = request.headers.first(name: "origin") ?? "*"
            if configuration.corsOrigins.contains("*") || configuration.corsOrigins.contains(origin) {
                headers.add(name: "Access-Control-Allow-Origin", value: configuration.corsOrigins.contains("*") ? "*" : origin)
                headers.add(name: "Access-Control-Allow-Methods", value: "GET, POST, PUT, DELETE, OPTIONS")
                headers.add(name: "Access-Control-Allow-Headers", value: "Content-Type")
            }
        }
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        var responseHead = HTTPResponseHead(version: request.version, status: status, headers: headers)
        responseHead.headers.replaceOrAdd(name: "Content-Length", value: String(body?.count ?? 0))
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if let body, !body.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
