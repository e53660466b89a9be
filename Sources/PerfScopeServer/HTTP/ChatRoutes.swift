import Foundation
import HTTPTypes
import Hummingbird
import PerfScopeAgent
import PerfScopeCore

/// `/chat` (one JSON answer) and `/chat/stream` (SSE: `tool_call`, `tool_result`, `message`
/// chunks, `message_complete`), each turn kept in its conversation (`Conversations`).
enum ChatRoutes {
    static func add(to router: Router<PerfScopeHTTPServer.Context>, agent: any ChatAgent, conversations: Conversations) {
        // POST /chat {"message": "…", "conversation_id": "…"?} → {"conversation_id", "answer", "events"}
        router.post("/chat") { request, _ -> Response in
            do {
                let ask = try await Ask(request)
                let events = EventLog()
                let (id, answer) = try await conversations.answer(ask.message, conversation: ask.conversationID) { await events.append($0) }
                let steps = await events.all.map { e in JSONValue.object(["event": .string(e.sse.event), "data": e.sse.data]) }
                return PerfScopeHTTPServer.json(.object(["conversation_id": id.map { .string($0) } ?? .null,
                                                         "answer": .string(answer), "events": .array(steps)]))
            } catch {
                return PerfScopeHTTPServer.failure(error)
            }
        }
        // POST /chat/stream: the same as SSE, opened by `conversation` {"conversation_id"} when the
        // conversation is kept. A bad request or unknown conversation is a plain JSON error.
        router.post("/chat/stream") { request, _ -> Response in
            let ask: Ask
            do { ask = try await Ask(request) } catch {
                return PerfScopeHTTPServer.failure(error)
            }
            let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
            let (opened, openedContinuation) = AsyncStream<Result<Void, any Error>>.makeStream()
            let task = Task {
                do {
                    _ = try await conversations.answer(ask.message, conversation: ask.conversationID, started: { id in
                        openedContinuation.yield(.success(()))
                        continuation.yield(sse("conversation", .object(["conversation_id": .string(id)])))
                    }) { event in
                        openedContinuation.yield(.success(()))
                        continuation.yield(sse(event.sse.event, event.sse.data))
                    }
                    openedContinuation.yield(.success(()))
                } catch {
                    // Before the stream opened this becomes the JSON error response; after, an SSE `error` event.
                    openedContinuation.yield(.failure(error))
                    continuation.yield(sse("error", .object(["error": .string(ToolErrors.message(error))])))
                }
                openedContinuation.finish()
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
            // Wait for the conversation to open (or fail) before choosing the status.
            for await first in opened {
                if case .failure(let error) = first { return PerfScopeHTTPServer.failure(error) }
                break
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: stream))
        }
    }

    static func sse(_ event: String, _ data: JSONValue) -> ByteBuffer {
        ByteBuffer(string: "event: \(event)\ndata: \(data.text())\n\n")
    }

    /// `{"message": "…", "conversation_id": "…"?}`: a question, in a kept conversation or a new one.
    struct Ask {
        var message: String
        var conversationID: String?

        init(_ request: Request) async throws {
            let body = try await request.body.collect(upTo: 64 * 1024)
            let object = try JSONValue.parse(String(buffer: body)).object
            guard let text = object?["message"]?.string, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw PerfScopeError.invalidInput("send a JSON body like {\"message\": \"why is etcd slow?\"}")
            }
            message = text
            switch object?["conversation_id"] {
            case nil, .null?: conversationID = nil
            case .string(let id)?: conversationID = try Conversations.validate(id: id)
            default: throw PerfScopeError.invalidInput("conversation_id must be a string (or omitted to start a new conversation)")
            }
        }
    }
}
