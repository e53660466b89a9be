import Foundation

/// The scenario classes: what goes wrong (or what looks alarming but is fine), with the
/// magnitude ranges that make each a real fault of its kind. Physics stays in ClusterModel.
enum Classes {
    struct Kind {
        var name: String
        var make: (inout Scenario, inout SplitMix64) -> Void
    }

    typealias P = Procedural

    /// A member-level fault on `m` with its magnitude drawn from the class's range, its category
    /// and a description. Also the building blocks of two-fault scenarios.
    static func memberFault(_ name: String, _ s: inout Scenario, _ m: Int, _ rng: inout SplitMix64) -> (Fault, String, String) {
        let v = s.variant
        switch name {
        case "disk-slow":
            let cap = v.disk.capacity > 20_000 ? P.uniform(400, 1500, &rng) : P.uniform(150, 600, &rng)
            let lat = P.uniform(0.008, 0.04, &rng)
            return (.slowDisk(member: m, capacity: cap, latency: lat), "disk",
                    "member \(m + 1)'s data device degrades to \(Int(cap)) IOPS at \(Int(lat * 1000)) ms")
        case "disk-neighbour":
            let iops = v.disk.capacity * P.uniform(0.9, 1.3, &rng)
            let bytes = min(v.disk.bandwidth * 0.8, P.uniform(40e6, 200e6, &rng))
            return (.noisyNeighbour(member: m, iops: iops, bytesPerSecond: bytes), "disk",
                    "another process writes \(Int(iops)) IOPS / \(Int(bytes / 1e6)) MB/s to member \(m + 1)'s etcd device")
        case "disk-throttled":
            let lat = P.uniform(0.015, 0.06, &rng)
            return (.throttledVolume(member: m, latency: lat), "disk",
                    "member \(m + 1)'s volume is throttled above the device (+\(Int(lat * 1000)) ms per write; the node's disk metrics look idle)")
        case "net-partition":
            return (.partition(member: m), "network", "member \(m + 1) is cut off from its peers")
        case "net-delay":
            let d = P.uniform(0.02, 0.08, &rng)
            return (.netDelay(member: m, seconds: d), "network", "member \(m + 1)'s peer traffic is delayed \(Int(d * 1000)) ms each way")
        case "net-loss":
            let r = P.uniform(0.02, 0.06, &rng)
            return (.packetLoss(member: m, rate: r), "network", "member \(m + 1)'s host NIC loses \(Int(r * 100)) % of packets")
        case "cpu-saturation":
            let d = P.uniform(1.1, 1.6, &rng)
            return (.cpuSaturation(member: m, demand: d), "cpu", "other processes on member \(m + 1)'s host want \(String(format: "%.1f", d))× its CPUs")
        case "cpu-quota":
            let c = P.uniform(0.02, 0.08, &rng)
            return (.cpuQuota(member: m, cores: c), "cpu", "member \(m + 1)'s etcd is throttled to \(String(format: "%.2f", c)) CPU by a CFS quota")
        case "cpu-steal":
            let st = P.uniform(0.2, 0.45, &rng)
            return (.cpuSteal(member: m, share: st), "cpu", "the hypervisor steals \(Int(st * 100)) % of member \(m + 1)'s vCPUs")
        case "memory-swap":
            if s.variant.swapGiB == 0 { s.variant.swapGiB = 4 }
            let sev = P.uniform(0.7, 1.5, &rng)
            return (.memoryPressure(member: m, swap: true, severity: sev), "memory", "member \(m + 1)'s host runs out of memory and swaps")
        default: // memory-thrash
            s.variant.swapGiB = 0
            let sev = P.uniform(0.7, 1.5, &rng)
            return (.memoryPressure(member: m, swap: false, severity: sev), "memory",
                    "member \(m + 1)'s host runs out of memory without swap: its page cache is evicted and read back, the disk busy with reads")
        }
    }

    static let memberFaults = ["disk-slow", "disk-neighbour", "disk-throttled", "net-delay", "net-loss", "net-partition",
                               "cpu-saturation", "cpu-quota", "cpu-steal", "memory-swap", "memory-thrash"]

