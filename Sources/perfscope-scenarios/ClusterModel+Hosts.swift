import Foundation

/// One step of the hosts: CPU demand, disk load and latency, memory, network.
extension ClusterModel {
    /// What the members on a host ask of it this step (computed before the host).
    struct HostDemand {
        var etcdCPU = 0.0
        var etcdIOPS = 0.0
        var etcdBytes = 0.0
        var defragBytes = 0.0
    }

    /// Where an OOM-killed member is in its cycle: share of the way to the next kill (0…1), kills
    /// in (t − dt, t], and whether the process is down.
    struct OOMPhase {
        var phase = 0.0
        var kills = 0.0
        var down = false
        var restarted = false
        var startTime: Double?
    }

    func oomPhase(member: Int, t: Double, dt: Double) -> OOMPhase? {
        for spec in scenario.faults {
            guard case .oomKills(let m, let at, let downSeconds) = spec.fault, m == member, !at.isEmpty else { continue }
            var out = OOMPhase()
            let sorted = at.sorted()
            let gap = sorted.count > 1 ? (sorted[sorted.count - 1] - sorted[0]) / Double(sorted.count - 1) : 900
            let previous = sorted.last { $0 <= t } ?? (sorted[0] - gap)
            let next = sorted.first { $0 > t } ?? (previous + gap)
            out.phase = min(1, max(0, (t - previous - downSeconds) / max(60, next - previous - downSeconds)))
            out.kills = Double(sorted.filter { $0 > t - dt && $0 <= t }.count)
            out.down = sorted.contains { t >= $0 && t < $0 + downSeconds }
            out.restarted = sorted.contains { $0 + downSeconds > t - dt && $0 + downSeconds <= t }
            out.startTime = sorted.last { $0 + downSeconds <= t }.map { $0 + downSeconds }
            return out
        }
        return nil
    }

