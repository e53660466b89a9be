import Foundation
import PerfScopeCore
import Testing

/// `perfscope use` and `perfscope latency` against the lab.
@Suite(.enabled(if: CLIRunner.available && ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] != nil,
                "needs the built binary and the lab Prometheus"))
struct HostCLILiveTests {
    let url = ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"] ?? ""

    /// The lab's one node-exporter host gets a complete USE table, with the three members on it.
    @Test func useGivesACompleteTable() throws {
        let r = try CLIRunner.run(["use", "--prometheus", url, "--duration", "10m", "--format", "json"])
        #expect(r.status == 0 || r.status == 3, "\(r.stderr)")
        let report = try JSONRendering.decoder().decode(Report.self, from: Data(r.stdout.utf8))
        let host = try #require(report.hosts.first { $0.instance == "127.0.0.1:9100" })
        #expect(host.members.sorted() == ["127.0.0.1:22379", "127.0.0.1:2379", "127.0.0.1:32379"])
        for resource in USEResource.allCases {
            for dimension in USEDimension.allCases {
                #expect(!host.checks(resource, dimension).isEmpty, "\(resource)/\(dimension)")
            }
        }
        // Measured, not guessed: the CPU count is the machine's, utilisation comes from the data.
        let cpu = try #require(report.metrics.first { $0.metric == "cpu_count" })
        #expect(cpu.stats.last == Double(ProcessInfo.processInfo.activeProcessorCount))
        #expect(host.checks(.cpu, .utilisation).contains { $0.metric == "cpu_utilisation" && $0.value != nil })
        #expect(host.checks(.disk, .utilisation).contains { $0.value != nil && !$0.detail.isEmpty }, "per-device disk cells")
        #expect(report.findings.allSatisfy { [.use, .drilldown, .workload, .latency, .threshold].contains($0.methodology) })
        #expect(report.rootCauses.isEmpty)

        let text = try CLIRunner.run(["use", "--prometheus", url, "--duration", "10m"])
        #expect(text.stdout.contains("Hosts (USE method") && text.stdout.contains("saturation"))
    }

    @Test func useRejectsAnUnknownHost() throws {
        let r = try CLIRunner.run(["use", "--prometheus", url, "--duration", "5m", "--instance", "10.9.9.9:9100"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no node-exporter host 10.9.9.9:9100") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    @Test func latencyOfAnyHistogram() throws {
        let r = try CLIRunner.run(["latency", "--prometheus", url, "--duration", "10m", "--metric", "etcd_disk_wal_fsync_duration_seconds_bucket",
                                   "--selector", #"job="etcd""#, "--threshold", "1s", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONRendering.decoder().decode(Report.self, from: Data(r.stdout.utf8))
        for q in ["p50", "p95", "p99"] {
            let name = "etcd_disk_wal_fsync_duration_seconds_\(q)"
            #expect(Set(report.metrics.filter { $0.metric == name }.map(\.instance)) == ["127.0.0.1:2379", "127.0.0.1:22379", "127.0.0.1:32379"], "\(q)")
        }
        let p50 = report.metrics.filter { $0.metric.hasSuffix("_p50") }.map(\.stats.avg)
        let p99 = report.metrics.filter { $0.metric.hasSuffix("_p99") }.map(\.stats.avg)
        #expect(p50.max()! <= p99.max()!)
        #expect(report.charts.count == 3)
        #expect(!report.findings.contains { $0.severity >= .medium }, "a 1 s p99 threshold is not crossed by the lab")
    }

    @Test(arguments: [
        (["--metric", "no such"], 2, "invalid --metric"),
        (["--metric", "x_seconds", "--selector", #"job="a"}) or vector(1"#], 2, "invalid --selector"),
        (["--metric", "x_seconds", "--threshold", "soon"], 2, "invalid --threshold"),
        (["--metric", "perfscope_no_such_histogram_seconds"], 1, "no histogram data"),
    ] as [([String], Int32, String)])
    func latencyErrorsAreOneLine(arguments: [String], status: Int32, text: String) throws {
        let r = try CLIRunner.run(["latency", "--prometheus", url, "--duration", "5m"] + arguments)
        #expect(r.status == status, "\(r.stderr)")
        #expect(r.stderr.contains(text) && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }
}
