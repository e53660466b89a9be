import Foundation
import PerfScopeCore
import Testing

/// Builds typed inputs for the root-cause engine: three members on three hosts (or one), each
/// metric given by catalog name with its window value.
struct Scenario: CustomTestStringConvertible {
    var name: String
    var members = ["10.0.0.1:2379", "10.0.0.2:2379", "10.0.0.3:2379"]
    var sharedHost = false
    /// Defaults for a healthy, lightly loaded cluster.
    var etcd: [String: Double] = ["member_up": 1, "has_leader": 1, "wal_fsync_p99": 0.004, "backend_commit_p99": 0.008,
                                  "leader_changes": 0, "gc_pause_max": 0.001, "gc_pause_avg": 0.0003, "wal_fsync_rate": 40, "db_quota_usage": 0.01,
                                  "proposals_failed_rate": 0]
    var host: [String: Double] = ["cpu_utilisation": 0.2, "load_per_cpu": 0.3, "psi_cpu": 0.01, "disk_utilisation": 0.1,
                                  "disk_queue": 0.1, "disk_write_latency": 0.001, "psi_io": 0.01, "memory_utilisation": 0.4,
                                  "swap_io_rate": 0, "major_faults_rate": 1, "psi_memory": 0, "tcp_retransmit_ratio": 0.0001]
    var perMember: [Int: [String: Double]] = [:]
    var perHost: [Int: [String: Double]] = [:]
    var leaderHistory: [Int: (max: Double, last: Double)] = [:]
    /// peer RTT p99 from member i to member j.
    var rtt: [Int: [Int: Double]] = [:]
    var series: [TimeSeries] = []

    var testDescription: String { name }

    func hostInstance(_ i: Int) -> String { sharedHost ? "10.0.0.1:9100" : "10.0.0.\(i + 1):9100" }
    static func id(_ i: Int) -> String { ["aa01", "bb02", "cc03"][i] }

    var summaries: [MetricSummary] {
        var out: [MetricSummary] = []
        func add(_ metric: String, _ instance: String, _ value: Double, labels: [String: String] = [:], max: Double? = nil, last: Double? = nil) {
            var stats = WindowStatistics(values: [value])!
            stats.increase = value
            if let max { stats.max = max }
            if let last { stats.last = last }
            out.append(MetricSummary(metric: metric, subsystem: "x", instance: instance, labels: labels,
                                     unit: Self.catalog.first { $0.name == metric }?.unit ?? .count, stats: stats, query: "q(\(metric))"))
        }
        for (i, m) in members.enumerated() {
            for (k, v) in etcd.merging(perMember[i] ?? [:], uniquingKeysWith: { $1 }) { add(k, m, v) }
            add("member_id", m, 1, labels: ["server_id": Self.id(i)])
            let leader = leaderHistory[i] ?? (i == 0 ? (1, 1) : (0, 0))
            add("is_leader", m, leader.last, max: leader.max, last: leader.last)
            for (j, v) in rtt[i] ?? [:] { add("peer_rtt_p99", m, v, labels: ["To": Self.id(j)]) }
        }
        let hostIndexes = sharedHost ? [0] : Array(members.indices)
        for i in hostIndexes {
            for (k, v) in host.merging(perHost[i] ?? [:], uniquingKeysWith: { $1 }) { add(k, hostInstance(i), v) }
        }
        return out
    }

