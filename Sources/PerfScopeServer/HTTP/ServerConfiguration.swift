import Foundation
import PerfScopeCore

/// Where and how `perfscope serve` listens. Loopback by default; any other address needs a
/// bearer token, because the tools read the operator's Prometheus and etcd.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Required on every /api and /mcp request when set (`Authorization: Bearer …`).
    public var token: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, token: String? = nil) {
        self.host = host
        self.port = port
        self.token = token
    }

    public var isLoopback: Bool { ["127.0.0.1", "localhost", "::1"].contains(host) || host.hasPrefix("127.") }

    /// Throws a configuration error when a non-loopback bind has no token.
    public func validate() throws {
        if !isLoopback, (token ?? "").isEmpty {
            throw PerfScopeError.configuration("refusing to listen on \(host) without a token: set --server-token-file or PERFSCOPE_SERVER_TOKEN (or bind 127.0.0.1)")
        }
        if !(0...65535).contains(port) { throw PerfScopeError.invalidInput("invalid --port \(port): use 1–65535 (0 picks a free port)") }
    }
}
