import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PerfScopeAgent
import PerfScopeCollect
import PerfScopeCore
import PrometheusAPI
import Testing

/// The LLM agent against an in-test server speaking OpenAI's streaming chat-completions
/// protocol: function calling over the registry, streamed tokens, tool results fed back,
/// and a one-line error plus the offline answer when the LLM refuses.
@Suite struct LLMAgentTests {
    actor Recorder {
        var bodies: [JSONValue] = []
        var authorizations: [String] = []
        func add(_ body: JSONValue, _ auth: String) { bodies.append(body); authorizations.append(auth) }
    }

    static func sse(_ chunks: [JSONValue]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        let text = chunks.map { "data: \($0.text())\n\n" }.joined() + "data: [DONE]\n\n"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func delta(_ d: [String: JSONValue]) -> JSONValue {
        .object(["choices": .array([.object(["index": .number(0), "delta": .object(d)])])])
    }

    /// First call: the model asks for `fake_tool` (arguments split over two chunks); second: it answers in three tokens.
    /// `failFirst`: the first request's status (a retry test); `delay`: before each answer (a slow
    /// LLM); `alwaysTools`: ask for the tool whenever tools are offered (the step limit).
    static func fakeLLM(_ recorder: Recorder, status: HTTPResponse.Status = .ok, failFirst: HTTPResponse.Status? = nil,
                        delay: Duration = .zero, alwaysTools: Bool = false, toolIndex: JSONValue = .number(0)) -> some ApplicationProtocol {
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            let body = try JSONValue.parse(String(buffer: try await request.body.collect(upTo: 1 << 20)))
            await recorder.add(body, request.headers[.authorization] ?? "")
            if delay > .zero { try await Task.sleep(for: delay) }
            if let failFirst, await recorder.bodies.count == 1 {
                return Response(status: failFirst, body: .init(byteBuffer: ByteBuffer(string: #"{"error": {"message": "overloaded"}}"#)))
            }
            guard status == .ok else {
                return Response(status: status, body: .init(byteBuffer: ByteBuffer(string: #"{"error": {"message": "Incorrect API key provided"}}"#)))
            }
            let messages = body.object?["messages"]?.array ?? []
            let offered = !(body.object?["tools"]?.array ?? []).isEmpty
            if offered && (alwaysTools || !messages.contains(where: { $0.object?["role"]?.string == "tool" })) {
                return sse([
                    delta(["tool_calls": .array([.object(["index": toolIndex, "id": .string("call_1"), "type": .string("function"),
                                                         "function": .object(["name": .string("fake_tool"), "arguments": .string("{\"durat")])])])]),
                    delta(["tool_calls": .array([.object(["index": .number(0), "function": .object(["arguments": .string("ion\": \"2h\"}")])])])]),
                ])
            }
            return sse([delta(["content": .string("The cause ")]), delta(["content": .string("is the disk ")]), delta(["content": .string("of member 2.")])])
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    actor Events {
        var list: [ChatEvent] = []
        func add(_ e: ChatEvent) { list.append(e) }
    }

    static func agent(port: Int, key: String?, timeout: Duration = .seconds(10), maxSteps: Int = 6) throws -> LLMAgent {
        let config = PerfScopeConfig()
        let runtime = AnalysisRuntime(config: config, catalog: try AnalysisRuntime.catalog(config: config, environment: [:]),
                                      prometheus: PrometheusConfiguration(url: try PrometheusConfiguration.parseURL("http://127.0.0.1:1")), logger: Logger(label: "t"))
        let fake = ToolDefinition(name: "fake_tool", title: "Fake", description: "A tool for the test.", parameters: CommonParameters.window) { args, _ in
            ToolOutput(summary: "fake tool ran over \(args.string("duration") ?? "?")", structured: .object(["grade": .string("poor")]))
        }
        return LLMAgent(configuration: LLMConfiguration(baseURL: URL(string: "http://127.0.0.1:\(port)/v1")!, apiKey: key, model: "test-model", timeout: timeout, maxSteps: maxSteps),
                        registry: ToolRegistry(tools: [fake]), context: ToolContext(runtime: runtime))
    }

    @Test func callsToolsAndStreamsTheAnswer() async throws {
        let recorder = Recorder()
        try await Self.fakeLLM(recorder).test(.live) { client in
            let agent = try Self.agent(port: client.port!, key: "sk-test")
            let events = Events()
            let answer = await agent.answer("why is etcd slow?") { await events.add($0) }
            #expect(answer == "The cause is the disk of member 2.")
            let list = await events.list
            #expect(list.contains(.toolCall(name: "fake_tool", arguments: .object(["duration": .string("2h")]))))
            #expect(list.contains(.toolResult(name: "fake_tool", summary: "fake tool ran over 2h", isError: false,
                                              result: .object(["grade": .string("poor")]))), "the structured result goes to the front end")
            #expect(list.filter { if case .message = $0 { true } else { false } }.count == 3, "tokens streamed one by one")
            #expect(list.last == .messageComplete(answer))
            let bodies = await recorder.bodies
            #expect(bodies.count == 2)
            let first = try #require(bodies.first?.object)
            #expect(first["model"] == .string("test-model") && first["stream"] == .bool(true))
            let tools = first["tools"]?.array ?? []
            #expect(tools.first?.object?["function"]?.object?["parameters"]?.object?["type"] == .string("object"))
            #expect(first["messages"]?.array?.first?.object?["role"] == .string("system"))
            let second = bodies[1].object?["messages"]?.array ?? []
            #expect(second.contains { $0.object?["role"] == .string("tool") && ($0.object?["content"]?.string ?? "").contains("fake tool ran over 2h") })
            #expect(await recorder.authorizations.allSatisfy { $0 == "Bearer sk-test" })
        }
    }

    @Test func aConversationSendsItsPromptAndEarlierTurns() async throws {
        let recorder = Recorder()
        try await Self.fakeLLM(recorder).test(.live) { client in
            let agent = try Self.agent(port: client.port!, key: "sk-test")
            #expect(agent.usesSystemPrompt)
            let history = [ChatTurn(role: .user, content: "is member 2 slow?"), ChatTurn(role: .assistant, content: "Its WAL fsync p99 is 40 ms.")]
            _ = await agent.answer("and why?", history: history, systemPrompt: "Answer in one sentence.") { _ in }
            let messages = try #require(await recorder.bodies.first?.object?["messages"]?.array)
            #expect(messages.map { $0.object?["role"]?.string ?? "" } == ["system", "user", "assistant", "user"])
            #expect(messages.map { $0.object?["content"]?.string ?? "" } == ["Answer in one sentence.", "is member 2 slow?", "Its WAL fsync p99 is 40 ms.", "and why?"])
            // No prompt given: the agent's own.
            _ = await agent.answer("why?", history: [], systemPrompt: nil) { _ in }
            let third = try #require(await recorder.bodies.dropFirst(2).first?.object?["messages"]?.array)
            #expect(third.first?.object?["content"]?.string == LLMConfiguration.defaultSystemPrompt)
        }
    }

    @Test func refusedKeyIsOneLineAndTheOfflineAgentAnswers() async throws {
        let recorder = Recorder()
        try await Self.fakeLLM(recorder, status: .unauthorized).test(.live) { client in
            let agent = try Self.agent(port: client.port!, key: "sk-wrong")
            let events = Events()
            _ = await agent.answer("why is etcd slow?") { await events.add($0) }
            let messages = await events.list.compactMap { if case .message(let t) = $0 { t } else { nil } }
            let first = try #require(messages.first)
            #expect(first.contains("rejected the API key") && first.contains("PERFSCOPE_LLM_API_KEY") && !first.contains("sk-wrong"))
            #expect(await recorder.bodies.count == 1, "a refused key is not retried")
        }
    }

    /// The model's tool-call index is outside data: 1e300 or 2^63 used to trap in Int().
    @Test(arguments: [JSONValue.number(1e300), .number(0x1p63), .number(-1), .number(32), .number(0.5)])
    func aHostileToolCallIndexIsOneLine(index: JSONValue) async throws {
        let recorder = Recorder()
        try await Self.fakeLLM(recorder, toolIndex: index).test(.live) { client in
            let agent = try Self.agent(port: client.port!, key: "k")
            let events = Events()
            _ = await agent.answer("why is etcd slow?") { await events.add($0) }
            let messages = await events.list.compactMap { if case .message(let t) = $0 { t } else { nil } }
            #expect(messages.first?.contains("invalid index") == true, "\(messages)")
        }
    }

    @Test func a503IsRetriedOnce() async throws {
        let recorder = Recorder()
        try await Self.fakeLLM(recorder, failFirst: .serviceUnavailable).test(.live) { client in
            let agent = try Self.agent(port: client.port!, key: "sk-test")
            let answer = await agent.answer("why is etcd slow?") { _ in }
            #expect(answer == "The cause is the disk of member 2.")
            #expect(await recorder.bodies.count == 3, "503, then the tool call, then the answer")
        }
    }

    /// An LLM slower than the timeout: one line saying so (after the one retry), then the offline answer.
    @Test func aSlowLLMTimesOutInOneLine() async throws {
        let recorder = Recorder()
        try await Self.fakeLLM(recorder, delay: .seconds(5)).test(.live) { client in
            let config = try Self.agent(port: client.port!, key: "sk-test", timeout: .seconds(1))
            let events = Events()
            let started = ContinuousClock.now
            _ = await config.answer("why is etcd slow?") { await events.add($0) }
            let first = await events.list.compactMap { if case .message(let t) = $0 { t } else { nil } }.first ?? ""
            #expect(first.hasPrefix("The LLM could not answer") && first.contains("here is the rule-based answer") && !first.contains("sk-test"), "\(first)")
            #expect(first.split(separator: "\n").count == 1, "one line: \(first)")
            #expect(await recorder.bodies.count == 2, "retried once")
            #expect(ContinuousClock.now - started < .seconds(30), "bounded by the timeout, not the slow server")
        }
    }

    /// A model that keeps calling tools gets none after `maxSteps` rounds and must answer.
    @Test func theStepLimitEndsToolCalling() async throws {
        let recorder = Recorder()
        try await Self.fakeLLM(recorder, alwaysTools: true).test(.live) { client in
            let agent = try Self.agent(port: client.port!, key: "sk-test", maxSteps: 2)
            let answer = await agent.answer("why is etcd slow?") { _ in }
            #expect(answer == "The cause is the disk of member 2.")
            let bodies = await recorder.bodies
            #expect(bodies.count == 3, "two tool rounds, then an answer")
            #expect(bodies.last?.object?["tools"] == nil && bodies.first?.object?["tools"] != nil, "the last request offers no tools")
        }
    }

    @Test func configurationFromTheEnvironment() throws {
        #expect(try LLMConfiguration.fromEnvironment([:]) == nil)
        let c = try #require(try LLMConfiguration.fromEnvironment(["PERFSCOPE_LLM_BASE_URL": "http://127.0.0.1:11434/v1", "PERFSCOPE_LLM_MODEL": "llama3.1"]))
        #expect(c.model == "llama3.1" && c.apiKey == nil)
        #expect(throws: PerfScopeError.self) { try LLMConfiguration.fromEnvironment(["PERFSCOPE_LLM_BASE_URL": "http://127.0.0.1:11434/v1"]) }
        #expect(throws: PerfScopeError.self) { try LLMConfiguration.fromEnvironment(["PERFSCOPE_LLM_BASE_URL": "ftp://x", "PERFSCOPE_LLM_MODEL": "m"]) }
    }
}
