import Foundation
import Testing
@testable import PerfScopeCore

/// The expected outcome of a window: the top cause's category and exact culprits (nil: no root
/// cause at all), and — for two-fault windows — the second cause among the top two.
struct Expected: Sendable {
    var category: PerfScopeCore.Category?
    var instances: [String]
    var also: (PerfScopeCore.Category, [String])?
    /// Point where the top cause should start (± 6 points), when the fault starts inside the window.
    var startsAt: Int?
}

let m1 = "10.0.0.1:2379", m2 = "10.0.0.2:2379", m3 = "10.0.0.3:2379"
let all = [m1, m2, m3]

/// One row per lesson: each names the miss or confounder it guards against.
@Suite struct RootCauseTests {
    static let cases: [(Window, Expected)] = {
        var list: [(Window, Expected)] = []
        list.append((Window(name: "healthy idle"), Expected(category: nil, instances: [])))

        var busy = Window(name: "healthy busy: CPU 90 %, disk 60 %, fsync within target")
        for i in 0..<3 { busy.set("cpu_utilisation", i, 0.9); busy.set("disk_utilisation", i, 0.6); busy.set("wal_fsync_p99", i, 0.008) }
        list.append((busy, Expected(category: nil, instances: [])))

        var blip = Window(name: "one scrape's blip of proposal backlog is not a symptom")
        blip.set("proposal_backlog", 0, 0.2, from: 50, to: 52)
        list.append((blip, Expected(category: nil, instances: [])))

        var slowDisk = Window(name: "slow disk on member 2 all window (host disk busy)")
        slowDisk.set("wal_fsync_p99", 1, 0.06); slowDisk.set("backend_commit_p99", 1, 0.12)
        slowDisk.set("disk_utilisation", 1, 0.95); slowDisk.set("disk_write_latency", 1, 0.04); slowDisk.set("psi_io", 1, 0.3)
        list.append((slowDisk, Expected(category: .disk, instances: [m2])))

        var late = Window(name: "slow disk on member 2 in the last 2 minutes of 40 (the averaged-away miss)")
        late.set("wal_fsync_p99", 1, 0.11, from: 152)
        list.append((late, Expected(category: .disk, instances: [m2], startsAt: 152)))

        var early = Window(name: "network delay around member 3 in the first 12 minutes, then recovery")
        early.slowPeers(2, 0.12, to: 48)
        list.append((early, Expected(category: .network, instances: [m3], startsAt: 0)))

        var ptrace = Window(name: "slow fdatasync on member 2, host metrics normal (shared host, the lab)")
        ptrace.sharedHost = true; ptrace.members = ["10.0.0.1:2379", "10.0.0.1:22379", "10.0.0.1:32379"]
        ptrace.set("wal_fsync_p99", 1, 0.062); ptrace.set("backend_commit_p99", 1, 0.127)
        ptrace.set("cpu_utilisation", 0, 0.93); ptrace.set("load_per_cpu", 0, 1.8); ptrace.set("psi_cpu", 0, 0.2)
        list.append((ptrace, Expected(category: .disk, instances: ["10.0.0.1:22379"])))

        var quota = Window(name: "CPU quota on member 3: fsync and GC pauses up, host idle (the slow-disk confounder)")
        quota.set("wal_fsync_p99", 2, 0.2, from: 40); quota.set("backend_commit_p99", 2, 0.3, from: 40); quota.set("gc_pause_avg", 2, 0.04, from: 40)
        list.append((quota, Expected(category: .cpu, instances: [m3], startsAt: 40)))

        var shortPauses = Window(name: "CPU quota with short GC pauses: slow fsync, missed scrapes, slow round-trips to it (CI, 2026-11-30)")
        shortPauses.sharedHost = true; shortPauses.members = ["10.0.0.1:2379", "10.0.0.1:22379", "10.0.0.1:32379"]
        shortPauses.set("cpu_utilisation", 0, 0.9); shortPauses.set("load_per_cpu", 0, 1.6)
        shortPauses.set("wal_fsync_p99", 2, 0.25); shortPauses.set("backend_commit_p99", 2, 0.5); shortPauses.set("gc_pause_avg", 2, 0.004)
        for p in stride(from: 0, to: 160, by: 6) { shortPauses.set("member_up", 2, 0, from: p, to: p + 1) }
        shortPauses.slowPeers(2, 0.2)
        list.append((shortPauses, Expected(category: .cpu, instances: ["10.0.0.1:32379"])))

        var cpuHost = Window(name: "member 1's host CPU saturated by another process: gRPC and commits slow there (outside check miss)")
        cpuHost.set("cpu_utilisation", 0, 0.99, from: 60); cpuHost.set("psi_cpu", 0, 0.45, from: 60); cpuHost.set("load_per_cpu", 0, 3.5, from: 60)
        cpuHost.set("backend_commit_p99", 0, 0.06, from: 62); cpuHost.set("slow_applies_rate", 0, 0.5, from: 62)
        list.append((cpuHost, Expected(category: .cpu, instances: [m1], startsAt: 60)))

        var etcdBusy = Window(name: "heavy reads: every host's CPU busy with etcd itself, read backlog on all: load, not cpu")
        for i in 0..<3 {
            etcdBusy.set("cpu_utilisation", i, 0.97, from: 40); etcdBusy.set("process_cpu", i, 3.7, from: 40); etcdBusy.set("read_rate", i, 900, from: 40)
            etcdBusy.set("backend_commit_p99", i, 0.06, from: 42)
        }
        list.append((etcdBusy, Expected(category: .load, instances: all, startsAt: 40)))

        var thrash = Window(name: "out of memory without swap: page-cache re-reads keep the disk busy with reads (memory, not disk)")
        thrash.set("major_faults_rate", 0, 2500, from: 30); thrash.set("psi_memory", 0, 0.3, from: 30); thrash.set("memory_utilisation", 0, 0.97, from: 30)
        thrash.set("disk_utilisation", 0, 0.96, from: 30); thrash.set("disk_read_iops", 0, 2200, from: 30); thrash.set("psi_io", 0, 0.4, from: 30)
        thrash.set("backend_commit_p99", 0, 0.09, from: 32); thrash.set("wal_fsync_p99", 0, 0.03, from: 32)
        list.append((thrash, Expected(category: .memory, instances: [m1], startsAt: 30)))

        var oom = Window(name: "the leader OOM-killed twice and restarting, an election each time (outside check: called consensus)")
        for (k, p) in [50, 110].enumerated() {
            oom.set("member_up", 0, 0, from: p, to: p + 3)
            oom.set("process_restarts", 0, 1_796_000_000 + Double(k * 1000), from: p + 3)
            oom.set("oom_kills", 0, 1, from: p, to: p + 20)
            oom.set("memory_utilisation", 0, 0.97, from: p - 15, to: p)
        }
        oom.elections = [(at: 51, to: 1), (at: 111, to: 2)]
        list.append((oom, Expected(category: .memory, instances: [m1])))

        var defrag = Window(name: "rolling defragmentation: commit spikes on one member after another (outside check: slow disk on all)")
        for (i, p) in [40, 70, 100].enumerated() {
            defrag.set("defrag_inflight", i, 1, from: p, to: p + 6)
            defrag.set("backend_commit_p99", i, 0.4, from: p, to: p + 8); defrag.set("slow_applies_rate", i, 2, from: p, to: p + 10)
            defrag.set("disk_utilisation", i, 0.9, from: p, to: p + 6)
        }
        list.append((defrag, Expected(category: .database, instances: all, startsAt: 40)))

        var lateDefrag = Window(name: "a defragmentation at the end of a load a slow disk had already slowed: the disk (causes come first; the lab's check perf --auto-defrag)")
        lateDefrag.set("wal_fsync_p99", 1, 0.09, from: 40); lateDefrag.set("backend_commit_p99", 1, 0.2, from: 40)
        for (i, p) in [(1, 120), (0, 128), (2, 136)] { lateDefrag.set("defrag_inflight", i, 1, from: p, to: p + 2) }
        list.append((lateDefrag, Expected(category: .disk, instances: [m2], startsAt: 40)))

        var finishedDefrag = Window(name: "a defragmentation that finished after the slow disk had slowed the load: the disk (its duration is counted when it ends)")
        finishedDefrag.set("wal_fsync_p99", 1, 0.06, from: 40); finishedDefrag.set("backend_commit_p99", 1, 0.13, from: 40)
        for i in 0..<3 { finishedDefrag.set("defrag_duration_p99", i, 0.4, from: 60, to: 64) }
        list.append((finishedDefrag, Expected(category: .disk, instances: [m2], startsAt: 40)))

        var nudged = Window(name: "slow fdatasync on member 2 while a busy shared host nudges the others' fsync just over its level (CI lab, 2026-12-07: CPU on every member)")
        nudged.sharedHost = true; nudged.members = ["10.0.0.1:2379", "10.0.0.1:22379", "10.0.0.1:32379"]
        nudged.set("cpu_utilisation", 0, 0.75, from: 100); nudged.set("psi_cpu", 0, 0.6, from: 100)
        nudged.set("wal_fsync_p99", 1, 0.062, from: 100); nudged.set("backend_commit_p99", 1, 0.127, from: 100)
        nudged.set("wal_fsync_p99", 0, 0.019, from: 104); nudged.set("wal_fsync_p99", 2, 0.02, from: 105)
        list.append((nudged, Expected(category: .disk, instances: ["10.0.0.1:22379"], startsAt: 100)))

        var coldFaults = Window(name: "major faults on a host with most memory free are first reads, not pressure (the lab's strace: memory named)")
        coldFaults.set("wal_fsync_p99", 1, 0.06, from: 40); coldFaults.set("backend_commit_p99", 1, 0.13, from: 40)
        coldFaults.set("major_faults_rate", 1, 200, from: 40); coldFaults.set("memory_utilisation", 1, 0.08)
        list.append((coldFaults, Expected(category: .disk, instances: [m2], startsAt: 40)))

        var lightQuota = Window(name: "CPU quota on member 3 under light load: no GC in the last minute (no mean), only the longest recent pause shows it (the lab, 2026-12-07: disk named)")
        lightQuota.set("wal_fsync_p99", 2, 0.23, from: 40); lightQuota.set("backend_commit_p99", 2, 0.47, from: 40); lightQuota.set("gc_pause_max", 2, 0.1, from: 40)
        lightQuota.set("gc_pause_avg", 2, .nan, from: 40)
        list.append((lightQuota, Expected(category: .cpu, instances: [m3], startsAt: 40)))

        var staleMax = Window(name: "slow disk on member 3 late in a window after a CPU quota there: its longest recent GC pause is still the old 300 ms (stale, not a stall)")
        staleMax.set("gc_pause_max", 2, 0.3); staleMax.set("wal_fsync_p99", 2, 0.07, from: 120); staleMax.set("backend_commit_p99", 2, 0.14, from: 120)
        list.append((staleMax, Expected(category: .disk, instances: [m3], startsAt: 120)))

        var two = Window(name: "two independent faults: member 1's disk, member 3's host CPU (only the first was found)")
        two.set("wal_fsync_p99", 0, 0.08, from: 20); two.set("backend_commit_p99", 0, 0.15, from: 20); two.set("disk_utilisation", 0, 0.97, from: 20)
        two.set("cpu_utilisation", 2, 0.99, from: 80); two.set("psi_cpu", 2, 0.5, from: 80); two.set("wal_fsync_p99", 2, 0.03, from: 82)
        list.append((two, Expected(category: .disk, instances: [m1], also: (.cpu, [m3]))))

        var leader = Window(name: "leader flapping with healthy disk, CPU and network")
        leader.elections = [(20, 1), (55, 2), (90, 0), (125, 1)]
        list.append((leader, Expected(category: .consensus, instances: all)))

        var leaderDisk = Window(name: "very slow disk on the leader causes the elections (two symptoms, one cause)")
        leaderDisk.set("wal_fsync_p99", 0, 0.4, from: 30, to: 60); leaderDisk.set("disk_utilisation", 0, 0.99, from: 30, to: 60)
        leaderDisk.set("disk_write_latency", 0, 0.2, from: 30, to: 60)
        leaderDisk.elections = [(45, 1)]
        list.append((leaderDisk, Expected(category: .disk, instances: [m1], startsAt: 30)))

        var net = Window(name: "network delay around member 3")
        net.slowPeers(2, 0.12)
        list.append((net, Expected(category: .network, instances: [m3])))

        var wan = Window(name: "wide-area network: every pair slow")
        wan.rtt = 0.09
        list.append((wan, Expected(category: .network, instances: all)))

        var lossy = Window(name: "member 2 misses scrapes and its round-trips are slow, its fsync is fine: network, not a stall")
        for p in stride(from: 0, to: 160, by: 5) { lossy.set("member_up", 1, 0, from: p, to: p + 1) }
        lossy.slowPeers(1, 0.12)
        list.append((lossy, Expected(category: .network, instances: [m2])))

        var quotaFull = Window(name: "DB near quota")
        for i in 0..<3 { quotaFull.set("db_quota_usage", i, 0.93) }
        list.append((quotaFull, Expected(category: .database, instances: all)))

        var shared = Window(name: "noisy neighbour on a shared disk: all members slow alike, rate flat")
        shared.sharedHost = true; shared.members = ["10.0.0.1:2379", "10.0.0.1:22379", "10.0.0.1:32379"]
        for i in 0..<3 { shared.set("wal_fsync_p99", i, 0.045); shared.set("backend_commit_p99", i, 0.08) }
        shared.set("disk_utilisation", 0, 0.98); shared.set("disk_queue", 0, 12); shared.set("disk_write_latency", 0, 0.06)
        list.append((shared, Expected(category: .disk, instances: shared.members)))

        var ramp = Window(name: "heavy client load: every member slower as the write rate ramps")
        for i in 0..<3 {
            for p in 0..<160 {
                ramp.set("proposals_committed_rate", i, 300 + 15 * Double(p), from: p, to: p + 1)
                ramp.set("wal_fsync_p99", i, 0.004 + 0.0003 * Double(p), from: p, to: p + 1)
            }
        }
        list.append((ramp, Expected(category: .load, instances: all)))

        var snapshot = Window(name: "two-scrape snapshot (no series): slow disk on member 2 still found")
        snapshot.timeless = true
        snapshot.set("wal_fsync_p99", 1, 0.06); snapshot.set("disk_utilisation", 1, 0.95)
        list.append((snapshot, Expected(category: .disk, instances: [m2])))
        return list
    }()

