import Foundation
import PerfScopeCore
import Testing

/// The real dashboards beside the repository (`../shared/data/dashboards`).
enum CLIDashboards {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/dashboards").standardizedFileURL
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    static var available: Bool { FileManager.default.fileExists(atPath: path("etcd-mixin.json")) }
}

@Suite(.enabled(if: CLIRunner.available, "the perfscope binary is built by swift build --build-tests"))
struct GrafanaCLITests {
    @Test func helpListsGrafana() throws {
        let r = try CLIRunner.run(["--help"])
        #expect(r.stdout.contains("grafana"))
        let sub = try CLIRunner.run(["grafana", "--help"])
        #expect(sub.status == 0)
        for name in ["list", "queries", "analyze"] { #expect(sub.stdout.contains(name)) }
    }

    @Test func queriesPrintsSubstitutedPromQL() throws {
        try #require(CLIDashboards.available, "missing \(CLIDashboards.path("etcd-mixin.json"))")
        let r = try CLIRunner.run(["grafana", "queries", CLIDashboards.path("etcd-mixin.json"), "--var", "cluster=etcd", "--duration", "1h"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("16 queries"))
        #expect(r.stdout.contains(#"etcd_mvcc_db_total_size_in_bytes{job=~".*etcd.*", job="etcd"}"#))
        #expect(r.stdout.contains("[1m]"), "$__rate_interval on a 1h window is 1m")
        #expect(!r.stdout.contains("$cluster") && !r.stdout.contains("$__rate_interval"))
        let json = try CLIRunner.run(["grafana", "queries", CLIDashboards.path("node-exporter-full.json"), "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 275)
        #expect(entries.allSatisfy { ($0["promQL"] as? String)?.contains("$") == false })
    }

    @Test(arguments: [
        (["grafana", "queries", "no-such-uid"], "no-such-uid"),
        (["grafana", "analyze", "no-such-uid"], "--grafana-url"),
        (["grafana", "queries", "x", "--grafana-url", "ftp://x"], "ftp://x"),
        (["grafana", "list"], "--grafana-url"),
        (["grafana", "queries", "x", "--var", "noequals"], "noequals"),
    ])
    func usageErrorsAreOneLineExitTwo(arguments: [String], named: String) throws {
        let r = try CLIRunner.run(arguments, environment: ["PERFSCOPE_GRAFANA_URL": ""])
        #expect(r.status == 2, "\(arguments): \(r.stderr)")
        #expect(r.stderr.hasPrefix("perfscope: error: "), "\(r.stderr)")
        #expect(r.stderr.contains(named), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)")
    }

    @Test func unreachableGrafanaIsExitOne() throws {
        let r = try CLIRunner.run(["grafana", "list", "--grafana-url", "http://127.0.0.1:1", "--grafana-token", "secret-token"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot reach Grafana at http://127.0.0.1:1"))
        #expect(!r.stderr.contains("secret-token"))
    }

    @Test func unreadableFileLikeJSONIsAUsageError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notdash-\(UUID().uuidString).json").path
        try "[1, 2]".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["grafana", "queries", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not a Grafana dashboard"))
    }
}

@Suite(.enabled(if: CLIRunner.available && ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] != nil,
                "needs the built binary and the lab Prometheus"))
struct GrafanaCLILiveTests {
    let url = ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] ?? ""

    @Test func analyzeEtcdMixinGivesAValidJSONReport() throws {
        let r = try CLIRunner.run(["grafana", "analyze", CLIDashboards.path("etcd-mixin.json"), "--var", "cluster=etcd",
                                   "--scrape-interval", "5s", "--prometheus", url, "--duration", "10m", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONRendering.decoder().decode(Report.self, from: Data(r.stdout.utf8))
        #expect(report.schemaVersion == 1)
        #expect(report.source?.contains("Grafana dashboard \"etcd\"") == true)
        #expect(report.window.end.timeIntervalSince(report.window.start) == 600)
        #expect(Set(report.healthScores.keys) == ["disk", "network", "cpu", "memory", "consensus", "database"])
        #expect(report.metrics.contains { $0.metric.hasPrefix("Memory") && $0.instance == "127.0.0.1:2379" })
        #expect(!report.dataGaps.contains { $0.reason.contains("query failed") })
        // Raw JSON keeps the contract's keys.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in ["schemaVersion", "id", "generatedAt", "window", "grade", "healthScores", "findings", "rootCauses", "recommendations", "dataGaps"] {
            #expect(object[key] != nil, "\(key)")
        }
    }

    @Test(arguments: ["text", "markdown", "html"])
    func analyzeNodeExporterFullRendersEveryFormat(format: String) throws {
        let r = try CLIRunner.run(["grafana", "analyze", CLIDashboards.path("node-exporter-full.json"), "--prometheus", url,
                                   "--duration", "10m", "--format", format])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("CPU Busy"))
    }
}
