/// Slow WAL fsync / backend commit: which resource makes a member (or all) slow.
extension RootCauseEngine {
    /// How far above the healthy fsync/commit targets a member must be to count as slow.
    static let symptomMargin = 1.5
    static let hostCPU = ["cpu_utilisation", "load_per_cpu", "psi_cpu", "cpu_steal"]
    static let hostDisk = ["disk_utilisation", "disk_queue", "disk_write_latency", "psi_io"]
    static let hostMemory = ["swap_io_rate", "major_faults_rate", "psi_memory", "memory_utilisation"]

    static func latencyCauses(_ c: Context) -> [Candidate] {
        let excess = c.signals.map(\.latencyExcess)
        // A symptom is a clear miss of the healthy targets (1.5×), not a brush with them, so a busy
        // but healthy cluster does not get a cause.
        let slow = c.views.indices.filter { (excess[$0] ?? 0) >= symptomMargin }
        guard !slow.isEmpty else { return [] }
        let healthy = c.views.indices.filter { !slow.contains($0) }.compactMap { excess[$0] }
        guard let reference = median(healthy) else { return clusterLatency(c, slow) }
        // Slow members at least twice as far above target as the healthy ones: each on its own.
        let outliers = slow.filter { (excess[$0] ?? 0) >= 2 * max(reference, 0.1) }
        return outliers.isEmpty ? clusterLatency(c, slow) : outliers.flatMap { memberLatency(c, $0) }
    }

