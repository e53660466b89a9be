import Foundation
import PerfScopeCLI
import Testing

/// The CLI contract of DESIGN.md, checked on the real binary: subcommands, exit codes, and
/// one-line errors without stack traces.
@Suite(.enabled(if: CLIRunner.available, "the perfscope binary is built by swift build --build-tests"))
struct CLIContractTests {
    @Test func helpListsEverySubcommand() throws {
        let r = try CLIRunner.run(["--help"])
        #expect(r.status == 0)
        for sub in ["analyze", "query", "catalog", "doctor", "version"] { #expect(r.stdout.contains(sub), "\(sub)") }
    }

    @Test func analyzeHelpShowsTheContractOptions() throws {
        let r = try CLIRunner.run(["analyze", "--help"])
        #expect(r.status == 0)
        for option in ["--prometheus", "--duration", "--start", "--end", "--format", "--output", "--fail-on"] {
            #expect(r.stdout.contains(option), "\(option)")
        }
    }

    /// One version string: `perfscope --version`, `perfscope version`, /healthz and MCP (both
    /// `PerfScopeVersion.current`; the hostile suite compares the served ones).
    @Test func version() throws {
        let r = try CLIRunner.run(["version"])
        #expect(r.status == 0)
        #expect(r.stdout == "perfscope \(PerfScope.version)\n")
        #expect(try CLIRunner.run(["--version"]).stdout == PerfScope.version + "\n")
    }

    /// A malformed --header may hold a secret: the error names the problem, not the value.
    @Test func malformedHeadersAreNotEchoed() throws {
        let r = try CLIRunner.run(["query", "up", "--header", "Authorization Bearer s3cr3t-token"])
        #expect(r.status == 2 && !r.stderr.contains("s3cr3t"), "\(r.stderr)")
    }

    @Test(arguments: [
        (["analyze", "--duration", "10x"], "10x"),
        (["analyze", "--duration=-5m"], "-5m"),
        (["analyze", "--start", "2026-11-29T11:00:00Z", "--end", "2026-11-29T10:00:00Z"], "is not after start"),
        (["analyze", "--start", "yesterday"], "yesterday"),
        (["analyze", "--prometheus", "localhost:9090"], "localhost:9090"),
        (["analyze", "--format", "pdf"], "pdf"),
        (["analyze", "--fail-on", "info"], "--fail-on info"),
        (["query", "up", "--step", "fast"], "fast"),
        (["analyze", "--header", "no colon"], "invalid header (no ':')"),
        // Issue 16: numbers from the command line are checked, never trapped on.
        (["analyze", "--concurrency", "9223372036854775808"], "9223372036854775808"),
        (["analyze", "--duration", "nan"], "nan"),
        (["analyze", "--duration", "1e400w"], "1e400w"),
        (["analyze", "--rate-window", "inf"], "inf"),
        (["serve", "--port", "1e300"], "1e300"),
        (["serve", "--max-window", "nan"], "--max-window"),
        (["serve", "--max-concurrent-calls", "0"], "--max-concurrent-calls 0"),
        (["serve", "--mcp-idle-timeout", "1e400s"], "1e400s"),
        (["mcp", "--call-deadline", "nan"], "--call-deadline"),
        (["history", "prune", "--older-than", "inf"], "inf"),
        (["tools", "call", "list_metrics", "top_k=nan"], "invalid top_k NaN"),
        (["tools", "call", "list_metrics", "top_k=1e300"], "invalid top_k 1e+300"),
        (["tools", "call", "list_metrics", "--json", #"{"top_k": 9223372036854775808}"#], "invalid top_k"),
    ])
    func usageErrorsExitTwoNamingTheValue(arguments: [String], named: String) throws {
        let r = try CLIRunner.run(arguments)
        #expect(r.status == 2, "\(arguments): \(r.stderr)")
        #expect(r.stderr.contains(named), "\(r.stderr)")
        #expect(r.stderr.hasPrefix("perfscope: error: "), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
        #expect(!r.stderr.contains("Stack dump"))
    }

    @Test func unreachablePrometheusExitsOneWithTheFix() throws {
        let r = try CLIRunner.run(["analyze", "--prometheus", "http://127.0.0.1:1", "--duration", "5m"])
        #expect(r.status == 1)
        #expect(r.stderr == "perfscope: error: cannot reach Prometheus at http://127.0.0.1:1: connection refused (set --prometheus or PERFSCOPE_PROMETHEUS_URL)\n")
        #expect(r.stdout.isEmpty)
    }

    @Test func environmentSuppliesTheURL() throws {
        let r = try CLIRunner.run(["analyze", "--duration", "5m"], environment: ["PERFSCOPE_PROMETHEUS_URL": "http://127.0.0.1:2"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("http://127.0.0.1:2"))
    }

    @Test func badConfigFileIsAUsageError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml").path
        try "selectors:\n  etcd: job=etcd\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["analyze", "--config", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(path): selectors.etcd: expected label matchers"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func catalogCheckOffline() throws {
        let r = try CLIRunner.run(["catalog", "check", "--offline"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("metrics in 4 groups — valid"))
    }

    @Test func catalogListShowsUnitsAndThresholds() throws {
        let r = try CLIRunner.run(["catalog", "list", "--group", "etcd"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("wal_fsync_p99"))
        #expect(r.stdout.contains("medium≥10.0 ms"))
        #expect(!r.stdout.contains("node_cpu"))
    }
}
