import ArgumentParser
import Foundation
import Logging
import PerfScopeAgent
import PerfScopeCollect
import PerfScopeServer
import PerfScopeStore

/// `perfscope mcp`: the tool registry as an MCP server over stdio, for AI assistants that
/// start perfscope as a subprocess (Claude Desktop, Cursor, LangGraph agents…).
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve every perfscope tool over MCP on stdio (JSON-RPC on stdin/stdout).",
        discussion: """
        Configure your assistant with: {"command": "perfscope", "args": ["mcp", "--prometheus", "http://prometheus:9090"]}.
        stdout carries only the protocol; diagnostics go to stderr. For MCP over HTTP use perfscope serve (/mcp).
        etcd endpoints for get_etcd_cluster_status: PERFSCOPE_ETCD_ENDPOINTS (else the members of perfscope.yaml or the Kubernetes API; never instance labels).
        """)

    @OptionGroup(title: "Bounds (what one caller can make the server do)") var limits: ToolLimitOptions
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        var logger = Logger(label: "perfscope.mcp")
        logger.logLevel = .error
        let context = try await ToolContext.cli(connection).serving(try limits.limits(), logger: logger)
        try await MCPToolServer.serveStdio(registry: .standard, context: context)
        await context.history?.close()
    }
}

extension ToolContext {
    /// The tool context for the CLI's connection flags and environment.
    static func cli(_ connection: ConnectionOptions) async throws -> ToolContext {
        let session = try await Session.make(connection)
        let endpoints = try ProcessInfo.processInfo.environment["PERFSCOPE_ETCD_ENDPOINTS"]
            .flatMap { $0.isEmpty ? nil : $0 }.map { try EtcdGatewayConfiguration.parseEndpoints($0) }
        // The history the CLI's analyze writes to (PERFSCOPE_DB or the default file).
        let store = try? StoreLocation.resolve(flag: nil)
        // A one-shot command's bounds; `perfscope serve` and `perfscope mcp` put their own in (`serving`).
        return ToolContext(runtime: session.runtime, etcdEndpoints: endpoints, store: store, limits: .command)
    }
}
