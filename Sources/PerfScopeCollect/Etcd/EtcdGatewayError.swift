import Foundation
import PerfScopeCore

/// Everything that can go wrong talking to etcd's v3 JSON gateway, one line each, with what to do.
///
/// A failing endpoint is not an error of the collection: it is recorded in that endpoint's
/// `EndpointStatus.errors`. Only `noEndpointAnswered` (and configuration problems) are thrown.
public struct EtcdGatewayError: UserFacingError, Equatable {
    private enum Code: String, Equatable, Sendable {
        case unreachable, requestTimeout = "request_timeout", httpStatus = "http_status", unauthorized
        case notFound = "not_found", decoding, invalidEndpoint = "invalid_endpoint", configuration
        case noEndpointAnswered = "no_endpoint_answered"
    }

    private let code: Code
    public let message: String
    /// HTTP status when one was received.
    public let status: Int?

    private init(_ code: Code, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var kind: ErrorKind {
        switch code {
        case .unreachable, .requestTimeout, .noEndpointAnswered: .upstreamUnavailable
        case .httpStatus, .unauthorized, .decoding: .upstreamFailed
        case .notFound: .notFound
        case .invalidEndpoint: .invalidInput
        case .configuration: .configuration
        }
    }

    /// A short fixed label for the failure (`unreachable`, `http_status`, `no_endpoint_answered` …).
    public var label: String { code.rawValue }

    static func unreachable(endpoint: String, reason: String) -> EtcdGatewayError {
        .init(.unreachable, "cannot reach etcd at \(endpoint): \(reason)")
    }

    static func requestTimeout(endpoint: String, path: String, timeout: Duration) -> EtcdGatewayError {
        .init(.requestTimeout, "no answer from etcd at \(endpoint) to \(path) within \(EtcdGatewayError.seconds(timeout)) — the member may be overloaded; raise the timeout")
    }

    static func httpStatus(_ status: Int, endpoint: String, path: String, body: String) -> EtcdGatewayError {
        let detail = gatewayMessage(body)
        if status == 401 || status == 403 || detail.lowercased().contains("permission denied") || detail.lowercased().contains("user name is empty") {
            return .init(.unauthorized, "etcd at \(endpoint) refused \(path) (HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")) — with auth enabled use a client certificate (cert/key) of a permitted user", status: status)
        }
        if detail.contains("HTTP request to an HTTPS server") {
            return .init(.httpStatus, "etcd at \(endpoint) serves TLS: use https:// in the endpoint", status: status)
        }
        return .init(.httpStatus, "etcd at \(endpoint) answered HTTP \(status) to \(path)\(detail.isEmpty ? "" : ": \(detail)")", status: status)
    }

    static func notFound(endpoint: String, path: String) -> EtcdGatewayError {
        .init(.notFound, "etcd at \(endpoint) has no v3 JSON gateway (HTTP 404 on /v3\(path) and /v3beta\(path)) — is this an etcd client URL of etcd 3.3 or later?", status: 404)
    }

    static func decoding(endpoint: String, path: String, body: String) -> EtcdGatewayError {
        let snippet = oneLine(body).prefix(120)
        return .init(.decoding, "unexpected answer from \(endpoint) to \(path)\(snippet.isEmpty ? " (empty body)" : ": \(snippet)") — is this an etcd client URL?")
    }

    public static func invalidEndpoint(_ text: String) -> EtcdGatewayError {
        .init(.invalidEndpoint, "invalid etcd endpoint \"\(text)\": use http(s)://host:port, e.g. https://10.0.0.1:2379")
    }

    public static func configuration(_ message: String) -> EtcdGatewayError { .init(.configuration, message) }

    static func noEndpointAnswered(_ endpoints: [String], firstReason: String?) -> EtcdGatewayError {
        let list = endpoints.joined(separator: ", ")
        let reason = firstReason.map { " (\($0))" } ?? ""
        return .init(.noEndpointAnswered, "no etcd endpoint answered: \(list)\(reason) — check --endpoints and the TLS flags (CA, client cert/key, https://)")
    }

    // MARK: Helpers

    /// The text of a grpc-gateway error body (`{"error":…,"message":…,"code":…}`), else the body on one line.
    static func gatewayMessage(_ body: String) -> String {
        if let data = body.data(using: .utf8),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let message = object["message"] as? String, !message.isEmpty { return oneLine(message) }
            if let error = object["error"] as? String, !error.isEmpty { return oneLine(error) }
        }
        return String(oneLine(body).prefix(160))
    }

    /// A short reason for a transport failure, without NIO's type names. `tls`: the endpoint is https.
    static func reason(_ error: any Error, tls: Bool = false) -> String {
        let text = String(describing: error)
        let lowered = text.lowercased()
        if lowered.contains("connection refused") || lowered.contains("econnrefused") || lowered.contains("errno: 111") { return "connection refused" }
        if lowered.contains("connecttimeout") || lowered.contains("connect timeout") { return "connection timed out" }
        if lowered.contains("lookup") || lowered.contains("resolve") || lowered.contains("nodename") || lowered.contains("dns") { return "host name not resolved" }
        if lowered.contains("certificate required") || lowered.contains("certificate_required") || lowered.contains("sslv3_alert_bad_certificate") || lowered.contains("alert bad certificate") {
            return "TLS handshake failed: the server wants a client certificate (set cert and key)"
        }
        if lowered.contains("certificate") || lowered.contains("handshake") || lowered.contains("ssl") || lowered.contains("tls") {
            return "TLS handshake failed (set the CA file for a private CA, or check the client cert/key)"
        }
        if lowered.contains("remoteconnectionclosed") || lowered.contains("connection reset") || lowered.contains("connection closed") {
            // TLS 1.3 clients learn that a client certificate was required only when the server hangs up.
            return tls ? "connection closed during TLS setup (the server may require a client certificate: set cert and key)"
                       : "connection closed by the server (plain http to a TLS port? use https://)"
        }
        return String(oneLine(text).prefix(120))
    }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    static func seconds(_ d: Duration) -> String {
        let (s, atto) = d.components
        let value = Double(s) + Double(atto) / 1e18
        return CheckedNumber.int(value).map { "\($0) s" } ?? String(format: "%.1f s", value)
    }
}
