import Foundation

/// How to reach etcd's v3 JSON gateway (the grpc-gateway on every member's client URL):
/// the endpoints to ask and the TLS material, with the same meaning as etcdctl's
/// `--endpoints`, `--cacert`, `--cert`, `--key` and `--insecure-skip-tls-verify`.
public struct EtcdGatewayConfiguration: Sendable, Equatable {
    /// Client URLs, e.g. `https://10.0.0.1:2379`. Each one is asked on its own.
    public var endpoints: [URL]
    /// PEM file with the CA(s) that signed the members' server certificates. When set, it
    /// replaces the system trust roots, as etcdctl's `--cacert` does.
    public var caFile: String?
    /// PEM client certificate (chain) for mTLS; needs `keyFile`.
    public var certFile: String?
    /// PEM private key of `certFile` (unencrypted).
    public var keyFile: String?
    /// Skip server certificate verification. Dangerous.
    public var insecureSkipVerify: Bool
    /// Per-request timeout (connect included).
    public var timeout: Duration

    public init(endpoints: [URL], caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil,
                insecureSkipVerify: Bool = false, timeout: Duration = .seconds(5)) {
        self.endpoints = endpoints
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.insecureSkipVerify = insecureSkipVerify
        self.timeout = timeout
    }

    /// Parses a comma-separated endpoint list as etcdctl accepts it: `http(s)://host:port`, or
    /// a bare `host:port` (taken as http). Blanks and duplicates are dropped.
    public static func parseEndpoints(_ text: String) throws -> [URL] {
        var urls: [URL] = []
        for part in text.split(separator: ",") {
            let url = try parseEndpoint(String(part))
            if !urls.contains(url) { urls.append(url) }
        }
        guard !urls.isEmpty else { throw EtcdGatewayError.invalidEndpoint(text) }
        return urls
    }

    /// Parses and checks one endpoint: http or https, with a host; no credentials, query or fragment.
    public static func parseEndpoint(_ text: String) throws -> URL {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.contains("://") { trimmed = "http://" + trimmed }
        guard let url = URL(string: trimmed),
              let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty,
              components.user == nil, components.query == nil, components.fragment == nil
        else {
            throw EtcdGatewayError.invalidEndpoint(text)
        }
        return url
    }

    /// Checks the TLS settings that can be checked without reading files.
    func validate() throws {
        guard !endpoints.isEmpty else {
            throw EtcdGatewayError.configuration("no etcd endpoints given: set --endpoints, e.g. https://10.0.0.1:2379")
        }
        switch (certFile, keyFile) {
        case (.some, nil): throw EtcdGatewayError.configuration("a client certificate needs its key: set the key file too")
        case (nil, .some): throw EtcdGatewayError.configuration("a client key needs its certificate: set the cert file too")
        default: break
        }
        guard timeout > .zero else { throw EtcdGatewayError.configuration("the etcd request timeout must be positive") }
    }

    /// The endpoint as printed in results: its URL without a trailing slash.
    static func display(_ url: URL) -> String {
        var s = url.absoluteString
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }
}
