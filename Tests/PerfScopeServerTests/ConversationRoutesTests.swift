import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PerfScopeAgent
import PerfScopeCollect
import PerfScopeCore
import PerfScopeServer
import PerfScopeStore
import PrometheusAPI
import Testing

/// Kept conversations and system prompts: the agent gets a conversation's earlier turns and its
/// prompt, both survive a new server on the same history file, and every route maps errors the
/// same way (bad input 400, unknown conversation 404).
@Suite struct ConversationRoutesTests {
    /// Remembers what it was given; answers with how many earlier turns it saw.
    actor Seen {
        var calls: [(history: [ChatTurn], prompt: String?)] = []
        func add(_ h: [ChatTurn], _ p: String?) { calls.append((h, p)) }

        actor Log {
            var texts: [String] = []
            func add(_ e: ChatEvent) { if case .message(let t) = e { texts.append(t) } }
        }

        actor Box {
            var value = ""
            func set(_ v: String) { value = v }
        }
    }

    struct RecordingAgent: ChatAgent {
        let seen: Seen
        var usesSystemPrompt: Bool { true }
        func answer(_ question: String, emit: @Sendable (ChatEvent) async -> Void) async -> String {
            await answer(question, history: [], systemPrompt: nil, emit: emit)
        }
        func answer(_ question: String, history: [ChatTurn], systemPrompt: String?, emit: @Sendable (ChatEvent) async -> Void) async -> String {
            await seen.add(history, systemPrompt)
            await emit(.toolCall(name: "get_etcd_cluster_status", arguments: .object([:])))
            await emit(.toolResult(name: "get_etcd_cluster_status", summary: "3 members", isError: false,
                                   result: .object(["members": .array([.object(["name": .string("m1")])])])))
            let text = "answer \(history.count / 2 + 1) to \(question)"
            await emit(.messageComplete(text))
            return text
        }
    }

    static func withApp(store path: String?, seen: Seen = Seen(), _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let config = PerfScopeConfig()
        let runtime = AnalysisRuntime(config: config, catalog: try AnalysisRuntime.catalog(config: config, environment: [:]),
                                      prometheus: PrometheusConfiguration(url: try PrometheusConfiguration.parseURL("http://127.0.0.1:1")),
                                      logger: Logger(label: "test"))
        let context = ToolContext(runtime: runtime, store: path.map { .sqlite(path: $0) })
        let sessions = MCPHTTPSessions(registry: .standard, context: context, loopbackOnly: true, logger: Logger(label: "test"))
        let app = Application(router: PerfScopeHTTPServer.router(registry: .standard, context: context, sessions: sessions, token: nil,
                                                                 agent: RecordingAgent(seen: seen)))
        try await app.test(.router, body)
    }

