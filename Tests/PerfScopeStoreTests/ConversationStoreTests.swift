import Foundation
import PerfScopeCore
import PerfScopeStore
import Testing

/// Conversations and settings (schema v4) behave the same on both backends: messages keep
/// their order across reopenings, prompts fall back, deletes take the messages too.
@Suite struct ConversationStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    @Test(arguments: Backend.available)
    func messagesKeepTheirOrderAcrossReopening(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            try await t.store.createConversation(ConversationSummary(id: "c1", title: "why is etcd slow?", createdAt: Self.t0, updatedAt: Self.t0), systemPrompt: nil)
            try await t.store.appendMessages([
                ConversationMessage(role: .user, content: "why is etcd slow?", createdAt: Self.t0),
                ConversationMessage(role: .assistant, content: "Disk on m2.", steps: #"[{"event":"tool_call"}]"#, createdAt: Self.t0.addingTimeInterval(3)),
            ], to: "c1")
            try await t.store.appendMessages([
                ConversationMessage(role: .user, content: "and over 2 hours?", createdAt: Self.t0.addingTimeInterval(60)),
                ConversationMessage(role: .assistant, content: "Still the disk — p99 40 ms.", createdAt: Self.t0.addingTimeInterval(64)),
            ], to: "c1")
            let again = try await t.reopen()
            let c = try await again.conversation("c1")
            #expect(c.messages.map(\.content) == ["why is etcd slow?", "Disk on m2.", "and over 2 hours?", "Still the disk — p99 40 ms."])
            #expect(c.messages.map(\.role) == [.user, .assistant, .user, .assistant])
            #expect(c.messages[1].steps == #"[{"event":"tool_call"}]"# && c.messages[3].steps == nil)
            #expect(c.summary.messages == 4 && c.summary.updatedAt == Self.t0.addingTimeInterval(64) && c.summary.createdAt == Self.t0)
            #expect(c.systemPrompt == nil)
            // The last messages only, still oldest first; the summary still counts them all.
            let recent = try await again.conversation("c1", lastMessages: 3)
            #expect(recent.messages.map(\.content) == ["Disk on m2.", "and over 2 hours?", "Still the disk — p99 40 ms."])
            #expect(recent.summary.messages == 4 && recent.messages[0].steps == #"[{"event":"tool_call"}]"#)
            #expect(try await again.conversation("c1", lastMessages: 0).messages.isEmpty)
            await again.close()
        }
    }

    @Test(arguments: Backend.available)
    func listNewestFirstAndDeleteTakesTheMessages(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            for (i, id) in ["a", "b", "c"].enumerated() {
                let at = Self.t0.addingTimeInterval(Double(i) * 10)
                try await t.store.createConversation(ConversationSummary(id: id, title: "q \(id)", createdAt: at, updatedAt: at), systemPrompt: nil)
            }
            try await t.store.appendMessages([ConversationMessage(role: .user, content: "x", createdAt: Self.t0.addingTimeInterval(100))], to: "a")
            #expect(try await t.store.conversations(limit: nil).map(\.id) == ["a", "c", "b"])
            #expect(try await t.store.conversations(limit: 1).map(\.id) == ["a"])
            try await t.store.deleteConversation("a")
            #expect(try await t.store.conversations(limit: nil).map(\.id) == ["c", "b"])
            let sql = try #require(t.store as? any SQLRunStore)
            #expect(try await sql.fetch(SQLStatement("SELECT COUNT(*) FROM conversation_messages")).first?.first == .int(0))
            await #expect(throws: StoreError.conversationNotFound("a")) { try await t.store.conversation("a") }
            await #expect(throws: StoreError.conversationNotFound("a")) { try await t.store.deleteConversation("a") }
            await #expect(throws: StoreError.conversationNotFound("zz")) {
                try await t.store.appendMessages([ConversationMessage(role: .user, content: "x", createdAt: Self.t0)], to: "zz")
            }
            await #expect(throws: StoreError.duplicateConversation("b")) {
                try await t.store.createConversation(ConversationSummary(id: "b", title: "again", createdAt: Self.t0, updatedAt: Self.t0), systemPrompt: nil)
            }
        }
    }

    @Test(arguments: Backend.available)
    func promptsAndSettings(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            #expect(try await t.store.setting("system_prompt") == nil)
            try await t.store.setSetting("system_prompt", to: "Be brief.")
            try await t.store.setSetting("system_prompt", to: "Be brief; cite numbers.")
            #expect(try await t.store.setting("system_prompt") == "Be brief; cite numbers.")
            try await t.store.setSetting("system_prompt", to: nil)
            #expect(try await t.store.setting("system_prompt") == nil)

            try await t.store.createConversation(ConversationSummary(id: "p", title: "t", createdAt: Self.t0, updatedAt: Self.t0), systemPrompt: "Only disks.")
            #expect(try await t.store.conversation("p").systemPrompt == "Only disks.")
            try await t.store.setSystemPrompt("Only networks.", conversation: "p")
            #expect(try await t.store.conversation("p").systemPrompt == "Only networks.")
            try await t.store.setSystemPrompt(nil, conversation: "p")
            #expect(try await t.store.conversation("p").systemPrompt == nil)
            await #expect(throws: StoreError.conversationNotFound("nope")) { try await t.store.setSystemPrompt("x", conversation: "nope") }
        }
    }

    @Test(arguments: [("why is etcd slow?", "why is etcd slow?"), ("  \n", "New conversation"),
                      ("first line\nsecond line", "first line"),
                      (String(repeating: "a", count: 80), String(repeating: "a", count: 59) + "…")])
    func titles(question: String, title: String) {
        #expect(Conversation.title(from: question) == title)
    }
}
