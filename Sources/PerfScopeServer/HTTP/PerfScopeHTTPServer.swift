import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import MCP
import PerfScopeAgent
import PerfScopeCore

/// `perfscope serve`: the tool registry over HTTP (`/api/tools`), MCP streamable HTTP (`/mcp`),
/// chat, run history and health routes, on Hummingbird. Same tools, same one-line errors, same
/// status mapping as the CLI.
public enum PerfScopeHTTPServer {
    public typealias Context = BasicRequestContext

    /// `loopbackOnly`: the server listens on loopback, so `Host` must name loopback too
    /// (`RequestGuardMiddleware`); cross-site `Origin`s and non-JSON POSTs are refused either way.
    public static func router(registry: ToolRegistry, context: ToolContext, sessions: MCPHTTPSessions, token: String?,
                              agent: (any ChatAgent)? = nil, metrics: ServerMetrics = ServerMetrics(), loopbackOnly: Bool = true,
                              logger: Logger = Logger(label: "perfscope.server")) -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: RequestGuardMiddleware(loopbackOnly: loopbackOnly))
        router.add(middleware: BearerAuthMiddleware(token: token))
        router.add(middleware: RequestGuardMiddleware(loopbackOnly: loopbackOnly, bodies: true))
        let agent = agent ?? OfflineAgent(registry: registry, context: context)
        let conversations = Conversations(agent: agent, context: context, logger: logger)
        ChatRoutes.add(to: router, agent: agent, conversations: conversations)
        UIRoutes.add(to: router)
        ConversationRoutes.add(to: router, conversations: conversations)
        RunRoutes.add(to: router, registry: registry, context: context)
        HealthRoutes.add(to: router, registry: registry, context: context, sessions: sessions, metrics: metrics)
        router.get("/healthz") { _, _ in
            json(.object(["status": .string("ok"), "version": .string(PerfScopeVersion.current)]))
        }
        router.get("/api/tools") { _, _ in
            json(.array(registry.tools.map { t in
                .object(["name": .string(t.name), "title": .string(t.title), "description": .string(t.description), "inputSchema": t.inputSchema])
            }))
        }
        router.post("/api/tools/:name") { request, requestContext -> Response in
            let name = requestContext.parameters.get("name") ?? ""
            do {
                let body = try await request.body.collect(upTo: 1 << 20)
                let text = String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
                let arguments: [String: JSONValue]
                if text.isEmpty { arguments = [:] } else {
                    guard let object = try JSONValue.parse(text).object else {
                        throw PerfScopeError.invalidInput("the request body must be a JSON object of arguments, like {\"duration\": \"1h\"}")
                    }
                    arguments = object
                }
                let output = try await registry.call(name, arguments: arguments, context: context)
                metrics.toolCall(registry.tools.contains { $0.name == name } ? name : "unknown", outcome: "ok")
                return json(.object(["tool": .string(name), "summary": .string(output.summary), "result": output.structured]))
            } catch {
                metrics.toolCall(registry.tools.contains { $0.name == name } ? name : "unknown", outcome: String(ToolErrors.httpStatus(error)))
                return failure(error)
            }
        }
        for method in [HTTPRequest.Method.post, .get, .delete] {
            router.on("/mcp", method: method) { request, _ in
                do {
                    return MCPBridge.response(await sessions.handle(try await MCPBridge.request(request)))
                } catch {
                    return failure(error)
                }
            }
        }
        return router
    }

    /// Serves until the process is stopped. `onListening` gets the bound port (for `--port 0`);
    /// `schedule` runs analyses on a schedule beside the server until it stops.
    public static func run(configuration: ServerConfiguration, registry: ToolRegistry, context: ToolContext, agent: (any ChatAgent)? = nil,
                           schedule: ScheduledAnalysis? = nil, logger: Logger, onListening: @escaping @Sendable (Int) -> Void) async throws {
        try configuration.validate()
        let sessions = MCPHTTPSessions(registry: registry, context: context, loopbackOnly: configuration.isLoopback,
                                       idleTimeout: .milliseconds(CheckedNumber.rounded(configuration.mcpIdleTimeout * 1000) ?? 0),
                                       maxSessions: configuration.maxMCPSessions, logger: logger)
        let metrics = ServerMetrics()
        let app = Application(
            router: router(registry: registry, context: context, sessions: sessions, token: configuration.token, agent: agent, metrics: metrics,
                           loopbackOnly: configuration.isLoopback, logger: logger),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "perfscope"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let schedule { group.addTask { await schedule.loop(metrics: metrics, logger: logger) } }
            try await app.runService()  // returns after a graceful shutdown (SIGTERM/SIGINT)
            group.cancelAll()
        }
        await sessions.closeAll()
    }

    /// The one error envelope: `{"error": "<one line>"}` with the status every front end maps it to.
    static func failure(_ error: any Error) -> Response {
        // A body over a route's cap is a 413, whichever layer noticed it first.
        if error is NIOTooManyBytesError {
            return json(.object(["error": .string("the request body is too large: send less (tool arguments are small JSON objects)")]), status: .contentTooLarge)
        }
        if let http = error as? HTTPError {
            let message = http.status == .contentTooLarge ? "the request body is too large: send less (tool arguments are small JSON objects)"
                : "request refused: HTTP \(http.status.code) \(http.status.reasonPhrase)"
            return json(.object(["error": .string(message)]), status: http.status)
        }
        return json(.object(["error": .string(ToolErrors.message(error))]), status: .init(code: ToolErrors.httpStatus(error)))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.text() + "\n")))
    }
}

