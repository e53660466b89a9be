import Foundation
import PerfScopeCore

/// Everything that can go wrong talking to Prometheus, one line each, with what to do.
///
/// The Prometheus error envelope's `errorType` (`bad_data`, `execution`, `timeout`,
/// `canceled`, `unavailable`, `not_found`, `internal`) maps to its own case so callers can
/// tell a PromQL typo from an overloaded server.
public struct PrometheusError: UserFacingError, Equatable {
    private enum Code: String, Equatable, Sendable {
        case badData = "bad_data", execution, timeout, canceled, unavailable, notFound = "not_found", `internal`
        case unknownAPIError = "api_error", unreachable, requestTimeout = "request_timeout", httpStatus = "http_status"
        case unauthorized, decoding, invalidURL = "invalid_url", configuration, tooLarge = "too_large"
    }

    private let code: Code
    public let message: String
    /// The raw `errorType` from the envelope when Prometheus sent one.
    public let errorType: String?
    /// HTTP status when one was received.
    public let status: Int?

    private init(_ code: Code, _ message: String, errorType: String? = nil, status: Int? = nil) {
        self.code = code
        self.message = message
        self.errorType = errorType
        self.status = status
    }

    public var kind: ErrorKind {
        switch code {
        case .badData: .invalidInput
        case .notFound: .notFound
        case .unreachable, .requestTimeout, .timeout, .unavailable, .canceled: .upstreamUnavailable
        case .execution, .internal, .unknownAPIError, .httpStatus, .unauthorized, .decoding: .upstreamFailed
        case .invalidURL, .tooLarge: .invalidInput
        case .configuration: .configuration
        }
    }

    /// A short fixed label for the failure (`bad_data`, `unreachable`, `unauthorized` …), for
    /// error envelopes and tests; the Prometheus `errorType` when the server sent one.
    public var label: String { code.rawValue }

    /// Builds the error for a Prometheus error envelope.
    static func api(errorType: String, error: String, status: Int?, url: String) -> PrometheusError {
        let detail = Self.oneLine(error)
        switch errorType {
        case "bad_data":
            return .init(.badData, "Prometheus rejected the query (bad_data): \(detail) — check the PromQL", errorType: errorType, status: status)
        case "execution":
            return .init(.execution, "Prometheus failed to execute the query (execution): \(detail) — narrow the query or the window", errorType: errorType, status: status)
        case "timeout":
            return .init(.timeout, "Prometheus timed out evaluating the query (timeout): \(detail) — shorten the window or raise the server's query timeout", errorType: errorType, status: status)
        case "canceled":
            return .init(.canceled, "Prometheus canceled the query (canceled): \(detail) — retry; the server may be shutting down or overloaded", errorType: errorType, status: status)
        case "unavailable":
            return .init(.unavailable, "Prometheus at \(url) is unavailable (unavailable): \(detail) — wait until it is ready and retry", errorType: errorType, status: status)
        case "not_found":
            return .init(.notFound, "Prometheus at \(url) has no such endpoint (not_found): \(detail) — check the URL path prefix", errorType: errorType, status: status)
        case "internal":
            return .init(.internal, "Prometheus reported an internal error (internal): \(detail) — check the server's logs", errorType: errorType, status: status)
        default:
            return .init(.unknownAPIError, "Prometheus returned an error (\(errorType)): \(detail)", errorType: errorType, status: status)
        }
    }

    static func unreachable(url: String, reason: String) -> PrometheusError {
        .init(.unreachable, "cannot reach Prometheus at \(url): \(reason) (set --prometheus or PERFSCOPE_PROMETHEUS_URL)")
    }

    static func requestTimeout(url: String, seconds: Double) -> PrometheusError {
        .init(.requestTimeout, "no answer from Prometheus at \(url) within \(Int(seconds)) s — raise --timeout or shorten the window")
    }

    static func httpStatus(_ status: Int, url: String, body: String) -> PrometheusError {
        if status == 401 || status == 403 {
            return .init(.unauthorized, "Prometheus at \(url) refused the credentials (HTTP \(status)) — check --token/--token-file or basic auth", status: status)
        }
        let snippet = oneLine(body).prefix(160)
        return .init(.httpStatus, "Prometheus at \(url) answered HTTP \(status)\(snippet.isEmpty ? "" : ": \(snippet)") — is this a Prometheus API URL?", status: status)
    }

    static func tooLarge(url: String, limit: Int) -> PrometheusError {
        .init(.tooLarge, "the answer from \(url) is larger than \(limit >> 20) MiB: narrow the query (a selector, an aggregation, a shorter window)")
    }

    static func decoding(url: String, what: String) -> PrometheusError {
        .init(.decoding, "unexpected answer from \(url): \(what) — is this a Prometheus-compatible API?")
    }

    public static func invalidURL(_ text: String) -> PrometheusError {
        // Never echo credentials: drop anything between "://" and "@".
        var shown = text
        if let scheme = shown.range(of: "://"), let at = shown[scheme.upperBound...].firstIndex(of: "@") {
            shown.replaceSubrange(scheme.upperBound...at, with: "***@")
        }
        return .init(.invalidURL, "invalid Prometheus URL \"\(shown)\": use http(s)://host:port, e.g. http://127.0.0.1:9090")
    }

    public static func configuration(_ message: String) -> PrometheusError { .init(.configuration, message) }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
