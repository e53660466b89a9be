/// Leader elections, slow peers and a full or fragmented database.
extension RootCauseEngine {
    /// Leader changes (or no leader) that slow disk, CPU or network do not explain → consensus.
    static func consensusCauses(_ c: Context) -> [Candidate] {
        let changes = c.views.compactMap { $0["leader_changes"] }.max() ?? 0
        let noLeader = c.views.contains { ($0["has_leader"] ?? 1) < 0.9 }
        let failed = c.views.compactMap { $0["proposals_failed_rate"] }.max() ?? 0
        guard changes >= 1 || noLeader else { return [] }
        // Explanations by other subsystems: a member far above the fsync target, CPU starvation, slow peers.
        let veryslow = c.signals.contains { ($0.latencyExcess ?? 0) >= 5 }
        let starved = c.views.indices.contains { max(c.signals[$0].cpu ?? 0, c.stalls[$0].strength) >= 0.5 }
        let rttHigh = c.rtt.values.flatMap(\.values).contains { $0 >= c.levels.rttTarget }
        let hostNet = c.signals.contains { ($0.hostNetwork ?? 0) >= 0.5 }
        // Who lost leadership or went away: members leading at some point but not at the end, or scraped down.
        let paused = c.views.filter { ($0["member_up"] ?? 1) < 0.98 }.map(\.instance)
        let formerLeaders = (c.summaries["is_leader"] ?? []).filter { $0.stats.max >= 0.5 && $0.stats.last < 0.5 }.map(\.instance)
        let instances = !paused.isEmpty ? paused : (!formerLeaders.isEmpty ? formerLeaders : c.instances)
        var score = 0.45 + 0.45 * (Signals.norm(changes, 1, 4) ?? 0)
        if noLeader { score = max(score, 0.8) }
        var reasons = ["\(Int(changes)) leader change(s) in the window" + (noLeader ? ", and a member without a leader" : "") + "."]
        if veryslow || starved || rttHigh || hostNet {
            score -= 0.25
            reasons.append("Slow disk, CPU starvation or network trouble is also present and may have triggered the elections; see the other causes.")
        } else {
            reasons.append("WAL fsync, CPU and peer round-trips are healthy, so the elections come from the consensus layer itself: an election timeout too tight for the environment, or a member process pausing (stopped, frozen VM, long GC).")
        }
        var evidence = c.instances.compactMap { c.evidence("leader_changes", $0) }
        evidence += paused.compactMap { c.evidence("member_up", $0, note: "scrape failed during the window") }
        if failed > 0 { evidence += c.instances.compactMap { c.evidence("proposals_failed_rate", $0) } }
        return [Candidate(
            category: .consensus, instances: instances, score: score,
            summary: "Leader instability: \(Int(changes)) leader change(s) in the window" +
                (formerLeaders.isEmpty ? "" : "; leadership moved away from \(formerLeaders.joined(separator: ", "))") +
                (paused.isEmpty ? "" : "; \(paused.joined(separator: ", ")) stopped answering scrapes") + ".",
            evidence: evidence, reasons: reasons, completeness: 1,
            action: "Read the etcd logs around the elections (\"elected leader\", \"lost leader\", \"heartbeat\") and check whether a member paused.",
            fix: "Set --heartbeat-interval to about the measured peer RTT and --election-timeout ≥ 10× it (same on every member); keep etcd processes from being paused or starved.",
            steps: ["etcdctl endpoint status --cluster -w table", "journalctl -u etcd | grep -Ei 'elected leader|lost leader|heartbeat'"],
            related: ["leader_changes", "leader_changes_15m", "has_leader", "proposals_failed_rate", "member_up"])]
    }

