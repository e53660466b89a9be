/// Slow or lossy network around one member, between two, or between all of them: peer
/// round-trips that are slower than the other pairs, TCP retransmits and NIC drops on the
/// member's host, send failures. Raft heartbeats and proposals cross these links.
struct NetworkRule: CauseRule {
    let category = Category.network
    static let hostSignals: [DiagnosisMetric] = [.tcpRetransmits, .nicDrops, .nicErrors]
    static let names: [DiagnosisMetric: String] = [.tcpRetransmits: "TCP retransmits", .nicDrops: "NIC drops", .nicErrors: "NIC errors"]

    /// Peer round-trips over an episode and the members whose pairs are clearly slower (median at
    /// or above the symptom level and at least twice the pairs not involving them).
    struct Pairs {
        var values: [(from: Int, to: Int, rtt: Double)] = []
        /// Pairs whose sends failed (sustained rate at or above the failures' symptom level).
        var failing: [(from: Int, to: Int, rate: Double)] = []
        var suspects: [Int] = []
        /// The one member every failing pair involves (an isolated member), when there is one.
        var unreachable: Int?
        var median: [Int: Double] = [:]
        var restMedian: [Int: Double] = [:]
        var level = 0.0
        /// Every pair at or above the level.
        var allSlow: Bool { !values.isEmpty && values.allSatisfy { $0.rtt >= level } }
    }

    static func suspects(over episode: Episode, _ c: DiagnosisContext) -> Pairs {
        var p = Pairs()
        p.level = c.catalog[DiagnosisMetric.peerRTT.rawValue]?.symptom?.level ?? c.scales[DiagnosisMetric.peerRTT.rawValue]?.floor ?? 0
        for (from, to) in c.pairKeys {
            if let r = c.readPair(from, to, over: episode) { p.values.append((from, to, r.value)) }
        }
        let failureLevel = c.catalog[DiagnosisMetric.peerFailures.rawValue]?.symptom?.level ?? 0
        for (from, to) in c.pairKeys {
            if let t = c.failures(from, to), let r = c.read(t, .peerFailures, over: episode), r.value >= failureLevel, r.value > 0 {
                p.failing.append((from, to, r.value))
            }
        }
        if p.failing.count >= 2 {
            p.unreachable = c.members.indices.first { m in p.failing.allSatisfy { $0.from == m || $0.to == m } }
        }
        for m in c.members.indices {
            let mine = p.values.filter { $0.from == m || $0.to == m }.map(\.rtt)
            let rest = p.values.filter { $0.from != m && $0.to != m }.map(\.rtt)
            guard !mine.isEmpty else { continue }
            let x = PerfScopeCore.median(mine)
            p.median[m] = x
            let r = rest.isEmpty ? nil : PerfScopeCore.median(rest)
            p.restMedian[m] = r
            if x >= p.level, r.map({ x >= 2 * $0 }) ?? true { p.suspects.append(m) }
        }
        return p
    }