    static let catalog: [CatalogMetric] = {
        func m(_ name: String, _ unit: MetricUnit, _ stat: WindowStatistic, _ t: Thresholds?, etcd: Bool = true) -> CatalogMetric {
            CatalogMetric(name: name, group: etcd ? "etcd" : "node", subsystem: "x", title: name, description: "d",
                          query: etcd ? "x{$etcd}" : "x{$node}", unit: unit, statistic: stat, thresholds: t,
                          category: .disk, requires: [name], hides: "h", reference: "r")
        }
        return [
            m("member_up", .ratio, .avg, Thresholds(direction: .below, low: 0.99, high: 0.9, critical: 0.5)),
            m("has_leader", .ratio, .avg, Thresholds(direction: .below, low: 0.99, high: 0.9, critical: 0.5)),
            m("wal_fsync_p99", .seconds, .avg, Thresholds(medium: 0.01, high: 0.5, critical: 1)),
            m("backend_commit_p99", .seconds, .avg, Thresholds(medium: 0.025, high: 0.25)),
            m("leader_changes", .count, .increase, Thresholds(low: 1, medium: 2, high: 4)),
            m("gc_pause_max", .seconds, .max, Thresholds(medium: 0.05, high: 0.2)),
            m("gc_pause_avg", .seconds, .avg, Thresholds(medium: 0.01, high: 0.05)),
            m("wal_fsync_rate", .perSecond, .avg, nil), m("proposals_failed_rate", .perSecond, .avg, Thresholds(low: 0.01, high: 5)),
            m("db_quota_usage", .ratio, .last, Thresholds(medium: 0.8, high: 0.9, critical: 0.95)),
            m("db_in_use_ratio", .ratio, .last, Thresholds(direction: .below, medium: 0.5)),
            m("db_total_size", .bytes, .last, nil), m("member_id", .count, .last, nil), m("is_leader", .boolean, .last, nil),
            m("peer_rtt_p99", .seconds, .avg, Thresholds(medium: 0.05, high: 0.15)),
            m("cpu_utilisation", .ratio, .avg, Thresholds(medium: 0.8, high: 0.95), etcd: false),
            m("load_per_cpu", .count, .avg, Thresholds(medium: 1, high: 2), etcd: false),
            m("psi_cpu", .ratio, .avg, Thresholds(medium: 0.1, high: 0.25), etcd: false),
            m("disk_utilisation", .ratio, .avg, Thresholds(medium: 0.7, high: 0.9), etcd: false),
            m("disk_queue", .count, .avg, Thresholds(medium: 5, high: 10), etcd: false),
            m("disk_write_latency", .seconds, .avg, Thresholds(medium: 0.01, high: 0.05), etcd: false),
            m("psi_io", .ratio, .avg, Thresholds(medium: 0.1, high: 0.25), etcd: false),
            m("memory_utilisation", .ratio, .avg, Thresholds(medium: 0.85, high: 0.9, critical: 0.95), etcd: false),
            m("swap_io_rate", .perSecond, .avg, Thresholds(medium: 10, high: 100), etcd: false),
            m("major_faults_rate", .perSecond, .avg, Thresholds(medium: 100, high: 500), etcd: false),
            m("psi_memory", .ratio, .avg, Thresholds(medium: 0.05, high: 0.2), etcd: false),
            m("tcp_retransmit_ratio", .ratio, .avg, Thresholds(medium: 0.01, high: 0.05), etcd: false),
        ]
    }()

    func diagnose() -> RootCauseEngine.Output {
        RootCauseEngine.diagnose(.init(summaries: summaries, catalog: Self.catalog, series: series))
    }
}

/// Expected top cause: category and culprit instances (nil = no root cause at all).
struct Expectation: Sendable {
    var category: PerfScopeCore.Category?
    var instances: [String]
}

@Suite struct RootCauseEngineTests {
    static func rampSeries(_ metric: String, _ instance: String, from: Double, to: Double) -> TimeSeries {
        let n = 40
        return TimeSeries(metric: metric, instance: instance, times: (0..<n).map { Double($0 * 15) },
                          values: (0..<n).map { from + (to - from) * Double($0) / Double(n - 1) })
    }