    static func scratch() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-conv-\(UUID().uuidString).sqlite").path
    }

    static func call(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> [String: JSONValue] {
        try await client.execute(uri: uri, method: method, headers: body == nil ? [:] : [.contentType: "application/json"],
                                 body: body.map { ByteBuffer(string: $0) }) { r in
            #expect(r.status == status, "\(method) \(uri): \(String(buffer: r.body))")
            return try JSONValue.parse(String(buffer: r.body)).object ?? [:]
        }
    }

    @Test func aConversationContinuesAcrossServers() async throws {
        let path = Self.scratch()
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let seen = Seen()
        let box = Seen.Box()
        try await Self.withApp(store: path, seen: seen) { client in
            let first = try await Self.call(client, .post, "/chat", #"{"message": "why is etcd slow?"}"#)
            let cid = try #require(first["conversation_id"]?.string)
            #expect(first["answer"]?.string == "answer 1 to why is etcd slow?")
            let second = try await Self.call(client, .post, "/chat", #"{"message": "and now?", "conversation_id": "\#(cid)"}"#)
            #expect(second["conversation_id"]?.string == cid && second["answer"]?.string == "answer 2 to and now?")
            await box.set(cid)
        }
        let id = await box.value
        // A new server on the same file: the conversation is listed and continues.
        try await Self.withApp(store: path, seen: seen) { client in
            let list = try await Self.call(client, .get, "/api/conversations")
            let first = try #require(list["conversations"]?.array?.first?.object)
            #expect(first["id"]?.string == id && first["title"]?.string == "why is etcd slow?" && first["messages"]?.number == 4)
            let c = try await Self.call(client, .get, "/api/conversations/\(id)")
            let messages = c["messages"]?.array?.compactMap(\.object) ?? []
            #expect(messages.map { $0["role"]?.string ?? "" } == ["user", "assistant", "user", "assistant"])
            #expect(messages[1]["content"]?.string == "answer 1 to why is etcd slow?")
            let steps = messages[1]["steps"]?.array?.compactMap { $0.object?["event"]?.string } ?? []
            #expect(steps == ["tool_call", "tool_result"], "the tool steps are kept with the answer")
            #expect(messages[1]["steps"]?.array?.last?.object?["data"]?.object?["result"] == nil, "tables are not stored")
            #expect(c["system_prompt"] == .null)
            let third = try await Self.call(client, .post, "/chat", #"{"message": "thanks", "conversation_id": "\#(id)"}"#)
            #expect(third["answer"]?.string == "answer 3 to thanks")
        }
        let calls = await seen.calls
        #expect(calls.map(\.history.count) == [0, 2, 4])
        #expect(calls[2].history.first == ChatTurn(role: .user, content: "why is etcd slow?"))
    }

    @Test func streamOpensWithTheConversation() async throws {
        let path = Self.scratch()
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        try await Self.withApp(store: path) { client in
            try await client.execute(uri: "/chat/stream", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"message": "status"}"#)) { r in
                #expect(r.status == .ok)
                let blocks = String(buffer: r.body).components(separatedBy: "\n\n").filter { !$0.isEmpty }
                #expect(blocks.map { $0.split(separator: "\n")[0] } == ["event: conversation", "event: tool_call", "event: tool_result", "event: message_complete"])
                #expect(blocks[2].contains(#""result""#), "the tool's table goes to the page")
            }
            _ = try await Self.call(client, .post, "/chat/stream", #"{"message": "x", "conversation_id": "no-such"}"#, status: .notFound)
            _ = try await Self.call(client, .post, "/chat", #"{"message": "x", "conversation_id": "../etc"}"#, status: .badRequest)
            _ = try await Self.call(client, .post, "/chat", #"{"message": "x", "conversation_id": ".."}"#, status: .badRequest)
            _ = try await Self.call(client, .post, "/chat", #"{"message": "x", "conversation_id": 7}"#, status: .badRequest)
            _ = try await Self.call(client, .get, "/api/conversations/no-such", status: .notFound)
            _ = try await Self.call(client, .get, "/api/conversations?limit=0", status: .badRequest)
        }
    }

    @Test func systemPromptsFallBackFromConversationToServerToBuiltIn() async throws {
        let path = Self.scratch()
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let seen = Seen()
        try await Self.withApp(store: path, seen: seen) { client in
            var p = try await Self.call(client, .get, "/api/system-prompt")
            #expect(p["source"]?.string == "built-in" && p["system_prompt"]?.string == LLMConfiguration.defaultSystemPrompt && p["used_by_agent"] == .bool(true))
            p = try await Self.call(client, .post, "/api/system-prompt", #"{"system_prompt": "Be brief."}"#)
            #expect(p["source"]?.string == "server" && p["system_prompt"]?.string == "Be brief.")
            // Choosing a prompt for a new id starts that conversation.
            p = try await Self.call(client, .post, "/api/system-prompt/ops-1", #"{"system_prompt": "Only disks."}"#)
            #expect(p["source"]?.string == "conversation" && p["conversation_id"]?.string == "ops-1")
            #expect(try await Self.call(client, .get, "/api/conversations/ops-1")["title"]?.string == "New conversation")
            _ = try await Self.call(client, .post, "/chat", #"{"message": "q1", "conversation_id": "ops-1"}"#)
            #expect(try await Self.call(client, .get, "/api/conversations/ops-1")["title"]?.string == "q1", "the first question names it")
            _ = try await Self.call(client, .post, "/chat", #"{"message": "q2"}"#)
            p = try await Self.call(client, .delete, "/api/system-prompt/ops-1")
            #expect(p["source"]?.string == "server" && p["system_prompt"]?.string == "Be brief.")
            p = try await Self.call(client, .delete, "/api/system-prompt")
            #expect(p["source"]?.string == "built-in")
            _ = try await Self.call(client, .post, "/chat", #"{"message": "q3", "conversation_id": "ops-1"}"#)
            // Bad input: one line, 400.
            let empty = try await Self.call(client, .post, "/api/system-prompt", #"{"system_prompt": "  "}"#, status: .badRequest)
            #expect(empty["error"]?.string?.contains("empty") == true)
            _ = try await Self.call(client, .post, "/api/system-prompt", "not json", status: .badRequest)
            _ = try await Self.call(client, .post, "/api/system-prompt/x", #"{"prompt": "wrong key"}"#, status: .badRequest)
            _ = try await Self.call(client, .delete, "/api/system-prompt/no-such", status: .notFound)
            _ = try await Self.call(client, .delete, "/api/conversations/ops-1")
            _ = try await Self.call(client, .get, "/api/conversations/ops-1", status: .notFound)
        }
        #expect(await seen.calls.map(\.prompt) == ["Only disks.", "Be brief.", nil])
    }

    /// A history that cannot be opened (here: a directory): a new question is answered, not kept.
    @Test func anUnopenableHistoryStillAnswersNewQuestions() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-conv-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try await Self.withApp(store: dir.path) { client in
            let r = try await Self.call(client, .post, "/chat", #"{"message": "status"}"#)
            #expect(r["conversation_id"] == .null && r["answer"]?.string == "answer 1 to status")
            try await client.execute(uri: "/chat/stream", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"message": "status"}"#)) { r in
                #expect(r.status == .ok && !String(buffer: r.body).contains("event: conversation"))
            }
            let e = try await Self.call(client, .get, "/api/conversations", status: .badRequest)
            #expect(e["error"]?.string?.contains("is a directory") == true, "\(e)")
        }
    }

    /// `perfscope chat --server`'s client: one conversation across questions, and a new one when
    /// the server no longer has it.
    @Test func theRemoteClientKeepsItsConversationAndRecoversFromADelete() async throws {
        let path = Self.scratch()
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let config = PerfScopeConfig()
        let runtime = AnalysisRuntime(config: config, catalog: try AnalysisRuntime.catalog(config: config, environment: [:]),
                                      prometheus: PrometheusConfiguration(url: try PrometheusConfiguration.parseURL("http://127.0.0.1:1")),
                                      logger: Logger(label: "test"))
        let context = ToolContext(runtime: runtime, store: .sqlite(path: path))
        let sessions = MCPHTTPSessions(registry: .standard, context: context, loopbackOnly: true, logger: Logger(label: "test"))
        let app = Application(router: PerfScopeHTTPServer.router(registry: .standard, context: context, sessions: sessions, token: nil,
                                                                 agent: RecordingAgent(seen: Seen())),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let remote = RemoteChatAgent(baseURL: URL(string: "http://127.0.0.1:\(client.port!)")!, token: nil)
            #expect(try await remote.setSystemPrompt("Be brief.").source == "conversation")
            let first = try #require(remote.conversationID)
            #expect(await remote.answer("one") { _ in } == "answer 1 to one")
            #expect(await remote.answer("two") { _ in } == "answer 2 to two", "the second question has the first as history")
            #expect(remote.conversationID == first)
            try await RunStoreFactory.with(.sqlite(path: path)) { try await $0.deleteConversation(first) }
            let events = Seen.Log()
            #expect(await remote.answer("three") { await events.add($0) } == "answer 1 to three", "a new conversation")
            #expect(await events.texts.contains { $0.contains("deleted on the server") })
            #expect(remote.conversationID != nil && remote.conversationID != first)
        }
    }

    @Test func withoutAHistoryChatStillAnswers() async throws {
        try await Self.withApp(store: nil) { client in
            let r = try await Self.call(client, .post, "/chat", #"{"message": "status"}"#)
            #expect(r["conversation_id"] == .null && r["answer"]?.string == "answer 1 to status")
            let e = try await Self.call(client, .get, "/api/conversations", status: .badRequest)
            #expect(e["error"]?.string?.contains("PERFSCOPE_DB") == true)
            _ = try await Self.call(client, .post, "/chat", #"{"message": "x", "conversation_id": "c1"}"#, status: .badRequest)
        }
    }
}
