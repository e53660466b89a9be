/// The consensus layer itself: elections, lost leaders and failed proposals that no resource
/// explains (an election timeout too tight for the environment, a member pausing), and member
/// restarts with no memory or CPU reason. The residual explanation: arbitration lets a resource
/// cause that explains the members involved at the time win over it.
struct ConsensusRule: CauseRule {
    let category = Category.consensus

    func explain(_ s: Symptom, _ c: DiagnosisContext, _ facts: Facts) -> [Explanation] {
        switch s.kind {
        case .elections, .noLeader, .proposalsFailed:
            let count = facts.symptoms.first { $0.kind == .elections }?.peak ?? 0
            let strength = 0.45 + 0.4 * c.strength(.leaderChanges, max(count, 1))
            var clues = ["\(CheckedNumber.text(count)) leader change(s) in the window"]
            if let heartbeats = facts.symptoms.first(where: { $0.kind == .heartbeatFailures }), let m = heartbeats.member {
                clues.append("the leader \(c.members[m].instance) misses heartbeat deadlines")
            }
            let moved = s.events.compactMap { facts.leader(before: $0) }.map { c.members[$0].instance }
            if !moved.isEmpty { clues.append("leadership moved away from \(Array(Set(moved)).sorted().joined(separator: ", "))") }
            let evidence = c.members.indices.compactMap { i in c.read(.leaderChanges, i, over: s.episode).flatMap { _ in c.evidence(.leaderChanges, i, value: count) } }.prefix(1)
            return [Explanation(category: .consensus, culprits: Array(c.members.indices), scope: .cluster("elections"), strength: strength, prior: true,
                                clues: clues, evidence: Array(evidence), completeness: 1)]
        case .heartbeatFailures:
            // A leader late with heartbeats while its disk, CPU and links are fine: timeouts too
            // tight for the environment (the residual; resource causes outrank it when measured).
            guard let m = s.member else { return [] }
            return [Explanation(category: .consensus, culprits: Array(c.members.indices), scope: .cluster("elections"), strength: 0.4, prior: true,
                                clues: ["the leader \(c.members[m].instance) misses heartbeat deadlines (\(c.format(.heartbeatFailures, s.peak)))"],
                                evidence: [c.evidence(.heartbeatFailures, m, value: s.peak)].compactMap { $0 }, completeness: 1)]
        case .restarts, .memberDown:
            guard let m = s.member else { return [] }
            let what = s.kind == .restarts ? "restarted \(CheckedNumber.text(s.peak)) time(s)" : "stopped answering scrapes (\(c.format(.memberUp, s.peak)))"
            return [Explanation(category: .consensus, culprits: [m], scope: .member, strength: 0.4, prior: true,
                                clues: ["\(c.members[m].instance) \(what) with no memory or CPU reason measured"],
                                evidence: [c.evidence(s.kind.metric, m, value: s.peak)].compactMap { $0 }, completeness: 1)]
        default:
            return []
        }
    }

    func advice(_ cause: Cause, _ c: DiagnosisContext) -> Advice {
        Advice(
            action: "Read the etcd logs around the elections and restarts (\"elected leader\", \"lost leader\", \"heartbeat\", panics) and check whether a member paused.",
            fix: "Set --heartbeat-interval to about the measured peer round-trip and --election-timeout ≥ 10× it (same on every member); keep etcd processes from being paused, starved or restarted.",
            steps: ["etcdctl endpoint status --cluster -w table", "journalctl -u etcd | grep -Ei 'elected leader|lost leader|heartbeat|panic'"],
            related: [.leaderChanges, .hasLeader, .proposalsFailed, .memberUp, .processRestarts, .heartbeatFailures],
            reference: "etcd docs: tuning (time parameters), FAQ (leader elections)")
    }
}