    /// One member slower than its peers: its own host and process decide between cpu, memory and disk.
    static func memberLatency(_ c: Context, _ i: Int) -> [Candidate] {
        let view = c.views[i], sig = c.signals[i]
        // Peers on the same host that are not slow see the same host CPU and memory: host-wide
        // saturation cannot be why only this member is slow. Only the process's own starvation counts.
        let healthyNeighbours = c.views.indices.filter { j in
            j != i && view.host != nil && c.views[j].host == view.host && c.signals[j].latencyExcess.map { $0 < symptomMargin } == true
        }.map { c.views[$0].instance }
        let shared = !healthyNeighbours.isEmpty
        let stall = c.stalls[i]
        let cpu = max(shared ? 0 : sig.cpu ?? 0, stall.strength)
        let disk = sig.disk ?? 0
        let mem = shared ? 0 : sig.memory ?? 0
        let sharedText = shared
            ? " Host-wide CPU and memory signals are discounted: \(healthyNeighbours.joined(separator: ", ")) on the same host (\(view.host ?? "")) share them and are not slow."
            : ""
        let latency = "WAL fsync p99 \(c.format("wal_fsync_p99", view["wal_fsync_p99"])) and backend commit p99 \(c.format("backend_commit_p99", view["backend_commit_p99"])) on \(view.instance) (targets \(c.format("wal_fsync_p99", c.levels.walTarget)) / \(c.format("backend_commit_p99", c.levels.commitTarget)))"
        let peers = c.views.indices.filter { $0 != i }.compactMap { c.views[$0]["wal_fsync_p99"] }
        let peerText = peers.isEmpty ? "" : "; other members \(c.format("wal_fsync_p99", peers.min()))–\(c.format("wal_fsync_p99", peers.max()))"
        let base = c.evidence(member: view, etcd: ["wal_fsync_p99", "backend_commit_p99"], host: [])
        var out: [Candidate] = []

        if cpu >= 0.3 {
            let starved = (shared || stall.strength >= (sig.cpu ?? 0)) && !stall.clues.isEmpty
            let stalledText = stall.clues.joined(separator: "; ")
            var reasons = ["CPU evidence \(pct(cpu)) outweighs disk evidence \(pct(disk)): etcd's fsync histograms include time the process waits for CPU, so CPU starvation reads as a slow disk in etcd's own metrics."]
            if stall.metrics.contains(where: { $0 == "member_up" || $0 == "peer_rtt_p99" }) {
                reasons.append("A slow disk delays only fsync and a slow network only what crosses it; this process is late with its own fsync and with answering its peers or Prometheus, while the host's disk and network look normal.")
            }
            out.append(Candidate(
                category: .cpu, instances: [view.instance], score: 0.45 + 0.5 * cpu,
                summary: starved
                    ? "\(view.instance) is starved of CPU: \(stalledText); \(latency)\(peerText). A throttled or descheduled process returns late from fdatasync, so its disk histograms look slow although the disk is not."
                    : "\(view.instance)'s host is CPU-saturated (utilisation \(c.format("cpu_utilisation", view["cpu_utilisation"])), load per CPU \(c.format("load_per_cpu", view["load_per_cpu"])), CPU pressure \(c.format("psi_cpu", view["psi_cpu"]))) and \(latency)\(peerText).",
                evidence: base + c.evidence(member: view, etcd: ["gc_pause_avg"] + (sig.longestCounts ? ["gc_pause_max"] : []) + ["process_cpu"] + stall.metrics.filter { $0 == "member_up" }, host: hostCPU)
                    + (stall.metrics.contains("peer_rtt_p99") ? c.peerEvidence { $0 == view.instance || $1 == view.instance } : []),
                reasons: reasons,
                completeness: c.completeness(view, host: hostCPU),
                action: "Check CPU throttling and run-queue on \(view.host ?? view.instance): the etcd process's cgroup cpu.stat (nr_throttled), mpstat, and what else runs there.",
                fix: "Give etcd guaranteed CPU: no tight CFS quota, dedicated or reserved cores, CPU governor 'performance'.",
                steps: ["cat /sys/fs/cgroup/cpu/cpu.stat  # nr_throttled, throttled_time", "mpstat -P ALL 1 10", "pidstat -u -p $(pgrep -d, etcd) 1 10", "perf sched latency"],
                related: ["wal_fsync_p99", "backend_commit_p99", "gc_pause_avg", "gc_pause_max", "member_up", "cpu_utilisation", "load_per_cpu", "psi_cpu"]))
        }
        if mem >= 0.3 {
            out.append(Candidate(
                category: .memory, instances: [view.instance], score: 0.4 + 0.5 * mem,
                summary: "\(view.instance)'s host is under memory pressure (swap I/O \(c.format("swap_io_rate", view["swap_io_rate"])), major faults \(c.format("major_faults_rate", view["major_faults_rate"])), memory pressure \(c.format("psi_memory", view["psi_memory"]))) and \(latency)\(peerText).",
                evidence: base + c.evidence(member: view, etcd: [], host: hostMemory + ["oom_kills"]),
                reasons: ["Memory pressure turns memory accesses of etcd's mmapped database into disk reads and stalls the process."],
                completeness: c.completeness(view, host: hostMemory),
                action: "Free memory on \(view.host ?? view.instance) or move workloads; make sure etcd's pages are not swapped (grep VmSwap /proc/$(pgrep etcd)/status).",
                fix: "Size the host for etcd's DB plus page cache; disable swap on etcd hosts.",
                steps: ["free -m", "vmstat 1 10", "sar -B 1 10"],
                related: ["wal_fsync_p99", "backend_commit_p99", "swap_io_rate", "major_faults_rate", "psi_memory", "memory_utilisation"]))
        }
        // Disk: the default explanation of a slow fsync (most common cause, per etcd's FAQ), weakened
        // when CPU or memory explain it better and strengthened by host disk evidence.
        var diskScore = 0.5 + 0.45 * disk
        if cpu >= 0.5, disk < 0.3 { diskScore = 0.25 }
        if mem >= 0.5, disk < 0.3 { diskScore = min(diskScore, 0.35) }
        let hostText = disk >= 0.3
            ? "Its host's disk is busy too (utilisation \(c.format("disk_utilisation", view["disk_utilisation"])), queue \(c.format("disk_queue", view["disk_queue"])), write latency \(c.format("disk_write_latency", view["disk_write_latency"])))."
            : (view.host == nil ? "No host (node-exporter) data is tied to this member, so the disk could not be confirmed." : "The host's block-device metrics look normal, so the delay sits in the storage path above or below them (a throttled volume, network storage, a slow fdatasync) rather than in device saturation; CPU and memory show no starvation.")
        out.append(Candidate(
            category: .disk, instances: [view.instance], score: diskScore,
            summary: "Slow disk on \(view.instance): \(latency)\(peerText). \(hostText)",
            evidence: base + c.evidence(member: view, etcd: ["wal_fsync_rate", "slow_applies_rate"], host: hostDisk),
            reasons: ["Only this member's fsync/commit latency is high, and CPU (\(pct(cpu))) and memory (\(pct(mem))) evidence do not explain it; disk evidence on the host \(pct(disk)).\(sharedText)"],
            completeness: view.host == nil ? 0.3 : c.completeness(view, host: hostDisk),
            action: "Measure the etcd data device on \(view.host ?? view.instance): iostat -x for await and utilisation, and fio with fdatasync for the WAL pattern.",
            fix: "Put etcd's data dir on a dedicated low-latency SSD/NVMe; keep other I/O off it; ionice -c2 -n0 for etcd.",
            steps: ["iostat -x 1 10", "biolatency-bpfcc -D 10 1", "fio --rw=write --ioengine=sync --fdatasync=1 --bs=2300 --size=22m --name=walcheck --directory=<etcd data dir>"],
            related: ["wal_fsync_p99", "backend_commit_p99", "slow_applies_rate", "disk_utilisation", "disk_queue", "disk_write_latency", "psi_io"]))
        return out
    }

