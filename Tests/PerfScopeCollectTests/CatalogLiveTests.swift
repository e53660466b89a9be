import Foundation
@testable import PerfScopeCollect
import PerfScopeCore
import PrometheusAPI
import Testing

enum Lab {
    static let prometheusURL = ProcessInfo.processInfo.environment["PERFSCOPE_TEST_PROMETHEUS"]
    static var enabled: Bool { prometheusURL != nil }
    static func configuration() throws -> PrometheusConfiguration {
        PrometheusConfiguration(url: try PrometheusConfiguration.parseURL(prometheusURL ?? "http://127.0.0.1:9090"))
    }
}

@Suite(.enabled(if: Lab.enabled, "needs the lab Prometheus (scripts/test sets PERFSCOPE_TEST_PROMETHEUS)"))
struct CatalogLiveTests {
    let catalog = try! Catalog.builtIn()

    /// Every catalog query is executed against the real Prometheus and must parse and evaluate.
    @Test func everyCatalogQueryRuns() async throws {
        let config = PerfScopeConfig()
        let window = try TimeWindow(duration: 600)
        let failures = try await PrometheusClient.withClient(try Lab.configuration()) { client in
            try await withThrowingTaskGroup(of: String?.self) { group in
                for m in catalog.metrics {
                    let q = QueryTemplate.expand(m.query, values: config.placeholders, rate: window.rateRange)
                    group.addTask {
                        do {
                            _ = try await client.queryRange(q, start: window.start, end: window.end, step: window.step)
                            return nil
                        } catch { return "\(m.name): \(error)" }
                    }
                }
                return try await group.compactMap { $0 }.reduce(into: [String]()) { $0.append($1) }
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// The collector on the lab: etcd and node metrics arrive for every member, nothing crashes,
    /// and what is missing is a data gap.
    @Test func collectorSummarisesTheLab() async throws {
        let window = try TimeWindow(duration: 600)
        let result = try await PrometheusClient.withClient(try Lab.configuration()) { client in
            try await MetricCollector(client: client, config: PerfScopeConfig()).collect(catalog.metrics, window: window)
        }
        #expect(result.queryCount == catalog.metrics.count)
        let wal = result.summaries.filter { $0.metric == "wal_fsync_p99" }
        #expect(Set(wal.map(\.instance)) == ["127.0.0.1:2379", "127.0.0.1:22379", "127.0.0.1:32379"])
        #expect(wal.allSatisfy { $0.stats.avg > 0 && $0.stats.avg < 5 })
        let cpus = try #require(result.summaries.first { $0.metric == "cpu_count" })
        #expect(cpus.stats.last == Double(ProcessInfo.processInfo.activeProcessorCount))
        #expect(result.summaries.filter { $0.metric == "member_up" }.allSatisfy { $0.stats.avg > 0.9 })
        // Loopback traffic is invisible to node-exporter and dm/loop devices are excluded, but
        // nothing may be silently zero: every metric either has summaries or a gap (or is allowed to be empty).
        for m in catalog.metrics where !m.emptyIsHealthy {
            let has = result.summaries.contains { $0.metric == m.name }
            let gap = result.dataGaps.contains { $0.reason.hasPrefix("\(m.name):") }
            #expect(has != gap, "\(m.name): summaries \(has), gap \(gap)")
        }
    }

    @Test func unmatchedSelectorGivesGapsNotCrashes() async throws {
        var config = PerfScopeConfig()
        config.selectors.etcd = #"job="no-such-job""#
        let window = try TimeWindow(duration: 600)
        let etcdMetrics = catalog.metrics.filter { $0.group == "etcd" }
        let result = try await PrometheusClient.withClient(try Lab.configuration()) { client in
            try await MetricCollector(client: client, config: config).collect(etcdMetrics, window: window)
        }
        #expect(result.summaries.isEmpty)
        #expect(result.dataGaps.count == etcdMetrics.filter { !$0.emptyIsHealthy }.count)
    }
}
