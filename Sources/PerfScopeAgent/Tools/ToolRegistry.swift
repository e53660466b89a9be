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
    public func call(_ name: String, arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        guard let tool = tool(named: name) else {
            let near = tools.map(\.name).min { a, b in a.levenshtein(name) < b.levenshtein(name) } ?? ""
            throw PerfScopeError.invalidInput("unknown tool \(name) (did you mean \(near)? tools/list shows all \(tools.count))")
        }
        return try await tool.run(try ToolArguments(arguments, for: tool), context)
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
