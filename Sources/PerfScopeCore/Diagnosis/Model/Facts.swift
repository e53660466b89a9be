/// What every rule may ask about the window besides a single symptom: the other symptoms,
/// who led when, which symptoms every member shares.
struct Facts: Sendable {
    let symptoms: [Symptom]
    /// Leader (member index) per point, nil where unknown.
    let leaders: [Int?]
    /// Ids of the symptoms every member shares alike.
    private let alikeIDs: Set<Int>
    private let memo = Memo()

    /// Results the rules ask for again and again (the peer pairs over one episode).
    final class Memo: @unchecked Sendable {
        var pairs: [[Bool]: NetworkRule.Pairs] = [:]
    }

    init(_ symptoms: [Symptom], _ c: DiagnosisContext) {
        self.symptoms = symptoms
        var leaders = [Int?](repeating: nil, count: c.timeline.count)
        for i in c.members.indices {
            guard let t = c.trace(.isLeader, i) else { continue }
            for (j, v) in t.values.enumerated() where v.isFinite && v >= 0.5 { leaders[j] = i }
        }
        // Carry the last known leader over short gaps (a scrape missed during an election).
        var last: Int?
        for j in leaders.indices { if let l = leaders[j] { last = l } else { leaders[j] = last } }
        self.leaders = leaders
        alikeIDs = Set(symptoms.filter { Self.computeAlike($0, symptoms, c) }.map(\.id))
    }

    /// Peer pairs over `episode`, computed once per episode (every rule and every member asks).
    func pairs(over episode: Episode, _ c: DiagnosisContext) -> NetworkRule.Pairs {
        if let p = memo.pairs[episode.mask] { return p }
        let p = NetworkRule.suspects(over: episode, c)
        memo.pairs[episode.mask] = p
        return p
    }

    /// The leader just before point `i`.
    func leader(before i: Int) -> Int? {
        guard !leaders.isEmpty else { return nil }
        return leaders[max(0, min(leaders.count - 1, i - 1))]
    }

    /// Every member shows this symptom at about the same time and about as badly (within 3×): a
    /// shared cause (storage, workload, network between all) is the parsimonious one.
    func alike(_ s: Symptom, _ c: DiagnosisContext) -> Bool { alikeIDs.contains(s.id) }

    static func computeAlike(_ s: Symptom, _ symptoms: [Symptom], _ c: DiagnosisContext) -> Bool {
        guard c.members.count > 1, s.peer == nil, s.member != nil else { return false }
        // At the same time: overlapping within a stretch (not within a rate range: maintenance
        // that visits one member after another is not "every member at once").
        let slack = c.timeline.sustain
        let wide = s.episode.dilated(slack)
        let same = symptoms.filter { $0.kind == s.kind && $0.member != nil && $0.peer == nil && $0.episode.dilated(slack).overlaps(wide) }
        let who = Set(same.compactMap(\.member))
        guard who.count == c.members.count else { return false }
        let peaks = same.map(\.peak).filter { $0 > 0 }
        guard let lo = peaks.min(), let hi = peaks.max() else { return false }
        return hi / lo <= 3
    }

    /// The symptom is on one member only, but a write-path symptom every member shares overlaps
    /// it: part of the same cluster-wide situation (the leader's backlog under a shared slow disk).
    func withinClusterWide(_ s: Symptom, _ c: DiagnosisContext) -> Bool {
        guard s.kind.writePath, s.peer == nil else { return false }
        let slack = c.timeline.sustain + c.ratePoints
        return symptoms.contains { o in o.kind.local && o.member != nil && o.episode.dilated(slack).overlaps(s.episode) && alike(o, c) }
    }

    /// Members on `s`'s host that a host-wide shortage cannot have slowed as it slowed `s`'s
    /// member: without latency symptoms then, or less than half as slow on the same metric. The
    /// host explains only the share they all see; a member far slower than the one beside it has
    /// something of its own, its disk or its process (the CI lab: one member's slow disk while a
    /// busy host nudged the others' fsync just over its level was called CPU on every member).
    func lessSlowNeighbours(of m: Int, _ s: Symptom, _ c: DiagnosisContext) -> [Int] {
        let slack = c.timeline.sustain + c.ratePoints
        return c.neighbours(of: m).filter { n in
            if latency(on: n, overlapping: s.episode, slack: slack).isEmpty { return true }
            guard s.kind.latency, let beside = c.read(s.kind.metric, n, over: s.episode)?.value, beside.isFinite else { return false }
            return beside < s.peak / 2
        }
    }

    /// Latency symptoms (any kind) on `member` overlapping `episode`.
    func latency(on member: Int, overlapping episode: Episode, slack: Int) -> [Symptom] {
        let wide = episode.dilated(slack)
        return symptoms.filter { $0.member == member && $0.peer == nil && $0.kind.latency && $0.episode.overlaps(wide) }
    }
}
