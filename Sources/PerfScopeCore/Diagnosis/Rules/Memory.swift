/// Memory pressure on a member's host or in its container: swapping, page cache thrashing
/// (major faults that read the mmapped database back from disk), a container near its limit,
/// and the OOM killer restarting the member.
struct MemoryRule: CauseRule {
    let category = Category.memory
    static let hostSignals: [DiagnosisMetric] = [.swapIO, .majorFaults, .psiMemory, .memoryUtilisation]
    static let names: [DiagnosisMetric: String] = [.swapIO: "swap I/O", .majorFaults: "major faults", .psiMemory: "memory pressure",
                                                   .memoryUtilisation: "memory used", .containerMemory: "container memory vs limit"]

    func explain(_ s: Symptom, _ c: DiagnosisContext, _ facts: Facts) -> [Explanation] {
        guard let m = s.member else { return [] }
        switch s.kind {
        case .restarts, .memberDown: return [killed(m, s, c)].compactMap { $0 }
        case _ where s.kind.latency: return [pressure(m, s, c, facts)].compactMap { $0 }
        default: return []
        }
    }

    /// Latency from memory pressure: etcd's database is mmapped, so evicted pages come back as
    /// disk reads in the middle of requests, and a swapping host stalls the process.
    func pressure(_ m: Int, _ s: Symptom, _ c: DiagnosisContext, _ facts: Facts) -> Explanation? {
        var host = SignalSet(Self.hostSignals, m, over: s.episode, c)
        let container = SignalSet([.containerMemory], m, over: s.episode, c)
        // Neighbours on the same host share its memory: if they are not as slow, it is not the host.
        if !facts.lessSlowNeighbours(of: m, s, c).isEmpty { host = SignalSet() }
        // Major faults are memory's doing only when memory is short: with most of it available
        // they are first reads of files and new processes (the lab's strace and etcdctl runs
        // gave 200/s on a host with 95 % free), not evicted pages coming back.
        let shortage: [DiagnosisMetric] = [.memoryUtilisation, .psiMemory, .swapIO]
        if host.readings.contains(where: { $0.metric == .memoryUtilisation }),
           !host.readings.contains(where: { shortage.contains($0.metric) && $0.reading.inside >= 0.2 }) {
            host.readings.removeAll { $0.metric == .majorFaults }
        }
        let mem = max(host.best, container.best)
        guard mem >= 0.25 else { return nil }
        var marks: Set<Explanation.Mark> = []
        if host.readings.contains(where: { ($0.metric == .majorFaults || $0.metric == .swapIO) && $0.reading.aligned >= 0.3 }) { marks.insert(.paging) }
        var clues: [String] = []
        let what = (host.readings + container.readings).filter { $0.reading.inside >= 0.2 }.sorted { $0.reading.aligned > $1.reading.aligned }
            .map { "\(Self.names[$0.metric] ?? $0.metric.rawValue) \(c.format($0.metric, $0.reading.value))" }
        if !what.isEmpty { clues.append("its host is short of memory: \(what.joined(separator: ", "))") }
        if marks.contains(.paging) { clues.append("etcd's database is mmapped, so evicted pages are read back from disk in the middle of requests") }
        return Explanation(category: .memory, culprits: [m], scope: .member, strength: 0.45 + 0.5 * mem, prior: false, clues: clues,
                           evidence: host.evidence(m, c) + container.evidence(m, c),
                           completeness: Double(host.measured) / Double(Self.hostSignals.count), marks: marks)
    }

    /// A restart (or a gap in scrapes) with the OOM killer active on its host at that time, or
    /// its container at its memory limit, or its host out of memory just before.
    func killed(_ m: Int, _ s: Symptom, _ c: DiagnosisContext) -> Explanation? {
        let around = s.episode.dilated(c.timeline.sustain + c.ratePoints)
        var evidence: [Evidence] = []
        var clues: [String] = []
        var best = 0.0
        let kills = c.trace(.oomKills, m).map { t in zip(t.values, around.mask).compactMap { v, on in on && v.isFinite ? v : nil }.max() ?? 0 } ?? 0
        if kills >= 1 {
            best = 1
            clues.append("the kernel's OOM killer fired on its host (\(c.format(.oomKills, kills)) kill(s)) when it restarted")
            if let e = c.evidence(.oomKills, m, value: kills) { evidence.append(e) }
        }
        for metric in [DiagnosisMetric.containerMemory, .memoryUtilisation, .majorFaults, .psiMemory] {
            guard let r = c.read(metric, m, over: around), r.inside >= 0.3 else { continue }
            best = max(best, r.inside)
            clues.append("\(Self.names[metric] ?? metric.rawValue) reached \(c.format(metric, r.value)) before it")
            if let e = c.evidence(metric, m, value: r.value) { evidence.append(e) }
        }
        guard best >= 0.3 else { return nil }
        return Explanation(category: .memory, culprits: [m], scope: .member, strength: 0.5 + 0.45 * best, prior: false, clues: clues,
                           evidence: evidence, completeness: 1)
    }

    func advice(_ cause: Cause, _ c: DiagnosisContext) -> Advice {
        let restarts = cause.explained.contains { $0.symptom.kind == .restarts }
        return Advice(
            action: restarts
                ? "Confirm the OOM kills (dmesg -T | grep -i oom; kubectl describe pod: Last State OOMKilled) on \(cause.hosts(c).joined(separator: ", ")) and see what holds the memory."
                : "Free memory on \(cause.hosts(c).joined(separator: ", ")) or move workloads; make sure etcd's pages are not swapped (grep VmSwap /proc/$(pgrep etcd)/status).",
            fix: "Size the host (or the container limit) for etcd's DB plus page cache; no swap on etcd hosts; keep memory-hungry neighbours off them.",
            steps: ["free -m", "vmstat 1 10", "sar -B 1 10", "dmesg -T | grep -i -E 'oom|killed process'"],
            related: [.swapIO, .majorFaults, .psiMemory, .memoryUtilisation, .oomKills, .containerMemory, .processRestarts],
            reference: "Systems Performance 2nd ed., ch. 7; etcd docs: hardware (memory)")
    }
}
