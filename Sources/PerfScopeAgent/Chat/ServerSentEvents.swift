import Foundation

/// An incremental Server-Sent Events parser: bytes in (as they arrive, split anywhere — even
/// inside a UTF-8 character), complete events out. Used for the LLM's streamed completions and by
/// `perfscope chat --server` for the server's `/chat/stream`.
public struct ServerSentEvents: Sendable {
    public struct Event: Sendable, Equatable {
        /// The `event:` field, nil for the default ("message") type.
        public var name: String?
        /// The `data:` lines joined by newlines.
        public var data: String

        public init(name: String?, data: String) {
            self.name = name
            self.data = data
        }
    }

    var pending: [UInt8] = []

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [Event] {
        pending += bytes
        var out: [Event] = []
        // Events end at a blank line: LF LF (CR LF CR LF normalised by dropping CRs).
        while let end = blankLine() {
            let block = String(decoding: pending[..<end.start], as: UTF8.self).replacingOccurrences(of: "\r", with: "")
            pending.removeFirst(end.next)
            var name: String?
            var data: [String] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) where !line.hasPrefix(":") {
                let (field, value) = Self.field(line)
                if field == "event" { name = value } else if field == "data" { data.append(value) }
            }
            if !data.isEmpty { out.append(Event(name: name, data: data.joined(separator: "\n"))) }
        }
        return out
    }

    /// `field: value` with one optional space after the colon, as the SSE spec says.
    static func field(_ line: Substring) -> (String, String) {
        guard let colon = line.firstIndex(of: ":") else { return (String(line), "") }
        var value = line[line.index(after: colon)...]
        if value.first == " " { value = value.dropFirst() }
        return (String(line[..<colon]), String(value))
    }

    func blankLine() -> (start: Int, next: Int)? {
        var i = 0
        while i + 1 < pending.count {
            if pending[i] == 10, pending[i + 1] == 10 { return (i, i + 2) }
            if pending[i] == 10, pending[i + 1] == 13, i + 2 < pending.count, pending[i + 2] == 10 { return (i, i + 3) }
            i += 1
        }
        return nil
    }
}

extension ChatEvent {
    /// The event a `/chat/stream` SSE event carries (the inverse of `sse`); nil for unknown events.
    public init?(sse event: ServerSentEvents.Event) {
        guard let object = try? JSONValue.parse(event.data).object else { return nil }
        switch event.name {
        case "tool_call": self = .toolCall(name: object["name"]?.string ?? "?", arguments: object["arguments"] ?? .object([:]))
        case "tool_result": self = .toolResult(name: object["name"]?.string ?? "?", summary: object["summary"]?.string ?? "",
                                               isError: object["isError"]?.bool ?? false, result: object["result"])
        case "message": self = .message(object["text"]?.string ?? "")
        case "message_complete": self = .messageComplete(object["text"]?.string ?? "")
        default: return nil
        }
    }
}
