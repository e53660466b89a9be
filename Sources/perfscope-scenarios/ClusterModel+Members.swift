import Foundation

/// One step of the whole cluster: what the members ask of their hosts, the hosts, then each
/// member's latencies, leadership, lifecycle and database from its host and the scenario.
extension ClusterModel {
    /// Defragmentation of one member (index within cluster 0) at `t`: running, or finished in (t − dt, t].
    func defrag(member: Int, t: Double, dt: Double) -> (running: Bool, done: Double?, before: Bool, bytes: (total: Double, inUse: Double))? {
        for spec in scenario.faults {
            guard case .defrag(let order, let at, let seconds, let total, let inUse) = spec.fault,
                  let k = order.firstIndex(of: member), k < at.count else { continue }
            let begin = at[k], end = at[k] + seconds
            let done = end > t - dt && end <= t ? seconds : nil
            return (t >= begin && t < end, done, t < end, (total, inUse))
        }
        return nil
    }

    mutating func step(t: Double, dt: Double) -> (members: [MemberState], hosts: [HostState]) {
        let v = scenario.variant
        let d = deployment
        let n = Double(v.members)
        let w = writeRate(t)
        let (r, readCost) = readRate(t)
        var valueBytes = 1300.0
        for case (.largeValues(let bytes), let a) in clusterFaults(at: t) { valueBytes += bytes * a * rng.jitter(0.05) }
        let readBytes = 2500 + readCost * 30_000_000 // an expensive range returns many objects
        let fsyncRate = w * 0.95 / (1 + w / 3000) + 1.5
        let commitRate = 10 * (1 - exp(-w / 10)) + 0.05
        let readLoad = clusterFaults(at: t).compactMap { f, a -> Double? in if case .readLoad = f { a } else { nil } }.max() ?? 0

        // What each member asks of its host.
        var demands = [HostDemand](repeating: HostDemand(), count: d.hosts.count)
        for m in d.members {
            let own = m.cluster == 0
            if own, oomPhase(member: m.index, t: t, dt: dt)?.down == true { continue }
            var cpu = 0.015 + (w * 0.00045 + r * 0.00005 + r / n * max(0, readCost - 0.00005) + w * valueBytes * 2e-9) * rng.jitter(0.05)
            for (f, a) in own ? faults(on: m.index, at: t) : [] {
                if case .cpuQuota(_, let cores) = f { cpu = min(cpu, cpu * (1 - a) + cores * a) }
            }
            demands[m.host].etcdCPU += cpu
            demands[m.host].etcdIOPS += fsyncRate * 2 + commitRate * 4
            demands[m.host].etcdBytes += w * valueBytes * 2 + commitRate * 48_000
            if own, let df = defrag(member: m.index, t: t, dt: dt), df.running, case .defrag(_, _, let seconds, let total, _)? = scenario.faults.first(where: { if case .defrag = $0.fault { true } else { false } })?.fault {
                demands[m.host].defragBytes += total / seconds
            }
        }
        var hosts: [HostState] = []
        for h in d.hosts.indices {
            hosts.append(hostStep(h, t: t, dt: dt, demand: demands[h], writes: w, reads: r, writeBytes: valueBytes, readBytes: readBytes))
        }

        let partitioned = Set(scenario.faults.compactMap { spec -> Int? in
            if case .partition(let pm) = spec.fault, spec.activity(t) > 0.5 { pm } else { nil }
        })
        let cut = { (x: Int) in partitioned.contains(x) }
        var out: [MemberState] = []
        for (i, m) in d.members.enumerated() {
            let hs = hosts[m.host]
            var ms = MemberState()
            let own = m.cluster == 0
            let faults = own ? faults(on: m.index, at: t) : []
            let u = hs.demand / (Double(v.cpus) * (1 - hs.steal))
            let bytesPerFsync = w * valueBytes / max(1, fsyncRate)
            var throttle = 0.0
            for case (.throttledVolume(_, let latency), let a) in faults { throttle = max(throttle, latency * a) }
            let flush = hs.writeLatency * 1.3 + bytesPerFsync / v.disk.bandwidth + throttle
            var fsync = Latency(median: (flush + 0.00015) * memberJitter[i], sigma: 0.45).with(share: 0.004, median: flush * 6 + 0.001, sigma: 0.5)
            var commit = Latency(median: (2.2 * flush + 0.0004 + scenario.dbBytes / 1_073_741_824 * 0.0008 + w * valueBytes / max(1, commitRate) / v.disk.bandwidth) * memberJitter[i], sigma: 0.55)
            var cpuTail = (share: 0.0, median: 0.0)
            if u > 0.9 { cpuTail = (min(0.35, 0.3 * (u - 0.9)), 0.02 * u) }
            // A descheduled vCPU stalls whatever runs on it, etcd's fsync completions included.
            if hs.steal > 0.05 { cpuTail = (max(cpuTail.share, hs.steal * 0.6), max(cpuTail.median, 0.012 + hs.steal * 0.05)) }
            ms.gcMax = 0.0012 * rng.jitter(0.4) + (u > 0.95 ? 0.015 * u * rng.jitter(0.3) : 0) + (hs.steal > 0.05 ? hs.steal * 0.08 * rng.jitter(0.3) : 0)
            ms.processCPU = 0.015 + (w * 0.00045 + r * 0.00005 + r / n * max(0, readCost - 0.00005)) * rng.jitter(0.05)
            ms.throttled = v.cadvisor ? 0.002 * rng.jitter(0.8) : 0
            var rangeTail = (share: 0.0, median: 0.0)
            for (f, a) in faults {
                switch f {
                case .cpuQuota(_, let cores):
                    cpuTail = (0.3 * a, 0.09)
                    ms.processCPU = min(ms.processCPU, cores * rng.jitter(0.05))
                    ms.gcMax = (0.12 + 0.1 * rng.uniform()) * a + ms.gcMax
                    ms.throttled = max(ms.throttled, (0.55 + 0.35 * rng.uniform()) * a)
                case .memoryPressure(_, _, let severity) where a > 0.3:
                    let s = severity * min(1, a * 1.5)
                    fsync = fsync.with(share: 0.03 * s, median: 0.02, sigma: 0.5)
                    commit = commit.with(share: 0.08 * s, median: 0.06, sigma: 0.6)
                    rangeTail = (0.06 * s, 0.05)
                default: break
                }
            }
            if cpuTail.share > 0 {
                fsync = fsync.with(share: cpuTail.share, median: cpuTail.median, sigma: 0.6)
                commit = commit.with(share: cpuTail.share, median: cpuTail.median * 1.3, sigma: 0.6)
            }
            // Reads that hold the backend's read transaction delay commits.
            if readLoad > 0 { commit = commit.with(share: 0.04 * readLoad, median: readCost * 4, sigma: 0.6) }

            // Lifecycle: an OOM-killed process is down, then starts again with fresh counters.
            if own, let oom = oomPhase(member: m.index, t: t, dt: dt) {
                ms.up = !oom.down
                ms.restarted = oom.restarted
                if let start = oom.startTime { ms.startTime = start }
                ms.rss = 150e6 + (v.containerMemoryLimit ?? v.memoryGiB * 1_073_741_824 * 0.9) * 0.85 * oom.phase
                if let start = oom.startTime, t - start < 90 { commit = commit.with(share: 0.2, median: 0.08, sigma: 0.5) }
            } else {
                ms.rss = (70e6 + min(scenario.dbBytes, 4e9) * 0.9) * rng.jitter(0.01)
            }
            // Defragmentation locks this member's backend and rewrites its file.
            var defragShrunk: (Double, Double)?
            if own, let df = defrag(member: m.index, t: t, dt: dt) {
                ms.defragging = df.running
                ms.defragDone = df.done
                if df.running {
                    commit = commit.with(share: 0.45, median: 0.6, sigma: 0.6)
                    rangeTail = (max(rangeTail.share, 0.4), 0.8)
                }
                if !df.before { defragShrunk = (df.bytes.inUse * 1.02, df.bytes.inUse) }
            }
            ms.fsync = fsync
            ms.commit = commit
            ms.fsyncRate = fsyncRate * rng.jitter(0.02)
            ms.commitRate = commitRate * rng.jitter(0.02)
            ms.gcRate = 0.05 + w / 4000
            ms.writeBytes = valueBytes
            ms.readBytes = readBytes

            ms.partitioned = own && cut(m.index)
            // Peer round-trips: etcd probes each peer about every 30 s.
            for p in m.peers {
                var base = v.baseRTT * rng.jitter(0.1)
                var tail = (share: 0.0, median: 0.0)
                for spec in scenario.faults where own {
                    let a = spec.activity(t)
                    guard a > 0 else { continue }
                    switch spec.fault {
                    case .netDelay(let x, let s) where x == m.index || x == d.members[p].index: base += 2 * s * a
                    case .packetLoss(let x, let rate) where x == m.index || x == d.members[p].index: tail = (min(0.3, rate * 8) * a, 0.25)
                    default: break
                    }
                }
                if cpuTail.share > 0 { tail = (max(tail.share, cpuTail.share), max(tail.median, cpuTail.median)) }
                var l = Latency(median: base, sigma: 0.25)
                if tail.share > 0 { l = l.with(share: tail.share, median: tail.median, sigma: 0.35) }
                ms.rtt[p] = l
                for spec in scenario.faults where own {
                    guard case .packetLoss(let x, let rate) = spec.fault else { continue }
                    let a = spec.activity(t)
                    if a > 0, x == m.index { ms.peerFailures[p] = rate * 6 * a } else if a > 0, x == d.members[p].index { ms.peerFailures[p] = rate * 3 * a }
                }
                if own, d.members[p].cluster == 0, oomPhase(member: d.members[p].index, t: t, dt: dt)?.down == true {
                    ms.peerFailures[p] = (ms.peerFailures[p] ?? 0) + 1.5
                }
                // Heartbeats and appends across a partition fail.
                if own, ms.partitioned || (d.members[p].cluster == 0 && cut(d.members[p].index)) {
                    ms.peerFailures[p] = (ms.peerFailures[p] ?? 0) + 8 * rng.jitter(0.2)
                }
            }
            let worstRTT = ms.rtt.values.map { $0.parts[0].median }.max() ?? v.baseRTT
            ms.unary = Latency(median: 2 * fsync.parts[0].median + worstRTT + 0.0003, sigma: 0.5)
            ms.range = Latency(median: 0.0005 + worstRTT * 0.5 + readCost * 6 * (1 + 1.5 * max(0, u - 0.5)), sigma: readLoad > 0 ? 0.7 : 0.6)
            if cpuTail.share > 0 {
                ms.unary = ms.unary.with(share: cpuTail.share, median: cpuTail.median * 1.5, sigma: 0.6)
                ms.range = ms.range.with(share: cpuTail.share, median: cpuTail.median, sigma: 0.6)
            }
            if rangeTail.share > 0 {
                ms.range = ms.range.with(share: rangeTail.share, median: rangeTail.median, sigma: 0.5)
                ms.unary = ms.unary.with(share: rangeTail.share * 0.5, median: rangeTail.median, sigma: 0.5)
            }

            // Leadership.
            let leader = leader(cluster: m.cluster, at: t)
            ms.isLeader = leader == m.index && ms.up && !ms.partitioned
            if ms.partitioned { ms.hasLeader = false; ms.failedProposals = rng.count(w / n * 0.3 * dt) }
            if own {
                ms.leaderChanges = ms.up ? Double(leaderChangeTimes.filter { $0 > t - dt && $0 <= t }.count) : 0
                for case .elections(let at, _, let seconds) in scenario.faults.map(\.fault) where at.contains(where: { t >= $0 - seconds && t < $0 }) {
                    ms.hasLeader = false; ms.isLeader = false
                }
            }
            if ms.leaderChanges > 0 {
                ms.failedProposals += rng.count(3 * ms.leaderChanges)
                ms.unavailable = rng.count(w / n * 1.5 * ms.leaderChanges)
            }
            let heartbeat = scenario.faults.compactMap { if case .tightTimeouts(let hb) = $0.fault { hb } else { nil } }.first ?? v.heartbeatMs
            if ms.isLeader {
                // The leader misses a heartbeat deadline when its raft loop stalls longer than two intervals.
                let stall = 1 - fsync.cdf(2 * heartbeat / 1000)
                ms.heartbeatFailures = (1000 / heartbeat) * stall * 0.5
                ms.pending = rng.count(w * (fsync.parts[0].median + worstRTT + readLoad * readCost * 5))
            }
            ms.slowApplies = w * (1 - commit.cdf(0.1)) * 0.3
            ms.slowReadIndexes = r * 0.02 * (1 - (ms.rtt.values.map { $0.cdf(0.1) }.min() ?? 1))
            ms.applyLag = rng.count(w * commit.parts[0].median * 0.5) + (ms.defragging ? rng.count(w / n * 20) : 0)

            // Database.
            var inUse = scenario.dbBytes * (1 + 0.01 * sin(2 * .pi * t / 1800)) * memberJitter[i].squareRoot()
            var total = inUse * 1.12
            for f in scenario.faults.map(\.fault) {
                switch f {
                case .dbNearQuota(let share):
                    inUse = v.quotaBytes * share * 0.985 + (t + 600) * 900 * (1 + 0.002 * Double(m.index))
                    total = max(inUse * 1.012, v.quotaBytes * share)
                case .fragmentation(let tb, let ub):
                    inUse = ub * (1 + 0.002 * sin(t / 300)) * memberJitter[i].squareRoot()
                    total = tb * (1 + 0.01 * Double(m.index))
                case .defrag(_, _, _, let tb, let ub) where own:
                    inUse = ub * (1 + 0.002 * sin(t / 300)) * memberJitter[i].squareRoot()
                    total = defragShrunk?.0 ?? tb * (1 + 0.01 * Double(m.index))
                default: break
                }
            }
            // Large values grow the DB, compaction keeps it well under the quota.
            if valueBytes > 2000 { inUse = min(inUse + (t + 600) * w * valueBytes * 0.002, v.quotaBytes * 0.55) }
            ms.dbInUse = inUse
            ms.dbTotal = max(total, inUse)
            ms.keys = scenario.keys + w * 0.02 * (t + 600)
            ms.writes = w
            ms.reads = r
            out.append(ms)
        }
        return (out, hosts)
    }
}
