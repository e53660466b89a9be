import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOSSL
import PrometheusAPI

/// Reads an etcd cluster's status over the v3 JSON gateway that every etcd ≥ 3.3 serves on its
/// client URLs (`/v3/…`, `/v3beta/…` on 3.3): no gRPC, no etcdctl needed.
///
/// Every endpoint is asked concurrently for `/health`, maintenance status, the member list and
/// the alarm list. A failing endpoint is reported in its `EndpointStatus`, never thrown; only
/// when no endpoint answers at all does `clusterStatus()` throw.
/// It owns an `HTTPClient` (TLS settings are per client): call `shutdown()` when done, or use
/// `withClient(_:logger:_:)`.
public final class EtcdGatewayClient: ClosableClient {
    public let configuration: EtcdGatewayConfiguration
    let http: HTTPClient
    let logger: Logger

    public init(configuration: EtcdGatewayConfiguration, logger: Logger = Logger(label: "perfscope.etcd")) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        let tls = try Self.tlsConfiguration(configuration)
        var http = HTTPClient.Configuration(tlsConfiguration: tls)
        let timeout = TimeAmount(configuration.timeout)
        http.timeout = .init(connect: timeout, read: timeout)
        http.redirectConfiguration = .disallow
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Runs `body` with a client and always shuts it down.
    public static func withClient<T: Sendable>(_ configuration: EtcdGatewayConfiguration, logger: Logger = Logger(label: "perfscope.etcd"),
                                               _ body: (EtcdGatewayClient) async throws -> T) async throws -> T {
        try await EtcdGatewayClient(configuration: configuration, logger: logger).using(body)
    }

    /// Asks every endpoint concurrently and merges the answers.
    /// - Throws: `EtcdGatewayError` (`no_endpoint_answered`) only when no endpoint answered at all.
    public func clusterStatus() async throws -> EtcdClusterStatus {
        let endpoints = configuration.endpoints
        let probes = await withTaskGroup(of: (Int, EtcdEndpointProbe).self) { group in
            for (index, url) in endpoints.enumerated() {
                group.addTask { (index, await self.probe(url)) }
            }
            var probes = [EtcdEndpointProbe?](repeating: nil, count: endpoints.count)
            for await (index, probe) in group { probes[index] = probe }
            return probes.compactMap { $0 }
        }
        guard probes.contains(where: \.answered) else {
            throw EtcdGatewayError.noEndpointAnswered(probes.map(\.endpoint), firstReason: probes.first?.failures.first)
        }
        let status = EtcdClusterStatus.assemble(probes)
        logger.debug("etcd cluster status", metadata: [
            "members": "\(status.members.count)", "leader": "\(status.leaderID ?? "none")",
            "healthy": "\(status.endpoints.filter(\.healthy).count)/\(status.endpoints.count)",
        ])
        return status
    }

