import Foundation
import PerfScopeCore
@testable import PrometheusAPI
import Testing

@Suite(.enabled(if: Lab.enabled, "needs the lab Prometheus (scripts/test sets PERFSCOPE_TEST_PROMETHEUS)"))
struct PrometheusClientLiveTests {
    @Test func instantQueryReturnsEveryMember() async throws {
        let series = try await PrometheusClient.withClient(try Lab.configuration()) { client in
            try await client.query(#"etcd_server_has_leader{job="etcd"}"#).result.series
        }
        #expect(series.count == 3)
        #expect(Set(series.compactMap(\.instance)) == ["127.0.0.1:2379", "127.0.0.1:22379", "127.0.0.1:32379"])
        #expect(series.allSatisfy { $0.value == 1 })
    }

    @Test func rangeQueryOnEtcdHistogram() async throws {
        let end = Date()
        let result = try await PrometheusClient.withClient(try Lab.configuration()) { client in
            try await client.queryRange(
                "histogram_quantile(0.99, sum by (instance, le) (rate(etcd_disk_wal_fsync_duration_seconds_bucket[1m])))",
                start: end.addingTimeInterval(-300), end: end, step: 15).result
        }
        guard case .matrix(let series) = result else {
            Issue.record("expected a matrix, got \(result.resultType)")
            return
        }
        #expect(series.count == 3)
        #expect(series.allSatisfy { $0.points.count >= 2 })
        // With no writes in the last minute the quantile is NaN (0/0), which must decode as NaN;
        // any finite value must be a plausible fsync latency.
        let values = series.flatMap(\.points).map(\.value)
        #expect(values.allSatisfy { $0.isNaN || ($0 > 0 && $0 < 10) })
    }

    @Test func badPromQLIsTypedBadData() async throws {
        do {
            _ = try await PrometheusClient.withClient(try Lab.configuration()) { try await $0.query("sum(rate(x[5m]") }
            Issue.record("expected bad_data")
        } catch let error as PrometheusError {
            #expect(error.label == "bad_data")
            #expect(error.errorType == "bad_data")
            #expect(error.kind == .invalidInput)
            #expect(error.status == 400)
            #expect(error.message.hasPrefix("Prometheus rejected the query (bad_data): "))
            #expect(!error.message.contains("\n"))
        }
    }

    @Test func unreachableURLIsAConnectionError() async throws {
        let config = PrometheusConfiguration(url: URL(string: "http://127.0.0.1:1")!, timeout: .seconds(5))
        do {
            _ = try await PrometheusClient.withClient(config) { try await $0.query("up") }
            Issue.record("expected a connection error")
        } catch let error as PrometheusError {
            #expect(error.label == "unreachable")
            #expect(error.kind == .upstreamUnavailable)
            #expect(error.message == "cannot reach Prometheus at http://127.0.0.1:1: connection refused (set --prometheus or PERFSCOPE_PROMETHEUS_URL)")
        }
    }

    @Test func specialValuesDecode() async throws {
        let (nan, inf) = try await PrometheusClient.withClient(try Lab.configuration()) { client in
            (try await client.query("0/0").result, try await client.query("vector(1)/0").result)
        }
        guard case .scalar(let p) = nan else { Issue.record("expected scalar"); return }
        #expect(p.value.isNaN)
        #expect(inf.series.first?.value == .infinity)
    }

    @Test func longQueriesGoByPOST() async throws {
        // 60 alternatives make a query well over the 500-byte threshold set here; GET would also work
        // on Prometheus, so the result proves the POST form encoding is right.
        let query = (0..<60).map { "up{job=\"etcd\", instance=\"127.0.0.1:\($0)\"}" }.joined(separator: " or ") + " or up{job=\"node\"}"
        let series = try await PrometheusClient.withClient(try Lab.configuration(postThreshold: 500)) { client in
            try await client.query(query).result.series
        }
        #expect(series.count == 1)
        #expect(series.first?.labels["job"] == "node")
    }

    @Test func metadataEndpoints() async throws {
        try await PrometheusClient.withClient(try Lab.configuration()) { client in
            #expect(try await client.ready())
            #expect(try await client.buildInfo().version.hasPrefix("2."))
            let jobs = try await client.labelValues("job")
            #expect(Set(jobs).isSuperset(of: ["etcd", "node"]))
            #expect(try await client.labels().contains("instance"))
            let series = try await client.series([#"etcd_server_has_leader{job="etcd"}"#])
            #expect(series.count == 3)
            let targets = try await client.targets()
            #expect(targets.activeTargets.filter { $0.job == "etcd" }.count == 3)
            #expect(targets.activeTargets.allSatisfy { $0.isUp })
        }
    }

    @Test func concurrencyIsBounded() async throws {
        // 40 queries through a gate of 2: all succeed, none rejected.
        let config = PrometheusConfiguration(url: try PrometheusConfiguration.parseURL(Lab.prometheusURL!), maxConcurrency: 2)
        let count = try await PrometheusClient.withClient(config) { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 { group.addTask { try await client.query("up").result.series.count } }
                return try await group.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
            }
        }
        #expect(count == 40)
    }
}
