import Foundation

/// Turns each member's state into the series etcd exports (names, types and bucket layouts of
/// etcd 3.4/3.5 as scraped), with counters that start from a process-lifetime base.
struct EtcdSeries {
    let deployment: Deployment
    let variant: Variant
    private var committed: [Double]
    private var failuresSeen = Set<String>()
    /// The defrag histogram is written only where a defrag happens (it is all zeros elsewhere).
    var hasDefrag = false

    init(_ d: Deployment, _ v: Variant, rng: inout SplitMix64) {
        deployment = d
        variant = v
        committed = d.members.map { _ in 200_000 + 5_000_000 * rng.uniform() }
    }

    static let unary: [(service: String, method: String)] = [
        ("etcdserverpb.KV", "Range"), ("etcdserverpb.KV", "Txn"), ("etcdserverpb.KV", "Put"), ("etcdserverpb.KV", "DeleteRange"),
        ("etcdserverpb.KV", "Compact"), ("etcdserverpb.Lease", "LeaseGrant"), ("etcdserverpb.Maintenance", "Status"),
    ]
    static let streams: [(service: String, method: String, open: Double)] = [
        ("etcdserverpb.Watch", "Watch", 60), ("etcdserverpb.Lease", "LeaseKeepAlive", 20),
    ]
    /// Real etcd pre-initialises every gRPC code for every method (~700 series per member); the
    /// codes no scenario produces are left out to keep the files small.
    static let codes = ["OK", "Canceled", "Unavailable"]

