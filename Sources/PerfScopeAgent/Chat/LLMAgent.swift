import Foundation
import Logging
import PerfScopeCore

/// The chat agent with an LLM: the model sees every registry tool as a function, calls them
/// (each result a bounded digest, cut to `maxToolResultCharacters`), and streams its answer.
/// After `maxSteps` tool rounds it must answer without tools. When the LLM fails, the error is
/// said in one line — and the offline agent answers instead, so a chat never ends empty.
public struct LLMAgent: ChatAgent {
    let client: LLMClient
    let registry: ToolRegistry
    let context: ToolContext
    let systemPrompt: String
    let fallback: OfflineAgent

    public init(configuration: LLMConfiguration, registry: ToolRegistry, context: ToolContext,
                systemPrompt: String = LLMConfiguration.defaultSystemPrompt, logger: Logger = Logger(label: "perfscope.llm")) {
        self.client = LLMClient(configuration: configuration, logger: logger)
        self.registry = registry
        self.context = context
        self.systemPrompt = systemPrompt
        self.fallback = OfflineAgent(registry: registry, context: context)
    }

    /// The registry as OpenAI function declarations.
    public static func functions(_ registry: ToolRegistry) -> [JSONValue] {
        registry.tools.map { t in
            .object(["type": .string("function"),
                     "function": .object(["name": .string(t.name), "description": .string(t.description), "parameters": t.inputSchema])])
        }
    }

    public func answer(_ question: String, emit: @Sendable (ChatEvent) async -> Void) async -> String {
        await answer(question, history: [], systemPrompt: nil, emit: emit)
    }

    public var usesSystemPrompt: Bool { true }

    public func answer(_ question: String, history: [ChatTurn], systemPrompt prompt: String?,
                       emit: @Sendable (ChatEvent) async -> Void) async -> String {
        var messages: [JSONValue] = [.object(["role": .string("system"), "content": .string(prompt ?? systemPrompt)])]
        messages += history.map { .object(["role": .string($0.role.rawValue), "content": .string($0.content)]) }
        messages.append(.object(["role": .string("user"), "content": .string(question)]))
        let tools = Self.functions(registry)
        let maxSteps = client.configuration.maxSteps
        do {
            for step in 0...maxSteps {
                let reply = try await client.complete(messages: messages, tools: step < maxSteps ? tools : []) { token in
                    await emit(.message(token))
                }
                if reply.toolCalls.isEmpty {
                    await emit(.messageComplete(reply.content))
                    return reply.content
                }
                messages.append(.object([
                    "role": .string("assistant"), "content": reply.content.isEmpty ? .null : .string(reply.content),
                    "tool_calls": .array(reply.toolCalls.map { c in
                        .object(["id": .string(c.id), "type": .string("function"),
                                 "function": .object(["name": .string(c.name), "arguments": .string(c.arguments)])])
                    }),
                ]))
                for call in reply.toolCalls {
                    let result = await run(call, emit: emit)
                    messages.append(.object(["role": .string("tool"), "tool_call_id": .string(call.id), "content": .string(result)]))
                }
            }
            let text = "I could not finish within \(maxSteps) tool rounds; ask a narrower question."
            await emit(.messageComplete(text))
            return text
        } catch {
            // The asker went away (a closed page, Ctrl-C): nobody is left to read a fallback.
            if Task.isCancelled || error is CancellationError { return "" }
            await emit(.message("The LLM could not answer (\(ToolErrors.message(error))); here is the rule-based answer.\n\n"))
            return await fallback.answer(question, emit: emit)
        }
    }

    /// Runs one tool call; the model gets the summary and the bounded structured result, or the error.
    func run(_ call: LLMClient.ToolCall, emit: @Sendable (ChatEvent) async -> Void) async -> String {
        let arguments = (try? JSONValue.parse(call.arguments.isEmpty ? "{}" : call.arguments))?.object ?? [:]
        await emit(.toolCall(name: call.name, arguments: .object(arguments)))
        do {
            let output = try await registry.call(call.name, arguments: arguments, context: context)
            await emit(.toolResult(name: call.name, output: output))
            let text = output.summary + "\n" + output.structured.text()
            let limit = client.configuration.maxToolResultCharacters
            return text.count > limit ? String(text.prefix(limit)) + "\n[truncated: call again with a narrower window, top_k or filter]" : text
        } catch {
            let message = ToolErrors.message(error)
            await emit(.toolResult(name: call.name, summary: message, isError: true))
            return "error: \(message)"
        }
    }
}
