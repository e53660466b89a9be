import Foundation

/// Causes as the report shows them: a root cause per cause (ranked, with when it happened and
/// its alternatives) and a `correlation` finding carrying its symptoms, evidence and advice.
extension Diagnosis {
    static func render(_ causes: [Cause], _ c: DiagnosisContext, thresholdFindings: [Finding]) -> Output {
        var rootCauses: [RootCause] = []
        var findings: [Finding] = []
        for cause in causes {
            guard let rule = rule(for: cause.category) else { continue }
            let advice = rule.advice(cause, c)
            let instances = cause.culprits.map { c.members[$0].instance }
            let base = "rca.\(cause.category.rawValue)." + (cause.scope == .member ? "member" : "cluster")
            var id = base
            var n = 2
            while findings.contains(where: { $0.id == id }) { id = "\(base).\(n)"; n += 1 }
            let strength = cause.strength
            let confidence = (strength * (0.6 + 0.4 * cause.completeness) * 100).rounded() / 100
            let related = advice.related.map(\.rawValue)
            let hosts = cause.hosts(c)
            let linked = thresholdFindings.filter { f in
                related.contains { f.id.contains(".\($0).") } && (f.instances.isEmpty || !Set(f.instances).isDisjoint(with: instances + hosts))
            }
            let worst = cause.explained.map(\.symptom.severity).max() ?? 0
            let severity = linked.map(\.severity).max() ?? (worst >= 0.7 ? .high : (worst >= 0.35 ? .medium : .low))
            let episode = cause.episode
            let start = episode.first.map { c.time($0) }
            let end = episode.last.flatMap { $0 < c.timeline.count - 1 ? c.time($0) : nil }
            let summary = summary(cause, c)
            rootCauses.append(RootCause(category: cause.category, instances: instances, summary: summary,
                                        likelihood: strength >= 0.7 ? .high : (strength >= 0.45 ? .medium : .low),
                                        confidence: confidence, findingIds: [id] + linked.map(\.id)))
            rootCauses[rootCauses.count - 1].start = c.timeline.count > 1 ? start : nil
            rootCauses[rootCauses.count - 1].end = c.timeline.count > 1 ? end : nil
            rootCauses[rootCauses.count - 1].coverage = (episode.coverage * 1000).rounded() / 1000
            let alternatives = cause.alternatives.map { alt in
                RootCause.Alternative(category: alt.category, instances: alt.culprits.map { c.members[$0].instance },
                                      confidence: (alt.strength * 100).rounded() / 100,
                                      note: alt.clues.first ?? "the default explanation for these symptoms, with nothing measured for it")
            }
            if !alternatives.isEmpty { rootCauses[rootCauses.count - 1].alternatives = alternatives }
            var seen = Set<String>()
            let evidence = (cause.explained.compactMap { symptomEvidence($0.symptom, c) } + cause.explained.flatMap(\.explanation.evidence))
                .filter { seen.insert("\($0.metric)|\($0.instance ?? "")|\($0.note ?? "")").inserted }
            findings.append(Finding(
                id: id, title: "Root cause: \(cause.category.rawValue) — \(instances.joined(separator: ", "))",
                severity: severity, category: cause.category, methodology: .correlation,
                instances: instances, observation: summary, evidence: evidence,
                rootCause: reasons(cause, c), confidence: confidence,
                immediateAction: advice.action, investigationSteps: advice.steps, longTermFix: advice.fix,
                relatedMetrics: related, reference: advice.reference))
        }
        return Output(rootCauses: rootCauses, findings: findings)
    }

    static func symptomEvidence(_ s: Symptom, _ c: DiagnosisContext) -> Evidence? {
        guard let m = s.member ?? c.members.indices.first else { return nil }
        let note = [s.peer.map { "to \(c.members[$0].instance)" }, when(s.episode, c)].compactMap { $0 }.joined(separator: ", ")
        return c.evidence(s.kind.metric, m, value: s.peak, note: note.isEmpty ? nil : note)
    }

    /// "from 10:12 to 10:24 UTC", "since 10:40 UTC", nil without time.
    static func when(_ e: Episode, _ c: DiagnosisContext) -> String? {
        guard c.timeline.count > 1, let first = e.first, let last = e.last else { return nil }
        let from = TimeWindow.clock(c.time(first))
        if first == 0, last == c.timeline.count - 1 { return "throughout the window" }
        if last == c.timeline.count - 1 { return "since \(from)" }
        if first == 0 { return "until \(TimeWindow.clock(c.time(last)))" }
        return "from \(from) to \(TimeWindow.clock(c.time(last)))"
    }