    @Test(arguments: cases)
    func rootCause(window: Window, expected: Expected) throws {
        let out = window.diagnose()
        let described = out.rootCauses.map { "\($0.category) \($0.instances) \($0.confidence)" }
        guard let category = expected.category else {
            #expect(out.rootCauses.isEmpty, "\(described); symptoms \(out.symptoms.map { "\($0.kind) \($0.instance ?? "-")" })")
            return
        }
        let top = try #require(out.rootCauses.first, "no root cause; symptoms \(out.symptoms.map(\.kind))")
        #expect(top.category == category, "\(described)")
        #expect(Set(top.instances) == Set(expected.instances), "\(described)")
        if let (c2, i2) = expected.also {
            #expect(out.rootCauses.prefix(2).contains { $0.category == c2 && Set($0.instances) == Set(i2) }, "\(described)")
        }
        if let point = expected.startsAt, let start = top.start {
            #expect(abs(start.timeIntervalSince(window.time(point))) <= 6 * window.step, "started \(start), fault at \(window.time(point))")
        }
        let finding = try #require(out.findings.first { $0.id == top.findingIds.first })
        #expect(!finding.evidence.isEmpty, "a root cause lists its numbers")
        #expect(finding.methodology == .correlation)
        #expect((0...1).contains(top.confidence))
    }