    static let cases: [(Scenario, Expectation)] = {
        var list: [(Scenario, Expectation)] = []
        list.append((Scenario(name: "healthy idle"), Expectation(category: nil, instances: [])))
        var busy = Scenario(name: "healthy busy: CPU 90 %, disk 60 %, fsync within target")
        busy.host["cpu_utilisation"] = 0.9; busy.host["load_per_cpu"] = 0.9; busy.host["disk_utilisation"] = 0.6
        busy.etcd["wal_fsync_rate"] = 900; busy.etcd["wal_fsync_p99"] = 0.008
        list.append((busy, Expectation(category: nil, instances: [])))

        var slowDisk = Scenario(name: "slow disk on member 2 (host disk busy)")
        slowDisk.perMember[1] = ["wal_fsync_p99": 0.06, "backend_commit_p99": 0.12]
        slowDisk.perHost[1] = ["disk_utilisation": 0.95, "disk_write_latency": 0.04, "disk_queue": 6, "psi_io": 0.3]
        list.append((slowDisk, Expectation(category: .disk, instances: ["10.0.0.2:2379"])))

        var ptrace = Scenario(name: "slow fdatasync on member 2, host metrics normal (one shared host)")
        ptrace.sharedHost = true
        ptrace.perMember[1] = ["wal_fsync_p99": 0.062, "backend_commit_p99": 0.127]
        list.append((ptrace, Expectation(category: .disk, instances: ["10.0.0.2:2379"])))

        var ptraceBusy = Scenario(name: "slow fdatasync on member 2, the shared host CPU-saturated too (healthy peers share it)")
        ptraceBusy.sharedHost = true
        ptraceBusy.members = ["10.0.0.1:2379", "10.0.0.1:22379", "10.0.0.1:32379"] // the lab: one IP, three ports
        ptraceBusy.host["cpu_utilisation"] = 0.93; ptraceBusy.host["load_per_cpu"] = 1.8; ptraceBusy.host["psi_cpu"] = 0.2
        ptraceBusy.perMember[1] = ["wal_fsync_p99": 0.05, "backend_commit_p99": 0.09]
        list.append((ptraceBusy, Expectation(category: .disk, instances: ["10.0.0.1:22379"])))

        var quota = Scenario(name: "CPU quota on member 3: fsync and GC pauses up, host idle (confounder)")
        quota.sharedHost = true
        quota.perMember[2] = ["wal_fsync_p99": 0.2, "backend_commit_p99": 0.3, "gc_pause_max": 0.15, "gc_pause_avg": 0.04]
        list.append((quota, Expectation(category: .cpu, instances: ["10.0.0.3:2379"])))

        var quotaLab = quota
        quotaLab.name = "CPU quota on member 3, three members on one IP and a busy shared host: starvation still decides"
        quotaLab.members = ["10.0.0.1:2379", "10.0.0.1:22379", "10.0.0.1:32379"]
        quotaLab.host["cpu_utilisation"] = 0.9
        list.append((quotaLab, Expectation(category: .cpu, instances: ["10.0.0.1:32379"])))

        var cpuHost = Scenario(name: "CPU-saturated host of member 1 raises its fsync a little (confounder)")
        cpuHost.perHost[0] = ["cpu_utilisation": 0.99, "load_per_cpu": 3.5, "psi_cpu": 0.45, "disk_utilisation": 0.2]
        cpuHost.perMember[0] = ["wal_fsync_p99": 0.018]
        list.append((cpuHost, Expectation(category: .cpu, instances: ["10.0.0.1:2379"])))

        var memory = Scenario(name: "memory pressure on member 1's host")
        memory.perHost[0] = ["swap_io_rate": 400, "major_faults_rate": 900, "psi_memory": 0.3, "memory_utilisation": 0.97]
        memory.perMember[0] = ["wal_fsync_p99": 0.04, "backend_commit_p99": 0.09]
        list.append((memory, Expectation(category: .memory, instances: ["10.0.0.1:2379"])))

        var leader = Scenario(name: "leader flapping with healthy disk, CPU and network")
        leader.etcd["leader_changes"] = 5
        leader.leaderHistory = [0: (1, 0), 1: (1, 1), 2: (0, 0)]
        list.append((leader, Expectation(category: .consensus, instances: ["10.0.0.1:2379"])))

        var net = Scenario(name: "network delay around member 3")
        net.rtt = [0: [1: 0.004, 2: 0.12], 1: [0: 0.004, 2: 0.11], 2: [0: 0.12, 1: 0.13]]
        list.append((net, Expectation(category: .network, instances: ["10.0.0.3:2379"])))

        var starvedRTT = Scenario(name: "CPU-starved member 3 answers peers slowly: RTT to it rises (cpu, not network)")
        starvedRTT.sharedHost = true
        starvedRTT.perMember[2] = ["wal_fsync_p99": 0.05, "backend_commit_p99": 0.18, "gc_pause_max": 0.1, "gc_pause_avg": 0.03]
        starvedRTT.rtt = [0: [1: 0.004, 2: 0.31], 1: [0: 0.004, 2: 0.35], 2: [0: 0.09, 1: 0.2]]
        list.append((starvedRTT, Expectation(category: .cpu, instances: ["10.0.0.3:2379"])))

        list.append((Self.quotaShortPauses, Expectation(category: .cpu, instances: ["10.0.0.1:32379"])))

        var oldPause = Scenario(name: "slow fdatasync on member 3 whose longest GC pause predates the window (short pauses in it): disk")
        oldPause.sharedHost = true
        oldPause.perMember[2] = ["wal_fsync_p99": 0.06, "backend_commit_p99": 0.12, "gc_pause_max": 0.1, "gc_pause_avg": 0.0004]
        list.append((oldPause, Expectation(category: .disk, instances: ["10.0.0.3:2379"])))

        var lossy = Scenario(name: "member 2 misses scrapes and its round-trips are slow, its fsync is fine: network, not a stall")
        lossy.perMember[1] = ["member_up": 0.8]
        lossy.rtt = [0: [1: 0.12, 2: 0.004], 1: [0: 0.13, 2: 0.11], 2: [0: 0.004, 1: 0.12]]
        list.append((lossy, Expectation(category: .network, instances: ["10.0.0.2:2379"])))

        var quotaFull = Scenario(name: "DB near quota")
        quotaFull.etcd["db_quota_usage"] = 0.93
        list.append((quotaFull, Expectation(category: .database, instances: ["10.0.0.1:2379", "10.0.0.2:2379", "10.0.0.3:2379"])))

        var frag = Scenario(name: "DB fragmented")
        frag.etcd["db_in_use_ratio"] = 0.2
        list.append((frag, Expectation(category: .database, instances: ["10.0.0.1:2379", "10.0.0.2:2379", "10.0.0.3:2379"])))

        var load = Scenario(name: "heavy client load: all members slow, latency follows the rate")
        load.etcd["wal_fsync_p99"] = 0.03; load.etcd["backend_commit_p99"] = 0.05; load.etcd["wal_fsync_rate"] = 1800
        load.host["disk_utilisation"] = 0.5
        for m in load.members {
            load.series.append(Self.rampSeries("wal_fsync_rate", m, from: 300, to: 2400))
            load.series.append(Self.rampSeries("wal_fsync_p99", m, from: 0.005, to: 0.05))
        }
        list.append((load, Expectation(category: .load, instances: load.members)))

        var shared = Scenario(name: "noisy neighbour: all members slow, shared disk saturated, rate flat")
        shared.sharedHost = true
        shared.etcd["wal_fsync_p99"] = 0.045; shared.etcd["backend_commit_p99"] = 0.08
        shared.host["disk_utilisation"] = 0.98; shared.host["disk_queue"] = 12; shared.host["disk_write_latency"] = 0.06
        list.append((shared, Expectation(category: .disk, instances: shared.members)))

        var slowAndElect = Scenario(name: "very slow disk on leader also causes elections (two symptoms, one cause)")
        slowAndElect.perMember[0] = ["wal_fsync_p99": 0.4, "backend_commit_p99": 0.6]
        slowAndElect.perHost[0] = ["disk_utilisation": 0.99, "disk_write_latency": 0.2]
        slowAndElect.etcd["leader_changes"] = 3
        list.append((slowAndElect, Expectation(category: .disk, instances: ["10.0.0.1:2379"])))
        return list
    }()

