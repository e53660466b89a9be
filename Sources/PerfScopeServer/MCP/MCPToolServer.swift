import Foundation
import Logging
import MCP
import PerfScopeAgent
import PerfScopeCore

/// The tool registry as an MCP server: `tools/list` from the registry's declarations and JSON
/// Schemas, `tools/call` runs the tool and returns a short text summary plus structured JSON.
/// A failing tool is an MCP tool error (`isError: true`) carrying the CLI's one-line message,
/// so the session keeps serving.
public enum MCPToolServer {
    /// A server with the tool handlers installed (not started).
    public static func make(registry: ToolRegistry, context: ToolContext, inFlight: InFlightCalls = InFlightCalls()) async -> Server {
        let server = Server(
            name: "perfscope", version: PerfScopeVersion.current, title: "perfscope",
            instructions: "Explains why an etcd cluster and its hosts are slow, from Prometheus data. Start with generate_etcd_performance_report or get_etcd_bottleneck_analysis; results are bounded (top_k, detail=summary) unless detail=full.",
            capabilities: Server.Capabilities(tools: .init(listChanged: false)))
        let tools = registry.tools.map { t in
            Tool(name: t.name, title: t.title, description: t.description, inputSchema: mcpValue(t.inputSchema),
                 annotations: .init(title: t.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false))
        }
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: tools) }
        await server.withMethodHandler(CallTool.self) { params in
            await inFlight.begin()
            defer { Task { await inFlight.end() } }
            return await call(registry: registry, context: context, name: params.name, arguments: params.arguments ?? [:])
        }
        return server
    }

    /// Serves on stdin/stdout until stdin closes, then finishes the calls still running so
    /// their replies are not lost.
    public static func serveStdio(registry: ToolRegistry, context: ToolContext) async throws {
        let inFlight = InFlightCalls()
        let server = await make(registry: registry, context: context, inFlight: inFlight)
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
        await inFlight.drain()
        try? await Task.sleep(for: .milliseconds(100))
        await server.stop()
    }

    static func call(registry: ToolRegistry, context: ToolContext, name: String, arguments: [String: Value]) async -> CallTool.Result {
        do {
            let args = try arguments.mapValues(jsonValue)
            let output = try await registry.call(name, arguments: args, context: context)
            return .init(content: [.text(text: output.summary, annotations: nil, _meta: nil)], structuredContent: Optional<Value>.some(mcpValue(output.structured)), isError: false)
        } catch {
            return .init(content: [.text(text: ToolErrors.message(error), annotations: nil, _meta: nil)], isError: true)
        }
    }

    /// Both types are plain JSON: convert through their Codable forms.
    static func mcpValue(_ v: JSONValue) -> Value {
        (try? JSONDecoder().decode(Value.self, from: JSONEncoder().encode(v))) ?? .null
    }

    static func jsonValue(_ v: Value) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(v))
    }
}

/// Counts tool calls still running, so a stdio server whose input closed finishes its replies
/// before the process exits (the SDK handles each request in its own task).
public actor InFlightCalls {
    var count = 0
    public init() {}
    public func begin() { count += 1 }
    public func end() { count -= 1 }
    public func drain(timeout: Duration = .seconds(120)) async {
        let deadline = ContinuousClock.now + timeout
        while count > 0, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    }
}
