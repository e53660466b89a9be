import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PerfScopeCore

/// A running `perfscope serve` as a chat agent: questions go to its `/chat/stream`, its SSE
/// events come back as `ChatEvent`s, so `perfscope chat --server` renders them exactly as it
/// renders the in-process agent. The token is sent as a bearer header and never logged.
///
/// The server keeps the conversation: the first answer's `conversation` event names it, and
/// every later question of this client goes to the same one, so the server's agent sees the
/// earlier turns (and its system prompt, which `systemPrompt`/`setSystemPrompt` read and set).
public struct RemoteChatAgent: ChatAgent {
    public let baseURL: URL
    let token: String?
    let timeout: Duration
    let conversation = ConversationBox()

    /// The server's conversation id, once the first answer (or a prompt) started one.
    public var conversationID: String? { conversation.id }

    public init(baseURL: URL, token: String?, timeout: Duration = .seconds(300)) {
        self.baseURL = baseURL
        self.token = token
        self.timeout = timeout
    }

    var host: String { "\(baseURL.host ?? "?")\(baseURL.port.map { ":\($0)" } ?? "")" }

    func request(_ path: String, method: HTTPMethod = .GET, body: JSONValue? = nil) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL.appendingPathComponent(path).absoluteString)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.text()))
        }
        return request
    }

    func execute(_ request: HTTPClientRequest, timeout: Duration) async throws -> HTTPClientResponse {
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: TimeAmount(timeout))
        } catch {
            throw RemoteChatError(.upstreamUnavailable, "cannot reach perfscope serve at \(host): \(String(describing: error).prefix(120)) — check --server and that the server runs")
        }
        guard response.status == .ok else {
            let text = String(buffer: (try? await response.body.collect(upTo: 64 * 1024)) ?? ByteBuffer())
            let detail = (try? JSONValue.parse(text).object?["error"]?.string) ?? String(text.prefix(160))
            if response.status.code == 401 {
                throw RemoteChatError(.configuration, "perfscope serve at \(host) refused the token (HTTP 401) — pass --server-token-file or set PERFSCOPE_SERVER_TOKEN")
            }
            let kind: ErrorKind = response.status.code == 404 ? .notFound : response.status.code < 500 ? .invalidInput : .upstreamFailed
            throw RemoteChatError(kind, "perfscope serve at \(host) answered HTTP \(response.status.code): \(detail)")
        }
        return response
    }

    /// Fails with a one-line error unless the server answers `/healthz` and accepts the token (`/api/tools`).
    public func check() async throws -> [String] {
        _ = try await execute(request("healthz"), timeout: .seconds(10))
        let tools = try await execute(request("api/tools"), timeout: .seconds(10)).body.collect(upTo: 4 << 20)
        return (try? JSONValue.parse(String(buffer: tools)).array?.compactMap { $0.object?["name"]?.string }) ?? []
    }

    public func answer(_ question: String, emit: @Sendable (ChatEvent) async -> Void) async -> String {
        do {
            var body: [String: JSONValue] = ["message": .string(question)]
            if let id = conversation.id { body["conversation_id"] = .string(id) }
            let response: HTTPClientResponse
            do {
                response = try await execute(request("chat/stream", method: .POST, body: .object(body)), timeout: timeout)
            } catch let error as RemoteChatError where error.kind == .notFound && conversation.id != nil {
                // The conversation was deleted on the server (the web UI, DELETE /api/conversations): start a new one.
                conversation.id = nil
                await emit(.message("(This conversation was deleted on the server; a new one starts with this question.)\n\n"))
                body["conversation_id"] = nil
                response = try await execute(request("chat/stream", method: .POST, body: .object(body)), timeout: timeout)
            }
            var parser = ServerSentEvents()
            var answer = ""
            for try await chunk in response.body {
                for event in parser.feed(Array(chunk.readableBytesView)) {
                    if event.name == "conversation", let id = try? JSONValue.parse(event.data).object?["conversation_id"]?.string {
                        conversation.id = id
                        continue
                    }
                    guard let e = ChatEvent(sse: event) else { continue }
                    if case .messageComplete(let text) = e { answer = text }
                    await emit(e)
                }
            }
            return answer
        } catch {
            // Also a `.message`, so it shows even after part of an answer has streamed.
            let text = "Error: \(ToolErrors.message(error))"
            await emit(.message("\n" + text))
            await emit(.messageComplete(text))
            return text
        }
    }
}

/// What went wrong talking to a perfscope server, in one line, with the shared error kinds.
public struct RemoteChatError: Error, UserFacingError {
    public let kind: ErrorKind
    public let message: String

    init(_ kind: ErrorKind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

extension RemoteChatAgent {
    /// The system prompt in force for this conversation (the server's until one is set), with its source.
    public func systemPrompt() async throws -> (text: String, source: String) {
        let path = conversation.id.map { "api/system-prompt/\($0)" } ?? "api/system-prompt"
        return try await Self.prompt(try await execute(request(path), timeout: .seconds(10)))
    }

    /// Sets (nil: resets to the server's) this conversation's prompt; starts the conversation
    /// when no question has been asked yet.
    public func setSystemPrompt(_ text: String?) async throws -> (text: String, source: String) {
        if text == nil, conversation.id == nil { return try await systemPrompt() }  // nothing of ours to reset yet
        let id = conversation.id ?? UUID().uuidString.lowercased()
        let r = text.map { request("api/system-prompt/\(id)", method: .POST, body: .object(["system_prompt": .string($0)])) }
            ?? request("api/system-prompt/\(id)", method: .DELETE)
        let answer = try await Self.prompt(try await execute(r, timeout: .seconds(10)))
        conversation.id = id
        return answer
    }

    static func prompt(_ response: HTTPClientResponse) async throws -> (text: String, source: String) {
        let o = try JSONValue.parse(String(buffer: try await response.body.collect(upTo: 1 << 20))).object
        return (o?["system_prompt"]?.string ?? "", o?["source"]?.string ?? "?")
    }

    final class ConversationBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value: String?
        var id: String? {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }
}
