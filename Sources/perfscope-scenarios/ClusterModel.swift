import Foundation

/// The physical model: per host a CPU, a data disk, memory and a NIC; per member the etcd
/// process whose latencies follow from them. Every step derives the etcd view from the host
/// view, so secondary effects (io_time, iowait, PSI, retransmits) come with each fault.
struct HostState {
    var cpuBusy = 0.0, iowait = 0.0, steal = 0.0, load1 = 0.0, psiCPU = 0.0, psiIO = 0.0, psiMemory = 0.0
    var demand = 0.0
    var writeIOPS = 0.0, readIOPS = 0.0, writeBytes = 0.0, readBytes = 0.0
    var writeLatency = 0.0, readLatency = 0.0, utilisation = 0.0, queue = 0.0
    var memAvailable = 0.0, swapUsed = 0.0, swapIn = 0.0, swapOut = 0.0, majorFaults = 0.0
    var oomKills = 0.0
    var rxBytes = 0.0, txBytes = 0.0, dropRate = 0.0, retransmitRatio = 0.0
    var blocked = 0.0, contextSwitches = 0.0
}

struct MemberState {
    var fsyncRate = 0.0, commitRate = 0.0
    var fsync = Latency(median: 0.001, sigma: 0.4), commit = Latency(median: 0.002, sigma: 0.5)
    var rtt: [Int: Latency] = [:]
    var peerFailures: [Int: Double] = [:]
    var unary = Latency(median: 0.002, sigma: 0.5), range = Latency(median: 0.0005, sigma: 0.6)
    var gcMax = 0.001, gcRate = 0.1, processCPU = 0.02
    var isLeader = false, hasLeader = true
    var leaderChanges = 0.0, failedProposals = 0.0, slowApplies = 0.0, slowReadIndexes = 0.0, heartbeatFailures = 0.0
    var pending = 0.0, applyLag = 0.0
    var dbTotal = 0.0, dbInUse = 0.0, keys = 0.0
    var writes = 0.0, reads = 0.0, unavailable = 0.0
    /// Bytes per write (value plus overhead) and the client response bytes per read.
    var writeBytes = 1300.0, readBytes = 2500.0
    /// Scraped this step (false while the process is down).
    var up = true
    /// Process start (seconds into the window); changes when the process restarts.
    var startTime = -86_400.0
    /// The process restarted since the previous step (its counters start again from zero).
    var restarted = false
    /// Cut off from its peers this step.
    var partitioned = false
    var defragging = false
    /// A defrag finished this step, taking this many seconds.
    var defragDone: Double?
    var rss = 100e6
    /// cAdvisor: share of CFS periods throttled, container working set.
    var throttled = 0.0
}

struct ClusterModel {
    let scenario: Scenario
    let deployment: Deployment
    var rng: SplitMix64
    var loads: [Double]
    var memberJitter: [Double]
    /// Leadership over time for cluster 0: (from time, leader index), sorted; and the change times.
    let leadership: [(at: Double, leader: Int)]
    let leaderChangeTimes: [Double]
    let windowSeconds: Double

    init(_ s: Scenario, _ d: Deployment, rng: SplitMix64) {
        scenario = s
        deployment = d
        self.rng = rng
        loads = Array(repeating: 0, count: d.hosts.count)
        memberJitter = []
        windowSeconds = Double(s.variant.windowSeconds)
        for _ in d.members { memberJitter.append(self.rng.jitter(0.04)) }
        (leadership, leaderChangeTimes) = Self.leadership(s)
    }

    /// Who leads cluster 0 when: elections hand leadership to their target; a killed leader hands
    /// it to the next member that is up.
    static func leadership(_ s: Scenario) -> ([(at: Double, leader: Int)], [Double]) {
        var events: [(Double, Int?, Int?)] = [] // (time, new leader, killed member)
        for spec in s.faults {
            switch spec.fault {
            case .elections(let at, let to, _): for (k, t) in at.enumerated() { events.append((t, to[k], nil)) }
            case .oomKills(let m, let at, _): for t in at { events.append((t, nil, m)) }
            case .partition(let m): events.append((max(spec.start, -Double(Generator.leadSeconds)), nil, m))
            default: break
            }
        }
        events.sort { $0.0 < $1.0 }
        var timeline = [(at: -Double.infinity, leader: s.leader)]
        var changes: [Double] = []
        for (t, to, killed) in events {
            let current = timeline[timeline.count - 1].leader
            if let to, to != current {
                timeline.append((t, to)); changes.append(t)
            } else if let killed, killed == current {
                let next = (1..<s.variant.members).map { (killed + $0) % s.variant.members }.first ?? current
                timeline.append((t + 1.5, next)); changes.append(t + 1.5)
            }
        }
        return (timeline, changes)
    }

    func leader(cluster: Int, at t: Double) -> Int {
        guard cluster == 0 else { return scenario.leader }
        return leadership.last { $0.at <= t }?.leader ?? scenario.leader
    }

    /// Faults on one member (index within its cluster) and how active each is at `t`.
    func faults(on member: Int, at t: Double) -> [(Fault, Double)] {
        scenario.faults.compactMap { spec in
            guard Self.member(of: spec.fault) == member else { return nil }
            let a = spec.activity(t)
            return a > 0 ? (spec.fault, a) : nil
        }
    }

    /// Cluster-wide faults and their activity at `t`.
    func clusterFaults(at t: Double) -> [(Fault, Double)] {
        scenario.faults.compactMap { spec in
            guard Self.member(of: spec.fault) == nil else { return nil }
            let a = spec.activity(t)
            return a > 0 ? (spec.fault, a) : nil
        }
    }

    /// Client writes per second at `t` (cluster-wide).
    mutating func writeRate(_ t: Double) -> Double {
        var w = scenario.writes
        for case (.loadRamp(let to), let a) in clusterFaults(at: t) {
            // A ramp over the fault's span: quadratic from the base rate to `to`.
            let spec = scenario.faults.first { if case .loadRamp = $0.fault { true } else { false } }
            let span = min(windowSeconds, spec?.end ?? windowSeconds) - (spec?.start ?? 0)
            let share = min(1, max(0, (t - (spec?.start ?? 0)) / max(span, 60))) * a
            w += (to - w) * share * share
        }
        return w * (1 + 0.06 * sin(2 * .pi * t / 900)) * rng.jitter(0.04)
    }

    /// Client reads per second at `t` and the CPU seconds each costs.
    mutating func readRate(_ t: Double) -> (rate: Double, cost: Double) {
        var r = scenario.reads, cost = 0.00005
        for case (.readLoad(let to, let cpu), let a) in clusterFaults(at: t) {
            r += (to - r) * a
            cost += (cpu - cost) * a
        }
        return (r * rng.jitter(0.06), cost)
    }

    static func member(of f: Fault) -> Int? {
        switch f {
        case .slowDisk(let m, _, _), .noisyNeighbour(let m, _, _), .netDelay(let m, _), .packetLoss(let m, _),
             .cpuSaturation(let m, _), .cpuQuota(let m, _), .memoryPressure(let m, _, _), .cpuSteal(let m, _),
             .swapResident(let m), .oomKills(let m, _, _), .throttledVolume(let m, _), .partition(let m):
            return m
        default: return nil
        }
    }
}

extension DiskKind {
    /// Sequential write bandwidth (bytes/s): large values and defragmentation are bound by it.
    var bandwidth: Double { capacity > 20_000 ? 2e9 : (capacity > 5_000 ? 5e8 : 1.25e8) }
}
