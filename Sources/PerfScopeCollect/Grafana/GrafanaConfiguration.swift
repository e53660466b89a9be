import Foundation

/// How to reach a Grafana server's HTTP API: base URL (a sub-path such as
/// `https://example/grafana` is kept), credentials, TLS and the per-request timeout.
///
/// Secrets live here only; `redactedURL` is what may be printed or logged.
public struct GrafanaConfiguration: Sendable, Equatable {
    public enum Authentication: Sendable, Equatable {
        case none
        /// An API key or a service-account token (`Authorization: Bearer …`).
        case bearer(token: String)
        case basic(username: String, password: String)
    }

    public var url: URL
    public var authentication: Authentication
    /// PEM file with CA certificates to trust in addition to the system roots.
    public var caFile: String?
    /// Skip TLS certificate verification. Dangerous; the CLI warns when it is set.
    public var insecureSkipVerify: Bool
    public var timeout: Duration

    public init(url: URL, authentication: Authentication = .none, caFile: String? = nil,
                insecureSkipVerify: Bool = false, timeout: Duration = .seconds(30)) {
        self.url = url
        self.authentication = authentication
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
        self.timeout = timeout
    }

    /// Parses and checks a user-supplied Grafana URL: http or https, with a host, no query.
    public static func parseURL(_ text: String) throws -> URL {
        guard let url = URL(string: text.trimmingCharacters(in: .whitespaces)),
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
        else {
            throw GrafanaError.invalidURL(text)
        }
        return url
    }

    /// The URL without credentials and without a trailing slash, safe to print.
    public var redactedURL: String {
        var text = url.absoluteString
        if var c = URLComponents(url: url, resolvingAgainstBaseURL: false), c.user != nil || c.password != nil {
            c.user = nil
            c.password = nil
            text = c.string ?? text
        }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// Credentials written in the URL (`user:password@host`), used when no other auth is set.
    var urlCredentials: (String, String)? {
        guard let c = URLComponents(url: url, resolvingAgainstBaseURL: false), let user = c.user else { return nil }
        return (user, c.password ?? "")
    }
}
