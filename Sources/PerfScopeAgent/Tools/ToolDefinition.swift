import Foundation
import Logging
import PerfScopeCore
import PerfScopeStore

/// One capability, declared once and exposed by every front end: MCP (`tools/list`,
/// `tools/call`), HTTP (`/api/tools`), the chat agent (function calling) and the CLI
/// (`perfscope tools`). Tools are read-only.
public struct ToolDefinition: Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var parameters: [ToolParameter]
    public var run: @Sendable (ToolArguments, ToolContext) async throws -> ToolOutput

    public init(name: String, title: String, description: String, parameters: [ToolParameter],
                run: @escaping @Sendable (ToolArguments, ToolContext) async throws -> ToolOutput) {
        self.name = name
        self.title = title
        self.description = description
        self.parameters = parameters
        self.run = run
    }

    /// JSON Schema (draft 2020-12 subset) of the arguments: types, enums, defaults, required.
    public var inputSchema: JSONValue {
        var properties: [String: JSONValue] = [:]
        for p in parameters { properties[p.name] = p.schema }
        let required = parameters.filter(\.required).map { JSONValue.string($0.name) }
        var schema: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties), "additionalProperties": .bool(false)]
        if !required.isEmpty { schema["required"] = .array(required) }
        return .object(schema)
    }
}

/// One argument of a tool and its JSON Schema.
public struct ToolParameter: Sendable {
    public enum Kind: String, Sendable { case string, integer, number, boolean, stringArray }

    public var name: String
    public var kind: Kind
    public var description: String
    public var enumValues: [String]?
    public var defaultValue: JSONValue?
    public var required: Bool
    /// Allowed values of an integer or number (inclusive); `top_k` is 1…200 unless said otherwise.
    public var range: ClosedRange<Double>?

    public init(_ name: String, _ kind: Kind, _ description: String, enumValues: [String]? = nil,
                defaultValue: JSONValue? = nil, required: Bool = false, range: ClosedRange<Double>? = nil) {
        self.name = name
        self.kind = kind
        self.description = description
        self.enumValues = enumValues
        self.defaultValue = defaultValue
        self.required = required
        self.range = range ?? (name == "top_k" && kind == .integer ? 1...200 : nil)
    }

    var schema: JSONValue {
        var s: [String: JSONValue] = ["description": .string(description)]
        switch kind {
        case .stringArray: s["type"] = .string("array"); s["items"] = .object(["type": .string("string")])
        default: s["type"] = .string(kind.rawValue)
        }
        if let enumValues { s["enum"] = .array(enumValues.map(JSONValue.string)) }
        if let defaultValue { s["default"] = defaultValue }
        if let range { s["minimum"] = .number(range.lowerBound); s["maximum"] = .number(range.upperBound) }
        return .object(s)
    }
}

/// What a tool returns: a short text summary (what a model reads first) and structured JSON
/// (what a program reads), size-bounded unless the caller asked for `detail: full`.
public struct ToolOutput: Sendable {
    public var summary: String
    public var structured: JSONValue

    public init(summary: String, structured: JSONValue) {
        self.summary = summary
        self.structured = structured
    }
}

/// What tools run against: the analysis runtime (config, catalog, Prometheus) and, when
/// configured, the run history and etcd endpoints.
public struct ToolContext: Sendable {
    public var runtime: AnalysisRuntime
    /// etcd client URLs for gateway calls (`PERFSCOPE_ETCD_ENDPOINTS`); nil → the scraped instances.
    public var etcdEndpoints: [URL]?
    /// The run history (`--db` / `PERFSCOPE_DB` / the default file); nil → history tools say so.
    public var store: StoreLocation?
    /// The store opened once and shared by every call (`perfscope serve`, `perfscope mcp`); nil
    /// → each call opens `store` itself (one-shot CLI commands).
    public var history: SharedStore?
    /// What one call may make the server do (`ToolLimits`).
    public var limits: ToolLimits
    public var now: @Sendable () -> Date

    public init(runtime: AnalysisRuntime, etcdEndpoints: [URL]? = nil, store: StoreLocation? = nil, limits: ToolLimits = ToolLimits(),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.runtime = runtime
        self.etcdEndpoints = etcdEndpoints
        self.store = store
        self.limits = limits
        self.now = now
    }

    /// For a long-running server: the Prometheus queries of every call share `limits`' one
    /// limiter, and the history store is opened and migrated once, now, and shared.
    public func serving(_ limits: ToolLimits, logger: Logger) async -> ToolContext {
        var c = self
        c.limits = limits
        c.runtime = runtime.with(prometheus: limits.shared(runtime.prometheus))
        if let store {
            let shared = SharedStore(store, logger: logger)
            await shared.warmUp()
            c.history = shared
        }
        return c
    }
}