    mutating func hostStep(_ h: Int, t: Double, dt: Double, demand: HostDemand, writes w: Double, reads r: Double,
                           writeBytes: Double, readBytes: Double) -> HostState {
        let v = scenario.variant
        let d = deployment
        var hs = HostState()
        let local = d.membersOn(host: h)
        let n = Double(v.members)
        let localFaults = local.filter { d.members[$0].cluster == 0 }.flatMap { faults(on: d.members[$0].index, at: t) }
        let cpus = Double(v.cpus)
        var other = cpus * 0.12 * rng.jitter(0.15)
        var otherIOPS = 8 * rng.jitter(0.3), otherBytes = 300_000 * rng.jitter(0.3)
        var capacity = v.disk.capacity, baseLatency = v.disk.writeLatency
        var memory: (swap: Bool, severity: Double, a: Double)?
        var loss = 0.0, steal = 0.0, swapResident = false, throttled = 0.0
        for (f, a) in localFaults {
            switch f {
            case .cpuSaturation(_, let want): other += cpus * want * a * rng.jitter(0.05)
            case .noisyNeighbour(_, let iops, let bytes): otherIOPS += iops * a * rng.jitter(0.08); otherBytes += bytes * a * rng.jitter(0.08)
            case .slowDisk(_, let cap, let lat):
                capacity += (cap - capacity) * a
                baseLatency += (lat - baseLatency) * a * rng.jitter(0.15)
            case .memoryPressure(_, let swap, let severity): memory = (swap, severity, a); other += 0.35 * a * severity
            case .packetLoss(_, let rate): loss = rate * a
            case .cpuSteal(_, let share): steal = share * a * rng.jitter(0.1)
            case .swapResident: swapResident = true
            case .throttledVolume(_, let latency): throttled = max(throttled, latency * a)
            default: break
            }
        }
        hs.demand = demand.etcdCPU + other
        hs.steal = 0.002 * rng.jitter(0.5) + steal
        let u = hs.demand / (cpus * (1 - hs.steal))
        hs.cpuBusy = min(0.985 - hs.steal, hs.demand / cpus * rng.jitter(0.02))
        hs.psiCPU = min(0.95, (0.002 + 0.6 * pow(max(0, u - 0.6), 1.3)) * rng.jitter(0.1))

        // Disk: etcd's WAL appends + flushes and bbolt page writes, plus everything else on the device.
        let servedOther = min(otherIOPS, max(0, capacity * 0.97 - demand.etcdIOPS))
        hs.writeIOPS = demand.etcdIOPS + servedOther
        hs.writeBytes = demand.etcdBytes + otherBytes * (otherIOPS > 0 ? servedOther / otherIOPS : 1)
        hs.writeIOPS += demand.defragBytes / 131_072
        hs.writeBytes += demand.defragBytes
        let total = v.memoryGiB * 1_073_741_824
        var readSize = 16_384.0
        if let m = memory, m.a > 0.3 {
            let s = m.severity * min(1, m.a * 1.5)
            hs.memAvailable = total * max(0.008, 0.05 - 0.025 * s) * rng.jitter(0.1)
            hs.psiMemory = min(0.9, 0.22 * s * rng.jitter(0.15))
            if m.swap {
                hs.swapIn = 300 * s * rng.jitter(0.2); hs.swapOut = 420 * s * rng.jitter(0.2)
                hs.majorFaults = (hs.swapIn * 1.4 + 120 * s) * rng.jitter(0.2)
                hs.swapUsed = min(0.95, 0.3 + 0.3 * s)
            } else {
                // Page cache evicted and read back: major faults of file pages, read-ahead sized device reads.
                hs.majorFaults = 2200 * s * rng.jitter(0.2)
                readSize = 65_536
            }
        } else {
            hs.memAvailable = total * 0.58 * rng.jitter(0.01)
            hs.majorFaults = 0.4 * rng.jitter(0.5)
            hs.psiMemory = 0.0005 * rng.jitter(0.5)
            hs.swapUsed = swapResident ? 0.55 : 0
        }
        // An etcd process leaking towards an OOM kill eats the host's memory (without a container limit).
        for m in local where d.members[m].cluster == 0 {
            guard let oom = oomPhase(member: d.members[m].index, t: t, dt: dt) else { continue }
            hs.oomKills += oom.kills
            if v.containerMemoryLimit == nil, oom.phase > 0 {
                hs.memAvailable = min(hs.memAvailable, total * max(0.015, 0.5 - 0.48 * oom.phase) * rng.jitter(0.05))
                if oom.phase > 0.75 {
                    let s = (oom.phase - 0.75) * 4
                    hs.majorFaults += 900 * s * rng.jitter(0.2)
                    hs.psiMemory = max(hs.psiMemory, 0.2 * s * rng.jitter(0.15))
                }
            }
        }
        hs.readIOPS = 4 * rng.jitter(0.3) + hs.swapIn + hs.majorFaults * 0.8
        hs.readBytes = hs.readIOPS * readSize
        hs.writeIOPS += hs.swapOut / 8
        hs.writeBytes += hs.swapOut * 4096
        // Bandwidth: bytes take time of their own on top of the operations.
        let busy = (hs.writeIOPS + hs.readIOPS / 3) / capacity + (hs.writeBytes + hs.readBytes) / v.disk.bandwidth
        let rho = min(0.97, busy)
        hs.writeLatency = baseLatency / max(0.03, 1 - rho) * rng.jitter(0.06)
        hs.readLatency = v.disk.readLatency * (1 + 3 * rho) / max(0.1, 1 - rho * 0.8) * rng.jitter(0.08)
        hs.queue = hs.writeIOPS * hs.writeLatency + hs.readIOPS * hs.readLatency
        hs.utilisation = min(0.999, 1 - exp(-hs.queue))
        hs.iowait = min(max(0, 1 - hs.cpuBusy - hs.steal), hs.utilisation * min(hs.queue, cpus) / cpus * 0.6)
        // A throttled volume stalls the writers above the device: pressure, not device busy time.
        hs.psiIO = min(0.95, (1 - exp(-hs.queue * 0.35) + min(0.6, throttled * 12)) * rng.jitter(0.05))
        hs.blocked = rng.count(hs.queue * 0.8)
        let target = hs.demand + hs.blocked
        loads[h] += (target - loads[h]) * (1 - exp(-dt / 60))
        hs.load1 = max(0, loads[h] * rng.jitter(0.05))
        hs.contextSwitches = (1500 * cpus + w * 12 + r * 3) * rng.jitter(0.05)

        // Network: replication from the leader, acks, client traffic, and the rest of the host.
        hs.rxBytes = 120_000 * rng.jitter(0.1) + (w * writeBytes + r * 300) * Double(local.count)
        hs.txBytes = 90_000 * rng.jitter(0.1) + (w * writeBytes * (n - 1) / n + r * readBytes / n) * Double(local.count)
        hs.dropRate = loss * 0.4
        hs.retransmitRatio = 0.0008 * rng.jitter(0.3) + loss * 1.6
        return hs
    }
}
