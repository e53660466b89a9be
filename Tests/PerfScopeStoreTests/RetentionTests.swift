import Foundation
import PerfScopeCore
import PerfScopeStore
import Testing

/// Retention: conversations go by age and by count, with their messages (the cascades), on both
/// backends; a hostile connect_timeout is a usage error, not a trap.
@Suite struct RetentionTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    @Test(arguments: Backend.available)
    func conversationsGoByAgeThenByCountWithTheirMessages(backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            for i in 0..<6 {
                let at = Self.t0.addingTimeInterval(Double(i) * 86_400)
                try await t.store.createConversation(ConversationSummary(id: "c\(i)", title: "q", createdAt: at, updatedAt: at), systemPrompt: nil)
                try await t.store.appendMessages([ConversationMessage(role: .user, content: "m\(i)", createdAt: at)], to: "c\(i)")
            }
            // c0 and c1 were last updated more than 4 days before t0 + 5 days.
            #expect(try await t.store.pruneConversations(updatedBefore: Self.t0.addingTimeInterval(2 * 86_400 - 1), keepNewest: nil) == 2)
            #expect(try await t.store.pruneConversations(updatedBefore: nil, keepNewest: 2) == 2)
            #expect(try await t.store.conversations(limit: nil).map(\.id) == ["c5", "c4"])
            #expect(try await t.store.pruneConversations(updatedBefore: nil, keepNewest: 5) == 0)
            await #expect(throws: StoreError.self) { _ = try await t.store.conversation("c0") }
        }
    }

    @Test(arguments: ["inf", "nan", "1e400", "-1", "0", "3601", "1e300"])
    func connectTimeoutMustBeAFiniteNumberOfSeconds(value: String) {
        #expect(throws: StoreError.self) { _ = try StoreLocation.resolve(flag: "postgres://u@127.0.0.1:1/db?connect_timeout=\(value)") }
    }
}
