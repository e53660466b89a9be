/// Slow storage under a member (or under every member alike): its host's device busy, queued or
/// slow while the member's write path is slow. etcd's FAQ names the disk as the most common
/// cause of slow fsync, commits and applies, so it is the default explanation of write-path
/// symptoms — a prior that measured evidence for another cause beats.
struct DiskRule: CauseRule {
    let category = Category.disk
    static let signals: [DiagnosisMetric] = [.diskUtilisation, .diskQueue, .diskWriteLatency, .psiIO]
    static let names: [DiagnosisMetric: String] = [.diskUtilisation: "utilisation", .diskQueue: "queue", .diskWriteLatency: "write latency", .psiIO: "I/O pressure"]
    /// The default for write-path symptoms with nothing measured against them.
    static let prior = 0.45

    func explain(_ s: Symptom, _ c: DiagnosisContext, _ facts: Facts) -> [Explanation] {
        guard s.kind.writePath, let m = s.member else { return [] }
        let disk = SignalSet(Self.signals, m, over: s.episode, c)
        var marks: Set<Explanation.Mark> = []
        // Reads or writes? A device busy with page-ins is memory's doing (arbitration weighs it).
        if let reads = c.read(.diskReadIOPS, m, over: s.episode), let writes = c.read(.diskWriteIOPS, m, over: s.episode),
           reads.value > writes.value {
            marks.insert(.readDriven)
        }
        // Indirect write-path symptoms (a late heartbeat, a backlog, a slow write or apply) implicate
        // the disk only through its own symptom — a slow fsync or commit on the member — or a
        // clearly busy device; otherwise something else holds them up.
        if !s.kind.local {
            let slack = c.timeline.sustain + c.ratePoints
            let ownFsync = facts.latency(on: m, overlapping: s.episode, slack: slack).contains { $0.kind.local }
            guard ownFsync || disk.best >= 0.5 || facts.withinClusterWide(s, c) else { return [] }
        }
        let shared = facts.alike(s, c) || facts.withinClusterWide(s, c)
        let prior = [.walFsync, .backendCommit, .slowApplies, .writeLatency].contains(s.kind) ? Self.prior : Self.prior - 0.1
        let strength = prior + 0.5 * disk.best
        let host = c.members[m].host
        var clues: [String] = []
        let busy = disk.describe(c, names: Self.names)
        if !busy.isEmpty {
            clues.append("\(shared ? "the hosts'" : "its host's") disk: \(busy)")
        } else if host == nil {
            clues.append("no host (node-exporter) data is tied to \(c.members[m].instance), so the disk could not be confirmed")
        } else {
            clues.append("the host's block-device metrics look normal, so the delay sits in the storage path above or below them (a throttled or network volume, a slow fdatasync) rather than in device saturation")
        }
        let completeness = host == nil ? 0.3 : Double(disk.measured) / Double(Self.signals.count)
        return [Explanation(category: .disk, culprits: shared ? Array(c.members.indices) : [m],
                            scope: shared ? .cluster("storage") : .member, strength: strength, prior: disk.best < 0.2,
                            clues: clues, evidence: disk.evidence(m, c), completeness: completeness, marks: marks)]
    }

    func advice(_ cause: Cause, _ c: DiagnosisContext) -> Advice {
        let where_ = cause.hosts(c).joined(separator: ", ")
        return Advice(
            action: cause.scope == .member
                ? "Measure the etcd data device on \(where_): iostat -x for await and utilisation, and fio with fdatasync for the WAL pattern."
                : "Check whether the members share a device or a storage backend, and measure it with fio (fdatasync).",
            fix: "Put etcd's data dir on a dedicated low-latency SSD/NVMe (one per member); keep other I/O off it; ionice -c2 -n0 for etcd.",
            steps: ["iostat -x 1 10", "biolatency-bpfcc -D 10 1", "fio --rw=write --ioengine=sync --fdatasync=1 --bs=2300 --size=22m --name=walcheck --directory=<etcd data dir>"],
            related: [.walFsync, .backendCommit, .slowApplies, .diskUtilisation, .diskQueue, .diskWriteLatency, .psiIO],
            reference: "etcd docs: hardware (disks), tuning; Systems Performance 2nd ed., ch. 9")
    }
}