    /// The four calls on one endpoint, concurrently.
    func probe(_ url: URL) async -> EtcdEndpointProbe {
        let base = EtcdGatewayConfiguration.display(url)
        async let health = capture { try await self.health(base) }
        async let status = capture { try await self.call(base, "/maintenance/status", body: "{}", as: EtcdWire.Status.self) }
        async let members = capture { try await self.call(base, "/cluster/member/list", body: "{}", as: EtcdWire.MemberList.self) }
        async let alarms = capture { try await self.call(base, "/maintenance/alarm", body: #"{"action":"GET"}"#, as: EtcdWire.AlarmList.self) }
        return await EtcdEndpointProbe(endpoint: base, health: health, status: status, memberList: members, alarms: alarms)
    }

    // MARK: Calls

    /// `GET /health`. Its body is read whatever the status: etcd answers 503 with `{"health":"false"}`.
    func health(_ base: String) async throws -> EtcdWire.Health {
        let (status, body) = try await send(base, path: "/health", post: nil)
        if let health = try? EtcdWire.decode(EtcdWire.Health.self, from: body) { return health }
        let text = String(decoding: body, as: UTF8.self)
        if !(200..<300).contains(status) {
            throw EtcdGatewayError.httpStatus(status, endpoint: base, path: "/health", body: text)
        }
        throw EtcdGatewayError.decoding(endpoint: base, path: "/health", body: text)
    }

    /// `POST /v3<path>`, falling back to `/v3beta<path>` (etcd 3.3) when `/v3` is 404.
    func call<T: Decodable>(_ base: String, _ path: String, body: String, as type: T.Type) async throws -> T {
        var (status, data) = try await send(base, path: "/v3" + path, post: body)
        var used = "/v3" + path
        if status == 404 {
            (status, data) = try await send(base, path: "/v3beta" + path, post: body)
            used = "/v3beta" + path
            if status == 404 { throw EtcdGatewayError.notFound(endpoint: base, path: path) }
        }
        let text = { String(decoding: data, as: UTF8.self) }
        guard (200..<300).contains(status) else {
            throw EtcdGatewayError.httpStatus(status, endpoint: base, path: used, body: text())
        }
        do {
            return try EtcdWire.decode(T.self, from: data)
        } catch {
            throw EtcdGatewayError.decoding(endpoint: base, path: used, body: text())
        }
    }

    /// Sends one request (GET, or POST of the JSON `post`) and returns the status and raw body;
    /// transport failures become `EtcdGatewayError`.
    func send(_ base: String, path: String, post body: String?) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: base + path)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "perfscope")
        if let body {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let timeout = configuration.timeout
        let started = ContinuousClock.now
        do {
            let response = try await http.execute(request, timeout: TimeAmount(timeout), logger: logger)
            let buffer = try await response.body.collect(upTo: 16 * 1024 * 1024)
            logger.debug("etcd request", metadata: [
                "endpoint": "\(base)", "path": "\(path)", "status": "\(response.status.code)",
                "bytes": "\(buffer.readableBytes)", "elapsed": "\(ContinuousClock.now - started)",
            ])
            return (Int(response.status.code), Data(buffer.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw EtcdGatewayError.requestTimeout(endpoint: base, path: path, timeout: timeout)
        } catch {
            throw EtcdGatewayError.unreachable(endpoint: base, reason: EtcdGatewayError.reason(error, tls: base.lowercased().hasPrefix("https:")))
        }
    }

    // MARK: TLS

    /// The client TLS settings: CA (replacing the system roots, like etcdctl's `--cacert`),
    /// client certificate and key for mTLS, and optionally no verification.
    static func tlsConfiguration(_ configuration: EtcdGatewayConfiguration) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if configuration.insecureSkipVerify {
            tls.certificateVerification = .none
        }
        if let caFile = configuration.caFile {
            let certificates = try loadCertificates(caFile, what: "CA file")
            tls.trustRoots = .certificates(certificates)
        }
        if let certFile = configuration.certFile, let keyFile = configuration.keyFile {
            tls.certificateChain = try loadCertificates(certFile, what: "client certificate").map { .certificate($0) }
            do {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            } catch {
                throw EtcdGatewayError.configuration("cannot load client key \(keyFile): it must be an unencrypted PEM private key")
            }
        }
        return tls
    }

    private static func loadCertificates(_ path: String, what: String) throws -> [NIOSSLCertificate] {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw EtcdGatewayError.configuration("cannot read \(what) \(path): check the path and its permissions")
        }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw EtcdGatewayError.configuration("cannot load \(what) \(path): it must hold PEM certificates")
        }
        guard !certificates.isEmpty else {
            throw EtcdGatewayError.configuration("no certificate in \(what) \(path): it must hold PEM certificates")
        }
        return certificates
    }
}

/// Runs `body`, keeping a gateway error as a value (anything else becomes `unreachable`).
private func capture<T: Sendable>(_ body: () async throws -> T) async -> Result<T, EtcdGatewayError> {
    do {
        return .success(try await body())
    } catch let error as EtcdGatewayError {
        return .failure(error)
    } catch {
        return .failure(.unreachable(endpoint: "etcd", reason: EtcdGatewayError.reason(error)))
    }
}