    /// The CPU cause of the CI shape names its clues and keeps the network as a weaker alternative.
    @Test func stalledMemberNamesItsClues() throws {
        let (window, _) = try #require(Self.cases.first { $0.0.name.hasPrefix("CPU quota with short GC pauses") })
        let out = window.diagnose()
        let cpu = try #require(out.rootCauses.first)
        #expect(cpu.summary.contains("scrapes") && cpu.summary.contains("round-trips"), "\(cpu.summary)")
        let finding = try #require(out.findings.first { $0.id == cpu.findingIds.first })
        #expect(finding.evidence.contains { $0.metric == "member_up" })
        #expect(cpu.alternatives?.contains { $0.category == .network } == true || out.rootCauses.allSatisfy { $0.category != .network })
    }

    @Test func missingHostDataLowersConfidence() throws {
        var with = Window(name: "with host")
        with.set("wal_fsync_p99", 1, 0.06)
        var without = with
        without.host = [:]
        let a = try #require(with.diagnose().rootCauses.first)
        let b = try #require(without.diagnose().rootCauses.first)
        #expect(a.category == .disk && b.category == .disk)
        #expect(b.confidence < a.confidence)
        #expect(!without.diagnose().dataGaps.isEmpty)
    }

    /// A symptom's episode says when it happened: start and, after recovery, end.
    @Test func symptomsAreLocatedInTime() throws {
        var w = Window(name: "fsync slow from point 40 to 80")
        w.set("wal_fsync_p99", 1, 0.08, from: 40, to: 80)
        let s = try #require(w.diagnose().symptoms.first { $0.kind == "walFsync" })
        #expect(abs(try #require(s.start).timeIntervalSince(w.time(40))) <= 15)
        #expect(abs(try #require(s.end).timeIntervalSince(w.time(79))) <= 15)
        #expect(abs(s.coverage - 0.25) < 0.03)
    }
}

