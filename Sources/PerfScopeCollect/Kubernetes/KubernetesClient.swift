import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// A read-only client for the Kubernetes (and OpenShift) API: GET requests only, a timeout per
/// request, TLS trusting the kubeconfig's CA (held in memory: inline `-data` PEM never touches
/// disk), bearer token or client certificate. Every failure is a one-line `KubernetesError`.
public final class KubernetesClient: Sendable {
    public let connection: KubeConnection
    public let timeout: Duration
    let http: HTTPClient
    let logger: Logger

    public init(connection: KubeConnection, timeout: Duration = .seconds(15),
                logger: Logger = Logger(label: "perfscope.kubernetes")) throws {
        self.connection = connection
        self.timeout = timeout
        self.logger = logger
        var tls = TLSConfiguration.makeClientConfiguration()
        if connection.insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if let ca = connection.caPEM {
            let certificates = (try? NIOSSLCertificate.fromPEMBytes(ca)) ?? []
            guard !certificates.isEmpty else {
                throw KubernetesError.configuration("the certificate authority of cluster \(connection.cluster) holds no PEM certificate")
            }
            tls.additionalTrustRoots = [.certificates(certificates)]
        }
        if let certificate = connection.clientCertificatePEM, let key = connection.clientKeyPEM {
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
            } catch {
                throw KubernetesError.configuration("the client certificate or key of user \(connection.user) is not valid PEM")
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(5), read: nil)
        configuration.redirectConfiguration = .disallow
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Runs `body` with a client and always shuts it down.
    public static func withClient<T: Sendable>(_ connection: KubeConnection, timeout: Duration = .seconds(15),
                                               _ body: (KubernetesClient) async throws -> T) async throws -> T {
        let client = try KubernetesClient(connection: connection, timeout: timeout)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch let error as KubernetesError where error.isTransport {
            // A timed-out TLS connection can hold shutdown ~5 s waiting for the peer's close_notify:
            // report the failure now and let the shutdown finish in the background.
            Task { await client.shutdown() }
            throw error
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// The server URL without a trailing slash (a kubeconfig server never carries credentials).
    public var base: String {
        var s = connection.server.absoluteString
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }

    /// GETs `path` (with its query string) and returns the body of a 2xx answer.
    public func get(_ path: String) async throws -> Data {
        var request = HTTPClientRequest(url: base + path)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "perfscope")
        if let token = connection.token, !token.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        let started = ContinuousClock.now
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(request, timeout: TimeAmount(timeout), logger: logger)
            body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw KubernetesError.timeout(server: base, seconds: Self.seconds(timeout))
        } catch {
            throw KubernetesError.unreachable(server: base, reason: Self.reason(error))
        }
        logger.debug("kubernetes request", metadata: [
            "path": "\(path)", "status": "\(response.status.code)", "bytes": "\(body.readableBytes)",
            "elapsed": "\(ContinuousClock.now - started)",
        ])
        switch response.status.code {
        case 200..<300: return Data(body.readableBytesView)
        case 401: throw KubernetesError.unauthorized(server: base)
        case 403: throw KubernetesError.forbidden(resource: KubernetesError.resource(ofPath: path))
        case 404: throw KubernetesError.notFound(path: path.split(separator: "?").first.map(String.init) ?? path)
        default:
            throw KubernetesError.badResponse("\(base) answered HTTP \(response.status.code) to GET \(path.split(separator: "?").first ?? "")")
        }
    }

    /// GETs `path` and decodes the JSON answer.
    public func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        let data = try await get(path)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw KubernetesError.badResponse("GET \(path.split(separator: "?").first ?? "") did not return the expected \(T.self) JSON")
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// A short reason for a transport failure, without NIO's type names.
    static func reason(_ error: any Error) -> String {
        let lowered = String(describing: error).lowercased()
        if lowered.contains("connection refused") || lowered.contains("econnrefused") || lowered.contains("errno: 111") { return "connection refused" }
        if lowered.contains("connecttimeout") || lowered.contains("connect timeout") { return "connection timed out" }
        if lowered.contains("lookup") || lowered.contains("resolve") || lowered.contains("nodename") || lowered.contains("dns") { return "host name not resolved" }
        if lowered.contains("certificate") || lowered.contains("handshake") || lowered.contains("ssl") || lowered.contains("tls") {
            return "TLS handshake failed (the kubeconfig certificate-authority does not match the server)"
        }
        if lowered.contains("remoteconnectionclosed") || lowered.contains("connection reset") { return "connection closed by the server" }
        return String(KubernetesError.oneLine(String(describing: error)).prefix(120))
    }
}
