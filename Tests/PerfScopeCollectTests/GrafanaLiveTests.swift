import Foundation
@testable import PerfScopeCollect
import PerfScopeCore
import PrometheusAPI
import Testing

/// Every query of the two real dashboards, substituted for the lab (job `etcd` for the
/// etcd-mixin's `$cluster`, 5 s scrapes), runs on the lab Prometheus without a PromQL error.
/// A metric node-exporter 1.5 does not export is an empty result (a data gap), not a failure.
@Suite(.enabled(if: Lab.enabled, "needs the lab Prometheus (scripts/test sets PERFSCOPE_TEST_PROMETHEUS)"))
struct GrafanaLiveTests {
    static func collect(_ file: String, vars: [String: [String]]) async throws -> (GrafanaCollector.Result, Report) {
        let dashboard = try GrafanaDashboardSource.loadFile(GrafanaFixtures.path(file))
        let window = try TimeWindow(duration: 600)
        let context = TemplateContext(dashboard: dashboard, userValues: vars, window: window, scrapeInterval: 5)
        return try await PrometheusClient.withClient(try Lab.configuration()) { client in
            let (report, result) = try await GrafanaCollector(client: client).report(dashboard, context: context, window: window, source: file)
            return (result, report)
        }
    }

    @Test func etcdMixinQueriesAllRunOnTheLab() async throws {
        let (result, report) = try await Self.collect("etcd-mixin.json", vars: ["cluster": ["etcd"]])
        #expect(result.plan.allSatisfy { $0.problem == nil })
        #expect(result.queryCount == 16)
        #expect(result.failed == 0, "\(result.failures.map { "\($0.key): \($0.message)" }.joined(separator: "\n"))")
        // Most panels have data on the lab (fsync quantiles are NaN when an idle cluster writes nothing).
        #expect(result.withData >= 12, "only \(result.withData) of 16 queries returned values")
        #expect(report.metrics.contains { $0.metric.hasPrefix("DB size") && $0.instance == "127.0.0.1:22379" })
        #expect(report.rootCauses.isEmpty)
        #expect(report.findings.allSatisfy { $0.methodology == .threshold && !$0.evidence.isEmpty })
        print("etcd-mixin on the lab: \(result.queryCount) queries, \(result.withData) with data, \(result.failed) errors")
    }

    @Test func etcdMixinWithItsSavedClusterValueIsEmptyNotBroken() async throws {
        // The dashboard's saved `cluster` is kube-etcd, which the lab does not have: no data, no errors.
        let (result, report) = try await Self.collect("etcd-mixin.json", vars: [:])
        #expect(result.failed == 0)
        #expect(result.withData == 0)
        #expect(report.dataGaps.count == 16)
        #expect(report.findings.isEmpty)
    }

    @Test func nodeExporterFullQueriesAllRunOnTheLab() async throws {
        let (result, report) = try await Self.collect("node-exporter-full.json", vars: [:])
        #expect(result.plan.allSatisfy { $0.problem == nil }, "\(result.plan.compactMap(\.problem))")
        #expect(result.queryCount == 275)
        #expect(result.failed == 0, "\(result.failures.map { "\($0.key): \($0.message)" }.joined(separator: "\n"))")
        #expect(result.withData >= 200, "only \(result.withData) of 275 queries returned series")
        #expect(report.metrics.contains { $0.instance == "127.0.0.1:9100" })
        // With explicit lab values too (job node, the node-exporter instance).
        let (pinned, _) = try await Self.collect("node-exporter-full.json", vars: ["job": ["node"], "node": ["127.0.0.1:9100"]])
        #expect(pinned.failed == 0)
        // Same series (one node); a gauge that is NaN at some instants may flip between the two runs.
        #expect(abs(pinned.withData - result.withData) <= 3)
        print("node-exporter-full on the lab: \(result.queryCount) queries, \(result.withData) with data, \(result.failed) errors, \(result.queryCount - result.withData - result.failed) empty")
    }
}
