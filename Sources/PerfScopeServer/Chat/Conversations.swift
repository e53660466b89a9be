import Foundation
import Logging
import PerfScopeAgent
import PerfScopeCore
import PerfScopeStore

/// Chat turns that survive a restart: each question and answer is stored in the run history
/// under its conversation, with the tool steps taken, and the next question of that
/// conversation is answered with its earlier turns and its system prompt.
///
/// The store is the server's shared one (`SharedStore`); a step borrows a connection only for
/// its statements, never across an answer (an LLM answer can take a minute).
struct Conversations: Sendable {
    let agent: any ChatAgent
    let context: ToolContext
    let logger: Logger
    /// At most this many earlier messages (user and assistant) go back to the agent, and only
    /// they are read: a long conversation outgrows neither the model's context nor a turn's cost.
    static let maxHistoryTurns = 20
    /// The `settings` key of the server-wide system prompt.
    static let promptSetting = "system_prompt"
    static let maxPromptCharacters = 32 * 1024

    /// The prompt in force and where it comes from: the conversation's, the server's, or the built-in one.
    struct Prompt: Sendable {
        var text: String
        var source: String
    }

    static func validate(id: String) throws -> String {
        let ok = id.count <= 64 && (id.first.map { $0.isASCII && ($0.isLetter || $0.isNumber) } ?? false)
            && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard ok else {
            throw PerfScopeError.invalidInput("invalid conversation id \(id.prefix(80)): use 1–64 letters, digits, '-', '_' or '.', starting with a letter or digit")
        }
        return id
    }

    static func validate(prompt: String) throws -> String {
        let text = prompt.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw PerfScopeError.invalidInput("the system prompt is empty: send {\"system_prompt\": \"…\"}, or DELETE to reset it") }
        guard text.count <= maxPromptCharacters else {
            throw PerfScopeError.invalidInput("the system prompt has \(text.count) characters: keep it under \(maxPromptCharacters)")
        }
        return text
    }

    func withStore<T: Sendable>(_ body: (any RunStore) async throws -> T) async throws -> T {
        guard context.store != nil else {
            throw PerfScopeError.configuration("conversations are kept in the run history, and none is configured: set PERFSCOPE_DB (a file path or postgres:// URL)")
        }
        return try await HistoryTools.withStore(context, body)
    }

    func prompt(conversation id: String?) async throws -> Prompt {
        try await withStore { store in
            if let id, let own = try await store.conversation(id).systemPrompt { return Prompt(text: own, source: "conversation") }
            if let server = try await store.setting(Self.promptSetting) { return Prompt(text: server, source: "server") }
            return Prompt(text: LLMConfiguration.defaultSystemPrompt, source: "built-in")
        }
    }

    /// Creates a conversation (titled by `question`) or loads `id`'s turns and prompt.
    func open(_ id: String?, question: String, now: Date) async throws -> (id: String, history: [ChatTurn], prompt: String?) {
        try await withStore { store in
            let serverPrompt = try await store.setting(Self.promptSetting)
            guard let id else {
                let new = ConversationSummary(id: UUID().uuidString.lowercased(), title: Conversation.title(from: question), createdAt: now, updatedAt: now)
                try await store.createConversation(new, systemPrompt: nil)
                try await keepWithinCap(store)
                return (new.id, [], serverPrompt)
            }
            let c = try await store.conversation(id, lastMessages: Self.maxHistoryTurns)
            // Started by choosing its prompt: the first question names it.
            if c.summary.messages == 0, c.summary.title == Conversation.untitled {
                try await store.setTitle(Conversation.title(from: question), conversation: id)
            }
            let turns = c.messages.map { ChatTurn(role: $0.role == .user ? .user : .assistant, content: $0.content) }
            return (id, Array(turns), c.systemPrompt ?? serverPrompt)
        }
    }

    /// After a conversation is started: the server keeps at most `ToolLimits.maxConversations`,
    /// the least recently updated go.
    func keepWithinCap(_ store: any RunStore) async throws {
        let dropped = try await store.pruneConversations(updatedBefore: nil, keepNewest: context.limits.maxConversations)
        if dropped > 0 { logger.info("conversations over the cap deleted", metadata: ["deleted": "\(dropped)"]) }
    }

    /// Answers `question` in its conversation and stores both turns. With no store and no id the
    /// answer is not kept (the id is nil); a failed save after the answer is logged, not lost silently.
    func answer(_ question: String, conversation id: String?, started: @Sendable (String) async -> Void = { _ in },
                emit: @escaping @Sendable (ChatEvent) async -> Void) async throws -> (id: String?, answer: String) {
        if context.store == nil, id == nil {
            return (nil, await agent.answer(question, emit: emit))
        }
        let asked = context.now()
        let opened: (id: String, history: [ChatTurn], prompt: String?)
        do {
            opened = try await open(id, question: question, now: asked)
        } catch where id == nil {
            // A new question still gets its answer when the history cannot be written; it is not kept.
            logger.warning("chat answered without keeping it", metadata: ["error": "\(ToolErrors.message(error))"])
            return (nil, await agent.answer(question, emit: emit))
        }
        let (cid, history, prompt) = opened
        await started(cid)
        let steps = EventLog()
        let answer = await agent.answer(question, history: history, systemPrompt: prompt) { event in
            await steps.append(event)
            await emit(event)
        }
        // A client that left mid-answer (cancelled) gets no half turn in its conversation.
        if Task.isCancelled {
            logger.info("chat turn not kept: the client went away", metadata: ["conversation": "\(cid)"])
            return (cid, answer)
        }
        let stored = await steps.all.compactMap(Self.step)
        do {
            try await withStore { store in
                try await store.appendMessages([
                    ConversationMessage(role: .user, content: question, createdAt: asked),
                    ConversationMessage(role: .assistant, content: answer, steps: stored.isEmpty ? nil : JSONValue.array(stored).text(), createdAt: context.now()),
                ], to: cid)
            }
        } catch {
            logger.warning("chat turn not saved", metadata: ["conversation": "\(cid)", "error": "\(ToolErrors.message(error))"])
        }
        return (cid, answer)
    }

    /// A tool step as stored: the call or the result's summary (not its table, which can be large).
    static func step(_ event: ChatEvent) -> JSONValue? {
        switch event {
        case .toolCall, .toolResult(_, _, _, nil): .object(["event": .string(event.sse.event), "data": event.sse.data])
        case .toolResult(let name, let summary, let isError, _):
            .object(["event": .string("tool_result"), "data": ChatEvent.toolResult(name: name, summary: summary, isError: isError).sse.data])
        case .message, .messageComplete: nil
        }
    }
}

actor EventLog {
    var all: [ChatEvent] = []
    func append(_ e: ChatEvent) { all.append(e) }
}
