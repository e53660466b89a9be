import Foundation
import PerfScopeCore

/// Everything that can go wrong talking to Grafana or reading a dashboard, one line each, with
/// what to do. A struct over a private enum with short fixed labels, like `PrometheusError`.
public struct GrafanaError: UserFacingError, Equatable {
    private enum Code: String, Equatable, Sendable {
        case unreachable, requestTimeout = "request_timeout", httpStatus = "http_status", unauthorized
        case notFound = "not_found", decoding, invalidURL = "invalid_url", configuration, missingURL = "missing_url"
        case unreadableFile = "unreadable_file"
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
        case .unreachable, .requestTimeout: .upstreamUnavailable
        case .httpStatus, .unauthorized, .decoding: .upstreamFailed
        case .notFound: .notFound
        case .invalidURL, .missingURL, .unreadableFile: .invalidInput
        case .configuration: .configuration
        }
    }

    /// A short fixed label (`unreachable`, `unauthorized`, `not_found` …) for envelopes and tests.
    public var label: String { code.rawValue }

    static func unreachable(url: String, reason: String) -> GrafanaError {
        .init(.unreachable, "cannot reach Grafana at \(url): \(reason) (set --grafana-url or PERFSCOPE_GRAFANA_URL)")
    }

    static func requestTimeout(url: String, seconds: Double) -> GrafanaError {
        .init(.requestTimeout, "no answer from Grafana at \(url) within \(Int(seconds)) s — check the URL or raise --timeout")
    }

    static func httpStatus(_ status: Int, url: String, path: String, body: String) -> GrafanaError {
        let detail = grafanaMessage(body)
        if status == 401 || status == 403 {
            return .init(.unauthorized, "Grafana at \(url) refused the credentials (HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")) — check --grafana-token (PERFSCOPE_GRAFANA_TOKEN) or --grafana-user/--grafana-password; a service-account token needs the Viewer role", status: status)
        }
        return .init(.httpStatus, "Grafana at \(url) answered HTTP \(status) to \(path)\(detail.isEmpty ? "" : ": \(detail)") — is this the Grafana base URL (with its sub-path)?", status: status)
    }

    static func dashboardNotFound(uid: String, url: String) -> GrafanaError {
        .init(.notFound, "Grafana at \(url) has no dashboard with uid \"\(uid)\" — list them with perfscope grafana list", status: 404)
    }

    static func decoding(url: String, what: String) -> GrafanaError {
        .init(.decoding, "unexpected answer from \(url): \(what) — is this a Grafana URL?")
    }

    public static func invalidURL(_ text: String) -> GrafanaError {
        var shown = text
        if let scheme = shown.range(of: "://"), let at = shown[scheme.upperBound...].firstIndex(of: "@") {
            shown.replaceSubrange(scheme.upperBound...at, with: "***@")
        }
        return .init(.invalidURL, "invalid Grafana URL \"\(shown)\": use http(s)://host:port[/path], e.g. http://127.0.0.1:3000")
    }

    public static func missingURL(uid: String) -> GrafanaError {
        .init(.missingURL, "\"\(uid)\" is not a file, so it is taken as a dashboard UID: give --grafana-url (or PERFSCOPE_GRAFANA_URL), or a path to a dashboard JSON file")
    }

    public static func unreadableFile(_ path: String) -> GrafanaError {
        .init(.unreadableFile, "cannot read dashboard file \(path): check the path and its permissions")
    }

    public static func configuration(_ message: String) -> GrafanaError { .init(.configuration, message) }

    /// Grafana's error body is `{"message": "…"}`; else the body's first line.
    static func grafanaMessage(_ body: String) -> String {
        if let data = body.data(using: .utf8),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let message = object["message"] as? String {
            return oneLine(message)
        }
        return String(oneLine(body).prefix(160))
    }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// A short reason for a transport failure, without NIO's type names.
    static func reason(_ error: any Error) -> String {
        let lowered = String(describing: error).lowercased()
        if lowered.contains("connection refused") || lowered.contains("econnrefused") || lowered.contains("errno: 111") { return "connection refused" }
        if lowered.contains("connecttimeout") || lowered.contains("connect timeout") { return "connection timed out" }
        if lowered.contains("lookup") || lowered.contains("resolve") || lowered.contains("nodename") || lowered.contains("dns") { return "host name not resolved" }
        if lowered.contains("certificate") || lowered.contains("handshake") || lowered.contains("ssl") || lowered.contains("tls") {
            return "TLS handshake failed (use --grafana-ca-file for a private CA)"
        }
        if lowered.contains("remoteconnectionclosed") || lowered.contains("connection reset") { return "connection closed by the server" }
        return String(oneLine(String(describing: error)).prefix(120))
    }
}