    /// Slow peer round-trips around one member (or everywhere), or packet loss on a member's host.
    static func networkCauses(_ c: Context) -> [Candidate] {
        var out: [Candidate] = []
        // A stalled process answers its peers late (see `Stall`): pairs with a stalled end do not
        // show the network, so it is judged on the others; only when every slow pair has a stalled
        // end is the network kept, weakened, as the alternative explanation.
        let stalled = c.views.indices.filter(c.isStalled).map { c.views[$0].instance }
        let free = PeerPairs(c.pairs.pairs.filter { !stalled.contains($0.from) && !stalled.contains($0.to) })
        if free.pairs.contains(where: { $0.rtt >= c.levels.rttTarget }) {
            out.append(slowPeers(c, free, among: c.instances.filter { !stalled.contains($0) }, stalled: []))
        } else if c.pairs.pairs.contains(where: { $0.rtt >= c.levels.rttTarget }) {
            out.append(slowPeers(c, c.pairs, among: c.instances, stalled: stalled))
        }
        // Packet loss on a member's host with an etcd-side symptom (failures, slow read index, elections).
        let symptom = c.views.contains { ($0["peer_sent_failures_rate"] ?? 0) > 0 || ($0["slow_read_indexes_rate"] ?? 0) > 0 || ($0["heartbeat_send_failures_rate"] ?? 0) > 0 || ($0["leader_changes"] ?? 0) >= 1 }
        if symptom {
            for (i, sig) in c.signals.enumerated() where (sig.hostNetwork ?? 0) >= 0.3 {
                let view = c.views[i]
                out.append(Candidate(
                    category: .network, instances: [view.instance], score: 0.4 + 0.5 * (sig.hostNetwork ?? 0),
                    summary: "Packet loss on \(view.host ?? view.instance): TCP retransmits \(c.format("tcp_retransmit_ratio", view["tcp_retransmit_ratio"])), NIC drops \(c.format("nic_drop_ratio", view["nic_drop_ratio"])), with etcd peer trouble.",
                    evidence: c.evidence(member: view, etcd: ["peer_sent_failures_rate", "heartbeat_send_failures_rate", "slow_read_indexes_rate"], host: ["tcp_retransmit_ratio", "nic_drop_ratio", "nic_error_ratio"]),
                    reasons: ["Loss forces retransmissions that delay heartbeats and replication."], completeness: 1,
                    action: "Check NIC counters and the path from \(view.host ?? view.instance).", fix: "Fix the lossy link or NIC.",
                    steps: ["ethtool -S <device>", "nstat -az"], related: ["tcp_retransmit_ratio", "nic_drop_ratio", "peer_sent_failures_rate"]))
            }
        }
        return out
    }

    /// The network cause for `pairs`: around the one member whose pairs are slower, between the
    /// suspects, or between all of `members`. `stalled`: members whose stall may explain the pairs.
    static func slowPeers(_ c: Context, _ pairs: PeerPairs, among members: [String], stalled: [String]) -> Candidate {
        let elevated = pairs.pairs.filter { $0.rtt >= c.levels.rttTarget }
        let suspects = pairs.suspects(among: members, target: c.levels.rttTarget)
        // One slow link (A↔B) makes both ends suspects: then blame the pair, not whichever sorts first.
        let culprit = suspects.count == 1 ? suspects.first : nil
        let blamed = culprit.map { [$0] } ?? (suspects.isEmpty ? members : suspects)
        let worst = elevated.map(\.rtt).max() ?? 0
        var score = 0.5 + 0.4 * (Signals.norm(worst, c.levels.rttTarget, c.levels.rttHigh) ?? 0)
        if !stalled.isEmpty { score -= 0.35 }
        let target = c.format("peer_rtt_p99", c.levels.rttTarget)
        let text = elevated.sorted { $0.rtt > $1.rtt }.prefix(4).map { "\($0.from)→\($0.to) \(c.format("peer_rtt_p99", $0.rtt))" }.joined(separator: ", ")
        let summary = culprit.map { "Slow network around \($0): peer round-trip p99 \(text) (target \(target)), while pairs not involving it stay lower." }
            ?? (blamed.count == c.instances.count
                ? "Slow network between all members: peer round-trip p99 \(text) (target \(target))."
                : "Slow network between \(blamed.joined(separator: " and ")): peer round-trip p99 \(text) (target \(target)).")
        var reason = "Raft heartbeats and proposals cross these links; round-trips near the heartbeat interval (100 ms default) cause missed heartbeats and elections."
        if !stalled.isEmpty {
            reason += " Every slow pair involves \(stalled.joined(separator: ", ")), whose process is stalled (see the cpu cause): a process that gets no CPU answers its peers late, so CPU may be the real cause."
        }
        return Candidate(
            category: .network, instances: blamed, score: score, summary: summary,
            evidence: c.peerEvidence { from, to in elevated.contains { $0.from == from && $0.to == to } }
                + blamed.flatMap { m in c.hostsOf([m]).compactMap { c.evidence("tcp_retransmit_ratio", $0) } },
            reasons: [reason], completeness: 1,
            action: "Measure the path between the members (mtr, ping) and look for drops and retransmits on both ends.",
            fix: "Keep members in one low-latency network; prioritise peer traffic (tc on port 2380); tune heartbeat/election timeouts to the measured RTT.",
            steps: ["mtr -rwc 50 <peer>", "ss -ti dst <peer>", "nstat -az | grep -i retrans"],
            related: ["peer_rtt_p99", "tcp_retransmit_ratio", "nic_drop_ratio", "peer_sent_failures_rate", "heartbeat_send_failures_rate"])
    }

