import Foundation
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

    public init(_ name: String, _ kind: Kind, _ description: String, enumValues: [String]? = nil,
                defaultValue: JSONValue? = nil, required: Bool = false) {
        self.name = name
        self.kind = kind
        self.description = description
        self.enumValues = enumValues
        self.defaultValue = defaultValue
        self.required = required
    }

    var schema: JSONValue {
        var s: [String: JSONValue] = ["description": .string(description)]
        switch kind {
        case .stringArray: s["type"] = .string("array"); s["items"] = .object(["type": .string("string")])
        default: s["type"] = .string(kind.rawValue)
        }
        if let enumValues { s["enum"] = .array(enumValues.map(JSONValue.string)) }
        if let defaultValue { s["default"] = defaultValue }
        if kind == .integer, name == "top_k" { s["minimum"] = .number(1); s["maximum"] = .number(200) }
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
    public var now: @Sendable () -> Date

    public init(runtime: AnalysisRuntime, etcdEndpoints: [URL]? = nil, store: StoreLocation? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.runtime = runtime
        self.etcdEndpoints = etcdEndpoints
        self.store = store
        self.now = now
    }
}
