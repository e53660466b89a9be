import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One request as the in-test Grafana saw it.
struct GrafanaRecordedRequest: Sendable {
    var method: HTTPMethod
    var uri: String
    var headers: HTTPHeaders

    var path: String { String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) }
    var query: [String: String] {
        guard let q = uri.firstIndex(of: "?") else { return [:] }
        var out: [String: String] = [:]
        for pair in uri[uri.index(after: q)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            out[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return out
    }
    func header(_ name: String) -> String? { headers[name].first }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 (ephemeral port) answering what `responder` says and
/// recording every request. Adapted from PrometheusAPITests' server, without TLS.
final class GrafanaTestServer: Sendable {
    struct Reply: Sendable {
        var status: HTTPResponseStatus
        var body: String
        init(_ status: HTTPResponseStatus = .ok, _ body: String) {
            self.status = status
            self.body = body
        }
    }

    private final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [GrafanaRecordedRequest] = []
        func append(_ r: GrafanaRecordedRequest) { lock.withLock { items.append(r) } }
        var all: [GrafanaRecordedRequest] { lock.withLock { items } }
    }

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let log: Log
    let port: Int

    var requests: [GrafanaRecordedRequest] { log.all }
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, log: Log, port: Int) {
        self.group = group
        self.channel = channel
        self.log = log
        self.port = port
    }

    /// Starts a server, runs `body`, and always stops the server.
    static func with<T: Sendable>(responder: @escaping @Sendable (GrafanaRecordedRequest) -> Reply,
                                  _ body: (GrafanaTestServer) async throws -> T) async throws -> T {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = Log()
        let server: GrafanaTestServer
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        try sync.configureHTTPServerPipeline()
                        try sync.addHandler(Handler(log: log, responder: responder))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
            server = GrafanaTestServer(group: group, channel: channel, log: log, port: port)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let log: Log
        private let responder: @Sendable (GrafanaRecordedRequest) -> Reply
        private var head: HTTPRequestHead?

        init(log: Log, responder: @escaping @Sendable (GrafanaRecordedRequest) -> Reply) {
            self.log = log
            self.responder = responder
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch Self.unwrapInboundIn(data) {
            case .head(let h): head = h
            case .body: break
            case .end:
                guard let head else { return }
                let request = GrafanaRecordedRequest(method: head.method, uri: head.uri, headers: head.headers)
                log.append(request)
                let reply = responder(request)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/json")
                headers.add(name: "Content-Length", value: String(reply.body.utf8.count))
                context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: reply.status, headers: headers))), promise: nil)
                context.write(Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: reply.body)))), promise: nil)
                context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
