/// The workload itself: every member slow together, in step with what clients ask — a write
/// rate that rises with the latency, expensive reads that keep etcd's own CPU busy, large values
/// that cost their size in WAL, backend and replication. Nothing is broken; the cluster is
/// asked for more than it sustains.
struct LoadRule: CauseRule {
    let category = Category.load
    /// Expensive requests are the usual reason for slow reads on every member (etcd FAQ).
    static let readPrior = 0.4
    /// A rate must range this much (p90 / p10) before latency following it says anything.
    static let minimumSpread = 1.5

    func explain(_ s: Symptom, _ c: DiagnosisContext, _ facts: Facts) -> [Explanation] {
        if s.kind == .peerLatency { return [busyPeers(s, c, facts)].compactMap { $0 } }
        guard s.kind.latency || s.kind == .proposalBacklog, s.member != nil else { return [] }
        let alike = facts.alike(s, c)
        // A leader-only symptom (pending proposals) counts when another symptom is on every member.
        let companion = !alike && s.kind == .proposalBacklog
            && facts.symptoms.contains { $0.kind.latency && $0.member != nil && facts.alike($0, c) && $0.episode.dilated(c.ratePoints).overlaps(s.episode) }
        guard alike || companion else { return [] }
        var parts: [(Double, String)] = []
        var evidence: [Evidence] = []
        for m in c.members.indices {
            if let w = rise(.writeRate, m, s, c) { parts.append((w.strength, w.text)) }
            if let r = rise(.readRate, m, s, c) { parts.append((r.strength, r.text)) }
            if let big = c.read(.walBytesPerProposal, m, over: s.episode), big.aligned >= 0.2 {
                parts.append((big.aligned, "each proposal writes \(c.format(.walBytesPerProposal, big.value)) to the WAL (large values)"))
                if let e = c.evidence(.walBytesPerProposal, m, value: big.value) { evidence.append(e) }
            }
            if let own = ownCPU(m, s, c) {
                parts.append((own.strength, own.text))
                if let e = c.evidence(.processCPU, m, value: own.cores) { evidence.append(e) }
            }
            for metric in [DiagnosisMetric.writeRate, .readRate] {
                if let r = c.read(metric, m, over: s.episode), let e = c.evidence(metric, m, value: r.value) { evidence.append(e) }
            }
        }
        let load = parts.map(\.0).max() ?? 0
        let prior = [.readLatency, .requestLatency].contains(s.kind) ? Self.readPrior : 0
        guard load >= 0.25 || prior > 0 else { return [] }
        let strength = max(prior, load >= 0.25 ? 0.45 + 0.5 * load : 0)
        var seen = Set<String>()
        let clues = parts.filter { $0.0 >= 0.25 }.sorted { $0.0 > $1.0 }.map(\.1).filter { seen.insert($0).inserted }.prefix(3)
        return [Explanation(category: .load, culprits: Array(c.members.indices), scope: .cluster("workload"), strength: strength, prior: load < 0.25,
                            clues: Array(clues), evidence: evidence, completeness: 1, marks: load >= 0.3 ? [.workload] : [])]
    }

    /// A round-trip probe answered late by processes whose hosts are busy with etcd's own work,
    /// while every member is slow with it: the load's effect, not the network's.
    func busyPeers(_ s: Symptom, _ c: DiagnosisContext, _ facts: Facts) -> Explanation? {
        guard let a = s.member, let b = s.peer else { return nil }
        let slack = c.timeline.sustain + c.ratePoints
        guard facts.symptoms.contains(where: { $0.kind.latency && $0.member != nil && facts.alike($0, c) && $0.episode.dilated(slack).overlaps(s.episode) }) else { return nil }
        let own = [a, b].compactMap { ownCPU($0, s, c) }
        guard own.count == 2, let weakest = own.map(\.strength).min(), weakest >= 0.5 else { return nil }
        return Explanation(category: .load, culprits: Array(c.members.indices), scope: .cluster("workload"), strength: 0.45 + 0.5 * weakest, prior: false,
                           clues: ["both ends of the slow round-trips are busy with etcd's own work: a busy process answers its peers' probes late"],
                           evidence: [], completeness: 1, marks: [.workload])
    }