    /// Every slow member about equally slow: shared resource or the workload itself.
    static func clusterLatency(_ c: Context, _ slow: [Int]) -> [Candidate] {
        let members = slow.map { c.views[$0].instance }
        let base = slow.flatMap { c.evidence(member: c.views[$0], etcd: ["wal_fsync_p99"], host: []) }
        let cpu = slow.map { max(c.signals[$0].cpu ?? 0, c.stalls[$0].strength) }.max() ?? 0
        let disk = slow.map { c.signals[$0].disk ?? 0 }.max() ?? 0
        let mem = slow.map { c.signals[$0].memory ?? 0 }.max() ?? 0
        // Workload: latency rising and falling with the write rate, or the rate itself climbing.
        var correlations: [Double] = []
        var trends: [Double] = []
        for i in slow {
            let instance = c.views[i].instance
            if let rate = c.series("wal_fsync_rate", instance), let p99 = c.series("wal_fsync_p99", instance) {
                if let r = TimeSeries.correlation(rate, p99) { correlations.append(r) }
                if let t = rate.trendRatio { trends.append(t) }
            }
        }
        let corr = correlations.isEmpty ? nil : correlations.reduce(0, +) / Double(correlations.count)
        let trend = trends.max()
        let load = max(Signals.norm(corr, 0.3, 0.8) ?? 0, Signals.norm(trend, 1.3, 2.5) ?? 0)
        let rateText = slow.compactMap { c.views[$0]["wal_fsync_rate"] }.max().map { "up to \(c.format("wal_fsync_rate", $0)) WAL fsyncs" } ?? "write rate unknown"
        var out: [Candidate] = []
        let lat = slow.compactMap { c.views[$0]["wal_fsync_p99"] }
        let which = slow.count == c.views.count ? "all \(slow.count) members" : "\(slow.count) of \(c.views.count) members"
        let latencyText = "WAL fsync p99 \(c.format("wal_fsync_p99", lat.min()))–\(c.format("wal_fsync_p99", lat.max())) on \(which) (target \(c.format("wal_fsync_p99", c.levels.walTarget)))"
        let hosts = Array(Set(slow.compactMap { c.views[$0].host })).sorted()
        let hostEvidence = hosts.flatMap { h in (hostCPU + hostDisk + hostMemory).compactMap { c.evidence($0, h) } }

        if load >= 0.3 {
            out.append(Candidate(
                category: .load, instances: members, score: 0.4 + 0.5 * load,
                summary: "Client load drives the latency: \(latencyText) while \(rateText) per second; latency follows the write rate (correlation \(corr.map { String(format: "%.2f", $0) } ?? "n/a"), rate trend ×\(trend.map { String(format: "%.1f", $0) } ?? "n/a")).",
                evidence: base + slow.compactMap { c.evidence("wal_fsync_rate", c.views[$0].instance) } + slow.compactMap { c.evidence("proposals_committed_rate", c.views[$0].instance) },
                reasons: ["All members slow down together and in step with the request rate: the cluster is asked for more than its disks sustain, not one member failing."],
                completeness: correlations.isEmpty ? 0.5 : 1,
                action: "Find the clients behind the write rate (request rate by method, top keys) and spread or batch their writes.",
                fix: "Reduce write amplification (fewer, larger txns; lease reuse), shard event-heavy data to a separate etcd (e.g. Kubernetes events), or move to faster disks.",
                steps: ["perfscope query 'sum by (grpc_method) (rate(grpc_server_started_total[5m]))'", "etcdctl check perf --load=s"],
                related: ["wal_fsync_p99", "wal_fsync_rate", "proposals_committed_rate", "grpc_request_rate"]))
        }
        if cpu >= 0.3 {
            // When the write rate explains the latency, busy CPUs are part of that load, not a separate cause.
            let cpuScore = load >= 0.5 ? min(0.45 + 0.5 * cpu, 0.4 + 0.5 * load - 0.05) : 0.45 + 0.5 * cpu
            out.append(Candidate(category: .cpu, instances: members, score: cpuScore,
                                 summary: "Shared CPU starvation: \(latencyText) and the host CPU is saturated" + (load >= 0.5 ? ", while the write rate climbs (the load drives the CPU)." : "."),
                                 evidence: base + hostEvidence, reasons: ["CPU evidence \(pct(cpu)) on the members' hosts."],
                                 completeness: 1, action: "Find what consumes CPU on the etcd hosts (mpstat, pidstat).",
                                 fix: "Reserve CPU for etcd.", steps: ["mpstat -P ALL 1 10", "pidstat -u 1 10"],
                                 related: ["cpu_utilisation", "load_per_cpu", "psi_cpu", "gc_pause_avg", "gc_pause_max"]))
        }
        if mem >= 0.3 {
            out.append(Candidate(category: .memory, instances: members, score: 0.4 + 0.5 * mem,
                                 summary: "Memory pressure on the etcd hosts: \(latencyText).", evidence: base + hostEvidence,
                                 reasons: ["Memory evidence \(pct(mem))."], completeness: 1, action: "Free memory; check swap.",
                                 fix: "Size hosts for etcd plus page cache; no swap.", steps: ["free -m", "vmstat 1 10"],
                                 related: ["swap_io_rate", "major_faults_rate", "psi_memory"]))
        }
        var diskScore = 0.45 + 0.45 * disk
        if load >= 0.5, disk < 0.5 { diskScore = 0.35 }
        if cpu >= 0.5, disk < 0.3 { diskScore = 0.25 }
        // Latency that follows the write rate closely on every member: busy disks are the load's
        // effect (etcd's own WAL writes), so the load ranks first; the disk stays as the runner-up.
        if load >= 0.7 { diskScore = min(diskScore, 0.4 + 0.5 * load - 0.05) }
        out.append(Candidate(
            category: .disk, instances: members, score: diskScore,
            summary: "Slow storage under every member: \(latencyText)" + (disk >= 0.3 ? "; the hosts' disks are busy." : "; host disk metrics do not show saturation, so suspect the shared storage path (throttled or network volumes)."),
            evidence: base + hosts.flatMap { h in hostDisk.compactMap { c.evidence($0, h) } },
            reasons: ["All members are slow about equally, disk evidence \(pct(disk)), load evidence \(pct(load))."],
            completeness: hosts.isEmpty ? 0.3 : 1,
            action: "Check whether the members share a device or a storage backend, and measure it with fio (fdatasync).",
            fix: "One dedicated low-latency disk per member, not shared with other workloads.",
            steps: ["iostat -x 1 10", "fio --rw=write --ioengine=sync --fdatasync=1 --bs=2300 --size=22m --name=walcheck"],
            related: ["wal_fsync_p99", "backend_commit_p99", "disk_utilisation", "disk_queue", "disk_write_latency", "psi_io"]))
        return out
    }

    static func pct(_ v: Double) -> String { "\(Int((v * 100).rounded())) %" }
}
