import Foundation
import PerfScopeCore
import Testing

@Suite struct LatencyAnalysisTests {
    static func noisy(_ n: Int, level: Double, seed: UInt64 = 7) -> [Double] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return level * (1 + (Double(state >> 33) / Double(1 << 31) - 0.5) * 0.2)
        }
    }

    @Test func flatSeriesHasNoOutliers() {
        #expect(LatencyAnalysis.outliers(Array(repeating: 0.004, count: 60)).isEmpty)
        #expect(LatencyAnalysis.outliers(Self.noisy(60, level: 0.004)).isEmpty)
    }

    @Test func spikesAreFound() {
        var values = Self.noisy(60, level: 0.004)
        values[10] = 0.08
        values[40] = 0.05
        #expect(LatencyAnalysis.outliers(values, minRatio: 2) == [10, 40])
    }

    @Test func quantisedWobbleIsNotASpike() {
        // histogram_quantile over 1/2/4 ms buckets: mostly 1.0 ms with some 1.4 ms.
        let values = (0..<60).map { $0 % 7 == 0 ? 0.0014 : 0.001 }
        #expect(LatencyAnalysis.outliers(values, minRatio: 2).isEmpty)
    }

    @Test func stepChangeIsDated() throws {
        let times = (0..<60).map { 1_000_000 + Double($0) * 15 }
        let values = Self.noisy(30, level: 0.003) + Self.noisy(30, level: 0.04, seed: 9)
        let step = try #require(LatencyAnalysis.stepChange(times: times, values: values))
        #expect(step.at == times[30])
        #expect(step.ratio > 8)
        #expect(LatencyAnalysis.stepChange(times: times, values: Self.noisy(60, level: 0.003)) == nil)
        #expect(LatencyAnalysis.stepChange(times: Array(times.prefix(8)), values: Array(values.prefix(8))) == nil, "too few points")
    }

    @Test func insightsNeedTheThresholdCrossed() {
        let times = (0..<60).map { 1_000_000 + Double($0) * 15 }
        let rising = TimeSeries(metric: "wal_fsync_p99", instance: "a:2379", times: times,
                                values: Self.noisy(30, level: 0.002) + Self.noisy(30, level: 0.05, seed: 3))
        let small = TimeSeries(metric: "wal_fsync_p99", instance: "b:2379", times: times,
                               values: Self.noisy(30, level: 0.001) + Self.noisy(30, level: 0.003, seed: 3))
        let f = LatencyAnalysis.insights(metric: "wal_fsync_p99", title: "WAL fsync p99", unit: .seconds, threshold: 0.01,
                                         series: [rising, small], category: .disk)
        #expect(f.map(\.id) == ["latency.wal_fsync_p99.step_change"])
        #expect(f.first?.instances == ["a:2379"], "a rise that stays under the threshold is not reported")
        #expect(f.first?.methodology == .latency && f.first?.issueType == "step_change")
    }
}

@Suite struct HistogramQueryTests {
    @Test(arguments: [
        ("etcd_disk_wal_fsync_duration_seconds_bucket", "etcd_disk_wal_fsync_duration_seconds"),
        ("grpc_server_handling_seconds", "grpc_server_handling_seconds"),
        ("http_request_size_bytes_count", "http_request_size_bytes"),
    ])
    func baseNames(name: String, base: String) throws {
        #expect(try HistogramQuery.baseName(name) == base)
    }

    @Test(arguments: ["", "bad name", "x{a=\"b\"}", "rate(x[5m])", "9lives"])
    func invalidNamesAreRejected(name: String) {
        #expect(throws: PerfScopeError.self) { _ = try HistogramQuery.baseName(name) }
    }

    @Test func queriesAreBuiltPerQuantile() throws {
        let m = try HistogramQuery.metrics(for: "etcd_disk_wal_fsync_duration_seconds", selector: #"job="etcd""#, by: ["instance"], threshold: 0.01)
        #expect(m.map(\.name) == ["etcd_disk_wal_fsync_duration_seconds_p50", "etcd_disk_wal_fsync_duration_seconds_p95", "etcd_disk_wal_fsync_duration_seconds_p99"])
        #expect(m[2].query == #"histogram_quantile(0.99, sum by (instance, le) (rate(etcd_disk_wal_fsync_duration_seconds_bucket{job="etcd"}[$rate])))"#)
        #expect(m[2].thresholds?.medium == 0.01 && m[0].thresholds == nil)
        #expect(m[0].unit == .seconds && m[0].category == .disk)
    }

    @Test(arguments: [
        (#"job="etcd"}) or vector(1"#, ["instance"]),
        (#"job="$etcd""#, ["instance"]),
        ("", ["le"]),
        ("", ["instance) or vector(1"]),
    ])
    func injectionIsRejected(selector: String, by: [String]) {
        #expect(throws: PerfScopeError.self) { _ = try HistogramQuery.metrics(for: "x_seconds", selector: selector, by: by, threshold: nil) }
    }
}
