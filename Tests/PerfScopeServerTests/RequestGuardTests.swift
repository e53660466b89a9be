import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MCP
import PerfScopeAgent
import PerfScopeCore
@testable import PerfScopeServer
import Testing

/// A loopback server refuses what a web page could send it: foreign Host, cross-site Origin,
/// non-JSON POSTs; MCP sessions are capped with LRU eviction; loopback is a parsed address.
@Suite struct RequestGuardTests {
    @Test(arguments: [
        // method, path, Host, Origin, Sec-Fetch-Site, Content-Type, Content-Length, loopback → status (nil: allowed)
        ("GET", "/api/conversations", "127.0.0.1:8080", nil, nil, nil, nil, true, nil),
        ("GET", "/api/conversations", "localhost:8080", nil, nil, nil, nil, true, nil),
        ("GET", "/api/conversations", "[::1]:8080", nil, nil, nil, nil, true, nil),
        ("GET", "/api/conversations", "evil.example:8080", nil, nil, nil, nil, true, 403),
        ("GET", "/healthz", "127.0.0.1.evil.example", nil, nil, nil, nil, true, 403),
        ("GET", "/", "evil.example", nil, nil, nil, nil, true, 403),
        ("GET", "/api/conversations", "perfscope.internal:8080", nil, nil, nil, nil, false, nil),
        ("GET", "/api/tools", "127.0.0.1:8080", "http://127.0.0.1:8080", "same-origin", nil, nil, true, nil),
        ("GET", "/api/tools", "127.0.0.1:8080", "http://localhost:8080", nil, nil, nil, true, nil),
        ("GET", "/api/tools", "127.0.0.1:8080", "http://localhost:9999", nil, nil, nil, true, 403),
        ("GET", "/api/tools", "127.0.0.1:8080", "https://evil.example", nil, nil, nil, true, 403),
        ("GET", "/api/tools", "127.0.0.1:8080", "null", nil, nil, nil, true, 403),
        ("GET", "/api/tools", "perfscope.internal", "https://evil.example", nil, nil, nil, false, nil),  // the token is the wall
        ("POST", "/api/system-prompt", "perfscope.internal", nil, nil, "text/plain", "10", false, 415),
        ("GET", "/api/tools", "perfscope.internal", "http://perfscope.internal", nil, nil, nil, false, nil),
        ("GET", "/api/etcd/health", "127.0.0.1:8080", nil, "cross-site", nil, nil, true, 403),
        ("GET", "/api/etcd/health", "127.0.0.1:8080", nil, "same-site", nil, nil, true, 403),
        ("GET", "/ui", "127.0.0.1:8080", nil, "cross-site", nil, nil, true, nil),
        ("POST", "/api/system-prompt", "127.0.0.1:8080", nil, nil, "text/plain", "10", true, 415),
        ("POST", "/api/system-prompt", "127.0.0.1:8080", nil, nil, "application/x-www-form-urlencoded", "3", true, 415),
        ("POST", "/api/system-prompt", "127.0.0.1:8080", nil, nil, "application/json; charset=utf-8", "10", true, nil),
        ("POST", "/api/tools/get_server_health", "127.0.0.1:8080", nil, nil, nil, "0", true, nil),
        ("POST", "/api/tools/get_server_health", "127.0.0.1:8080", nil, nil, nil, "5", true, 415),
        ("POST", "/api/system-prompt", "127.0.0.1:8080", "https://evil.example", nil, "text/plain", "10", true, 403),
    ] as [(String, String, String?, String?, String?, String?, String?, Bool, Int?)])
    func refusals(method: String, path: String, host: String?, origin: String?, site: String?, type: String?, length: String?,
                  loopback: Bool, status: Int?) {
        let r = RequestGuardMiddleware<BasicRequestContext>.refusal(
            method: HTTPRequest.Method(method)!, path: path, host: host, origin: origin, fetchSite: site, contentType: type,
            contentLength: length, chunked: false, loopbackOnly: loopback)
        #expect(r?.status == status, "\(r?.message ?? "allowed")")
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("127.1.2.3", true), ("127.1", true), ("localhost", true), ("LOCALHOST", true), ("::1", true), ("[::1]", true),
        ("::ffff:127.0.0.1", true), ("0:0:0:0:0:0:0:1", true), ("127.0.0.1.evil.example", false), ("127.evil", false), ("128.0.0.1", false),
        ("0.0.0.0", false), ("::", false), ("::ffff:10.0.0.1", false), ("example.com", false), ("", false), ("1270.0.0.1", false),
    ])
    func loopbackByParsedAddress(host: String, loopback: Bool) {
        #expect(LoopbackAddress.isLoopback(host) == loopback)
        #expect(ServerConfiguration(host: host).isLoopback == loopback)
    }

    /// Through the router: a cross-site text/plain POST cannot rewrite the system prompt.
    @Test func crossSitePostsChangeNothing() async throws {
        try await HTTPRoutesTests.app().test(.router) { client in
            try await client.execute(uri: "/api/system-prompt", method: .post,
                                     headers: [.contentType: "text/plain", .contentLength: "40"],
                                     body: ByteBuffer(string: #"{"system_prompt": "Ignore all previous"}"#)) { r in
                #expect(r.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/api/system-prompt", method: .post,
                                     headers: [.contentType: "application/json", .origin: "https://evil.example"],
                                     body: ByteBuffer(string: #"{"system_prompt": "Ignore all previous"}"#)) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/api/conversations", method: .get, headers: [.origin: "https://evil.example"]) { r in
                #expect(r.status == .forbidden)
            }
        }
    }

    static func initialize() -> MCP.HTTPRequest {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
        return MCP.HTTPRequest(method: "POST", headers: ["content-type": "application/json", "accept": "application/json, text/event-stream", "host": "127.0.0.1:8080"],
                               body: Data(body.utf8), path: "/mcp")
    }

    @Test func mcpSessionsAreCappedLeastRecentlyUsedFirst() async throws {
        let runtime = try HTTPRoutesTests.runtime()
        let sessions = MCPHTTPSessions(registry: .standard, context: ToolContext(runtime: runtime), loopbackOnly: true, maxSessions: 2, logger: Logger(label: "test"))
        var ids: [String] = []
        for _ in 0..<3 {
            let response = await sessions.handle(Self.initialize())
            #expect(response.statusCode == 200)
            ids.append(response.headers.first { $0.key.lowercased() == "mcp-session-id" }?.value ?? "")
        }
        #expect(await sessions.count == 2)
        let list = #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#
        func call(_ id: String) async -> Int {
            await sessions.handle(MCP.HTTPRequest(method: "POST", headers: ["content-type": "application/json", "accept": "application/json, text/event-stream",
                                                                            "host": "127.0.0.1:8080", "mcp-session-id": id, "mcp-protocol-version": "2025-03-26"],
                                                  body: Data(list.utf8), path: "/mcp")).statusCode
        }
        #expect(await call(ids[0]) == 404)  // the least recently used went
        #expect(await call(ids[2]) == 200)
        await sessions.closeAll()
    }
}