    /// DB near its quota, or mostly free pages.
    static func databaseCauses(_ c: Context) -> [Candidate] {
        var out: [Candidate] = []
        let quota = c.views.compactMap { v in v["db_quota_usage"].map { (v.instance, $0) } }.filter { $0.1 >= c.levels.quotaWarning }
        if !quota.isEmpty {
            let worst = quota.map(\.1).max() ?? 0
            out.append(Candidate(
                category: .database, instances: quota.map(\.0), score: 0.7 + 0.25 * (Signals.norm(worst, c.levels.quotaWarning, c.levels.quotaCritical) ?? 0),
                summary: "The database is at \(c.format("db_quota_usage", worst)) of its quota; at 100 % etcd raises NOSPACE and refuses writes.",
                evidence: quota.compactMap { c.evidence("db_quota_usage", $0.0) } + quota.compactMap { c.evidence("db_total_size", $0.0) },
                reasons: ["Quota usage at or above \(c.format("db_quota_usage", c.levels.quotaWarning))."], completeness: 1,
                action: "Compact to the current revision, defragment one member at a time, then check alarms (etcdctl alarm list).",
                fix: "Enable auto-compaction, find what grows the keyspace, raise --quota-backend-bytes (≤ 8 GiB) only with memory to back it.",
                steps: ["etcdctl endpoint status --cluster -w table", "etcdctl alarm list"],
                related: ["db_quota_usage", "db_total_size", "db_in_use_size"]))
        }
        let fragmented = c.views.compactMap { v in v["db_in_use_ratio"].map { (v.instance, $0) } }.filter { $0.1 <= c.levels.fragmentation }
        if !fragmented.isEmpty {
            let worst = fragmented.map(\.1).min() ?? 1
            out.append(Candidate(
                category: .database, instances: fragmented.map(\.0), score: 0.45 + 0.3 * (1 - worst),
                summary: "The database file is mostly free pages: only \(c.format("db_in_use_ratio", worst)) of it is in use; the file will not shrink until defragmented.",
                evidence: fragmented.compactMap { c.evidence("db_in_use_ratio", $0.0) } + fragmented.compactMap { c.evidence("db_total_size", $0.0) } + fragmented.compactMap { c.evidence("db_in_use_size", $0.0) },
                reasons: ["In-use / total at or below \(c.format("db_in_use_ratio", c.levels.fragmentation)) with more than 100 MiB in use (etcd-mixin etcdDatabaseHighFragmentationRatio)."],
                completeness: 1,
                action: "Defragment one member at a time off-peak (etcdctl defrag --endpoints=ONE --command-timeout=120s).",
                fix: "Schedule compaction and defragmentation.", steps: ["etcdctl endpoint status --cluster -w table"],
                related: ["db_in_use_ratio", "db_total_size", "db_in_use_size"]))
        }
        return out
    }
}
