import Foundation

/// What a chat turn produces, in order, for streaming front ends (SSE, the terminal): the
/// tools called with their results, text chunks, and the end of the message.
public enum ChatEvent: Sendable, Equatable {
    case toolCall(name: String, arguments: JSONValue)
    case toolResult(name: String, summary: String, isError: Bool)
    case message(String)
    case messageComplete(String)

    /// The SSE event name and JSON data of this event.
    public var sse: (event: String, data: JSONValue) {
        switch self {
        case .toolCall(let name, let arguments): ("tool_call", .object(["name": .string(name), "arguments": arguments]))
        case .toolResult(let name, let summary, let isError):
            ("tool_result", .object(["name": .string(name), "summary": .string(summary), "isError": .bool(isError)]))
        case .message(let text): ("message", .object(["text": .string(text)]))
        case .messageComplete(let text): ("message_complete", .object(["text": .string(text)]))
        }
    }
}

/// A chat participant: the offline agent (no LLM) or the LLM agent. Both use the tool registry.
public protocol ChatAgent: Sendable {
    /// Answers `question` and reports each step to `emit`; returns the full answer.
    func answer(_ question: String, emit: @Sendable (ChatEvent) async -> Void) async -> String
}