    /// A request rate that rose into the episode (or climbed through a window the symptom fills)
    /// or moves with the latency.
    func rise(_ metric: DiagnosisMetric, _ m: Int, _ s: Symptom, _ c: DiagnosisContext) -> (strength: Double, text: String)? {
        guard let rate = c.trace(metric, m), !rate.timeless, let symptom = c.trace(s.kind.metric, m) else { return nil }
        let name = metric == .writeRate ? "write" : "read"
        var best: (Double, String)?
        let inside = zip(rate.values, s.episode.mask).compactMap { v, on in on && v.isFinite ? v : nil }
        let outside = zip(rate.values, s.episode.dilated(c.timeline.sustain + c.ratePoints).mask).compactMap { v, on in !on && v.isFinite ? v : nil }
        if inside.count >= 2, outside.count >= 2 * c.timeline.sustain {
            let ratio = median(inside) / max(median(outside), 1e-9)
            let st = clamp((ratio - 1.3) / (2.5 - 1.3))
            if st > 0 { best = (st, "the \(name) rate rose ×\(String(format: "%.1f", ratio)) (\(c.format(metric, median(outside))) → \(c.format(metric, median(inside))))") }
        } else if let trend = trend(rate) {
            let st = clamp((trend - 1.3) / (2.5 - 1.3))
            if st > 0 { best = (st, "the \(name) rate climbed ×\(String(format: "%.1f", trend)) through the window") }
        }
        // Latency follows the rate only means something when the rate itself moves (on a saturated
        // device latency tracks even a steady workload's small wobbles).
        let sorted = rate.finite.sorted()
        let spread = sorted.count >= 10 ? sorted[sorted.count * 9 / 10] / max(sorted[sorted.count / 10], 1e-9) : 1
        if spread >= Self.minimumSpread, let r = correlation(rate, symptom), r > 0.3 {
            let st = clamp((r - 0.3) / 0.5)
            if st > (best?.0 ?? 0) { best = (st, "latency follows the \(name) rate (correlation \(String(format: "%.2f", r)))") }
        }
        return best
    }

    /// etcd's own CPU when the host is busy and etcd is most of it: the requests are the work.
    func ownCPU(_ m: Int, _ s: Symptom, _ c: DiagnosisContext) -> (strength: Double, text: String, cores: Double)? {
        guard let busy = c.read(.cpuUtilisation, m, over: s.episode), busy.inside >= 0.3,
              let share = CPURule().ownShare(m, s.episode, c), share >= 0.5,
              let cores = c.read(.processCPU, m, over: s.episode)?.value else { return nil }
        return (min(busy.inside, share), "etcd itself keeps its host's CPU \(c.format(.cpuUtilisation, busy.value)) busy (\(c.format(.processCPU, cores)))", cores)
    }

    func clamp(_ x: Double) -> Double { min(1, max(0, x)) }

    /// Mean of the last quarter over the first quarter (≥ 8 points).
    func trend(_ t: Trace) -> Double? {
        let f = t.finite
        guard f.count >= 8 else { return nil }
        let q = f.count / 4
        let first = f.prefix(q).reduce(0, +) / Double(q), last = f.suffix(q).reduce(0, +) / Double(q)
        return first > 0 ? last / first : nil
    }

    /// Pearson correlation over the points both have (≥ 6), nil without variance.
    func correlation(_ a: Trace, _ b: Trace) -> Double? {
        let pairs = zip(a.values, b.values).filter { $0.0.isFinite && $0.1.isFinite }
        guard pairs.count >= 6 else { return nil }
        let n = Double(pairs.count)
        let mx = pairs.map(\.0).reduce(0, +) / n, my = pairs.map(\.1).reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (x, y) in pairs { sxy += (x - mx) * (y - my); sxx += (x - mx) * (x - mx); syy += (y - my) * (y - my) }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    func advice(_ cause: Cause, _ c: DiagnosisContext) -> Advice {
        Advice(
            action: "Find the clients behind the load (request rate by method, response sizes, top keys) and spread, batch or page their requests.",
            fix: "Reduce write amplification (fewer, larger txns; lease reuse), paginate large ranges, keep values small, shard event-heavy data (e.g. Kubernetes events) to a separate etcd, or scale up the members' CPUs and disks.",
            steps: ["perfscope query 'sum by (grpc_method) (rate(grpc_server_started_total[5m]))'", "etcdctl check perf --load=s"],
            related: [.writeRate, .readRate, .walBytesPerProposal, .processCPU, .proposalBacklog, .requestRate],
            reference: "etcd docs: performance, benchmarking; Systems Performance 2nd ed., ch. 2 (workload characterisation)")
    }
}
