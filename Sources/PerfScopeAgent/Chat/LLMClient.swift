import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PerfScopeCore

/// A streaming client for OpenAI-compatible `POST {base}/chat/completions` with function
/// calling. Tokens arrive as they stream; tool calls are assembled from their deltas.
public struct LLMClient: Sendable {
    /// Parallel tool calls one reply may carry (their `index` must be below this).
    static let maxToolCalls = 32

    public struct ToolCall: Sendable, Equatable {
        public var id: String
        public var name: String
        public var arguments: String
    }

    public struct Reply: Sendable {
        public var content: String
        public var toolCalls: [ToolCall]
    }

    let configuration: LLMConfiguration
    let logger: Logger

    public init(configuration: LLMConfiguration, logger: Logger = Logger(label: "perfscope.llm")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// One completion: `messages` and `tools` in OpenAI's JSON shapes; `onToken` gets text as it streams.
    /// Retries once on 429/5xx and on connection failures; errors are one line without the key.
    public func complete(messages: [JSONValue], tools: [JSONValue], onToken: @Sendable (String) async -> Void) async throws -> Reply {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await once(messages: messages, tools: tools, onToken: onToken)
            } catch let error as LLMError where error.retryable && attempt < 2 {
                logger.warning("llm retry", metadata: ["reason": "\(error.message)"])
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    func once(messages: [JSONValue], tools: [JSONValue], onToken: @Sendable (String) async -> Void) async throws -> Reply {
        let url = configuration.baseURL.appendingPathComponent("chat/completions").absoluteString
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let key = configuration.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        var body: [String: JSONValue] = ["model": .string(configuration.model), "messages": .array(messages), "stream": .bool(true)]
        if !tools.isEmpty { body["tools"] = .array(tools); body["tool_choice"] = .string("auto") }
        request.body = .bytes(ByteBuffer(string: JSONValue.object(body).text()))
        let host = configuration.baseURL.host ?? "?"
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: TimeAmount(configuration.timeout), logger: logger)
        } catch {
            throw LLMError(.unreachable, "cannot reach the LLM at \(host): \(String(describing: error).prefix(120)) — check PERFSCOPE_LLM_BASE_URL", retryable: true)
        }
        guard response.status == .ok else {
            let text = String(buffer: (try? await response.body.collect(upTo: 64 * 1024)) ?? ByteBuffer())
            let detail = (try? JSONValue.parse(text).object?["error"]?.object?["message"]?.string) ?? String(text.prefix(160))
            switch response.status.code {
            case 401, 403: throw LLMError(.unauthorized, "the LLM at \(host) rejected the API key (HTTP \(response.status.code)) — check PERFSCOPE_LLM_API_KEY")
            case 404: throw LLMError(.notFound, "the LLM at \(host) has no chat/completions or no model \(configuration.model) (HTTP 404: \(detail)) — check PERFSCOPE_LLM_BASE_URL and PERFSCOPE_LLM_MODEL")
            case 429, 500...599: throw LLMError(.http, "the LLM at \(host) answered HTTP \(response.status.code): \(detail)", retryable: true)
            default: throw LLMError(.http, "the LLM at \(host) answered HTTP \(response.status.code): \(detail)")
            }
        }
        var content = ""
        var calls: [Int: ToolCall] = [:]
        var events = ServerSentEvents()
        for try await chunk in response.body {
            for data in events.feed(Array(chunk.readableBytesView)).map(\.data) {
                if data == "[DONE]" { continue }
                guard let delta = try? JSONValue.parse(data).object?["choices"]?.array?.first?.object?["delta"]?.object else { continue }
                if let token = delta["content"]?.string, !token.isEmpty {
                    content += token
                    await onToken(token)
                }
                for call in delta["tool_calls"]?.array ?? [] {
                    guard let c = call.object else { continue }
                    // The model's own number: checked, and bounded so a stream cannot grow the table without end.
                    guard let index = CheckedNumber.int(c["index"]?.number ?? Double(calls.count)), (0..<Self.maxToolCalls).contains(index) else {
                        throw LLMError(.http, "the LLM at \(host) sent a tool call with an invalid index (\(c["index"]?.number.map(CheckedNumber.text) ?? "?")): only 0 to \(Self.maxToolCalls - 1) are accepted")
                    }
                    var current = calls[index] ?? ToolCall(id: "", name: "", arguments: "")
                    if let id = c["id"]?.string { current.id = id }
                    if let f = c["function"]?.object {
                        if let name = f["name"]?.string { current.name += name }
                        if let args = f["arguments"]?.string { current.arguments += args }
                    }
                    calls[index] = current
                }
            }
        }
        return Reply(content: content, toolCalls: calls.sorted { $0.key < $1.key }.map(\.value))
    }
}

/// LLM failures with short fixed labels and one-line messages that never contain the key.
public struct LLMError: Error, UserFacingError {
    enum Label: String { case unreachable, unauthorized, notFound = "not_found", http }
    let label: Label
    public let message: String
    let retryable: Bool

    init(_ label: Label, _ message: String, retryable: Bool = false) {
        self.label = label
        self.message = message
        self.retryable = retryable
    }

    public var kind: ErrorKind {
        switch label {
        case .unreachable: .upstreamUnavailable
        case .unauthorized, .notFound: .configuration
        case .http: .upstreamFailed
        }
    }
}
