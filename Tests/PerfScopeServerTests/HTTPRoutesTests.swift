import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PerfScopeAgent
import PerfScopeCollect
import PerfScopeCore
import PerfScopeServer
import PrometheusAPI
import Testing

/// `/healthz`, `/api/tools` and the bearer token, through the router (no socket).
@Suite struct HTTPRoutesTests {
    static func runtime(prometheus: String = "http://127.0.0.1:1") throws -> AnalysisRuntime {
        let config = PerfScopeConfig()
        return AnalysisRuntime(config: config, catalog: try AnalysisRuntime.catalog(config: config, environment: [:]),
                               prometheus: PrometheusConfiguration(url: try PrometheusConfiguration.parseURL(prometheus), timeout: .seconds(3)),
                               logger: Logger(label: "test"))
    }

    static func app(token: String? = nil, prometheus: String = "http://127.0.0.1:1") throws -> some ApplicationProtocol {
        let context = ToolContext(runtime: try runtime(prometheus: prometheus))
        let sessions = MCPHTTPSessions(registry: .standard, context: context, loopbackOnly: true, logger: Logger(label: "test"))
        return Application(router: PerfScopeHTTPServer.router(registry: .standard, context: context, sessions: sessions, token: token))
    }

    static func json(_ buffer: ByteBuffer) throws -> JSONValue { try JSONValue.parse(String(buffer: buffer)) }

    @Test func healthAndToolList() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { r in
                #expect(r.status == .ok)
                let body = try Self.json(r.body)
                #expect(body.object?["status"] == .string("ok"))
            }
            try await client.execute(uri: "/api/tools", method: .get) { r in
                #expect(r.status == .ok && r.headers[.contentType] == "application/json")
                let names = try Self.json(r.body).array?.compactMap { $0.object?["name"]?.string } ?? []
                #expect(names == ToolRegistry.standard.tools.map(\.name))
            }
        }
    }

    /// Same error types, same statuses and one-line messages as the CLI and MCP.
    @Test(arguments: [
        ("/api/tools/no_such_tool", "{}", 400, "unknown tool no_such_tool"),
        ("/api/tools/analyze_use_method", #"{"duration": "10 parsecs"}"#, 400, "invalid duration"),
        ("/api/tools/analyze_use_method", "[1, 2]", 400, "JSON object"),
        ("/api/tools/analyze_use_method", "{not json", 400, "not valid JSON"),
        ("/api/tools/get_server_health", "", 502, "127.0.0.1:1"),
        // Issue 16: these killed the server (a trapping Int conversion).
        ("/api/tools/list_metrics", #"{"top_k":1e300}"#, 400, "invalid top_k 1e+300"),
        ("/api/tools/list_metrics", #"{"top_k":9223372036854775808}"#, 400, "invalid top_k"),
        ("/api/tools/list_metrics", #"{"top_k":"nan"}"#, 400, "invalid top_k"),
        ("/api/tools/list_metrics", #"{"top_k":1e400}"#, 400, "not valid JSON"),
        ("/api/tools/list_metrics", String(repeating: "[", count: 100_000), 400, "nested deeper than 64"),
        ("/api/tools/list_metrics", "{\"search\": \"" + String(repeating: "a", count: 2 << 20) + "\"}", 413, "too large"),
        ("/api/tools/" + String(repeating: "x", count: 5000), "{}", 400, "unknown tool (a name of 5000 characters"),
    ] as [(String, String, Int, String)])
    func errorsMapLikeTheCLI(uri: String, body: String, status: Int, text: String) async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)) { r in
                #expect(Int(r.status.code) == status)
                let message = try Self.json(r.body).object?["error"]?.string ?? ""
                #expect(message.contains(text) && !message.contains("\n"), "\(message)")
            }
        }
    }

    @Test func tokenIsRequiredWhenSet() async throws {
        try await Self.app(token: "s3cret").test(.router) { client in
            try await client.execute(uri: "/api/tools", method: .get) { r in
                #expect(r.status == .unauthorized && r.headers[.wwwAuthenticate] == "Bearer")
            }
            try await client.execute(uri: "/api/tools", method: .get, headers: [.authorization: "Bearer wrong"]) { r in
                #expect(r.status == .unauthorized)
            }
            try await client.execute(uri: "/api/tools", method: .get, headers: [.authorization: "Bearer s3cret"]) { r in
                #expect(r.status == .ok)
            }
            try await client.execute(uri: "/mcp", method: .post, body: ByteBuffer(string: "{}")) { r in
                #expect(r.status == .unauthorized)
            }
            try await client.execute(uri: "/healthz", method: .get) { r in #expect(r.status == .ok) }
        }
    }

    @Test func mcpWithoutSessionIsABadRequest() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/mcp", method: .post, headers: [.contentType: "application/json", .accept: "application/json, text/event-stream"],
                                     body: ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#)) { r in
                #expect(r.status == .badRequest)
            }
        }
    }

    @Test func nonLoopbackNeedsAToken() {
        #expect(throws: PerfScopeError.self) { try ServerConfiguration(host: "0.0.0.0", port: 8080).validate() }
        #expect(throws: Never.self) { try ServerConfiguration(host: "0.0.0.0", port: 8080, token: "t").validate() }
        #expect(throws: Never.self) { try ServerConfiguration(host: "127.0.0.1", port: 0).validate() }
    }
}