    func explain(_ s: Symptom, _ c: DiagnosisContext, _ facts: Facts) -> [Explanation] {
        switch s.kind {
        case .peerLatency, .peerFailures, .slowReadIndexes, .heartbeatFailures, .elections, .proposalsFailed, .noLeader:
            let pairs = facts.pairs(over: s.episode, c)
            let slowPairs = pairs.values.filter { $0.rtt >= pairs.level }
            // Only round-trips, failed sends or the host's own loss make this a network matter.
            var culprits: [Int]
            var scope = Explanation.Scope.member
            if let cut = pairs.unreachable {
                culprits = [cut]
            } else if pairs.allSlow, c.members.count >= 3 {
                culprits = Array(c.members.indices); scope = .cluster("network")
            } else if !pairs.suspects.isEmpty, pairs.suspects.count < c.members.count {
                culprits = pairs.suspects.count == 1 ? pairs.suspects : pairs.suspects.filter { $0 == s.member || $0 == s.peer }
                if culprits.isEmpty { culprits = pairs.suspects }
            } else if s.kind == .peerLatency, let m = s.member, let p = s.peer {
                culprits = [m, p]
            } else if let m = s.member {
                culprits = [m]
            } else {
                culprits = []
            }
            let host = culprits.map { SignalSet(Self.hostSignals, $0, over: s.episode, c) }
            let loss = host.map(\.best).max() ?? 0
            let rtt = slowPairs.map { c.strength(.peerRTT, $0.rtt) }.max() ?? 0
            let failed = pairs.unreachable == nil ? 0 : (pairs.failing.map { c.strength(.peerFailures, $0.rate) }.max() ?? 0)
            let evidenceStrength = max(rtt, loss, failed, slowPairs.isEmpty ? 0 : 0.35)
            let isPrior = evidenceStrength < 0.2
            // Without slow round-trips or loss, only the network's own symptoms default to it.
            guard !isPrior || [.peerLatency, .peerFailures, .slowReadIndexes].contains(s.kind), !culprits.isEmpty else { return [] }
            var clues: [String] = []
            if !slowPairs.isEmpty {
                let text = slowPairs.sorted { $0.rtt > $1.rtt }.prefix(4).map { "\(c.members[$0.from].instance)→\(c.members[$0.to].instance) \(c.format(.peerRTT, $0.rtt))" }
                clues.append("peer round-trip p99 \(text.joined(separator: ", "))" + (scope == .member && culprits.count == 1 ? (pairs.restMedian[culprits[0]].flatMap { $0 }.map { " while pairs not involving it take \(c.format(.peerRTT, $0))" } ?? "") : ""))
            }
            if let cut = pairs.unreachable {
                clues.append("every failed peer send involves \(c.members[cut].instance) (\(pairs.failing.count) pairs, up to \(c.format(.peerFailures, pairs.failing.map(\.rate).max())))")
            }
            for (i, h) in host.enumerated() where h.best >= 0.2 {
                clues.append("\(c.members[culprits[i]].host ?? c.members[culprits[i]].instance): \(h.describe(c, names: Self.names))")
            }
            var evidence = slowPairs.compactMap { p in c.evidence(.peerRTT, p.from, value: p.rtt, note: "to \(c.members[p.to].instance)") }
            for (i, h) in host.enumerated() { evidence += h.evidence(culprits[i], c) }
            let strength = (isPrior ? 0.45 : 0.5) + 0.4 * evidenceStrength
            return [Explanation(category: .network, culprits: culprits, scope: scope, strength: strength, prior: isPrior, clues: clues,
                                evidence: evidence, completeness: pairs.values.isEmpty ? 0.5 : 1,
                                marks: failed > max(rtt, loss) ? [.failures] : [])]
        case .writeLatency, .readLatency, .requestLatency, .proposalBacklog, .slowApplies:
            return [throughLeader(s, c, facts)].compactMap { $0 }
        default:
            return []
        }
    }

    /// Writes wait for a quorum and linearizable reads for the leader's read index: when the
    /// leader's links are the slow ones (or every link is), client latency on every member is
    /// the network's.
    func throughLeader(_ s: Symptom, _ c: DiagnosisContext, _ facts: Facts) -> Explanation? {
        guard let first = s.episode.first else { return nil }
        let pairs = facts.pairs(over: s.episode, c)
        let slow = pairs.values.filter { $0.rtt >= pairs.level }
        guard !slow.isEmpty else { return nil }
        let leader = facts.leader(before: first + 1)
        let culprits: [Int]
        let scope: Explanation.Scope
        if pairs.allSlow, c.members.count >= 3 {
            culprits = Array(c.members.indices); scope = .cluster("network")
        } else if let leader, pairs.suspects.contains(leader) {
            culprits = [leader]; scope = .member
        } else {
            return nil
        }
        let rtt = slow.map { c.strength(.peerRTT, $0.rtt) }.max() ?? 0
        let text = slow.sorted { $0.rtt > $1.rtt }.prefix(3).map { "\(c.members[$0.from].instance)→\(c.members[$0.to].instance) \(c.format(.peerRTT, $0.rtt))" }
        let clue = scope == .member
            ? "the leader \(c.members[culprits[0]].instance)'s peer round-trips are slow (\(text.joined(separator: ", "))): every write waits for a quorum across them"
            : "peer round-trip p99 \(text.joined(separator: ", ")): every write waits for a quorum across them"
        return Explanation(category: .network, culprits: culprits, scope: scope, strength: 0.5 + 0.4 * rtt, prior: false, clues: [clue],
                           evidence: slow.compactMap { p in c.evidence(.peerRTT, p.from, value: p.rtt, note: "to \(c.members[p.to].instance)") }, completeness: 1)
    }

    func advice(_ cause: Cause, _ c: DiagnosisContext) -> Advice {
        Advice(
            action: "Measure the path between the members (mtr, ping) and look for drops and retransmits on both ends.",
            fix: "Keep members in one low-latency network; prioritise peer traffic (port 2380); set --heartbeat-interval to about the measured round-trip and --election-timeout ≥ 10× it.",
            steps: ["mtr -rwc 50 <peer>", "ss -ti dst <peer>", "nstat -az | grep -i retrans", "ethtool -S <device>"],
            related: [.peerRTT, .tcpRetransmits, .nicDrops, .peerFailures, .heartbeatFailures, .slowReadIndexes],
            reference: "etcd docs: tuning (heartbeat, election timeout); Systems Performance 2nd ed., ch. 10")
    }
}
