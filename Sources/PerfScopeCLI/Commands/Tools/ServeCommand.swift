import ArgumentParser
import Foundation
import Logging
import PerfScopeAgent
import PerfScopeCore
import PerfScopeServer
import PerfScopeStore

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
        GET /api/etcd/health, GET /api/mcp/health, /mcp, GET /healthz (no token), GET /metrics,
        GET /api/conversations[/ID], DELETE /api/conversations/ID,
        GET|POST|DELETE /api/system-prompt[/CONVERSATION].
        Examples:
          perfscope serve --port 8080
          perfscope serve --schedule "every 1h"           # an hourly analysis stored in the history
          perfscope serve --schedule "0 2 * * *" --schedule-window 24h --fleet --notify slack+https://hooks.slack.com/services/…
          curl -s localhost:8080/api/tools | jq '.[].name'
          curl -s -X POST -H 'Content-Type: application/json' localhost:8080/api/tools/analyze_use_method -d '{"duration": "30m"}'
        """)

    @Option(name: .long, help: "Address to bind (default 127.0.0.1).") var host = "127.0.0.1"
    @Option(name: .long, help: "Port (0 picks a free one; the bound port is printed on stderr).") var port = 8080
    @Option(name: .long, help: ArgumentHelp("Run the analysis on a schedule and store each run: an interval (every 1h, 30m) or a cron expression in UTC (\"0 2 * * *\", @daily).", valueName: "when"))
    var schedule: String?
    @Option(name: .long, help: ArgumentHelp("Window each scheduled run analyses (default: the interval, or 1h for cron).", valueName: "duration"))
    var scheduleWindow: String?
    @Flag(name: .long, help: "Scheduled runs analyse the fleet (every cluster by fleet.label in perfscope.yaml, default cluster), one stored run per cluster.")
    var fleet = false
    @OptionGroup(title: "Notifications (scheduled runs)") var notification: NotifyOptions
    @Option(name: .long, help: ArgumentHelp("MCP streamable-HTTP sessions kept at once; one more closes the least recently used (default \(MCPHTTPSessions.defaultMaxSessions)).", valueName: "n"))
    var maxMcpSessions = MCPHTTPSessions.defaultMaxSessions
    @Option(name: .long, help: ArgumentHelp("Close an MCP session unused this long (default 30m).", valueName: "duration"))
    var mcpIdleTimeout = "30m"
    @OptionGroup(title: "Bounds (what one caller can make the server do)") var limits: ToolLimitOptions
    @OptionGroup var serverToken: ServerTokenOptions
    @OptionGroup var connection: ConnectionOptions

    func token() throws -> String? { try serverToken.token() }

    func serverConfiguration() throws -> ServerConfiguration {
        ServerConfiguration(host: host, port: port, token: try token(), maxMCPSessions: maxMcpSessions,
                            mcpIdleTimeout: try DurationParser.seconds(mcpIdleTimeout))
    }

    func validate() throws {
        do {
            try serverConfiguration().validate()
            if let schedule { _ = try Schedule.parse(schedule) }
            if let scheduleWindow { _ = try DurationParser.seconds(scheduleWindow) }
        } catch let e as any UserFacingError {
            throw ValidationError(e.message)
        }
        if !(1...10_000).contains(maxMcpSessions) { throw ValidationError("invalid --max-mcp-sessions \(maxMcpSessions): use 1 to 10000") }
        if schedule == nil, scheduleWindow != nil || fleet || !notification.targets.isEmpty {
            throw ValidationError("--schedule-window, --fleet and --notify go with --schedule")
        }
    }

    /// The scheduled analysis: each run's window ends at its start time; runs are stored in the history.
    func scheduled(_ context: ToolContext, logger: Logger) throws -> ScheduledAnalysis? {
        guard let text = schedule else { return nil }
        let when = try Schedule.parse(text)
        guard context.store != nil else {
            throw PerfScopeError.configuration("--schedule stores every run, but no history is configured: set PERFSCOPE_DB")
        }
        let seconds: Double
        if let scheduleWindow { seconds = try DurationParser.seconds(scheduleWindow) } else if case .every(let s) = when { seconds = s } else { seconds = 3600 }
        let runtime = context.runtime, fleet = self.fleet, notification = self.notification
        return ScheduledAnalysis(schedule: when) { end in
            let window = try TimeWindow(duration: seconds, endingAt: end)
            let reports: [(cluster: String, report: Report)] = fleet
                ? try await runtime.analyzeFleet(window: window, label: runtime.config.fleet.label, clusters: runtime.config.fleet.clusters.map(Set.init)).reports
                : [(runtime.config.cluster ?? "default", try await runtime.analyze(window: window))]
            return try await HistoryTools.withStore(context) { history in
                // Every report is tried; the run counts as failed when any could not be stored.
                var failure: (any Error)?
                for (cluster, report) in reports {
                    // Notify against the cluster's previous run, before this one is stored.
                    for warning in await notification.send(report, store: history, cluster: cluster) {
                        logger.warning("notification not sent", metadata: ["cluster": "\(cluster)", "reason": "\(warning)"])
                    }
                    do { try await history.save(report, cluster: cluster) } catch { failure = failure ?? error }
                }
                if let failure { throw failure }
                return reports.map(\.report.id)
            }
        }
    }

    func run() async throws {
        let configuration = try serverConfiguration()
        var logger = Logger(label: "perfscope.server")
        logger.logLevel = ProcessInfo.processInfo.environment["PERFSCOPE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        // One store and one query limiter for every request, opened now.
        let context = try await ToolContext.cli(connection).serving(try limits.limits(), logger: logger)
        let host = self.host
        // An OpenAI-compatible LLM when PERFSCOPE_LLM_BASE_URL is set; otherwise the offline agent answers.
        let llm = try LLMConfiguration.fromEnvironment()
        let agent: any ChatAgent = llm.map { LLMAgent(configuration: $0, registry: .standard, context: context) }
            ?? OfflineAgent(registry: .standard, context: context)
        let chat = llm.map { "LLM \($0.model) at \($0.baseURL.host ?? "?")" } ?? "offline agent (no LLM configured)"
        let scheduled = try scheduled(context, logger: logger)
        let plan = scheduled.map { "; scheduled analysis \($0.schedule.description)" } ?? ""
        try await PerfScopeHTTPServer.run(configuration: configuration, registry: .standard, context: context, agent: agent,
                                          schedule: scheduled, logger: logger) { port in
            Terminal.errorRaw("perfscope serve: listening on http://\(host):\(port) (web UI at /, tools at /api/tools, MCP at /mcp, chat: \(chat)\(plan))")
        }
        await context.history?.close()
    }
}
