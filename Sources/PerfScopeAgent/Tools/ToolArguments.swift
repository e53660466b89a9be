import Foundation
import PerfScopeCore

/// A tool call's arguments, checked against the tool's parameters: unknown names, wrong types
/// and values outside an enum are one-line invalid-input errors, the same ones the CLI gives.
public struct ToolArguments: Sendable {
    public let values: [String: JSONValue]
    let tool: String

    public init(_ values: [String: JSONValue], for tool: ToolDefinition) throws {
        for (name, value) in values {
            guard let p = tool.parameters.first(where: { $0.name == name }) else {
                let known = tool.parameters.map(\.name).joined(separator: ", ")
                throw PerfScopeError.invalidInput("\(tool.name): unknown argument \(name.prefix(64)) (arguments: \(known.isEmpty ? "none" : known))")
            }
            if value == .null { continue }
            let ok: Bool
            switch p.kind {
            case .string: ok = value.string != nil
            case .integer, .number: ok = try Self.checkNumber(value, p, tool: tool.name)
            case .boolean: ok = value.bool != nil
            case .stringArray: ok = value.array?.allSatisfy { $0.string != nil } ?? (value.string != nil)
            }
            guard ok else { throw PerfScopeError.invalidInput("\(tool.name): argument \(name) must be \(p.kind == .stringArray ? "a list of strings" : "a \(p.kind.rawValue)")") }
            if let allowed = p.enumValues, let s = value.string, !allowed.contains(s) {
                throw PerfScopeError.invalidInput("\(tool.name): invalid \(name) \"\(s.prefix(64))\": use one of \(allowed.joined(separator: ", "))")
            }
        }
        for p in tool.parameters where p.required && (values[p.name] ?? .null) == .null {
            throw PerfScopeError.invalidInput("\(tool.name): argument \(p.name) is required (\(p.description))")
        }
        var filled = values.filter { $0.value != .null }
        for p in tool.parameters where filled[p.name] == nil { if let d = p.defaultValue { filled[p.name] = d } }
        self.values = filled
        self.tool = tool.name
    }

    public func string(_ name: String) -> String? { values[name]?.string }

    public func int(_ name: String) -> Int? {
        values[name].flatMap(Self.numeric).flatMap(CheckedNumber.int)
    }

    public func number(_ name: String) -> Double? {
        values[name].flatMap(Self.numeric).flatMap(CheckedNumber.finite)
    }

    /// A JSON number, or a number written as a string ("20", "0.5"): what models often send.
    static func numeric(_ value: JSONValue) -> Double? {
        if let n = value.number { return n }
        guard let s = value.string?.trimmingCharacters(in: .whitespaces), s.utf8.count <= 40 else { return nil }
        return Double(s)
    }

    /// Integers and numbers: finite, whole for integers, within the parameter's range. Not a
    /// number at all is `false` (the type error); a number out of range is its own usage error.
    static func checkNumber(_ value: JSONValue, _ p: ToolParameter, tool: String) throws -> Bool {
        guard let n = numeric(value) else { return false }
        let range = p.range.map { " from \(CheckedNumber.text($0.lowerBound)) to \(CheckedNumber.text($0.upperBound))" } ?? ""
        let whole = p.kind == .integer
        guard n.isFinite, !whole || CheckedNumber.int(n) != nil, p.range?.contains(n) ?? true else {
            let given = value.number.map(CheckedNumber.text) ?? "\"\(value.string.map { String($0.prefix(40)) } ?? "")\""
            throw PerfScopeError.invalidInput("\(tool): invalid \(p.name) \(given): use \(whole ? "a whole number" : "a number")\(range)")
        }
        return true
    }

    public func bool(_ name: String) -> Bool? { values[name]?.bool }

    public func strings(_ name: String) -> [String] {
        if let s = values[name]?.string { return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        return values[name]?.array?.compactMap(\.string) ?? []
    }

    /// The window of a call: `window(now:)` within the server's bounds (`ToolLimits`).
    public func window(_ context: ToolContext) throws -> TimeWindow {
        let window = try window(now: context.now())
        try context.limits.check(window)
        return window
    }

    /// `duration` (ending now) or `start`/`end`, and `rate_window`: the same rules as the CLI's flags.
    public func window(now: Date) throws -> TimeWindow {
        try TimeWindow.resolve(duration: start == nil ? string("duration") : nil, start: start, end: string("end"), now: now,
                               defaultDuration: 3600, rateWindow: string("rate_window"))
    }

    var start: String? { string("start") }

    /// `summary` (default: bounded) or `full`.
    public var full: Bool { string("detail") == "full" }

    public var topK: Int { max(1, min(200, int("top_k") ?? 10)) }
}

/// Parameters most tools share.
public enum CommonParameters {
    public static let window: [ToolParameter] = [
        ToolParameter("duration", .string, "Window length ending now: 90s, 15m, 1h, 2d (ignored when start is given).", defaultValue: .string("1h")),
        ToolParameter("start", .string, "Window start: RFC 3339 or Unix seconds."),
        ToolParameter("end", .string, "Window end: RFC 3339 or Unix seconds (default now)."),
        ToolParameter("rate_window", .string, "rate() range, e.g. 1m (default 5m, or 4 steps on long windows)."),
    ]
    public static let size: [ToolParameter] = [
        ToolParameter("top_k", .integer, "At most this many findings and items in the result.", defaultValue: .number(10)),
        ToolParameter("detail", .string, "summary: bounded result (default); full: everything, can be large.",
                      enumValues: ["summary", "full"], defaultValue: .string("summary")),
    ]
    public static let instance = ToolParameter("instance", .stringArray, "Only these instances (host or member instance label values).")
}
