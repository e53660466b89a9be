import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOSSL
import PerfScopeCore
import PrometheusAPI

/// One entry of `GET /api/search?type=dash-db`.
public struct GrafanaDashboardSummary: Sendable, Codable, Equatable {
    public var uid: String
    public var title: String
    public var folderTitle: String?
    public var tags: [String]
    /// Grafana's relative URL of the dashboard (`/d/<uid>/<slug>`).
    public var url: String?

    public init(uid: String, title: String, folderTitle: String? = nil, tags: [String] = [], url: String? = nil) {
        self.uid = uid
        self.title = title
        self.folderTitle = folderTitle
        self.tags = tags
        self.url = url
    }

    private enum CodingKeys: String, CodingKey { case uid, title, folderTitle, tags, url }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        uid = try c.decodeIfPresent(String.self, forKey: .uid) ?? ""
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? ""
        folderTitle = try c.decodeIfPresent(String.self, forKey: .folderTitle)
        tags = (try? c.decodeIfPresent([String].self, forKey: .tags)) ?? []
        url = try c.decodeIfPresent(String.self, forKey: .url)
    }
}

/// A client for the two Grafana HTTP API calls perfscope needs: search dashboards and fetch
/// one by UID. It owns an `HTTPClient` (TLS settings are per client): call `shutdown()` when
/// done, or use `withClient(_:logger:_:)`. Requests are logged at debug level with path,
/// status, size and time — never the token or password.
public final class GrafanaClient: ClosableClient {
    public let configuration: GrafanaConfiguration
    let http: HTTPClient
    let logger: Logger

    public init(configuration: GrafanaConfiguration, logger: Logger = Logger(label: "perfscope.grafana")) throws {
        self.configuration = configuration
        self.logger = logger
        var tls = TLSConfiguration.makeClientConfiguration()
        if configuration.insecureSkipVerify { tls.certificateVerification = .none }
        if let caFile = configuration.caFile {
            let certificates = (try? NIOSSLCertificate.fromPEMFile(caFile)) ?? []
            guard !certificates.isEmpty else {
                throw GrafanaError.configuration("cannot load Grafana CA file \(caFile): it must hold PEM certificates")
            }
            tls.additionalTrustRoots = [.certificates(certificates)]
        }
        var http = HTTPClient.Configuration(tlsConfiguration: tls)
        http.timeout = .init(connect: .seconds(5), read: nil)
        http.redirectConfiguration = .follow(max: 3, allowCycles: false)
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Runs `body` with a client and always shuts it down.
    public static func withClient<T: Sendable>(_ configuration: GrafanaConfiguration, logger: Logger = Logger(label: "perfscope.grafana"),
                                               _ body: (GrafanaClient) async throws -> T) async throws -> T {
        try await GrafanaClient(configuration: configuration, logger: logger).using(body)
    }

    /// `GET /api/search?type=dash-db&query=…`: dashboards whose title matches `query` (all when nil).
    public func searchDashboards(query: String? = nil) async throws -> [GrafanaDashboardSummary] {
        var parameters = [("type", "dash-db")]
        if let query, !query.isEmpty { parameters.append(("query", query)) }
        let (status, body) = try await get("/api/search", parameters)
        try check(status, path: "/api/search", body: body)
        do {
            return try JSONDecoder().decode([GrafanaDashboardSummary].self, from: body).filter { !$0.uid.isEmpty }
        } catch {
            throw GrafanaError.decoding(url: configuration.redactedURL, what: "/api/search did not return a list of dashboards")
        }
    }

    /// `GET /api/dashboards/uid/<uid>`: the dashboard model (the envelope's `dashboard`).
    public func dashboard(uid: String) async throws -> GrafanaDashboard {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let path = "/api/dashboards/uid/" + (uid.addingPercentEncoding(withAllowedCharacters: allowed) ?? uid)
        let (status, body) = try await get(path, [])
        if status == 404 { throw GrafanaError.dashboardNotFound(uid: uid, url: configuration.redactedURL) }
        try check(status, path: path, body: body)
        do {
            return try GrafanaDashboard.parse(body, source: "Grafana dashboard \(uid)")
        } catch {
            throw GrafanaError.decoding(url: configuration.redactedURL, what: "\(path) did not return a dashboard")
        }
    }

    static func formEncode(_ parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return parameters.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }

    func check(_ status: Int, path: String, body: Data) throws {
        guard (200..<300).contains(status) else {
            throw GrafanaError.httpStatus(status, url: configuration.redactedURL, path: path,
                                          body: String(decoding: body.prefix(512), as: UTF8.self))
        }
    }

    /// Sends one GET below the base URL (its path prefix kept) and returns status and body.
    func get(_ path: String, _ parameters: [(String, String)]) async throws -> (status: Int, body: Data) {
        let base = configuration.redactedURL
        let query = Self.formEncode(parameters)
        var request = HTTPClientRequest(url: base + path + (query.isEmpty ? "" : "?" + query))
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "perfscope")
        switch configuration.authentication {
        case .bearer(let token):
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        case .basic(let user, let password):
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        case .none:
            if let (user, password) = configuration.urlCredentials {
                request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
            }
        }
        let timeout = configuration.timeout
        let started = ContinuousClock.now
        do {
            let response = try await http.execute(request, timeout: TimeAmount(timeout), logger: logger)
            let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
            logger.debug("grafana request", metadata: [
                "path": "\(path)", "status": "\(response.status.code)", "bytes": "\(body.readableBytes)",
                "elapsed": "\(ContinuousClock.now - started)",
            ])
            return (Int(response.status.code), Data(body.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw GrafanaError.requestTimeout(url: base, seconds: Double(timeout.components.seconds))
        } catch {
            throw GrafanaError.unreachable(url: base, reason: GrafanaError.reason(error))
        }
    }
}
