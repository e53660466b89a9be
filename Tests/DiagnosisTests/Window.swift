import Foundation
import Testing
import PerfScopeCollect
@testable import PerfScopeCore

/// The built-in catalog, loaded once for every diagnosis test.
let builtIn: [CatalogMetric] = {
    do { return try Catalog.builtIn().metrics } catch { fatalError("the built-in catalog does not load: \(error)") }
}()

/// A labelled test window: three members on three hosts (or one), every diagnosis metric as a
/// series over `points` steps of 15 s, healthy by default; `set` changes a metric on one member
/// (or its host) for a stretch of points. Summaries are computed from the series with the
/// catalog's statistic, as the collector does; `timeless` keeps summaries only (a snapshot).
struct Window: CustomTestStringConvertible, Sendable {
    var name: String
    var members = ["10.0.0.1:2379", "10.0.0.2:2379", "10.0.0.3:2379"]
    var sharedHost = false
    var points = 160
    var step = 15.0
    var timeless = false
    var start = 1_796_000_000.0
    var etcd: [String: Double] = [
        "member_up": 1, "has_leader": 1, "wal_fsync_p99": 0.004, "backend_commit_p99": 0.008, "leader_changes": 3, "gc_pause_max": 0.001,
        "gc_pause_avg": 0.0003, "wal_fsync_rate": 40, "proposals_committed_rate": 40, "read_rate": 100, "db_quota_usage": 0.05, "proposals_failed_rate": 0,
        "process_cpu": 0.05, "process_restarts": 1_795_000_000, "proposal_backlog": 0.003, "slow_applies_rate": 0,
    ]
    var host: [String: Double] = [
        "cpu_utilisation": 0.2, "load_per_cpu": 0.3, "psi_cpu": 0.01, "disk_utilisation": 0.1, "disk_queue": 0.1, "disk_write_latency": 0.001,
        "psi_io": 0.01, "memory_utilisation": 0.4, "swap_io_rate": 0, "major_faults_rate": 1, "psi_memory": 0, "tcp_retransmit_ratio": 0.0001,
        "disk_read_iops": 5, "disk_write_iops": 200, "cpu_count": 4, "oom_kills": 0,
    ]
    /// (metric, member index (its host for node metrics), value, first point, end point (exclusive)).
    var changes: [(metric: String, member: Int, value: Double, from: Int, to: Int)] = []
    /// Peer round-trip p99 from i to j, and changes of it.
    var rtt = 0.002
    var rttChanges: [(from: Int, to: Int, value: Double, start: Int, end: Int)] = []
    /// Leader per point (default member 0 throughout); elections at these points move it.
    var elections: [(at: Int, to: Int)] = []

    var testDescription: String { name }

    mutating func set(_ metric: String, _ member: Int, _ value: Double, from: Int = 0, to: Int? = nil) {
        changes.append((metric, member, value, from, to ?? points))
    }

    /// Slow round-trips to and from `member` with every peer.
    mutating func slowPeers(_ member: Int, _ value: Double, from: Int = 0, to: Int? = nil) {
        for j in members.indices where j != member {
            rttChanges.append((member, j, value, from, to ?? points))
            rttChanges.append((j, member, value, from, to ?? points))
        }
    }

    func hostInstance(_ i: Int) -> String { sharedHost ? "10.0.0.1:9100" : "\(HostMapping.host(of: members[i])):9100" }
    static func id(_ i: Int) -> String { ["aa01", "bb02", "cc03"][i] }
    var times: [Double] { (0..<points).map { start + Double($0) * step } }

    func values(_ metric: String, _ member: Int, base: Double) -> [Double] {
        var v = [Double](repeating: base, count: points)
        for c in changes where c.metric == metric && c.member == member {
            for i in max(0, c.from)..<min(points, c.to) { v[i] = c.value }
        }
        return v
    }

    var leaders: [Int] {
        var out = [Int](repeating: 0, count: points)
        var current = 0
        for i in 0..<points {
            if let e = elections.first(where: { $0.at == i }) { current = e.to }
            out[i] = current
        }
        return out
    }

    var input: Diagnosis.Input {
        let catalog = Dictionary(builtIn.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var series: [TimeSeries] = []
        func add(_ metric: String, _ instance: String, _ values: [Double], labels: [String: String] = [:]) {
            series.append(TimeSeries(metric: metric, instance: instance, labels: labels, times: times, values: values))
        }
        let leaders = leaders
        // Metrics only changed (not in the defaults) start from 0.
        var etcd = etcd, host = host
        for c in changes {
            guard let m = catalog[c.metric] else { continue }
            if m.usesEtcdSelector { etcd[c.metric] = etcd[c.metric] ?? 0 } else { host[c.metric] = host[c.metric] ?? 0 }
        }
        for (i, m) in members.enumerated() {
            for (k, base) in etcd {
                var v = values(k, i, base: base)
                if k == "leader_changes" { v = (0..<points).map { p in base + Double(elections.filter { $0.at <= p }.count) } }
                add(k, m, v)
            }
            add("member_id", m, Array(repeating: 1, count: points), labels: ["server_id": Self.id(i)])
            add("is_leader", m, leaders.map { $0 == i ? 1 : 0 })
            for j in members.indices where j != i {
                var v = [Double](repeating: rtt, count: points)
                for c in rttChanges where c.from == i && c.to == j { for p in max(0, c.start)..<min(points, c.end) { v[p] = c.value } }
                add("peer_rtt_p99", m, v, labels: ["To": Self.id(j)])
            }
        }
        for i in (sharedHost ? [0] : Array(members.indices)) {
            for (k, base) in host { add(k, hostInstance(i), values(k, i, base: base)) }
        }
        let summaries = series.compactMap { s -> MetricSummary? in
            guard let m = catalog[s.metric], let stats = WindowStatistics(values: s.values) else { return nil }
            return MetricSummary(metric: s.metric, subsystem: m.subsystem, instance: s.instance, labels: s.labels, unit: m.unit, stats: stats, query: "q(\(s.metric))")
        }
        let window = Report.Window(start: Date(timeIntervalSince1970: start), end: Date(timeIntervalSince1970: start + Double(points - 1) * step))
        return Diagnosis.Input(summaries: summaries, catalog: builtIn, series: timeless ? [] : series, window: window, rateSeconds: 300)
    }

    func diagnose() -> Diagnosis.Output { Diagnosis.diagnose(input) }

    func time(_ point: Int) -> Date { Date(timeIntervalSince1970: start + Double(point) * step) }
}
