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

/// `/chat`, `/chat/stream` (SSE) and the UI page, through the router with a scripted agent.
@Suite struct ChatRoutesTests {
    struct ScriptedAgent: ChatAgent {
        func answer(_ question: String, emit: @Sendable (ChatEvent) async -> Void) async -> String {
            await emit(.toolCall(name: "get_etcd_bottleneck_analysis", arguments: .object(["duration": .string("1h")])))
            await emit(.toolResult(name: "get_etcd_bottleneck_analysis", summary: "grade good", isError: false))
            await emit(.message("Nothing points "))
            await emit(.message("to a cause."))
            await emit(.messageComplete("Nothing points to a cause. (\(question))"))
            return "Nothing points to a cause. (\(question))"
        }
    }

    static func app() throws -> some ApplicationProtocol {
        let config = PerfScopeConfig()
        let runtime = AnalysisRuntime(config: config, catalog: try AnalysisRuntime.catalog(config: config, environment: [:]),
                                      prometheus: PrometheusConfiguration(url: try PrometheusConfiguration.parseURL("http://127.0.0.1:1")),
                                      logger: Logger(label: "test"))
        let context = ToolContext(runtime: runtime)
        let sessions = MCPHTTPSessions(registry: .standard, context: context, loopbackOnly: true, logger: Logger(label: "test"))
        return Application(router: PerfScopeHTTPServer.router(registry: .standard, context: context, sessions: sessions, token: "t", agent: ScriptedAgent()))
    }

    @Test func streamIsServerSentEventsInOrder() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/chat/stream", method: .post, headers: [.authorization: "Bearer t", .contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"message": "why is etcd slow?"}"#)) { r in
                #expect(r.status == .ok && r.headers[.contentType] == "text/event-stream")
                let events = String(buffer: r.body).components(separatedBy: "\n\n").compactMap { block in
                    block.split(separator: "\n").first { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
                }
                #expect(events == ["tool_call", "tool_result", "message", "message", "message_complete"])
                #expect(String(buffer: r.body).contains(#"why is etcd slow?"#))
            }
        }
    }

    @Test func chatReturnsTheAnswerAndSteps() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/chat", method: .post, headers: [.authorization: "Bearer t", .contentType: "application/json"], body: ByteBuffer(string: #"{"message": "status"}"#)) { r in
                #expect(r.status == .ok)
                let body = try JSONValue.parse(String(buffer: r.body)).object
                #expect(body?["answer"]?.string == "Nothing points to a cause. (status)")
                #expect(body?["events"]?.array?.count == 5)
            }
            try await client.execute(uri: "/chat", method: .post, headers: [.authorization: "Bearer t", .contentType: "application/json"], body: ByteBuffer(string: #"{"text": 1}"#)) { r in
                #expect(r.status == .badRequest)
                let body = try JSONValue.parse(String(buffer: r.body)).object
                #expect(body?["error"]?.string?.contains("message") == true)
            }
            try await client.execute(uri: "/chat", method: .post, body: ByteBuffer(string: #"{"message": "x"}"#)) { r in
                #expect(r.status == .unauthorized)
            }
        }
    }
}