    @Test(arguments: cases)
    func topCause(scenario: Scenario, expected: Expectation) throws {
        let out = scenario.diagnose()
        guard let category = expected.category else {
            #expect(out.rootCauses.isEmpty, "\(out.rootCauses.map { "\($0.category) \($0.instances) \($0.confidence)" })")
            return
        }
        let top = try #require(out.rootCauses.first, "no root cause")
        #expect(top.category == category, "\(out.rootCauses.map { "\($0.category) \($0.instances) \($0.likelihood) \($0.confidence)" })")
        #expect(top.instances == expected.instances)
        #expect(top.findingIds.first.map { id in out.findings.contains { $0.id == id } } == true)
        let finding = try #require(out.findings.first { $0.id == top.findingIds.first })
        #expect(!finding.evidence.isEmpty, "a root cause lists its numbers")
        #expect(finding.methodology == .correlation)
        #expect((0...1).contains(top.confidence))
    }

    /// The live lab's CPU quota (3 % of a CPU on m3) on a run where no GC pause happened to be
    /// throttled: the member missed scrapes and answered its peers in 200 ms while its own fsync
    /// was slow and the shared host's disk was idle.
    static var quotaShortPauses: Scenario {
        var s = Scenario(name: "CPU quota on member 3 with short GC pauses: slow fsync, missed scrapes, slow round-trips to it (cpu)")
        s.sharedHost = true
        s.members = ["10.0.0.1:2379", "10.0.0.1:22379", "10.0.0.1:32379"]
        s.host["cpu_utilisation"] = 0.9; s.host["load_per_cpu"] = 1.6
        s.perMember[2] = ["wal_fsync_p99": 0.25, "backend_commit_p99": 0.5, "gc_pause_max": 0.03, "gc_pause_avg": 0.004, "member_up": 0.85]
        s.rtt = [0: [1: 0.002, 2: 0.2], 1: [0: 0.003, 2: 0.2], 2: [0: 0.2, 1: 0.2]]
        return s
    }