/// A fleet keeps its diagnosis series at a minute's resolution or so (memory), charts at full:
/// the coarse series hold their values on the finer timeline and the diagnosis still finds the
/// fault and its start.
@Suite struct CoarseSeriesTests {
    @Test func coarseDiagnosisSeriesStillLocateTheFault() throws {
        var w = Window(name: "slow disk on member 2 from point 100, series averaged over runs of 4 points")
        w.set("wal_fsync_p99", 1, 0.08, from: 100); w.set("disk_utilisation", 1, 0.95, from: 100)
        var input = w.input
        input.series = input.series.map { s in
            guard s.metric != "wal_fsync_rate" else { return s } // one full-resolution series, as charts are
            let runs = stride(from: 0, to: s.values.count, by: 4)
            return TimeSeries(metric: s.metric, instance: s.instance, labels: s.labels, times: runs.map { s.times[$0] },
                              values: runs.map { i in let xs = s.values[i..<min(s.values.count, i + 4)]; return xs.reduce(0, +) / Double(xs.count) })
        }
        let out = Diagnosis.diagnose(input)
        let top = try #require(out.rootCauses.first)
        #expect(top.category == .disk && top.instances == [m2])
        #expect(abs(try #require(top.start).timeIntervalSince(w.time(100))) <= 8 * w.step)
    }
}
