import Foundation
import PerfScopeAgent
import Testing

/// The SSE parser that reads the LLM's streamed completions and the server's `/chat/stream`.
@Suite struct ServerSentEventsTests {
    static let stream = Array("event: message\ndata: {\"text\": \"Grüße\"}\n\n: a comment\n\ndata: line 1\r\ndata:line 2\r\n\r\nevent: tool_call\ndata: {\"name\": \"get_run\", \"arguments\": {}}\n\n".utf8)

    /// Every way to cut the bytes (including inside "ü") gives the same events.
    @Test(arguments: [1, 2, 3, 7, 16, 1000])
    func chunkingDoesNotMatter(size: Int) {
        var parser = ServerSentEvents()
        var events: [ServerSentEvents.Event] = []
        var i = 0
        while i < Self.stream.count {
            events += parser.feed(Array(Self.stream[i..<min(i + size, Self.stream.count)]))
            i += size
        }
        #expect(events.map(\.name) == ["message", nil, "tool_call"])
        #expect(events[0].data == #"{"text": "Grüße"}"#)
        #expect(events[1].data == "line 1\nline 2", "data lines joined; one optional space dropped")
    }

    @Test func chatEventsRoundTrip() {
        let all: [ChatEvent] = [.toolCall(name: "get_run", arguments: .object(["run": .string("latest")])),
                                .toolResult(name: "get_run", summary: "grade good", isError: true),
                                .toolResult(name: "get_run", summary: "grade good", isError: false,
                                            result: .object(["runs": .array([.object(["id": .string("r1"), "grade": .string("good")])])])),
                                .message("chunk "), .messageComplete("chunk done")]
        for e in all {
            let (name, data) = e.sse
            #expect(ChatEvent(sse: .init(name: name, data: data.text())) == e)
        }
        #expect(ChatEvent(sse: .init(name: "other", data: "{}")) == nil)
        #expect(ChatEvent(sse: .init(name: "message", data: "not json")) == nil)
    }
}
