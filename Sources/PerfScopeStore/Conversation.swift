import Foundation

/// A chat conversation as listed: what the web UI's sidebar and `GET /api/conversations` show.
public struct ConversationSummary: Sendable, Codable, Equatable {
    public var id: String
    /// The first question, shortened: enough to recognise a conversation in a list.
    public var title: String
    public var createdAt: Date
    public var updatedAt: Date
    public var messages: Int

    public init(id: String, title: String, createdAt: Date, updatedAt: Date, messages: Int = 0) {
        self.id = id
        self.title = title
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.messages = messages
    }

    enum CodingKeys: String, CodingKey {
        case id, title, messages
        case createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// One turn of a conversation. `steps` keeps the tool calls and results shown while it was
/// answered (as JSON), so a reloaded conversation shows what the agent did, not only its words.
public struct ConversationMessage: Sendable, Codable, Equatable {
    public enum Role: String, Sendable, Codable { case user, assistant }

    public var role: Role
    public var content: String
    public var steps: String?
    public var createdAt: Date

    public init(role: Role, content: String, steps: String? = nil, createdAt: Date) {
        self.role = role
        self.content = content
        self.steps = steps
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case role, content, steps
        case createdAt = "created_at"
    }
}

/// A whole conversation: its own system prompt (nil → the server's) and its messages in order.
public struct Conversation: Sendable, Codable, Equatable {
    public var summary: ConversationSummary
    public var systemPrompt: String?
    public var messages: [ConversationMessage]

    public init(summary: ConversationSummary, systemPrompt: String?, messages: [ConversationMessage]) {
        self.summary = summary
        self.systemPrompt = systemPrompt
        self.messages = messages
    }

    /// The title of a conversation no question has named yet (one started by choosing its prompt).
    public static let untitled = "New conversation"

    /// A title from the first question: one line, at most 60 characters.
    public static func title(from question: String) -> String {
        let line = question.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        if line.isEmpty { return untitled }
        return line.count > 60 ? String(line.prefix(59)) + "…" : line
    }
}
