import Foundation

/// Conversations and settings, written once for both backends on the two SQL primitives.
extension SQLRunStore {
    static var conversationColumns: String {
        "c.id, c.title, c.created_at, c.updated_at, (SELECT COUNT(*) FROM conversation_messages m WHERE m.conversation_id = c.id)"
    }

    static func conversationSummary(_ r: [SQLValue]) -> ConversationSummary {
        ConversationSummary(id: r[0].string ?? "", title: r[1].string ?? "", createdAt: StoreSQL.date(r[2]),
                            updatedAt: StoreSQL.date(r[3]), messages: r[4].int ?? 0)
    }

    public func createConversation(_ conversation: ConversationSummary, systemPrompt: String?) async throws {
        do {
            _ = try await executeInTransaction([SQLStatement(
                "INSERT INTO conversations (id, title, system_prompt, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                [.text(conversation.id), .text(conversation.title), systemPrompt.map { .text($0) } ?? .null,
                 .double(conversation.createdAt.timeIntervalSince1970), .double(conversation.updatedAt.timeIntervalSince1970)])])
        } catch let error as StoreError where error.isUniqueViolation {
            throw StoreError.duplicateConversation(conversation.id)
        }
    }

    /// Deletes conversations last updated before `updatedBefore`, then all but the `keepNewest`
    /// most recently updated; their messages go with them (`ON DELETE CASCADE`).
    public func pruneConversations(updatedBefore: Date?, keepNewest: Int?) async throws -> Int {
        var statements: [SQLStatement] = []
        if let updatedBefore {
            statements.append(SQLStatement("DELETE FROM conversations WHERE updated_at < ? RETURNING 1", [.double(updatedBefore.timeIntervalSince1970)]))
        }
        if let keepNewest {
            statements.append(SQLStatement("""
                DELETE FROM conversations WHERE id NOT IN
                (SELECT id FROM conversations ORDER BY updated_at DESC, id DESC LIMIT ?) RETURNING 1
                """, [.int(max(0, keepNewest))]))
        }
        guard !statements.isEmpty else { return 0 }
        return try await executeInTransaction(statements).reduce(0, +)
    }

    public func conversations(limit: Int?) async throws -> [ConversationSummary] {
        var sql = "SELECT \(Self.conversationColumns) FROM conversations c ORDER BY c.updated_at DESC, c.id DESC"
        var args: [SQLValue] = []
        if let limit { sql += " LIMIT ?"; args.append(.int(max(0, limit))) }
        return try await fetch(SQLStatement(sql, args)).map(Self.conversationSummary)
    }

    public func conversation(_ id: String, lastMessages: Int?) async throws -> Conversation {
        let rows = try await fetch(SQLStatement("SELECT \(Self.conversationColumns), c.system_prompt FROM conversations c WHERE c.id = ?", [.text(id)]))
        guard let row = rows.first else { throw StoreError.conversationNotFound(id) }
        let columns = "role, content, steps, created_at, ordinal FROM conversation_messages WHERE conversation_id = ?"
        let statement = lastMessages.map { n in
            SQLStatement("SELECT role, content, steps, created_at FROM (SELECT \(columns) ORDER BY ordinal DESC LIMIT ?) recent ORDER BY ordinal",
                         [.text(id), .int(max(0, n))])
        } ?? SQLStatement("SELECT \(columns) ORDER BY ordinal", [.text(id)])
        let messages = try await fetch(statement)
            .map { r in
                ConversationMessage(role: r[0].string.flatMap(ConversationMessage.Role.init(rawValue:)) ?? .assistant,
                                    content: r[1].string ?? "", steps: r[2].string, createdAt: StoreSQL.date(r[3]))
            }
        return Conversation(summary: Self.conversationSummary(row), systemPrompt: row[5].string, messages: messages)
    }

    public func appendMessages(_ messages: [ConversationMessage], to id: String) async throws {
        let latest = messages.map(\.createdAt).max() ?? Date()
        // The update counts the conversation's row and the inserts read it: a missing (or just
        // deleted) conversation inserts nothing and is said as not found, never a key violation.
        var statements = [SQLStatement("UPDATE conversations SET updated_at = ? WHERE id = ? RETURNING 1",
                                       [.double(latest.timeIntervalSince1970), .text(id)])]
        statements += messages.map { m in
            SQLStatement("""
                INSERT INTO conversation_messages (conversation_id, ordinal, role, content, steps, created_at)
                SELECT c.id, (SELECT COALESCE(MAX(m.ordinal), -1) + 1 FROM conversation_messages m WHERE m.conversation_id = c.id), ?, ?, ?, ?
                FROM conversations c WHERE c.id = ?
                """, [.text(m.role.rawValue), .text(m.content), m.steps.map { .text($0) } ?? .null,
                      .double(m.createdAt.timeIntervalSince1970), .text(id)])
        }
        try await requireConversation(id, executeInTransaction(statements))
    }

    public func setSystemPrompt(_ prompt: String?, conversation id: String) async throws {
        try await requireConversation(id, executeInTransaction([SQLStatement(
            "UPDATE conversations SET system_prompt = ? WHERE id = ? RETURNING 1", [prompt.map { .text($0) } ?? .null, .text(id)])]))
    }

    public func setTitle(_ title: String, conversation id: String) async throws {
        try await requireConversation(id, executeInTransaction([SQLStatement(
            "UPDATE conversations SET title = ? WHERE id = ? RETURNING 1", [.text(title), .text(id)])]))
    }

    public func deleteConversation(_ id: String) async throws {
        try await requireConversation(id, executeInTransaction([
            SQLStatement("DELETE FROM conversation_messages WHERE conversation_id = ?", [.text(id)]),
            SQLStatement("DELETE FROM conversations WHERE id = ? RETURNING 1", [.text(id)]),
        ]).suffix(1))
    }

    public func setting(_ key: String) async throws -> String? {
        try await fetch(SQLStatement("SELECT value FROM settings WHERE key = ?", [.text(key)])).first?.first?.string
    }

    public func setSetting(_ key: String, to value: String?) async throws {
        guard let value else {
            _ = try await executeInTransaction([SQLStatement("DELETE FROM settings WHERE key = ?", [.text(key)])])
            return
        }
        _ = try await executeInTransaction([SQLStatement("""
            INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """, [.text(key), .text(value), .double(Date().timeIntervalSince1970)])])
    }

    /// The first count is the conversation's own row: zero means there is no such conversation.
    private func requireConversation(_ id: String, _ changed: some Collection<Int>) throws {
        guard (changed.first ?? 0) > 0 else { throw StoreError.conversationNotFound(id) }
    }
}
