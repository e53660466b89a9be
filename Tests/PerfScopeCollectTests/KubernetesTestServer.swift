import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A tiny HTTPS server on 127.0.0.1 (ephemeral port) standing in for a Kubernetes API server:
/// it records every request and answers what `responder` says. Adapted from PrometheusAPITests'
/// `TestHTTPServer`.
final class KubeTestServer: Sendable {
    struct Request: Sendable {
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
        var path: String { String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) }
        var query: String { uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init)?.removingPercentEncoding ?? "" }
        func header(_ name: String) -> String? { headers[name].first }
    }

    enum Reply: Sendable {
        case respond(HTTPResponseStatus, body: String)
        /// Read the request and never answer (for timeouts).
        case noAnswer
    }

    private final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Request] = []
        func append(_ r: Request) { lock.withLock { items.append(r) } }
        var all: [Request] { lock.withLock { items } }
    }

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let log: Log
    let port: Int

    var requests: [Request] { log.all }
    var url: String { "https://127.0.0.1:\(port)" }

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, log: Log, port: Int) {
        self.group = group
        self.channel = channel
        self.log = log
        self.port = port
    }

    static func with<T: Sendable>(tls: NIOSSLContext, responder: @escaping @Sendable (Request) -> Reply,
                                  _ body: (KubeTestServer) async throws -> T) async throws -> T {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = Log()
        let server: KubeTestServer
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(NIOSSLServerHandler(context: tls))
                        try sync.configureHTTPServerPipeline()
                        try sync.addHandler(Handler(log: log, responder: responder))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
            server = KubeTestServer(group: group, channel: channel, log: log, port: port)
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
        private let responder: @Sendable (Request) -> Reply
        private var head: HTTPRequestHead?

        init(log: Log, responder: @escaping @Sendable (Request) -> Reply) {
            self.log = log
            self.responder = responder
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch Self.unwrapInboundIn(data) {
            case .head(let h): head = h
            case .body: break
            case .end:
                guard let head else { return }
                let request = Request(method: head.method, uri: head.uri, headers: head.headers)
                log.append(request)
                guard case .respond(let status, let text) = responder(request) else { return }
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/json")
                headers.add(name: "Content-Length", value: String(text.utf8.count))
                context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
                context.write(Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
                context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}

/// A throwaway CA and a server certificate for 127.0.0.1, made with the `openssl` CLI.
struct KubeTestTLS {
    let directory: URL
    var caFile: String { directory.appendingPathComponent("ca.pem").path }
    var caPEM: Data { FileManager.default.contents(atPath: caFile) ?? Data() }
    var certFile: String { directory.appendingPathComponent("server.pem").path }
    var keyFile: String { directory.appendingPathComponent("server.key").path }

    static let openssl: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        return dirs.map { "\($0)/openssl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct SetupError: Error, CustomStringConvertible {
        let description: String
    }

    static func make() throws -> KubeTestTLS {
        guard let openssl else { throw SetupError(description: "openssl not found") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-kube-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func file(_ name: String) -> String { dir.appendingPathComponent(name).path }
        try """
        [req]
        distinguished_name = dn
        prompt = no
        [dn]
        CN = perfscope kube test CA
        [v3_ca]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash

        """.write(toFile: file("ca.cnf"), atomically: true, encoding: .utf8)
        try """
        basicConstraints = CA:FALSE
        keyUsage = critical,digitalSignature,keyEncipherment
        extendedKeyUsage = serverAuth
        subjectAltName = IP:127.0.0.1
        authorityKeyIdentifier = keyid

        """.write(toFile: file("server.ext"), atomically: true, encoding: .utf8)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run(openssl, ["req", "-x509", "-new"] + ec + ["-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "1",
                                                         "-config", file("ca.cnf"), "-extensions", "v3_ca"])
        try run(openssl, ["req", "-new"] + ec + ["-keyout", file("server.key"), "-out", file("server.csr"),
                                                "-subj", "/CN=127.0.0.1", "-config", file("ca.cnf")])
        try run(openssl, ["x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
                          "-set_serial", "2", "-days", "1", "-extfile", file("server.ext"), "-out", file("server.pem")])
        return KubeTestTLS(directory: dir)
    }

    func serverContext() throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(certFile).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        return try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SetupError(description: "openssl \(arguments.prefix(2).joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }
}
