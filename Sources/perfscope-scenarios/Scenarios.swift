import Foundation

/// The scenario catalog. Each picks a deployment variant (label convention, colocation, etcd
/// version, bucket set, disk, scrape interval) and a fault with its expected root cause.
/// The physics lives in ClusterModel; nothing here is shaped to what the analyzer reads.
enum Scenarios {
    static var named: [Scenario] {
        var list: [Scenario] = []
        func add(_ name: String, _ description: String, category: String = "healthy", culprits: [Int] = [],
                 _ configure: (inout Scenario) -> Void) {
            var s = Scenario(name: name, description: description)
            if category != "healthy" { s.expect(category, culprits.isEmpty ? [0, 1, 2] : culprits) }
            s.seed = UInt64(list.count + 1) * 7919
            configure(&s)
            list.append(s)
        }

        add("healthy-idle", "Three members on their own hosts, a few writes per second; nothing is wrong.") { s in
            s.writes = 5; s.reads = 20
        }
        add("healthy-busy", "1500 writes/s and 3000 reads/s on NVMe with 8 CPUs: busy, every latency within target.") { s in
            s.variant.style = .hostnames; s.variant.etcdVersion = "3.5.9"; s.variant.extensive = true
            s.variant.disk = .nvme; s.variant.cpus = 8; s.variant.scrapeSeconds = 10
            s.writes = 1500; s.reads = 3000; s.keys = 400_000; s.dbBytes = 600 * 1_048_576
        }
        add("healthy-colocated", "A dev cluster: all three members on one host (ports 2379/22379/32379), light load.") { s in
            s.variant.colocated = true; s.writes = 40; s.reads = 100
        }
        add("slow-disk", "Member 2's cloud volume ran out of burst credits: 400 IOPS at 12 ms. Its WAL fsync and backend commits slow down, its host shows a busy disk and iowait.",
            category: "disk", culprits: [1]) { s in
            s.variant.disk = .cloud; s.writes = 60; s.reads = 150
            s.add(.slowDisk(member: 1, capacity: 400, latency: 0.012))
        }
        add("noisy-neighbour-disk", "OpenShift: a backup job on master 3 writes 150 MB/s to etcd's SSD from 8 minutes into the window; etcd's fsync there waits in the device queue.",
            category: "disk", culprits: [2]) { s in
            s.variant.style = .openshift; s.variant.etcdVersion = "3.5.9"; s.variant.cpus = 8
            s.writes = 120; s.reads = 600
            s.add(.noisyNeighbour(member: 2, iops: 7000, bytesPerSecond: 150e6), start: 480)
        }
        add("net-latency", "Member 3 sits behind a congested link: 35 ms extra each way on its peer traffic. Peer round-trips to and from it rise; the other pair stays fast.",
            category: "network", culprits: [2]) { s in
            s.writes = 80; s.reads = 200
            s.add(.netDelay(member: 2, seconds: 0.035))
        }
        add("packet-loss", "kube-prometheus: member 2's host NIC loses 3 % of packets. TCP retransmits, NIC drops, peer send failures and slow round-trips around it.",
            category: "network", culprits: [1]) { s in
            s.variant.style = .kubePrometheus; s.variant.etcdVersion = "3.5.9"; s.variant.disk = .nvme; s.variant.scrapeSeconds = 30
            s.writes = 100; s.reads = 400
            s.add(.packetLoss(member: 1, rate: 0.03))
        }
        add("cpu-saturation", "Batch jobs on member 2's 4-CPU host want 5 CPUs: CPU busy, run queue and CPU pressure high; etcd's fsync and commit stretch, its disk is idle.",
            category: "cpu", culprits: [1]) { s in
            s.variant.style = .hostnames; s.writes = 80; s.reads = 300
            s.add(.cpuSaturation(member: 1, demand: 1.25))
        }
        add("cpu-quota-starvation", "Confounder: a CFS quota of 0.03 CPU on member 3's etcd. Its fsync histogram looks like a slow disk (p99 in the hundreds of ms) while the device is idle and the host CPU is mostly free; GC pauses stretch.",
            category: "cpu", culprits: [2]) { s in
            s.writes = 60; s.reads = 150
            s.add(.cpuQuota(member: 2, cores: 0.03))
        }
        add("memory-pressure", "Member 1's 8 GiB host runs out of memory: MemAvailable ~3 %, swapping, major faults, memory pressure; its commits slow, its disk reads rise from swap-ins.",
            category: "memory", culprits: [0]) { s in
            s.variant.etcdVersion = "3.5.9"; s.variant.memoryGiB = 8; s.variant.swapGiB = 2
            s.writes = 80; s.reads = 300; s.dbBytes = 900 * 1_048_576
            s.add(.memoryPressure(member: 0, swap: true, severity: 1))
        }
        add("db-near-quota", "All members on one host; the DB is at 93 % of the 2 GiB quota and still growing.",
            category: "database", culprits: [0, 1, 2]) { s in
            s.variant.colocated = true; s.writes = 30; s.reads = 100; s.dbBytes = 1900 * 1_048_576
            s.add(.dbNearQuota(share: 0.93))
        }
        add("db-fragmentation", "After a mass delete and compaction the 1.4 GiB DB files hold 420 MiB in use (quota 8 GiB): mostly free pages until defragmented.",
            category: "database", culprits: [0, 1, 2]) { s in
            s.variant.style = .hostnames; s.variant.etcdVersion = "3.5.9"; s.variant.quotaBytes = 8 * 1_073_741_824
            s.writes = 40; s.reads = 150; s.dbBytes = 420 * 1_048_576
            s.add(.fragmentation(totalBytes: 1.4 * 1_073_741_824, inUseBytes: 420 * 1_048_576))
        }
        add("leader-flapping", "Heartbeat 10 ms / election 50 ms across zones with 4 ms round-trips and spikes: a leader election every 4–5 minutes, leadership moving around; disk, CPU and network are healthy.",
            category: "consensus") { s in
            s.variant.etcdVersion = "3.5.9"; s.variant.baseRTT = 0.004; s.writes = 50; s.reads = 200
            s.add(.tightTimeouts(heartbeatMs: 10)); s.add(.elections(at: [150, 420, 700, 980, 1270, 1530, 1800, 2090, 2330], to: [1, 2, 0, 2, 1, 0, 1, 2, 0], electionSeconds: 2))
        }
        add("heavy-load", "Clients ramp writes from 300/s to 2400/s on cloud volumes: every member's fsync and commit latency climbs with the write rate; nothing is broken.",
            category: "load", culprits: [0, 1, 2]) { s in
            s.variant.disk = .cloud; s.variant.cpus = 8; s.variant.extensive = true
            s.writes = 300; s.reads = 1500
            s.add(.loadRamp(toWrites: 2400))
        }
        add("slow-disk-leader-elections", "Confounder: the leader's disk degrades (fsync p99 ~0.5 s); heartbeats stall and leadership moves three times. Elections are the symptom, the disk the cause.",
            category: "disk", culprits: [0]) { s in
            s.writes = 60; s.reads = 200
            s.add(.slowDisk(member: 0, capacity: 250, latency: 0.05)); s.add(.elections(at: [420, 1260, 1980], to: [1, 0, 2], electionSeconds: 3))
        }
        add("shared-disk-colocated", "All members on one host whose cloud volume is saturated by another workload: every member is slow alike, the shared device busy.",
            category: "disk", culprits: [0, 1, 2]) { s in
            s.variant.colocated = true; s.variant.disk = .cloud; s.writes = 50; s.reads = 150
            s.add(.noisyNeighbour(member: 0, iops: 2600, bytesPerSecond: 60e6))
        }
        add("healthy-cloud-near-target", "Cloud volumes under 250 writes/s: WAL fsync p99 and commit p99 close to, but within, etcd's targets. Busy and slow-ish, not broken.") { s in
            s.variant.style = .kubePrometheus; s.variant.disk = .cloud; s.variant.scrapeSeconds = 30
            s.writes = 250; s.reads = 800; s.dbBytes = 300 * 1_048_576
        }
        add("cpu-steal", "Member 1 runs on an oversubscribed hypervisor: 30 % CPU steal. Its host's own CPU use looks moderate, but its vCPUs stall and etcd's latencies stretch.",
            category: "cpu", culprits: [0]) { s in
            s.variant.etcdVersion = "3.5.9"; s.variant.cpus = 2; s.variant.disk = .nvme
            s.writes = 100; s.reads = 300
            s.add(.cpuSteal(member: 0, share: 0.3))
        }
        add("wide-area-network", "Members in three regions: 70–90 ms round-trips between every pair with default timeouts; proposals wait on the WAN, disks and CPUs are healthy.",
            category: "network", culprits: [0, 1, 2]) { s in
            s.variant.style = .hostnames; s.variant.baseRTT = 0.08; s.writes = 40; s.reads = 200
        }
        add("fleet-healthy-33", "Eleven healthy 3-member clusters (33 members) on 11 hosts, one Prometheus: no cause expected, and query count must not grow.") { s in
            s.variant.clusters = 11; s.writes = 40; s.reads = 120
        }
        return list
    }
}
