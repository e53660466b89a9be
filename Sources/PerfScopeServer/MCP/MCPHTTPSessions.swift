import Foundation
import Logging
import MCP
import PerfScopeAgent

/// Streamable HTTP MCP (`/mcp`): one stateful SDK transport and server per session, keyed by
/// `Mcp-Session-Id`. A POST `initialize` without a session creates one; other requests are
/// routed to their session; DELETE ends it; idle sessions expire. At most `maxSessions` live at
/// once: one more evicts the least recently used, so clients that never say DELETE cannot pile
/// up servers for an hour each.
public actor MCPHTTPSessions {
    struct Session {
        let server: Server
        let transport: StatefulHTTPServerTransport
        var lastUsed: ContinuousClock.Instant
    }

    let registry: ToolRegistry
    let context: ToolContext
    let validation: any HTTPRequestValidationPipeline
    let idleTimeout: Duration
    let maxSessions: Int
    let logger: Logger
    var sessions: [String: Session] = [:]

    public static let defaultMaxSessions = 64
    public static let defaultIdleTimeout: Duration = .seconds(1800)

    /// `loopbackOnly`: keep the SDK's DNS-rebinding protection (Host/Origin must be localhost);
    /// off when the server is bound elsewhere behind a bearer token.
    public init(registry: ToolRegistry, context: ToolContext, loopbackOnly: Bool, idleTimeout: Duration = defaultIdleTimeout,
                maxSessions: Int = defaultMaxSessions, logger: Logger) {
        self.registry = registry
        self.context = context
        self.idleTimeout = idleTimeout
        self.maxSessions = max(1, maxSessions)
        self.logger = logger
        self.validation = StandardValidationPipeline(validators: [
            loopbackOnly ? OriginValidator.localhost() : OriginValidator.disabled,
            AcceptHeaderValidator(mode: .sseRequired),
            ContentTypeValidator(),
            ProtocolVersionValidator(),
            SessionValidator(),
        ])
    }

    public var count: Int { sessions.count }

    public func handle(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        expire()
        if let id = request.header(HTTPHeaderName.sessionID), var session = sessions[id] {
            session.lastUsed = .now
            sessions[id] = session
            let response = await session.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 {
                sessions[id] = nil
                await session.server.stop()
            }
            return response
        }
        if request.method.uppercased() == "POST", let body = request.body, Self.isInitialize(body) {
            return await create(request)
        }
        if request.header(HTTPHeaderName.sessionID) != nil {
            return .error(statusCode: 404, .invalidRequest("Not Found: session not found or expired — initialize a new one"))
        }
        return .error(statusCode: 400, .invalidRequest("Bad Request: missing \(HTTPHeaderName.sessionID) header (send initialize first)"))
    }

    /// A JSON-RPC `initialize` request (alone or in a batch).
    static func isInitialize(_ body: Data) -> Bool {
        guard let json = try? JSONSerialization.jsonObject(with: body) else { return false }
        let messages = (json as? [[String: Any]]) ?? [(json as? [String: Any]) ?? [:]]
        return messages.contains { $0["method"] as? String == "initialize" && $0["id"] != nil }
    }

    func create(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        while sessions.count >= maxSessions, let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            sessions[oldest.key] = nil
            logger.info("mcp session evicted (least recently used)", metadata: ["cap": "\(maxSessions)"])
            await oldest.value.server.stop()
        }
        let id = UUID().uuidString
        let transport = StatefulHTTPServerTransport(sessionIDGenerator: FixedSessionID(id: id), validationPipeline: validation, logger: logger)
        let server = await MCPToolServer.make(registry: registry, context: context)
        do {
            try await server.start(transport: transport)
        } catch {
            return .error(statusCode: 500, .internalError("cannot start the MCP session: \(error)"))
        }
        sessions[id] = Session(server: server, transport: transport, lastUsed: .now)
        let response = await transport.handleRequest(request)
        if case .error = response {
            sessions[id] = nil
            await server.stop()
        }
        logger.info("mcp session", metadata: ["sessions": "\(sessions.count)"])
        return response
    }

    func expire() {
        let now = ContinuousClock.now
        for (id, s) in sessions where now - s.lastUsed > idleTimeout {
            sessions[id] = nil
            Task { await s.server.stop() }
        }
    }

    public func closeAll() async {
        for s in sessions.values { await s.server.stop() }
        sessions = [:]
    }

    struct FixedSessionID: SessionIDGenerator {
        let id: String
        func generateSessionID() -> String { id }
    }
}
