/// The database and its maintenance: a DB near its space quota, a file of mostly free pages, and
/// defragmentation or compaction holding a member's backend while its commits, applies and
/// reads wait. One cluster-wide cause: maintenance runs member after member.
struct DatabaseRule: CauseRule {
    let category = Category.database

    func explain(_ s: Symptom, _ c: DiagnosisContext, _ facts: Facts) -> [Explanation] {
        guard let m = s.member else { return [] }
        switch s.kind {
        case .dbQuota:
            let culprits = facts.symptoms.filter { $0.kind == .dbQuota }.compactMap(\.member)
            return [Explanation(category: .database, culprits: culprits, scope: .cluster("quota"), strength: 0.75 + 0.2 * s.severity, prior: false,
                                clues: ["the database is at \(c.format(.dbQuota, s.peak)) of its quota; at 100 % etcd raises NOSPACE and refuses writes"],
                                evidence: [c.evidence(.dbQuota, m, value: s.peak), c.read(.dbTotal, m, over: s.episode).flatMap { c.evidence(.dbTotal, m, value: $0.value) }].compactMap { $0 },
                                completeness: 1)]
        case .fragmentation:
            let culprits = facts.symptoms.filter { $0.kind == .fragmentation }.compactMap(\.member)
            return [Explanation(category: .database, culprits: culprits, scope: .cluster("fragmentation"), strength: 0.45 + 0.3 * (1 - min(1, s.peak)), prior: false,
                                clues: ["only \(c.format(.dbInUseRatio, s.peak)) of the database file is in use; it will not shrink until defragmented"],
                                evidence: [c.evidence(.dbInUseRatio, m, value: s.peak), c.read(.dbTotal, m, over: s.episode).flatMap { c.evidence(.dbTotal, m, value: $0.value) }].compactMap { $0 },
                                completeness: 1)]
        case _ where s.kind.latency:
            return [maintenance(m, s, c, facts)].compactMap { $0 }
        default:
            return []
        }
    }

    /// A defragmentation (in flight, or finished within a rate range of the episode) or long
    /// compaction pauses on this member while it was slow. A cause comes before its effects: a
    /// symptom that began before the defragmentation could have started is not its doing (the
    /// lab's `check perf --auto-defrag` defragments at the end of a load that a slow disk had
    /// already slowed). WAL fsync is not the backend's: a defragmentation does not explain it.
    func maintenance(_ m: Int, _ s: Symptom, _ c: DiagnosisContext, _ facts: Facts) -> Explanation? {
        guard s.kind != .walFsync, let onset = s.episode.first else { return nil }
        let around = s.episode.dilated(c.timeline.sustain + c.ratePoints)
        var strength = 0.0
        var clues: [String] = []
        var evidence: [Evidence] = []
        let running = c.trace(.defragInflight, m).map { t in zip(t.values, s.episode.dilated(c.timeline.sustain).mask).enumerated().compactMap { i, p in p.1 && p.0 >= 0.5 ? i : nil } } ?? []
        if let began = running.first, onset >= began - 1 {
            strength = 0.9
            clues.append("a defragmentation was running on it (its backend is locked meanwhile: commits, applies and reads wait)")
            if let e = c.evidence(.defragInflight, m, value: 1) { evidence.append(e) }
        } else if running.isEmpty, let defrag = c.trace(.defragDuration, m),
                  let (first, seconds) = zip(defrag.values, around.mask).enumerated().first(where: { _, p in p.1 && p.0.isFinite && p.0 > 0 }).map({ ($0.offset, $0.element.0) }),
                  onset >= first - (CheckedNumber.rounded(seconds / c.timeline.step) ?? 0) - 2 {
            // Its duration is counted when it finishes, so the first point showing it is the finish;
            // it ran `seconds` before that (two points of slack for scrape alignment).
            strength = 0.8
            clues.append("a defragmentation of \(c.format(.defragDuration, seconds)) finished on it then")
            if let e = c.evidence(.defragDuration, m, value: seconds) { evidence.append(e) }
        }
        // A long compaction pause explains a member's stall only when its WAL fsync (which compaction
        // does not touch) is fine: a slow disk or a starved process stretches compaction too.
        let slack = c.timeline.sustain + c.ratePoints
        let ownFsync = facts.latency(on: m, overlapping: s.episode, slack: slack).contains { $0.kind == .walFsync }
        if !ownFsync, let pause = c.read(.compactionPause, m, over: around), pause.aligned >= 0.3 {
            strength = max(strength, 0.45 + 0.3 * pause.aligned)
            clues.append("compaction paused it for \(c.format(.compactionPause, pause.value))")
            if let e = c.evidence(.compactionPause, m, value: pause.value) { evidence.append(e) }
        }
        guard strength > 0 else { return nil }
        let members = c.members.indices.filter { i in
            (c.trace(.defragInflight, i)?.finite.contains { $0 >= 0.5 } ?? false) || (c.trace(.defragDuration, i)?.finite.contains { $0 > 0 } ?? false)
        }
        return Explanation(category: .database, culprits: members.isEmpty ? [m] : members, scope: .cluster("maintenance"), strength: strength, prior: false,
                           clues: clues, evidence: evidence, completeness: 1, marks: [.defrag])
    }

    func advice(_ cause: Cause, _ c: DiagnosisContext) -> Advice {
        switch cause.scope {
        case .cluster("quota"):
            Advice(action: "Compact to the current revision, defragment one member at a time, then check alarms (etcdctl alarm list).",
                   fix: "Enable auto-compaction, find what grows the keyspace, raise --quota-backend-bytes (≤ 8 GiB) only with memory to back it.",
                   steps: ["etcdctl endpoint status --cluster -w table", "etcdctl alarm list"],
                   related: [.dbQuota, .dbTotal, .dbInUse], reference: "etcd docs: maintenance (space quota, compaction, defragmentation)")
        case .cluster("fragmentation"):
            Advice(action: "Defragment one member at a time off-peak (etcdctl defrag --endpoints=ONE --command-timeout=120s).",
                   fix: "Schedule compaction and defragmentation.", steps: ["etcdctl endpoint status --cluster -w table"],
                   related: [.dbInUseRatio, .dbTotal, .dbInUse], reference: "etcd docs: maintenance (defragmentation)")
        default:
            Advice(action: "Run defragmentation off-peak, one member at a time, never on all at once, and not on the leader under load (move leadership first).",
                   fix: "Defragment only when the in-use share is low (etcd-mixin etcdDatabaseHighFragmentationRatio); keep the DB small so a defragmentation takes seconds.",
                   steps: ["etcdctl endpoint status --cluster -w table", "etcdctl defrag --endpoints=<one member> --command-timeout=120s"],
                   related: [.defragInflight, .defragDuration, .backendCommit, .slowApplies, .compactionPause],
                   reference: "etcd docs: maintenance (defragmentation blocks the member)")
        }
    }
}
