import Foundation
import PerfScopeCore

/// Any JSON value: tool arguments, JSON Schemas and structured results, independent of the
/// transport (MCP's `Value`, HTTP bodies, the chat agent's function calls all convert to it).
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let n = try? c.decode(Double.self) { self = .number(n) } else if let s = try? c.decode(String.self) { self = .string(s) } else if let a = try? c.decode([JSONValue].self) { self = .array(a) } else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            if n.isFinite, n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else if n.isFinite { try c.encode(n) } else { try c.encodeNil() }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Any Encodable, through the report's JSON encoder (ISO dates, non-finite numbers as null).
    public init<T: Encodable>(encoding value: T) throws {
        let data = try JSONRendering.encoder().encode(value)
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var number: Double? { if case .number(let n) = self { n } else { nil } }
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var object: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }

    /// Compact JSON text.
    public func text(pretty: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// Nesting deeper than this is refused before decoding: decoders recurse, and a body of
    /// 100 000 `[` would otherwise exhaust the stack and kill the process.
    public static let maxDepth = 64

    public static func parse(_ text: String) throws -> JSONValue {
        guard !exceedsDepth(text.utf8, limit: maxDepth) else {
            throw PerfScopeError.invalidInput("arguments are nested deeper than \(maxDepth) levels: send a flat object like {\"duration\": \"1h\"}")
        }
        do { return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) } catch {
            throw PerfScopeError.invalidInput("arguments are not valid JSON: give an object like {\"duration\": \"1h\"}")
        }
    }
}

extension JSONValue {
    /// Whether JSON text nests arrays and objects deeper than `limit`, by one pass over the
    /// bytes (brackets inside strings do not count). Cheap enough to run before any decoder.
    public static func exceedsDepth<Bytes: Sequence<UInt8>>(_ bytes: Bytes, limit: Int) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return false
    }
}
