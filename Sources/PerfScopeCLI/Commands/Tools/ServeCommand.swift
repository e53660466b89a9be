import ArgumentParser
import Foundation
import Logging
import PerfScopeAgent
import PerfScopeCore
import PerfScopeServer

/// `perfscope serve`: the web UI, chat, the tool registry, run history and MCP over HTTP.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web UI, chat, tools, run history and MCP over HTTP.",
        discussion: """
        Binds 127.0.0.1:8080 by default. Any other address needs a bearer token (--server-token-file
        or PERFSCOPE_SERVER_TOKEN); clients then send Authorization: Bearer <token>.
        Routes: / (web UI), POST /chat and /chat/stream (SSE), GET /api/tools, POST /api/tools/NAME,
        GET /api/runs[?duration=7d&cluster=&limit=], GET /api/runs/RUN, GET /api/reports/RUN.html,
        GET /api/etcd/health, GET /api/mcp/health, /mcp, GET /healthz (no token), GET /metrics.
        Examples:
          perfscope serve --port 8080
          curl -s localhost:8080/api/tools | jq '.[].name'
          curl -s -X POST localhost:8080/api/tools/analyze_use_method -d '{"duration": "30m"}'
        """)

    @Option(name: .long, help: "Address to bind (default 127.0.0.1).") var host = "127.0.0.1"
    @Option(name: .long, help: "Port (0 picks a free one; the bound port is printed on stderr).") var port = 8080
    @OptionGroup var serverToken: ServerTokenOptions
    @OptionGroup var connection: ConnectionOptions

    func token() throws -> String? { try serverToken.token() }

    func validate() throws {
        do { try ServerConfiguration(host: host, port: port, token: try token()).validate() } catch let e as any UserFacingError {
            throw ValidationError(e.message)
        }
    }

    func run() async throws {
        let configuration = ServerConfiguration(host: host, port: port, token: try token())
        let context = try await ToolContext.cli(connection)
        var logger = Logger(label: "perfscope.server")
        logger.logLevel = ProcessInfo.processInfo.environment["PERFSCOPE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let host = self.host
        // An OpenAI-compatible LLM when PERFSCOPE_LLM_BASE_URL is set; otherwise the offline agent answers.
        let llm = try LLMConfiguration.fromEnvironment()
        let agent: any ChatAgent = llm.map { LLMAgent(configuration: $0, registry: .standard, context: context) }
            ?? OfflineAgent(registry: .standard, context: context)
        let chat = llm.map { "LLM \($0.model) at \($0.baseURL.host ?? "?")" } ?? "offline agent (no LLM configured)"
        try await PerfScopeHTTPServer.run(configuration: configuration, registry: .standard, context: context, agent: agent, logger: logger) { port in
            Terminal.errorRaw("perfscope serve: listening on http://\(host):\(port) (web UI at /, tools at /api/tools, MCP at /mcp, chat: \(chat))")
        }
    }
}
