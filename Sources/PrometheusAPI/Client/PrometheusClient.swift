import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// A client for the Prometheus HTTP API (`/api/v1/…`), which Thanos Querier, Mimir, Cortex and
/// VictoriaMetrics also speak, so one client covers a single Prometheus and a global view.
///
/// It owns an `HTTPClient` (TLS settings are per client), bounds concurrent requests, switches
/// to POST for long queries, and turns every failure into a one-line `PrometheusError`.
/// Call `shutdown()` when done, or use `withClient(_:logger:_:)`.
public final class PrometheusClient: ClosableClient {
    public let configuration: PrometheusConfiguration
    let http: HTTPClient
    let logger: Logger
    let gate: AsyncSemaphore

    public init(configuration: PrometheusConfiguration, logger: Logger = Logger(label: "perfscope.prometheus")) throws {
        self.configuration = configuration
        self.logger = logger
        self.gate = configuration.sharedLimiter ?? AsyncSemaphore(configuration.maxConcurrency)
        var tls = TLSConfiguration.makeClientConfiguration()
        if configuration.insecureSkipVerify {
            tls.certificateVerification = .none
        }
        if let caFile = configuration.caFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                guard !certificates.isEmpty else { throw PrometheusError.configuration("no certificate in \(caFile)") }
                tls.additionalTrustRoots = [.certificates(certificates)]
            } catch {
                throw PrometheusError.configuration("cannot load CA file \(caFile): it must hold PEM certificates")
            }
        }
        var http = HTTPClient.Configuration(tlsConfiguration: tls)
        http.timeout = .init(connect: .seconds(5), read: nil)
        // Redirects are followed by `send` itself, which drops credentials and custom headers
        // when the origin changes (AsyncHTTPClient only drops Authorization).
        http.redirectConfiguration = .disallow
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Runs `body` with a client and always shuts it down.
    public static func withClient<T: Sendable>(_ configuration: PrometheusConfiguration, logger: Logger = Logger(label: "perfscope.prometheus"),
                                               _ body: (PrometheusClient) async throws -> T) async throws -> T {
        try await PrometheusClient(configuration: configuration, logger: logger).using(body)
    }

    // MARK: Transport

    /// The base URL string without a trailing slash and without credentials.
    var base: String {
        var s = configuration.redactedURL
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }

    /// Sends one API request and returns the raw body with its status. Parameters are sent in the
    /// query string, or form-encoded with POST when `allowPost` and the encoded form is long.
    func send(path: String, parameters: [(String, String)], allowPost: Bool = false) async throws -> (status: Int, body: Data) {
        let form = Self.formEncode(parameters)
        let usePost = allowPost && form.utf8.count > configuration.postThreshold
        let url = base + path + (usePost || form.isEmpty ? "" : "?" + form)
        var request = HTTPClientRequest(url: url)
        request.method = usePost ? .POST : .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "perfscope")
        if usePost {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        switch configuration.authentication {
        case .none: break
        case .bearer(let token): request.headers.add(name: "Authorization", value: "Bearer \(token)")
        case .bearerSource(let source): request.headers.add(name: "Authorization", value: "Bearer \(try source.token())")
        case .basic(let user, let password):
            let encoded = Data("\(user):\(password)".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic \(encoded)")
        }
        // Credentials written in the URL (user:password@host) apply when no other auth is set;
        // URLComponents decodes them (`p%40ss` is the password `p@ss`).
        if configuration.authentication == .none,
           let components = URLComponents(url: configuration.url, resolvingAgainstBaseURL: false), let user = components.user {
            let encoded = Data("\(user):\(components.password ?? "")".utf8).base64EncodedString()
            request.headers.replaceOrAdd(name: "Authorization", value: "Basic \(encoded)")
        }
        for header in configuration.headers {
            request.headers.replaceOrAdd(name: header.name, value: header.value)
        }
        let timeout = configuration.timeout
        let started = ContinuousClock.now
        let prepared = request
        let limit = configuration.maxResponseBytes
        return try await gate.withPermit { [http, logger, base] in
            do {
                let response = try await Self.execute(http, prepared, timeout: timeout, logger: logger)
                let body = try await response.body.collect(upTo: limit)
                logger.debug("prometheus request", metadata: [
                    "path": "\(path)", "method": "\(prepared.method.rawValue)", "status": "\(response.status.code)",
                    "bytes": "\(body.readableBytes)", "elapsed": "\(ContinuousClock.now - started)",
                ])
                return (Int(response.status.code), Data(body.readableBytesView))
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
                throw PrometheusError.requestTimeout(url: base, seconds: Double(timeout.components.seconds))
            } catch is NIOTooManyBytesError {
                throw PrometheusError.tooLarge(url: base, limit: limit)
            } catch let error as PrometheusError {
                throw error
            } catch {
                throw PrometheusError.unreachable(url: base, reason: Self.reason(error))
            }
        }
    }

    /// Executes `request`, following up to 3 redirects. A redirect to another origin (scheme,
    /// host or port) goes without `Authorization` and without the configured custom headers,
    /// which may carry a tenant id or an API key meant for the first server only.
    static func execute(_ http: HTTPClient, _ request: HTTPClientRequest, timeout: Duration, logger: Logger) async throws -> HTTPClientResponse {
        var current = request
        var visited: Set<String> = [request.url]
        for _ in 0...3 {
            let response = try await http.execute(current, timeout: TimeAmount(timeout), logger: logger)
            guard [301, 302, 303, 307, 308].contains(response.status.code), let location = response.headers.first(name: "Location") else {
                return response
            }
            guard let next = redirect(current, to: location, status: response.status.code), visited.insert(next.url).inserted else {
                return response
            }
            current = next
        }
        throw PrometheusError.unreachable(url: originOf(request.url) ?? "?", reason: "too many redirects")
    }

    /// The request to send after a redirect, or nil when `location` is not an http(s) URL.
    static func redirect(_ request: HTTPClientRequest, to location: String, status: UInt) -> HTTPClientRequest? {
        guard let from = URL(string: request.url), let to = URL(string: location, relativeTo: from)?.absoluteURL,
              let scheme = to.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return nil }
        var next = request
        next.url = to.absoluteString
        if status == 303 || ((status == 301 || status == 302) && request.method == .POST) {
            next.method = .GET
            next.body = nil
            next.headers.remove(name: "Content-Type")
            next.headers.remove(name: "Content-Length")
        }
        if originOf(request.url) != originOf(next.url) {
            // Only what perfscope itself adds survives: no credentials, no configured headers.
            let kept = ["Accept", "User-Agent", "Content-Type"]
            var headers = HTTPHeaders()
            for name in kept { for value in next.headers[name] { headers.add(name: name, value: value) } }
            next.headers = headers
        }
        return next
    }

    /// `scheme://host:port` with the default port filled in, for same-origin checks.
    static func originOf(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return nil }
        return "\(scheme)://\(host):\(url.port ?? (scheme == "https" ? 443 : 80))"
    }

    /// A short reason for a transport failure, without NIO's type names.
    static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        let lowered = text.lowercased()
        if lowered.contains("connection refused") || lowered.contains("econnrefused") || lowered.contains("errno: 111") { return "connection refused" }
        if lowered.contains("connecttimeout") || lowered.contains("connect timeout") { return "connection timed out" }
        if lowered.contains("lookup") || lowered.contains("resolve") || lowered.contains("nodename") || lowered.contains("dns") { return "host name not resolved" }
        if lowered.contains("certificate") || lowered.contains("handshake") || lowered.contains("ssl") || lowered.contains("tls") {
            return "TLS handshake failed (use --ca-file for a private CA)"
        }
        if lowered.contains("remoteconnectionclosed") || lowered.contains("connection reset") { return "connection closed by the server" }
        return PrometheusError.oneLine(text).prefix(120).description
    }

    static func formEncode(_ parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return parameters.map { key, value in
            // Keys too: `match[]` unencoded makes Foundation's URL parser reject the URL.
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }
}
