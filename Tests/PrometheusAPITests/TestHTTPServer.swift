import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One request as the in-test server saw it.
struct RecordedRequest: Sendable {
    var method: HTTPMethod
    var uri: String
    var headers: HTTPHeaders
    var body: String

    var path: String { String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) }
    /// Decoded `application/x-www-form-urlencoded` pairs from the URI's query string.
    var queryParameters: [(String, String)] {
        guard let q = uri.firstIndex(of: "?") else { return [] }
        return Self.formDecode(String(uri[uri.index(after: q)...]))
    }
    var formParameters: [(String, String)] { Self.formDecode(body) }
    func header(_ name: String) -> String? { headers[name].first }

    /// Form decoding as a Go server does it: `+` is a space, then percent-decoding.
    static func formDecode(_ text: String) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "<undecodable \(s)>" }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}

/// A tiny HTTP/1.1 (optionally TLS) server on 127.0.0.1 with an ephemeral port that records
/// every request and answers what `responder` says.
final class TestHTTPServer: Sendable {
    enum Reply: Sendable {
        case respond(HTTPResponseStatus, contentType: String = "application/json", body: String)
        /// Read the request and never answer (for timeouts).
        case noAnswer
        /// A redirect to `location`.
        case redirect(HTTPResponseStatus, location: String)

        static let emptyVector = Reply.respond(.ok, body: #"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
    }

    private final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [RecordedRequest] = []
        func append(_ r: RecordedRequest) { lock.withLock { items.append(r) } }
        var all: [RecordedRequest] { lock.withLock { items } }
    }

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let log: Log
    let port: Int
    let scheme: String

    var requests: [RecordedRequest] { log.all }
    var baseURL: URL { URL(string: "\(scheme)://127.0.0.1:\(port)")! }

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, log: Log, port: Int, scheme: String) {
        self.group = group
        self.channel = channel
        self.log = log
        self.port = port
        self.scheme = scheme
    }

    static func start(tls: NIOSSLContext? = nil,
                      responder: @escaping @Sendable (RecordedRequest) -> Reply = { _ in .emptyVector }) async throws -> TestHTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = Log()
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if let tls { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
                        try sync.configureHTTPServerPipeline()
                        try sync.addHandler(RecordingHandler(log: log, responder: responder))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
            return TestHTTPServer(group: group, channel: channel, log: log, port: port, scheme: tls == nil ? "http" : "https")
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    /// Starts a server, runs `body`, and always stops the server.
    static func with<T: Sendable>(tls: NIOSSLContext? = nil,
                                  responder: @escaping @Sendable (RecordedRequest) -> Reply = { _ in .emptyVector },
                                  _ body: (TestHTTPServer) async throws -> T) async throws -> T {
        let server = try await start(tls: tls, responder: responder)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    private final class RecordingHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let log: Log
        private let responder: @Sendable (RecordedRequest) -> Reply
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(log: Log, responder: @escaping @Sendable (RecordedRequest) -> Reply) {
            self.log = log
            self.responder = responder
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch Self.unwrapInboundIn(data) {
            case .head(let h):
                head = h
                body = []
            case .body(let buffer):
                body.append(contentsOf: buffer.readableBytesView)
            case .end:
                guard let head else { return }
                let request = RecordedRequest(method: head.method, uri: head.uri, headers: head.headers,
                                              body: String(decoding: body, as: UTF8.self))
                log.append(request)
                var headers = HTTPHeaders()
                let status: HTTPResponseStatus, contentType: String, text: String
                switch responder(request) {
                case .noAnswer: return
                case .respond(let s, let c, let t): (status, contentType, text) = (s, c, t)
                case .redirect(let s, let location):
                    (status, contentType, text) = (s, "text/plain", "")
                    headers.add(name: "Location", value: location)
                }
                headers.add(name: "Content-Type", value: contentType)
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
struct TestTLSFiles {
    let directory: URL
    var caFile: String { directory.appendingPathComponent("ca.pem").path }
    var certFile: String { directory.appendingPathComponent("server.pem").path }
    var keyFile: String { directory.appendingPathComponent("server.key").path }

    static let openssl: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        return dirs.map { "\($0)/openssl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static func make() throws -> TestTLSFiles {
        guard let openssl else { throw TLSSetupError("openssl not found") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func file(_ name: String) -> String { dir.appendingPathComponent(name).path }
        try """
        [req]
        distinguished_name = dn
        prompt = no
        [dn]
        CN = perfscope test CA
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
        return TestTLSFiles(directory: dir)
    }

    func serverContext() throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(certFile).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        return try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    struct TLSSetupError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TLSSetupError("openssl \(arguments.prefix(2).joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }
}