    mutating func emit(_ store: SeriesStore, _ states: [MemberState], dt: Double, first: Bool, rng: inout SplitMix64) {
        let n = Double(variant.members)
        for (i, m) in deployment.members.enumerated() {
            let s = states[i]
            let L = m.labels
            store.gauge("up", L, s.up ? 1 : 0, help: "1 if the target was scraped.")
            // A process that is down is not scraped: none of its series has a sample this step.
            guard s.up else { continue }
            // A restarted process starts its counters, histograms and summaries from zero.
            if s.restarted { store.resetCumulative(labelPrefix: SeriesStore.render(L)) }
            let fresh = first || s.restarted
            store.gauge("process_start_time_seconds", L, Double(store.windowStart) + s.startTime, help: "Start time of the process since unix epoch in seconds.")
            store.gauge("etcd_server_has_leader", L, s.hasLeader ? 1 : 0, help: "Whether or not a leader exists. 1 is existence, 0 is not.")
            store.gauge("etcd_server_is_leader", L, s.isLeader ? 1 : 0, help: "Whether or not this member is a leader. 1 if is, 0 otherwise.")
            store.gauge("etcd_server_id", L + [("server_id", m.id)], 1, help: "Server or member ID in hexadecimal format.")
            store.gauge("etcd_server_version", L + [("server_version", variant.etcdVersion)], 1, help: "Which version is running.")
            store.gauge("etcd_cluster_version", L + [("cluster_version", String(variant.etcdVersion.prefix(3)))], 1, help: "Which version is running.")
            store.gauge("etcd_server_quota_backend_bytes", L, variant.quotaBytes, help: "Current backend storage quota size in bytes.")
            store.counter("etcd_server_leader_changes_seen", L, add: (fresh ? 1 + (first ? Double(m.index) : 0) : 0) + s.leaderChanges, help: "The number of leader changes seen.")
            committed[i] += s.writes * dt
            store.gauge("etcd_server_proposals_committed_total", L, committed[i].rounded(), help: "The total number of consensus proposals committed.")
            store.gauge("etcd_server_proposals_applied_total", L, (committed[i] - s.applyLag).rounded(), help: "The total number of consensus proposals applied.")
            store.gauge("etcd_server_proposals_pending", L, s.pending, help: "The current number of pending proposals to commit.")
            store.counter("etcd_server_proposals_failed", L, add: s.failedProposals, help: "The total number of failed proposals seen.")
            store.counter("etcd_server_slow_apply", L, add: rng.count(s.slowApplies * dt), help: "The total number of slow apply requests (likely overloaded from slow disk).")
            store.counter("etcd_server_slow_read_indexes", L, add: rng.count(s.slowReadIndexes * dt), help: "The total number of pending read indexes not in sync with leader's or timed out read index requests.")
            store.counter("etcd_server_heartbeat_send_failures", L, add: rng.count(s.heartbeatFailures * dt), help: "The total number of leader heartbeat send failures (likely overloaded from slow disk).")

            store.gauge("etcd_mvcc_db_total_size_in_bytes", L, s.dbTotal.rounded(), help: "Total size of the underlying database physically allocated in bytes.")
            store.gauge("etcd_mvcc_db_total_size_in_use_in_bytes", L, s.dbInUse.rounded(), help: "Total size of the underlying database logically in use in bytes.")
            if variant.etcdVersion.hasPrefix("3.4") {
                store.gauge("etcd_debugging_mvcc_db_total_size_in_bytes", L, s.dbTotal.rounded(), help: "Total size of the underlying database physically allocated in bytes.")
            }
            store.gauge("etcd_debugging_mvcc_keys_total", L, s.keys.rounded(), help: "Total number of keys.")
            store.counter("etcd_debugging_mvcc_put", L, add: rng.round((first ? 1e5 : 0) + s.writes * 0.8 * dt), help: "Total number of puts seen by this member.")
            store.counter("etcd_debugging_mvcc_delete", L, add: rng.round((first ? 1e3 : 0) + s.writes * 0.03 * dt), help: "Total number of deletes seen by this member.")
            store.counter("etcd_mvcc_range", L, add: rng.round((first ? 1e6 : 0) + s.reads / n * dt), help: "Total number of ranges seen by this member.")
            store.counter("etcd_mvcc_put", L, add: rng.round((first ? 1e5 : 0) + s.writes * 0.4 * dt), help: "Total number of puts seen by this member.")
            store.counter("etcd_mvcc_txn", L, add: rng.round((first ? 1e5 : 0) + s.writes * 0.6 * dt), help: "Total number of txns seen by this member.")
            store.counter("etcd_disk_wal_write_bytes", L, add: (first ? 5e8 : 0) + s.writes * (s.writeBytes + 60) * dt * rng.jitter(0.03), help: "Total number of bytes written in WAL.")
            store.gauge("etcd_disk_defrag_inflight", L, s.defragging ? 1 : 0, help: "Whether or not defrag is active on the member. 1 means active, 0 means not.")
            if hasDefrag {
                store.histogram("etcd_disk_backend_defrag_duration_seconds", L, bounds: Buckets.defrag, latency: Latency(median: s.defragDone ?? 1, sigma: 0.01),
                                expected: s.defragDone == nil ? 0 : 1, rng: &rng, help: "The latency distribution of backend defragmentation.")
            }
            // The API server compacts every 5 minutes: each member pauses its backend for a few
            // milliseconds per batch of keys, longer when its commits are slow (a slow disk or a
            // starved process stretches it too: the lab's slow disk and CPU quota gave 100–300 ms).
            let compacting = Double((store.now - store.windowStart + 100_000) % 300) < dt
            let pause = (2 + 1.5 * s.commit.parts[0].median * 1000) * (1 + s.keys / 1_000_000)
            store.histogram("etcd_debugging_mvcc_db_compaction_pause_duration_milliseconds", L, bounds: Buckets.compactionPause,
                            latency: Latency(median: pause, sigma: 0.3), expected: compacting ? 3 : 0, rng: &rng, help: "Bucketed histogram of db compaction pause duration.")
            store.histogram("etcd_debugging_mvcc_db_compaction_total_duration_milliseconds", L, bounds: Buckets.compactionTotal,
                            latency: Latency(median: pause * 8, sigma: 0.3), expected: compacting ? 1 : 0, rng: &rng, help: "Bucketed histogram of db compaction total duration.")
            store.counter("process_cpu_seconds", L, add: (first ? 3000 : 0) + s.processCPU * dt, help: "Total user and system CPU time spent in seconds.")
            store.gauge("process_resident_memory_bytes", L, s.rss * rng.jitter(0.01), help: "Resident memory size in bytes.")

            store.histogram("etcd_disk_wal_fsync_duration_seconds", L, bounds: Buckets.disk, latency: s.fsync, expected: s.fsyncRate * dt + (first ? 50_000 : 0),
                            rng: &rng, help: "The latency distributions of fsync called by WAL.")
            store.histogram("etcd_disk_backend_commit_duration_seconds", L, bounds: Buckets.disk, latency: s.commit, expected: s.commitRate * dt + (first ? 20_000 : 0),
                            rng: &rng, help: "The latency distributions of commit called by backend.")
            for p in m.peers {
                let to = deployment.members[p].id
                // No probe answers from a peer that is down.
                let probes = states[p].up && !s.partitioned && !states[p].partitioned ? dt / 30 + (first ? 30 : 0) : 0
                store.histogram("etcd_network_peer_round_trip_time_seconds", L + [("To", to)], bounds: Buckets.rtt, latency: s.rtt[p]!,
                                expected: probes, rng: &rng, help: "Round-Trip-Time histogram between peers")
                let sent = (s.isLeader ? s.writes * s.writeBytes : s.writes * 40) + 2_000
                store.counter("etcd_network_peer_sent_bytes", L + [("To", to)], add: states[p].up ? sent * dt * rng.jitter(0.05) : 0, help: "The total number of bytes sent to peers.")
                let received = (states[p].isLeader ? s.writes * s.writeBytes : s.writes * 40) + 2_000
                store.counter("etcd_network_peer_received_bytes", L + [("From", to)], add: states[p].up ? received * dt * rng.jitter(0.05) : 0, help: "The total number of bytes received from peers.")
                // etcd 3.4/3.5 create the failure counter at the first failure.
                let key = "\(i)>\(p)"
                let failures = rng.count((s.peerFailures[p] ?? 0) * dt)
                if failures > 0 { failuresSeen.insert(key) }
                if failuresSeen.contains(key) {
                    store.counter("etcd_network_peer_sent_failures", L + [("To", to)], add: failures, help: "The total number of send failures from peers.")
                }
            }
            store.counter("etcd_network_client_grpc_received_bytes", L, add: (s.writes * s.writeBytes + s.reads * 120) / n * dt * rng.jitter(0.05), help: "The total number of bytes received from grpc clients.")
            store.counter("etcd_network_client_grpc_sent_bytes", L, add: (s.writes * 60 + s.reads * s.readBytes) / n * dt * rng.jitter(0.05), help: "The total number of bytes sent to grpc clients.")

            emitGRPC(store, m, s, dt: dt, first: first, rng: &rng)
            let gcs = rng.count(s.gcRate * dt)
            let q = [(0.0, 0.05), (0.25, 0.1), (0.5, 0.15), (0.75, 0.3), (1.0, 1.0)].map { ($0.0, s.gcMax * $0.1) }
            store.summary("go_gc_duration_seconds", L, quantiles: q, count: gcs + (first ? 5000 : 0), sum: (gcs + (first ? 5000 : 0)) * s.gcMax * 0.2,
                          help: "A summary of the pause duration of garbage collection cycles.")
        }
    }

