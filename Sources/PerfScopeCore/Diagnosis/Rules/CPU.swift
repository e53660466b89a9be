/// CPU starvation of a member: its host saturated by something other than etcd, or its own
/// process starved (a CFS quota, a throttled container, a descheduled vCPU). etcd's fsync
/// histograms include the time the process waits for CPU, so starvation reads as a slow disk
/// in etcd's own metrics; the host's disk then looks normal.
struct CPURule: CauseRule {
    let category = Category.cpu
    static let hostSignals: [DiagnosisMetric] = [.cpuUtilisation, .psiCPU, .cpuSteal, .loadPerCPU]
    static let names: [DiagnosisMetric: String] = [.cpuUtilisation: "utilisation", .psiCPU: "CPU pressure", .cpuSteal: "steal", .loadPerCPU: "load per CPU"]

    func explain(_ s: Symptom, _ c: DiagnosisContext, _ facts: Facts) -> [Explanation] {
        guard let m = s.member else { return [] }
        switch s.kind {
        case _ where s.kind.latency:
            return [starvation(of: m, s, c, facts)].compactMap { $0 }
        case .peerLatency, .memberDown:
            // Late answers to peers or to Prometheus: a stalled end explains them, and so does an
            // end whose host CPU is clearly saturated (the probe waits for the CPU there too).
            return ([m] + (s.peer.map { [$0] } ?? [])).compactMap { x in
                guard let e = starvation(of: x, s, c, facts), e.marks.contains(.stall) || (s.kind == .peerLatency && e.strength >= 0.7) else { return nil }
                return e
            }
        default:
            return []
        }
    }

    /// How starved `m` was during `s`: host CPU (discounted for etcd's own use and for healthy
    /// neighbours on the same host) or its process (stall).
    func starvation(of m: Int, _ s: Symptom, _ c: DiagnosisContext, _ facts: Facts) -> Explanation? {
        let episode = s.episode
        // The load average counts tasks blocked on I/O too: it speaks for the CPU only where CPU
        // pressure is not measured and the CPUs are busy (load with idle CPUs is I/O wait).
        let busy = c.read(.cpuUtilisation, m, over: episode).map { $0.inside >= 0.35 } ?? false
        var host = SignalSet([.cpuUtilisation, .psiCPU, .cpuSteal] + (c.trace(.psiCPU, m) == nil && busy ? [.loadPerCPU] : []), m, over: episode, c)
        var hostStrength = host.best
        var clues: [String] = []
        // Busy with etcd's own work is the workload, not a starved member.
        if let own = ownShare(m, episode, c), own >= 0.3 {
            hostStrength *= 1 - min(1, own)
            clues.append("etcd itself uses \(CheckedNumber.percent(own)) % of the busy CPU")
        }
        // Neighbours on the same host see the same host CPU: if they are not as slow, it is not the host.
        let lessSlow = facts.lessSlowNeighbours(of: m, s, c)
        if !lessSlow.isEmpty {
            hostStrength = 0
            host = SignalSet()
        }
        let stall = Stall.of(m, over: episode, c, facts)
        let cpu = max(hostStrength, stall.strength)
        guard cpu >= 0.25 else { return nil }
        var marks: Set<Explanation.Mark> = []
        if stall.strength >= hostStrength, !stall.clues.isEmpty {
            marks.insert(.stall)
            clues.insert(contentsOf: stall.clues, at: 0)
        } else {
            let busy = host.describe(c, names: Self.names)
            if !busy.isEmpty { clues.insert("its host's CPU: \(busy)", at: 0) }
        }
        if !lessSlow.isEmpty {
            clues.append("host-wide CPU is discounted: \(lessSlow.map { c.members[$0].instance }.joined(separator: ", ")) on the same host \(lessSlow.count == 1 ? "is" : "are") not as slow")
        }
        let measured = host.measured + stall.measured
        return Explanation(category: .cpu, culprits: [m], scope: .member, strength: 0.45 + 0.5 * cpu, prior: false,
                           clues: clues, evidence: host.evidence(m, c) + stall.evidence, completeness: min(1, Double(measured) / 3), marks: marks)
    }

    /// etcd's share of the host's busy CPU during the episode (all members on that host).
    func ownShare(_ m: Int, _ episode: Episode, _ c: DiagnosisContext) -> Double? {
        guard let util = c.read(.cpuUtilisation, m, over: episode)?.value, util > 0,
              let cpus = c.summaries[DiagnosisMetric.cpuCount.rawValue]?.first(where: { $0.instance == c.members[m].host })?.stats.last, cpus > 0 else { return nil }
        let etcd = ([m] + c.neighbours(of: m)).compactMap { c.read(.processCPU, $0, over: episode)?.value }.reduce(0, +)
        return etcd / (util * cpus)
    }

    func advice(_ cause: Cause, _ c: DiagnosisContext) -> Advice {
        Advice(
            action: "Check CPU throttling and run-queue on \(cause.hosts(c).joined(separator: ", ")): the etcd process's cgroup cpu.stat (nr_throttled), mpstat, and what else runs there.",
            fix: "Give etcd guaranteed CPU: no tight CFS quota or container CPU limit, dedicated or reserved cores, CPU governor 'performance'.",
            steps: ["cat /sys/fs/cgroup/cpu.stat  # nr_throttled, throttled_usec", "mpstat -P ALL 1 10", "pidstat -u -p $(pgrep -d, etcd) 1 10", "perf sched latency"],
            related: [.walFsync, .backendCommit, .gcPauseAvg, .containerThrottled, .memberUp, .cpuUtilisation, .loadPerCPU, .psiCPU, .cpuSteal],
            reference: "etcd FAQ (CPU starvation); Systems Performance 2nd ed., ch. 6")
    }
}