    static func single(_ name: String) -> Kind {
        Kind(name: name) { s, rng in
            let m = P.member(&rng)
            let (fault, category, text) = memberFault(name, &s, m, &rng)
            let span = P.timing(&s, &rng)
            s.faults.append(FaultSpec(fault: fault, start: span.start, end: span.end))
            s.expect(category, [m])
            s.description = "\(text), \(P.when(span, window: P.window(s)))."
        }
    }

    static var all: [Kind] { memberFaults.map(single) + others }

    static var others: [Kind] { [
        Kind(name: "disk-shared") { s, rng in
            s.variant.colocated = true
            s.variant.disk = P.pick([.ssd, .cloud], &rng)
            let span = P.timing(&s, &rng, allowed: [.whole, .middle, .burst])
            let iops = s.variant.disk.capacity * P.uniform(0.9, 1.2, &rng)
            s.faults.append(FaultSpec(fault: .noisyNeighbour(member: 0, iops: iops, bytesPerSecond: min(s.variant.disk.bandwidth * 0.7, 60e6)), start: span.start, end: span.end))
            s.expect("disk", [0, 1, 2])
            s.description = "All members on one host whose data device another workload saturates, \(P.when(span, window: P.window(s)))."
        },
        Kind(name: "disk-leader-elections") { s, rng in
            let span = P.timing(&s, &rng, allowed: [.whole, .middle])
            let leader = s.leader
            s.faults.append(FaultSpec(fault: .slowDisk(member: leader, capacity: P.uniform(150, 300, &rng), latency: P.uniform(0.04, 0.08, &rng)), start: span.start, end: span.end))
            let w = P.window(s), first = max(span.start, 0) + 180
            let count = Int(P.uniform(2, 4.99, &rng))
            let at = (0..<count).map { first + Double($0) * (w - first - 60) / Double(count) }
            var to: [Int] = [], current = leader
            for k in 0..<count { current = k % 2 == 0 ? (leader + 1 + Int(rng.next() % 2)) % 3 : leader; to.append(current) }
            s.faults.append(FaultSpec(fault: .elections(at: at, to: to, electionSeconds: 3), start: span.start))
            s.expect("disk", [leader])
            s.description = "The leader's disk degrades (\(P.when(span, window: w))); heartbeats stall and leadership moves \(count) times."
        },
        Kind(name: "net-wan") { s, rng in
            s.timing = "whole"
            s.variant.baseRTT = P.uniform(0.06, 0.12, &rng)
            s.expect("network", [0, 1, 2])
            s.description = "Members in three regions: \(Int(s.variant.baseRTT * 1000)) ms round-trips between every pair with default timeouts."
        },
        Kind(name: "memory-oom") { s, rng in
            let m = P.member(&rng)
            let w = P.window(s)
            let count = Int(P.uniform(2, 4.99, &rng))
            let first = w * P.uniform(0.1, 0.3, &rng)
            let gap = max(360, (w * 0.9 - first) / Double(count))
            let at = (0..<count).map { first + Double($0) * gap * P.uniform(0.85, 1.0, &rng) }
            if s.variant.cadvisor, rng.uniform() < 0.6 { s.variant.containerMemoryLimit = P.uniform(1.5, 4, &rng) * 1_073_741_824 }
            s.timing = "events"
            s.faults.append(FaultSpec(fault: .oomKills(member: m, at: at, downSeconds: P.uniform(20, 60, &rng)), start: at[0] - 600))
            s.expect("memory", [m])
            s.description = "Member \(m + 1)'s etcd is OOM-killed \(count) times (\(s.variant.containerMemoryLimit == nil ? "host memory" : "container limit")) and restarts."
        },
        Kind(name: "db-quota") { s, rng in
            s.timing = "whole"
            let share = P.uniform(0.86, 0.97, &rng)
            s.add(.dbNearQuota(share: share))
            s.expect("database", [0, 1, 2])
            s.description = "The DB is at \(Int(share * 100)) % of its quota and growing."
        },
        Kind(name: "db-fragmentation") { s, rng in
            s.timing = "whole"
            let total = P.uniform(1, 3, &rng) * 1_073_741_824, inUse = P.uniform(200, 600, &rng) * 1_048_576
            s.variant.quotaBytes = 8 * 1_073_741_824
            s.add(.fragmentation(totalBytes: total, inUseBytes: inUse))
            s.expect("database", [0, 1, 2])
            s.description = "After a mass delete the DB files are \(String(format: "%.1f", total / 1_073_741_824)) GiB with \(Int(inUse / 1_048_576)) MiB in use."
        },
        Kind(name: "db-defrag") { s, rng in
            let w = P.window(s)
            let seconds = P.uniform(40, 180, &rng)
            let order = [(s.leader + 1) % 3, (s.leader + 2) % 3, s.leader]
            var t = w * P.uniform(0.15, 0.4, &rng)
            var at: [Double] = []
            for _ in order { at.append(t); t += seconds + P.uniform(120, 360, &rng) }
            let total = P.uniform(1, 3, &rng) * 1_073_741_824
            s.variant.quotaBytes = 8 * 1_073_741_824
            s.timing = "events"
            s.faults.append(FaultSpec(fault: .defrag(order: order, at: at, seconds: seconds, totalBytes: total, inUseBytes: P.uniform(0.3, 0.6, &rng) * 1_073_741_824), start: at[0]))
            s.expect("database", [0, 1, 2])
            s.description = "Defragmentation of each member in turn (\(Int(seconds)) s each, from minute \(Int(at[0] / 60))): commits and applies stall on the member being defragmented."
        },
        Kind(name: "load-writes") { s, rng in
            // Cloud volumes: the rate the clients reach is what the disk can just about sustain.
            s.variant.disk = .cloud
            let span = P.timing(&s, &rng, allowed: [.whole, .middle])
            let to = s.variant.disk.capacity * P.uniform(0.6, 1.0, &rng)
            s.writes = min(s.writes, to / 6)
            s.faults.append(FaultSpec(fault: .loadRamp(toWrites: to), start: span.start, end: span.end))
            s.expect("load", [0, 1, 2])
            s.description = "Clients ramp writes to \(Int(to))/s \(P.when(span, window: P.window(s))); every member's latency climbs with the rate."
        },
        Kind(name: "load-reads") { s, rng in
            let span = P.timing(&s, &rng, allowed: [.whole, .middle, .burst])
            if rng.uniform() < 0.8 { s.variant.extensive = true }
            let reads = P.uniform(300, 1500, &rng)
            let share = P.uniform(0.7, 1.3, &rng) // of the host's CPUs eaten by etcd's reads
            let cost = share * Double(s.variant.cpus) / (reads / 3)
            s.faults.append(FaultSpec(fault: .readLoad(toReads: reads, cpuSeconds: cost), start: span.start, end: span.end))
            s.expect("load", [0, 1, 2])
            s.description = "Expensive range reads (\(Int(reads))/s, \(Int(cost * 1000)) ms of CPU each) \(P.when(span, window: P.window(s))): etcd's own CPU, range latency and pending proposals rise on every member."
        },
        Kind(name: "load-large-values") { s, rng in
            // Values large enough, often enough, to take a third to two thirds of the volume's bandwidth.
            s.variant.disk = .cloud
            let span = P.timing(&s, &rng, allowed: [.whole, .middle])
            let bytes = P.uniform(200_000, 800_000, &rng)
            s.writes = (s.variant.disk.bandwidth * P.uniform(0.35, 0.7, &rng) / bytes / 2).rounded()
            s.faults.append(FaultSpec(fault: .largeValues(bytes: bytes), start: span.start, end: span.end))
            s.expect("load", [0, 1, 2])
            s.description = "Clients write \(Int(bytes / 1000)) KB values \(P.when(span, window: P.window(s))): WAL and replication bytes per proposal soar."
        },
        Kind(name: "consensus-timeouts") { s, rng in
            s.timing = "whole"
            s.variant.baseRTT = P.uniform(0.003, 0.006, &rng)
            let w = P.window(s)
            let count = Int(P.uniform(4, 9.99, &rng))
            var at: [Double] = [], to: [Int] = [], current = s.leader
            for k in 0..<count {
                at.append(w * (Double(k) + P.uniform(0.2, 0.8, &rng)) / Double(count))
                current = (current + 1 + Int(rng.next() % 2)) % 3
                to.append(current)
            }
            s.add(.tightTimeouts(heartbeatMs: P.uniform(5, 15, &rng)))
            s.add(.elections(at: at, to: to, electionSeconds: 2))
            s.expect("consensus", [0, 1, 2])
            s.description = "Heartbeat and election timeouts too tight for \(Int(s.variant.baseRTT * 1000)) ms round-trips: \(count) elections, disks, CPUs and network healthy."
        },
        Kind(name: "two-faults") { s, rng in
            let a = P.pick(memberFaults, &rng)
            var b = P.pick(memberFaults, &rng)
            let category = { (n: String) in String(n.prefix { $0 != "-" }) }
            while category(b) == category(a) { b = P.pick(memberFaults, &rng) }
            let m1 = P.member(&rng), m2 = (m1 + 1 + Int(rng.next() % 2)) % 3
            let (f1, c1, t1) = memberFault(a, &s, m1, &rng)
            let (f2, c2, t2) = memberFault(b, &s, m2, &rng)
            let s1 = P.timing(&s, &rng, allowed: [.whole, .middle, .burst]), s2 = P.timing(&s, &rng, allowed: [.whole, .middle, .burst])
            s.timing = "two"
            s.faults.append(FaultSpec(fault: f1, start: s1.start, end: s1.end))
            s.faults.append(FaultSpec(fault: f2, start: s2.start, end: s2.end))
            s.expect(c1, [m1])
            s.expect(c2, [m2])
            s.description = "Two independent faults: \(t1) (\(P.when(s1, window: P.window(s)))); \(t2) (\(P.when(s2, window: P.window(s))))."
        },
        Kind(name: "healthy-idle") { s, rng in
            s.timing = "none"; s.writes = P.uniform(2, 20, &rng).rounded(); s.reads = P.uniform(5, 50, &rng).rounded()
            s.description = "A quiet cluster; nothing is wrong."
        },
        Kind(name: "healthy-busy") { s, rng in
            s.timing = "none"; s.variant.disk = .nvme; s.variant.cpus = 8
            s.writes = P.uniform(800, 2000, &rng).rounded(); s.reads = P.uniform(1500, 4000, &rng).rounded()
            s.description = "A busy cluster on NVMe with 8 CPUs: every latency within target."
        },
        Kind(name: "healthy-near-target") { s, rng in
            s.timing = "none"; s.variant.disk = .cloud
            s.writes = P.uniform(150, 280, &rng).rounded()
            s.description = "Cloud volumes under \(Int(s.writes)) writes/s: fsync and commit close to, but within, etcd's targets."
        },
        Kind(name: "healthy-busy-cpu") { s, rng in
            s.timing = "none"
            let m = P.member(&rng)
            s.add(.cpuSaturation(member: m, demand: P.uniform(0.55, 0.7, &rng)))
            s.description = "Another process keeps member \(m + 1)'s host CPUs 70–85 % busy; etcd is not short of CPU."
        },
        Kind(name: "healthy-swap-idle") { s, rng in
            s.timing = "none"; s.variant.swapGiB = 4
            let m = P.member(&rng)
            s.add(.swapResident(member: m))
            s.description = "Member \(m + 1)'s host has half its swap in use from long ago; nothing pages now."
        },
        Kind(name: "healthy-busy-disk") { s, rng in
            s.timing = "none"; s.variant.disk = P.pick([.nvme, .ssd], &rng)
            let m = P.member(&rng)
            s.add(.noisyNeighbour(member: m, iops: s.variant.disk.capacity * P.uniform(0.3, 0.45, &rng), bytesPerSecond: 30e6))
            s.description = "A backup job keeps member \(m + 1)'s disk busy; etcd's fsync stays within target."
        },
        Kind(name: "healthy-read-heavy") { s, rng in
            s.timing = "none"; s.variant.cpus = 8
            s.add(.readLoad(toReads: P.uniform(2000, 5000, &rng), cpuSeconds: 0.0002))
            s.description = "Many cheap reads; latency within target."
        },
        Kind(name: "healthy-colocated") { s, rng in
            s.timing = "none"; s.variant.colocated = true; s.variant.disk = P.pick([.nvme, .ssd], &rng)
            s.writes = P.uniform(10, 60, &rng).rounded()
            s.description = "A dev cluster: all three members on one host, light load."
        },
    ] }
}
