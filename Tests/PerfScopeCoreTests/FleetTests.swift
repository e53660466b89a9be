import Foundation
import PerfScopeCore
import Testing

/// Fleet mode: every aggregation and join keeps the cluster label, and one collection splits
/// into per-cluster data that looks like a single cluster's.
@Suite struct FleetTests {
    @Test(arguments: [
        ("max by (instance) (x)", "max by (cluster, instance) (x)"),
        ("histogram_quantile(0.99, sum by (instance, le) (rate(b[5m])))", "histogram_quantile(0.99, sum by (cluster, instance, le) (rate(b[5m])))"),
        ("sum by(job) (up) / count by (job) (up)", "sum by (cluster, job) (up) / count by (cluster, job) (up)"),
        ("a * on(instance) group_left b", "a * on (cluster, instance) group_left b"),
        ("max by (cluster, instance) (x)", "max by (cluster, instance) (x)"),
        ("rate(node_disk_io_time_seconds_total{job=\"node\"}[5m])", "rate(node_disk_io_time_seconds_total{job=\"node\"}[5m])"),
        ("sum(rate(operations_total[5m]))", "sum(rate(operations_total[5m]))"),
    ])
    func queriesKeepTheClusterApart(query: String, expected: String) {
        #expect(Fleet.grouped(query, by: "cluster") == expected)
    }

    static func summary(_ metric: String, _ instance: String, cluster: String?, value: Double) -> MetricSummary {
        MetricSummary(metric: metric, subsystem: "x", instance: instance, labels: cluster.map { ["cluster": $0] } ?? [:],
                      unit: .seconds, stats: WindowStatistics(values: [value])!, query: "q")
    }

    @Test func splitByClusterDropsTheLabel() {
        // Two clusters reuse the same instance address: they must not mix.
        let summaries = [Self.summary("wal_fsync_p99", "10.0.0.1:2379", cluster: "a", value: 0.004),
                         Self.summary("wal_fsync_p99", "10.0.0.1:2379", cluster: "b", value: 0.09),
                         Self.summary("wal_fsync_p99", "10.0.0.9:2379", cluster: nil, value: 0.001)]
        let series = [TimeSeries(metric: "wal_fsync_p99", instance: "10.0.0.1:2379", labels: ["cluster": "b"], times: [0, 15], values: [0.08, 0.1])]
        let parts = Fleet.split(summaries: summaries, series: series, label: "cluster")
        #expect(Set(parts.keys) == ["a", "b", Fleet.unlabelled])
        #expect(parts["b"]?.summaries.map(\.stats.avg) == [0.09])
        #expect(parts["b"]?.summaries.first?.labels.isEmpty == true)
        #expect(parts["b"]?.series.count == 1 && parts["a"]?.series.isEmpty == true)
    }

    @Test func tableShowsTheWorstFirstInEveryFormat() throws {
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        func report(_ grade: Grade, cause: RootCause?) -> Report {
            Report(id: "r-\(grade.rawValue)", generatedAt: at, window: .init(start: at.addingTimeInterval(-600), end: at), grade: grade,
                   healthScores: [:], findings: [], rootCauses: cause.map { [$0] } ?? [], recommendations: [], dataGaps: [])
        }
        let disk = RootCause(category: .disk, instances: ["10.0.0.2:2379"], summary: "slow disk", likelihood: .high, confidence: 0.9, findingIds: [])
        let reports = [("prod-b", report(.excellent, cause: nil)), ("prod-a", report(.good, cause: nil)), ("prod-c", report(.poor, cause: disk))]
        let rows = Fleet.table(reports)
        #expect(rows.map(\.cluster) == ["prod-c", "prod-a", "prod-b"])
        #expect(rows[0].topRootCause == "disk on 10.0.0.2:2379 (high)" && rows[1].topRootCause == nil)
        let text = try Fleet.render(reports, label: "cluster", queries: 86, format: .text)
        #expect(text.hasPrefix("perfscope fleet: 3 clusters by cluster — 1 poor, 1 good, 1 excellent; 86 queries"))
        let json = try Fleet.render(reports, label: "cluster", queries: 86, format: .json)
        let decoded = try JSONRendering.decoder().decode(Fleet.Output.self, from: Data(json.utf8))
        #expect(decoded.fleet.map(\.cluster) == ["prod-c", "prod-a", "prod-b"] && decoded.reports.map(\.id) == ["r-excellent", "r-good", "r-poor"],
                "the table is worst first; the reports come in the order they were built")
        #expect(decoded.label == "cluster" && decoded.queries == 86)
        #expect(try Fleet.render([], label: "c\"x", queries: 1, format: .json).contains(#""label" : "c\"x""#), "the label is escaped")
        #expect(try Fleet.render(reports, label: "cluster", queries: 86, format: .markdown).contains("| prod-c | poor | 0 | disk on 10.0.0.2:2379 (high) | - |"))
    }
}
