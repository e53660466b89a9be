import Foundation
import PerfScopeCore

/// Where and how `perfscope serve` listens. Loopback by default; any other address needs a
/// bearer token, because the tools read the operator's Prometheus and etcd.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Required on every /api and /mcp request when set (`Authorization: Bearer …`).
    public var token: String?
    /// MCP streamable-HTTP sessions kept at once (the least recently used goes first).
    public var maxMCPSessions: Int
    /// An MCP session unused this long (seconds) is closed.
    public var mcpIdleTimeout: Double

    public init(host: String = "127.0.0.1", port: Int = 8080, token: String? = nil,
                maxMCPSessions: Int = MCPHTTPSessions.defaultMaxSessions, mcpIdleTimeout: Double = 1800) {
        self.host = host
        self.port = port
        self.token = token
        self.maxMCPSessions = maxMCPSessions
        self.mcpIdleTimeout = mcpIdleTimeout
    }

    /// By parsed address (`LoopbackAddress`), not by spelling.
    public var isLoopback: Bool { LoopbackAddress.isLoopback(host) }

    /// Throws a configuration error when a non-loopback bind has no token.
    public func validate() throws {
        if !isLoopback, (token ?? "").isEmpty {
            throw PerfScopeError.configuration("refusing to listen on \(host) without a token: set --server-token-file or PERFSCOPE_SERVER_TOKEN (or bind 127.0.0.1)")
        }
        if !(0...65535).contains(port) { throw PerfScopeError.invalidInput("invalid --port \(port): use 1–65535 (0 picks a free port)") }
    }
}
