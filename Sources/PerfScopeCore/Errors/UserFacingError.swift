/// What kind of failure an error is, so every front end (CLI exit codes, HTTP status codes,
/// MCP tool errors) maps the same error the same way without knowing its concrete type.
public enum ErrorKind: String, Sendable, Codable {
    /// The caller gave something we cannot use (bad duration, end before start, bad URL). CLI exit 2, HTTP 400.
    case invalidInput
    /// A configuration or catalog file is wrong. CLI exit 2, HTTP 500.
    case configuration
    /// Something asked for does not exist (run id, dashboard UID). CLI exit 1, HTTP 404.
    case notFound
    /// An upstream (Prometheus, etcd, Grafana) could not be reached or timed out. CLI exit 1, HTTP 503.
    case upstreamUnavailable
    /// An upstream answered but refused or failed the request. CLI exit 1, HTTP 502.
    case upstreamFailed
    /// A bug or an unexpected condition on our side. CLI exit 1, HTTP 500.
    case `internal`
    /// The server's own bounds stopped the work (too many calls at once, a per-call deadline):
    /// retry later or ask for less. CLI exit 1, HTTP 503.
    case busy
}

/// An error a user can act on: one line saying what went wrong and what to do.
///
/// Every error type perfscope throws across a module boundary conforms, so that the CLI,
/// HTTP API and MCP server can print `message` and map `kind` without a type switch.
public protocol UserFacingError: Error, CustomStringConvertible, Sendable {
    var kind: ErrorKind { get }
    /// One line, no trailing period needed, never a stack trace.
    var message: String { get }
}

extension UserFacingError {
    public var description: String { message }
}

/// The general-purpose error of the core: bad input and configuration problems.
///
/// Modelled on AsyncHTTPClient's `HTTPClientError`: a struct over a private enum with short,
/// fixed labels, so new cases do not break callers and messages stay one line.
public struct PerfScopeError: UserFacingError, Equatable {
    private enum Code: String, Equatable, Sendable {
        case invalidInput, configuration, notFound, upstreamUnavailable, upstreamFailed, `internal`, busy
    }

    private let code: Code
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var kind: ErrorKind { ErrorKind(rawValue: code.rawValue) ?? .internal }

    public static func invalidInput(_ message: String) -> PerfScopeError { .init(.invalidInput, message) }
    public static func configuration(_ message: String) -> PerfScopeError { .init(.configuration, message) }
    public static func notFound(_ message: String) -> PerfScopeError { .init(.notFound, message) }
    public static func upstreamUnavailable(_ message: String) -> PerfScopeError { .init(.upstreamUnavailable, message) }
    public static func upstreamFailed(_ message: String) -> PerfScopeError { .init(.upstreamFailed, message) }
    public static func `internal`(_ message: String) -> PerfScopeError { .init(.internal, message) }
    public static func busy(_ message: String) -> PerfScopeError { .init(.busy, message) }
}
