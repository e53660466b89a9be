import ArgumentParser
import Foundation
import PerfScopeAgent
import PerfScopeCore

/// The `perfscope` command tree. `run(arguments:)` maps every failure to the exit codes of the
/// CLI contract: 0 ok, 1 runtime error, 2 usage error, 3 `--fail-on` hit — one line on stderr,
/// never a stack trace.
public struct PerfScope: AsyncParsableCommand {
    /// The one version string: the same as `/healthz`, `/api/mcp/health` and the MCP server report.
    public static let version = PerfScopeVersion.current

    public static let configuration = CommandConfiguration(
        commandName: "perfscope",
        abstract: "Explains why an etcd cluster and the hosts under it are slow, from Prometheus data.",
        discussion: """
        Reads Prometheus (or any Prometheus-compatible API: Thanos, Mimir, Cortex, VictoriaMetrics),
        applies etcd expertise and the USE method, and reports findings with evidence.
        Environment: PERFSCOPE_PROMETHEUS_URL, PERFSCOPE_PROMETHEUS_TOKEN(_FILE), PERFSCOPE_CONFIG.
        """,
        version: version,
        subcommands: [Analyze.self, UseCommand.self, LatencyCommand.self, Snapshot.self, EtcdCommand.self, GrafanaCommand.self, HistoryCommand.self, Query.self, ToolsCommand.self, MCPCommand.self, ServeCommand.self, ChatCommand.self, Connect.self, CatalogCommand.self, Rules.self, Doctor.self, Version.self, Dev.self]
    )

    public init() {}

    /// Parses and runs, returning the process exit code.
    public static func run(arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            return report(error)
        }
    }

    /// Prints the error (one line) and returns its exit code.
    static func report(_ error: any Error) -> Int32 {
        if let exit = error as? ExitCode { return exit.rawValue }
        if let failure = error as? any UserFacingError {
            Terminal.error(failure.message)
            switch failure.kind {
            case .invalidInput, .configuration: return 2
            default: return 1
            }
        }
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if code == .success {
            // --help, --version: ArgumentParser's own output on stdout.
            print(message)
            return 0
        }
        // ArgumentParser reports bad flags and validate() failures as EX_USAGE (64): our contract says 2,
        // with one line (its full text adds the usage block).
        if code == .validationFailure {
            let line = PerfScope.message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "invalid arguments"
            Terminal.error(line + " (see --help)")
            return 2
        }
        Terminal.errorRaw(message)
        return 1
    }
}
