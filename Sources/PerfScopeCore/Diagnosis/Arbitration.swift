/// Every cross-cause adjustment and tie-break, in one place. Rules say what they see; here the
/// explanations of one symptom compete, and each adjustment says why one kind of evidence
/// outranks another. Each has a table-driven test (`ArbitrationTests`) naming the miss it
/// prevents.
enum Arbitration {
    /// One symptom's outcome: the explanation that won and the ones that lost.
    struct Decision: Sendable {
        var symptom: Symptom
        var winner: Explanation
        var alternatives: [Explanation]
    }

    /// Symptoms are decided in this order, so consequences can point at decided causes: restarts
    /// first (what happens after a restart is the restart's doing), elections last (they follow
    /// whatever slowed or stopped the member that lost the lead).
    static let order: [Symptom.Kind] = [
        .restarts, .memberDown, .dbQuota, .fragmentation, .walFsync, .backendCommit, .writeLatency, .readLatency, .requestLatency,
        .slowApplies, .slowReadIndexes, .heartbeatFailures, .proposalBacklog, .peerLatency, .peerFailures, .elections, .noLeader, .proposalsFailed,
    ]

    /// Category precedence for exact ties, from etcd's FAQ on slow applies (slow disk, CPU
    /// starvation, expensive requests, slow network), then memory, maintenance, consensus —
    /// never the alphabet.
    static let precedence: [Category] = [.disk, .cpu, .load, .network, .memory, .database, .consensus]

    static func decide(_ symptoms: [Symptom], _ c: DiagnosisContext, _ facts: Facts, rules: [any CauseRule]) -> [Decision] {
        var decided: [Decision] = []
        let ordered = symptoms.sorted { (order.firstIndex(of: $0.kind) ?? 99) < (order.firstIndex(of: $1.kind) ?? 99) }
        for s in ordered {
            var candidates = rules.flatMap { $0.explain(s, c, facts) }
            candidates += consequences(of: s, decided: decided, c, facts)
            candidates = adjust(candidates, for: s)
            guard let winner = best(candidates) else { continue }
            decided.append(Decision(symptom: s, winner: winner, alternatives: candidates.filter { $0.key != winner.key }))
        }
        return decided
    }

    /// The adjustments, applied in order to one symptom's candidates.
    static func adjust(_ candidates: [Explanation], for s: Symptom) -> [Explanation] {
        var xs = candidates
        xs = stallOverNetwork(xs)
        xs = pagingOverDisk(xs)
        xs = maintenanceOverDisk(xs)
        xs = workloadOverBusyResources(xs)
        xs = consequenceOverResidual(xs)
        return xs
    }

    /// A stalled process answers its peers and Prometheus late: round-trips to a member whose
    /// own process is starved are not the network's fault (the CI miss of 2026-11-30: a CPU
    /// quota read as "network on all members").
    static func stallOverNetwork(_ xs: [Explanation]) -> [Explanation] {
        guard let stall = xs.filter({ $0.category == .cpu && $0.marks.contains(.stall) }).map(\.strength).max(), stall >= 0.5 else { return xs }
        return xs.map { x in
            var x = x
            if x.category == .network { x.strength = min(x.strength, stall - 0.1) }
            return x
        }
    }

    /// A device busy with reads on a host that pages: the reads are evicted pages coming back,
    /// memory's doing — the disk is the victim (an out-of-memory host ranked disk 0.95 over
    /// memory 0.90 in the outside check).
    static func pagingOverDisk(_ xs: [Explanation]) -> [Explanation] {
        guard let memory = xs.filter({ $0.category == .memory && $0.marks.contains(.paging) }).map(\.strength).max() else { return xs }
        return xs.map { x in
            var x = x
            if x.category == .disk, x.marks.contains(.readDriven) { x.strength = min(x.strength, memory - 0.1) }
            return x
        }
    }

    /// A defragmentation locks the member's backend and rewrites its file: the busy disk and the
    /// stalled commits are its effect (defrag stalls were called "slow disk on all members").
    static func maintenanceOverDisk(_ xs: [Explanation]) -> [Explanation] {
        guard let defrag = xs.filter({ $0.marks.contains(.defrag) }).map(\.strength).max() else { return xs }
        return xs.map { x in
            var x = x
            if [.disk, .load, .cpu].contains(x.category), !x.marks.contains(.stall) { x.strength = min(x.strength, defrag - 0.1) }
            return x
        }
    }

