import Foundation

/// How to reach a Prometheus-compatible API (Prometheus, Thanos Querier, Mimir, Cortex,
/// VictoriaMetrics): URL, authentication, TLS, extra headers, timeouts and concurrency.
///
/// Secrets live here and nowhere else; `redacted` is what may be logged or printed.
public struct PrometheusConfiguration: Sendable {
    public enum Authentication: Sendable, Equatable {
        case none
        case bearer(token: String)
        /// A token read again as it rotates (a token file, a kubeconfig).
        case bearerSource(BearerTokenSource)
        case basic(username: String, password: String)
    }

    /// Base URL, e.g. `http://127.0.0.1:9090` or `https://thanos.example/` (a path prefix is kept).
    public var url: URL
    public var authentication: Authentication
    /// PEM file with the CA(s) to trust in addition to the system roots.
    public var caFile: String?
    /// Skip TLS certificate verification. Dangerous; the CLI warns loudly when it is set.
    public var insecureSkipVerify: Bool
    /// Extra headers on every request, e.g. `X-Scope-OrgID` for Mimir/Cortex/Thanos tenants.
    public var headers: [(name: String, value: String)]
    /// Per-request timeout.
    public var timeout: Duration
    /// Requests in flight at once.
    public var maxConcurrency: Int
    /// Queries whose URL-encoded form is longer than this are sent with POST.
    public var postThreshold: Int
    /// Largest answer read, in bytes, enforced as the body streams in (before decoding).
    public var maxResponseBytes: Int = 256 << 20
    /// One limiter shared by every client made from this configuration (a server's calls);
    /// nil → each client bounds itself to `maxConcurrency`.
    public var sharedLimiter: AsyncSemaphore?

    public init(url: URL, authentication: Authentication = .none, caFile: String? = nil,
                insecureSkipVerify: Bool = false, headers: [(name: String, value: String)] = [],
                timeout: Duration = .seconds(30), maxConcurrency: Int = 6, postThreshold: Int = 2_000) {
        self.url = url
        self.authentication = authentication
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
        self.headers = headers
        self.timeout = timeout
        self.maxConcurrency = max(1, maxConcurrency)
        self.postThreshold = postThreshold
    }

    /// Parses and checks a user-supplied base URL: http or https, with a host.
    public static func parseURL(_ text: String) throws -> URL {
        guard let url = URL(string: text.trimmingCharacters(in: .whitespaces)),
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
        else {
            throw PrometheusError.invalidURL(text)
        }
        return url
    }

    /// The URL without credentials, safe to print.
    public var redactedURL: String {
        guard var c = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.absoluteString }
        if c.user != nil || c.password != nil {
            c.user = nil
            c.password = nil
        }
        return c.string ?? url.absoluteString
    }

    /// The header names only (values may be secrets).
    public var headerNames: [String] { headers.map(\.name) }

    /// Reads a secret from a file, trimming the trailing newline most editors add.
    public static func readSecretFile(_ path: String) throws -> String {
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw PrometheusError.configuration("cannot read secret file \(path): check the path and its permissions")
        }
    }

    /// Parses `Name: value` header flags. Errors never repeat what was given: a header value
    /// (or a token pasted without its name) can be a secret.
    public static func parseHeader(_ text: String) throws -> (name: String, value: String) {
        guard let colon = text.firstIndex(of: ":") else {
            throw PrometheusError.configuration("invalid header (no ':'): use \"Name: value\", e.g. \"X-Scope-OrgID: tenant-1\" (the value is not shown: it may be a secret)")
        }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw PrometheusError.configuration("invalid header name: use \"Name: value\" with a name of letters, digits, '-' and '_' (the header is not shown: it may be a secret)")
        }
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw PrometheusError.configuration("invalid value for header \(name): control characters are not allowed (the value is not shown)")
        }
        return (name, value)
    }
}
