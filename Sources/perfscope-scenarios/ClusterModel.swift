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
}

struct ClusterModel {
    let scenario: Scenario
    let deployment: Deployment
    var rng: SplitMix64
    var loads: [Double]
    var memberJitter: [Double]

    init(_ s: Scenario, _ d: Deployment, rng: SplitMix64) {
        scenario = s
        deployment = d
        self.rng = rng
        loads = Array(repeating: 0, count: d.hosts.count)
        memberJitter = []
        for _ in d.members { memberJitter.append(self.rng.jitter(0.04)) }
    }

    /// 0 before the onset, ramping to 1 over a minute.
    func active(_ t: Double) -> Double { min(1, max(0, (t - scenario.onset) / 60)) }

    func leader(cluster: Int, at t: Double) -> Int {
        var l = scenario.leader
        for case .elections(let at, let to, _) in scenario.faults where cluster == 0 {
            for (k, e) in at.enumerated() where e <= t { l = to[k] }
        }
        return l
    }

    /// Client writes per second at `t` (cluster-wide).
    mutating func writeRate(_ t: Double) -> Double {
        var w = scenario.writes
        for case .loadRamp(let to) in scenario.faults {
            let share = min(1, max(0, (t - scenario.onset) / (Double(Generator.windowSeconds) - scenario.onset)))
            w += (to - w) * share * share
        }
        return w * (1 + 0.06 * sin(2 * .pi * t / 900)) * rng.jitter(0.04)
    }

