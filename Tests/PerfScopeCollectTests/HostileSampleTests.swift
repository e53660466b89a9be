import Foundation
@testable import PerfScopeCollect
import PerfScopeCore
import PrometheusAPI
import Testing

/// Prometheus samples from outside: a counter that swings between 0 and 1e300 (or 2^63) must
/// not give statistics beyond `Int`, which the rules format as counts (leader changes).
@Suite struct HostileSampleTests {
    static let metric = CatalogMetric(
        name: "leader_changes", group: "etcd", subsystem: "general", title: "Leader changes", description: "d", query: "q",
        unit: .count, statistic: .increase, category: .consensus, requires: ["etcd_server_leader_changes_seen_total"], hides: "h", reference: "r")

    @Test(arguments: [1e300, 0x1p63, -1e300, 1e18])
    func samplesBeyond2To53AreSkipped(big: Double) throws {
        let points = (0..<240).map { SamplePoint(time: Double($0), value: $0 % 2 == 0 ? big : 1) }
        let series = Series(labels: ["instance": "m1:2379"], points: points)
        let summaries = MetricCollector.summarise(metric: Self.metric, series: [series], query: "q")
        let stats = try #require(summaries.first?.stats)
        for value in [stats.avg, stats.max, stats.min, stats.last, stats.p95, stats.increase] {
            #expect(CheckedNumber.int(value.rounded()) != nil, "\(value)")
        }
        #expect(stats.points == 120 && stats.max == 1)
    }
}
