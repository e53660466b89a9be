import Foundation
import PerfScopeCore
import Testing

/// The CLI against the lab Prometheus started by scripts/test.
@Suite(.enabled(if: CLIRunner.available && ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] != nil,
                "needs the built binary and the lab Prometheus"))
struct CLILiveTests {
    let url = ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] ?? ""

    @Test func analyzeJSONFollowsTheContract() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let r = try CLIRunner.run(["analyze", "--prometheus", url, "--duration", "10m", "--format", "json", "--output", output])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let data = try #require(FileManager.default.contents(atPath: output))
        let report = try JSONRendering.decoder().decode(Report.self, from: data)
        #expect(report.schemaVersion == 1)
        #expect(report.window.end.timeIntervalSince(report.window.start) == 600)
        #expect(Set(report.healthScores.keys) == ["disk", "network", "cpu", "memory", "consensus", "database"])
        #expect(report.metrics.contains { $0.metric == "wal_fsync_p99" && $0.instance == "127.0.0.1:22379" })
        // Findings carry evidence with the PromQL that produced it.
        for f in report.findings {
            #expect(!f.evidence.isEmpty)
            #expect(f.evidence.allSatisfy { $0.query?.isEmpty == false })
        }
        // Loopback NIC traffic is invisible to node-exporter: that must be a data gap, never a silent zero.
        #expect(report.dataGaps.allSatisfy { !$0.reason.isEmpty })
    }

    @Test(arguments: [ReportFormat.text, .markdown, .html])
    func otherFormats(format: ReportFormat) throws {
        let r = try CLIRunner.run(["analyze", "--prometheus", url, "--duration", "10m", "--format", format.rawValue])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("wal_fsync_p99"))
        #expect(!r.stdout.contains("\u{1B}["), "no colour when stdout is not a TTY")
    }

    @Test func failOnExitsThreeWhenAFindingReachesIt() throws {
        // A threshold every healthy member crosses (up ≤ 1) makes a critical finding on purpose.
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("strict-\(UUID().uuidString).yaml").path
        try "thresholds:\n  member_up: {direction: below, low: 1, high: 1, critical: 1}\n".write(toFile: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let hit = try CLIRunner.run(["analyze", "--prometheus", url, "--config", config, "--duration", "5m", "--format", "json", "--fail-on", "critical"])
        #expect(hit.status == 3, "\(hit.stderr)")
        #expect(hit.stdout.contains("etcd.member_up.threshold"))
        let miss = try CLIRunner.run(["analyze", "--prometheus", url, "--duration", "5m", "--format", "json", "--fail-on", "critical"])
        #expect(miss.status == 0 || !miss.stdout.contains("\"severity\" : \"critical\""))
    }

    @Test func queryInstantAndRange() throws {
        let instant = try CLIRunner.run(["query", "--prometheus", url, #"etcd_server_has_leader{job="etcd"}"#])
        #expect(instant.status == 0, "\(instant.stderr)")
        #expect(instant.stdout.contains(#"instance="127.0.0.1:22379""#))
        let range = try CLIRunner.run(["query", "--prometheus", url, "--range", "--duration", "5m", "--step", "30s", "--format", "json", "up"])
        #expect(range.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(range.stdout.utf8)) as? [String: Any]
        #expect(object?["resultType"] as? String == "matrix")
        let bad = try CLIRunner.run(["query", "--prometheus", url, "sum(rate(x[5m]"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("perfscope: error: Prometheus rejected the query (bad_data)"))
    }

    @Test func doctorFindsTheLab() throws {
        let r = try CLIRunner.run(["doctor", "--prometheus", url])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("3 member(s)"))
        #expect(r.stdout.contains("127.0.0.1:2379 → 127.0.0.1:9100"))
        #expect(r.stdout.contains("etcd: 3/3 up"))
        let wrong = try CLIRunner.run(["doctor", "--prometheus", url], environment: [:])
        #expect(wrong.status == 0)
    }

    @Test func doctorExplainsAWrongSelector() throws {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("sel-\(UUID().uuidString).yaml").path
        try "selectors:\n  etcd: namespace=\"openshift-etcd\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let r = try CLIRunner.run(["doctor", "--prometheus", url, "--config", config])
        #expect(r.status == 1)
        #expect(r.stdout.contains("NO members found"))
        #expect(r.stdout.contains("missing etcd_disk_wal_fsync_duration_seconds_bucket"))
    }

    @Test func analyzeWithASelectorThatMatchesNothingSaysSo() throws {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID().uuidString).yaml").path
        try "selectors:\n  etcd: job=\"no-such-etcd\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let r = try CLIRunner.run(["analyze", "--prometheus", url, "--config", config, "--duration", "5m"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("perfscope: error: no etcd series match {job=\"no-such-etcd\"}"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    /// node-exporter missing (its selector matches nothing): still a report, exit 0, with the gaps named.
    @Test func partialDataIsAReportWithGaps() throws {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("nonode-\(UUID().uuidString).yaml").path
        try "selectors:\n  node: job=\"no-such-node-exporter\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let r = try CLIRunner.run(["analyze", "--prometheus", url, "--config", config, "--duration", "10m", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONRendering.decoder().decode(Report.self, from: Data(r.stdout.utf8))
        #expect(report.dataGaps.contains { $0.subsystem == "node-usage" && $0.reason.hasPrefix("cpu_utilisation:") })
        #expect(report.dataGaps.contains { $0.reason.contains("no node-exporter series for host 127.0.0.1") })
        #expect(report.metrics.contains { $0.metric == "wal_fsync_p99" })
        #expect(!report.metrics.contains { $0.metric == "cpu_utilisation" })
    }

    @Test func etcdSubsystemAndViews() throws {
        let wal = try CLIRunner.run(["etcd", "wal-fsync", "--prometheus", url, "--duration", "10m"])
        #expect(wal.status == 0, "\(wal.stderr)")
        #expect(wal.stdout.contains("wal_fsync_p99") && !wal.stdout.contains("cpu_utilisation"))
        let report = try CLIRunner.run(["etcd", "report", "--prometheus", url, "--duration", "10m", "--format", "markdown"])
        #expect(report.status == 0, "\(report.stderr)")
        for section in ["## Executive summary", "## Critical metrics against targets", "## Node usage", "## Methodology"] {
            #expect(report.stdout.contains(section), "\(section)")
        }
        let bottlenecks = try CLIRunner.run(["etcd", "bottlenecks", "--prometheus", url, "--duration", "10m", "--format", "json"])
        #expect(bottlenecks.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(bottlenecks.stdout.utf8)) as? [String: Any]
        #expect(object?["rootCauses"] != nil && object?["recommendations"] != nil)
        let html = try CLIRunner.run(["analyze", "--prometheus", url, "--duration", "10m", "--format", "html"])
        #expect(html.stdout.contains("<svg") && !html.stdout.contains("<script"))
    }

    @Test func etcdStatusFromTheGateway() throws {
        guard let endpoints = ProcessInfo.processInfo.environment["PERFSCOPE_TEST_ETCD_ENDPOINTS"] else { return }
        let r = try CLIRunner.run(["etcd", "status", "--endpoints", endpoints, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect((object?["members"] as? [Any])?.count == 3)
    }

    @Test func catalogCheckRunsEveryQuery() throws {
        let r = try CLIRunner.run(["catalog", "check", "--prometheus", url])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains(" 0 failed"))
    }
}
