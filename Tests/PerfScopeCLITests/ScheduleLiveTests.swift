import Foundation
import Testing

/// `perfscope serve --schedule` against the lab: within about a minute a scheduled analysis runs,
/// is counted in /metrics and is in the history the server was given.
@Suite(.enabled(if: CLIRunner.available && ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] != nil,
                "needs the built binary and the lab Prometheus"))
struct ScheduleLiveTests {
    @Test func everyMinuteRunIsStored() throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("perfscope-schedule-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        let server = try ServeProcess.start(prometheus: ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] ?? "",
                                            extra: ["--schedule", "* * * * *", "--schedule-window", "5m"],
                                            environment: ["PERFSCOPE_DB": db, "PERFSCOPE_CONFIG": ""])
        defer { server.stop() }
        var metrics = ""
        let deadline = Date().addingTimeInterval(240)  // up to a minute to the first slot, then one analysis on a busy machine
        while Date() < deadline {
            metrics = try MCPClient.shell(["/usr/bin/curl", "-fsS", "http://127.0.0.1:\(server.port)/metrics"]).output
            if metrics.contains("perfscope_scheduled_runs_total") { break }
            Thread.sleep(forTimeInterval: 2)
        }
        #expect(metrics.contains(#"perfscope_scheduled_runs_total{outcome="ok"} 1"#), "\(metrics.split(separator: "\n").filter { $0.contains("scheduled") })")
        #expect(metrics.contains("perfscope_scheduled_next_run_timestamp_seconds"))
        let list = try CLIRunner.run(["history", "list", "--db", db, "--format", "json"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("\"id\""), "the scheduled run is stored: \(list.stdout.prefix(300))")
    }
}
