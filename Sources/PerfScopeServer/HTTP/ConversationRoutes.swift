import Foundation
import Hummingbird
import PerfScopeAgent
import PerfScopeCore
import PerfScopeStore

/// Kept conversations and system prompts over HTTP:
/// `GET /api/conversations`, `GET|DELETE /api/conversations/{id}`, and
/// `GET|POST|DELETE /api/system-prompt[/{conversation_id}]` — the server's prompt, or one
/// conversation's (which falls back to the server's, then the built-in expert prompt).
enum ConversationRoutes {
    static func add(to router: Router<PerfScopeHTTPServer.Context>, conversations: Conversations) {
        router.get("/api/conversations") { request, _ -> Response in
            await respond {
                let limit = try request.uri.queryParameters["limit"].map { try CheckedNumber.int(String($0), name: "limit", in: 1...1_000) } ?? 50
                let list = try await conversations.withStore { try await $0.conversations(limit: limit) }
                return .object(["conversations": try JSONValue(encoding: list)])
            }
        }
        router.get("/api/conversations/:id") { _, requestContext -> Response in
            await respond {
                let id = try Conversations.validate(id: requestContext.parameters.get("id") ?? "")
                let c = try await conversations.withStore { try await $0.conversation(id) }
                guard case .object(var o) = try JSONValue(encoding: c.summary) else { return .null }
                o["system_prompt"] = c.systemPrompt.map { .string($0) } ?? .null
                o["messages"] = .array(try c.messages.map { m in
                    // Steps are stored as JSON text; they go out as JSON.
                    guard case .object(var message) = try JSONValue(encoding: m) else { return .null }
                    message["steps"] = m.steps.flatMap { try? JSONValue.parse($0) } ?? .array([])
                    return .object(message)
                })
                return .object(o)
            }
        }
        router.delete("/api/conversations/:id") { _, requestContext -> Response in
            await respond {
                let id = try Conversations.validate(id: requestContext.parameters.get("id") ?? "")
                try await conversations.withStore { try await $0.deleteConversation(id) }
                return .object(["deleted": .string(id)])
            }
        }
        router.get("/api/system-prompt") { _, _ -> Response in
            await respond { try await prompt(conversations, nil) }
        }
        router.post("/api/system-prompt") { request, _ -> Response in
            await respond {
                let text = try await body(request)
                try await conversations.withStore { try await $0.setSetting(Conversations.promptSetting, to: text) }
                return try await prompt(conversations, nil)
            }
        }
        router.delete("/api/system-prompt") { _, _ -> Response in
            await respond {
                try await conversations.withStore { try await $0.setSetting(Conversations.promptSetting, to: nil) }
                return try await prompt(conversations, nil)
            }
        }
        router.get("/api/system-prompt/:id") { _, requestContext -> Response in
            await respond { try await prompt(conversations, try Conversations.validate(id: requestContext.parameters.get("id") ?? "")) }
        }
        // Setting a prompt for an id not yet used starts that conversation, so a client can
        // choose the prompt before the first question.
        router.post("/api/system-prompt/:id") { request, requestContext -> Response in
            await respond {
                let id = try Conversations.validate(id: requestContext.parameters.get("id") ?? "")
                let text = try await body(request)
                try await conversations.withStore { store in
                    do {
                        try await store.setSystemPrompt(text, conversation: id)
                    } catch let error as StoreError where error.kind == .notFound {
                        let now = conversations.context.now()
                        try await store.createConversation(ConversationSummary(id: id, title: Conversation.untitled, createdAt: now, updatedAt: now), systemPrompt: text)
                        try await conversations.keepWithinCap(store)
                    }
                }
                return try await prompt(conversations, id)
            }
        }
        router.delete("/api/system-prompt/:id") { _, requestContext -> Response in
            await respond {
                let id = try Conversations.validate(id: requestContext.parameters.get("id") ?? "")
                try await conversations.withStore { try await $0.setSystemPrompt(nil, conversation: id) }
                return try await prompt(conversations, id)
            }
        }
    }

    static func prompt(_ conversations: Conversations, _ id: String?) async throws -> JSONValue {
        let p = try await conversations.prompt(conversation: id)
        var o: [String: JSONValue] = ["system_prompt": .string(p.text), "source": .string(p.source),
                                      "used_by_agent": .bool(conversations.agent.usesSystemPrompt)]
        if let id { o["conversation_id"] = .string(id) }
        return .object(o)
    }

    /// `{"system_prompt": "…"}` → the prompt, checked.
    static func body(_ request: Request) async throws -> String {
        let text = String(buffer: try await request.body.collect(upTo: 256 * 1024))
        guard let prompt = try JSONValue.parse(text).object?["system_prompt"]?.string else {
            throw PerfScopeError.invalidInput("send a JSON body like {\"system_prompt\": \"You are an etcd expert…\"}")
        }
        return try Conversations.validate(prompt: prompt)
    }

    static func respond(_ body: () async throws -> JSONValue) async -> Response {
        do { return PerfScopeHTTPServer.json(try await body()) } catch { return PerfScopeHTTPServer.failure(error) }
    }
}
