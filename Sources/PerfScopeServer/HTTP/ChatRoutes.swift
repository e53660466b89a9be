import Foundation
import HTTPTypes
import Hummingbird
import PerfScopeAgent
import PerfScopeCore

/// `/chat` (one JSON answer) and `/chat/stream` (SSE: `tool_call`, `tool_result`, `message`
/// chunks, `message_complete`), plus the web UI at `/` and `/ui`.
enum ChatRoutes {
    static func add(to router: Router<PerfScopeHTTPServer.Context>, agent: any ChatAgent) {
        router.get("/") { _, _ in page() }
        router.get("/ui") { _, _ in page() }
        router.post("/chat") { request, _ -> Response in
            do {
                let question = try await message(request)
                let events = EventLog()
                let answer = await agent.answer(question) { await events.append($0) }
                let steps = await events.all.map { e in JSONValue.object(["event": .string(e.sse.event), "data": e.sse.data]) }
                return PerfScopeHTTPServer.json(.object(["answer": .string(answer), "events": .array(steps)]))
            } catch {
                return PerfScopeHTTPServer.failure(error)
            }
        }
        router.post("/chat/stream") { request, _ -> Response in
            let question: String
            do { question = try await message(request) } catch {
                return PerfScopeHTTPServer.failure(error)
            }
            let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
            let task = Task {
                _ = await agent.answer(question) { event in
                    let (name, data) = event.sse
                    continuation.yield(ByteBuffer(string: "event: \(name)\ndata: \(data.text())\n\n"))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: stream))
        }
    }

    static func page() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: WebUI.html)))
    }

    /// `{"message": "…"}` → the question.
    static func message(_ request: Request) async throws -> String {
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let text = try JSONValue.parse(String(buffer: body)).object?["message"]?.string,
              !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw PerfScopeError.invalidInput("send a JSON body like {\"message\": \"why is etcd slow?\"}")
        }
        return text
    }
}

actor EventLog {
    var all: [ChatEvent] = []
    func append(_ e: ChatEvent) { all.append(e) }
}
