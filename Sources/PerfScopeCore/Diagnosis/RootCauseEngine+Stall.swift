/// A member process slow at everything it does, and the peer round-trips the stall explains.
extension RootCauseEngine {
    /// How strongly one member's etcd process looks stalled — not getting CPU (a CFS quota, a
    /// starved container, a descheduled VM) — and what shows it.
    ///
    /// Why not just GC pauses: a throttled Go process stretches a stop-the-world pause only when
    /// the throttle lands inside it, so a few minutes can pass with short pauses. A stalled
    /// process is also late with everything else it answers — its peers' round-trip probes and
    /// Prometheus's scrapes — while its disk and network devices look fine. A slow disk delays
    /// only fsync; a slow network delays only what crosses it. Slow at its own fsync *and* at
    /// answering others, with no device to blame, leaves the process itself.
    struct Stall {
        /// 0 … 1, like `Signals`.
        var strength: Double = 0
        /// One clause per kind of evidence, for the cause's summary.
        var clues: [String] = []
        /// Catalog metrics behind the clues (for the cause's evidence).
        var metrics: [String] = []
    }

    /// Peer round-trips as instance pairs (the `To` label is a member ID).
    struct PeerPairs {
        struct Pair {
            let from: String
            let to: String
            let rtt: Double
        }

        let pairs: [Pair]

        /// `instanceOf`: member ID → instance.
        init(rtt: [String: [String: Double]], instanceOf: [String: String]) {
            pairs = rtt.flatMap { from, peers in peers.map { Pair(from: from, to: instanceOf[$0.key] ?? $0.key, rtt: $0.value) } }
                .sorted { ($0.from, $0.to) < ($1.from, $1.to) }
        }

        init(_ pairs: [Pair]) { self.pairs = pairs }

        func involving(_ member: String) -> [Pair] { pairs.filter { $0.from == member || $0.to == member } }

        func notInvolving(_ member: String) -> [Pair] { pairs.filter { $0.from != member && $0.to != member } }

        /// Members whose pairs are clearly slower (median ≥ `target` and ≥ 2×) than the pairs not
        /// involving them.
        func suspects(among instances: [String], target: Double) -> [String] {
            instances.filter { m in
                guard let mine = median(involving(m).map(\.rtt)), mine >= target else { return false }
                guard let others = median(notInvolving(m).map(\.rtt)) else { return true }
                return mine >= 2 * others
            }
        }
    }

    /// One `Stall` per view.
    static func stalls(views: [MemberView], signals: [Signals], pairs: PeerPairs, levels: Levels,
                       format: (String, Double?) -> String) -> [Stall] {
        let suspects = Set(pairs.suspects(among: views.map(\.instance), target: levels.rttTarget))
        return views.indices.map { i in
            let view = views[i], sig = signals[i]
            var parts: [(strength: Double, clue: String, metrics: [String])] = []
            if let gc = sig.starvation, gc > 0 {
                let mean = view["gc_pause_avg"].map { "GC pauses average \(format("gc_pause_avg", $0)) in the window" }
                let longest = sig.longestCounts ? view["gc_pause_max"].map { "the longest recent GC pause is \(format("gc_pause_max", $0))" } : nil
                parts.append((gc, [mean, longest].compactMap { $0 }.joined(separator: " and "), ["gc_pause_avg", "gc_pause_max"]))
            }
            // Late answers to others count only beside its own slow fsync, with no device to blame:
            // missed scrapes and slow round-trips alone are a network matter.
            let ownSlow = (sig.latencyExcess ?? 0) >= symptomMargin
            if ownSlow, (sig.disk ?? 0) < 0.3, (sig.hostNetwork ?? 0) < 0.3 {
                let others = views.indices.filter { $0 != i }
                if let up = view["member_up"], !others.isEmpty, others.allSatisfy({ (views[$0]["member_up"] ?? 0) >= 0.99 }),
                   let missed = Signals.norm(1 - up, 0.05, 0.25), missed > 0 {
                    parts.append((missed, "it answered only \(format("member_up", up)) of Prometheus's scrapes while its peers answered all", ["member_up"]))
                }
                if suspects.contains(view.instance), let mine = median(pairs.involving(view.instance).map(\.rtt)) {
                    let rest = median(pairs.notInvolving(view.instance).map(\.rtt))
                    parts.append((0.5, "peer round-trips to and from it reach \(format("peer_rtt_p99", mine))" + (rest.map { " while the other pairs take \(format("peer_rtt_p99", $0))" } ?? ""), ["peer_rtt_p99"]))
                }
            }
            let strong = parts.filter { $0.strength >= 0.3 }.count
            let best = parts.map(\.strength).max() ?? 0
            return Stall(strength: min(1, best + 0.15 * Double(max(0, strong - 1))),
                         clues: parts.filter { $0.strength >= 0.2 }.sorted { $0.strength > $1.strength }.map(\.clue),
                         metrics: parts.flatMap(\.metrics))
        }
    }
}