    mutating func step(t: Double, dt: Double) -> (members: [MemberState], hosts: [HostState]) {
        let v = scenario.variant
        let d = deployment
        let n = Double(v.members)
        let w = writeRate(t)
        let r = scenario.reads * rng.jitter(0.06)
        let fsyncRate = w * 0.95 / (1 + w / 3000) + 1.5
        let commitRate = 10 * (1 - exp(-w / 10)) + 0.05
        var faultOn: [Int: [Fault]] = [:]
        for f in scenario.faults { if let m = Self.member(of: f) { faultOn[m, default: []].append(f) } }
        let a = active(t)

        // Hosts first: CPU demand, disk load and latency, memory, network.
        var hosts: [HostState] = []
        for (h, _) in d.hosts.enumerated() {
            var hs = HostState()
            let local = d.membersOn(host: h)
            let localFaults = local.filter { d.members[$0].cluster == 0 }.flatMap { faultOn[d.members[$0].index] ?? [] }
            let cpus = Double(v.cpus)
            var other = cpus * 0.12 * rng.jitter(0.15)
            var etcdCPU = 0.0
            for _ in local { etcdCPU += 0.015 + (w * 0.00045 + r * 0.00005) * rng.jitter(0.05) }
            var otherIOPS = 8 * rng.jitter(0.3), otherBytes = 300_000 * rng.jitter(0.3)
            var capacity = v.disk.capacity, baseLatency = v.disk.writeLatency
            var memoryPressure = false, loss = 0.0, steal = 0.0
            for f in localFaults {
                switch f {
                case .cpuSaturation(_, let demand): other += cpus * demand * a * rng.jitter(0.05)
                case .noisyNeighbour(_, let iops, let bytes): otherIOPS += iops * a * rng.jitter(0.08); otherBytes += bytes * a * rng.jitter(0.08)
                case .slowDisk(_, let cap, let lat):
                    capacity = capacity + (cap - capacity) * a
                    baseLatency = baseLatency + (lat - baseLatency) * a * rng.jitter(0.15)
                case .memoryPressure: memoryPressure = a > 0.5; other += 0.4 * a
                case .packetLoss(_, let rate): loss = rate * a
                case .cpuSteal(_, let share): steal = share * a * rng.jitter(0.1)
                default: break
                }
            }
            hs.demand = etcdCPU + other
            hs.steal = 0.002 * rng.jitter(0.5) + steal
            let u = hs.demand / (cpus * (1 - hs.steal))
            hs.cpuBusy = min(0.985 - hs.steal, hs.demand / cpus * rng.jitter(0.02))
            hs.psiCPU = min(0.95, (0.002 + 0.6 * pow(max(0, u - 0.6), 1.3)) * rng.jitter(0.1))

            // Disk: etcd's WAL appends + flushes and bbolt page writes, plus everything else on the device.
            var etcdIOPS = 0.0, etcdBytes = 0.0
            for _ in local { etcdIOPS += fsyncRate * 2 + commitRate * 4; etcdBytes += w * 1300 * 2 + commitRate * 48_000 }
            let servedOther = min(otherIOPS, max(0, capacity * 0.97 - etcdIOPS))
            hs.writeIOPS = etcdIOPS + servedOther
            hs.writeBytes = etcdBytes + otherBytes * (otherIOPS > 0 ? servedOther / otherIOPS : 1)
            if memoryPressure {
                hs.memAvailable = v.memoryGiB * 1_073_741_824 * 0.028 * rng.jitter(0.1)
                hs.swapIn = 320 * rng.jitter(0.2); hs.swapOut = 450 * rng.jitter(0.2)
                hs.majorFaults = 1100 * rng.jitter(0.2)
                hs.psiMemory = 0.28 * rng.jitter(0.15)
            } else {
                hs.memAvailable = v.memoryGiB * 1_073_741_824 * 0.58 * rng.jitter(0.01)
                hs.majorFaults = 0.4 * rng.jitter(0.5)
                hs.psiMemory = 0.0005 * rng.jitter(0.5)
            }
            hs.swapUsed = memoryPressure ? 0.45 * a : 0
            hs.readIOPS = 4 * rng.jitter(0.3) + hs.swapIn + hs.majorFaults * 0.8
            hs.readBytes = hs.readIOPS * 16_384
            hs.writeIOPS += hs.swapOut / 8
            hs.writeBytes += hs.swapOut * 4096
            let rho = min(0.97, (hs.writeIOPS + hs.readIOPS / 3) / capacity)
            hs.writeLatency = baseLatency / max(0.03, 1 - rho) * rng.jitter(0.06)
            hs.readLatency = v.disk.readLatency * (1 + 3 * rho) * rng.jitter(0.08)
            hs.queue = hs.writeIOPS * hs.writeLatency + hs.readIOPS * hs.readLatency
            hs.utilisation = min(0.999, 1 - exp(-hs.queue))
            hs.iowait = min(max(0, 1 - hs.cpuBusy - hs.steal), hs.utilisation * min(hs.queue, cpus) / cpus * 0.6)
            hs.psiIO = min(0.95, (1 - exp(-hs.queue * 0.35)) * rng.jitter(0.05))
            hs.blocked = rng.count(hs.queue * 0.8)
            let target = hs.demand + hs.blocked
            loads[h] += (target - loads[h]) * (1 - exp(-dt / 60))
            hs.load1 = max(0, loads[h] * rng.jitter(0.05))
            hs.contextSwitches = (1500 * cpus + w * 12 + r * 3) * rng.jitter(0.05)

            // Network: replication from the leader, acks, client traffic, and the rest of the host.
            hs.rxBytes = 120_000 * rng.jitter(0.1) + (w * 1300 + r * 300) * Double(local.count)
            hs.txBytes = 90_000 * rng.jitter(0.1) + (w * 1300 * (n - 1) / n + r * 2500 / n) * Double(local.count)
            hs.dropRate = loss * 0.4
            hs.retransmitRatio = 0.0008 * rng.jitter(0.3) + loss * 1.6
            hosts.append(hs)
        }

        // Members: latencies follow from their host; elections and DB state from the scenario.
        var out: [MemberState] = []
        for (i, m) in d.members.enumerated() {
            let hs = hosts[m.host]
            var ms = MemberState()
            let faults = m.cluster == 0 ? (faultOn[m.index] ?? []) : []
            let u = hs.demand / (Double(v.cpus) * (1 - hs.steal))
            let flush = hs.writeLatency * 1.3
            var fsync = Latency(median: (flush + 0.00015) * memberJitter[i], sigma: 0.45).with(share: 0.004, median: flush * 6 + 0.001, sigma: 0.5)
            var commit = Latency(median: (2.2 * flush + 0.0004 + scenario.dbBytes / 1_073_741_824 * 0.0008) * memberJitter[i], sigma: 0.55)
            var cpuTail = (share: 0.0, median: 0.0)
            if u > 0.9 { cpuTail = (min(0.35, 0.3 * (u - 0.9)), 0.02 * u) }
            // A descheduled vCPU stalls whatever runs on it, etcd's fsync completions included.
            if hs.steal > 0.05 { cpuTail = (max(cpuTail.share, hs.steal * 0.6), max(cpuTail.median, 0.012 + hs.steal * 0.05)) }
            ms.gcMax = 0.0012 * rng.jitter(0.4) + (u > 0.95 ? 0.015 * u * rng.jitter(0.3) : 0) + (hs.steal > 0.05 ? hs.steal * 0.08 * rng.jitter(0.3) : 0)
            ms.processCPU = 0.015 + (w * 0.00045 + r * 0.00005) * rng.jitter(0.05)
            for f in faults {
                switch f {
                case .cpuQuota(_, let cores) where a > 0:
                    cpuTail = (0.3 * a, 0.09)
                    ms.processCPU = min(ms.processCPU, cores * rng.jitter(0.05))
                    ms.gcMax = (0.12 + 0.1 * rng.uniform()) * a + ms.gcMax
                case .memoryPressure where a > 0:
                    fsync = fsync.with(share: 0.03 * a, median: 0.018, sigma: 0.5)
                    commit = commit.with(share: 0.08 * a, median: 0.06, sigma: 0.6)
                default: break
                }
            }
            if cpuTail.share > 0 {
                fsync = fsync.with(share: cpuTail.share, median: cpuTail.median, sigma: 0.6)
                commit = commit.with(share: cpuTail.share, median: cpuTail.median * 1.3, sigma: 0.6)
            }
            ms.fsync = fsync
            ms.commit = commit
            ms.fsyncRate = fsyncRate * rng.jitter(0.02)
            ms.commitRate = commitRate * rng.jitter(0.02)
            ms.gcRate = 0.05 + w / 4000

            // Peer round-trips: etcd probes each peer about every 30 s.
            for p in m.peers {
                var base = v.baseRTT * rng.jitter(0.1)
                var tail = (share: 0.0, median: 0.0)
                for f in scenario.faults where m.cluster == 0 {
                    switch f {
                    case .netDelay(let x, let s) where x == m.index || x == d.members[p].index: base += 2 * s * a
                    case .packetLoss(let x, let rate) where x == m.index || x == d.members[p].index: tail = (min(0.3, rate * 8) * a, 0.25)
                    default: break
                    }
                }
                if cpuTail.share > 0 { tail = (max(tail.share, cpuTail.share), max(tail.median, cpuTail.median)) }
                var l = Latency(median: base, sigma: 0.25)
                if tail.share > 0 { l = l.with(share: tail.share, median: tail.median, sigma: 0.35) }
                ms.rtt[p] = l
                for case .packetLoss(let x, let rate) in scenario.faults where m.cluster == 0 && a > 0 {
                    if x == m.index { ms.peerFailures[p] = rate * 6 * a } else if x == d.members[p].index { ms.peerFailures[p] = rate * 3 * a }
                }
            }
            let worstRTT = ms.rtt.values.map { $0.parts[0].median }.max() ?? v.baseRTT
            ms.unary = Latency(median: 2 * fsync.parts[0].median + worstRTT + 0.0003, sigma: 0.5)
            ms.range = Latency(median: 0.0005 + worstRTT * 0.5, sigma: 0.6)
            if cpuTail.share > 0 {
                ms.unary = ms.unary.with(share: cpuTail.share, median: cpuTail.median * 1.5, sigma: 0.6)
                ms.range = ms.range.with(share: cpuTail.share, median: cpuTail.median, sigma: 0.6)
            }

            // Leadership.
            let leader = leader(cluster: m.cluster, at: t)
            ms.isLeader = leader == m.index
            for case .elections(let at, _, let seconds) in scenario.faults where m.cluster == 0 {
                ms.leaderChanges += Double(at.filter { $0 > t - dt && $0 <= t }.count)
                if at.contains(where: { t >= $0 - seconds && t < $0 }) { ms.hasLeader = false; ms.isLeader = false }
            }
            if ms.leaderChanges > 0 {
                ms.failedProposals = rng.count(3 * ms.leaderChanges)
                ms.unavailable = rng.count(w / n * 1.5 * ms.leaderChanges)
            }
            let heartbeat = scenario.faults.compactMap { if case .tightTimeouts(let hb) = $0 { hb } else { nil } }.first ?? v.heartbeatMs
            if ms.isLeader {
                // The leader misses a heartbeat deadline when its raft loop stalls longer than two intervals.
                let stall = 1 - fsync.cdf(2 * heartbeat / 1000)
                ms.heartbeatFailures = (1000 / heartbeat) * stall * 0.5
                ms.pending = rng.count(w * (fsync.parts[0].median + worstRTT))
            }
            ms.slowApplies = w * (1 - commit.cdf(0.1)) * 0.3
            ms.slowReadIndexes = r * 0.02 * (1 - (ms.rtt.values.map { $0.cdf(0.1) }.min() ?? 1))
            ms.applyLag = rng.count(w * commit.parts[0].median * 0.5)

            // Database.
            var inUse = scenario.dbBytes * (1 + 0.01 * sin(2 * .pi * t / 1800)) * memberJitter[i].squareRoot()
            var total = inUse * 1.12
            for f in scenario.faults {
                switch f {
                case .dbNearQuota(let share):
                    inUse = v.quotaBytes * share * 0.985 + (t + 600) * 900 * (1 + 0.002 * Double(m.index))
                    total = max(inUse * 1.012, v.quotaBytes * share)
                case .fragmentation(let tb, let ub):
                    inUse = ub * (1 + 0.002 * sin(t / 300)) * memberJitter[i].squareRoot()
                    total = tb * (1 + 0.01 * Double(m.index))
                default: break
                }
            }
            ms.dbInUse = inUse
            ms.dbTotal = total
            ms.keys = scenario.keys + w * 0.02 * (t + 600)
            ms.writes = w
            ms.reads = r
            out.append(ms)
        }
        return (out, hosts)
    }

    static func member(of f: Fault) -> Int? {
        switch f {
        case .slowDisk(let m, _, _), .noisyNeighbour(let m, _, _), .netDelay(let m, _), .packetLoss(let m, _),
             .cpuSaturation(let m, _), .cpuQuota(let m, _), .memoryPressure(let m), .cpuSteal(let m, _):
            return m
        default: return nil
        }
    }
}