    static func names(_ kind: Symptom.Kind) -> String {
        switch kind {
        case .walFsync: "WAL fsync p99"
        case .backendCommit: "backend commit p99"
        case .writeLatency: "write request p99"
        case .readLatency: "read request p99"
        case .requestLatency: "request p99"
        case .slowApplies: "slow applies"
        case .slowReadIndexes: "slow read indexes"
        case .heartbeatFailures: "heartbeat send failures"
        case .proposalBacklog: "proposal backlog"
        case .peerLatency: "peer round-trip p99"
        case .peerFailures: "peer send failures"
        case .elections: "leader changes"
        case .noLeader: "time with a leader"
        case .proposalsFailed: "failed proposals"
        case .memberDown: "scrapes answered"
        case .restarts: "restarts"
        case .dbQuota: "DB quota usage"
        case .fragmentation: "DB in-use share"
        }
    }

    /// "Slow disk on X since 10:40 UTC: WAL fsync p99 114 ms (level 15 ms), …; its host's disk: …."
    static func summary(_ cause: Cause, _ c: DiagnosisContext) -> String {
        let who = cause.culprits.map { c.members[$0].instance }.joined(separator: ", ")
        let stalled = cause.explained.contains { $0.explanation.marks.contains(.stall) }
        let restarted = cause.explained.contains { $0.symptom.kind == .restarts }
        let headline: String
        switch (cause.category, cause.scope) {
        case (.disk, .member): headline = "Slow disk on \(who)"
        case (.disk, _): headline = "Slow storage under every member"
        case (.cpu, _): headline = stalled ? "\(who) is starved of CPU" : "\(who)'s host is short of CPU"
        case (.memory, _): headline = restarted ? "\(who) runs out of memory and restarts" : "Memory pressure on \(who)'s host"
        case (.network, .member): headline = cause.culprits.count == 1 ? "Slow network around \(who)" : "Slow network between \(cause.culprits.map { c.members[$0].instance }.joined(separator: " and "))"
        case (.network, _): headline = "Slow network between all members"
        case (.database, .cluster("quota")): headline = "The database nears its space quota"
        case (.database, .cluster("fragmentation")): headline = "The database file is mostly free pages"
        case (.database, _): headline = "Defragmentation or compaction stalls \(who)"
        case (.load, _): headline = "Client load drives the latency on every member"
        case (.consensus, .member): headline = "\(who) restarts or stops answering"
        case (.consensus, _): headline = "Leader instability"
        }
        let time = when(cause.episode, c).map { " \($0)" } ?? ""
        // The symptoms, worst first, one per kind and member.
        var seen = Set<String>()
        let symptoms = cause.explained.sorted { $0.symptom.impact > $1.symptom.impact }.compactMap { pair -> String? in
            let s = pair.symptom
            guard seen.insert("\(s.kind)|\(s.member ?? -1)").inserted else { return nil }
            let unit = s.kind.metric
            let value: String
            switch s.kind {
            case .elections: value = "\(CheckedNumber.text(s.peak)) leader change(s)"
            case .restarts: value = "\(CheckedNumber.text(s.peak)) restart(s) of \(s.member.map { c.members[$0].instance } ?? "")"
            default: value = "\(names(s.kind)) \(c.format(unit, s.peak))" + (s.member.map { " on \(c.members[$0].instance)" } ?? "") + (s.peer.map { "→\(c.members[$0].instance)" } ?? "")
            }
            return value
        }.prefix(5)
        var seenClues = Set<String>()
        let clues = Array(cause.explained.flatMap(\.explanation.clues).filter { seenClues.insert($0).inserted }.prefix(4))
        var text = "\(headline)\(time): \(symptoms.joined(separator: ", "))"
        if !clues.isEmpty { text += "; " + clues.joined(separator: "; ") }
        return text + "."
    }

    /// Why this cause and not another: the kinds of evidence, the consequences it carries, and
    /// what it was weighed against.
    static func reasons(_ cause: Cause, _ c: DiagnosisContext) -> String {
        var out: [String] = []
        if cause.explained.allSatisfy({ $0.explanation.prior || $0.explanation.via != nil }) {
            out.append("Nothing measured points elsewhere, so these symptoms get their usual explanation (etcd FAQ: slow applies come from slow disks first, then CPU starvation, expensive requests, slow networks).")
        }
        let via = Set(cause.explained.compactMap(\.explanation.via))
        if !via.isEmpty {
            let kinds = Set(cause.explained.filter { $0.explanation.via != nil }.map { names($0.symptom.kind) })
            out.append("It also explains the \(kinds.sorted().joined(separator: ", ")) through \(via.sorted().joined(separator: "; ")).")
        }
        if cause.category == .cpu, cause.explained.contains(where: { $0.symptom.kind == .walFsync || $0.symptom.kind == .backendCommit }) {
            out.append("etcd's fsync and commit histograms include time the process waits for CPU, so CPU starvation reads as a slow disk in etcd's own metrics.")
        }
        for alt in cause.alternatives {
            out.append("Weighed against \(alt.category.rawValue) on \(alt.culprits.map { c.members[$0].instance }.joined(separator: ", ")) (\(CheckedNumber.percent(alt.strength)) %)" + (alt.clues.first.map { ": \($0)" } ?? "") + ".")
        }
        return out.joined(separator: " ")
    }
}
