import ArgumentParser
import Foundation
import PerfScopeAgent
import PerfScopeCore

/// `perfscope tools`: the registry MCP, HTTP and the chat agent expose, from the shell — list
/// the tools with their schemas, or call one with JSON or key=value arguments.
struct ToolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools",
        abstract: "List or call the tools that MCP, the HTTP API and the chat agent expose.",
        subcommands: [List.self, Call.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every tool with its description (--json: with input schemas).")
        @Flag(name: .long, help: "Print names, descriptions and JSON Schemas as JSON.") var json = false

        func run() throws {
            let tools = ToolRegistry.standard.tools
            if json {
                let list = JSONValue.array(tools.map { .object(["name": .string($0.name), "title": .string($0.title),
                                                                "description": .string($0.description), "inputSchema": $0.inputSchema]) })
                try Terminal.write(list.text(pretty: true) + "\n", to: nil)
                return
            }
            let rows = [["tool", "arguments", "description"]] + tools.map { t in
                [t.name, t.parameters.map { $0.required ? $0.name + "*" : $0.name }.joined(separator: ","), t.description]
            }
            try Terminal.write(Table.render(rows), to: nil)
        }
    }

    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Call one tool and print its summary and structured result.",
            discussion: """
            Examples:
              perfscope tools call analyze_use_method duration=30m top_k=5
              perfscope tools call query_prometheus --json '{"query": "up"}'
            """)

        @Argument(help: "Tool name (perfscope tools list).") var name: String
        @Argument(help: "Arguments as key=value (numbers and true/false are typed; lists comma-separated).") var pairs: [String] = []
        @Option(name: .long, help: ArgumentHelp("Arguments as one JSON object.", valueName: "object")) var json: String?
        @Flag(name: .long, help: "Print only the structured JSON.") var structuredOnly = false
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            if ToolRegistry.standard.tool(named: name) == nil {
                throw ValidationError("unknown tool \(name.prefix(64)): perfscope tools list shows them")
            }
            if json != nil, !pairs.isEmpty { throw ValidationError("give --json or key=value arguments, not both") }
            if let bad = pairs.first(where: { !$0.contains("=") }) { throw ValidationError("invalid argument \(bad): use key=value") }
        }

        func run() async throws {
            var arguments: [String: JSONValue] = [:]
            if let json {
                guard let object = try JSONValue.parse(json).object else {
                    throw PerfScopeError.invalidInput("--json must be an object like {\"duration\": \"1h\"}")
                }
                arguments = object
            }
            for pair in pairs {
                let key = String(pair.prefix { $0 != "=" })
                let value = String(pair.dropFirst(key.count + 1))
                arguments[key] = Double(value).map(JSONValue.number) ?? (value == "true" ? .bool(true) : value == "false" ? .bool(false) : .string(value))
            }
            let output = try await ToolRegistry.standard.call(name, arguments: arguments, context: try await ToolContext.cli(connection))
            try Terminal.write((structuredOnly ? "" : output.summary + "\n\n") + output.structured.text(pretty: true) + "\n", to: nil)
        }
    }
}