/// `Authorization: Bearer <token>` on everything but `/healthz`, when a token is configured.
struct BearerAuthMiddleware<Context: Hummingbird.RequestContext>: RouterMiddleware {
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let open = request.uri.path == "/healthz" || UIRoutes.paths.contains(request.uri.path)
        guard let token, !token.isEmpty, !open else { return try await next(request, context) }
        let given = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
        guard Self.equal(given, token) else {
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.wwwAuthenticate] = "Bearer"
            return Response(status: .unauthorized, headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(["error": .string("missing or wrong bearer token: send Authorization: Bearer <token>")]).text() + "\n")))
        }
        return try await next(request, context)
    }

    /// Constant-time comparison, so the token cannot be guessed byte by byte from timings.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = x.count ^ y.count
        for i in 0..<max(x.count, y.count) { diff |= Int((i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)) }
        return diff == 0
    }
}

/// Hummingbird request/response ↔ the MCP SDK's framework-agnostic HTTP types.
enum MCPBridge {
    static func request(_ request: Request) async throws -> MCP.HTTPRequest {
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = headers[field.name.canonicalName].map { $0 + ", " + field.value } ?? field.value
        }
        // Hummingbird keeps Host as the request authority, not a header: the SDK's origin check needs it.
        if let authority = request.head.authority { headers["host"] = authority }
        let body = try await request.body.collect(upTo: 4 << 20)
        // The SDK's decoder recurses: refuse deep nesting before it sees the body.
        if JSONValue.exceedsDepth(body.readableBytesView, limit: JSONValue.maxDepth) {
            throw PerfScopeError.invalidInput("the JSON-RPC body is nested deeper than \(JSONValue.maxDepth) levels")
        }
        return MCP.HTTPRequest(method: request.method.rawValue, headers: headers,
                               body: body.readableBytes > 0 ? Data(body.readableBytesView) : nil, path: request.uri.path)
    }

    static func response(_ response: MCP.HTTPResponse) -> Response {
        var headers = HTTPFields()
        for (name, value) in response.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let status = HTTPResponse.Status(code: response.statusCode)
        if case .stream(let stream, _) = response {
            return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: stream.map { ByteBuffer(bytes: $0) }))
        }
        let body = response.bodyData.map { ByteBuffer(bytes: $0) } ?? ByteBuffer()
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}
