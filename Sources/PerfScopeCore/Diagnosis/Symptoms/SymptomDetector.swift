import Foundation

/// Finds symptoms: per member (and per peer pair), each kind judged by its worst sustained
/// stretch — not the window's mean — against the catalog's `symptom` level, so a fault in the
/// first or last minutes of a long window is found, and its episode says when it happened.
enum SymptomDetector {
    static let memberKinds: [Symptom.Kind] = [
        .walFsync, .backendCommit, .writeLatency, .readLatency, .requestLatency, .slowApplies, .slowReadIndexes,
        .heartbeatFailures, .proposalBacklog, .peerFailures, .proposalsFailed, .noLeader, .memberDown, .dbQuota, .fragmentation,
    ]

    static func symptoms(_ c: DiagnosisContext) -> [Symptom] {
        var out: [Symptom] = []
        for i in c.members.indices {
            for kind in memberKinds {
                // The class split (read/write) says more than the mixed request latency.
                if kind == .requestLatency, c.trace(.readLatency, i).map({ !$0.isEmpty }) == true { continue }
                let trace = counted(kind, i, c)
                let peers = c.members.indices.filter { $0 != i }.compactMap { counted(kind, $0, c) }
                if let s = level(kind, trace, member: i, peers: peers, c) {
                    out.append(s)
                }
            }
            if let s = restarts(c, i) { out.append(s) }
        }
        for (from, to) in c.pairKeys {
            let others = c.pairKeys.filter { $0 != (from, to) }.compactMap { c.pair($0.from, $0.to) }
            if var s = level(.peerLatency, c.pair(from, to), member: from, peers: others, c) {
                s.peer = to
                out.append(s)
            }
        }
        if let s = elections(c) { out.append(s) }
        for i in out.indices { out[i].id = i }
        return out
    }

    /// A 99th percentile needs at least 1 / (1 − 0.99) = 100 observations in its `rate()` range;
    /// with fewer it is the slowest of a handful (an idle member's p99 jumps with one slow fsync).
    static let quantileObservations = 100.0

    /// The kind's trace, with the points where its histogram had too few observations for a p99
    /// left out — unless the median is as high there too (then most operations were slow, which
    /// a handful shows as well as a thousand).
    static func counted(_ kind: Symptom.Kind, _ i: Int, _ c: DiagnosisContext) -> Trace? {
        guard var trace = c.trace(kind.metric, i) else { return nil }
        let counts: (rate: DiagnosisMetric, median: DiagnosisMetric?)?
        switch kind {
        case .walFsync: counts = (.fsyncRate, .walFsyncMedian)
        case .backendCommit: counts = (.commitRate, .backendCommitMedian)
        case .readLatency, .writeLatency, .requestLatency: counts = (.requestRate, nil)
        default: counts = nil
        }
        guard let counts, !trace.timeless, let rate = c.trace(counts.rate, i), !rate.timeless,
              let level = c.catalog[kind.metric.rawValue]?.symptom?.level else { return trace }
        let median = counts.median.flatMap { c.trace($0, i) }
        for j in trace.values.indices {
            let n = rate.values[j] * c.rateSeconds
            guard n.isFinite, n < quantileObservations else { continue }
            if let m = median?.values[j], m.isFinite, m >= level { continue }
            trace.values[j] = .nan
        }
        return trace
    }

    /// A level symptom: sustained at or beyond the catalog's symptom level, or beyond the least
    /// severe threshold and `rise` times the member's own level elsewhere (or its peers').
    static func level(_ kind: Symptom.Kind, _ trace: Trace?, member: Int, peers: [Trace], _ c: DiagnosisContext) -> Symptom? {
        guard let trace, !trace.isEmpty, let m = c.catalog[kind.metric.rawValue], let sym = m.symptom else { return nil }
        let below = m.thresholds?.direction == .below
        let k = c.timeline.sustain
        guard let peak = trace.sustained(k, below: below) else { return nil }
        var level = sym.level
        var present = below ? peak.value <= level : peak.value >= level
        if !present, !below, let rise = sym.rise, let floor = c.scales[kind.metric.rawValue]?.floor, peak.value >= floor {
            if let reference = reference(trace, above: floor, k: k, ratePoints: c.ratePoints) ?? peerReference(peers), reference > 0 {
                level = max(floor, rise * reference)
                present = peak.value >= level
            }
        }
        guard present else { return nil }
        var episode = Episode.from(trace.mask(level, below: below), gap: k, minimum: k, keep: peak.at + k / 2)
        if episode.isEmpty {
            var mask = [Bool](repeating: false, count: trace.values.count)
            for j in peak.at..<min(mask.count, peak.at + k) { mask[j] = true }
            episode = Episode(mask: mask)
        }
        let severity = below ? c.strength(kind.metric, peak.value)
            : max(c.strength(kind.metric, peak.value), level > 0 ? min(1, max(0, log10(peak.value / level))) : 0)
        return Symptom(kind: kind, member: member, peak: peak.value, level: level, episode: episode, severity: severity)
    }

