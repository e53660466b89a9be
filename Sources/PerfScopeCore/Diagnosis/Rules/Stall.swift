/// How strongly one member's etcd process looks stalled — not getting CPU (a CFS quota, a
/// throttled container, a descheduled VM) — during an episode, and what shows it.
///
/// Why not just GC pauses: a throttled Go process stretches a stop-the-world pause only when
/// the throttle lands inside it. A stalled process is also late with everything else it answers
/// — its peers' round-trip probes and Prometheus's scrapes — while its disk and network devices
/// look fine. A slow disk delays only fsync; a slow network delays only what crosses it. Slow at
/// its own fsync *and* at answering others, with no device to blame, leaves the process itself.
struct Stall: Sendable {
    var strength = 0.0
    var clues: [String] = []
    var evidence: [Evidence] = []
    var measured = 0

    static func of(_ m: Int, over episode: Episode, _ c: DiagnosisContext, _ facts: Facts) -> Stall {
        var parts: [(strength: Double, clue: String)] = []
        var out = Stall()
        // The process's own starvation: one part per signal that rose with the symptom, its
        // evidence once it is at least `evidenceFrom` strong.
        func own(_ metric: DiagnosisMetric, evidenceFrom: Double, unlessOutside: Double? = nil, _ clue: (String) -> String) {
            guard let r = c.read(metric, m, over: episode) else { return }
            if let limit = unlessOutside, (r.outside ?? 0) >= limit { return }
            out.measured += 1
            guard r.aligned > 0 else { return }
            parts.append((r.aligned, clue(c.format(metric, r.value))))
            if r.inside >= evidenceFrom, let e = c.evidence(metric, m, value: r.value) { out.evidence.append(e) }
        }
        own(.gcPauseAvg, evidenceFrom: 0.2) { "GC pauses average \($0)" }
        // The longest of the recent GC pauses: under light load few collections run, so the
        // window-mean can be empty while the stretched pause is still the recent maximum (the
        // lab's 3 % CPU quota with steady puts: no mean, a 100 ms maximum against 4 ms beside it).
        // It counts only when it rose with the symptom: the maximum of the last 256 pauses keeps
        // an old fault's pause long after (a slow disk after a CPU quota was called CPU).
        own(.gcPauseMax, evidenceFrom: 0.2, unlessOutside: 0.2) { "its longest recent GC pause took \($0)" }
        own(.containerThrottled, evidenceFrom: 0) { "its container is CPU-throttled in \($0) of periods" }
        // Late answers to others count only beside its own slow fsync or commit (not a write
        // that waits for the network), with no device to blame.
        let slack = c.timeline.sustain + c.ratePoints
        let ownSlow = facts.latency(on: m, overlapping: episode, slack: slack).contains { $0.kind.local }
        let disk = SignalSet(DiskRule.signals, m, over: episode, c).best
        let net = SignalSet(NetworkRule.hostSignals, m, over: episode, c).best
        // Missed scrapes of a member that went down, or late answers of a process whose host is
        // busy with its own work (the load), are not a starved process.
        let wasDown = facts.symptoms.contains { [.restarts, .memberDown].contains($0.kind) && $0.member == m && $0.episode.dilated(slack).overlaps(episode) }
        let ownWork = (c.read(.cpuUtilisation, m, over: episode)?.inside ?? 0) >= 0.35 && (CPURule().ownShare(m, episode, c) ?? 0) >= 0.5
        if ownSlow, disk < 0.3, net < 0.3, !wasDown, !ownWork {
            let others = c.members.indices.filter { $0 != m }
            if c.trace(.memberUp, m) != nil, !others.isEmpty,
               others.allSatisfy({ (c.read(.memberUp, $0, over: episode)?.value ?? 0) >= 0.99 }) {
                let mean = meanOver(c.trace(.memberUp, m), episode.dilated(c.timeline.sustain))
                if let mean, mean < 0.99 {
                    let missed = c.strength(.memberUp, mean)
                    if missed > 0 {
                        parts.append((missed, "it answered only \(c.format(.memberUp, mean)) of Prometheus's scrapes while its peers answered all"))
                        if let e = c.evidence(.memberUp, m, value: mean, note: "scrapes answered during the episode") { out.evidence.append(e) }
                    }
                }
            }
            let pairs = facts.pairs(over: episode, c)
            if pairs.suspects.contains(m), let mine = pairs.median[m] {
                let rest = pairs.restMedian[m]
                parts.append((0.5, "peer round-trips to and from it reach \(c.format(.peerRTT, mine))" + (rest.map { " while the other pairs take \(c.format(.peerRTT, $0))" } ?? "")))
            }
        }
        let strong = parts.filter { $0.strength >= 0.3 }.count
        let best = parts.map(\.strength).max() ?? 0
        out.strength = min(1, best + 0.15 * Double(max(0, strong - 1)))
        out.clues = parts.filter { $0.strength >= 0.2 }.sorted { $0.strength > $1.strength }.map(\.clue)
        return out
    }

    static func meanOver(_ trace: Trace?, _ episode: Episode) -> Double? {
        guard let trace else { return nil }
        let xs = zip(trace.values, episode.mask).compactMap { v, m in m && v.isFinite ? v : nil }
        return xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count)
    }
}
