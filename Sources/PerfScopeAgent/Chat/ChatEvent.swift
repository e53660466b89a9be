import Foundation

/// What a chat turn produces, in order, for streaming front ends (SSE, the terminal): the
/// tools called with their results, text chunks, and the end of the message.
public enum ChatEvent: Sendable, Equatable {
    case toolCall(name: String, arguments: JSONValue)
    /// `result` is the tool's structured output for front ends that draw it (tables in the web
    /// UI); nil for errors and for outputs over `maxResultCharacters`, which would swamp a page.
    case toolResult(name: String, summary: String, isError: Bool, result: JSONValue? = nil)
    case message(String)
    case messageComplete(String)

    /// The SSE event name and JSON data of this event.
    public var sse: (event: String, data: JSONValue) {
        switch self {
        case .toolCall(let name, let arguments): ("tool_call", .object(["name": .string(name), "arguments": arguments]))
        case .toolResult(let name, let summary, let isError, let result):
            ("tool_result", .object(["name": .string(name), "summary": .string(summary), "isError": .bool(isError)]
                .merging(result.map { ["result": $0] } ?? [:]) { a, _ in a }))
        case .message(let text): ("message", .object(["text": .string(text)]))
        case .messageComplete(let text): ("message_complete", .object(["text": .string(text)]))
        }
    }
}

extension ChatEvent {
    /// The largest structured result (as JSON text) a `tool_result` event carries.
    public static let maxResultCharacters = 64 * 1024

    /// A successful tool's event, with its structured output when it is small enough to send.
    public static func toolResult(name: String, output: ToolOutput) -> ChatEvent {
        let fits = output.structured.text().utf8.count <= maxResultCharacters
        return .toolResult(name: name, summary: output.summary, isError: false, result: fits ? output.structured : nil)
    }
}

/// An earlier turn of a conversation, given back to the agent so a follow-up has its context.
public struct ChatTurn: Sendable, Equatable {
    public enum Role: String, Sendable { case user, assistant }
    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}

/// A chat participant: the offline agent (no LLM) or the LLM agent. Both use the tool registry.
public protocol ChatAgent: Sendable {
    /// Answers `question` and reports each step to `emit`; returns the full answer.
    func answer(_ question: String, emit: @Sendable (ChatEvent) async -> Void) async -> String
    /// Answers within a conversation: its earlier turns, and its system prompt (nil → the
    /// agent's own). Agents without a model (the offline one) answer the question alone.
    func answer(_ question: String, history: [ChatTurn], systemPrompt: String?, emit: @Sendable (ChatEvent) async -> Void) async -> String
    /// Whether `systemPrompt` changes anything: false for the offline agent.
    var usesSystemPrompt: Bool { get }
}

extension ChatAgent {
    public func answer(_ question: String, history: [ChatTurn], systemPrompt: String?, emit: @Sendable (ChatEvent) async -> Void) async -> String {
        await answer(question, emit: emit)
    }

    public var usesSystemPrompt: Bool { false }
}