    private func emitGRPC(_ store: SeriesStore, _ m: Deployment.Member, _ s: MemberState, dt: Double, first: Bool, rng: inout SplitMix64) {
        let n = Double(variant.members)
        let L = m.labels
        for (service, method) in Self.unary {
            let rate: Double
            switch method {
            case "Range": rate = s.reads / n
            case "Txn": rate = s.writes * 0.6 / n
            case "Put": rate = s.writes * 0.4 / n
            case "DeleteRange": rate = s.writes * 0.02 / n
            case "Compact": rate = m.index == 0 ? 1.0 / 300 : 0
            case "LeaseGrant": rate = 0.5 / n
            default: rate = 0.05
            }
            let base: Labels = L + [("grpc_method", method), ("grpc_service", service), ("grpc_type", "unary")]
            let started = rng.count(rate * dt) + (first ? (rate * 86_400).rounded() : 0)
            let unavailable = method == "Txn" || method == "Put" ? min(started, rng.round(s.unavailable * (method == "Txn" ? 0.6 : 0.4))) : 0
            let canceled = min(started - unavailable, rng.count(rate * 0.0005 * dt))
            store.counter("grpc_server_started", base, add: started, help: "Total number of RPCs started on the server.")
            for code in Self.codes {
                let v = code == "OK" ? started - unavailable - canceled : (code == "Unavailable" ? unavailable : (code == "Canceled" ? canceled : 0))
                store.counter("grpc_server_handled", base + [("grpc_code", code)], add: v, help: "Total number of RPCs completed on the server, regardless of success or failure.")
            }
            if variant.extensive, ["Range", "Txn", "Put", "LeaseGrant"].contains(method) {
                store.histogram("grpc_server_handling_seconds", base, bounds: Buckets.grpc, latency: method == "Range" ? s.range : s.unary,
                                expected: started, rng: &rng, help: "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.")
            }
        }
        for (service, method, open) in Self.streams {
            let base: Labels = L + [("grpc_method", method), ("grpc_service", service), ("grpc_type", "bidi_stream")]
            let churn = rng.count(0.02 * dt)
            store.counter("grpc_server_started", base, add: churn + (first ? open + 400 : 0), help: "Total number of RPCs started on the server.")
            for code in Self.codes {
                let v = code == "Canceled" ? churn + (first ? 400 : 0) : 0
                store.counter("grpc_server_handled", base + [("grpc_code", code)], add: v, help: "Total number of RPCs completed on the server, regardless of success or failure.")
            }
        }
    }
}
