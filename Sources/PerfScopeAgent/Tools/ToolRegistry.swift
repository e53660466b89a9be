import Foundation
import PerfScopeCore

/// The one list of tools. A new capability is one `ToolDefinition` added to a family's `all`
/// (etcd, host, Prometheus…); MCP, `/api/tools`, the chat agent and `perfscope tools` pick it up.
public struct ToolRegistry: Sendable {
    public let tools: [ToolDefinition]

    public init(tools: [ToolDefinition]) {
        self.tools = tools
    }

    public static let standard = ToolRegistry(tools: EtcdTools.all + HostTools.all + PrometheusTools.all + HistoryTools.all + KubernetesTools.all)

    public func tool(named name: String) -> ToolDefinition? { tools.first { $0.name == name } }

    /// Validates the arguments and runs the tool. Unknown tools and bad arguments throw
    /// `PerfScopeError.invalidInput`; the tool's own failures keep their kind.
    /// Every call runs within the context's `ToolLimits`: a slot among the server's concurrent
    /// calls and the per-call deadline.
    public func call(_ name: String, arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        guard let tool = tool(named: name) else { throw unknown(name, limit: context.limits.maxToolNameLength) }
        let checked = try ToolArguments(arguments, for: tool)
        return try await context.limits.run(tool.name) { try await tool.run(checked, context) }
    }

    /// The error for a name no tool has: with the nearest name when it is short enough to be a
    /// typo (edit distance is quadratic in the length, so a long name is never compared).
    func unknown(_ name: String, limit: Int) -> PerfScopeError {
        guard name.unicodeScalars.count <= limit else {
            return .invalidInput("unknown tool (a name of \(name.unicodeScalars.count) characters; tool names have at most \(limit)): tools/list shows all \(tools.count)")
        }
        let near = tools.map(\.name).min { a, b in a.levenshtein(name) < b.levenshtein(name) } ?? ""
        return .invalidInput("unknown tool \(name) (did you mean \(near)? tools/list shows all \(tools.count))")
    }
}

extension String {
    func levenshtein(_ other: String) -> Int {
        let a = Array(self), b = Array(other)
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = Swift.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
