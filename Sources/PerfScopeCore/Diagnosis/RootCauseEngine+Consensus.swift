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
        let starved = c.signals.contains { max($0.cpu ?? 0, $0.starvation ?? 0) >= 0.5 }
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
        let idToInstance = Dictionary(c.views.compactMap { v in v.memberID.map { ($0, v.instance) } }, uniquingKeysWith: { a, _ in a })
        var involving: [String: [Double]] = [:]
        var pairs: [(from: String, to: String, rtt: Double)] = []
        for (from, peers) in c.rtt {
            for (toID, value) in peers {
                let to = idToInstance[toID] ?? toID
                pairs.append((from, to, value))
                involving[from, default: []].append(value)
                involving[to, default: []].append(value)
            }
        }
        let elevated = pairs.filter { $0.rtt >= c.levels.rttTarget }
        if !elevated.isEmpty {
            // The member whose pairs are clearly slower (median ≥ 2×) than the pairs not involving it.
            let suspects = c.instances.filter { m in
                let mine = pairs.filter { $0.from == m || $0.to == m }.map(\.rtt)
                let others = pairs.filter { $0.from != m && $0.to != m }.map(\.rtt)
                guard let a = median(mine), a >= c.levels.rttTarget else { return false }
                guard let b = median(others) else { return true }
                return a >= 2 * b
            }
            // One slow link (A↔B) makes both ends suspects: then blame the pair, not whichever sorts first.
            let culprit = suspects.count == 1 ? suspects.first : nil
            let members = culprit.map { [$0] } ?? (suspects.isEmpty ? c.instances : suspects)
            let starvedCulprit = culprit.flatMap { m in c.views.firstIndex { $0.instance == m } }.map { (c.signals[$0].starvation ?? 0) >= 0.5 } ?? false
            let worst = elevated.map(\.rtt).max() ?? 0
            var score = 0.5 + 0.4 * (Signals.norm(worst, c.levels.rttTarget, c.levels.rttHigh) ?? 0)
            if starvedCulprit { score -= 0.35 }
            let text = elevated.sorted { $0.rtt > $1.rtt }.prefix(4).map { "\($0.from)→\($0.to) \(c.format("peer_rtt_p99", $0.rtt))" }.joined(separator: ", ")
            out.append(Candidate(
                category: .network, instances: members, score: score,
                summary: culprit.map { "Slow network around \($0): peer round-trip p99 \(text) (target \(c.format("peer_rtt_p99", c.levels.rttTarget))), while pairs not involving it stay lower." }
                    ?? "Slow network between all members: peer round-trip p99 \(text) (target \(c.format("peer_rtt_p99", c.levels.rttTarget))).",
                evidence: (c.summaries["peer_rtt_p99"] ?? []).filter { $0.stats.avg >= c.levels.rttTarget }.sorted { $0.stats.avg > $1.stats.avg }.compactMap { s in
                    c.evidence(s, note: "to \(idToInstance[s.labels["To"] ?? ""] ?? s.labels["To"] ?? "?")")
                } + members.flatMap { m in c.hostsOf([m]).compactMap { c.evidence("tcp_retransmit_ratio", $0) } },
                reasons: ["Raft heartbeats and proposals cross these links; round-trips near the heartbeat interval (100 ms default) cause missed heartbeats and elections." + (starvedCulprit ? " The member is also starved of CPU, which slows its answers: CPU may be the real cause." : "")],
                completeness: 1,
                action: "Measure the path between the members (mtr, ping) and look for drops and retransmits on both ends.",
                fix: "Keep members in one low-latency network; prioritise peer traffic (tc on port 2380); tune heartbeat/election timeouts to the measured RTT.",
                steps: ["mtr -rwc 50 <peer>", "ss -ti dst <peer>", "nstat -az | grep -i retrans"],
                related: ["peer_rtt_p99", "tcp_retransmit_ratio", "nic_drop_ratio", "peer_sent_failures_rate", "heartbeat_send_failures_rate"]))
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