    /// The member's own typical level away from where it is at or above `floor`; nil when it is
    /// there most of the window.
    static func reference(_ trace: Trace, above floor: Double, k: Int, ratePoints: Int) -> Double? {
        let busy = Episode(mask: trace.mask(floor)).dilated(k + ratePoints)
        let rest = zip(trace.values, busy.mask).compactMap { v, b in !b && v.isFinite ? v : nil }
        return rest.count >= 2 * k ? median(rest) : nil
    }

    static func peerReference(_ peers: [Trace]) -> Double? {
        let medians = peers.map { median($0.finite) }.filter(\.isFinite)
        return medians.isEmpty ? nil : median(medians)
    }

    /// Points where a counter rose (resets ignored: a restarted member's counters start again).
    static func increments(_ trace: Trace) -> [Int] {
        var out: [Int] = []
        var previous: Double?
        for (i, v) in trace.values.enumerated() where v.isFinite {
            if let p = previous, v > p { out.append(i) }
            previous = v
        }
        return out
    }

    static func eventEpisode(_ events: [Int], count: Int, k: Int) -> Episode {
        var mask = [Bool](repeating: false, count: count)
        for e in events { for j in max(0, e - k)...min(count - 1, e + k) { mask[j] = true } }
        return Episode(mask: mask)
    }

    /// Leader changes anywhere in the cluster: one cluster-wide symptom with the event times.
    static func elections(_ c: DiagnosisContext) -> Symptom? {
        guard let level = c.catalog[DiagnosisMetric.leaderChanges.rawValue]?.symptom?.level else { return nil }
        var events = Set<Int>()
        var timeless = 0.0
        for i in c.members.indices {
            guard let t = c.trace(.leaderChanges, i) else { continue }
            if t.timeless {
                timeless = max(timeless, c.summaries[DiagnosisMetric.leaderChanges.rawValue]?.first { $0.instance == c.members[i].instance }?.stats.increase ?? 0)
            } else {
                events.formUnion(increments(t))
            }
        }
        // Members see one election a step apart at most: count distinct elections, not sightings.
        let sorted = events.sorted()
        let distinct = sorted.enumerated().filter { i, e in i == 0 || e - sorted[i - 1] > 1 }.map(\.element)
        let count = max(Double(distinct.count), timeless)
        guard count >= level else { return nil }
        let episode = distinct.isEmpty ? Episode(mask: Array(repeating: true, count: c.timeline.count)) : eventEpisode(distinct, count: c.timeline.count, k: c.timeline.sustain)
        return Symptom(kind: .elections, member: nil, peak: count, level: level, episode: episode, events: distinct,
                       severity: c.strength(.leaderChanges, count))
    }

    /// Process restarts of one member (its start time changed).
    static func restarts(_ c: DiagnosisContext, _ i: Int) -> Symptom? {
        guard let level = c.catalog[DiagnosisMetric.processRestarts.rawValue]?.symptom?.level, let t = c.trace(.processRestarts, i) else { return nil }
        var events: [Int] = []
        var count: Double
        if t.timeless {
            count = c.summaries[DiagnosisMetric.processRestarts.rawValue]?.first { $0.instance == c.members[i].instance }?.stats.changes ?? 0
        } else {
            var previous: Double?
            for (j, v) in t.values.enumerated() where v.isFinite {
                if let p = previous, v != p { events.append(j) }
                previous = v
            }
            count = Double(events.count)
        }
        guard count >= level else { return nil }
        let episode = events.isEmpty ? Episode(mask: Array(repeating: true, count: c.timeline.count)) : eventEpisode(events, count: c.timeline.count, k: c.timeline.sustain)
        return Symptom(kind: .restarts, member: i, peak: count, level: level, episode: episode, events: events, severity: c.strength(.processRestarts, count))
    }
}