    @Test func stalledMemberExplainsItsRoundTrips() throws {
        let out = Self.quotaShortPauses.diagnose()
        let cpu = try #require(out.rootCauses.first)
        let finding = try #require(out.findings.first { $0.id == cpu.findingIds.first })
        #expect(finding.observation.contains("scrapes") && finding.observation.contains("round-trips"), "\(finding.observation)")
        #expect(finding.evidence.contains { $0.metric == "member_up" } && finding.evidence.contains { $0.metric == "peer_rtt_p99" })
        // The network stays as the weaker alternative, saying why.
        let network = try #require(out.findings.first { $0.category == .network })
        #expect(network.instances == ["10.0.0.1:32379"])
        #expect(network.rootCause.contains("stalled"))
        #expect(network.confidence < cpu.confidence)
    }

    /// A real network fault between members 1 and 2 while member 3 is stalled: the stalled
    /// member's pairs are set aside and the network is judged on the rest.
    @Test func networkJudgedWithoutTheStalledMember() throws {
        var s = Self.quotaShortPauses
        s.rtt[0]![1] = 0.12; s.rtt[1]![0] = 0.13
        let out = s.diagnose()
        let network = try #require(out.rootCauses.first { $0.category == .network })
        #expect(Set(network.instances) == ["10.0.0.1:2379", "10.0.0.1:22379"])
        #expect(out.rootCauses.contains { $0.category == .cpu && $0.instances == ["10.0.0.1:32379"] })
    }

    @Test func missingHostDataLowersConfidence() throws {
        var withHost = Scenario(name: "with host")
        withHost.perMember[1] = ["wal_fsync_p99": 0.06]
        var without = withHost
        without.host = [:]
        let a = try #require(withHost.diagnose().rootCauses.first)
        let b = try #require(without.diagnose().rootCauses.first)
        #expect(a.category == .disk && b.category == .disk)
        #expect(b.confidence < a.confidence)
    }
}