    /// Every member slow in step with what clients ask: busy disks and CPUs shared by all are the
    /// load's effect (etcd's own WAL writes, its own CPU), not a separate cause; so are round-trips
    /// answered late by processes busy with that work.
    static func workloadOverBusyResources(_ xs: [Explanation]) -> [Explanation] {
        guard let load = xs.filter({ $0.category == .load && $0.marks.contains(.workload) }).map(\.strength).max(), load >= 0.65 else { return xs }
        return xs.map { x in
            var x = x
            if [.disk, .cpu].contains(x.category), x.scope != .member || x.prior { x.strength = min(x.strength, load - 0.05) }
            if x.category == .network, !x.marks.contains(.failures), x.scope == .member { x.strength = min(x.strength, load - 0.05) }
            return x
        }
    }

    /// When a measured cause explains the members involved (the leader that lost the lead, a
    /// member that went down), the residual explanations — consensus configuration, the
    /// defaults — rank below it; so do failed sends to a member that was down (it was
    /// unreachable because it was down, not because of the network).
    static func consequenceOverResidual(_ xs: [Explanation]) -> [Explanation] {
        guard let via = xs.filter({ $0.via != nil }).map(\.strength).max() else { return xs }
        return xs.map { x in
            var x = x
            if x.via == nil, x.prior || x.marks.contains(.failures) { x.strength = min(x.strength, via - 0.05) }
            return x
        }
    }

    /// Strongest first; measured evidence before a prior; then `precedence`; then the culprit.
    static func best(_ xs: [Explanation]) -> Explanation? {
        xs.min { a, b in
            if abs(a.strength - b.strength) > 1e-9 { return a.strength > b.strength }
            if a.prior != b.prior { return !a.prior }
            let pa = precedence.firstIndex(of: a.category) ?? 99, pb = precedence.firstIndex(of: b.category) ?? 99
            if pa != pb { return pa < pb }
            return a.culprits.lexicographicallyPrecedes(b.culprits)
        }
    }

    /// Causes already decided that explain this symptom as a consequence: what happens to a
    /// member right after it restarted; send failures while a peer was down; elections, lost
    /// leaders and failed proposals when the leader that lost the lead (or a member that went
    /// down) had a measured cause at that moment. Priors are not passed on.
    static func consequences(of s: Symptom, decided: [Decision], _ c: DiagnosisContext, _ facts: Facts) -> [Explanation] {
        let slack = c.timeline.sustain + c.ratePoints
        var involved: [(member: Int, episode: Episode, why: String)] = []
        switch s.kind {
        case .elections, .noLeader, .proposalsFailed:
            let events = s.kind == .elections ? s.events : (facts.symptoms.first { $0.kind == .elections }?.events ?? [])
            for e in events {
                let at = SymptomDetector.eventEpisode([e], count: c.timeline.count, k: c.timeline.sustain)
                if let leader = facts.leader(before: e) { involved.append((leader, at, "the leader at the time")) }
                for d in decided where [.memberDown, .restarts].contains(d.symptom.kind) && d.symptom.episode.dilated(slack).overlaps(at) {
                    if let m = d.symptom.member { involved.append((m, at, "a member that went down then")) }
                }
            }
        case .peerFailures:
            for d in decided where [.memberDown, .restarts].contains(d.symptom.kind) && d.symptom.member != s.member && d.symptom.episode.dilated(slack).overlaps(s.episode) {
                if let m = d.symptom.member { involved.append((m, s.episode, "a peer that was down")) }
            }
        default:
            if let m = s.member, decided.contains(where: { [.restarts, .memberDown].contains($0.symptom.kind) && $0.symptom.member == m && $0.symptom.episode.dilated(slack).overlaps(s.episode) }) {
                involved.append((m, s.episode, "recovering from its restart"))
            }
        }
        var out: [Explanation] = []
        for (m, episode, why) in involved {
            let causes = decided.filter { d in
                d.symptom.member == m && !d.winner.prior && d.winner.via == nil && d.symptom.episode.dilated(slack).overlaps(episode)
                    && (s.kind.latency ? [.restarts, .memberDown].contains(d.symptom.kind) : true)
            }
            guard let strongest = causes.max(by: { $0.winner.strength < $1.winner.strength }) else { continue }
            var x = strongest.winner
            x.strength -= 0.02
            x.via = "\(c.members[m].instance), \(why)"
            x.clues = []
            x.evidence = []
            if !out.contains(where: { $0.key == x.key }) { out.append(x) }
        }
        return out
    }
}
